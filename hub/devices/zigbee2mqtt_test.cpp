#include "devices/zigbee2mqtt.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace hearth::hub {
namespace {

using json = nlohmann::json;

// A bridge/devices payload in the shape Zigbee2MQTT publishes (trimmed to what matters).
const char* const devices_payload = R"([
  {"ieee_address":"0x00000000","type":"Coordinator","friendly_name":"Coordinator"},
  {"ieee_address":"0x0017880104e45517","type":"Router","friendly_name":"Living Room Lamp",
   "definition":{"vendor":"Philips","model":"9290012573A","exposes":[
     {"type":"light","features":[
       {"type":"binary","name":"state","property":"state","value_on":"ON","value_off":"OFF","access":7},
       {"type":"numeric","name":"brightness","property":"brightness","value_min":0,"value_max":254,"access":7},
       {"type":"numeric","name":"color_temp","property":"color_temp","access":7}]},
     {"type":"numeric","name":"linkquality","property":"linkquality","access":1}]}},
  {"ieee_address":"0x00158d0001a2b3c4","type":"EndDevice","friendly_name":"hallway/motion",
   "definition":{"vendor":"Xiaomi","model":"RTCGQ11LM","exposes":[
     {"type":"binary","name":"occupancy","property":"occupancy","value_on":true,"value_off":false,"access":1},
     {"type":"numeric","name":"battery","property":"battery","unit":"%","access":1},
     {"type":"numeric","name":"illuminance_lux","property":"illuminance_lux","unit":"lx","access":1}]}},
  {"ieee_address":"0x1","type":"Router","friendly_name":"Bedroom Blinds",
   "definition":{"vendor":"IKEA","model":"E1757","exposes":[
     {"type":"cover","features":[
       {"type":"enum","name":"state","property":"state","values":["OPEN","CLOSE","STOP"],"access":3},
       {"type":"numeric","name":"position","property":"position","access":7}]}]}},
  {"ieee_address":"0x2","type":"EndDevice","friendly_name":"Front Door",
   "definition":{"vendor":"Danalock","model":"V3","exposes":[
     {"type":"lock","features":[
       {"type":"binary","name":"state","property":"state","value_on":"LOCK","value_off":"UNLOCK","access":7}]}]}},
  {"ieee_address":"0x3","type":"EndDevice","friendly_name":"Thermostat",
   "definition":{"vendor":"Eurotronic","model":"SPZB0001","exposes":[
     {"type":"climate","features":[
       {"type":"numeric","name":"occupied_heating_setpoint","property":"occupied_heating_setpoint","access":7},
       {"type":"numeric","name":"local_temperature","property":"local_temperature","access":5},
       {"type":"enum","name":"system_mode","property":"system_mode","access":7}]}]}}
])";

MqttMessage msg(const std::string& topic, const std::string& payload) {
    return {topic, payload, 1, false};
}

const EntityUpdate* find(const std::vector<EntityUpdate>& updates, const std::string& id) {
    auto it = std::find_if(updates.begin(), updates.end(),
                           [&](const EntityUpdate& u) { return u.entity_id == id; });
    return it == updates.end() ? nullptr : &*it;
}

class Zigbee2Mqtt : public ::testing::Test {
protected:
    void SetUp() override {
        const auto outcome = m_z2m.on_message(msg("zigbee2mqtt/bridge/devices", devices_payload));
        ASSERT_FALSE(outcome.error.has_value());
        m_initial = outcome;
    }
    Zigbee2MqttAdapter m_z2m;
    MessageOutcome m_initial;
};

TEST_F(Zigbee2Mqtt, MakesEntitiesFromExposes) {
    EXPECT_EQ(m_z2m.device_count(), 5U);
    const auto& ids = m_initial.new_entities;
    for (const char* id : {"light.living_room_lamp", "binary_sensor.hallway_motion_occupancy",
                           "sensor.hallway_motion_battery", "sensor.hallway_motion_illuminance_lux",
                           "cover.bedroom_blinds", "lock.front_door", "climate.thermostat"}) {
        EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
    }
    EXPECT_EQ(ids.size(), 7U); // linkquality and the coordinator are not entities
    const EntityUpdate* lamp = find(m_initial.updates, "light.living_room_lamp");
    ASSERT_NE(lamp, nullptr);
    EXPECT_EQ(lamp->state, "unknown");
}

