#include "importer/importer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <string_view>
#include <utility>

#include "activity_eval.h"
#include "api/tokens.h"
#include "common/iso8601.h"
#include "export/activity_json.h"
#include "health/sleep_stager.h"
#include "hr_eval.h"
#include "sensor_csv/sensor_table.h"
#include "sleep_eval.h"
#include "steps_eval.h"

namespace hearth::hub {

namespace {

using json = nlohmann::json;
namespace health = engine::health;

constexpr TimestampMs day_ms = 24LL * 3600 * 1000;
// Shorter recordings are naps or workouts, not a night: no sleep result.
constexpr double min_night_s = 3.0 * 3600.0;

TimestampMs floor_div(TimestampMs a, TimestampMs b) {
    const TimestampMs q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

ImportError bad_input(std::string message) {
    return {ImportError::Code::BadInput, std::move(message)};
}

ImportError store_error(const StoreError& e) {
    return {ImportError::Code::Store, "store: " + e.message};
}

bool has_accel(const formats::SensorTable& t) {
    return t.has("ax") && t.has("ay") && t.has("az");
}

bool looks_like_sensor_csv(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
    }
    return text.starts_with("t_s,") || text.starts_with("t_s\n") || text.starts_with("t_s\r");
}

double round_to(double value, int decimals) {
    return sport::rounded(value, decimals);
}

// The value below which `fraction` of the sorted values lie (nearest rank).
double percentile(std::vector<double> values, double fraction) {
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(
        std::floor(fraction * static_cast<double>(values.size() - 1) + 0.5));
    return values[std::min(rank, values.size() - 1)];
}

// Totals of an additive kind recomputed from the parts of every recording of the day, so that
// re-importing a recording (same hash, same part) leaves the document as it was.
void aggregate(const std::string& kind, json& doc) {
    const json& parts = doc["recordings"];
    if (kind == "steps") {
        double total = 0.0;
        double cadence_sum = 0.0;
        double cadence_steps = 0.0;
        for (const auto& [hash, part] : parts.items()) {
            total += part.value("steps", 0.0);
            cadence_sum += part.value("cadence_sum", 0.0);
            cadence_steps += part.value("cadence_steps", 0.0);
        }
        doc["total"] = total;
        if (cadence_steps > 0.0) {
            doc["cadence_spm"] = round_to(cadence_sum / cadence_steps, 1);
        } else {
            doc.erase("cadence_spm");
        }
    } else if (kind == "heart_rate") {
        constexpr double inf = std::numeric_limits<double>::infinity();
        double count = 0.0;
        double sum = 0.0;
        double lo = inf;
        double hi = -inf;
        double resting = inf;
        for (const auto& [hash, part] : parts.items()) {
            count += part.value("count", 0.0);
            sum += part.value("sum", 0.0);
            lo = std::min(lo, part.value("min", inf));
            hi = std::max(hi, part.value("max", -inf));
            resting = std::min(resting, part.value("resting", inf));
        }
        doc["samples"] = count;
        if (count > 0.0) {
            doc["mean"] = round_to(sum / count, 1);
            doc["min"] = round_to(lo, 1);
            doc["max"] = round_to(hi, 1);
            doc["resting"] = round_to(resting, 1);
        }
    } else if (kind == "activity") {
        json minutes = json::object();
        for (const auto& [hash, part] : parts.items()) {
            for (const auto& [name, value] : part["minutes"].items()) {
                minutes[name] = round_to(minutes.value(name, 0.0) + value.get<double>(), 2);
            }
        }
        doc["minutes"] = minutes;
    }
}

// Adds (or replaces) one recording's part of a day's document. Returns whether it was new.
tl::expected<bool, ImportError> merge_part(Store& store, const std::string& day,
                                           const std::string& kind, const std::string& hash,
                                           json part) {
    auto existing = store.health_day(day, kind);
    if (!existing) {
        return tl::unexpected(store_error(existing.error()));
    }
    json doc = existing->value_or(json::object());
    if (!doc.is_object() || !doc.contains("recordings") || !doc["recordings"].is_object()) {
        doc = json::object();
        doc["recordings"] = json::object();
    }
    const bool added = !doc["recordings"].contains(hash);
    doc["recordings"][hash] = std::move(part);
    aggregate(kind, doc);
    if (auto put = store.put_health_day(day, kind, doc); !put) {
        return tl::unexpected(store_error(put.error()));
    }
    return added;
}

struct DayKey {
    std::string day;
    std::string kind;
    friend bool operator<(const DayKey& a, const DayKey& b) {
        return std::tie(a.day, a.kind) < std::tie(b.day, b.kind);
    }
};

tl::expected<PreparedImport, ImportError> prepare_recording(std::string_view text,
                                                            const std::string& file_name,
                                                            const std::string& hash,
                                                            const ImporterOptions& options) {
    auto table = formats::parse_sensor_csv(text);
    if (!table) {
        return tl::unexpected(bad_input(table.error().describe()));
    }
    if (table->rows() == 0) {
        return tl::unexpected(bad_input("the recording has no rows"));
    }
    const TimestampMs origin_ms =
        options.recording.anchor == RecordingTime::Anchor::Start
            ? options.recording.ms
            : options.recording.ms - formats::to_time_ms(table->t_s.back());
    auto day_of = [origin_ms](engine::TimeMs t_ms) { return utc_day(origin_ms + t_ms); };

    PreparedImport result;
    result.file_name = file_name;
    result.format = "csv";
    result.content_hash = hash;
    std::map<DayKey, json> parts;
    const TimestampMs first_ms = origin_ms + formats::to_time_ms(table->t_s.front());
    const TimestampMs last_ms = origin_ms + formats::to_time_ms(table->t_s.back());

    if (has_accel(*table)) {
        auto steps = eval::detect_steps(*table);
        if (!steps) {
            return tl::unexpected(bad_input(steps.error().describe()));
        }
        // Every day the recording covers gets a count, zero included: no steps is a result.
        for (TimestampMs d = floor_div(first_ms, day_ms); d <= floor_div(last_ms, day_ms); ++d) {
            parts[{utc_day(d * day_ms), "steps"}] = {
                {"file", file_name}, {"steps", 0.0}, {"cadence_sum", 0.0}, {"cadence_steps", 0.0}};
        }
        for (const auto& step : *steps) {
            json& part = parts[{day_of(step.t_ms), "steps"}];
            part["steps"] = part["steps"].get<double>() + 1.0;
            if (step.cadence_spm > 0.0F) {
                part["cadence_sum"] =
                    part["cadence_sum"].get<double>() + static_cast<double>(step.cadence_spm);
                part["cadence_steps"] = part["cadence_steps"].get<double>() + 1.0;
            }
        }

        auto segments = eval::classify_activity(*table);
        if (!segments) {
            return tl::unexpected(bad_input(segments.error().describe()));
        }
        for (const auto& seg : *segments) {
            // Split at UTC midnights so each day gets its own minutes.
            TimestampMs from_ms = origin_ms + formats::to_time_ms(seg.start_s);
            const TimestampMs to_ms = origin_ms + formats::to_time_ms(seg.end_s);
            while (from_ms < to_ms) {
                const TimestampMs day_end_ms = (floor_div(from_ms, day_ms) + 1) * day_ms;
                const TimestampMs piece_end_ms = std::min(to_ms, day_end_ms);
                json& part = parts[{utc_day(from_ms), "activity"}];
                if (part.is_null()) {
                    part = {{"file", file_name}, {"minutes", json::object()}};
                }
                const std::string name(health::to_string(seg.activity));
                part["minutes"][name] = part["minutes"].value(name, 0.0) +
                                        static_cast<double>(piece_end_ms - from_ms) / 60000.0;
                from_ms = piece_end_ms;
            }
        }
    }

    std::map<std::string, std::vector<double>> bpm_by_day;
    if (table->has("hr")) {
        for (const auto& s : formats::heart_rate_samples(*table)) {
            if (s.bpm > 0.0F && std::isfinite(s.bpm)) {
                bpm_by_day[day_of(s.t_ms)].push_back(static_cast<double>(s.bpm));
            }
        }
    } else if (table->has("ppg") && has_accel(*table)) {
        auto estimates = eval::estimate_heart_rate(*table);
        if (!estimates) {
            return tl::unexpected(bad_input(estimates.error().describe()));
        }
        for (const auto& e : *estimates) {
            // Motion-corrupted and off-wrist windows would bias the day's figures.
            if (e.quality == engine::Quality::Good && e.bpm > 0.0F) {
                bpm_by_day[day_of(e.t_ms)].push_back(static_cast<double>(e.bpm));
            }
        }
    }
    for (const auto& [day, bpm] : bpm_by_day) {
        double sum = 0.0;
        for (const double b : bpm) {
            sum += b;
        }
        // Resting: the 5th percentile rather than the minimum, which a single artefact sets.
        parts[{day, "heart_rate"}] = {{"file", file_name},
                                      {"count", static_cast<double>(bpm.size())},
                                      {"sum", sum},
                                      {"min", *std::min_element(bpm.begin(), bpm.end())},
                                      {"max", *std::max_element(bpm.begin(), bpm.end())},
                                      {"resting", round_to(percentile(bpm, 0.05), 1)}};
    }

    std::optional<std::pair<std::string, json>> night;
    if (table->has("hr") && (table->has("activity") || has_accel(*table)) &&
        table->duration_s() >= min_night_s) {
        auto epochs = eval::stage_sleep(*table);
        if (!epochs) {
            return tl::unexpected(bad_input(epochs.error().describe()));
        }
        const auto s = health::summarize_sleep(*epochs);
        json j;
        j["epochs"] = epochs->size();
        j["time_in_bed_min"] = round_to(s.time_in_bed_s / 60.0, 1);
        j["time_asleep_min"] = round_to(s.time_asleep_s / 60.0, 1);
        j["efficiency_pct"] = round_to(100.0 * s.efficiency, 1);
        j["sleep_onset_latency_min"] = round_to(s.sleep_onset_latency_s / 60.0, 1);
        j["wake_after_sleep_onset_min"] = round_to(s.wake_after_sleep_onset_s / 60.0, 1);
        j["awakenings"] = s.awakenings;
        j["stages_min"] = {{"wake", round_to(s.wake_s / 60.0, 1)},
                           {"light", round_to(s.light_s / 60.0, 1)},
                           {"deep", round_to(s.deep_s / 60.0, 1)},
                           {"rem", round_to(s.rem_s / 60.0, 1)}};
        j["start_time"] = sport::iso_time(first_ms);
        j["end_time"] = sport::iso_time(last_ms);
        j["recording"] = hash;
        j["file"] = file_name;
        night.emplace(utc_day(last_ms), std::move(j));
    }

    if (parts.empty() && !night) {
        return tl::unexpected(bad_input(
            "no health result: the recording needs ax, ay, az (steps, activity), hr or ppg with "
            "accelerometer (heart rate), or hr with movement for at least 3 h (sleep)"));
    }

    for (auto& [key, part] : parts) {
        if (key.kind == "activity") {
            for (auto& [name, minutes] : part["minutes"].items()) {
                minutes = round_to(minutes.get<double>(), 2);
            }
        }
        result.health_parts.push_back({key.day, key.kind, std::move(part)});
    }
    result.night = std::move(night);
    return result;
}

tl::expected<PreparedImport, ImportError> prepare_activities(std::span<const std::uint8_t> bytes,
                                                             const std::string& file_name,
                                                             const std::string& extension,
                                                             const std::string& hash,
                                                             const ImporterOptions& options) {
    auto workout = sport::import_bytes(bytes, extension, options.activity);
    if (!workout) {
        return tl::unexpected(bad_input(workout.error().describe()));
    }
    if (workout->activities.empty()) {
        return tl::unexpected(bad_input("the file holds no activity"));
    }
    PreparedImport result;
    result.file_name = file_name;
    result.format = std::string(sport::to_string(workout->format));
    result.content_hash = hash;
    result.warnings = workout->warnings;
    for (std::size_t i = 0; i < workout->activities.size(); ++i) {
        const sport::Activity& a = workout->activities[i];
        const nlohmann::ordered_json summary = sport::activity_json(a);
        StoredActivity stored;
        stored.content_hash = i == 0 ? hash : hash + "#" + std::to_string(i);
        stored.file_name = file_name;
        stored.format = result.format;
        stored.sport = std::string(sport::to_string(a.sport));
        stored.summary = json::parse(summary.dump());
        if (auto t = formats::parse_iso8601(summary.value("start_time", std::string()))) {
            stored.start_ms = t->unix_ms();
        }
        result.activities.push_back(std::move(stored));
    }
    return result;
}

} // namespace

std::size_t FileImport::added() const {
    return static_cast<std::size_t>(
        std::count_if(items.begin(), items.end(), [](const ImportedItem& i) { return i.added; }));
}

std::string utc_day(TimestampMs t_ms) {
    const TimestampMs midnight_ms = floor_div(t_ms, day_ms) * day_ms;
    return formats::format_iso8601(formats::UtcTime::from_unix_ms(midnight_ms)).substr(0, 10);
}

tl::expected<PreparedImport, ImportError> prepare_import(std::span<const std::uint8_t> bytes,
                                                         const std::string& file_name,
                                                         const ImporterOptions& options) {
    if (bytes.empty()) {
        return tl::unexpected(bad_input("the file is empty"));
    }
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    const std::string hash = sha256_hex(std::string(text));
    const std::string extension = std::filesystem::path(file_name).extension().string();
    if (sport::detect_format(bytes, extension)) {
        return prepare_activities(bytes, file_name, extension, hash, options);
    }
    if (looks_like_sensor_csv(text)) {
        return prepare_recording(text, file_name, hash, options);
    }
    return tl::unexpected(bad_input("neither a FIT, GPX or TCX activity nor a sensor CSV "
                                    "recording (a header starting with t_s)"));
}

tl::expected<FileImport, ImportError> store_import(Store& store, const PreparedImport& prepared) {
    FileImport result;
    result.format = prepared.format;
    result.content_hash = prepared.content_hash;
    result.warnings = prepared.warnings;
    for (const auto& stored : prepared.activities) {
        auto added = store.add_activity(stored);
        if (!added) {
            return tl::unexpected(store_error(added.error()));
        }
        ImportedItem item;
        item.kind = ImportedKind::Activity;
        item.activity_id = added->first;
        item.added = added->second;
        item.sport = stored.sport;
        item.start_ms = stored.start_ms;
        result.items.push_back(std::move(item));
    }
    for (const auto& part : prepared.health_parts) {
        auto added = merge_part(store, part.day, part.kind, prepared.content_hash, part.part);
        if (!added) {
            return tl::unexpected(added.error());
        }
        ImportedItem item;
        item.kind = ImportedKind::HealthDay;
        item.added = *added;
        item.day = part.day;
        item.health_kind = part.kind;
        result.items.push_back(std::move(item));
    }
    if (prepared.night) {
        const auto& [day, doc] = *prepared.night;
        auto existing = store.health_day(day, "sleep");
        if (!existing) {
            return tl::unexpected(store_error(existing.error()));
        }
        const bool added = !existing->has_value() || !(*existing)->is_object() ||
                           (*existing)->value("recording", std::string()) != prepared.content_hash;
        if (added) {
            if (auto put = store.put_health_day(day, "sleep", doc); !put) {
                return tl::unexpected(store_error(put.error()));
            }
        }
        ImportedItem item;
        item.kind = ImportedKind::HealthDay;
        item.added = added;
        item.day = day;
        item.health_kind = "sleep";
        result.items.push_back(std::move(item));
    }
    return result;
}

tl::expected<FileImport, ImportError> import_bytes(Store& store,
                                                   std::span<const std::uint8_t> bytes,
                                                   const std::string& file_name,
                                                   const ImporterOptions& options) {
    auto prepared = prepare_import(bytes, file_name, options);
    if (!prepared) {
        return tl::unexpected(prepared.error());
    }
    return store_import(store, *prepared);
}

} // namespace hearth::hub
