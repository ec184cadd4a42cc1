#include "daemon/hub.h"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "testing/fake_bridge.h"
#include "testing/test_broker.h"

namespace hearth::hub {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
using testing::FakeBridge;
using testing::z2m_bedroom_devices;

class HubTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!testing::TestBroker::available()) {
            GTEST_SKIP() << "mosquitto is not installed";
        }
        ASSERT_TRUE(m_broker.start());
        static int counter = 0;
        m_dir = std::filesystem::temp_directory_path() /
                ("hearth-hub-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
        m_config.data_dir = m_dir;
        m_config.mqtt.port = m_broker.port();
        m_config.mqtt.client_id = "hearth-hub-test";
        m_config.mqtt.availability_topic = "hearth/hub/availability";
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }

    std::unique_ptr<Hub> start_hub() {
        auto hub = Hub::start(m_config, m_clock);
        EXPECT_TRUE(hub.has_value()) << (hub ? "" : hub.error());
        if (!hub) {
            return nullptr;
        }
        // States published before the broker has the hub's subscriptions would not reach it.
        EXPECT_TRUE((*hub)->wait_subscribed(10s));
        return std::move(*hub);
    }

    // Polls the hub until the entity has the state (bounded, so a broken hub fails).
    static bool wait_state(Hub& hub, const std::string& id, const std::string& state) {
        for (int i = 0; i < 400; ++i) {
            if (auto s = hub.state(id); s && s->state == state) {
                return true;
            }
            std::this_thread::sleep_for(25ms);
        }
        return false;
    }

    testing::TestBroker m_broker;
    SystemClock m_clock;
    std::filesystem::path m_dir;
    HubConfig m_config;
};

TEST_F(HubTest, FollowsDevicesStoresHistoryAndSendsCommands) {
    auto hub = start_hub();
    ASSERT_NE(hub, nullptr);
    FakeBridge bridge(m_broker.port());
    bridge.publish("zigbee2mqtt/bridge/devices", z2m_bedroom_devices, true);
    bridge.publish("zigbee2mqtt/Bedroom Light", R"({"state":"ON","brightness":200})");
    bridge.publish("zigbee2mqtt/Bedroom Sensor", R"({"temperature":21.5})");
    ASSERT_TRUE(wait_state(*hub, "light.bedroom_light", "on"));
    ASSERT_TRUE(wait_state(*hub, "sensor.bedroom_sensor_temperature", "21.5"));
    EXPECT_EQ(hub->state("light.bedroom_light")->attributes["brightness"], 200);

    ASSERT_TRUE(hub->call_service({"light", "turn_off", "light.bedroom_light", {}}).has_value());
    const auto command = bridge.wait_command();
    ASSERT_TRUE(command.has_value());
    EXPECT_EQ(command->topic, "zigbee2mqtt/Bedroom Light/set");
    EXPECT_EQ(json::parse(command->payload), json({{"state", "OFF"}}));
    EXPECT_FALSE(hub->call_service({"light", "turn_off", "light.nowhere", {}}).has_value());

    bridge.publish("zigbee2mqtt/Bedroom Light", R"({"state":"OFF"})");
    ASSERT_TRUE(wait_state(*hub, "light.bedroom_light", "off"));
    ASSERT_TRUE(hub->wait_idle(5s));
    const auto history = hub->with_store(
        [](Store& store) { return store.history("light.bedroom_light", 0, INT64_MAX, 100); });
    ASSERT_TRUE(history.has_value());
    ASSERT_GE(history->size(), 3U); // unknown, on, off
    EXPECT_EQ(history->back().state, "off");
}

TEST_F(HubTest, CountsBadMessagesAndGoesOn) {
    auto hub = start_hub();
    ASSERT_NE(hub, nullptr);
    FakeBridge bridge(m_broker.port());
    bridge.publish("zigbee2mqtt/bridge/devices", "{garbage", false);
    bridge.publish("zigbee2mqtt/bridge/devices", z2m_bedroom_devices, true);
    bridge.publish("zigbee2mqtt/Bedroom Sensor", "not json at all");
    bridge.publish("zigbee2mqtt/Bedroom Sensor", R"({"temperature":19})");
    ASSERT_TRUE(wait_state(*hub, "sensor.bedroom_sensor_temperature", "19"));
    EXPECT_GE(hub->stats().problems, 2U);
}

TEST_F(HubTest, RestoresStatesAfterARestart) {
    {
        auto hub = start_hub();
        ASSERT_NE(hub, nullptr);
        FakeBridge bridge(m_broker.port());
        bridge.publish("zigbee2mqtt/bridge/devices", z2m_bedroom_devices, true);
        bridge.publish("zigbee2mqtt/Bedroom Sensor", R"({"temperature":23})");
        ASSERT_TRUE(wait_state(*hub, "sensor.bedroom_sensor_temperature", "23"));
        ASSERT_TRUE(hub->wait_idle(5s));
    }
    m_broker.stop(); // the hub starts with no broker: it still serves what it knew
    auto started = Hub::start(m_config, m_clock);
    ASSERT_TRUE(started.has_value()) << started.error();
    auto& hub = *started;
    const auto restored = hub->state("sensor.bedroom_sensor_temperature");
    ASSERT_TRUE(restored.has_value());
    EXPECT_EQ(restored->state, "23");
}

TEST(HubConfigCheck, RejectsAnUnknownStore) {
    HubConfig config;
    config.data_dir = std::filesystem::temp_directory_path() / "hearth-hub-badstore";
    config.store = "mongodb://nope";
    SystemClock clock;
    const auto hub = Hub::start(config, clock);
    ASSERT_FALSE(hub.has_value());
    EXPECT_NE(hub.error().find("neither sqlite"), std::string::npos);
    std::filesystem::remove_all(config.data_dir);
}

} // namespace
} // namespace hearth::hub
