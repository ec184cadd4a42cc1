#include "devices/watch.h"

#include <algorithm>
#include <cstdlib>
#include <random>

#include <gtest/gtest.h>

#include "sim/sim_watch.h"

namespace hearth::hub {
namespace {

using json = nlohmann::json;

constexpr std::int64_t hour_ms = 3'600'000;
constexpr std::int64_t day0_ms = 1'764'028'800'000; // 2025-11-25 00:00 UTC

MqttMessage msg(const std::string& topic, const std::string& payload) {
    return {topic, payload, 1, false};
}

const EntityUpdate* find(const std::vector<EntityUpdate>& updates, const std::string& id) {
    auto it = std::find_if(updates.begin(), updates.end(),
                           [&](const EntityUpdate& u) { return u.entity_id == id; });
    return it == updates.end() ? nullptr : &*it;
}

// Plays the synthetic wearer from `from_ms` for `duration_ms` into the adapter.
struct Played {
    std::map<std::string, EntityUpdate> last;
    std::vector<StoredEvent> events;
    float true_bpm = 0.0F;
};

Played play(WatchAdapter& adapter, std::int64_t from_ms, std::int64_t duration_ms,
            const std::string& id = "watch") {
    sim::WatchSynth synth(7);
    Played out;
    for (std::int64_t t = from_ms; t < from_ms + duration_ms; t += 5000) {
        const auto batch = synth.next_batch(t, 5000);
        for (const auto& e : batch.events) {
            auto o = adapter.on_message(msg("hearth/watch/" + id + "/event", e.dump()));
            EXPECT_FALSE(o.error) << *o.error;
            out.events.insert(out.events.end(), o.events.begin(), o.events.end());
        }
        auto o = adapter.on_message(msg("hearth/watch/" + id + "/samples", batch.samples_payload));
        EXPECT_FALSE(o.error) << *o.error;
        for (const auto& u : o.updates) {
            out.last[u.entity_id] = u;
        }
        out.events.insert(out.events.end(), o.events.begin(), o.events.end());
        out.true_bpm = batch.bpm;
    }
    return out;
}

TEST(WatchAdapter, SubscribesAndAcceptsItsTopics) {
    WatchAdapter adapter;
    EXPECT_TRUE(adapter.accepts("hearth/watch/abc/samples"));
    EXPECT_TRUE(adapter.accepts("hearth/watch/abc/event"));
    EXPECT_FALSE(adapter.accepts("hearth/watch/abc/other/samples"));
    EXPECT_FALSE(adapter.accepts("zigbee2mqtt/lamp"));
    EXPECT_EQ(adapter.subscriptions().size(), 3U);
}

TEST(WatchAdapter, RunYieldsHeartRateStepsCadenceAndActivity) {
    WatchAdapter adapter;
    // 07:05-07:09 UTC: the synthetic wearer runs at ~150+ bpm, 168 steps/min.
    const auto played = play(adapter, day0_ms + 7 * hour_ms + 5 * 60'000, 4 * 60'000);
    ASSERT_TRUE(played.last.contains("sensor.watch_heart_rate"));
    const auto& hr = played.last.at("sensor.watch_heart_rate");
    EXPECT_NEAR(std::stof(hr.state), played.true_bpm, 15.0F);
    EXPECT_EQ(hr.attributes["unit_of_measurement"], "bpm");
    EXPECT_TRUE(hr.attributes.contains("quality"));
    ASSERT_TRUE(played.last.contains("sensor.watch_steps"));
    // 4 minutes at 168 steps/min is ~670 steps.
    EXPECT_NEAR(std::stod(played.last.at("sensor.watch_steps").state), 672.0, 120.0);
    EXPECT_NEAR(std::stod(played.last.at("sensor.watch_cadence").state), 168.0, 20.0);
    ASSERT_TRUE(played.last.contains("sensor.watch_activity"));
    EXPECT_EQ(played.last.at("sensor.watch_activity").state, "running");
    EXPECT_TRUE(adapter.owns("sensor.watch_heart_rate"));
    EXPECT_FALSE(adapter.owns("light.kitchen"));
    EXPECT_TRUE(adapter.command({"sensor", "turn_on", "sensor.watch_steps", {}}).error);
}

TEST(WatchAdapter, RestingHeartRateIsTracked) {
    WatchAdapter adapter;
    const auto played = play(adapter, day0_ms + 10 * hour_ms, 3 * 60'000, "Anna's Watch");
    ASSERT_TRUE(played.last.contains("sensor.anna_s_watch_heart_rate"));
    EXPECT_NEAR(std::stof(played.last.at("sensor.anna_s_watch_heart_rate").state), 68.0F, 10.0F);
    EXPECT_EQ(played.last.at("sensor.anna_s_watch_steps").state, "0");
}

TEST(WatchAdapter, WatchEventsAreForwardedWithTheWatchId) {
    WatchAdapter adapter;
    auto o = adapter.on_message(msg("hearth/watch/w1/event",
                                    R"({"type":"workout_started","sport":"running","t_ms":1000})"));
    ASSERT_FALSE(o.error);
    ASSERT_EQ(o.events.size(), 1U);
    EXPECT_EQ(o.events[0].type, "workout_started");
    EXPECT_EQ(o.events[0].time_ms, 1000);
    EXPECT_EQ(o.events[0].data["watch"], "w1");
    EXPECT_EQ(o.events[0].data["sport"], "running");
    o = adapter.on_message(
        msg("hearth/watch/w1/event", R"({"type":"workout_ended","t_ms":61000})"));
    ASSERT_EQ(o.events.size(), 1U);
    EXPECT_DOUBLE_EQ(o.events[0].data["duration_s"].get<double>(), 60.0);
}

TEST(WatchAdapter, SustainedLowHeartRateRaisesOneEvent) {
    WatchConfig config;
    config.alert_after_ms = 5 * 60'000;
    WatchAdapter adapter(config);
    std::vector<StoredEvent> events;
    // A watch that sends its own heart rate (1 Hz), 35 bpm for 8 minutes.
    for (int minute = 0; minute < 8; ++minute) {
        json values = json::array();
        for (int s = 0; s < 60; ++s) {
            values.push_back(35);
        }
        const json payload = {{"t0_ms", day0_ms + minute * 60'000},
                              {"hr", {{"rate_hz", 1}, {"values", values}}}};
        auto o = adapter.on_message(msg("hearth/watch/w/samples", payload.dump()));
        ASSERT_FALSE(o.error) << *o.error;
        events.insert(events.end(), o.events.begin(), o.events.end());
        EXPECT_EQ(find(o.updates, "sensor.w_heart_rate")->state, "35");
    }
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].type, "heart_rate_low");
    EXPECT_EQ(events[0].data["bpm"], 35.0);
}

TEST(WatchAdapter, AvailabilityOfflineMarksEntitiesUnavailable) {
    WatchAdapter adapter;
    auto o = adapter.on_message(msg("hearth/watch/w/availability", "offline"));
    ASSERT_FALSE(o.error);
    ASSERT_NE(find(o.updates, "sensor.w_heart_rate"), nullptr);
    EXPECT_EQ(find(o.updates, "sensor.w_heart_rate")->state, "unavailable");
    EXPECT_TRUE(adapter.on_message(msg("hearth/watch/w/availability", "maybe")).error);
}

TEST(WatchAdapter, RefusesBadPayloads) {
    WatchAdapter adapter;
    const std::vector<std::string> bad = {
        "not json",
        "[1,2]",
        R"({"ppg":{"rate_hz":25,"values":[1,2]}})",
        R"({"t0_ms":-5})",
        R"({"t0_ms":"soon"})",
        R"({"t0_ms":1000,"ppg":{"rate_hz":0,"values":[1]}})",
        R"({"t0_ms":1000,"ppg":{"rate_hz":5000,"values":[1]}})",
        R"({"t0_ms":1000,"ppg":{"rate_hz":25,"values":["a"]}})",
        R"({"t0_ms":1000,"ppg":{"rate_hz":25}})",
        R"({"t0_ms":1000,"accel":{"rate_hz":50,"values":[[1,2]]}})",
        R"({"t0_ms":1000,"accel":{"rate_hz":50,"values":[1,2,3]}})",
    };
    for (const auto& payload : bad) {
        const auto o = adapter.on_message(msg("hearth/watch/w/samples", payload));
        EXPECT_TRUE(o.error) << payload;
        EXPECT_TRUE(o.updates.empty()) << payload;
    }
    // More than 60 s in one batch.
    json values = json::array();
    for (int i = 0; i < 2 * 61; ++i) {
        values.push_back(1.0);
    }
    EXPECT_TRUE(
        adapter
            .on_message(
                msg("hearth/watch/w/samples",
                    json{{"t0_ms", 1000}, {"ppg", {{"rate_hz", 2}, {"values", values}}}}.dump()))
            .error);
    EXPECT_TRUE(adapter
                    .on_message(msg("hearth/watch/w/samples",
                                    std::string(WatchAdapter::max_payload_bytes + 1, ' ')))
                    .error);
    EXPECT_TRUE(adapter.on_message(msg("hearth/watch/w/event", R"({"type":"Bad Type"})")).error);
    EXPECT_TRUE(adapter.on_message(msg("hearth/watch/w/event", R"({"sport":"x"})")).error);
    EXPECT_TRUE(adapter.on_message(msg("hearth/watch/w/firmware", "{}")).error);
    // A batch from before the previous one is refused.
    const json ok = {{"t0_ms", 100'000}, {"hr", {{"rate_hz", 1}, {"values", {60, 61}}}}};
    EXPECT_FALSE(adapter.on_message(msg("hearth/watch/w/samples", ok.dump())).error);
    const json old = {{"t0_ms", 10'000}, {"hr", {{"rate_hz", 1}, {"values", {60}}}}};
    EXPECT_TRUE(adapter.on_message(msg("hearth/watch/w/samples", old.dump())).error);
}

TEST(WatchAdapter, NightYieldsSleepStageAndFellAsleep) {
    WatchAdapter adapter;
    // 22:00 to 01:30 UTC: resting, then asleep from 23:00.
    const auto played = play(adapter, day0_ms + 22 * hour_ms, 3 * hour_ms + 30 * 60'000);
    ASSERT_TRUE(played.last.contains("sensor.watch_sleep_stage"));
    const auto& stage = played.last.at("sensor.watch_sleep_stage");
    EXPECT_NE(stage.state, "wake");
    EXPECT_EQ(stage.attributes["asleep"], true);
    std::vector<StoredEvent> sleep_events;
    std::copy_if(
        played.events.begin(), played.events.end(), std::back_inserter(sleep_events),
        [](const StoredEvent& e) { return e.type == "fell_asleep" || e.type == "woke_up"; });
    ASSERT_EQ(sleep_events.size(), 1U);
    EXPECT_EQ(sleep_events[0].type, "fell_asleep");
    // The detector's onset: the first of 10 min of still epochs, here a few minutes after 23:00
    // (its window and Webster's rescoring after a long wake).
    EXPECT_GE(sleep_events[0].time_ms, day0_ms + 23 * hour_ms);
    EXPECT_LE(sleep_events[0].time_ms, day0_ms + 23 * hour_ms + 10 * 60'000);
}

// A night from a watch that sends its own heart rate (1 Hz) and a 10 Hz accelerometer: per
// stretch, the accelerometer noise per axis (0.01 m/s^2: a still wrist; 0.05: awake, fidgeting)
// and the heart rate.
struct Stretch {
    int minutes = 0;
    float noise_ms2 = 0.01F;
    float bpm = 55.0F;
};

struct NightLog {
    std::vector<StoredEvent> events;
    std::vector<std::string> stages; // every sleep_stage state published, in order
    std::vector<bool> asleep;        // its asleep attribute
};

NightLog play_stretches(WatchAdapter& adapter, std::int64_t t0_ms,
                        const std::vector<Stretch>& stretches) {
    std::mt19937 rng(3);
    NightLog log;
    std::int64_t t = t0_ms;
    for (const Stretch& s : stretches) {
        std::normal_distribution<float> noise(0.0F, s.noise_ms2);
        for (int batch = 0; batch < s.minutes * 2; ++batch, t += 30'000) {
            json accel = json::array();
            json hr = json::array();
            for (int i = 0; i < 300; ++i) {
                accel.push_back({noise(rng), noise(rng), 9.81F + noise(rng)});
            }
            for (int i = 0; i < 30; ++i) {
                hr.push_back(s.bpm);
            }
            const json payload = {{"t0_ms", t},
                                  {"accel", {{"rate_hz", 10}, {"values", accel}}},
                                  {"hr", {{"rate_hz", 1}, {"values", hr}}}};
            auto o = adapter.on_message(msg("hearth/watch/w/samples", payload.dump()));
            EXPECT_FALSE(o.error) << *o.error;
            for (const auto& e : o.events) {
                if (e.type == "fell_asleep" || e.type == "woke_up") {
                    log.events.push_back(e);
                }
            }
            if (const auto* u = find(o.updates, "sensor.w_sleep_stage")) {
                log.stages.push_back(u->state);
                log.asleep.push_back(u->attributes["asleep"].get<bool>());
            }
        }
    }
    return log;
}

// How many times the published stage left `wake` (what a "from: wake" automation sees).
int wake_exits(const std::vector<std::string>& stages) {
    int n = 0;
    for (std::size_t i = 1; i < stages.size(); ++i) {
        n += stages[i - 1] == "wake" && stages[i] != "wake" ? 1 : 0;
    }
    return n;
}

TEST(WatchAdapter, BriefAwakeningsDoNotEndTheNight) {
    WatchAdapter adapter;
    const std::int64_t t0 = day0_ms + 22 * hour_ms;
    // Awake 30 min, asleep, two awakenings of 3 and 5 min (moving, heart rate up), asleep,
    // then up for good at 01:15.
    const auto log = play_stretches(adapter, t0,
                                    {{30, 0.05F, 70.0F},
                                     {60, 0.01F, 55.0F},
                                     {3, 0.05F, 68.0F},
                                     {50, 0.01F, 55.0F},
                                     {5, 0.08F, 72.0F},
                                     {47, 0.01F, 54.0F},
                                     {30, 0.05F, 70.0F}});
    ASSERT_EQ(log.events.size(), 2U);
    EXPECT_EQ(log.events[0].type, "fell_asleep");
    EXPECT_EQ(log.events[0].data["watch"], "w");
    // Onset a few minutes after the movement stops at 22:30 (Cole-Kripke's window, Webster's
    // rescoring after a long wake), as the first of 10 still minutes.
    EXPECT_GE(log.events[0].time_ms, t0 + 30 * 60'000);
    EXPECT_LE(log.events[0].time_ms, t0 + 37 * 60'000);
    EXPECT_EQ(log.events[1].type, "woke_up");
    // Up at 01:15; the look-ahead puts the awakening up to one epoch earlier.
    EXPECT_GE(log.events[1].time_ms, t0 + 195 * 60'000 - 30'000);
    EXPECT_LE(log.events[1].time_ms, t0 + 196 * 60'000);
    // The stage entity agrees with the events: it leaves wake once and comes back once.
    ASSERT_FALSE(log.stages.empty());
    EXPECT_EQ(log.stages.front(), "wake");
    EXPECT_EQ(log.stages.back(), "wake");
    EXPECT_EQ(wake_exits(log.stages), 1);
    for (std::size_t i = 0; i < log.stages.size(); ++i) {
        EXPECT_EQ(log.stages[i] != "wake", log.asleep[i]) << i;
    }
}

TEST(WatchAdapter, StillButAwakeHeartRateNeedsHalfAnHourOfWakeToEndTheNight) {
    WatchAdapter adapter;
    const std::int64_t t0 = day0_ms + 22 * hour_ms;
    // Awake in bed after the night with the heart rate still at its sleeping level: only the
    // 30 min rule ends the night (reported 31 min after the first wake epoch).
    const auto log =
        play_stretches(adapter, t0, {{20, 0.05F, 60.0F}, {60, 0.01F, 60.0F}, {20, 0.05F, 60.0F}});
    ASSERT_EQ(log.events.size(), 1U);
    EXPECT_EQ(log.events[0].type, "fell_asleep");
    const auto more = play_stretches(adapter, t0 + 100 * 60'000, {{15, 0.05F, 60.0F}});
    ASSERT_EQ(more.events.size(), 1U);
    EXPECT_EQ(more.events[0].type, "woke_up");
    EXPECT_NEAR(static_cast<double>(more.events[0].time_ms - (t0 + 80 * 60'000)), 0.0, 30'000.0);
}

TEST(WatchAdapter, SleepStageIsWakeDuringTheDay) {
    WatchAdapter adapter;
    const auto log =
        play_stretches(adapter, day0_ms + 12 * hour_ms, {{40, 0.05F, 70.0F}, {5, 0.01F, 60.0F}});
    EXPECT_TRUE(log.events.empty());
    ASSERT_FALSE(log.stages.empty());
    EXPECT_TRUE(std::all_of(log.stages.begin(), log.stages.end(),
                            [](const std::string& s) { return s == "wake"; }));
}

} // namespace
} // namespace hearth::hub
