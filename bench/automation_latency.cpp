// Automation latency through the whole hub: a private mosquitto on loopback, `hearth serve
// --config` with N automations (default 500), each watching its own device, and a publisher
// playing Zigbee2MQTT. For each trigger it publishes a device state message and times how long
// until the automation's `zigbee2mqtt/<light>/set` command arrives on the broker. One trigger
// at a time, so each command belongs to the message just sent. Prints p50/p90/p99/max.
//
// Half the automations are state triggers on a binary_sensor (occupancy -> "on") with a state
// condition, half numeric_state triggers on a temperature (above 30) with a numeric condition;
// each turns on or off its own light. Between triggers a reset message takes the sensor back
// (no trigger), as a real device would.
//
// Usage: automation_latency [--automations N] [--triggers N] [--seconds S]
// Bounded: at most S seconds of triggering (default 120), each trigger waits at most 2 s.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "integration/hub_process.h"
#include "mqtt/mqtt_client.h"
#include "testing/api_client.h"
#include "testing/test_broker.h"

namespace {

using namespace hearth;
using nlohmann::json;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

struct Options {
    int automations = 500;
    int triggers = 2000;
    int seconds = 120;
};

std::string sensor_name(int i) {
    return "Bench " + std::to_string(i);
}
std::string light_name(int i) {
    return "Bench Light " + std::to_string(i);
}

std::string devices_json(int count) {
    json devices = json::array();
    for (int i = 0; i < count; ++i) {
        devices.push_back({{"ieee_address", "0xb" + std::to_string(i)},
                           {"type", "EndDevice"},
                           {"friendly_name", sensor_name(i)},
                           {"definition",
                            {{"vendor", "Hearth"},
                             {"model", "BENCH"},
                             {"exposes",
                              {{{"type", "binary"},
                                {"name", "occupancy"},
                                {"property", "occupancy"},
                                {"value_on", true},
                                {"value_off", false},
                                {"access", 1}},
                               {{"type", "numeric"},
                                {"name", "temperature"},
                                {"property", "temperature"},
                                {"unit", "°C"},
                                {"access", 1}}}}}}});
        devices.push_back({{"ieee_address", "0xc" + std::to_string(i)},
                           {"type", "Router"},
                           {"friendly_name", light_name(i)},
                           {"definition",
                            {{"vendor", "Hearth"},
                             {"model", "BENCHLIGHT"},
                             {"exposes",
                              {{{"type", "light"},
                                {"features",
                                 {{{"type", "binary"},
                                   {"name", "state"},
                                   {"property", "state"},
                                   {"value_on", "ON"},
                                   {"value_off", "OFF"},
                                   {"access", 7}},
                                  {{"type", "numeric"},
                                   {"name", "brightness"},
                                   {"property", "brightness"},
                                   {"access", 7}}}}}}}}}});
    }
    return devices.dump();
}

std::string automations_yaml(int count) {
    std::string out = "automations:\n";
    for (int i = 0; i < count; ++i) {
        const std::string n = std::to_string(i);
        const std::string light = "light.bench_light_" + n;
        if (i % 2 == 0) {
            out += "  - id: occupancy_" + n +
                   "\n"
                   "    mode: queued\n"
                   "    triggers:\n"
                   "      - trigger: state\n"
                   "        entity_id: binary_sensor.bench_" +
                   n +
                   "_occupancy\n"
                   "        to: \"on\"\n"
                   "    conditions:\n"
                   "      - condition: state\n"
                   "        entity_id: binary_sensor.bench_" +
                   n +
                   "_occupancy\n"
                   "        state: \"on\"\n"
                   "    actions:\n"
                   "      - action: light.turn_on\n"
                   "        target: { entity_id: " +
                   light +
                   " }\n"
                   "        data: { brightness: 120 }\n";
        } else {
            out += "  - id: warm_" + n +
                   "\n"
                   "    mode: queued\n"
                   "    triggers:\n"
                   "      - trigger: numeric_state\n"
                   "        entity_id: sensor.bench_" +
                   n +
                   "_temperature\n"
                   "        above: 30\n"
                   "    conditions:\n"
                   "      - condition: numeric_state\n"
                   "        entity_id: sensor.bench_" +
                   n +
                   "_temperature\n"
                   "        below: 100\n"
                   "    actions:\n"
                   "      - action: light.turn_off\n"
                   "        target: { entity_id: " +
                   light + " }\n";
        }
    }
    return out;
}

// Waits for commands on zigbee2mqtt/+/set; one outstanding trigger at a time.
class CommandWaiter {
public:
    void on_message(const hub::MqttMessage& m) {
        const auto now = SteadyClock::now();
        std::lock_guard lock(m_mutex);
        m_last_topic = m.topic;
        m_last_at = now;
        ++m_count;
        m_cv.notify_all();
    }
    [[nodiscard]] std::uint64_t count() const {
        std::lock_guard lock(m_mutex);
        return m_count;
    }
    // Waits for a command after `seen` were received; its topic and arrival time.
    std::optional<std::pair<std::string, SteadyClock::time_point>>
    wait_after(std::uint64_t seen, std::chrono::milliseconds timeout) {
        std::unique_lock lock(m_mutex);
        if (!m_cv.wait_for(lock, timeout, [&] { return m_count > seen; })) {
            return std::nullopt;
        }
        return std::make_pair(m_last_topic, m_last_at);
    }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::uint64_t m_count = 0;
    std::string m_last_topic;
    SteadyClock::time_point m_last_at;
};

std::unique_ptr<hub::MqttClient> connect(int port, const std::string& id,
                                         hub::MqttClient::MessageHandler handler) {
    hub::MqttOptions options;
    options.port = port;
    options.client_id = id;
    auto client = hub::start_mqtt_client(options, std::move(handler),
                                         [](hub::MqttConnection, const std::string&) {});
    if (!client) {
        return nullptr;
    }
    for (int i = 0; i < 200 && !(*client)->connected(); ++i) {
        std::this_thread::sleep_for(25ms);
    }
    return std::move(*client);
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    const auto at = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(at, v.size() - 1)];
}

