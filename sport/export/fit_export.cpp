// The workout model to FIT messages through formats/fit's writer. Message and field numbers
// are looked up by their FIT SDK profile names, so only fields the profile knows are written.

#include <cmath>
#include <string>

#include "export/export.h"
#include "fit/fit_profile.h"
#include "fit/fit_writer.h"
#include "metrics/activity_metrics.h"

namespace hearth::sport {
namespace {

namespace fit = formats::fit;

double to_fit_seconds(UtcMs t_ms) {
    return std::floor(static_cast<double>(t_ms) / 1000.0) -
           static_cast<double>(fit::fit_epoch_unix_s);
}

// Collects fields of one message by profile name; unknown names are skipped.
class MessageBuilder {
public:
    explicit MessageBuilder(std::uint16_t global_number) : m_global(global_number) {}

    MessageBuilder& set(std::string_view name, const std::optional<double>& value) {
        if (value && std::isfinite(*value)) {
            if (auto number = fit::field_number(m_global, name)) {
                m_fields.push_back(fit::OutField::scalar(*number, *value));
            }
        }
        return *this;
    }
    MessageBuilder& time(std::string_view name, UtcMs t_ms) {
        return set(name, to_fit_seconds(t_ms));
    }
    MessageBuilder& text(std::string_view name, const std::string& value) {
        if (auto number = fit::field_number(m_global, name)) {
            m_fields.push_back(fit::OutField::string(*number, value));
        }
        return *this;
    }

