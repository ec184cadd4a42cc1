// FIT messages to the workout model. Field names and enum values follow the FIT SDK global
// profile (Profile.xlsx: file_id, device_info, session, lap, length, record, event, activity).

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "fit/fit_profile.h"
#include "import/import.h"

namespace hearth::sport {
namespace {

namespace fit = formats::fit;

std::optional<double> first_value(const fit::Message& m, std::string_view a,
                                  std::string_view b = {}) {
    if (auto v = m.value(a); v && std::isfinite(*v)) {
        return v;
    }
    if (!b.empty()) {
        if (auto v = m.value(b); v && std::isfinite(*v)) {
            return v;
        }
    }
    return std::nullopt;
}

UtcMs fit_seconds_to_utc_ms(double fit_s) {
    return static_cast<UtcMs>(
        std::llround((fit_s + static_cast<double>(fit::fit_epoch_unix_s)) * 1000.0));
}

std::optional<UtcMs> message_time(const fit::Message& m) {
    if (auto t = m.timestamp()) {
        return fit_seconds_to_utc_ms(static_cast<double>(*t));
    }
    return std::nullopt;
}

std::optional<UtcMs> field_time(const fit::Message& m, std::string_view name) {
    if (auto v = m.value(name)) {
        return fit_seconds_to_utc_ms(*v);
    }
    return std::nullopt;
}

std::string_view enum_text(const fit::Message& m, std::string_view name) {
    const fit::Field* f = m.field(name);
    if (f == nullptr || !f->valid) {
        return {};
    }
    return f->enum_name;
}

Sport sport_from_fit(const fit::Message& m) {
    const fit::Field* f = m.field("sport");
    if (f == nullptr || !f->valid) {
        return Sport::Generic;
    }
    if (f->enum_name.empty()) {
        return Sport::Other; // a sport number this profile does not name
    }
    return parse_sport(f->enum_name);
}

std::optional<SwimStroke> stroke_from_fit(const fit::Message& m, std::string_view name) {
    const fit::Field* f = m.field(name);
    if (f == nullptr || !f->valid) {
        return std::nullopt;
    }
    // FIT swim_stroke: 0 freestyle, 1 backstroke, 2 breaststroke, 3 butterfly, 4 drill,
    // 5 mixed, 6 im.
    switch (f->raw) {
    case 0:
        return SwimStroke::Freestyle;
    case 1:
        return SwimStroke::Backstroke;
    case 2:
        return SwimStroke::Breaststroke;
    case 3:
        return SwimStroke::Butterfly;
    case 4:
        return SwimStroke::Drill;
    case 5:
        return SwimStroke::Mixed;
    case 6:
        return SwimStroke::IndividualMedley;
    default:
        return SwimStroke::Unknown;
    }
}

// Integer cadence plus its fractional part (FIT stores 1/128 rpm in a separate field).
std::optional<double> cadence_with_fraction(const fit::Message& m, std::string_view whole,
                                            std::string_view fraction) {
    auto c = first_value(m, whole);
    if (!c) {
        return std::nullopt;
    }
    if (auto frac = first_value(m, fraction)) {
        return *c + *frac;
    }
    return c;
}

bool counts_strokes(Sport sport) {
    return sport == Sport::Swimming || sport == Sport::Rowing || sport == Sport::Paddling;
}

Totals totals_from_fit(const fit::Message& m, Sport sport) {
    Totals t;
    t.elapsed_time_s = first_value(m, "total_elapsed_time");
    t.timer_time_s = first_value(m, "total_timer_time");
    t.moving_time_s = first_value(m, "total_moving_time");
    t.distance_m = first_value(m, "total_distance");
    t.avg_speed_mps = first_value(m, "enhanced_avg_speed", "avg_speed");
    t.max_speed_mps = first_value(m, "enhanced_max_speed", "max_speed");
    t.ascent_m = first_value(m, "total_ascent");
    t.descent_m = first_value(m, "total_descent");
    t.avg_heart_rate_bpm = first_value(m, "avg_heart_rate");
    t.max_heart_rate_bpm = first_value(m, "max_heart_rate");
    t.min_heart_rate_bpm = first_value(m, "min_heart_rate");
    t.avg_cadence = cadence_with_fraction(m, "avg_cadence", "avg_fractional_cadence");
    t.max_cadence = cadence_with_fraction(m, "max_cadence", "max_fractional_cadence");
    t.avg_power_w = first_value(m, "avg_power");
    t.max_power_w = first_value(m, "max_power");
    t.normalized_power_w = first_value(m, "normalized_power");
    t.energy_kcal = first_value(m, "total_calories");
    t.pool_length_m = first_value(m, "pool_length");
    t.active_lengths = first_value(m, "num_active_lengths");
    if (counts_strokes(sport)) {
        // total_cycles is read as total_strokes for these sports (dynamic sub-field).
        t.total_strokes = first_value(m, "total_strokes", "total_cycles");
    }
    t.avg_ground_contact_time_ms = first_value(m, "avg_stance_time");
    t.avg_vertical_oscillation_mm = first_value(m, "avg_vertical_oscillation");
    t.training_effect = first_value(m, "total_training_effect");
    t.anaerobic_training_effect = first_value(m, "total_anaerobic_training_effect");
    t.training_stress_score = first_value(m, "training_stress_score");
    t.intensity_factor = first_value(m, "intensity_factor");
    t.threshold_power_w = first_value(m, "threshold_power");
    t.avg_temperature_c = first_value(m, "avg_temperature");
    t.max_altitude_m = first_value(m, "enhanced_max_altitude", "max_altitude");
    t.min_altitude_m = first_value(m, "enhanced_min_altitude", "min_altitude");
    return t;
}

Record record_from_fit(const fit::Message& m, UtcMs t_ms) {
    Record r;
    r.t_ms = t_ms;
    auto lat = first_value(m, "position_lat");
    auto lon = first_value(m, "position_long");
    if (lat && lon && std::abs(*lat) <= 2147483647.0 && std::abs(*lon) <= 2147483647.0) {
        const double lat_deg = fit::semicircles_to_deg(*lat);
        const double lon_deg = fit::semicircles_to_deg(*lon);
        if (std::abs(lat_deg) <= 90.0 && std::abs(lon_deg) <= 180.0) {
            r.lat_deg = lat_deg;
            r.lon_deg = lon_deg;
        }
    }
    r.distance_m = first_value(m, "distance");
    r.speed_mps = first_value(m, "enhanced_speed", "speed");
    r.altitude_m = first_value(m, "enhanced_altitude", "altitude");
    r.heart_rate_bpm = first_value(m, "heart_rate");
    r.cadence = cadence_with_fraction(m, "cadence", "fractional_cadence");
    r.power_w = first_value(m, "power");
    r.temperature_c = first_value(m, "temperature");
    r.vertical_oscillation_mm = first_value(m, "vertical_oscillation");
    r.ground_contact_time_ms = first_value(m, "stance_time");
    r.stance_time_balance_pct = first_value(m, "stance_time_balance");
    r.step_length_mm = first_value(m, "step_length");
    r.vertical_ratio_pct = first_value(m, "vertical_ratio");
    r.respiration_rate_brpm = first_value(m, "enhanced_respiration_rate", "respiration_rate");
    if (const fit::Field* f = m.field("left_right_balance"); f != nullptr && f->valid) {
        // Bit 7 set: the low 7 bits are the right leg's share in percent (FIT profile
        // left_right_balance type); without it the side is unknown, so nothing is claimed.
        if ((f->raw & 0x80U) != 0U) {
            r.left_right_balance_pct = static_cast<double>(f->raw & 0x7FU);
        }
    }
    return r;
}

std::optional<LapTrigger> lap_trigger_from_fit(const fit::Message& m) {
    const std::string_view name = enum_text(m, "lap_trigger");
    if (name.empty()) {
        return std::nullopt;
    }
    if (name == "manual") {
        return LapTrigger::Manual;
    }
    if (name == "time") {
        return LapTrigger::Time;
    }
    if (name == "distance") {
        return LapTrigger::Distance;
    }
    if (name.starts_with("position")) {
        return LapTrigger::Position;
    }
    if (name == "session_end") {
        return LapTrigger::SessionEnd;
    }
    return LapTrigger::Other;
}

std::string device_text(const fit::Message& m, std::string_view name) {
    const fit::Field* f = m.field(name);
    if (f == nullptr || !f->valid) {
        return {};
    }
    if (!f->enum_name.empty()) {
        return std::string(f->enum_name);
    }
    if (!f->text.empty()) {
        return f->text;
    }
    return std::to_string(f->raw);
}

Device device_from_fit(const fit::Message& m) {
    Device d;
    if (auto s = device_text(m, "manufacturer"); !s.empty()) {
        d.manufacturer = s;
    }
    for (std::string_view name : {"garmin_product", "favero_product", "product", "product_name"}) {
        if (auto s = device_text(m, name); !s.empty()) {
            d.product = s;
            break;
        }
    }
    if (auto serial = first_value(m, "serial_number")) {
        d.serial_number = static_cast<std::uint32_t>(*serial);
    }
    if (auto sw = first_value(m, "software_version")) {
        d.software_version = std::to_string(*sw);
        // Trim the trailing zeros std::to_string leaves (e.g. "3.400000" -> "3.4").
        auto& text = *d.software_version;
        if (text.find('.') != std::string::npos) {
            while (!text.empty() && text.back() == '0') {
                text.pop_back();
            }
            if (!text.empty() && text.back() == '.') {
                text.pop_back();
            }
        }
    }
    return d;
}

struct SessionSpan {
    UtcMs start_ms = 0;
    Activity activity;
};

// Index of the session a time belongs to: the last one starting at or before it (times before
// the first session go to the first).
std::size_t session_for(const std::vector<SessionSpan>& sessions, UtcMs t_ms) {
    std::size_t index = 0;
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        if (sessions[i].start_ms <= t_ms) {
            index = i;
        }
    }
    return index;
}

} // namespace

