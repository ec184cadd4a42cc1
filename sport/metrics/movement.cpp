#include "metrics/movement.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace hearth::sport::metrics {

namespace {

double radians(double degrees) {
    return degrees * std::numbers::pi / 180.0;
}

bool valid(double value) {
    return std::isfinite(value);
}

} // namespace

double haversine_m(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg) {
    const double phi1 = radians(lat1_deg);
    const double phi2 = radians(lat2_deg);
    const double d_phi = phi2 - phi1;
    const double d_lambda = radians(lon2_deg - lon1_deg);
    const double s_phi = std::sin(d_phi / 2.0);
    const double s_lambda = std::sin(d_lambda / 2.0);
    const double h = s_phi * s_phi + std::cos(phi1) * std::cos(phi2) * s_lambda * s_lambda;
    return 2.0 * earth_radius_m * std::asin(std::sqrt(std::clamp(h, 0.0, 1.0)));
}

std::vector<double> distance_from_positions(std::span<const double> t_s,
                                            std::span<const double> lat_deg,
                                            std::span<const double> lon_deg,
                                            std::span<const Interval> active) {
    const std::size_t n = std::min({t_s.size(), lat_deg.size(), lon_deg.size()});
    std::vector<double> distance(n, NAN);
    std::optional<std::size_t> previous;
    double total_m = 0.0;
    std::size_t cursor = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const bool fix = valid(lat_deg[i]) && valid(lon_deg[i]) && std::abs(lat_deg[i]) <= 90.0 &&
                         std::abs(lon_deg[i]) <= 180.0;
        if (fix) {
            if (previous) {
                const std::size_t p = *previous;
                const double step_m = haversine_m(lat_deg[p], lon_deg[p], lat_deg[i], lon_deg[i]);
                const double dt_s = t_s[i] - t_s[p];
                double share = 1.0;
                if (dt_s > 0.0) {
                    share = active_overlap_s(active, t_s[p], t_s[i], cursor) / dt_s;
                }
                total_m += step_m * share;
            }
            previous = i;
        }
        if (previous) {
            distance[i] = total_m;
        }
    }
    return distance;
}

std::vector<double> monotonic_distance(std::span<const double> distance_m) {
    std::vector<double> out(distance_m.size(), NAN);
    double level = NAN;
    for (std::size_t i = 0; i < distance_m.size(); ++i) {
        if (valid(distance_m[i]) && (std::isnan(level) || distance_m[i] > level)) {
            level = distance_m[i];
        }
        out[i] = level;
    }
    return out;
}

std::vector<double> speed_from_distance(std::span<const double> t_s,
                                        std::span<const double> distance_m, double window_s) {
    const std::size_t n = std::min(t_s.size(), distance_m.size());
    std::vector<double> speed(n, NAN);
    if (n < 2) {
        return speed;
    }
    const double half_s = window_s / 2.0;
    std::size_t lo = 0;
    std::size_t hi = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!valid(distance_m[i])) {
            continue;
        }
        // lo: the earliest sample within half a window before i; hi: the latest within half a
        // window after it. Both only move forward as i does.
        while (lo < i && (t_s[i] - t_s[lo] > half_s || !valid(distance_m[lo]))) {
            ++lo;
        }
        hi = std::max(hi, i);
        while (hi + 1 < n && t_s[hi + 1] - t_s[i] <= half_s) {
            ++hi;
        }
        std::size_t a = lo;
        std::size_t b = hi;
        while (b > i && !valid(distance_m[b])) {
            --b;
        }
        // At least one neighbour on some side, even when the gap exceeds the window.
        if (a == i && b == i) {
            if (i + 1 < n && valid(distance_m[i + 1])) {
                b = i + 1;
            } else if (i > 0 && valid(distance_m[i - 1])) {
                a = i - 1;
            }
        }
        const double dt_s = t_s[b] - t_s[a];
        if (dt_s > 0.0) {
            speed[i] = std::max(0.0, distance_m[b] - distance_m[a]) / dt_s;
        }
    }
    return speed;
}

double moving_time_s(std::span<const double> t_s, std::span<const double> speed_mps,
                     std::span<const Interval> active, MovingOptions options) {
    const std::size_t n = std::min(t_s.size(), speed_mps.size());
    double moving_s = 0.0;
    std::size_t cursor = 0;
    std::optional<std::size_t> previous;
    for (std::size_t i = 0; i < n; ++i) {
        if (!valid(speed_mps[i])) {
            continue;
        }
        if (previous) {
            const std::size_t p = *previous;
            // One slow sample between two fast ones is jitter: look one sample further back.
            const bool bridged =
                speed_mps[p] <= options.threshold_mps && speed_mps[i] > options.threshold_mps &&
                p > 0 && valid(speed_mps[p - 1]) && speed_mps[p - 1] > options.threshold_mps;
            if ((speed_mps[p] + speed_mps[i]) / 2.0 > options.threshold_mps || bridged) {
                moving_s += active_overlap_s(active, t_s[p], t_s[i], cursor);
            }
        }
        previous = i;
    }
    return moving_s;
}

