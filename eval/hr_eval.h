#pragma once

// Heart rate from wrist PPG: runs the engine's HeartRateEstimator over sensor recordings and
// scores it against reference heart rates (`t_s,bpm`, one row per 8 s window every 2 s, as in
// ppg-hr/spc2015-train). Used by `hearth hr`, `hearth eval hr` and the data tests.

#include <filesystem>
#include <iosfwd>
#include <vector>

#include "common/error.h"
#include "health/heart_rate.h"
#include "report.h"
#include "sensor_csv/sensor_table.h"

namespace hearth::eval {

// Runs the estimator over a whole table: `ppg` (and `ppg2` when present) with `ax,ay,az`,
// streamed in time order in 1 s blocks as a watch would deliver them. Errors: MissingField when
// the table lacks `ppg` or an accelerometer axis, Empty when there is no PPG sample.
formats::Result<std::vector<engine::health::HeartRateEstimate>>
estimate_heart_rate(const formats::SensorTable& table,
                    const engine::health::HeartRateConfig& config = {});

// Absolute errors of the estimates against a reference table (`t_s`, `bpm`): each reference row
// is matched to the estimate with the same time (to the millisecond).
struct HrScore {
    double abs_error_sum = 0.0;
    int matched = 0;
    int within_5_bpm = 0;
    int unmatched = 0; // reference rows without an estimate at that time
};
formats::Result<HrScore>
score_heart_rate(const std::vector<engine::health::HeartRateEstimate>& estimates,
                 const formats::SensorTable& reference);

// `hearth eval hr DIR`: MAE per recording, the mean of those, and the MAE over all windows.
// Progress (one line per recording) goes to `progress` when it is not null.
Report evaluate_heart_rate(const std::filesystem::path& dir, std::ostream* progress = nullptr,
                           const engine::health::HeartRateConfig& config = {});

} // namespace hearth::eval