    formats::Result<void> write(fit::FitWriter& writer) const {
        return writer.write(m_global, m_fields);
    }

private:
    std::uint16_t m_global;
    std::vector<fit::OutField> m_fields;
};

std::optional<double> enum_number(fit::EnumType type, std::string_view name) {
    if (auto v = fit::enum_value(type, name)) {
        return static_cast<double>(*v);
    }
    return std::nullopt;
}

std::optional<double> sport_number(Sport sport) {
    if (sport == Sport::Other) {
        return std::nullopt; // FIT has no "other": leave the field invalid
    }
    return enum_number(fit::EnumType::Sport, to_string(sport));
}

std::optional<double> stroke_number(const std::optional<SwimStroke>& stroke) {
    if (!stroke || *stroke == SwimStroke::Unknown) {
        return std::nullopt;
    }
    return static_cast<double>(*stroke); // enum order follows the FIT swim_stroke values
}

void set_totals(MessageBuilder& m, const Totals& t, Sport sport) {
    m.set("total_elapsed_time", t.elapsed_time_s)
        .set("total_timer_time", t.timer_time_s)
        .set("total_moving_time", t.moving_time_s)
        .set("total_distance", t.distance_m)
        .set("enhanced_avg_speed", t.avg_speed_mps)
        .set("enhanced_max_speed", t.max_speed_mps)
        .set("total_ascent", t.ascent_m ? std::optional(std::round(*t.ascent_m)) : std::nullopt)
        .set("total_descent", t.descent_m ? std::optional(std::round(*t.descent_m)) : std::nullopt)
        .set("avg_heart_rate",
             t.avg_heart_rate_bpm ? std::optional(std::round(*t.avg_heart_rate_bpm)) : std::nullopt)
        .set("max_heart_rate",
             t.max_heart_rate_bpm ? std::optional(std::round(*t.max_heart_rate_bpm)) : std::nullopt)
        .set("min_heart_rate",
             t.min_heart_rate_bpm ? std::optional(std::round(*t.min_heart_rate_bpm)) : std::nullopt)
        .set("avg_power", t.avg_power_w ? std::optional(std::round(*t.avg_power_w)) : std::nullopt)
        .set("max_power", t.max_power_w ? std::optional(std::round(*t.max_power_w)) : std::nullopt)
        .set("normalized_power",
             t.normalized_power_w ? std::optional(std::round(*t.normalized_power_w)) : std::nullopt)
        .set("total_calories",
             t.energy_kcal ? std::optional(std::round(*t.energy_kcal)) : std::nullopt)
        .set("pool_length", t.pool_length_m)
        .set("num_active_lengths", t.active_lengths)
        .set("avg_stance_time", t.avg_ground_contact_time_ms)
        .set("avg_vertical_oscillation", t.avg_vertical_oscillation_mm)
        .set("total_training_effect", t.training_effect)
        .set("total_anaerobic_training_effect", t.anaerobic_training_effect)
        .set("training_stress_score", t.training_stress_score)
        .set("intensity_factor", t.intensity_factor)
        .set("threshold_power", t.threshold_power_w);
    // Cadence: whole rpm in one field, the 1/128 fraction in another.
    if (t.avg_cadence) {
        const double whole = std::floor(*t.avg_cadence);
        m.set("avg_cadence", whole).set("avg_fractional_cadence", *t.avg_cadence - whole);
    }
    if (t.max_cadence) {
        const double whole = std::floor(*t.max_cadence);
        m.set("max_cadence", whole).set("max_fractional_cadence", *t.max_cadence - whole);
    }
    if (t.total_strokes &&
        (sport == Sport::Swimming || sport == Sport::Rowing || sport == Sport::Paddling)) {
        m.set("total_cycles", t.total_strokes);
    }
}

formats::Result<void> write_record(fit::FitWriter& w, const Record& r) {
    MessageBuilder m(fit::mesg::record);
    m.time("timestamp", r.t_ms);
    if (r.lat_deg && r.lon_deg) {
        m.set("position_lat", std::round(fit::deg_to_semicircles(*r.lat_deg)))
            .set("position_long", std::round(fit::deg_to_semicircles(*r.lon_deg)));
    }
    m.set("distance", r.distance_m)
        .set("enhanced_speed", r.speed_mps)
        .set("enhanced_altitude", r.altitude_m)
        .set("heart_rate",
             r.heart_rate_bpm ? std::optional(std::round(*r.heart_rate_bpm)) : std::nullopt)
        .set("power", r.power_w ? std::optional(std::round(*r.power_w)) : std::nullopt)
        .set("temperature",
             r.temperature_c ? std::optional(std::round(*r.temperature_c)) : std::nullopt)
        .set("vertical_oscillation", r.vertical_oscillation_mm)
        .set("stance_time", r.ground_contact_time_ms)
        .set("stance_time_balance", r.stance_time_balance_pct)
        .set("step_length", r.step_length_mm)
        .set("vertical_ratio", r.vertical_ratio_pct)
        .set("enhanced_respiration_rate", r.respiration_rate_brpm);
    if (r.cadence) {
        const double whole = std::floor(*r.cadence);
        m.set("cadence", whole);
        if (*r.cadence - whole > 0.0) {
            m.set("fractional_cadence", *r.cadence - whole);
        }
    }
    if (r.left_right_balance_pct) {
        // Bit 7 marks the value as the right leg's share (FIT left_right_balance type).
        m.set("left_right_balance", std::round(*r.left_right_balance_pct) + 128.0);
    }
    return m.write(w);
}

formats::Result<void> write_timer_event(fit::FitWriter& w, UtcMs t_ms, TimerAction action) {
    MessageBuilder m(fit::mesg::event);
    m.time("timestamp", t_ms)
        .set("event", 0.0)                                            // timer
        .set("event_type", action == TimerAction::Start ? 0.0 : 4.0); // start / stop_all
    return m.write(w);
}

} // namespace

formats::Result<std::vector<std::uint8_t>> export_fit(const Workout& workout) {
    fit::FitWriter w;
    const Activity* first = workout.activities.empty() ? nullptr : &workout.activities.front();
    const UtcMs created = first ? activity_start(*first).value_or(0) : 0;

    MessageBuilder file_id(fit::mesg::file_id);
    file_id.set("type", 4.0); // activity
    const Device device = first ? first->device : Device{};
    std::optional<double> manufacturer;
    if (device.manufacturer) {
        manufacturer = enum_number(fit::EnumType::Manufacturer, *device.manufacturer);
    }
    // 255 is "development": a file written by software rather than a known device.
    file_id.set("manufacturer", manufacturer.value_or(255.0));
    if (manufacturer && device.product) {
        if (auto product = enum_number(fit::EnumType::GarminProduct, *device.product)) {
            file_id.set("product", product);
        } else if (device.product->find_first_not_of("0123456789") == std::string::npos &&
                   device.product->size() <= 5) {
            file_id.set("product", std::stod(*device.product));
        }
    }
    if (device.serial_number) {
        file_id.set("serial_number", static_cast<double>(*device.serial_number));
    }
    file_id.time("time_created", created);
    if (auto r = file_id.write(w); !r) {
        return tl::unexpected(r.error());
    }

    std::optional<UtcMs> last_end;
    std::optional<std::int32_t> tz_offset_s;
    double total_timer_s = 0.0;
    for (const Activity& a : workout.activities) {
        const metrics::SegmentMetrics summary = metrics::activity_metrics(a);
        const UtcMs start = summary.start_ms;
        const UtcMs end = activity_end(a).value_or(start);
        if (a.timezone_offset_s) {
            tz_offset_s = a.timezone_offset_s;
        }
        total_timer_s += summary.totals.timer_time_s.value_or(0.0);

        // Timer events in time order, merged with the records so that the file stays in time
        // order as a device writes it.
        std::vector<TimerEvent> events = a.timer_events;
        if (events.empty()) {
            events.push_back({start, TimerAction::Start});
            events.push_back({end, TimerAction::Stop});
        }
        std::size_t next_event = 0;
        for (const Record& r : a.records) {
            while (next_event < events.size() && events[next_event].t_ms <= r.t_ms) {
                if (auto e =
                        write_timer_event(w, events[next_event].t_ms, events[next_event].action);
                    !e) {
                    return tl::unexpected(e.error());
                }
                ++next_event;
            }
            if (auto e = write_record(w, r); !e) {
                return tl::unexpected(e.error());
            }
        }
        for (; next_event < events.size(); ++next_event) {
            if (auto e = write_timer_event(w, events[next_event].t_ms, events[next_event].action);
                !e) {
                return tl::unexpected(e.error());
            }
        }

        for (const Length& len : a.lengths) {
            MessageBuilder m(fit::mesg::length);
            const UtcMs len_end =
                len.start_time_ms +
                static_cast<UtcMs>(std::llround(len.elapsed_time_s.value_or(0.0) * 1000.0));
            m.time("timestamp", len_end)
                .time("start_time", len.start_time_ms)
                .set("total_elapsed_time", len.elapsed_time_s)
                .set("total_timer_time", len.timer_time_s)
                .set("total_strokes", len.total_strokes)
                .set("avg_speed", len.avg_speed_mps)
                .set("swim_stroke", stroke_number(len.stroke))
                .set("avg_swimming_cadence", len.avg_cadence)
                .set("length_type", len.type == LengthType::Idle ? 0.0 : 1.0);
            if (auto e = m.write(w); !e) {
                return tl::unexpected(e.error());
            }
        }

        std::vector<metrics::SegmentMetrics> laps = metrics::lap_metrics(a);
        if (laps.empty()) {
            laps.push_back(summary); // FIT readers expect at least one lap per session
        }
        for (std::size_t i = 0; i < laps.size(); ++i) {
            const metrics::SegmentMetrics& lap = laps[i];
            MessageBuilder m(fit::mesg::lap);
            UtcMs lap_end = i + 1 < laps.size() ? laps[i + 1].start_ms : end;
            if (i < a.laps.size() && a.laps[i].end_time_ms) {
                lap_end = *a.laps[i].end_time_ms;
            }
            m.time("timestamp", lap_end)
                .time("start_time", lap.start_ms)
                .set("event", 9.0)      // lap
                .set("event_type", 1.0) // stop
                .set("sport", sport_number(a.sport))
                .set("swim_stroke",
                     stroke_number(i < a.laps.size() ? a.laps[i].swim_stroke : std::nullopt));
            set_totals(m, lap.totals, a.sport);
            if (auto e = m.write(w); !e) {
                return tl::unexpected(e.error());
            }
        }

        MessageBuilder session(fit::mesg::session);
        session.time("timestamp", end)
            .time("start_time", start)
            .set("event", 8.0)      // session
            .set("event_type", 1.0) // stop
            .set("sport", sport_number(a.sport))
            .set("num_laps", static_cast<double>(laps.size()));
        if (a.sub_sport) {
            session.set("sub_sport", enum_number(fit::EnumType::SubSport, *a.sub_sport));
        }
        set_totals(session, summary.totals, a.sport);
        if (auto e = session.write(w); !e) {
            return tl::unexpected(e.error());
        }
        last_end = last_end ? std::max(*last_end, end) : end;
    }

    MessageBuilder activity(fit::mesg::activity);
    const UtcMs activity_time = last_end.value_or(created);
    activity.time("timestamp", activity_time)
        .set("total_timer_time", total_timer_s)
        .set("num_sessions", static_cast<double>(workout.activities.size()))
        .set("type", workout.activities.size() > 1 ? 1.0 : 0.0) // auto_multi_sport / manual
        .set("event", 26.0)                                     // activity
        .set("event_type", 1.0);                                // stop
    if (tz_offset_s) {
        activity.set("local_timestamp", to_fit_seconds(activity_time) + *tz_offset_s);
    }
    if (auto e = activity.write(w); !e) {
        return tl::unexpected(e.error());
    }
    return w.finish();
}

} // namespace hearth::sport
