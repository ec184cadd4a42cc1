#pragma once

// A sensor recording in Hearth's CSV layout (see data/README): a header with `t_s` first and
// named sensor columns in any order; one row per time point; an empty cell means no sample of
// that sensor at that time. Sampling may be irregular and have gaps, but time never goes back.

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/samples.h"
#include "common/error.h"

namespace hearth::formats {

inline constexpr float missing_value = std::numeric_limits<float>::quiet_NaN();

struct SensorTable {
    std::vector<std::string> columns; // sensor columns, without t_s
    std::vector<double> t_s;
    std::vector<std::vector<float>> values; // values[column][row]; NaN where the cell was empty

    [[nodiscard]] std::optional<std::size_t> column(std::string_view name) const;
    [[nodiscard]] bool has(std::string_view name) const { return column(name).has_value(); }
    [[nodiscard]] std::size_t rows() const { return t_s.size(); }
    // Seconds covered, first to last row; 0 for fewer than two rows.
    [[nodiscard]] double duration_s() const;
};

// Errors: Empty, MissingField (no t_s first column), InvalidSyntax (a cell that is not a number,
// with its line and column), TimeOrder (t_s decreasing).
Result<SensorTable> parse_sensor_csv(std::string_view text);
Result<SensorTable> read_sensor_csv(const std::string& path);

// The samples of one sensor, from the rows where all of its columns are present. Empty when the
// table lacks the columns.
std::vector<engine::AccelSample> accel_samples(const SensorTable& table);
std::vector<engine::GyroSample> gyro_samples(const SensorTable& table);
std::vector<engine::MagSample> mag_samples(const SensorTable& table);
std::vector<engine::PpgSample> ppg_samples(const SensorTable& table,
                                           std::string_view column = "ppg");
std::vector<engine::EcgSample> ecg_samples(const SensorTable& table);
std::vector<engine::PressureSample> pressure_samples(const SensorTable& table);
std::vector<engine::HeartRateSample> heart_rate_samples(const SensorTable& table);
std::vector<engine::ActivityCountSample> activity_count_samples(const SensorTable& table);

// Seconds to the engine's millisecond clock, rounded to nearest.
engine::TimeMs to_time_ms(double t_s);

} // namespace hearth::formats
