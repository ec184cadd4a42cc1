#include "sim/sim_home.h"

#include <gtest/gtest.h>

#include "devices/zigbee2mqtt.h"
#include "sim/sim_watch.h"

namespace hearth::hub::sim {
namespace {

using json = nlohmann::json;

TEST(SimHome, StartMessagesMakeTheHubsEntities) {
    SimHome home;
    Zigbee2MqttAdapter z2m;
    std::vector<std::string> ids;
    for (const auto& m : home.start_messages()) {
        if (!z2m.accepts(m.topic)) {
            continue;
        }
        const auto o = z2m.on_message(m);
        ASSERT_FALSE(o.error) << m.topic << ": " << *o.error;
        for (const auto& u : o.updates) {
            ids.push_back(u.entity_id + "=" + u.state);
        }
    }
    EXPECT_EQ(z2m.device_count(), 7U);
    for (const char* expected : {"light.living_room_lamp=on", "light.bedroom_light=off",
                                 "lock.front_door=locked", "cover.bedroom_blinds=closed"}) {
        EXPECT_NE(std::find(ids.begin(), ids.end(), expected), ids.end()) << expected;
    }
}

TEST(SimHome, AnswersSetCommandsFromTheHubAdapter) {
    SimHome home;
    Zigbee2MqttAdapter z2m;
    for (const auto& m : home.start_messages()) {
        if (z2m.accepts(m.topic)) {
            z2m.on_message(m);
        }
    }
    const auto command = z2m.command({"light", "turn_off", "light.living_room_lamp", {}});
    ASSERT_FALSE(command.error);
    ASSERT_EQ(command.messages.size(), 1U);
    ASSERT_TRUE(home.is_command(command.messages[0].topic));
    auto answer = home.on_command(command.messages[0]);
    ASSERT_TRUE(answer.has_value()) << answer.error();
    ASSERT_EQ(answer->size(), 1U);
    EXPECT_EQ(home.device("Living Room Lamp")->state["state"], "OFF");
    const auto back = z2m.on_message((*answer)[0]);
    ASSERT_FALSE(back.error);
    ASSERT_FALSE(back.updates.empty());
    EXPECT_EQ(back.updates[0].entity_id, "light.living_room_lamp");
    EXPECT_EQ(back.updates[0].state, "off");

    auto dim = home.on_command({"zigbee2mqtt/Bedroom Light/set", R"({"brightness":40})", 1, false});
    ASSERT_TRUE(dim.has_value());
    EXPECT_EQ(home.device("Bedroom Light")->state["state"], "ON");
    EXPECT_EQ(home.device("Bedroom Light")->state["brightness"], 40);
    ASSERT_TRUE(
        home.on_command({"zigbee2mqtt/Bedroom Blinds/set", R"({"position":30})", 1, false}));
    EXPECT_EQ(home.device("Bedroom Blinds")->state["state"], "OPEN");
    ASSERT_TRUE(home.on_command(
        {"zigbee2mqtt/Thermostat/set", R"({"occupied_heating_setpoint":21.3})", 1, false}));
    EXPECT_DOUBLE_EQ(home.device("Thermostat")->state["occupied_heating_setpoint"].get<double>(),
                     21.5);
}

TEST(SimHome, RefusesBadCommandsWithoutChangingState) {
    SimHome home;
    const json before = home.device("Living Room Lamp")->state;
    for (const char* payload : {"nope", "{}", R"({"state":"DIM"})", R"({"brightness":999})",
                                R"({"state":"OFF","hue":3})"}) {
        EXPECT_FALSE(home.on_command({"zigbee2mqtt/Living Room Lamp/set", payload, 1, false}))
            << payload;
    }
    EXPECT_EQ(home.device("Living Room Lamp")->state, before);
    EXPECT_FALSE(home.on_command({"zigbee2mqtt/Nowhere/set", R"({"state":"ON"})", 1, false}));
    EXPECT_FALSE(
        home.on_command({"zigbee2mqtt/Hallway Motion/set", R"({"occupancy":true})", 1, false}));
    EXPECT_FALSE(home.on_command({"zigbee2mqtt/Front Door/set", R"({"state":"OPEN"})", 1, false}));
}

TEST(SimWatch, SameSeedSameDayAndPlanFollowsTheClock) {
    constexpr std::int64_t day0_ms = 1'764'028'800'000; // 00:00 UTC
    WatchSynth a(3);
    WatchSynth b(3);
    WatchSynth c(4);
    const auto t = day0_ms + 7 * 3'600'000;
    const auto pa = a.next_batch(t, 5000);
    EXPECT_EQ(pa.samples_payload, b.next_batch(t, 5000).samples_payload);
    EXPECT_NE(pa.samples_payload, c.next_batch(t, 5000).samples_payload);
    const json j = json::parse(pa.samples_payload);
    EXPECT_EQ(j["ppg"]["values"].size(), 125U);
    EXPECT_EQ(j["accel"]["values"].size(), 250U);
    EXPECT_EQ(wearer_plan(t + 600'000).activity, WearerActivity::Running);
    EXPECT_EQ(wearer_plan(day0_ms + 3 * 3'600'000).activity, WearerActivity::Sleeping);
    EXPECT_EQ(wearer_plan(day0_ms + 12 * 3'600'000 + 60'000).activity, WearerActivity::Walking);
}

} // namespace
} // namespace hearth::hub::sim
