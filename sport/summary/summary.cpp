#include "summary/summary.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "metrics/movement.h"

namespace hearth::sport {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Channels {
    std::vector<double> t_s, lat, lon, distance, speed, altitude, hr, cadence, power, gct, vo;
};

double or_nan(const std::optional<double>& v) {
    return v ? *v : nan;
}

Channels channels_of(std::span<const Record> records, UtcMs origin_ms) {
    Channels c;
    for (const Record& r : records) {
        c.t_s.push_back(static_cast<double>(r.t_ms - origin_ms) / 1000.0);
        c.lat.push_back(or_nan(r.lat_deg));
        c.lon.push_back(or_nan(r.lon_deg));
        c.distance.push_back(or_nan(r.distance_m));
        c.speed.push_back(or_nan(r.speed_mps));
        c.altitude.push_back(or_nan(r.altitude_m));
        c.hr.push_back(r.heart_rate_bpm && *r.heart_rate_bpm > 0.0 ? *r.heart_rate_bpm : nan);
        c.cadence.push_back(or_nan(r.cadence));
        c.power.push_back(or_nan(r.power_w));
        c.gct.push_back(r.ground_contact_time_ms && *r.ground_contact_time_ms > 0.0
                            ? *r.ground_contact_time_ms
                            : nan);
        c.vo.push_back(r.vertical_oscillation_mm && *r.vertical_oscillation_mm > 0.0
                           ? *r.vertical_oscillation_mm
                           : nan);
    }
    return c;
}

bool any_valid(std::span<const double> values) {
    return std::any_of(values.begin(), values.end(), [](double v) { return !std::isnan(v); });
}

std::optional<double> last_valid(std::span<const double> values) {
    for (auto it = values.rbegin(); it != values.rend(); ++it) {
        if (!std::isnan(*it)) {
            return *it;
        }
    }
    return std::nullopt;
}

std::optional<double> first_valid(std::span<const double> values) {
    for (double v : values) {
        if (!std::isnan(v)) {
            return v;
        }
    }
    return std::nullopt;
}

// The cumulative distance the analysis uses: the device's when records carry it (made
// monotonic), else summed from positions. Empty when neither exists.
std::vector<double> cumulative_distance(const Channels& c,
                                        std::span<const metrics::Interval> active) {
    if (any_valid(c.distance)) {
        return metrics::monotonic_distance(c.distance);
    }
    if (any_valid(c.lat) && any_valid(c.lon)) {
        return metrics::distance_from_positions(c.t_s, c.lat, c.lon, active);
    }
    return {};
}

void fill(std::optional<double>& target, const std::optional<double>& computed) {
    if (!target && computed) {
        target = computed;
    }
}

// Every field `base` lacks is taken from `computed`.
void complete(Totals& base, const Totals& computed) {
    fill(base.elapsed_time_s, computed.elapsed_time_s);
    fill(base.timer_time_s, computed.timer_time_s);
    fill(base.moving_time_s, computed.moving_time_s);
    fill(base.distance_m, computed.distance_m);
    fill(base.avg_speed_mps, computed.avg_speed_mps);
    fill(base.max_speed_mps, computed.max_speed_mps);
    fill(base.ascent_m, computed.ascent_m);
    fill(base.descent_m, computed.descent_m);
    fill(base.avg_heart_rate_bpm, computed.avg_heart_rate_bpm);
    fill(base.max_heart_rate_bpm, computed.max_heart_rate_bpm);
    fill(base.min_heart_rate_bpm, computed.min_heart_rate_bpm);
    fill(base.avg_cadence, computed.avg_cadence);
    fill(base.max_cadence, computed.max_cadence);
    fill(base.avg_power_w, computed.avg_power_w);
    fill(base.max_power_w, computed.max_power_w);
    fill(base.normalized_power_w, computed.normalized_power_w);
    fill(base.energy_kcal, computed.energy_kcal);
    fill(base.pool_length_m, computed.pool_length_m);
    fill(base.active_lengths, computed.active_lengths);
    fill(base.total_strokes, computed.total_strokes);
    fill(base.steps, computed.steps);
    fill(base.avg_ground_contact_time_ms, computed.avg_ground_contact_time_ms);
    fill(base.avg_vertical_oscillation_mm, computed.avg_vertical_oscillation_mm);
    fill(base.avg_temperature_c, computed.avg_temperature_c);
    fill(base.max_altitude_m, computed.max_altitude_m);
    fill(base.min_altitude_m, computed.min_altitude_m);
}

std::span<const Record> records_between(std::span<const Record> records, UtcMs start_ms,
                                        std::optional<UtcMs> end_ms) {
    auto first = std::lower_bound(records.begin(), records.end(), start_ms,
                                  [](const Record& r, UtcMs t) { return r.t_ms < t; });
    auto last = records.end();
    if (end_ms) {
        // Inclusive of a record at the lap's end, which closes the lap's last interval.
        last = std::upper_bound(first, records.end(), *end_ms,
                                [](UtcMs t, const Record& r) { return t < r.t_ms; });
    }
    return {first, last};
}

bool is_foot_sport(Sport sport) {
    return sport == Sport::Running || sport == Sport::Walking || sport == Sport::Hiking ||
           sport == Sport::Mountaineering;
}

} // namespace

