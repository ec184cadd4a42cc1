// The automation routes and services over real HTTP on loopback, with the AutomationRunner
// attached to a hub fed by a fake Zigbee2MQTT bridge through a private broker: a sensor's state
// message runs an automation whose command reaches the bridge, and the API shows the run.

#include "api/api_server.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "automation/hub_home.h"
#include "automation/runner.h"
#include "testing/api_client.h"
#include "testing/fake_bridge.h"
#include "testing/test_broker.h"

namespace hearth::hub {
namespace {

using testing::http_request;
using testing::HttpMethod;
using json = nlohmann::json;
using namespace std::chrono_literals;

// Line 23 holds the bad `for:` of the second automation.
const char* const config_yaml = R"(areas:
  - id: bedroom
    entities: [light.bedroom_light]
scenes:
  - id: dim
    name: Dim
    entities:
      light.bedroom_light: { state: "on", brightness: 40 }
automations:
  - id: cold_bedroom
    alias: Bedroom light off when it is cold
    triggers:
      - trigger: numeric_state
        entity_id: sensor.bedroom_sensor_temperature
        below: 16
    actions:
      - action: light.turn_off
        target: { area_id: bedroom }
  - id: broken
    triggers:
      - trigger: state
        entity_id: light.bedroom_light
        for: "whenever"
    actions:
      - action: light.turn_off
        target: { area_id: bedroom }
)";

class AutomationRoutesTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!testing::TestBroker::available()) {
            GTEST_SKIP() << "mosquitto is not installed";
        }
        ASSERT_TRUE(m_broker.start());
        static int counter = 0;
        m_dir =
            std::filesystem::temp_directory_path() /
            ("hearth-automation-api-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
        HubConfig config;
        config.data_dir = m_dir;
        config.mqtt.port = m_broker.port();
        config.mqtt.client_id = "hearth-automation-api-test";
        auto hub = Hub::start(config, m_clock);
        ASSERT_TRUE(hub.has_value()) << hub.error();
        m_hub = std::move(*hub);
        ASSERT_TRUE(m_hub->wait_subscribed(10s));
        m_config_path = m_dir / "automations.yaml";
        std::ofstream(m_config_path) << config_yaml;
        m_home.emplace(*m_hub);
        m_runner.emplace(*m_home, m_clock);
        m_runner->set_config_path(m_config_path);
        m_runner->reload();
        m_runner->attach(*m_hub);
        m_tokens.emplace(m_dir / "tokens.json");
        m_token = *m_tokens->create("test", 0);
        ApiServerOptions options;
        options.port = 0;
        auto server = start_api_server(*m_hub, *m_tokens, m_clock, options, &*m_runner);
        ASSERT_TRUE(server.has_value()) << server.error();
        m_server = std::move(*server);
        m_bridge.emplace(m_broker.port());
        m_bridge->publish("zigbee2mqtt/bridge/devices", testing::z2m_bedroom_devices, true);
        m_bridge->publish("zigbee2mqtt/Bedroom Light", R"({"state":"ON","brightness":200})");
        m_bridge->publish("zigbee2mqtt/Bedroom Sensor", R"({"temperature":20})");
        for (int i = 0; i < 400; ++i) {
            if (auto s = m_hub->state("sensor.bedroom_sensor_temperature"); s) {
                break;
            }
            std::this_thread::sleep_for(25ms);
        }
    }
    void TearDown() override {
        m_server.reset();
        if (m_runner) {
            m_runner->detach();
        }
        m_runner.reset();
        m_bridge.reset();
        m_hub.reset();
        std::filesystem::remove_all(m_dir);
    }

    testing::TestBroker m_broker;
    SystemClock m_clock;
    std::filesystem::path m_dir;
    std::filesystem::path m_config_path;
    std::unique_ptr<Hub> m_hub;
    std::optional<automation::HubHome> m_home;
    std::optional<automation::AutomationRunner> m_runner;
    std::optional<TokenStore> m_tokens;
    std::string m_token;
    std::unique_ptr<ApiServer> m_server;
    std::optional<testing::FakeBridge> m_bridge;
};

TEST_F(AutomationRoutesTest, ListsAutomationsWithTheirSourceAndProblems) {
    const int port = m_server->port();
    EXPECT_EQ(http_request(port, HttpMethod::get, "/api/automations", "").status, 401);
    const auto list = http_request(port, HttpMethod::get, "/api/automations", m_token);
    ASSERT_EQ(list.status, 200);
    ASSERT_EQ(list.body["automations"].size(), 1U) << list.body.dump();
    const json& a = list.body["automations"][0];
    EXPECT_EQ(a["id"], "cold_bedroom");
    EXPECT_EQ(a["alias"], "Bedroom light off when it is cold");
    EXPECT_EQ(a["mode"], "single");
    EXPECT_EQ(a["enabled"], true);
    EXPECT_EQ(a["running"], 0);
    EXPECT_TRUE(a["last_triggered"].is_null());
    EXPECT_NE(a["source"].get<std::string>().find("automations.yaml:10"), std::string::npos)
        << a["source"];
    ASSERT_GE(list.body["problems"].size(), 1U);
    const json& p = list.body["problems"][0];
    EXPECT_EQ(p["item"], "broken");
    EXPECT_EQ(p["line"], 23);
    EXPECT_NE(p["text"].get<std::string>().find("automations.yaml:23"), std::string::npos);

    const auto scenes = http_request(port, HttpMethod::get, "/api/scenes", m_token);
    ASSERT_EQ(scenes.status, 200);
    ASSERT_EQ(scenes.body.size(), 1U);
    EXPECT_EQ(scenes.body[0]["entity_id"], "scene.dim");
    EXPECT_EQ(scenes.body[0]["entities"]["light.bedroom_light"]["state"], "on");
    EXPECT_EQ(http_request(port, HttpMethod::delete_, "/api/scenes", m_token).status, 405);
}

