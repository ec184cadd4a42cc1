#include "sensor_csv/sensor_table.h"

#include <cmath>

#include <gtest/gtest.h>

namespace hearth::formats {
namespace {

TEST(SensorTable, ReadsColumnsInAnyOrderWithGaps) {
    const auto table = parse_sensor_csv("t_s,az,ppg,ax,ay\r\n"
                                        "0.0,9.8,100,0.1,0.2\n"
                                        "0.5,,101,,\n"
                                        "1.0,9.7,,0.3,0.4\n");
    ASSERT_TRUE(table.has_value()) << table.error().describe();
    EXPECT_EQ(table->rows(), 3U);
    EXPECT_TRUE(std::isnan(table->values[*table->column("az")][1]));
    const auto accel = accel_samples(*table);
    ASSERT_EQ(accel.size(), 2U);
    EXPECT_EQ(accel[1].t_ms, 1000);
    EXPECT_FLOAT_EQ(accel[1].x, 0.3F);
    EXPECT_FLOAT_EQ(accel[1].z, 9.7F);
    const auto ppg = ppg_samples(*table);
    ASSERT_EQ(ppg.size(), 2U);
    EXPECT_EQ(ppg[1].t_ms, 500);
    EXPECT_TRUE(ecg_samples(*table).empty());
}

TEST(SensorTable, RejectsBadInputWithTheLine) {
    auto no_time = parse_sensor_csv("ax,ay\n1,2\n");
    ASSERT_FALSE(no_time.has_value());
    EXPECT_EQ(no_time.error().code, ErrorCode::MissingField);

    auto junk = parse_sensor_csv("t_s,ax\n0,1\n1,abc\n");
    ASSERT_FALSE(junk.has_value());
    EXPECT_EQ(junk.error().code, ErrorCode::InvalidSyntax);
    EXPECT_EQ(junk.error().line, 3U);
    EXPECT_EQ(junk.error().describe(), "csv: line 3: column ax is not a number: 'abc'");

    auto backwards = parse_sensor_csv("t_s,ax\n1,1\n0.5,1\n");
    ASSERT_FALSE(backwards.has_value());
    EXPECT_EQ(backwards.error().code, ErrorCode::TimeOrder);

    auto wide = parse_sensor_csv("t_s,ax\n1,1,2\n");
    ASSERT_FALSE(wide.has_value());
    EXPECT_EQ(wide.error().code, ErrorCode::InvalidSyntax);

    auto empty = parse_sensor_csv("");
    ASSERT_FALSE(empty.has_value());
    EXPECT_EQ(empty.error().code, ErrorCode::Empty);

    auto nan = parse_sensor_csv("t_s,ax\n0,nan\n");
    ASSERT_FALSE(nan.has_value());
}

TEST(SensorTable, MissingFileIsAnIoError) {
    auto table = read_sensor_csv("/nonexistent/recording.csv");
    ASSERT_FALSE(table.has_value());
    EXPECT_EQ(table.error().code, ErrorCode::Io);
}

} // namespace
} // namespace hearth::formats
