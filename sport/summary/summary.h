#pragma once

// What `hearth analyze` reports for one activity: the device's own totals where the file has
// them (FIT session and lap, TCX lap totals: what users compare with Garmin Connect), and
// values computed from the records (sport/metrics) for whatever the file lacks. Also the
// analyses a device summary never holds: heart-rate zones, TRIMP, splits, best efforts, power
// metrics with an FTP, grade-adjusted pace, pool-swim metrics.
//
// Allocation: vectors in the result; no global state, thread-safe.

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "metrics/athlete.h"
#include "metrics/heart_rate.h"
#include "metrics/power.h"
#include "metrics/running.h"
#include "metrics/series.h"
#include "metrics/swimming.h"
#include "model/activity.h"

namespace hearth::sport {

struct SummaryOptions {
    metrics::AthleteProfile athlete;
    metrics::ZoneMethod zone_method = metrics::ZoneMethod::PercentMax;
    double split_m = 1000.0;
    std::vector<double> best_effort_distances_m{400.0,   1000.0,  1609.344, 5000.0,
                                                10000.0, 21097.5, 42195.0};
};

struct LapSummary {
    UtcMs start_time_ms = 0;
    Totals totals; // device lap totals, completed from the lap's records
    std::optional<SwimStroke> swim_stroke;
};

struct ActivitySummary {
    Totals totals;
    std::optional<double> pause_time_s;
    std::optional<UtcMs> start_time_ms;
    std::optional<double> swolf;           // mean SWOLF over active pool lengths
    std::optional<double> pace_s_per_100m; // swimming
    std::optional<double> pace_s_per_km;   // running / walking / hiking
    std::optional<double> grade_adjusted_pace_s_per_km;
    std::optional<double> trimp;
    std::optional<metrics::ZoneTimes> heart_rate_zones;
    std::optional<metrics::PowerMetrics> power; // from the records' power channel
    std::vector<metrics::Split> splits;
    std::vector<metrics::DistanceBest> best_efforts;
    std::vector<LapSummary> laps;
    std::size_t record_count = 0;
    bool has_device_summary = false; // totals start from the device's session totals
};

// Seconds of the records relative to `origin_ms`, and the active (timer running) intervals
// from the activity's timer events on the same clock; empty when the file has no timer events.
std::vector<metrics::Interval> active_intervals(const Activity& activity, UtcMs origin_ms,
                                                UtcMs end_ms);

// Totals computed from records alone (no device values). `active` as above; `sport` chooses
// the cadence and stroke conventions.
Totals totals_from_records(std::span<const Record> records,
                           std::span<const metrics::Interval> active, UtcMs origin_ms);

ActivitySummary summarize(const Activity& activity, const SummaryOptions& options = {});

} // namespace hearth::sport