TEST_F(AutomationRoutesTest, AStateMessageRunsTheAutomationAndLeavesATrace) {
    const int port = m_server->port();
    m_bridge->publish("zigbee2mqtt/Bedroom Sensor", R"({"temperature":15})");
    const auto command = m_bridge->wait_command();
    ASSERT_TRUE(command.has_value());
    EXPECT_EQ(command->topic, "zigbee2mqtt/Bedroom Light/set");
    EXPECT_EQ(json::parse(command->payload)["state"], "OFF");

    m_runner->sync();
    const auto traces =
        http_request(port, HttpMethod::get, "/api/traces?automation_id=cold_bedroom", m_token);
    ASSERT_EQ(traces.status, 200);
    ASSERT_EQ(traces.body.size(), 1U) << traces.body.dump();
    const json& t = traces.body[0];
    EXPECT_EQ(t["automation_id"], "cold_bedroom");
    EXPECT_EQ(t["outcome"], "finished");
    EXPECT_NE(t.dump().find("sensor.bedroom_sensor_temperature"), std::string::npos);
    EXPECT_NE(t.dump().find("light.turn_off"), std::string::npos);
    const auto one =
        http_request(port, HttpMethod::get, "/api/traces/" + t["run_id"].dump(), m_token);
    ASSERT_EQ(one.status, 200);
    EXPECT_EQ(one.body["run_id"], t["run_id"]);
    EXPECT_EQ(http_request(port, HttpMethod::get, "/api/traces/999999", m_token).status, 404);
    EXPECT_EQ(http_request(port, HttpMethod::get, "/api/traces/x", m_token).status, 400);
    EXPECT_EQ(http_request(port, HttpMethod::get, "/api/traces", m_token).body.size(), 1U);
    const auto list = http_request(port, HttpMethod::get, "/api/automations", m_token);
    EXPECT_TRUE(list.body["automations"][0]["last_triggered"].is_string());
}

TEST_F(AutomationRoutesTest, SceneAndAutomationServices) {
    const int port = m_server->port();
    auto scene = http_request(port, HttpMethod::post, "/api/services/scene/turn_on", m_token,
                              R"({"entity_id":"scene.dim"})");
    ASSERT_EQ(scene.status, 200) << scene.body.dump();
    const auto command = m_bridge->wait_command();
    ASSERT_TRUE(command.has_value());
    EXPECT_EQ(command->topic, "zigbee2mqtt/Bedroom Light/set");
    EXPECT_EQ(json::parse(command->payload)["brightness"], 40);
    EXPECT_EQ(http_request(port, HttpMethod::post, "/api/services/scene/turn_on", m_token,
                           R"({"entity_id":"scene.nowhere"})")
                  .status,
              400);

    auto created =
        http_request(port, HttpMethod::post, "/api/services/scene/create", m_token,
                     R"({"scene_id":"before","snapshot_entities":["light.bedroom_light"]})");
    ASSERT_EQ(created.status, 200) << created.body.dump();
    EXPECT_EQ(http_request(port, HttpMethod::get, "/api/scenes", m_token).body.size(), 2U);

    auto off = http_request(port, HttpMethod::post, "/api/services/automation/turn_off", m_token,
                            R"({"entity_id":"automation.cold_bedroom"})");
    ASSERT_EQ(off.status, 200) << off.body.dump();
    EXPECT_EQ(http_request(port, HttpMethod::get, "/api/automations", m_token)
                  .body["automations"][0]["enabled"],
              false);
    auto trigger = http_request(port, HttpMethod::post, "/api/services/automation/trigger", m_token,
                                R"({"entity_id":"automation.nothing"})");
    EXPECT_EQ(trigger.status, 400);

    // Fix the file and reload through the API: both automations now load.
    {
        std::string text = config_yaml;
        text.replace(text.find("\"whenever\""), 10, "\"00:00:01\"");
        std::ofstream(m_config_path) << text;
    }
    const auto reload = http_request(port, HttpMethod::post, "/api/automations/reload", m_token);
    ASSERT_EQ(reload.status, 200);
    EXPECT_EQ(reload.body["automations"], 2);
    EXPECT_TRUE(reload.body["problems"].empty()) << reload.body.dump();
    EXPECT_EQ(
        http_request(port, HttpMethod::get, "/api/automations", m_token).body["automations"].size(),
        2U);
}

} // namespace
} // namespace hearth::hub
