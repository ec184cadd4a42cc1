#pragma once

// Running metrics over a cumulative distance on the timer clock: splits, fastest contiguous
// distances, grade-adjusted pace (Minetti et al. 2002). Times are the "active clock" of
// metrics/series.h (seconds of timer time, non-decreasing) so that pauses do not slow a split;
// distances are cumulative metres (NaN = unknown). Allocation: returned vectors.

#include <optional>
#include <span>
#include <vector>

namespace hearth::sport::metrics {

inline constexpr double metres_per_mile = 1609.344;

struct Split {
    double start_distance_m = 0.0;
    double distance_m = 0.0; // the split length, or what is left for the last partial split
    double duration_s = 0.0;
    double start_clock_s = 0.0; // timer clock at the start of the split
    [[nodiscard]] double pace_s_per_km() const {
        return distance_m > 0.0 ? duration_s / distance_m * 1000.0 : 0.0;
    }
};

// Most splits `splits` returns: more means corrupt distances (100 000 km in 1 km splits).
inline constexpr double max_splits = 100000.0;

// Splits of `split_m` metres (1000 for km, metres_per_mile for miles); the time a boundary is
// crossed is interpolated linearly between samples. A last partial split is included when it
// is at least 1 m long. Non-finite samples are skipped; empty beyond max_splits.
std::vector<Split> splits(std::span<const double> clock_s, std::span<const double> distance_m,
                          double split_m);

struct DistanceBest {
    double distance_m = 0.0;
    double duration_s = 0.0;
    double start_clock_s = 0.0;
};

// The fastest contiguous `target_m` (Strava-style best effort): for every sample as the end,
// the latest start that still covers the distance, with the start interpolated. O(n).
std::optional<DistanceBest> fastest_distance(std::span<const double> clock_s,
                                             std::span<const double> distance_m, double target_m);

// Energy cost of running on a gradient (J per kg per m), Minetti et al. 2002, J Appl Physiol
// 93:1039, fitted for gradients -0.45..+0.45: 155.4 i^5 - 30.4 i^4 - 43.3 i^3 + 46.3 i^2
// + 19.5 i + 3.6. The gradient is clamped to the fitted range.
double minetti_cost_j_per_kg_m(double gradient);

struct GradeAdjusted {
    double flat_equivalent_m = 0.0; // distance on the flat costing the same energy
    double duration_s = 0.0;
    [[nodiscard]] std::optional<double> pace_s_per_km() const {
        if (!(flat_equivalent_m > 0.0)) {
            return std::nullopt;
        }
        return duration_s / flat_equivalent_m * 1000.0;
    }
};

// Grade-adjusted distance and pace: each step's distance is scaled by C(i)/C(0), the gradient i
// measured over +-`grade_window_m`/2 of distance on the altitude trace (GPS and barometric
// noise over a few metres would otherwise give absurd gradients). nullopt without altitude.
std::optional<GradeAdjusted> grade_adjusted(std::span<const double> clock_s,
                                            std::span<const double> distance_m,
                                            std::span<const double> altitude_m,
                                            double grade_window_m = 50.0);

enum class Gait : unsigned char { Walking, Running };

// Gross energy expenditure of walking or running on the level or uphill, kcal per minute, from
// the ACSM metabolic equations (ACSM's Guidelines for Exercise Testing and Prescription, 9th
// ed., 2013): VO2 = 3.5 + 0.1 S + 1.8 S G (walking) or 3.5 + 0.2 S + 0.9 S G (running),
// ml/kg/min with S in m/min and G the grade as a fraction (negative grades count as level: the
// equations are not fitted downhill), times ~5 kcal per litre of O2.
double acsm_kcal_per_min(double speed_mps, double grade, double weight_kg, Gait gait);

// FIT stores running cadence in strides (one foot) per minute; steps are twice that.
inline double steps_per_min(double strides_per_min) {
    return 2.0 * strides_per_min;
}

} // namespace hearth::sport::metrics
