#include "devices/watch.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <span>

#include "core/entity.h"
#include "health/activity_classifier.h"
#include "health/heart_rate.h"
#include "health/sleep_detector.h"
#include "health/sleep_stager.h"
#include "health/step_counter.h"

namespace hearth::hub {

namespace eh = engine::health;
using json = nlohmann::json;

namespace {

constexpr std::int64_t epoch_ms = 30'000;
constexpr std::int64_t day_ms = 86'400'000;
// Sleep history kept for live staging: 12 h, well inside the stager's 16 h.
constexpr std::size_t history_epochs = 1440;
// Staging needs some context; fewer epochs than this are not staged.
constexpr std::size_t min_staged_epochs = 20;
constexpr std::int64_t max_t0_ms = 4'102'444'800'000; // year 2100
constexpr std::size_t max_event_bytes = 16 * 1024;
constexpr std::size_t stage_lag_epochs = 10;

bool is_workout_activity(eh::Activity a) {
    return a == eh::Activity::Running || a == eh::Activity::Cycling || a == eh::Activity::Swimming;
}

bool valid_event_type(const std::string& type) {
    return !type.empty() && type.size() <= 64 && std::all_of(type.begin(), type.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || c == '_';
    });
}

struct Stream {
    double rate_hz = 0.0;
    std::vector<std::array<float, 3>> values; // one value uses [0]
};

// Reads {"rate_hz": r, "values": [...]}; `axes` is 1 (numbers) or 3 ([x,y,z] arrays).
std::optional<std::string> parse_stream(const json& j, std::size_t axes, Stream& out) {
    if (!j.is_object() || !j.contains("rate_hz") || !j["rate_hz"].is_number() ||
        !j.contains("values") || !j["values"].is_array()) {
        return "needs {\"rate_hz\": number, \"values\": [...]}";
    }
    out.rate_hz = j["rate_hz"].get<double>();
    if (!(out.rate_hz >= 0.1 && out.rate_hz <= WatchAdapter::max_rate_hz)) {
        return "rate_hz must be 0.1-" + std::to_string(WatchAdapter::max_rate_hz);
    }
    const auto& values = j["values"];
    const double max_count = out.rate_hz * static_cast<double>(WatchAdapter::max_batch_ms) / 1000.0;
    if (static_cast<double>(values.size()) > max_count + 1.0) {
        return "more than " + std::to_string(WatchAdapter::max_batch_ms / 1000) + " s of values";
    }
    out.values.reserve(values.size());
    for (const auto& v : values) {
        std::array<float, 3> sample{};
        if (axes == 1) {
            if (!v.is_number() || !std::isfinite(v.get<double>())) {
                return "values must be finite numbers";
            }
            sample[0] = v.get<float>();
        } else {
            if (!v.is_array() || v.size() != 3) {
                return "values must be [x, y, z] arrays";
            }
            for (std::size_t k = 0; k < 3; ++k) {
                if (!v[k].is_number() || !std::isfinite(v[k].get<double>())) {
                    return "values must be finite numbers";
                }
                sample[k] = v[k].get<float>();
            }
        }
        out.values.push_back(sample);
    }
    return std::nullopt;
}

engine::TimeMs sample_time(std::int64_t t0_ms, const Stream& s, std::size_t i) {
    return t0_ms +
           static_cast<std::int64_t>(std::llround(static_cast<double>(i) * 1000.0 / s.rate_hz));
}

} // namespace

struct WatchAdapter::Watch {
    std::string id;
    std::string slug;
    std::unique_ptr<eh::HeartRateEstimator> heart = std::make_unique<eh::HeartRateEstimator>();
    std::unique_ptr<eh::StepCounter> steps = std::make_unique<eh::StepCounter>();
    std::unique_ptr<eh::ActivityClassifier> activity = std::make_unique<eh::ActivityClassifier>();
    std::unique_ptr<eh::SleepDetector> detector;
    std::unique_ptr<eh::SleepStager> stager; // made at the first re-staging
    std::optional<std::int64_t> end_ms;      // end of the last batch