int run(const Options& o) {
    hub::testing::TestBroker broker;
    if (!broker.start()) {
        std::fprintf(stderr, "automation_latency: mosquitto did not start\n");
        return 1;
    }
    const std::string dir = integration::make_temp_dir("hearth-automation-latency");
    const std::string data = dir + "/data";
    std::filesystem::create_directories(data);
    const std::string config = dir + "/automations.yaml";
    std::ofstream(config) << automations_yaml(o.automations);
    const std::string token = integration::create_token(HEARTH_BIN, data);

    CommandWaiter waiter;
    auto listener = connect(broker.port(), "automation-latency-listener",
                            [&](const hub::MqttMessage& m) { waiter.on_message(m); });
    auto publisher =
        connect(broker.port(), "automation-latency-devices", [](const hub::MqttMessage&) {});
    if (!listener || !publisher) {
        std::fprintf(stderr, "automation_latency: cannot connect to the broker\n");
        return 1;
    }
    listener->subscribe("zigbee2mqtt/+/set", 1);
    publisher->publish("zigbee2mqtt/bridge/devices", devices_json(o.automations), 1, true);

    const std::string log_path = dir + "/hub.log";
    const pid_t pid = fork();
    if (pid == 0) {
        if (std::FILE* f = std::fopen(log_path.c_str(), "a")) {
            dup2(fileno(f), 1);
            dup2(fileno(f), 2);
        }
        const std::string port = std::to_string(broker.port());
        execl(HEARTH_BIN, HEARTH_BIN, "serve", "--data", data.c_str(), "--mqtt-port", port.c_str(),
              "--http-port", "0", "--client-id", "hearth-automation-latency", "--config",
              config.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    integration::HubProcess hub{pid, 0};
    const std::string marker = "listening on http://127.0.0.1:";
    for (int i = 0; i < 800 && hub.http_port == 0; ++i) {
        const std::string log = integration::read_file_text(log_path);
        if (const std::size_t at = log.find(marker); at != std::string::npos) {
            hub.http_port = std::atoi(log.c_str() + at + marker.size());
        } else {
            std::this_thread::sleep_for(25ms);
        }
    }
    int status = 1;
    auto finish = [&] {
        integration::kill_hub(hub, SIGTERM);
        std::filesystem::remove_all(dir);
        return status;
    };
    if (hub.http_port == 0) {
        std::fprintf(stderr, "automation_latency: the hub did not start:\n%s\n",
                     integration::read_file_text(log_path).c_str());
        return finish();
    }
    // Every device known and every sensor at its reset value before timing starts.
    for (int i = 0; i < o.automations; ++i) {
        const std::string payload = i % 2 == 0 ? R"({"occupancy":false})" : R"({"temperature":20})";
        publisher->publish("zigbee2mqtt/" + sensor_name(i), payload, 1, false);
    }
    const std::string last_entity =
        o.automations % 2 == 1
            ? "binary_sensor.bench_" + std::to_string(o.automations - 1) + "_occupancy"
            : "sensor.bench_" + std::to_string(o.automations - 1) + "_temperature";
    bool ready = false;
    for (int i = 0; i < 400 && !ready; ++i) {
        ready =
            hub::testing::get_json(hub.http_port, "/api/states/" + last_entity, token).has_value();
        if (!ready) {
            std::this_thread::sleep_for(50ms);
        }
    }
    const json automations =
        hub::testing::get_json(hub.http_port, "/api/automations", token).value_or(json());
    if (!ready || !automations.is_object() ||
        automations["automations"].size() != static_cast<std::size_t>(o.automations)) {
        std::fprintf(stderr, "automation_latency: the hub is not ready (%s)\n",
                     automations.is_object() ? automations["problems"].dump().c_str() : "no API");
        return finish();
    }
    std::this_thread::sleep_for(500ms); // let the reset states settle

    std::vector<double> latencies_ms;
    int missing = 0;
    int wrong = 0;
    const auto stop_at = SteadyClock::now() + std::chrono::seconds(o.seconds);
    for (int k = 0; k < o.triggers && SteadyClock::now() < stop_at; ++k) {
        const int i = static_cast<int>((static_cast<long>(k) * 7919) % o.automations);
        const std::string topic = "zigbee2mqtt/" + sensor_name(i);
        const std::uint64_t seen = waiter.count();
        const auto sent = SteadyClock::now();
        publisher->publish(topic, i % 2 == 0 ? R"({"occupancy":true})" : R"({"temperature":31.5})",
                           1, false);
        auto command = waiter.wait_after(seen, 2000ms);
        if (!command) {
            ++missing;
        } else if (command->first != "zigbee2mqtt/" + light_name(i) + "/set") {
            ++wrong;
        } else {
            latencies_ms.push_back(
                std::chrono::duration<double, std::milli>(command->second - sent).count());
        }
        // Back to the reset value: no trigger, so no command.
        publisher->publish(topic, i % 2 == 0 ? R"({"occupancy":false})" : R"({"temperature":20})",
                           1, false);
    }
    std::printf("automations loaded: %d\n", o.automations);
    std::printf("triggers timed: %zu (missing %d, wrong command %d)\n", latencies_ms.size(),
                missing, wrong);
    std::printf("trigger message -> /set command: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, "
                "max %.2f ms\n",
                percentile(latencies_ms, 0.50), percentile(latencies_ms, 0.90),
                percentile(latencies_ms, 0.99), percentile(latencies_ms, 1.0));
    std::printf("hub peak RSS: %ld KiB\n", integration::peak_rss_kib(hub.pid));
    status = latencies_ms.empty() || missing > 0 || wrong > 0 ? 1 : 0;
    listener->stop();
    publisher->stop();
    return finish();
}

} // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const char* value = argv[i + 1];
        if (flag == "--automations") {
            o.automations = std::max(1, std::atoi(value));
        } else if (flag == "--triggers") {
            o.triggers = std::max(1, std::atoi(value));
        } else if (flag == "--seconds") {
            o.seconds = std::max(1, std::atoi(value));
        } else {
            std::fprintf(stderr, "automation_latency: unknown option %s\n", flag.c_str());
            return 1;
        }
    }
    return run(o);
}
