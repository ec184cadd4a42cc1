#pragma once

// Metrics of a whole activity or of one of its laps, read from the workout model. The device's
// own totals (FIT session/lap) are preferred, as Garmin Connect shows them; whatever the device
// did not report is computed from the records with the free functions of sport/metrics/.
// Both views are returned so that a report can show the device's figure next to ours.
//
// Allocation: the result's vectors plus temporary per-channel copies of the records (linear in
// the number of records). No shared state: concurrent calls are safe as long as nobody
// modifies the `Activity` meanwhile. Precondition (the model's contract): records, laps and
// lengths in time order; out-of-order input gives wrong figures, never a crash.

#include <optional>
#include <vector>

#include "metrics/athlete.h"
#include "metrics/heart_rate.h"
#include "metrics/movement.h"
#include "metrics/power.h"
#include "metrics/running.h"
#include "metrics/series.h"
#include "metrics/swimming.h"
#include "model/activity.h"

namespace hearth::sport::metrics {

struct MetricsOptions {
    AthleteProfile athlete;
    ZoneConfig heart_rate_zones;
    ElevationOptions elevation;
    PowerOptions power;
    // Below this speed the athlete is standing; nullopt picks by sport (moving_threshold_mps).
    std::optional<double> moving_threshold_mps;
    std::vector<double> best_distances_m{1000.0, 5000.0, 10000.0};
    // Gross mechanical efficiency for energy from power: metabolic = work / efficiency
    // (cycling is 20-25 %; at 24 % one kJ of work is about one kcal).
    double gross_efficiency = 0.24;
    HoldOptions hold;
    // Pool length when neither the session nor the laps say, metres.
    double default_pool_length_m = 25.0;
};

// Standing-still speed by sport: walking and hiking 0.3 m/s, running 0.5 m/s, cycling 1.0 m/s,
// swimming 0.1 m/s, anything else 0.5 m/s.
double moving_threshold_mps(Sport sport);

enum class EnergySource : unsigned char {
    Device,    // the device's own figure
    Power,     // work / gross efficiency
    HeartRate, // Keytel et al. 2005
    Speed,     // ACSM walking/running equations (foot sports)
};

// Every estimate that could be made, whichever was chosen.
struct EnergyEstimates {
    std::optional<double> from_power_kcal;
    std::optional<double> from_heart_rate_kcal;
    std::optional<double> from_speed_kcal;
};

struct SegmentMetrics {
    UtcMs start_ms = 0;
    UtcMs end_ms = 0;
    Totals totals;             // device value when present, else computed
    Totals computed;           // from the records only
    double pause_time_s = 0.0; // elapsed minus timer time
    std::optional<double> avg_moving_speed_mps;
    std::optional<double> avg_pace_s_per_km;         // over timer time, from the total distance
    std::optional<double> avg_cadence_steps_per_min; // running/walking only: 2 x strides
    std::optional<double> max_cadence_steps_per_min;
    std::optional<Elevation> elevation; // computed, with the altitude source it assumed
    std::optional<ZoneTimes> heart_rate_zones;
    std::optional<double> trimp;
    std::optional<PowerMetrics> power;
    std::optional<double> energy_kcal;
    std::optional<EnergySource> energy_source;
    EnergyEstimates energy_estimates;
    std::vector<Split> splits_km;
    std::vector<Split> splits_mile;
    std::vector<DistanceBest> best_efforts;
    std::optional<GradeAdjusted> grade_adjusted;
    std::optional<double> avg_stance_time_balance_pct;
    std::optional<double> avg_step_length_mm;
    std::optional<double> avg_vertical_ratio_pct;
    std::optional<SwimMetrics> swim;
};

// The timer's running intervals in UTC ms: from the activity start, cut at each Stop and
// resumed at the next Start, closed at the activity end. No events: one interval.
std::vector<std::pair<UtcMs, UtcMs>> timer_intervals(const Activity& activity);

// The whole activity.
SegmentMetrics activity_metrics(const Activity& activity, const MetricsOptions& options = {});

// One entry per lap, each over the lap's time range with the lap's device totals preferred.
std::vector<SegmentMetrics> lap_metrics(const Activity& activity,
                                        const MetricsOptions& options = {});

// Any time range [start_ms, end_ms] of the activity, preferring `device` totals when given.
SegmentMetrics segment_metrics(const Activity& activity, UtcMs start_ms, UtcMs end_ms,
                               const Totals* device, const MetricsOptions& options = {});

} // namespace hearth::sport::metrics