    std::optional<float> bpm;
    std::string hr_quality = "good";
    std::optional<std::int64_t> day;
    std::uint64_t steps_today = 0;
    std::uint64_t steps_seen = 0; // the counter's total at the last batch
    std::optional<eh::Activity> current_activity;

    bool in_workout = false;
    std::string workout_sport;
    std::int64_t workout_start_ms = 0;
    std::optional<std::int64_t> workout_candidate_ms; // change of workout state pending since

    std::optional<std::int64_t> high_since_ms;
    std::optional<std::int64_t> low_since_ms;
    bool high_alerted = false;
    bool low_alerted = false;

    // Per-epoch sleep inputs; epoch k starts at history_start_ms + k * 30 s.
    std::int64_t history_start_ms = 0;
    std::vector<float> hr_sum;
    std::vector<std::uint16_t> hr_n;
    std::vector<float> motion_sum;
    std::vector<std::uint32_t> motion_n;
    float last_norm = -1.0F;
    std::optional<std::int64_t> next_detect_ms; // the next epoch for the detector
    std::optional<std::int64_t> last_restage_ms;
    std::optional<eh::SleepStage> stage; // the stager's, while asleep
    bool sleep_known = false;            // the detector has decided at least one epoch
    bool asleep = false;
    bool available = true;

    std::string entity(const char* what) const { return "sensor." + slug + "_" + what; }

    std::optional<std::size_t> epoch_index(std::int64_t t_ms) {
        if (hr_sum.empty()) {
            history_start_ms = t_ms - (t_ms % epoch_ms);
        }
        if (t_ms < history_start_ms) {
            return std::nullopt;
        }
        auto k = static_cast<std::size_t>((t_ms - history_start_ms) / epoch_ms);
        if (k >= history_epochs) {
            // Forget the oldest epochs so that the history stays bounded.
            const std::size_t drop = k - history_epochs + 1;
            const auto erase = [drop](auto& v) {
                v.erase(v.begin(),
                        v.begin() + static_cast<std::ptrdiff_t>(std::min(drop, v.size())));
            };
            erase(hr_sum);
            erase(hr_n);
            erase(motion_sum);
            erase(motion_n);
            history_start_ms += static_cast<std::int64_t>(drop) * epoch_ms;
            k -= drop;
        }
        if (hr_sum.size() <= k) {
            hr_sum.resize(k + 1, 0.0F);
            hr_n.resize(k + 1, 0);
            motion_sum.resize(k + 1, 0.0F);
            motion_n.resize(k + 1, 0);
        }
        return k;
    }

    void add_hr(std::int64_t t_ms, float value) {
        if (auto k = epoch_index(t_ms)) {
            hr_sum[*k] += value;
            hr_n[*k] = static_cast<std::uint16_t>(std::min<int>(hr_n[*k] + 1, 60000));
        }
    }

    // Movement index after van Hees-like practice: the mean absolute change of |a| between
    // consecutive samples; the stager normalises it per night, so the scale does not matter.
    void add_accel(std::int64_t t_ms, const std::array<float, 3>& a) {
        const float norm = std::sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
        if (last_norm >= 0.0F) {
            if (auto k = epoch_index(t_ms)) {
                motion_sum[*k] += std::fabs(norm - last_norm);
                ++motion_n[*k];
            }
        }
        last_norm = norm;
    }
};

WatchAdapter::WatchAdapter(WatchConfig config) : m_config(std::move(config)) {}
WatchAdapter::~WatchAdapter() = default;

std::vector<std::string> WatchAdapter::subscriptions() const {
    return {m_config.base_topic + "/+/samples", m_config.base_topic + "/+/event",
            m_config.base_topic + "/+/availability"};
}

bool WatchAdapter::accepts(const std::string& topic) const {
    const auto filters = subscriptions();
    return std::any_of(filters.begin(), filters.end(),
                       [&](const std::string& f) { return mqtt_topic_matches(f, topic); });
}

bool WatchAdapter::owns(const std::string& entity_id) const {
    for (const auto& [id, w] : m_watches) {
        if (entity_id.rfind("sensor." + w->slug + "_", 0) == 0) {
            return true;
        }
    }
    return false;
}