Workout workout_from_fit(const fit::FitFile& file) {
    Workout workout;
    workout.format = FileFormat::Fit;

    Device device;
    std::optional<std::int32_t> tz_offset_s;
    std::optional<Sport> sport_message_sport;
    std::optional<std::string> sport_message_sub;
    std::vector<SessionSpan> sessions;

    for (const fit::Message& m : file.messages) {
        switch (m.global_number) {
        case fit::mesg::file_id:
            if (!device.manufacturer && !device.product) {
                const Device d = device_from_fit(m);
                device.manufacturer = d.manufacturer;
                device.product = d.product;
                device.serial_number = d.serial_number;
            }
            break;
        case fit::mesg::device_info: {
            // device_index 0 is the creator: the device that recorded the file.
            auto index = first_value(m, "device_index");
            if (index && *index == 0.0) {
                const Device d = device_from_fit(m);
                if (!device.software_version) {
                    device.software_version = d.software_version;
                }
                if (!device.manufacturer) {
                    device.manufacturer = d.manufacturer;
                }
                if (!device.product) {
                    device.product = d.product;
                }
            }
            break;
        }
        case fit::mesg::activity: {
            auto ts = m.timestamp();
            auto local = first_value(m, "local_timestamp");
            if (ts && local) {
                const double offset = *local - static_cast<double>(*ts);
                // Real offsets are within a day; anything else is a corrupt field.
                if (std::abs(offset) <= 86400.0) {
                    tz_offset_s = static_cast<std::int32_t>(offset);
                }
            }
            break;
        }
        case fit::mesg::sport:
            sport_message_sport = sport_from_fit(m);
            if (auto s = enum_text(m, "sub_sport"); !s.empty()) {
                sport_message_sub = std::string(s);
            }
            break;
        case fit::mesg::session: {
            SessionSpan span;
            Activity& a = span.activity;
            a.sport = sport_from_fit(m);
            if (auto s = enum_text(m, "sub_sport"); !s.empty()) {
                a.sub_sport = std::string(s);
            }
            a.device_summary = totals_from_fit(m, a.sport);
            a.start_time_ms = field_time(m, "start_time");
            if (!a.start_time_ms) {
                if (auto end = message_time(m); end && a.device_summary->elapsed_time_s) {
                    a.start_time_ms =
                        *end - static_cast<UtcMs>(*a.device_summary->elapsed_time_s * 1000.0);
                } else {
                    a.start_time_ms = end;
                }
            }
            span.start_ms = a.start_time_ms.value_or(0);
            sessions.push_back(std::move(span));
            break;
        }
        default:
            break;
        }
    }

    std::stable_sort(
        sessions.begin(), sessions.end(),
        [](const SessionSpan& a, const SessionSpan& b) { return a.start_ms < b.start_ms; });
    const bool has_sessions = !sessions.empty();
    if (!has_sessions) {
        // No session message (a truncated or minimal file): one activity with everything.
        SessionSpan span;
        span.activity.sport = sport_message_sport.value_or(Sport::Generic);
        span.activity.sub_sport = sport_message_sub;
        sessions.push_back(std::move(span));
    }

    for (const fit::Message& m : file.messages) {
        const auto t = message_time(m);
        switch (m.global_number) {
        case fit::mesg::record: {
            if (!t) {
                break; // a record without any time cannot be placed
            }
            Activity& a = sessions[session_for(sessions, *t)].activity;
            a.records.push_back(record_from_fit(m, *t));
            break;
        }
        case fit::mesg::lap: {
            Lap lap;
            auto start = field_time(m, "start_time");
            lap.end_time_ms = t;
            Sport lap_sport = sport_from_fit(m);
            lap.totals = totals_from_fit(m, lap_sport);
            if (!start && t && lap.totals.elapsed_time_s) {
                start = *t - static_cast<UtcMs>(*lap.totals.elapsed_time_s * 1000.0);
            }
            if (!start) {
                start = t;
            }
            if (!start) {
                break;
            }
            lap.start_time_ms = *start;
            lap.swim_stroke = stroke_from_fit(m, "swim_stroke");
            lap.trigger = lap_trigger_from_fit(m);
            Activity& a = sessions[session_for(sessions, lap.start_time_ms)].activity;
            if (lap_sport != Sport::Generic && counts_strokes(a.sport) &&
                !lap.totals.total_strokes) {
                lap.totals.total_strokes = first_value(m, "total_strokes", "total_cycles");
            }
            if (!has_sessions && a.sport == Sport::Generic) {
                a.sport = lap_sport;
            }
            a.laps.push_back(lap);
            break;
        }
        case fit::mesg::length: {
            Length len;
            auto start = field_time(m, "start_time");
            if (!start) {
                start = t;
            }
            if (!start) {
                break;
            }
            len.start_time_ms = *start;
            len.elapsed_time_s = first_value(m, "total_elapsed_time");
            len.timer_time_s = first_value(m, "total_timer_time");
            len.total_strokes = first_value(m, "total_strokes");
            len.avg_speed_mps = first_value(m, "avg_speed");
            len.avg_cadence = first_value(m, "avg_swimming_cadence");
            len.stroke = stroke_from_fit(m, "swim_stroke");
            // length_type: 0 idle (rest), 1 active.
            if (const fit::Field* f = m.field("length_type"); f != nullptr && f->valid) {
                len.type = f->raw == 0 ? LengthType::Idle : LengthType::Active;
            }
            Activity& a = sessions[session_for(sessions, len.start_time_ms)].activity;
            a.lengths.push_back(len);
            break;
        }
        case fit::mesg::event: {
            if (!t) {
                break;
            }
            const fit::Field* event = m.field("event");
            const fit::Field* type = m.field("event_type");
            if (event == nullptr || type == nullptr || !event->valid || !type->valid ||
                event->raw != 0) {
                break; // only timer events (event 0) mark pauses
            }
            // event_type: 0 start, 1 stop, 4 stop_all, 8 stop_disable, 9 stop_disable_all.
            TimerEvent e;
            e.t_ms = *t;
            if (type->raw == 0) {
                e.action = TimerAction::Start;
            } else if (type->raw == 1 || type->raw == 4 || type->raw == 8 || type->raw == 9) {
                e.action = TimerAction::Stop;
            } else {
                break;
            }
            Activity& a = sessions[session_for(sessions, *t)].activity;
            a.timer_events.push_back(e);
            break;
        }
        default:
            break;
        }
    }

    for (SessionSpan& span : sessions) {
        Activity& a = span.activity;
        a.device = device;
        a.timezone_offset_s = tz_offset_s;
        auto by_time = [](const auto& x, const auto& y) { return x.t_ms < y.t_ms; };
        std::stable_sort(a.records.begin(), a.records.end(), by_time);
        std::stable_sort(a.timer_events.begin(), a.timer_events.end(), by_time);
        std::stable_sort(a.laps.begin(), a.laps.end(), [](const Lap& x, const Lap& y) {
            return x.start_time_ms < y.start_time_ms;
        });
        std::stable_sort(a.lengths.begin(), a.lengths.end(), [](const Length& x, const Length& y) {
            return x.start_time_ms < y.start_time_ms;
        });
        // Some devices (Fenix 2 multisport) write a first session start_time well after the
        // records begin; the activity starts where its data does.
        if (!a.records.empty() && (!a.start_time_ms || a.records.front().t_ms < *a.start_time_ms)) {
            a.start_time_ms = a.records.front().t_ms;
        }
        if (!a.start_time_ms) {
            a.start_time_ms = activity_start(a);
        }
        const bool empty =
            a.records.empty() && a.laps.empty() && a.lengths.empty() && !a.device_summary;
        if (!empty) {
            workout.activities.push_back(std::move(a));
        }
    }
    return workout;
}

formats::Result<Workout> import_fit(std::span<const std::uint8_t> bytes,
                                    const ImportOptions& options) {
    fit::DecodeOptions decode;
    if (options.leniency == Leniency::Lenient) {
        decode.crc = fit::CrcCheck::Skip;
        decode.on_error = fit::ErrorMode::Lenient;
    }
    auto file = fit::decode_fit(bytes, decode);
    if (!file) {
        return tl::unexpected(file.error());
    }
    Workout workout = workout_from_fit(*file);
    if (file->error) {
        workout.warnings.push_back("decoding stopped early, showing what decoded before it: " +
                                   file->error->describe());
    }
    return workout;
}

} // namespace hearth::sport