std::optional<double> robust_max_speed_mps(std::span<const double> speed_mps) {
    const std::vector<double> median = rolling_median(speed_mps, 5);
    std::optional<double> best;
    for (const double value : median) {
        if (valid(value) && (!best || value > *best)) {
            best = value;
        }
    }
    return best;
}

std::optional<double> pace_s_per_km(double speed_mps) {
    if (!(speed_mps > 0.0)) {
        return std::nullopt;
    }
    return 1000.0 / speed_mps;
}

AltitudeSource classify_altitude(std::span<const double> altitude_m) {
    std::vector<double> second;
    std::vector<double> last;
    for (const double a : altitude_m) {
        if (!valid(a)) {
            continue;
        }
        last.push_back(a);
        if (last.size() >= 3) {
            const std::size_t k = last.size();
            second.push_back(std::abs(last[k - 1] - 2.0 * last[k - 2] + last[k - 3]));
        }
    }
    if (second.empty()) {
        return AltitudeSource::Barometric;
    }
    const auto middle = second.begin() + static_cast<long>(second.size() / 2);
    std::nth_element(second.begin(), middle, second.end());
    return *middle > 0.45 ? AltitudeSource::Gps : AltitudeSource::Barometric;
}

std::vector<double> smooth_over_time(std::span<const double> t_s, std::span<const double> values,
                                     double window_s) {
    const std::size_t n = std::min(t_s.size(), values.size());
    std::vector<double> out(n, NAN);
    const double half_s = window_s / 2.0;
    std::size_t lo = 0;
    std::size_t hi = 0; // one past the last sample in the window
    double sum = 0.0;
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i) {
        while (hi < n && t_s[hi] - t_s[i] <= half_s) {
            if (valid(values[hi])) {
                sum += values[hi];
                ++count;
            }
            ++hi;
        }
        while (lo < hi && t_s[i] - t_s[lo] > half_s) {
            if (valid(values[lo])) {
                sum -= values[lo];
                --count;
            }
            ++lo;
        }
        if (valid(values[i]) && count > 0) {
            out[i] = sum / static_cast<double>(count);
        }
    }
    return out;
}

Elevation hysteresis_gain(std::span<const double> altitude_m, double threshold_m) {
    enum class Trend : unsigned char { Unknown, Up, Down };
    Elevation result;
    Trend trend = Trend::Unknown;
    double turn = NAN;      // last confirmed turning point
    double candidate = NAN; // furthest point of the current trend
    double low = NAN;       // extremes seen before the first trend is known
    double high = NAN;
    bool first = true;
    for (const double a : altitude_m) {
        if (!valid(a)) {
            continue;
        }
        if (first) {
            turn = candidate = low = high = a;
            result.min_m = result.max_m = a;
            first = false;
            continue;
        }
        result.min_m = std::min(result.min_m, a);
        result.max_m = std::max(result.max_m, a);
        switch (trend) {
        case Trend::Unknown:
            low = std::min(low, a);
            high = std::max(high, a);
            if (a - low >= threshold_m) {
                trend = Trend::Up;
                turn = low;
                candidate = a;
            } else if (high - a >= threshold_m) {
                trend = Trend::Down;
                turn = high;
                candidate = a;
            }
            break;
        case Trend::Up:
            if (a > candidate) {
                candidate = a;
            } else if (candidate - a >= threshold_m) {
                result.ascent_m += candidate - turn;
                turn = candidate;
                candidate = a;
                trend = Trend::Down;
            }
            break;
        case Trend::Down:
            if (a < candidate) {
                candidate = a;
            } else if (a - candidate >= threshold_m) {
                result.descent_m += turn - candidate;
                turn = candidate;
                candidate = a;
                trend = Trend::Up;
            }
            break;
        }
    }
    if (trend == Trend::Up) {
        result.ascent_m += candidate - turn;
    } else if (trend == Trend::Down) {
        result.descent_m += turn - candidate;
    }
    return result;
}

std::optional<Elevation> elevation_gain(std::span<const double> t_s,
                                        std::span<const double> altitude_m,
                                        ElevationOptions options) {
    if (std::none_of(altitude_m.begin(), altitude_m.end(), valid)) {
        return std::nullopt;
    }
    AltitudeSource source = options.source;
    if (source == AltitudeSource::Auto) {
        source = classify_altitude(altitude_m);
    }
    const bool gps = source == AltitudeSource::Gps;
    const std::vector<double> smooth = smooth_over_time(
        t_s, altitude_m, gps ? options.gps_smoothing_s : options.barometric_smoothing_s);
    Elevation result =
        hysteresis_gain(smooth, gps ? options.gps_threshold_m : options.barometric_threshold_m);
    // Report the raw extremes: smoothing would clip the summit.
    const Elevation raw = hysteresis_gain(altitude_m, INFINITY);
    result.min_m = raw.min_m;
    result.max_m = raw.max_m;
    result.source_used = source;
    return result;
}

} // namespace hearth::sport::metrics