CommandOutcome WatchAdapter::command(const ServiceCall& call) {
    CommandOutcome out;
    out.error = call.entity_id + " is a read-only watch sensor";
    return out;
}

MessageOutcome WatchAdapter::on_message(const MqttMessage& message) {
    MessageOutcome out;
    const std::string prefix = m_config.base_topic + "/";
    if (message.topic.rfind(prefix, 0) != 0) {
        out.error = "not a watch topic: " + message.topic;
        return out;
    }
    const std::string rest = message.topic.substr(prefix.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos || slash == 0 || slash > 64) {
        out.error = "bad watch id in " + message.topic;
        return out;
    }
    const std::string id = rest.substr(0, slash);
    const std::string kind = rest.substr(slash + 1);
    if (message.payload.size() > max_payload_bytes) {
        out.error =
            message.topic + ": payload larger than " + std::to_string(max_payload_bytes) + " bytes";
        return out;
    }
    auto it = m_watches.find(id);
    if (it == m_watches.end()) {
        if (m_watches.size() >= 64) {
            out.error = "too many watches; ignoring " + id;
            return out;
        }
        auto w = std::make_unique<Watch>();
        w->id = id;
        w->slug = slugify(id);
        it = m_watches.emplace(id, std::move(w)).first;
    }
    Watch& w = *it->second;
    if (kind == "samples") {
        out = on_samples(w, message.payload);
    } else if (kind == "event") {
        out = on_event(w, message.payload);
    } else if (kind == "availability") {
        out = on_availability(w, message.payload);
    } else {
        out.error = "unknown watch topic " + message.topic;
    }
    if (out.error) {
        out.error = message.topic + ": " + *out.error;
    }
    return out;
}

MessageOutcome WatchAdapter::on_availability(Watch& w, const std::string& payload) {
    MessageOutcome out;
    if (payload != "online" && payload != "offline") {
        out.error = "availability must be \"online\" or \"offline\"";
        return out;
    }
    w.available = payload == "online";
    if (!w.available) {
        for (const char* what : {"heart_rate", "cadence", "activity", "sleep_stage"}) {
            out.updates.push_back({w.entity(what), "unavailable", json::object()});
        }
    }
    return out;
}

MessageOutcome WatchAdapter::on_event(Watch& w, const std::string& payload) {
    MessageOutcome out;
    if (payload.size() > max_event_bytes) {
        out.error = "event larger than " + std::to_string(max_event_bytes) + " bytes";
        return out;
    }
    json j = json::parse(payload, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        out.error = "event must be a JSON object";
        return out;
    }
    if (!j.contains("type") || !j["type"].is_string() ||
        !valid_event_type(j["type"].get<std::string>())) {
        out.error = "event needs a \"type\" of lower-case letters and '_'";
        return out;
    }
    std::int64_t t_ms = w.end_ms.value_or(0);
    if (j.contains("t_ms")) {
        if (!j["t_ms"].is_number_integer() || j["t_ms"].get<std::int64_t>() <= 0 ||
            j["t_ms"].get<std::int64_t>() > max_t0_ms) {
            out.error = "event t_ms must be unix milliseconds";
            return out;
        }
        t_ms = j["t_ms"].get<std::int64_t>();
    }
    const std::string type = j["type"].get<std::string>();
    if (type == "workout_started") {
        w.in_workout = true;
        w.workout_sport = j.value("sport", std::string("other"));
        w.workout_start_ms = t_ms;
        w.workout_candidate_ms.reset();
    } else if (type == "workout_ended") {
        if (w.in_workout && !j.contains("duration_s")) {
            j["duration_s"] = static_cast<double>(t_ms - w.workout_start_ms) / 1000.0;
        }
        w.in_workout = false;
        w.workout_candidate_ms.reset();
    }
    j["watch"] = w.id;
    j["source"] = "watch";
    j.erase("type");
    out.events.push_back({type, std::move(j), t_ms});
    return out;
}

