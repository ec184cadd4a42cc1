#include "devices/watch.h"

#include <algorithm>
#include <cstdlib>

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
    const auto asleep = std::find_if(played.events.begin(), played.events.end(),
                                     [](const StoredEvent& e) { return e.type == "fell_asleep"; });
    ASSERT_NE(asleep, played.events.end());
    // Detected after 23:00 and within an hour of it.
    EXPECT_GE(asleep->time_ms, day0_ms + 23 * hour_ms - 10 * 60'000);
    EXPECT_LE(asleep->time_ms, day0_ms + 24 * hour_ms);
}

} // namespace
} // namespace hearth::hub
