// Automations end to end, as three processes on loopback: a private mosquitto, `hearth serve
// --config automations.yaml`, and `hearth simulate` playing a Zigbee2MQTT home and the Hearth
// watch from 22:50 UTC, sped up. The wearer falls asleep at 23:00; the automation of the issue
// (state of sensor.watch_sleep_stage leaving wake, for a sleep stage rather than the watch going
// unavailable -> light.turn_off on area bedroom) must turn
// the simulated bedroom light off: seen as a `zigbee2mqtt/Bedroom Light/set` OFF command on the
// broker, as the light's state through the API, and as a trace of the run. The watch's own
// fell_asleep event drives a second automation (notify), seen on hearth/notify/phone.
//
// The hub runs on the real clock while the simulation runs faster, so the automations here use
// no `for:` and no time conditions (those are covered with an injected clock in the unit tests).

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "integration/hub_process.h"
#include "mqtt/mqtt_client.h"
#include "testing/api_client.h"
#include "testing/test_broker.h"

namespace hearth::integration {
namespace {

using hub::testing::get_json;
using hub::testing::http_request;
using hub::testing::HttpMethod;
using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// 2025-11-25 22:50:00 UTC.
constexpr std::int64_t start_ms = 1'764'111'000'000;
// Simulated seconds per real second: 23:00 comes after 5 s; the adapter decides sleep from
// 5-minute epochs, so the stage leaves wake some simulated minutes later.
constexpr int speed = 120;

const char* const automations_yaml = R"(areas:
  - id: bedroom
    name: Bedroom
    entities: [light.bedroom_light]
automations:
  - id: lights_off_when_asleep
    alias: Lights off when I fall asleep
    mode: single
    triggers:
      - trigger: state
        entity_id: sensor.watch_sleep_stage
        from: wake
        not_to: [unavailable, unknown]
    actions:
      - action: light.turn_off
        target: { area_id: bedroom }
  - id: tell_the_phone
    alias: Note when I fall asleep
    trigger:
      - platform: event
        event_type: fell_asleep
    action:
      - service: notify.phone
        data:
          message: fell asleep
)";

// A child process killed (SIGTERM, then SIGKILL) when the guard goes, whatever happened.
class Child {
public:
    Child() = default;
    explicit Child(pid_t pid) : m_pid(pid) {}
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child() { stop(); }
    void reset(pid_t pid) {
        stop();
        m_pid = pid;
    }
    [[nodiscard]] pid_t pid() const { return m_pid; }
    void stop() {
        if (m_pid <= 0) {
            return;
        }
        kill(m_pid, SIGTERM);
        for (int i = 0; i < 200; ++i) {
            if (waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
                m_pid = -1;
                return;
            }
            std::this_thread::sleep_for(25ms);
        }
        kill(m_pid, SIGKILL);
        waitpid(m_pid, nullptr, 0);
        m_pid = -1;
    }

private:
    pid_t m_pid = -1;
};

// Runs HEARTH_BIN with the arguments, stdout and stderr appended to log_path.
pid_t spawn(const std::vector<std::string>& args, const std::string& log_path) {
    const pid_t pid = fork();
    if (pid == 0) {
        if (std::FILE* f = std::fopen(log_path.c_str(), "a")) {
            dup2(fileno(f), 1);
            dup2(fileno(f), 2);
        }
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(HEARTH_BIN));
        for (const auto& a : args) {
            argv.push_back(const_cast<char*>(a.c_str()));
        }
        argv.push_back(nullptr);
        execv(HEARTH_BIN, argv.data());
        _exit(127);
    }
    return pid;
}

// Polls `done` every 50 ms until it is true or `timeout` passed.
bool wait_until(std::chrono::milliseconds timeout, const std::function<bool()>& done) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(50ms);
    }
    return done();
}

