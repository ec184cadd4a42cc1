#include "devices/ha_discovery.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace hearth::hub {
namespace {

using json = nlohmann::json;

MqttMessage msg(const std::string& topic, const std::string& payload) {
    return {topic, payload, 1, true};
}

TEST(HaDiscovery, ReadsAbbreviatedSensorConfigAndTemplates) {
    HaDiscoveryAdapter ha;
    auto config = ha.on_message(msg("homeassistant/sensor/node1/bedroom_temp/config", R"({
        "~": "home/bedroom", "name": "Bedroom Temperature", "stat_t": "~/climate",
        "val_tpl": "{{ value_json.temperature }}", "unit_of_meas": "°C", "dev_cla": "temperature",
        "uniq_id": "bedroom_temp_1"})"));
    ASSERT_FALSE(config.error.has_value()) << *config.error;
    ASSERT_EQ(config.new_entities, std::vector<std::string>{"sensor.bedroom_temperature"});
    EXPECT_TRUE(ha.accepts("home/bedroom/climate"));
    EXPECT_EQ(ha.state_topics(), std::vector<std::string>{"home/bedroom/climate"});

    auto state =
        ha.on_message(msg("home/bedroom/climate", R"({"temperature": 19.25, "humidity": 40})"));
    ASSERT_EQ(state.updates.size(), 1U);
    EXPECT_EQ(state.updates[0].state, "19.25");
    EXPECT_EQ(state.updates[0].attributes["unit_of_measurement"], "°C");
    EXPECT_EQ(state.updates[0].attributes["friendly_name"], "Bedroom Temperature");
}

TEST(HaDiscovery, SwitchStateAvailabilityAndCommands) {
    HaDiscoveryAdapter ha;
    ha.on_message(msg("homeassistant/switch/kettle/config", R"({
        "name": "Kettle", "state_topic": "kitchen/kettle/state", "command_topic": "kitchen/kettle/set",
        "availability_topic": "kitchen/kettle/avail", "payload_on": "1", "payload_off": "0"})"));
    auto on = ha.on_message(msg("kitchen/kettle/state", "1"));
    EXPECT_EQ(on.updates.at(0).state, "on");
    auto gone = ha.on_message(msg("kitchen/kettle/avail", "offline"));
    EXPECT_EQ(gone.updates.at(0).state, "unavailable");
    auto back = ha.on_message(msg("kitchen/kettle/avail", "online"));
    EXPECT_EQ(back.updates.at(0).state, "on");

    auto off = ha.command({"switch", "turn_off", "switch.kettle", {}});
    ASSERT_EQ(off.messages.size(), 1U);
    EXPECT_EQ(off.messages[0].topic, "kitchen/kettle/set");
    EXPECT_EQ(off.messages[0].payload, "0");
    EXPECT_TRUE(ha.command({"cover", "open_cover", "switch.kettle", {}}).error);
}

TEST(HaDiscovery, JsonSchemaLightAndCover) {
    HaDiscoveryAdapter ha;
    ha.on_message(msg("homeassistant/light/desk/config", R"({
        "name": "Desk", "schema": "json", "stat_t": "desk/state", "cmd_t": "desk/set"})"));
    auto state = ha.on_message(msg("desk/state", R"({"state":"ON","brightness":77})"));
    EXPECT_EQ(state.updates.at(0).state, "on");
    EXPECT_EQ(state.updates.at(0).attributes["brightness"], 77);
    auto cmd = ha.command({"light", "turn_on", "light.desk", {{"brightness", 10}}});
    EXPECT_EQ(json::parse(cmd.messages.at(0).payload), json({{"state", "ON"}, {"brightness", 10}}));

    ha.on_message(msg("homeassistant/cover/blind/config", R"({
        "name": "Blind", "cmd_t": "blind/set", "pos_t": "blind/pos", "set_pos_t": "blind/pos/set"})"));
    auto pos = ha.on_message(msg("blind/pos", "35"));
    EXPECT_EQ(pos.updates.at(0).state, "open");
    EXPECT_EQ(pos.updates.at(0).attributes["current_position"], 35);
    auto set = ha.command({"cover", "set_cover_position", "cover.blind", {{"position", 80}}});
    EXPECT_EQ(set.messages.at(0).topic, "blind/pos/set");
    EXPECT_EQ(set.messages.at(0).payload, "80");
}

TEST(HaDiscovery, EmptyConfigRemovesTheEntity) {
    HaDiscoveryAdapter ha;
    ha.on_message(msg("homeassistant/binary_sensor/door/config",
                      R"({"name": "Door", "stat_t": "door/state"})"));
    EXPECT_TRUE(ha.owns("binary_sensor.door"));
    auto removed = ha.on_message(msg("homeassistant/binary_sensor/door/config", ""));
    EXPECT_EQ(removed.removed, std::vector<std::string>{"binary_sensor.door"});
    EXPECT_FALSE(ha.owns("binary_sensor.door"));
    EXPECT_FALSE(ha.accepts("door/state"));
}

TEST(HaDiscovery, ReportsBadConfigsAndUnreadableStates) {
    HaDiscoveryAdapter ha;
    EXPECT_TRUE(ha.on_message(msg("homeassistant/sensor/x/config", "{oops")).error);
    EXPECT_TRUE(ha.on_message(msg("homeassistant/vacuum/x/config", "{}")).error);
    ha.on_message(msg("homeassistant/sensor/t/config",
                      R"({"name": "T", "stat_t": "t/state", "val_tpl": "{{ value_json.temp }}"})"));
    auto bad = ha.on_message(msg("t/state", R"({"other": 1})"));
    EXPECT_TRUE(bad.error.has_value());
    auto ok = ha.on_message(msg("t/state", R"({"temp": 3})"));
    EXPECT_FALSE(ok.error.has_value());
    EXPECT_EQ(ok.updates.at(0).state, "3");
}

} // namespace
} // namespace hearth::hub
