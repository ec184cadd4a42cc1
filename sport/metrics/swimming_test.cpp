#include "metrics/swimming.h"

#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/movement.h"

namespace hearth::sport::metrics {
namespace {

Length make_length(double seconds, std::optional<double> strokes, SwimStroke stroke,
                   LengthType type = LengthType::Active) {
    Length length;
    length.timer_time_s = seconds;
    length.elapsed_time_s = seconds;
    length.total_strokes = strokes;
    length.stroke = stroke;
    length.type = type;
    return length;
}

TEST(Swimming, PoolLengthsSwolfAndPace) {
    const std::vector<Length> lengths{
        make_length(20.4, 15.0, SwimStroke::Freestyle),
        make_length(22.0, 17.0, SwimStroke::Freestyle),
        make_length(30.0, std::nullopt, SwimStroke::Unknown, LengthType::Idle),
        make_length(28.0, 12.0, SwimStroke::Breaststroke),
    };
    const SwimMetrics m = pool_swim_metrics(lengths, 25.0);
    EXPECT_EQ(m.active_lengths, 3U);
    EXPECT_DOUBLE_EQ(m.distance_m, 75.0);
    EXPECT_DOUBLE_EQ(m.swim_time_s, 70.4);
    EXPECT_DOUBLE_EQ(m.rest_time_s, 30.0);
    ASSERT_TRUE(m.total_strokes);
    EXPECT_DOUBLE_EQ(*m.total_strokes, 44.0);
    ASSERT_EQ(m.lengths.size(), 3U);
    EXPECT_DOUBLE_EQ(*m.lengths[0].swolf, 20.0 + 15.0);
    EXPECT_EQ(m.lengths[2].stroke, SwimStroke::Breaststroke);
    EXPECT_EQ(m.lengths[2].index, 3U);
    EXPECT_DOUBLE_EQ(*m.avg_swolf, (35.0 + 39.0 + 40.0) / 3.0);
    EXPECT_NEAR(*m.pace_s_per_100m, 70.4 / 75.0 * 100.0, 1e-12);
}

TEST(Swimming, LengthsWithoutStrokesHaveNoSwolf) {
    const std::vector<Length> lengths{make_length(30.0, std::nullopt, SwimStroke::Freestyle)};
    const SwimMetrics m = pool_swim_metrics(lengths, 50.0);
    EXPECT_FALSE(m.avg_swolf);
    EXPECT_FALSE(m.total_strokes);
    EXPECT_DOUBLE_EQ(m.distance_m, 50.0);
}

TEST(Swimming, OpenWaterDropsScatteredFixes) {
    const double metres_per_degree = earth_radius_m * std::numbers::pi / 180.0;
    std::vector<double> t;
    std::vector<double> lat;
    std::vector<double> lon;
    for (int i = 0; i <= 100; ++i) { // 1 m/s due north for 100 s
        t.push_back(i);
        lat.push_back(i / metres_per_degree);
        lon.push_back(i == 50 ? 0.01 : 0.0); // one fix 1.1 km to the east
    }
    EXPECT_NEAR(open_water_distance_m(t, lat, lon, {}), 100.0, 1e-6);
}

TEST(Swimming, OpenWaterRecoversFromABadFirstFix) {
    const double metres_per_degree = earth_radius_m * std::numbers::pi / 180.0;
    std::vector<double> t;
    std::vector<double> lat;
    std::vector<double> lon;
    for (int i = 0; i <= 100; ++i) {
        t.push_back(i);
        lat.push_back(i / metres_per_degree);
        lon.push_back(i == 0 ? 0.05 : 0.0);
    }
    const double d = open_water_distance_m(t, lat, lon, {});
    EXPECT_GT(d, 90.0);
    EXPECT_LT(d, 100.0);
}

} // namespace
} // namespace hearth::sport::metrics