// Records every message on the topics it follows.
class Recorder {
public:
    bool start(int port, const std::vector<std::string>& topics) {
        hub::MqttOptions options;
        options.port = port;
        options.client_id = "hearth-automation-e2e-recorder";
        auto client = hub::start_mqtt_client(
            options,
            [this](const hub::MqttMessage& m) {
                std::lock_guard lock(m_mutex);
                m_messages.push_back({m, Clock::now()});
            },
            [](hub::MqttConnection, const std::string&) {});
        if (!client) {
            return false;
        }
        m_client = std::move(*client);
        for (const auto& t : topics) {
            m_client->subscribe(t, 1);
        }
        return wait_until(5s, [&] { return m_client->connected(); });
    }
    void stop() {
        if (m_client) {
            m_client->stop();
        }
    }
    // Messages on `topic` whose JSON payload has "state" == `state`, received after `after`.
    std::size_t count(const std::string& topic, const std::string& key, const std::string& value,
                      Clock::time_point after = {}) {
        std::lock_guard lock(m_mutex);
        std::size_t n = 0;
        for (const auto& [m, at] : m_messages) {
            if (m.topic != topic || at < after) {
                continue;
            }
            const json payload = json::parse(m.payload, nullptr, false);
            if (payload.is_object() && payload.contains(key) && payload[key] == value) {
                ++n;
            }
        }
        return n;
    }

private:
    std::unique_ptr<hub::MqttClient> m_client;
    std::mutex m_mutex;
    std::vector<std::pair<hub::MqttMessage, Clock::time_point>> m_messages;
};

