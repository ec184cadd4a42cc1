// TCX activities to the workout model. TCX lap values are the device's own totals; their sums
// are the activity's device summary (TCX has no session element).

#include <algorithm>
#include <cmath>
#include <string>

#include "import/import.h"

namespace hearth::sport {
namespace {

Sport sport_from_tcx(const std::string& sport) {
    // TCX Sport is Running, Biking or Other by the schema; exporters write others too.
    const Sport s = parse_sport(sport);
    return s;
}

Record record_from_trackpoint(const formats::TcxTrackpoint& p) {
    Record r;
    r.t_ms = p.time.unix_ms();
    if (p.position) {
        r.lat_deg = p.position->latitude_deg;
        r.lon_deg = p.position->longitude_deg;
    }
    r.altitude_m = p.altitude_m;
    r.distance_m = p.distance_m;
    r.heart_rate_bpm = p.heart_rate_bpm;
    // RunCadence is already one foot's steps per minute, as FIT stores running cadence.
    r.cadence = p.run_cadence_spm ? p.run_cadence_spm : p.cadence_rpm;
    r.speed_mps = p.speed_m_per_s;
    r.power_w = p.power_w;
    return r;
}

void add(std::optional<double>& sum, const std::optional<double>& value) {
    if (value) {
        sum = sum.value_or(0.0) + *value;
    }
}

void keep_max(std::optional<double>& best, const std::optional<double>& value) {
    if (value && (!best || *value > *best)) {
        best = value;
    }
}

Totals totals_from_lap(const formats::TcxLap& lap) {
    Totals t;
    t.timer_time_s = lap.total_time_s;
    t.distance_m = lap.distance_m;
    t.max_speed_mps = lap.maximum_speed_m_per_s;
    t.avg_speed_mps = lap.average_speed_m_per_s;
    if (!t.avg_speed_mps && lap.distance_m && lap.total_time_s && *lap.total_time_s > 0.0) {
        t.avg_speed_mps = *lap.distance_m / *lap.total_time_s;
    }
    t.energy_kcal = lap.calories_kcal;
    t.avg_heart_rate_bpm = lap.average_heart_rate_bpm;
    t.max_heart_rate_bpm = lap.maximum_heart_rate_bpm;
    t.avg_cadence = lap.average_run_cadence_spm ? lap.average_run_cadence_spm : lap.cadence_rpm;
    t.max_cadence =
        lap.maximum_run_cadence_spm ? lap.maximum_run_cadence_spm : lap.maximum_bike_cadence_rpm;
    t.avg_power_w = lap.average_power_w;
    t.max_power_w = lap.maximum_power_w;
    t.steps = lap.steps;
    return t;
}

// The activity totals from its laps: sums, maxima, and time-weighted means.
Totals sum_laps(const std::vector<Lap>& laps) {
    Totals sum;
    double hr_weight = 0.0;
    double hr_weighted = 0.0;
    double cad_weight = 0.0;
    double cad_weighted = 0.0;
    double power_weight = 0.0;
    double power_weighted = 0.0;
    for (const Lap& lap : laps) {
        const Totals& t = lap.totals;
        add(sum.timer_time_s, t.timer_time_s);
        add(sum.distance_m, t.distance_m);
        add(sum.energy_kcal, t.energy_kcal);
        add(sum.steps, t.steps);
        keep_max(sum.max_speed_mps, t.max_speed_mps);
        keep_max(sum.max_heart_rate_bpm, t.max_heart_rate_bpm);
        keep_max(sum.max_cadence, t.max_cadence);
        keep_max(sum.max_power_w, t.max_power_w);
        const double w = t.timer_time_s.value_or(0.0);
        if (t.avg_heart_rate_bpm && w > 0.0) {
            hr_weight += w;
            hr_weighted += w * *t.avg_heart_rate_bpm;
        }
        if (t.avg_cadence && w > 0.0) {
            cad_weight += w;
            cad_weighted += w * *t.avg_cadence;
        }
        if (t.avg_power_w && w > 0.0) {
            power_weight += w;
            power_weighted += w * *t.avg_power_w;
        }
    }
    if (hr_weight > 0.0) {
        sum.avg_heart_rate_bpm = hr_weighted / hr_weight;
    }
    if (cad_weight > 0.0) {
        sum.avg_cadence = cad_weighted / cad_weight;
    }
    if (power_weight > 0.0) {
        sum.avg_power_w = power_weighted / power_weight;
    }
    if (sum.distance_m && sum.timer_time_s && *sum.timer_time_s > 0.0) {
        sum.avg_speed_mps = *sum.distance_m / *sum.timer_time_s;
    }
    return sum;
}

} // namespace

Workout workout_from_tcx(const formats::TcxDocument& document) {
    Workout workout;
    workout.format = FileFormat::Tcx;
    for (const auto& activity : document.activities) {
        Activity a;
        a.sport = sport_from_tcx(activity.sport);
        a.name = activity.notes;
        if (activity.creator) {
            if (!activity.creator->name.empty()) {
                a.device.product = activity.creator->name;
            }
            if (activity.creator->unit_id) {
                a.device.serial_number = activity.creator->unit_id;
            }
            if (activity.creator->version) {
                a.device.software_version = std::to_string(activity.creator->version->major) + "." +
                                            std::to_string(activity.creator->version->minor);
            }
        }
        for (const auto& tcx_lap : activity.laps) {
            for (const auto& track : tcx_lap.tracks) {
                for (const auto& point : track.points) {
                    a.records.push_back(record_from_trackpoint(point));
                }
            }
            Lap lap;
            lap.totals = totals_from_lap(tcx_lap);
            if (tcx_lap.start_time) {
                lap.start_time_ms = tcx_lap.start_time->unix_ms();
            } else if (!tcx_lap.tracks.empty() && !tcx_lap.tracks.front().points.empty()) {
                lap.start_time_ms = tcx_lap.tracks.front().points.front().time.unix_ms();
            } else {
                continue; // a lap with neither start nor points cannot be placed in time
            }
            if (tcx_lap.trigger_method) {
                const std::string& m = *tcx_lap.trigger_method;
                lap.trigger = m == "Manual"     ? LapTrigger::Manual
                              : m == "Distance" ? LapTrigger::Distance
                              : m == "Time"     ? LapTrigger::Time
                              : m == "Location" ? LapTrigger::Position
                                                : LapTrigger::Other;
            }
            a.laps.push_back(lap);
        }
        std::stable_sort(a.records.begin(), a.records.end(),
                         [](const Record& x, const Record& y) { return x.t_ms < y.t_ms; });
        // Each lap ends where the next begins (or at the activity's last point): TCX has no lap
        // end time, and TotalTimeSeconds excludes pauses.
        for (std::size_t i = 0; i < a.laps.size(); ++i) {
            if (i + 1 < a.laps.size()) {
                a.laps[i].end_time_ms = a.laps[i + 1].start_time_ms;
            } else if (!a.records.empty()) {
                a.laps[i].end_time_ms = std::max(a.records.back().t_ms, a.laps[i].start_time_ms);
            }
            if (a.laps[i].end_time_ms) {
                a.laps[i].totals.elapsed_time_s =
                    static_cast<double>(*a.laps[i].end_time_ms - a.laps[i].start_time_ms) / 1000.0;
            }
        }
        if (activity.id) {
            a.start_time_ms = activity.id->unix_ms();
        }
        if (!a.laps.empty()) {
            a.device_summary = sum_laps(a.laps);
            // Elapsed time is not a TCX lap field; derived from the lap spans.
            if (auto end = activity_end(a)) {
                a.device_summary->elapsed_time_s =
                    static_cast<double>(*end - a.laps.front().start_time_ms) / 1000.0;
            }
        }
        if (!a.start_time_ms) {
            a.start_time_ms = activity_start(a);
        }
        workout.activities.push_back(std::move(a));
    }
    return workout;
}

formats::Result<Workout> import_tcx(std::string_view xml, const ImportOptions& options) {
    // Lenient import keeps trackpoints that go back in time (the analyzer sorts them).
    auto document = formats::parse_tcx(xml, options.leniency == Leniency::Lenient
                                                ? formats::TcxTimeOrder::Keep
                                                : formats::TcxTimeOrder::Reject);
    if (!document) {
        return tl::unexpected(document.error());
    }
    return workout_from_tcx(*document);
}

} // namespace hearth::sport