void WatchAdapter::update_sleep(Watch& w, MessageOutcome& out) {
    if (w.hr_sum.empty() || !w.end_ms) {
        return;
    }
    if (!w.detector) {
        w.detector = std::make_unique<eh::SleepDetector>(m_config.sleep_detector);
    }
    // An epoch goes to the detector once the next one is complete too, so that the heart-rate
    // estimates of its last seconds (which come out a little later) are in.
    std::int64_t next = std::max(w.next_detect_ms.value_or(w.history_start_ms), w.history_start_ms);
    bool woke_or_slept = false;
    for (; next + 2 * epoch_ms <= *w.end_ms; next += epoch_ms) {
        const auto k = static_cast<std::size_t>((next - w.history_start_ms) / epoch_ms);
        if (k >= w.hr_sum.size()) {
            break;
        }
        if (w.hr_n[k] > 0) {
            const engine::HeartRateSample hr{next + epoch_ms / 2,
                                             w.hr_sum[k] / static_cast<float>(w.hr_n[k])};
            w.detector->push(std::span(&hr, 1));
        }
        if (w.motion_n[k] > 0) {
            const engine::ActivityCountSample move{next, w.motion_sum[k] /
                                                             static_cast<float>(w.motion_n[k])};
            w.detector->push(std::span(&move, 1));
        }
        while (auto d = w.detector->pull()) {
            w.sleep_known = true;
            const bool asleep = d->state == eh::SleepWake::Sleep;
            if (d->transition_ms && asleep != w.asleep) {
                out.events.push_back(
                    {asleep ? "fell_asleep" : "woke_up", {{"watch", w.id}}, *d->transition_ms});
                woke_or_slept = true;
            }
            w.asleep = asleep;
        }
    }
    w.next_detect_ms = next;
    if (!w.asleep) {
        w.stage.reset();
        w.last_restage_ms.reset();
        return;
    }
    // The stage shown while asleep: the night so far re-staged every restage_every_ms of sample
    // time (and at sleep onset).
    if (!woke_or_slept && w.last_restage_ms &&
        *w.end_ms - *w.last_restage_ms < m_config.restage_every_ms) {
        return;
    }
    w.last_restage_ms = *w.end_ms;
    if (w.hr_sum.size() < min_staged_epochs) {
        return;
    }
    if (!w.stager) {
        w.stager = std::make_unique<eh::SleepStager>();
    }
    w.stager->reset();
    // The last epoch is still filling; stage only complete ones.
    const std::size_t n = w.hr_sum.size() - 1;
    std::vector<engine::HeartRateSample> hrs;
    std::vector<engine::ActivityCountSample> moves;
    for (std::size_t k = 0; k < n; ++k) {
        const auto start = static_cast<engine::TimeMs>(k) * epoch_ms;
        if (w.hr_n[k] > 0) {
            hrs.push_back({start + epoch_ms / 2, w.hr_sum[k] / static_cast<float>(w.hr_n[k])});
        }
        if (w.motion_n[k] > 0) {
            moves.push_back({start, w.motion_sum[k] / static_cast<float>(w.motion_n[k])});
        }
    }
    w.stager->push(std::span<const engine::HeartRateSample>(hrs));
    w.stager->push(std::span<const engine::ActivityCountSample>(moves));
    w.stager->finish();
    std::vector<eh::SleepStage> stages;
    while (auto e = w.stager->pull()) {
        stages.push_back(e->stage);
    }
    if (!stages.empty()) {
        // The newest epochs lean to wake (the model's "time to the end of the recording"
        // feature sees the end of the night there): show the epoch stage_lag_epochs back.
        w.stage = stages[stages.size() - 1 - std::min(stage_lag_epochs, stages.size() - 1)];
    }
}

