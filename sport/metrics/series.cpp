#include "metrics/series.h"

#include <algorithm>
#include <cmath>

namespace hearth::sport::metrics {

double active_overlap_s(std::span<const Interval> active, double start_s, double end_s,
                        std::size_t& cursor) {
    if (!(end_s > start_s)) {
        return 0.0;
    }
    if (active.empty()) {
        return end_s - start_s;
    }
    while (cursor < active.size() && active[cursor].end_s <= start_s) {
        ++cursor;
    }
    double overlap_s = 0.0;
    for (std::size_t k = cursor; k < active.size() && active[k].start_s < end_s; ++k) {
        const double lo = std::max(start_s, active[k].start_s);
        const double hi = std::min(end_s, active[k].end_s);
        if (hi > lo) {
            overlap_s += hi - lo;
        }
    }
    return overlap_s;
}

double total_active_s(std::span<const Interval> active) {
    double total_s = 0.0;
    for (const Interval& interval : active) {
        total_s += interval.duration_s();
    }
    return total_s;
}

std::vector<double> hold_weights(std::span<const double> t_s, std::span<const double> values,
                                 std::span<const Interval> active, HoldOptions options) {
    const std::size_t n = std::min(t_s.size(), values.size());
    std::vector<double> weights(n, 0.0);
    std::size_t cursor = 0;
    std::optional<std::size_t> previous;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(values[i]) || !std::isfinite(t_s[i])) {
            continue;
        }
        if (previous) {
            const double start_s = t_s[*previous];
            const double end_s = std::min(t_s[i], start_s + options.max_hold_s);
            weights[*previous] = active_overlap_s(active, start_s, end_s, cursor);
        }
        previous = i;
    }
    return weights;
}

std::optional<ChannelStats> channel_stats(std::span<const double> t_s,
                                          std::span<const double> values,
                                          std::span<const Interval> active, Zeros zeros,
                                          HoldOptions options) {
    const std::size_t n = std::min(t_s.size(), values.size());
    // Weights come from every valid sample, zeros included: a zero ends the previous value's
    // hold (coasting is not pedalling at the last cadence), it just does not enter the sums.
    const std::vector<double> weights = hold_weights(t_s, values, active, options);
    ChannelStats stats;
    stats.max = -INFINITY;
    stats.min = INFINITY;
    std::size_t cursor = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double value = values[i];
        if (!std::isfinite(value) || (zeros == Zeros::Exclude && value == 0.0)) {
            continue;
        }
        // A sample counts for max/min when it was taken while the timer ran, ends included:
        // the record written at the stop (or the end) still belongs to the activity.
        const bool taken_active =
            active.empty() || weights[i] > 0.0 ||
            active_overlap_s(active, t_s[i] - 1e-6, t_s[i] + 1e-6, cursor) > 0.0;
        if (!taken_active) {
            continue;
        }
        stats.integral += value * weights[i];
        stats.weight_s += weights[i];
        stats.max = std::max(stats.max, value);
        stats.min = std::min(stats.min, value);
        ++stats.samples;
    }
    if (stats.samples == 0) {
        return std::nullopt;
    }
    if (stats.weight_s > 0.0) {
        stats.mean = stats.integral / stats.weight_s;
    } else {
        // A single sample (or all at one instant): its value is the best estimate of the mean.
        stats.mean = stats.max;
    }
    return stats;
}

std::vector<double> resample_1hz(std::span<const double> t_s, std::span<const double> values,
                                 std::span<const Interval> active, double fill_value,
                                 HoldOptions options) {
    const std::size_t n = std::min(t_s.size(), values.size());
    std::vector<double> grid;
    if (n == 0) {
        return grid;
    }
    std::vector<Interval> whole;
    if (active.empty()) {
        whole.push_back({t_s.front(), t_s[n - 1]});
        active = whole;
    }
    double total_s = 0.0;
    for (const Interval& interval : active) {
        total_s += interval.duration_s();
    }
    if (!std::isfinite(total_s) || total_s > max_resample_s) {
        return grid;
    }
    grid.reserve(static_cast<std::size_t>(total_s) + active.size());
    std::size_t next = 0;              // first sample after the current grid point
    std::optional<std::size_t> latest; // latest valid sample at or before it
    for (const Interval& interval : active) {
        const auto points = static_cast<std::size_t>(std::floor(interval.duration_s() + 0.5));
        for (std::size_t k = 0; k < points; ++k) {
            const double g_s = interval.start_s + static_cast<double>(k);
            while (next < n && t_s[next] <= g_s) {
                if (std::isfinite(values[next])) {
                    latest = next;
                }
                ++next;
            }
            if (latest && g_s - t_s[*latest] <= options.max_hold_s) {
                grid.push_back(values[*latest]);
            } else {
                grid.push_back(fill_value);
            }
        }
    }
    return grid;
}

std::vector<double> rolling_mean(std::span<const double> values, std::size_t window) {
    std::vector<double> out;
    if (window == 0 || values.size() < window) {
        return out;
    }
    out.reserve(values.size() - window + 1);
    double sum = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        sum += values[i];
        if (i >= window) {
            sum -= values[i - window];
        }
        if (i + 1 >= window) {
            out.push_back(sum / static_cast<double>(window));
        }
    }
    return out;
}

std::optional<double> best_window_mean(std::span<const double> values, std::size_t window) {
    if (window == 0 || values.size() < window) {
        return std::nullopt;
    }
    double sum = 0.0;
    double best = -INFINITY;
    for (std::size_t i = 0; i < values.size(); ++i) {
        sum += values[i];
        if (i >= window) {
            sum -= values[i - window];
        }
        if (i + 1 >= window) {
            best = std::max(best, sum);
        }
    }
    return best / static_cast<double>(window);
}

std::vector<double> rolling_median(std::span<const double> values, std::size_t window) {
    const std::size_t n = values.size();
    std::vector<double> out(n, NAN);
    const std::size_t half = window / 2;
    std::vector<double> buffer;
    buffer.reserve(window);
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(values[i])) {
            continue;
        }
        buffer.clear();
        const std::size_t lo = i >= half ? i - half : 0;
        const std::size_t hi = std::min(n, i + half + 1);
        for (std::size_t k = lo; k < hi; ++k) {
            if (std::isfinite(values[k])) {
                buffer.push_back(values[k]);
            }
        }
        const auto middle = buffer.begin() + static_cast<long>(buffer.size() / 2);
        std::nth_element(buffer.begin(), middle, buffer.end());
        out[i] = *middle;
    }
    return out;
}

std::vector<double> active_clock(std::span<const double> t_s, std::span<const Interval> active) {
    std::vector<double> clock(t_s.size(), 0.0);
    std::size_t cursor = 0;
    for (std::size_t i = 1; i < t_s.size(); ++i) {
        clock[i] = clock[i - 1] + active_overlap_s(active, t_s[i - 1], t_s[i], cursor);
    }
    return clock;
}

} // namespace hearth::sport::metrics
