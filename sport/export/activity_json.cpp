#include "export/activity_json.h"

#include <cmath>

#include "common/iso8601.h"

namespace hearth::sport {

using json = nlohmann::ordered_json;

std::string iso_time(UtcMs t_ms) {
    return formats::format_iso8601(formats::UtcTime::from_unix_ms(t_ms));
}

// JSON numbers rounded to what the measurement supports, so that output is stable and short.
double rounded(double value, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

namespace {

void put(json& j, const char* key, const std::optional<double>& value, int decimals = 3) {
    if (value && std::isfinite(*value)) {
        j[key] = rounded(*value, decimals);
    }
}

void put_totals(json& j, const Totals& t) {
    put(j, "elapsed_time_s", t.elapsed_time_s);
    put(j, "timer_time_s", t.timer_time_s);
    put(j, "moving_time_s", t.moving_time_s);
    put(j, "distance_m", t.distance_m, 2);
    put(j, "avg_speed_mps", t.avg_speed_mps);
    put(j, "max_speed_mps", t.max_speed_mps);
    put(j, "ascent_m", t.ascent_m, 1);
    put(j, "descent_m", t.descent_m, 1);
    put(j, "avg_heart_rate_bpm", t.avg_heart_rate_bpm, 1);
    put(j, "max_heart_rate_bpm", t.max_heart_rate_bpm, 1);
    put(j, "min_heart_rate_bpm", t.min_heart_rate_bpm, 1);
    put(j, "avg_cadence", t.avg_cadence, 1);
    put(j, "max_cadence", t.max_cadence, 1);
    put(j, "avg_power_w", t.avg_power_w, 1);
    put(j, "max_power_w", t.max_power_w, 1);
    put(j, "normalized_power_w", t.normalized_power_w, 1);
    put(j, "energy_kcal", t.energy_kcal, 1);
    put(j, "pool_length_m", t.pool_length_m, 2);
    put(j, "active_lengths", t.active_lengths, 0);
    put(j, "total_strokes", t.total_strokes, 0);
    put(j, "steps", t.steps, 0);
    put(j, "avg_ground_contact_time_ms", t.avg_ground_contact_time_ms, 1);
    put(j, "avg_vertical_oscillation_mm", t.avg_vertical_oscillation_mm, 1);
    put(j, "training_effect", t.training_effect, 1);
    put(j, "anaerobic_training_effect", t.anaerobic_training_effect, 1);
    put(j, "training_stress_score", t.training_stress_score, 1);
    put(j, "intensity_factor", t.intensity_factor, 3);
    put(j, "threshold_power_w", t.threshold_power_w, 0);
    put(j, "avg_temperature_c", t.avg_temperature_c, 1);
    put(j, "max_altitude_m", t.max_altitude_m, 1);
    put(j, "min_altitude_m", t.min_altitude_m, 1);
}

} // namespace

json activity_json(const Activity& a, const metrics::MetricsOptions& options) {
    const metrics::SegmentMetrics s = metrics::activity_metrics(a, options);
    json j;
    j["sport"] = std::string(to_string(a.sport));
    if (a.sub_sport) {
        j["sub_sport"] = *a.sub_sport;
    }
    if (a.name) {
        j["name"] = *a.name;
    }
    j["start_time"] = iso_time(s.start_ms);
    if (a.timezone_offset_s) {
        j["timezone_offset_s"] = *a.timezone_offset_s;
    }
    if (a.device.manufacturer || a.device.product) {
        json d = json::object();
        if (a.device.manufacturer) {
            d["manufacturer"] = *a.device.manufacturer;
        }
        if (a.device.product) {
            d["product"] = *a.device.product;
        }
        if (a.device.serial_number) {
            d["serial_number"] = *a.device.serial_number;
        }
        if (a.device.software_version) {
            d["software_version"] = *a.device.software_version;
        }
        j["device"] = d;
    }
    j["summary_source"] = a.device_summary ? "device" : "computed";
    put_totals(j, s.totals);
    put(j, "pause_time_s", s.pause_time_s);
    put(j, "avg_moving_speed_mps", s.avg_moving_speed_mps);
    put(j, "pace_s_per_km", s.avg_pace_s_per_km, 1);
    put(j, "avg_cadence_steps_per_min", s.avg_cadence_steps_per_min, 1);
    put(j, "max_cadence_steps_per_min", s.max_cadence_steps_per_min, 1);
    if (s.grade_adjusted) {
        put(j, "grade_adjusted_pace_s_per_km", s.grade_adjusted->pace_s_per_km(), 1);
    }
    if (s.swim) {
        put(j, "swolf", s.swim->avg_swolf, 1);
        put(j, "pace_s_per_100m", s.swim->pace_s_per_100m, 1);
        put(j, "avg_strokes_per_length", s.swim->avg_strokes_per_length, 1);
        put(j, "rest_time_s", s.swim->rest_time_s, 1);
    }
    put(j, "avg_stance_time_balance_pct", s.avg_stance_time_balance_pct, 1);
    put(j, "avg_step_length_mm", s.avg_step_length_mm, 1);
    put(j, "avg_vertical_ratio_pct", s.avg_vertical_ratio_pct, 2);
    put(j, "trimp", s.trimp, 1);
    if (s.energy_source && !s.totals.energy_kcal) {
        put(j, "energy_kcal", s.energy_kcal, 1);
    }
    if (s.energy_source) {
        j["energy_source"] = *s.energy_source == metrics::EnergySource::Device  ? "device"
                             : *s.energy_source == metrics::EnergySource::Power ? "power"
                                                                                : "heart_rate";
    }
    if (s.heart_rate_zones) {
        json zones = json::array();
        const auto& z = *s.heart_rate_zones;
        for (std::size_t k = 0; k < z.time_s.size(); ++k) {
            zones.push_back({{"zone", k + 1},
                             {"min_bpm", rounded(z.lower_bpm[k], 0)},
                             {"time_s", rounded(z.time_s[k], 1)}});
        }
        j["heart_rate_zones"] = {{"below_zone1_s", rounded(z.below_s, 1)}, {"zones", zones}};
    }
    if (s.power) {
        const auto& p = *s.power;
        json pj = {{"avg_w", rounded(p.avg_w, 1)},
                   {"max_w", rounded(p.max_w, 1)},
                   {"work_kj", rounded(p.work_kj, 1)}};
        put(pj, "normalized_w", p.normalized_w, 1);
        put(pj, "variability_index", p.variability_index, 3);
        put(pj, "intensity_factor", p.intensity_factor, 3);
        put(pj, "training_stress_score", p.training_stress_score, 1);
        json bests = json::array();
        for (const auto& b : p.bests) {
            bests.push_back(
                {{"duration_s", rounded(b.duration_s, 0)}, {"mean_w", rounded(b.mean_w, 1)}});
        }
        pj["bests"] = bests;
        j["power"] = pj;
    }
    if (!s.splits_km.empty()) {
        json splits = json::array();
        for (const auto& sp : s.splits_km) {
            splits.push_back({{"distance_m", rounded(sp.distance_m, 1)},
                              {"duration_s", rounded(sp.duration_s, 1)},
                              {"pace_s_per_km", rounded(sp.pace_s_per_km(), 1)}});
        }
        j["splits"] = splits;
    }
    if (!s.best_efforts.empty()) {
        json bests = json::array();
        for (const auto& b : s.best_efforts) {
            bests.push_back({{"distance_m", rounded(b.distance_m, 1)},
                             {"duration_s", rounded(b.duration_s, 1)}});
        }
        j["best_efforts"] = bests;
    }
    json laps = json::array();
    const auto lap_metrics = metrics::lap_metrics(a, options);
    for (std::size_t i = 0; i < lap_metrics.size(); ++i) {
        const auto& lap = lap_metrics[i];
        json lj;
        lj["start_time"] = iso_time(lap.start_ms);
        put_totals(lj, lap.totals);
        put(lj, "pace_s_per_km", lap.avg_pace_s_per_km, 1);
        if (i < a.laps.size() && a.laps[i].swim_stroke) {
            lj["swim_stroke"] = std::string(to_string(*a.laps[i].swim_stroke));
        }
        laps.push_back(lj);
    }
    j["laps"] = laps;
    j["lengths"] = a.lengths.size();
    j["records"] = a.records.size();
    return j;
}

} // namespace hearth::sport
