#include "metrics/swimming.h"

#include <algorithm>
#include <cmath>

#include "metrics/movement.h"

namespace hearth::sport::metrics {

namespace {
constexpr std::size_t max_rejected_in_a_row = 5;
} // namespace

double swolf(double duration_s, double strokes) {
    return std::round(duration_s) + strokes;
}

SwimMetrics pool_swim_metrics(std::span<const Length> lengths, double pool_length_m) {
    SwimMetrics metrics;
    metrics.pool_length_m = pool_length_m;
    double swolf_sum = 0.0;
    std::size_t swolf_count = 0;
    for (std::size_t k = 0; k < lengths.size(); ++k) {
        const Length& length = lengths[k];
        const double duration_s = length.timer_time_s.value_or(length.elapsed_time_s.value_or(0.0));
        if (length.type == LengthType::Idle) {
            metrics.rest_time_s += duration_s;
            continue;
        }
        LengthMetrics row;
        row.index = k;
        row.duration_s = duration_s;
        row.strokes = length.total_strokes;
        row.stroke = length.stroke.value_or(SwimStroke::Unknown);
        if (length.total_strokes) {
            row.swolf = swolf(duration_s, *length.total_strokes);
            swolf_sum += *row.swolf;
            ++swolf_count;
            metrics.total_strokes = metrics.total_strokes.value_or(0.0) + *length.total_strokes;
        }
        metrics.swim_time_s += duration_s;
        ++metrics.active_lengths;
        metrics.lengths.push_back(row);
    }
    metrics.distance_m = static_cast<double>(metrics.active_lengths) * pool_length_m;
    if (swolf_count > 0) {
        metrics.avg_swolf = swolf_sum / static_cast<double>(swolf_count);
        metrics.avg_strokes_per_length = *metrics.total_strokes / static_cast<double>(swolf_count);
    }
    if (metrics.distance_m > 0.0) {
        metrics.pace_s_per_100m = metrics.swim_time_s / metrics.distance_m * 100.0;
    }
    return metrics;
}

double open_water_distance_m(std::span<const double> t_s, std::span<const double> lat_deg,
                             std::span<const double> lon_deg, std::span<const Interval> active,
                             double max_speed_mps) {
    const std::size_t n = std::min({t_s.size(), lat_deg.size(), lon_deg.size()});
    double total_m = 0.0;
    std::optional<std::size_t> previous;
    std::size_t cursor = 0;
    std::size_t rejected = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(lat_deg[i]) || !std::isfinite(lon_deg[i])) {
            continue;
        }
        if (!previous) {
            previous = i;
            continue;
        }
        const std::size_t p = *previous;
        const double step_m = haversine_m(lat_deg[p], lon_deg[p], lat_deg[i], lon_deg[i]);
        const double dt_s = t_s[i] - t_s[p];
        if (dt_s > 0.0 && step_m / dt_s > max_speed_mps) {
            // An outlying fix: keep measuring from the last good one, unless that one was the
            // outlier (a run of rejections), in which case start again from here.
            if (++rejected >= max_rejected_in_a_row) {
                previous = i;
                rejected = 0;
            }
            continue;
        }
        rejected = 0;
        double share = 1.0;
        if (dt_s > 0.0) {
            share = active_overlap_s(active, t_s[p], t_s[i], cursor) / dt_s;
        }
        total_m += step_m * share;
        previous = i;
    }
    return total_m;
}

} // namespace hearth::sport::metrics
