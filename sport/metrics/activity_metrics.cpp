#include "metrics/activity_metrics.h"

#include <algorithm>
#include <cmath>

namespace hearth::sport::metrics {

namespace {

// The records of a segment as parallel channels, NaN where a record lacks a value.
struct Channels {
    std::vector<double> t_s;
    std::vector<double> lat_deg;
    std::vector<double> lon_deg;
    std::vector<double> distance_m;
    std::vector<double> speed_mps;
    std::vector<double> altitude_m;
    std::vector<double> heart_rate_bpm;
    std::vector<double> cadence;
    std::vector<double> power_w;
    std::vector<double> temperature_c;
    std::vector<double> vertical_oscillation_mm;
    std::vector<double> ground_contact_time_ms;
    std::vector<double> stance_time_balance_pct;
    std::vector<double> step_length_mm;
    std::vector<double> vertical_ratio_pct;
};

double or_nan(const std::optional<double>& value) {
    return value ? *value : NAN;
}

bool any_valid(const std::vector<double>& values) {
    return std::any_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

double seconds_between(UtcMs from_ms, UtcMs to_ms) {
    return static_cast<double>(to_ms - from_ms) / 1000.0;
}

Channels extract(std::span<const Record> records, UtcMs origin_ms) {
    Channels c;
    for (const Record& r : records) {
        c.t_s.push_back(seconds_between(origin_ms, r.t_ms));
        c.lat_deg.push_back(or_nan(r.lat_deg));
        c.lon_deg.push_back(or_nan(r.lon_deg));
        c.distance_m.push_back(or_nan(r.distance_m));
        c.speed_mps.push_back(or_nan(r.speed_mps));
        c.altitude_m.push_back(or_nan(r.altitude_m));
        c.heart_rate_bpm.push_back(or_nan(r.heart_rate_bpm));
        c.cadence.push_back(or_nan(r.cadence));
        c.power_w.push_back(or_nan(r.power_w));
        c.temperature_c.push_back(or_nan(r.temperature_c));
        c.vertical_oscillation_mm.push_back(or_nan(r.vertical_oscillation_mm));
        c.ground_contact_time_ms.push_back(or_nan(r.ground_contact_time_ms));
        c.stance_time_balance_pct.push_back(or_nan(r.stance_time_balance_pct));
        c.step_length_mm.push_back(or_nan(r.step_length_mm));
        c.vertical_ratio_pct.push_back(or_nan(r.vertical_ratio_pct));
    }
    return c;
}

bool is_on_foot(Sport sport) {
    return sport == Sport::Running || sport == Sport::Walking || sport == Sport::Hiking ||
           sport == Sport::Mountaineering;
}

// Distance at time `t_s` on a cumulative series, interpolated between the samples around it.
double distance_at(std::span<const double> t_s, std::span<const double> cumulative_m, double t) {
    std::optional<std::size_t> before;
    for (std::size_t i = 0; i < t_s.size(); ++i) {
        if (!std::isfinite(cumulative_m[i])) {
            continue;
        }
        if (t_s[i] >= t) {
            if (!before || !(t_s[i] > t_s[*before])) {
                return cumulative_m[i];
            }
            const double f = (t - t_s[*before]) / (t_s[i] - t_s[*before]);
            return cumulative_m[*before] + f * (cumulative_m[i] - cumulative_m[*before]);
        }
        before = i;
    }
    return before ? cumulative_m[*before] : 0.0;
}

void prefer_device(Totals& merged, const Totals& device, const Totals& computed) {
    auto pick = [](const std::optional<double>& d, const std::optional<double>& c) {
        return d ? d : c;
    };
    merged.elapsed_time_s = pick(device.elapsed_time_s, computed.elapsed_time_s);
    merged.timer_time_s = pick(device.timer_time_s, computed.timer_time_s);
    merged.moving_time_s = pick(device.moving_time_s, computed.moving_time_s);
    merged.distance_m = pick(device.distance_m, computed.distance_m);
    merged.avg_speed_mps = pick(device.avg_speed_mps, computed.avg_speed_mps);
    merged.max_speed_mps = pick(device.max_speed_mps, computed.max_speed_mps);
    merged.ascent_m = pick(device.ascent_m, computed.ascent_m);
    merged.descent_m = pick(device.descent_m, computed.descent_m);
    merged.avg_heart_rate_bpm = pick(device.avg_heart_rate_bpm, computed.avg_heart_rate_bpm);
    merged.max_heart_rate_bpm = pick(device.max_heart_rate_bpm, computed.max_heart_rate_bpm);
    merged.min_heart_rate_bpm = pick(device.min_heart_rate_bpm, computed.min_heart_rate_bpm);
    merged.avg_cadence = pick(device.avg_cadence, computed.avg_cadence);
    merged.max_cadence = pick(device.max_cadence, computed.max_cadence);
    merged.avg_power_w = pick(device.avg_power_w, computed.avg_power_w);
    merged.max_power_w = pick(device.max_power_w, computed.max_power_w);
    merged.normalized_power_w = pick(device.normalized_power_w, computed.normalized_power_w);
    merged.energy_kcal = pick(device.energy_kcal, computed.energy_kcal);
    merged.pool_length_m = pick(device.pool_length_m, computed.pool_length_m);
    merged.active_lengths = pick(device.active_lengths, computed.active_lengths);
    merged.total_strokes = pick(device.total_strokes, computed.total_strokes);
    merged.steps = pick(device.steps, computed.steps);
    merged.avg_ground_contact_time_ms =
        pick(device.avg_ground_contact_time_ms, computed.avg_ground_contact_time_ms);
    merged.avg_vertical_oscillation_mm =
        pick(device.avg_vertical_oscillation_mm, computed.avg_vertical_oscillation_mm);
    merged.training_effect = pick(device.training_effect, computed.training_effect);
    merged.anaerobic_training_effect =
        pick(device.anaerobic_training_effect, computed.anaerobic_training_effect);
    merged.training_stress_score =
        pick(device.training_stress_score, computed.training_stress_score);
    merged.intensity_factor = pick(device.intensity_factor, computed.intensity_factor);
    merged.threshold_power_w = pick(device.threshold_power_w, computed.threshold_power_w);
    merged.avg_temperature_c = pick(device.avg_temperature_c, computed.avg_temperature_c);
    merged.max_altitude_m = pick(device.max_altitude_m, computed.max_altitude_m);
    merged.min_altitude_m = pick(device.min_altitude_m, computed.min_altitude_m);
}

std::optional<double> mean_of(const Channels& c, const std::vector<double>& values,
                              std::span<const Interval> active, const HoldOptions& hold) {
    if (const auto stats = channel_stats(c.t_s, values, active, Zeros::Exclude, hold)) {
        return stats->mean;
    }
    return std::nullopt;
}

// Energy from heart rate integrates over the heart-rate samples only: when they cover under
// half of the timer time (a strap put on late, a sensor dropping out) the sum is not a
// whole-activity figure.
bool heart_rate_covers_activity(const Channels& c, std::span<const Interval> active,
                                const HoldOptions& hold) {
    const auto stats = channel_stats(c.t_s, c.heart_rate_bpm, active, Zeros::Exclude, hold);
    return stats && stats->weight_s >= 0.5 * total_active_s(active);
}

// ACSM energy over the speed samples (hold rule of series.h): running equation for a run at
// jogging speed or faster (>= 80 m/min) and for anyone above 134 m/min, walking otherwise.
double energy_from_speed_kcal(std::span<const double> t_s, std::span<const double> speed_mps,
                              std::span<const Interval> active, Sport sport,
                              const AthleteProfile& profile, const HoldOptions& hold) {
    const double weight_kg = profile.weight_kg.value_or(default_weight_kg);
    const std::vector<double> weights = hold_weights(t_s, speed_mps, active, hold);
    double kcal = 0.0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (weights[i] <= 0.0) {
            continue;
        }
        const double v = speed_mps[i];
        const bool running = v > 134.0 / 60.0 || (sport == Sport::Running && v >= 80.0 / 60.0);
        kcal += acsm_kcal_per_min(v, 0.0, weight_kg, running ? Gait::Running : Gait::Walking) *
                weights[i] / 60.0;
    }
    return kcal;
}

double pool_length_for(const Activity& activity, const Totals* device,
                       const MetricsOptions& options) {
    if (device && device->pool_length_m && *device->pool_length_m > 0.0) {
        return *device->pool_length_m;
    }
    if (activity.device_summary && activity.device_summary->pool_length_m &&
        *activity.device_summary->pool_length_m > 0.0) {
        return *activity.device_summary->pool_length_m;
    }
    return options.default_pool_length_m;
}

} // namespace

double moving_threshold_mps(Sport sport) {
    switch (sport) {
    case Sport::Walking:
    case Sport::Hiking:
    case Sport::Mountaineering:
        return 0.3;
    case Sport::Cycling:
    case Sport::EBiking:
        return 1.0;
    case Sport::Swimming:
        return 0.1;
    default:
        return 0.5;
    }
}

std::vector<std::pair<UtcMs, UtcMs>> timer_intervals(const Activity& activity) {
    std::vector<std::pair<UtcMs, UtcMs>> out;
    const auto start = activity_start(activity);
    const auto end = activity_end(activity);
    if (!start || !end) {
        return out;
    }
    std::vector<TimerEvent> events = activity.timer_events;
    std::stable_sort(events.begin(), events.end(),
                     [](const TimerEvent& a, const TimerEvent& b) { return a.t_ms < b.t_ms; });
    // Records before the first Start are kept: devices log a few before the start event.
    bool running = true;
    UtcMs since = *start;
    for (const TimerEvent& e : events) {
        if (e.action == TimerAction::Stop && running) {
            if (e.t_ms > since) {
                out.emplace_back(since, std::min(e.t_ms, *end));
            }
            running = false;
        } else if (e.action == TimerAction::Start && !running) {
            since = std::max(e.t_ms, *start);
            running = true;
        }
    }
    if (running && *end > since) {
        out.emplace_back(since, *end);
    }
    if (out.empty() && *end >= *start) {
        // Events that stop the timer before anything happened say nothing useful.
        out.emplace_back(*start, *end);
    }
    return out;
}

namespace {

// `intervals_ms`: timer_intervals(activity), computed once per activity (a file with many laps
// must not re-sort its timer events per lap).
SegmentMetrics compute_segment(const Activity& activity, UtcMs start_ms, UtcMs end_ms,
                               const Totals* device, const MetricsOptions& options,
                               std::span<const std::pair<UtcMs, UtcMs>> intervals_ms) {
    SegmentMetrics m;
    m.start_ms = start_ms;
    m.end_ms = std::max(start_ms, end_ms);
    end_ms = m.end_ms;
    const HoldOptions hold = options.hold;
    Totals& computed = m.computed;

    // The segment's records, plus the one before it: its value holds into the segment.
    const auto& records = activity.records;
    auto first = std::lower_bound(records.begin(), records.end(), start_ms,
                                  [](const Record& r, UtcMs t) { return r.t_ms < t; });
    auto last = std::upper_bound(first, records.end(), end_ms,
                                 [](UtcMs t, const Record& r) { return t < r.t_ms; });
    if (first != records.begin() && first != last && first->t_ms > start_ms) {
        --first;
    }
    const Channels c = extract(std::span<const Record>(first, last), start_ms);

    std::vector<Interval> active;
    auto first_interval =
        std::lower_bound(intervals_ms.begin(), intervals_ms.end(), start_ms,
                         [](const std::pair<UtcMs, UtcMs>& iv, UtcMs t) { return iv.second < t; });
    for (auto it = first_interval; it != intervals_ms.end() && it->first <= end_ms; ++it) {
        const auto [a_ms, b_ms] = *it;
        const UtcMs lo = std::max(a_ms, start_ms);
        const UtcMs hi = std::min(b_ms, end_ms);
        if (hi > lo) {
            active.push_back({seconds_between(start_ms, lo), seconds_between(start_ms, hi)});
        }
    }
    if (active.empty()) {
        active.push_back({0.0, 0.0}); // nothing active; an empty list would mean "all active"
    }

    computed.elapsed_time_s = seconds_between(start_ms, end_ms);
    computed.timer_time_s = total_active_s(active);

    // Distance: pool lengths, else the device's cumulative distance, else positions.
    std::vector<double> cumulative_m;
    const bool swimming = activity.sport == Sport::Swimming;
    // Lengths are in time order (model contract); a binary search keeps many laps linear.
    std::vector<Length> lengths;
    auto first_length =
        std::lower_bound(activity.lengths.begin(), activity.lengths.end(), start_ms,
                         [](const Length& l, UtcMs t) { return l.start_time_ms < t; });
    for (auto it = first_length; it != activity.lengths.end() && it->start_time_ms < end_ms; ++it) {
        lengths.push_back(*it);
    }
    if (swimming && !lengths.empty()) {
        const double pool_m = pool_length_for(activity, device, options);
        m.swim = pool_swim_metrics(lengths, pool_m);
        computed.distance_m = m.swim->distance_m;
        computed.pool_length_m = pool_m;
        computed.active_lengths = static_cast<double>(m.swim->active_lengths);
        computed.total_strokes = m.swim->total_strokes;
    }
    if (any_valid(c.distance_m)) {
        cumulative_m = monotonic_distance(c.distance_m);
    } else if (any_valid(c.lat_deg)) {
        cumulative_m = distance_from_positions(c.t_s, c.lat_deg, c.lon_deg, active);
    }
    if (!cumulative_m.empty()) {
        const double at_start_m = distance_at(c.t_s, cumulative_m, 0.0);
        for (double& d : cumulative_m) {
            d = std::max(0.0, d - at_start_m);
        }
        if (!computed.distance_m) {
            if (swimming && !any_valid(c.distance_m)) {
                computed.distance_m = open_water_distance_m(c.t_s, c.lat_deg, c.lon_deg, active);
            } else {
                computed.distance_m = monotonic_distance(cumulative_m).back();
            }
        }
    }

    // Speed: the device's (filtered, often from the foot pod or wheel), else from distance.
    std::vector<double> speed_mps = c.speed_mps;
    if (!any_valid(speed_mps) && !cumulative_m.empty()) {
        speed_mps = speed_from_distance(c.t_s, cumulative_m, 5.0);
    }
    if (any_valid(speed_mps)) {
        MovingOptions moving;
        moving.threshold_mps =
            options.moving_threshold_mps.value_or(moving_threshold_mps(activity.sport));
        computed.moving_time_s = moving_time_s(c.t_s, speed_mps, active, moving);
        computed.max_speed_mps = robust_max_speed_mps(speed_mps);
    }
    if (computed.distance_m && *computed.timer_time_s > 0.0) {
        computed.avg_speed_mps = *computed.distance_m / *computed.timer_time_s;
    }
    if (computed.distance_m && computed.moving_time_s && *computed.moving_time_s > 0.0) {
        m.avg_moving_speed_mps = *computed.distance_m / *computed.moving_time_s;
    }

    if (const auto elevation = elevation_gain(c.t_s, c.altitude_m, options.elevation)) {
        m.elevation = elevation;
        computed.ascent_m = elevation->ascent_m;
        computed.descent_m = elevation->descent_m;
        computed.min_altitude_m = elevation->min_m;
        computed.max_altitude_m = elevation->max_m;
    }

    // Heart rate.
    if (const auto hr = channel_stats(c.t_s, c.heart_rate_bpm, active, Zeros::Exclude, hold)) {
        computed.avg_heart_rate_bpm = hr->mean;
        computed.max_heart_rate_bpm = hr->max;
        computed.min_heart_rate_bpm = hr->min;
        if (const auto bounds = zone_bounds_bpm(options.heart_rate_zones, options.athlete)) {
            m.heart_rate_zones = time_in_zones(c.t_s, c.heart_rate_bpm, active, *bounds, hold);
        }
        m.trimp = banister_trimp(c.t_s, c.heart_rate_bpm, active, options.athlete, hold);
    }

    // Cadence: zeros are stops, not a cadence (Garmin's default for averages).
    if (const auto cad = channel_stats(c.t_s, c.cadence, active, Zeros::Exclude, hold)) {
        computed.avg_cadence = cad->mean;
        computed.max_cadence = cad->max;
        if (is_on_foot(activity.sport)) {
            // Strides per minute integrated over minutes, two steps a stride.
            computed.steps = std::round(steps_per_min(cad->integral / 60.0));
        }
    }

    // Power.
    if (any_valid(c.power_w)) {
        std::optional<double> ftp_w = options.athlete.ftp_w;
        if (!ftp_w && device && device->threshold_power_w) {
            ftp_w = device->threshold_power_w;
        }
        m.power = power_metrics(c.t_s, c.power_w, active, ftp_w, options.power);
        computed.avg_power_w = m.power->avg_w;
        computed.max_power_w = m.power->max_w;
        computed.normalized_power_w = m.power->normalized_w;
        computed.intensity_factor = m.power->intensity_factor;
        computed.training_stress_score = m.power->training_stress_score;
        computed.threshold_power_w = ftp_w;
    }

    // Energy: every estimate that applies, then the best one for the sport.
    EnergyEstimates& energy = m.energy_estimates;
    if (m.power && m.power->work_kj > 0.0 && options.gross_efficiency > 0.0) {
        energy.from_power_kcal = m.power->work_kj / options.gross_efficiency / 4.184;
    }
    // Keytel et al. fitted running and cycling on land; heart rate measured at the wrist
    // under water is too sparse and too low for it, so swims get no estimate.
    if (heart_rate_covers_activity(c, active, hold) && !swimming) {
        energy.from_heart_rate_kcal =
            energy_from_heart_rate_kcal(c.t_s, c.heart_rate_bpm, active, options.athlete, hold);
    }
    if (is_on_foot(activity.sport) && any_valid(speed_mps)) {
        energy.from_speed_kcal =
            energy_from_speed_kcal(c.t_s, speed_mps, active, activity.sport, options.athlete, hold);
    }
    // On foot the ACSM equations were made for the activity and were the closest to the
    // devices on the shared runs (docs/metrics.md); the 24 % efficiency is a cycling figure
    // and overestimates from running power.
    if (energy.from_speed_kcal) {
        computed.energy_kcal = energy.from_speed_kcal;
        m.energy_source = EnergySource::Speed;
    } else if (energy.from_power_kcal) {
        computed.energy_kcal = energy.from_power_kcal;
        m.energy_source = EnergySource::Power;
    } else if (energy.from_heart_rate_kcal) {
        computed.energy_kcal = energy.from_heart_rate_kcal;
        m.energy_source = EnergySource::HeartRate;
    }

    // Running dynamics and temperature.
    computed.avg_ground_contact_time_ms = mean_of(c, c.ground_contact_time_ms, active, hold);
    computed.avg_vertical_oscillation_mm = mean_of(c, c.vertical_oscillation_mm, active, hold);
    m.avg_stance_time_balance_pct = mean_of(c, c.stance_time_balance_pct, active, hold);
    m.avg_step_length_mm = mean_of(c, c.step_length_mm, active, hold);
    m.avg_vertical_ratio_pct = mean_of(c, c.vertical_ratio_pct, active, hold);
    if (const auto temp = channel_stats(c.t_s, c.temperature_c, active, Zeros::Include, hold)) {
        computed.avg_temperature_c = temp->mean;
    }

    // Splits, best efforts and grade-adjusted pace on the timer clock.
    if (!cumulative_m.empty() && !(swimming && m.swim)) {
        const std::vector<double> clock_s = active_clock(c.t_s, active);
        m.splits_km = splits(clock_s, cumulative_m, 1000.0);
        m.splits_mile = splits(clock_s, cumulative_m, metres_per_mile);
        if (is_on_foot(activity.sport)) {
            for (const double target_m : options.best_distances_m) {
                if (const auto best = fastest_distance(clock_s, cumulative_m, target_m)) {
                    m.best_efforts.push_back(*best);
                }
            }
        }
        if (activity.sport == Sport::Running && any_valid(c.altitude_m)) {
            m.grade_adjusted = grade_adjusted(clock_s, cumulative_m, c.altitude_m);
        }
    }

    prefer_device(m.totals, device ? *device : Totals{}, computed);
    if (device && device->energy_kcal) {
        m.energy_kcal = device->energy_kcal;
        m.energy_source = EnergySource::Device;
    } else {
        m.energy_kcal = computed.energy_kcal;
    }
    m.pause_time_s =
        std::max(0.0, m.totals.elapsed_time_s.value_or(0.0) - m.totals.timer_time_s.value_or(0.0));
    if (m.totals.avg_speed_mps) {
        m.avg_pace_s_per_km = pace_s_per_km(*m.totals.avg_speed_mps);
    }
    if (is_on_foot(activity.sport)) {
        if (m.totals.avg_cadence) {
            m.avg_cadence_steps_per_min = steps_per_min(*m.totals.avg_cadence);
        }
        if (m.totals.max_cadence) {
            m.max_cadence_steps_per_min = steps_per_min(*m.totals.max_cadence);
        }
    }
    return m;
}

} // namespace

SegmentMetrics segment_metrics(const Activity& activity, UtcMs start_ms, UtcMs end_ms,
                               const Totals* device, const MetricsOptions& options) {
    const auto intervals = timer_intervals(activity);
    return compute_segment(activity, start_ms, end_ms, device, options, intervals);
}

SegmentMetrics activity_metrics(const Activity& activity, const MetricsOptions& options) {
    const auto start = activity_start(activity);
    const auto end = activity_end(activity);
    const Totals* device = activity.device_summary ? &*activity.device_summary : nullptr;
    if (!start || !end) {
        SegmentMetrics empty;
        if (device) {
            empty.totals = *device;
        }
        return empty;
    }
    return segment_metrics(activity, *start, *end, device, options);
}

std::vector<SegmentMetrics> lap_metrics(const Activity& activity, const MetricsOptions& options) {
    std::vector<SegmentMetrics> out;
    const auto activity_end_ms = activity_end(activity);
    const auto intervals = timer_intervals(activity);
    for (std::size_t k = 0; k < activity.laps.size(); ++k) {
        const Lap& lap = activity.laps[k];
        UtcMs end_ms = lap.start_time_ms;
        if (lap.end_time_ms) {
            end_ms = *lap.end_time_ms;
        } else if (lap.totals.elapsed_time_s && std::isfinite(*lap.totals.elapsed_time_s) &&
                   *lap.totals.elapsed_time_s >= 0.0 && *lap.totals.elapsed_time_s < 1e9) {
            end_ms = lap.start_time_ms +
                     static_cast<UtcMs>(std::llround(*lap.totals.elapsed_time_s * 1000.0));
        } else if (k + 1 < activity.laps.size()) {
            end_ms = activity.laps[k + 1].start_time_ms;
        } else if (activity_end_ms) {
            end_ms = *activity_end_ms;
        }
        out.push_back(
            compute_segment(activity, lap.start_time_ms, end_ms, &lap.totals, options, intervals));
    }
    return out;
}

} // namespace hearth::sport::metrics
