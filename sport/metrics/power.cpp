#include "metrics/power.h"

#include <cmath>

namespace hearth::sport::metrics {

std::optional<double> normalized_power_w(std::span<const double> power_1hz_w) {
    constexpr std::size_t window = 30;
    const std::vector<double> rolling = rolling_mean(power_1hz_w, window);
    if (rolling.empty()) {
        return std::nullopt;
    }
    double sum4 = 0.0;
    for (const double p : rolling) {
        const double p2 = p * p;
        sum4 += p2 * p2;
    }
    return std::pow(sum4 / static_cast<double>(rolling.size()), 0.25);
}

double training_stress_score(double duration_s, double normalized_w, double ftp_w) {
    if (!(ftp_w > 0.0)) {
        return 0.0;
    }
    const double intensity = normalized_w / ftp_w;
    return duration_s * normalized_w * intensity / (ftp_w * 3600.0) * 100.0;
}

PowerMetrics power_metrics(std::span<const double> t_s, std::span<const double> power_w,
                           std::span<const Interval> active, std::optional<double> ftp_w,
                           const PowerOptions& options) {
    PowerMetrics metrics;
    const HoldOptions hold{options.max_hold_s};
    if (const auto stats = channel_stats(t_s, power_w, active, Zeros::Include, hold)) {
        metrics.avg_w = stats->mean;
        metrics.max_w = stats->max;
        metrics.work_kj = stats->integral / 1000.0;
    }
    const std::vector<double> grid = resample_1hz(t_s, power_w, active, 0.0, hold);
    metrics.normalized_w = normalized_power_w(grid);
    if (metrics.normalized_w && metrics.avg_w > 0.0) {
        metrics.variability_index = *metrics.normalized_w / metrics.avg_w;
    }
    if (metrics.normalized_w && ftp_w && *ftp_w > 0.0) {
        metrics.intensity_factor = *metrics.normalized_w / *ftp_w;
        metrics.training_stress_score =
            training_stress_score(static_cast<double>(grid.size()), *metrics.normalized_w, *ftp_w);
    }
    for (const double duration_s : options.best_durations_s) {
        const auto window = static_cast<std::size_t>(std::lround(duration_s));
        if (const auto best = best_window_mean(grid, window)) {
            metrics.bests.push_back({duration_s, *best});
        }
    }
    return metrics;
}

} // namespace hearth::sport::metrics