TEST_F(Zigbee2Mqtt, TurnsStateMessagesIntoEntityStates) {
    auto lamp = m_z2m.on_message(
        msg("zigbee2mqtt/Living Room Lamp", R"({"state":"ON","brightness":120,"linkquality":80})"));
    const EntityUpdate* light = find(lamp.updates, "light.living_room_lamp");
    ASSERT_NE(light, nullptr);
    EXPECT_EQ(light->state, "on");
    EXPECT_EQ(light->attributes["brightness"], 120);
    EXPECT_EQ(light->attributes["friendly_name"], "Living Room Lamp");

    // A partial update keeps what was known.
    lamp = m_z2m.on_message(msg("zigbee2mqtt/Living Room Lamp", R"({"brightness":50})"));
    light = find(lamp.updates, "light.living_room_lamp");
    EXPECT_EQ(light->state, "on");
    EXPECT_EQ(light->attributes["brightness"], 50);

    auto motion = m_z2m.on_message(msg(
        "zigbee2mqtt/hallway/motion", R"({"occupancy":true,"battery":97,"illuminance_lux":12.5})"));
    EXPECT_EQ(find(motion.updates, "binary_sensor.hallway_motion_occupancy")->state, "on");
    const EntityUpdate* battery = find(motion.updates, "sensor.hallway_motion_battery");
    EXPECT_EQ(battery->state, "97");
    EXPECT_EQ(battery->attributes["unit_of_measurement"], "%");
    EXPECT_EQ(battery->attributes["device_class"], "battery");
    EXPECT_EQ(find(motion.updates, "sensor.hallway_motion_illuminance_lux")->state, "12.5");

    auto blinds = m_z2m.on_message(msg("zigbee2mqtt/Bedroom Blinds", R"({"position":0})"));
    EXPECT_EQ(find(blinds.updates, "cover.bedroom_blinds")->state, "closed");
    auto door = m_z2m.on_message(msg("zigbee2mqtt/Front Door", R"({"state":"LOCK"})"));
    EXPECT_EQ(find(door.updates, "lock.front_door")->state, "locked");
    auto thermostat = m_z2m.on_message(
        msg("zigbee2mqtt/Thermostat",
            R"({"system_mode":"heat","occupied_heating_setpoint":21,"local_temperature":19.5})"));
    const EntityUpdate* climate = find(thermostat.updates, "climate.thermostat");
    EXPECT_EQ(climate->state, "heat");
    EXPECT_EQ(climate->attributes["temperature"], 21);
    EXPECT_EQ(climate->attributes["current_temperature"], 19.5);
}

TEST_F(Zigbee2Mqtt, MarksUnavailableDevices) {
    m_z2m.on_message(msg("zigbee2mqtt/Front Door", R"({"state":"UNLOCK"})"));
    auto off =
        m_z2m.on_message(msg("zigbee2mqtt/Front Door/availability", R"({"state":"offline"})"));
    EXPECT_EQ(find(off.updates, "lock.front_door")->state, "unavailable");
    auto on = m_z2m.on_message(msg("zigbee2mqtt/Front Door/availability", "online"));
    EXPECT_EQ(find(on.updates, "lock.front_door")->state, "unlocked");
}