std::vector<metrics::Interval> active_intervals(const Activity& activity, UtcMs origin_ms,
                                                UtcMs end_ms) {
    std::vector<metrics::Interval> active;
    if (activity.timer_events.empty()) {
        return active;
    }
    auto to_s = [origin_ms](UtcMs t) { return static_cast<double>(t - origin_ms) / 1000.0; };
    double start_s = 0.0;
    const double end_s = to_s(end_ms);
    for (const Pause& p : pauses(activity)) {
        const double pause_start = to_s(p.start_ms);
        const double pause_end = to_s(p.end_ms);
        if (pause_end <= start_s || pause_start >= end_s) {
            continue;
        }
        if (pause_start > start_s) {
            active.push_back({start_s, pause_start});
        }
        start_s = std::max(start_s, pause_end);
    }
    if (end_s > start_s) {
        active.push_back({start_s, end_s});
    }
    if (active.empty()) {
        // Timer events that leave no running time are not trusted over the records.
        active.push_back({0.0, end_s});
    }
    return active;
}

Totals totals_from_records(std::span<const Record> records,
                           std::span<const metrics::Interval> active, UtcMs origin_ms) {
    Totals t;
    if (records.empty()) {
        return t;
    }
    const Channels c = channels_of(records, origin_ms);
    const double elapsed = c.t_s.back() - c.t_s.front();
    t.elapsed_time_s = elapsed;
    t.timer_time_s = active.empty() ? elapsed : metrics::total_active_s(active);

    const std::vector<double> distance = cumulative_distance(c, active);
    if (!distance.empty()) {
        auto last = last_valid(distance);
        auto first = first_valid(distance);
        if (last && first) {
            t.distance_m = *last - (any_valid(c.distance) ? *first : 0.0);
        }
    }
    std::vector<double> speed = c.speed;
    if (!any_valid(speed) && !distance.empty()) {
        speed = metrics::speed_from_distance(c.t_s, distance, 5.0);
    }
    if (any_valid(speed)) {
        t.moving_time_s = metrics::moving_time_s(c.t_s, speed, active);
        t.max_speed_mps = metrics::robust_max_speed_mps(speed);
    }
    if (t.distance_m && t.timer_time_s && *t.timer_time_s > 0.0) {
        t.avg_speed_mps = *t.distance_m / *t.timer_time_s;
    }
    if (auto elevation = metrics::elevation_gain(c.t_s, c.altitude)) {
        t.ascent_m = elevation->ascent_m;
        t.descent_m = elevation->descent_m;
        t.max_altitude_m = elevation->max_m;
        t.min_altitude_m = elevation->min_m;
    }
    using metrics::Zeros;
    if (auto hr = metrics::channel_stats(c.t_s, c.hr, active, Zeros::Exclude)) {
        t.avg_heart_rate_bpm = hr->mean;
        t.max_heart_rate_bpm = hr->max;
        t.min_heart_rate_bpm = hr->min;
    }
    if (auto cad = metrics::channel_stats(c.t_s, c.cadence, active, Zeros::Exclude)) {
        t.avg_cadence = cad->mean;
        t.max_cadence = cad->max;
    }
    if (any_valid(c.power)) {
        const auto p = metrics::power_metrics(c.t_s, c.power, active, std::nullopt);
        t.avg_power_w = p.avg_w;
        t.max_power_w = p.max_w;
        t.normalized_power_w = p.normalized_w;
    }
    if (auto gct = metrics::channel_stats(c.t_s, c.gct, active, Zeros::Exclude)) {
        t.avg_ground_contact_time_ms = gct->mean;
    }
    if (auto vo = metrics::channel_stats(c.t_s, c.vo, active, Zeros::Exclude)) {
        t.avg_vertical_oscillation_mm = vo->mean;
    }
    return t;
}

