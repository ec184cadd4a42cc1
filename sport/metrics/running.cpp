#include "metrics/running.h"

#include <algorithm>
#include <cmath>

namespace hearth::sport::metrics {

namespace {

struct Point {
    double clock_s;
    double distance_m;
    double altitude_m;
};

// The samples with a valid distance (and altitude when asked), distance made non-decreasing.
std::vector<Point> valid_points(std::span<const double> clock_s, std::span<const double> distance_m,
                                std::span<const double> altitude_m) {
    const std::size_t n = std::min(clock_s.size(), distance_m.size());
    std::vector<Point> points;
    points.reserve(n);
    double level = -INFINITY;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(distance_m[i]) || !std::isfinite(clock_s[i])) {
            continue;
        }
        double altitude = NAN;
        if (!altitude_m.empty()) {
            if (i >= altitude_m.size() || !std::isfinite(altitude_m[i])) {
                continue;
            }
            altitude = altitude_m[i];
        }
        level = std::max(level, distance_m[i]);
        points.push_back({clock_s[i], level, altitude});
    }
    return points;
}

double interpolate_clock(const Point& a, const Point& b, double distance_m) {
    const double span_m = b.distance_m - a.distance_m;
    if (!(span_m > 0.0)) {
        return b.clock_s;
    }
    return a.clock_s + (distance_m - a.distance_m) / span_m * (b.clock_s - a.clock_s);
}

} // namespace

std::vector<Split> splits(std::span<const double> clock_s, std::span<const double> distance_m,
                          double split_m) {
    std::vector<Split> out;
    const std::vector<Point> points = valid_points(clock_s, distance_m, {});
    if (points.empty() || !(split_m > 0.0) ||
        (points.back().distance_m - points.front().distance_m) / split_m > max_splits) {
        return out;
    }
    double start_m = points.front().distance_m;
    double start_clock_s = points.front().clock_s;
    for (std::size_t k = 1; k < points.size(); ++k) {
        const Point& a = points[k - 1];
        const Point& b = points[k];
        while (start_m + split_m <= b.distance_m) {
            const double boundary_m = start_m + split_m;
            const double cross_s = interpolate_clock(a, b, boundary_m);
            out.push_back({start_m, split_m, cross_s - start_clock_s, start_clock_s});
            start_m = boundary_m;
            start_clock_s = cross_s;
        }
    }
    const Point& last = points.back();
    if (last.distance_m - start_m >= 1.0) {
        out.push_back(
            {start_m, last.distance_m - start_m, last.clock_s - start_clock_s, start_clock_s});
    }
    return out;
}

std::optional<DistanceBest> fastest_distance(std::span<const double> clock_s,
                                             std::span<const double> distance_m, double target_m) {
    const std::vector<Point> points = valid_points(clock_s, distance_m, {});
    if (points.size() < 2 || !(target_m > 0.0)) {
        return std::nullopt;
    }
    std::optional<DistanceBest> best;
    std::size_t i = 0;
    for (std::size_t j = 1; j < points.size(); ++j) {
        const double start_m = points[j].distance_m - target_m;
        if (start_m < points.front().distance_m) {
            continue;
        }
        // Latest i with distance(i) <= start: the start lies in [i, i + 1].
        while (i + 1 < j && points[i + 1].distance_m <= start_m) {
            ++i;
        }
        const double start_clock_s = interpolate_clock(points[i], points[i + 1], start_m);
        const double duration_s = points[j].clock_s - start_clock_s;
        if (!best || duration_s < best->duration_s) {
            best = DistanceBest{target_m, duration_s, start_clock_s};
        }
    }
    return best;
}

double minetti_cost_j_per_kg_m(double gradient) {
    const double i = std::clamp(gradient, -0.45, 0.45);
    return (((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i) + 3.6;
}

double acsm_kcal_per_min(double speed_mps, double grade, double weight_kg, Gait gait) {
    const double s_m_per_min = std::max(0.0, speed_mps) * 60.0;
    const double g = std::max(0.0, grade);
    const double vo2_ml_kg_min = gait == Gait::Running
                                     ? 3.5 + 0.2 * s_m_per_min + 0.9 * s_m_per_min * g
                                     : 3.5 + 0.1 * s_m_per_min + 1.8 * s_m_per_min * g;
    constexpr double kcal_per_litre_o2 = 5.0;
    return vo2_ml_kg_min * weight_kg / 1000.0 * kcal_per_litre_o2;
}

std::optional<GradeAdjusted> grade_adjusted(std::span<const double> clock_s,
                                            std::span<const double> distance_m,
                                            std::span<const double> altitude_m,
                                            double grade_window_m) {
    if (altitude_m.empty()) {
        return std::nullopt;
    }
    const std::vector<Point> points = valid_points(clock_s, distance_m, altitude_m);
    if (points.size() < 2) {
        return std::nullopt;
    }
    const std::size_t n = points.size();
    const double half_m = grade_window_m / 2.0;
    std::vector<double> gradient(n, 0.0);
    std::size_t lo = 0;
    std::size_t hi = 0;
    for (std::size_t k = 0; k < n; ++k) {
        while (points[k].distance_m - points[lo].distance_m > half_m) {
            ++lo;
        }
        hi = std::max(hi, k);
        while (hi + 1 < n && points[hi + 1].distance_m - points[k].distance_m <= half_m) {
            ++hi;
        }
        const double run_m = points[hi].distance_m - points[lo].distance_m;
        // Too little distance to measure a slope (standing, or the first metres).
        if (run_m >= half_m / 2.0) {
            gradient[k] = (points[hi].altitude_m - points[lo].altitude_m) / run_m;
        }
    }
    const double flat_cost = minetti_cost_j_per_kg_m(0.0);
    GradeAdjusted result;
    for (std::size_t k = 1; k < n; ++k) {
        const double step_m = points[k].distance_m - points[k - 1].distance_m;
        const double grade = (gradient[k - 1] + gradient[k]) / 2.0;
        result.flat_equivalent_m += step_m * minetti_cost_j_per_kg_m(grade) / flat_cost;
    }
    result.duration_s = points.back().clock_s - points.front().clock_s;
    return result;
}

} // namespace hearth::sport::metrics