MessageOutcome WatchAdapter::on_samples(Watch& w, const std::string& payload) {
    MessageOutcome out;
    const json j = json::parse(payload, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        out.error = "samples must be a JSON object";
        return out;
    }
    if (!j.contains("t0_ms") || !j["t0_ms"].is_number_integer() ||
        j["t0_ms"].get<std::int64_t>() <= 0 || j["t0_ms"].get<std::int64_t>() > max_t0_ms) {
        out.error = "t0_ms must be unix milliseconds";
        return out;
    }
    const auto t0_ms = j["t0_ms"].get<std::int64_t>();
    Stream ppg;
    Stream accel;
    Stream hr;
    const std::pair<const char*, std::pair<Stream*, std::size_t>> streams[] = {
        {"ppg", {&ppg, 1}}, {"accel", {&accel, 3}}, {"hr", {&hr, 1}}};
    for (const auto& [key, target] : streams) {
        if (j.contains(key)) {
            if (auto e = parse_stream(j[key], target.second, *target.first)) {
                out.error = std::string(key) + ": " + *e;
                return out;
            }
        }
    }
    std::int64_t end_ms = t0_ms;
    for (const Stream* s : {&ppg, &accel, &hr}) {
        if (!s->values.empty()) {
            end_ms = std::max(end_ms, sample_time(t0_ms, *s, s->values.size()));
        }
    }
    // A small overlap (one sample period) is tolerated; earlier batches are replays or a reset
    // clock, which the streaming engine cannot take back.
    if (w.end_ms && t0_ms < *w.end_ms - 1000) {
        out.error = "batch starts at " + std::to_string(t0_ms) + ", before the previous end " +
                    std::to_string(*w.end_ms);
        return out;
    }
    w.available = true;
    // "Today" is the UTC day of the samples.
    if (const std::int64_t day = t0_ms / day_ms; w.day != day) {
        w.day = day;
        w.steps_today = 0;
    }

    std::vector<engine::PpgSample> ppg_block;
    std::vector<engine::AccelSample> accel_block;
    std::vector<eh::ImuSample> imu_block;
    std::size_t ppg_i = 0;
    std::size_t accel_i = 0;
    std::optional<eh::HeartRateEstimate> last_hr;
    // Interleave the streams in 2 s blocks, as the heart-rate estimator asks.
    for (std::int64_t block_end = t0_ms + 2000;; block_end += 2000) {
        ppg_block.clear();
        accel_block.clear();
        imu_block.clear();
        while (ppg_i < ppg.values.size() && sample_time(t0_ms, ppg, ppg_i) < block_end) {
            ppg_block.push_back({sample_time(t0_ms, ppg, ppg_i), ppg.values[ppg_i][0]});
            ++ppg_i;
        }
        while (accel_i < accel.values.size() && sample_time(t0_ms, accel, accel_i) < block_end) {
            const auto& a = accel.values[accel_i];
            const auto t = sample_time(t0_ms, accel, accel_i);
            accel_block.push_back({t, a[0], a[1], a[2]});
            imu_block.push_back({t, a[0], a[1], a[2], 0.0F, 0.0F, 0.0F, false});
            w.add_accel(t, a);
            ++accel_i;
        }
        if (ppg_block.empty() && accel_block.empty()) {
            if (ppg_i >= ppg.values.size() && accel_i >= accel.values.size()) {
                break;
            }
            continue;
        }
        if (!ppg_block.empty()) {
            w.heart->push_ppg(ppg_block);
        }
        if (!accel_block.empty()) {
            w.heart->push_accel(accel_block);
            w.steps->push(accel_block);
            w.activity->push(imu_block);
        }
        while (auto e = w.heart->pull()) {
            if (e->quality != engine::Quality::NoContact) {
                w.add_hr(e->t_ms, e->bpm);
            }
            last_hr = *e;
        }
        while (auto s = w.steps->pull()) {
            const std::int64_t day = s->t_ms / day_ms;
            if (w.day != day) {
                w.day = day;
                w.steps_today = 0;
            }
            ++w.steps_today;
        }
        while (auto d = w.activity->pull()) {
            w.current_activity = d->activity;
            // Workouts detected from sustained running, cycling or swimming.
            const bool workout_like = is_workout_activity(d->activity);
            if (workout_like != w.in_workout) {
                if (!w.workout_candidate_ms) {
                    w.workout_candidate_ms = d->start_ms;
                } else if (d->end_ms - *w.workout_candidate_ms >= m_config.workout_after_ms) {
                    if (workout_like) {
                        w.in_workout = true;
                        w.workout_sport = std::string(eh::to_string(d->activity));
                        w.workout_start_ms = *w.workout_candidate_ms;
                        out.events.push_back(
                            {"workout_started",
                             {{"watch", w.id}, {"sport", w.workout_sport}, {"source", "detected"}},
                             w.workout_start_ms});
                    } else {
                        w.in_workout = false;
                        const double duration_s =
                            static_cast<double>(*w.workout_candidate_ms - w.workout_start_ms) /
                            1000.0;
                        out.events.push_back({"workout_ended",
                                              {{"watch", w.id},
                                               {"sport", w.workout_sport},
                                               {"duration_s", duration_s},
                                               {"source", "detected"}},
                                              *w.workout_candidate_ms});
                    }
                    w.workout_candidate_ms.reset();
                }
            } else {
                w.workout_candidate_ms.reset();
            }
        }
        if (ppg_i >= ppg.values.size() && accel_i >= accel.values.size()) {
            break;
        }
    }
    // A heart rate computed by the watch itself stands in when there is no PPG.
    if (ppg.values.empty() && !hr.values.empty()) {
        for (std::size_t i = 0; i < hr.values.size(); ++i) {
            const float bpm = hr.values[i][0];
            if (bpm >= 20.0F && bpm <= 250.0F) {
                const auto t = sample_time(t0_ms, hr, i);
                w.add_hr(t, bpm);
                last_hr = eh::HeartRateEstimate{t, bpm, engine::Quality::Good};
            }
        }
    }
    w.end_ms = std::max(end_ms, w.end_ms.value_or(end_ms));

    if (last_hr) {
        w.bpm = last_hr->bpm;
        w.hr_quality = std::string(engine::to_string(last_hr->quality));
        const bool still = !w.current_activity || *w.current_activity == eh::Activity::Still;
        const auto check = [&](bool condition, std::optional<std::int64_t>& since, bool& alerted,
                               const char* type, float threshold) {
            if (!condition) {
                since.reset();
                alerted = false;
                return;
            }
            if (!since) {
                since = last_hr->t_ms;
            }
            if (!alerted && last_hr->t_ms - *since >= m_config.alert_after_ms) {
                alerted = true;
                out.events.push_back({type,
                                      {{"watch", w.id},
                                       {"bpm", std::round(last_hr->bpm)},
                                       {"threshold_bpm", threshold},
                                       {"since_ms", *since}},
                                      last_hr->t_ms});
            }
        };
        const bool good = last_hr->quality != engine::Quality::NoContact;
        check(good && still && last_hr->bpm > m_config.high_bpm, w.high_since_ms, w.high_alerted,
              "heart_rate_high", m_config.high_bpm);
        check(good && last_hr->bpm < m_config.low_bpm, w.low_since_ms, w.low_alerted,
              "heart_rate_low", m_config.low_bpm);
    }

    update_sleep(w, out);

    if (w.bpm) {
        out.updates.push_back({w.entity("heart_rate"),
                               std::to_string(static_cast<int>(std::lround(*w.bpm))),
                               {{"unit_of_measurement", "bpm"}, {"quality", w.hr_quality}}});
    }
    if (w.day) {
        out.updates.push_back(
            {w.entity("steps"), std::to_string(w.steps_today), {{"unit_of_measurement", "steps"}}});
    }
    if (!accel.values.empty()) {
        const auto cadence = w.steps->cadence_spm();
        out.updates.push_back(
            {w.entity("cadence"),
             std::to_string(cadence ? static_cast<int>(std::lround(*cadence)) : 0),
             {{"unit_of_measurement", "steps/min"}}});
    }
    if (w.current_activity) {
        out.updates.push_back({w.entity("activity"),
                               std::string(eh::to_string(*w.current_activity)), json::object()});
    }
    if (w.sleep_known) {
        // Coherent with `asleep`: wake when awake; while asleep the stager's stage, with its
        // wake (a brief arousal inside the detected night) shown as light.
        eh::SleepStage shown = eh::SleepStage::Wake;
        if (w.asleep) {
            shown = w.stage && *w.stage != eh::SleepStage::Wake ? *w.stage : eh::SleepStage::Light;
        }
        out.updates.push_back(
            {w.entity("sleep_stage"), std::string(eh::to_string(shown)), {{"asleep", w.asleep}}});
    }
    return out;
}

} // namespace hearth::hub