TEST(AutomationE2e, WatchFallsAsleepAndTheBedroomLightGoesOffThroughMosquitto) {
    if (!hub::testing::TestBroker::available()) {
        GTEST_SKIP() << "mosquitto is not installed";
    }
    hub::testing::TestBroker broker;
    ASSERT_TRUE(broker.start());
    const std::string dir = make_temp_dir("hearth-automation-e2e");
    ASSERT_FALSE(dir.empty());
    struct Cleanup {
        std::string dir;
        ~Cleanup() { std::filesystem::remove_all(dir); }
    } cleanup{dir};
    const std::string config = dir + "/automations.yaml";
    std::ofstream(config) << automations_yaml;
    const std::string data = dir + "/data";
    std::filesystem::create_directories(data);
    const std::string token = create_token(HEARTH_BIN, data);
    ASSERT_FALSE(token.empty());

    Recorder recorder;
    ASSERT_TRUE(recorder.start(broker.port(), {"zigbee2mqtt/+/set", "hearth/notify/#"}));

    const std::string hub_log = dir + "/hub.log";
    Child hub_process(
        spawn({"serve", "--data", data, "--mqtt-port", std::to_string(broker.port()), "--http-port",
               "0", "--client-id", "hearth-automation-e2e", "--config", config},
              hub_log));
    int http_port = 0;
    const std::string marker = "listening on http://127.0.0.1:";
    ASSERT_TRUE(wait_until(20s, [&] {
        const std::string log = read_file_text(hub_log);
        const std::size_t at = log.find(marker);
        if (at != std::string::npos) {
            http_port = std::atoi(log.c_str() + at + marker.size());
        }
        return http_port > 0;
    })) << read_file_text(hub_log);

    // The configuration loaded without problems, with its source lines.
    auto automations = get_json(http_port, "/api/automations", token);
    ASSERT_TRUE(automations.has_value());
    ASSERT_EQ((*automations)["automations"].size(), 2U) << automations->dump();
    EXPECT_TRUE((*automations)["problems"].empty()) << automations->dump();
    EXPECT_EQ((*automations)["automations"][0]["id"], "lights_off_when_asleep");
    EXPECT_NE(
        (*automations)["automations"][0]["source"].get<std::string>().find("automations.yaml:"),
        std::string::npos);

    const std::string sim_log = dir + "/simulate.log";
    Child simulator(
        spawn({"simulate", "--broker", "127.0.0.1:" + std::to_string(broker.port()), "--start-ms",
               std::to_string(start_ms), "--speed", std::to_string(speed), "--duration", "14400"},
              sim_log));

    // The simulated home starts with the bedroom light off: switch it on through the API before
    // the night starts.
    ASSERT_TRUE(wait_until(10s, [&] {
        return get_json(http_port, "/api/states/light.bedroom_light", token).has_value();
    })) << read_file_text(sim_log);
    const auto turned_on_at = Clock::now();
    const auto on = http_request(http_port, HttpMethod::post, "/api/services/light/turn_on", token,
                                 R"({"entity_id":"light.bedroom_light"})");
    ASSERT_EQ(on.status, 200) << on.body.dump();
    ASSERT_TRUE(wait_until(10s, [&] {
        auto s = get_json(http_port, "/api/states/light.bedroom_light", token);
        return s && (*s)["state"] == "on";
    }));

    // Asleep at 23:00 simulated; the watch's detector confirms the onset after 10 minutes of
    // sleep, some 15 real seconds in on an idle machine. The bound is generous (a CI machine
    // busy with other tests, a slow disk under the hub's store) and costs time only on failure.
    const bool off_sent = wait_until(300s, [&] {
        return recorder.count("zigbee2mqtt/Bedroom Light/set", "state", "OFF", turned_on_at) > 0;
    });
    const auto stats = get_json(http_port, "/api/stats", token);
    ASSERT_TRUE(off_sent) << "hub stats: " << (stats ? stats->dump() : std::string("none"))
                          << "\nhub log:\n"
                          << read_file_text(hub_log) << "\nsimulator log:\n"
                          << read_file_text(sim_log);
    EXPECT_TRUE(wait_until(10s, [&] {
        auto s = get_json(http_port, "/api/states/light.bedroom_light", token);
        return s && (*s)["state"] == "off";
    }));
    auto stage = get_json(http_port, "/api/states/sensor.watch_sleep_stage", token);
    ASSERT_TRUE(stage.has_value());
    EXPECT_NE((*stage)["state"], "wake");

    // The trace: what triggered the run and what the action did.
    auto traces = get_json(http_port, "/api/traces?automation_id=lights_off_when_asleep", token);
    ASSERT_TRUE(traces.has_value());
    ASSERT_GE(traces->size(), 1U);
    const json& trace = (*traces)[traces->size() - 1]; // the first run (most recent first)
    const std::string text = trace.dump();
    EXPECT_NE(text.find("sensor.watch_sleep_stage"), std::string::npos) << text;
    EXPECT_NE(text.find("light.turn_off"), std::string::npos) << text;
    EXPECT_NE(text.find("light.bedroom_light"), std::string::npos) << text;
    const json to_state = trace["trigger_data"].value("to_state", json::object());
    const std::string stage_to = to_state.value("state", "");
    EXPECT_TRUE(stage_to == "light" || stage_to == "deep" || stage_to == "rem") << text;
    EXPECT_EQ(trace.value("outcome", ""), "finished") << text;
    ASSERT_TRUE(trace.contains("run_id"));
    auto one = get_json(http_port, "/api/traces/" + trace["run_id"].dump(), token);
    ASSERT_TRUE(one.has_value());
    EXPECT_EQ((*one)["run_id"], trace["run_id"]);

    // The watch's fell_asleep event ran the notify automation: published on MQTT.
    EXPECT_TRUE(wait_until(10s, [&] {
        return recorder.count("hearth/notify/phone", "message", "fell asleep") > 0;
    })) << read_file_text(hub_log);

    // A reload through the API keeps the hub running and reports no problems.
    const auto reload = http_request(http_port, HttpMethod::post, "/api/automations/reload", token);
    EXPECT_EQ(reload.status, 200) << reload.body.dump();
    EXPECT_TRUE(reload.body["problems"].empty()) << reload.body.dump();

    simulator.stop();
    hub_process.stop();
    recorder.stop();
    broker.stop();
}

} // namespace
} // namespace hearth::integration