TEST_F(Zigbee2Mqtt, TurnsServiceCallsIntoSetMessages) {
    auto on = m_z2m.command({"light", "turn_on", "light.living_room_lamp", {{"brightness", 300}}});
    ASSERT_FALSE(on.error.has_value());
    ASSERT_EQ(on.messages.size(), 1U);
    EXPECT_EQ(on.messages[0].topic, "zigbee2mqtt/Living Room Lamp/set");
    EXPECT_EQ(json::parse(on.messages[0].payload), json({{"state", "ON"}, {"brightness", 254}}));

    auto position =
        m_z2m.command({"cover", "set_cover_position", "cover.bedroom_blinds", {{"position", 40}}});
    EXPECT_EQ(json::parse(position.messages.at(0).payload), json({{"position", 40}}));
    auto lock = m_z2m.command({"lock", "lock", "lock.front_door", {}});
    EXPECT_EQ(json::parse(lock.messages.at(0).payload), json({{"state", "LOCK"}}));
    auto heat = m_z2m.command(
        {"climate", "set_temperature", "climate.thermostat", {{"temperature", 22.5}}});
    EXPECT_EQ(json::parse(heat.messages.at(0).payload),
              json({{"occupied_heating_setpoint", 22.5}}));

    EXPECT_TRUE(m_z2m.command({"cover", "open_cover", "light.living_room_lamp", {}}).error);
    EXPECT_TRUE(m_z2m.command({"light", "turn_on", "light.nope", {}}).error);
    EXPECT_TRUE(m_z2m.command({"sensor", "turn_on", "sensor.hallway_motion_battery", {}}).error);
}

TEST_F(Zigbee2Mqtt, ReportsMalformedAndUnknownMessagesWithoutFailing) {
    EXPECT_TRUE(m_z2m.on_message(msg("zigbee2mqtt/bridge/devices", "{not json")).error);
    EXPECT_EQ(m_z2m.device_count(), 5U); // a bad list does not wipe the known devices
    EXPECT_TRUE(m_z2m.on_message(msg("zigbee2mqtt/Front Door", "[1,2]")).error);
    EXPECT_TRUE(m_z2m.on_message(msg("zigbee2mqtt/Front Door/availability", "maybe")).error);
    EXPECT_TRUE(m_z2m.on_message(msg("zigbee2mqtt/Nobody/availability", "online")).error);
    EXPECT_FALSE(m_z2m.on_message(msg("zigbee2mqtt/bridge/state", "online")).error);
    EXPECT_FALSE(m_z2m.on_message(msg("zigbee2mqtt/Front Door/set", "{}")).error);
}

TEST(Zigbee2MqttOrder, AppliesAStateThatArrivedBeforeItsDevice) {
    Zigbee2MqttAdapter z2m;
    EXPECT_FALSE(z2m.on_message(msg("zigbee2mqtt/Front Door", R"({"state":"LOCK"})")).error);
    const auto outcome = z2m.on_message(msg("zigbee2mqtt/bridge/devices", devices_payload));
    EXPECT_EQ(find(outcome.updates, "lock.front_door")->state, "locked");
}

TEST(Zigbee2MqttOrder, KeepsEveryStateThatArrivedBeforeItsDevice) {
    // After a restart the broker delivers queued states before the retained device list.
    Zigbee2MqttAdapter z2m;
    for (int i = 0; i < 5; ++i) {
        z2m.on_message(
            msg("zigbee2mqtt/hallway/motion", R"({"battery":)" + std::to_string(90 + i) + "}"));
    }
    const auto outcome = z2m.on_message(msg("zigbee2mqtt/bridge/devices", devices_payload));
    std::vector<std::string> seen;
    for (const auto& u : outcome.updates) {
        if (u.entity_id == "sensor.hallway_motion_battery") {
            seen.push_back(u.state);
        }
    }
    ASSERT_GE(seen.size(), 5U);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(seen[static_cast<std::size_t>(i)], std::to_string(90 + i));
    }
}

TEST(Zigbee2MqttOrder, RemovesDevicesThatLeave) {
    Zigbee2MqttAdapter z2m;
    z2m.on_message(msg("zigbee2mqtt/bridge/devices", devices_payload));
    const auto outcome = z2m.on_message(msg("zigbee2mqtt/bridge/devices", "[]"));
    EXPECT_EQ(outcome.removed.size(), 7U);
    EXPECT_FALSE(z2m.owns("lock.front_door"));
    EXPECT_TRUE(z2m.accepts("zigbee2mqtt/x"));
    EXPECT_FALSE(z2m.accepts("zigbee2mqttx/x"));
    EXPECT_FALSE(z2m.accepts("homeassistant/light/x/config"));
}

} // namespace
} // namespace hearth::hub