ActivitySummary summarize(const Activity& activity, const SummaryOptions& options) {
    ActivitySummary s;
    s.record_count = activity.records.size();
    s.start_time_ms = activity_start(activity);
    const auto end = activity_end(activity);

    const UtcMs origin =
        activity.records.empty() ? s.start_time_ms.value_or(0) : activity.records.front().t_ms;
    const std::vector<metrics::Interval> active =
        active_intervals(activity, origin, end.value_or(origin));
    const Channels c = channels_of(activity.records, origin);

    Totals computed = totals_from_records(activity.records, active, origin);
    if (s.start_time_ms && end && *end > *s.start_time_ms) {
        computed.elapsed_time_s = static_cast<double>(*end - *s.start_time_ms) / 1000.0;
    }

    // Pool swims: lengths hold what records cannot (a watch has no GPS indoors).
    if (!activity.lengths.empty()) {
        const double pool_m = activity.device_summary && activity.device_summary->pool_length_m
                                  ? *activity.device_summary->pool_length_m
                                  : 0.0;
        if (pool_m > 0.0) {
            const auto swim = metrics::pool_swim_metrics(activity.lengths, pool_m);
            computed.pool_length_m = pool_m;
            computed.active_lengths = static_cast<double>(swim.active_lengths);
            computed.distance_m = swim.distance_m;
            computed.total_strokes = swim.total_strokes;
            s.swolf = swim.avg_swolf;
            s.pace_s_per_100m = swim.pace_s_per_100m;
        }
    }

    if (activity.device_summary) {
        s.totals = *activity.device_summary;
        s.has_device_summary = true;
    }
    complete(s.totals, computed);
    if (s.totals.elapsed_time_s && s.totals.timer_time_s) {
        s.pause_time_s = std::max(0.0, *s.totals.elapsed_time_s - *s.totals.timer_time_s);
    }
    if (activity.sport == Sport::Swimming && !s.pace_s_per_100m && s.totals.distance_m &&
        s.totals.timer_time_s && *s.totals.distance_m > 0.0) {
        s.pace_s_per_100m = *s.totals.timer_time_s / *s.totals.distance_m * 100.0;
    }
    if (is_foot_sport(activity.sport) && s.totals.avg_speed_mps) {
        s.pace_s_per_km = metrics::pace_s_per_km(*s.totals.avg_speed_mps);
    }

    // Heart rate: zones and TRIMP from the records.
    if (any_valid(c.hr)) {
        metrics::ZoneConfig zones;
        zones.method = options.zone_method;
        if (auto bounds = metrics::zone_bounds_bpm(zones, options.athlete)) {
            s.heart_rate_zones = metrics::time_in_zones(c.t_s, c.hr, active, *bounds);
        }
        s.trimp = metrics::banister_trimp(c.t_s, c.hr, active, options.athlete);
    }
    if (any_valid(c.power)) {
        s.power = metrics::power_metrics(c.t_s, c.power, active, options.athlete.ftp_w);
        if (s.power->intensity_factor) {
            s.totals.intensity_factor = s.power->intensity_factor;
        }
        if (s.power->training_stress_score) {
            s.totals.training_stress_score = s.power->training_stress_score;
        }
    }

    // Splits, best efforts and grade-adjusted pace on the timer clock.
    const std::vector<double> distance = cumulative_distance(c, active);
    if (!distance.empty() && activity.sport != Sport::Swimming) {
        const std::vector<double> clock = metrics::active_clock(c.t_s, active);
        s.splits = metrics::splits(clock, distance, options.split_m);
        for (double target : options.best_effort_distances_m) {
            if (auto best = metrics::fastest_distance(clock, distance, target)) {
                s.best_efforts.push_back(*best);
            }
        }
        if (is_foot_sport(activity.sport) && any_valid(c.altitude)) {
            if (auto gap = metrics::grade_adjusted(clock, distance, c.altitude)) {
                s.grade_adjusted_pace_s_per_km = gap->pace_s_per_km();
            }
        }
    }

    for (const Lap& lap : activity.laps) {
        LapSummary ls;
        ls.start_time_ms = lap.start_time_ms;
        ls.swim_stroke = lap.swim_stroke;
        ls.totals = lap.totals;
        const auto lap_records =
            records_between(activity.records, lap.start_time_ms, lap.end_time_ms);
        if (!lap_records.empty()) {
            const UtcMs lap_end = lap.end_time_ms.value_or(lap_records.back().t_ms);
            std::vector<metrics::Interval> lap_active;
            const double lap_start_s = static_cast<double>(lap.start_time_ms - origin) / 1000.0;
            const double lap_end_s = static_cast<double>(lap_end - origin) / 1000.0;
            for (const auto& interval : active) {
                const double a = std::max(interval.start_s, lap_start_s);
                const double b = std::min(interval.end_s, lap_end_s);
                if (b > a) {
                    // Shifted to the lap's clock, whose origin is the lap's first record.
                    const double shift =
                        static_cast<double>(lap_records.front().t_ms - origin) / 1000.0;
                    lap_active.push_back({a - shift, b - shift});
                }
            }
            Totals lap_computed =
                totals_from_records(lap_records, lap_active, lap_records.front().t_ms);
            complete(ls.totals, lap_computed);
        }
        s.laps.push_back(std::move(ls));
    }
    return s;
}

} // namespace hearth::sport
