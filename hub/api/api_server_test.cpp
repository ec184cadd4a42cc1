// The API over real HTTP and WebSocket on loopback, against a hub fed by a fake Zigbee2MQTT
// bridge through a private broker.

#include "api/api_server.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "testing/api_client.h"
#include "testing/fake_bridge.h"
#include "testing/test_broker.h"

namespace hearth::hub {
namespace {

using testing::http_request;
using testing::HttpMethod;
using json = nlohmann::json;
using namespace std::chrono_literals;

class ApiTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!testing::TestBroker::available()) {
            GTEST_SKIP() << "mosquitto is not installed";
        }
        ASSERT_TRUE(m_broker.start());
        static int counter = 0;
        m_dir = std::filesystem::temp_directory_path() /
                ("hearth-api-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
        HubConfig config;
        config.data_dir = m_dir;
        config.mqtt.port = m_broker.port();
        config.mqtt.client_id = "hearth-api-test";
        auto hub = Hub::start(config, m_clock);
        ASSERT_TRUE(hub.has_value()) << hub.error();
        m_hub = std::move(*hub);
        ASSERT_TRUE(m_hub->wait_subscribed(10s));
        m_tokens.emplace(m_dir / "tokens.json");
        m_token = *m_tokens->create("test", 0);
        ApiServerOptions options;
        options.port = 0;
        auto server = start_api_server(*m_hub, *m_tokens, m_clock, options);
        ASSERT_TRUE(server.has_value()) << server.error();
        m_server = std::move(*server);
        m_bridge.emplace(m_broker.port());
        m_bridge->publish("zigbee2mqtt/bridge/devices", testing::z2m_bedroom_devices, true);
        m_bridge->publish("zigbee2mqtt/Bedroom Light", R"({"state":"ON","brightness":200})");
        for (int i = 0; i < 400; ++i) {
            if (auto s = m_hub->state("light.bedroom_light"); s && s->state == "on") {
                break;
            }
            std::this_thread::sleep_for(25ms);
        }
    }
    void TearDown() override {
        m_server.reset();
        m_bridge.reset();
        m_hub.reset();
        std::filesystem::remove_all(m_dir);
    }

    testing::TestBroker m_broker;
    SystemClock m_clock;
    std::filesystem::path m_dir;
    std::unique_ptr<Hub> m_hub;
    std::optional<TokenStore> m_tokens;
    std::string m_token;
    std::unique_ptr<ApiServer> m_server;
    std::optional<testing::FakeBridge> m_bridge;
};

TEST_F(ApiTest, NothingAnswersWithoutAToken) {
    EXPECT_EQ(http_request(m_server->port(), HttpMethod::get, "/api/states", "").status, 401);
    EXPECT_EQ(http_request(m_server->port(), HttpMethod::get, "/api/states", "hearth_wrong").status,
              401);
    EXPECT_EQ(http_request(m_server->port(), HttpMethod::get, "/api/", m_token).status, 200);
}

TEST_F(ApiTest, ServesStatesHistoryAndServices) {
    const int port = m_server->port();
    const auto states = http_request(port, HttpMethod::get, "/api/states", m_token);
    ASSERT_EQ(states.status, 200);
    ASSERT_TRUE(states.body.is_array());
    EXPECT_EQ(states.body.size(), 2U);

    const auto light =
        http_request(port, HttpMethod::get, "/api/states/light.bedroom_light", m_token);
    ASSERT_EQ(light.status, 200);
    EXPECT_EQ(light.body["state"], "on");
    EXPECT_EQ(light.body["attributes"]["brightness"], 200);
    EXPECT_EQ(http_request(port, HttpMethod::get, "/api/states/light.none", m_token).status, 404);

    const auto call = http_request(port, HttpMethod::post, "/api/services/light/turn_on", m_token,
                                   R"({"entity_id":"light.bedroom_light","brightness":30})");
    EXPECT_EQ(call.status, 200) << call.body.dump();
    const auto command = m_bridge->wait_command();
    ASSERT_TRUE(command.has_value());
    EXPECT_EQ(json::parse(command->payload), json({{"state", "ON"}, {"brightness", 30}}));
    EXPECT_EQ(
        http_request(port, HttpMethod::post, "/api/services/light/turn_on", m_token, "[1]").status,
        400);
    EXPECT_EQ(http_request(port, HttpMethod::post, "/api/services/cover/open_cover", m_token,
                           R"({"entity_id":"light.bedroom_light"})")
                  .status,
              400);

    ASSERT_TRUE(m_hub->wait_idle(5s));
    const auto history = http_request(
        port, HttpMethod::get, "/api/history?entity_id=light.bedroom_light&start=0", m_token);
    ASSERT_EQ(history.status, 200);
    ASSERT_TRUE(history.body.is_array());
    EXPECT_GE(history.body.size(), 1U);
    EXPECT_EQ(
        http_request(port, HttpMethod::get, "/api/history?entity_id=x&start=yesterday", m_token)
            .status,
        400);
    EXPECT_EQ(http_request(port, HttpMethod::get, "/api/nothing", m_token).status, 404);
    const auto stats = http_request(port, HttpMethod::get, "/api/stats", m_token);
    EXPECT_GE(stats.body["messages_processed"].get<int>(), 2);
}

TEST_F(ApiTest, StreamsStateChangesOverWebSocket) {
    testing::WebSocketClient ws(m_server->port(), "/api/websocket");
    EXPECT_EQ(ws.receive()["type"], "auth_required");
    ws.send({{"type", "auth"}, {"access_token", m_token}});
    EXPECT_EQ(ws.receive()["type"], "auth_ok");
    ws.send({{"id", 7}, {"type", "subscribe_events"}, {"event_type", "state_changed"}});
    const json ack = ws.receive();
    EXPECT_EQ(ack["id"], 7);
    EXPECT_EQ(ack["success"], true);

    m_bridge->publish("zigbee2mqtt/Bedroom Sensor", R"({"temperature":17.5})");
    json event;
    for (int i = 0; i < 10; ++i) {
        event = ws.receive();
        if (event["event"]["data"]["entity_id"] == "sensor.bedroom_sensor_temperature") {
            break;
        }
    }
    EXPECT_EQ(event["type"], "event");
    EXPECT_EQ(event["id"], 7);
    EXPECT_EQ(event["event"]["data"]["new_state"]["state"], "17.5");

    ws.send({{"id", 8}, {"type", "ping"}});
    json pong = json::object();
    for (int i = 0; i < 10 && pong.value("type", "") != "pong"; ++i) {
        pong = ws.receive();
    }
    EXPECT_EQ(pong["id"], 8);
}

TEST_F(ApiTest, WebSocketRejectsABadToken) {
    testing::WebSocketClient ws(m_server->port(), "/api/websocket");
    EXPECT_EQ(ws.receive()["type"], "auth_required");
    ws.send({{"type", "auth"}, {"access_token", "nope"}});
    EXPECT_EQ(ws.receive()["type"], "auth_invalid");
}

} // namespace
} // namespace hearth::hub
