// hub_load: measures `hearth serve` under load, as a separate process behind a private mosquitto,
// everything on 127.0.0.1 with ports picked at run time and every phase bounded in time.
//
//   hub_load [--store sqlite|postgres] [--devices N] [--messages N] [--publishers N]
//            [--latency-rate PER_S] [--latency-seconds S]
//
// Phase 1 (latency): states published at a steady rate from many simulated Zigbee2MQTT devices;
// a WebSocket client subscribed to state_changed times each value from publish to event (p50,
// p99, max). Phase 2 (throughput): --messages states published as fast as the publishers go;
// sustained ingest is messages / time until the hub's /api/stats says all are stored. Then the
// hub's peak resident size (VmHWM). --store postgres uses $HEARTH_TEST_POSTGRES (run under
// tests/integration/with-postgres).

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
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
using hub::testing::get_json;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Options {
    std::string store = "sqlite";
    int devices = 200;
    long messages = 200'000;
    int publishers = 2;
    int latency_rate = 1000;
    int latency_seconds = 5;
};

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

std::uint64_t stat(int port, const std::string& token, const char* name) {
    auto s = get_json(port, "/api/stats", token);
    return s ? s->value(name, std::uint64_t{0}) : 0;
}

// Reads state_changed events and records, for each value below `count`, the time it arrived.
class EventTimer {
public:
    EventTimer(int port, std::string token, std::size_t count)
        : m_arrived_ns(count), m_token(std::move(token)) {
        for (auto& a : m_arrived_ns) {
            a.store(0);
        }
        m_thread = std::thread([this, port] { run(port); });
        for (int i = 0; i < 400 && !m_subscribed.load(); ++i) {
            std::this_thread::sleep_for(10ms);
        }
    }
    ~EventTimer() {
        if (m_thread.joinable()) {
            m_thread.detach(); // ends when the hub closes the socket
        }
    }
    EventTimer(const EventTimer&) = delete;
    EventTimer& operator=(const EventTimer&) = delete;

    [[nodiscard]] bool subscribed() const { return m_subscribed.load(); }
    [[nodiscard]] std::int64_t arrived_ns(std::size_t value) const {
        return m_arrived_ns[value].load();
    }

private:
    void run(int port) {
        try {
            hub::testing::WebSocketClient ws(port, "/api/websocket");
            ws.receive();
            ws.send({{"type", "auth"}, {"access_token", m_token}});
            ws.receive();
            ws.send({{"id", 1}, {"type", "subscribe_events"}, {"event_type", "state_changed"}});
            for (;;) {
                const auto message = ws.receive();
                const std::int64_t t_ns = now_ns();
                if (message.value("type", "") == "result") {
                    m_subscribed.store(true);
                    continue;
                }
                const auto& state = message["event"]["data"]["new_state"];
                if (!state.is_object() || !state["state"].is_string()) {
                    continue;
                }
                const double v = std::strtod(state["state"].get<std::string>().c_str(), nullptr);
                if (v >= 0 && v < static_cast<double>(m_arrived_ns.size())) {
                    auto& slot = m_arrived_ns[static_cast<std::size_t>(v)];
                    if (slot.load() == 0) {
                        slot.store(t_ns);
                    }
                }
            }
        } catch (const std::exception&) {
            // The hub closed the socket (it stopped, or this client fell too far behind).
        }
    }

    std::vector<std::atomic<std::int64_t>> m_arrived_ns;
    std::string m_token;
    std::atomic<bool> m_subscribed{false};
    std::thread m_thread;
};

std::vector<std::unique_ptr<hub::MqttClient>> start_publishers(int port, int count) {
    std::vector<std::unique_ptr<hub::MqttClient>> out;
    for (int i = 0; i < count; ++i) {
        hub::MqttOptions options;
        options.port = port;
        options.client_id = "hearth-load-" + std::to_string(i);
        options.clean_session = true;
        auto client = hub::start_mqtt_client(
            options, [](const hub::MqttMessage&) {},
            [](hub::MqttConnection, const std::string&) {});
        if (!client) {
            return {};
        }
        for (int k = 0; k < 200 && !(*client)->connected(); ++k) {
            std::this_thread::sleep_for(25ms);
        }
        out.push_back(std::move(*client));
    }
    return out;
}

void publish_value(hub::MqttClient& publisher, long value, int devices) {
    publisher.publish("zigbee2mqtt/Load " + std::to_string(value % devices),
                      R"({"temperature":)" + std::to_string(value) + "}", 1, false);
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) {
        return 0.0;
    }
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    return values[index];
}

int run(const Options& o) {
    std::string store = "sqlite";
    if (o.store == "postgres") {
        const char* conninfo = std::getenv("HEARTH_TEST_POSTGRES");
        if (conninfo == nullptr) {
            std::fprintf(stderr, "hub_load: run under tests/integration/with-postgres\n");
            return 1;
        }
        store = conninfo;
    }
    hub::testing::TestBroker broker;
    if (!broker.start()) {
        std::fprintf(stderr, "hub_load: cannot start mosquitto\n");
        return 1;
    }
    const std::string data_dir = integration::make_temp_dir("hearth-load");
    const std::string log = data_dir + "/hub.log";
    const std::string token = integration::create_token(HEARTH_BIN, data_dir);
    auto publishers = start_publishers(broker.port(), o.publishers);
    if (token.empty() || publishers.empty()) {
        std::fprintf(stderr, "hub_load: no token or no publisher\n");
        return 1;
    }
    publishers[0]->publish("zigbee2mqtt/bridge/devices", integration::load_devices_json(o.devices),
                           1, true);
    auto hub = integration::start_hub(HEARTH_BIN, data_dir, broker.port(), store, log);
    if (!hub) {
        std::fprintf(stderr, "hub_load: hub did not start:\n%s\n",
                     integration::read_file_text(log).c_str());
        return 1;
    }
    const int port = hub->http_port;
    for (int i = 0; i < 400 && stat(port, token, "messages_received") == 0; ++i) {
        std::this_thread::sleep_for(25ms);
    }

    // Phase 1: latency at a steady rate.
    const long latency_count = static_cast<long>(o.latency_rate) * o.latency_seconds;
    const long total_values = latency_count + o.messages;
    EventTimer timer(port, token, static_cast<std::size_t>(latency_count));
    if (!timer.subscribed()) {
        std::fprintf(stderr, "hub_load: WebSocket subscription failed\n");
        integration::kill_hub(*hub, SIGTERM);
        return 1;
    }
    std::vector<std::int64_t> sent_ns(static_cast<std::size_t>(latency_count));
    const auto phase1_start = Clock::now();
    for (long v = 0; v < latency_count; ++v) {
        std::this_thread::sleep_until(
            phase1_start + std::chrono::nanoseconds(v * 1'000'000'000LL / o.latency_rate));
        sent_ns[static_cast<std::size_t>(v)] = now_ns();
        publish_value(*publishers[static_cast<std::size_t>(v) % publishers.size()], v, o.devices);
    }
    std::this_thread::sleep_for(1s);
    std::vector<double> latencies_ms;
    for (long v = 0; v < latency_count; ++v) {
        const std::int64_t arrived = timer.arrived_ns(static_cast<std::size_t>(v));
        if (arrived != 0) {
            latencies_ms.push_back(
                static_cast<double>(arrived - sent_ns[static_cast<std::size_t>(v)]) / 1e6);
        }
    }

    // Phase 2: as fast as the publishers go; done when the hub has stored it all.
    const std::uint64_t stored_before = stat(port, token, "states_stored");
    const auto phase2_start = Clock::now();
    std::vector<std::thread> threads;
    for (std::size_t p = 0; p < publishers.size(); ++p) {
        threads.emplace_back([&, p] {
            for (long v = latency_count + static_cast<long>(p); v < total_values;
                 v += static_cast<long>(publishers.size())) {
                publish_value(*publishers[p], v, o.devices);
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    const double publish_s = std::chrono::duration<double>(Clock::now() - phase2_start).count();
    std::uint64_t stored = 0;
    const auto deadline = Clock::now() + 180s;
    while (Clock::now() < deadline) {
        stored = stat(port, token, "states_stored") - stored_before;
        if (stored >= static_cast<std::uint64_t>(o.messages)) {
            break;
        }
        std::this_thread::sleep_for(20ms);
    }
    const double ingest_s = std::chrono::duration<double>(Clock::now() - phase2_start).count();
    const long peak_kib = integration::peak_rss_kib(hub->pid);
    const auto stats = get_json(port, "/api/stats", token);

    std::printf("store: %s, devices: %d, publishers: %d\n", o.store.c_str(), o.devices,
                o.publishers);
    std::printf("latency at %d msg/s for %d s: %zu of %ld events, p50 %.2f ms, p99 %.2f ms, "
                "max %.2f ms\n",
                o.latency_rate, o.latency_seconds, latencies_ms.size(), latency_count,
                percentile(latencies_ms, 0.50), percentile(latencies_ms, 0.99),
                percentile(latencies_ms, 1.0));
    std::printf("ingest: %llu of %ld states stored in %.2f s (published in %.2f s): %.0f msg/s\n",
                static_cast<unsigned long long>(stored), o.messages, ingest_s, publish_s,
                static_cast<double>(stored) / ingest_s);
    std::printf("hub peak RSS: %.1f MiB\n", static_cast<double>(peak_kib) / 1024.0);
    if (stats) {
        std::printf("hub stats: %s\n", stats->dump().c_str());
    }
    integration::kill_hub(*hub, SIGTERM);
    for (auto& p : publishers) {
        p->stop();
    }
    std::filesystem::remove_all(data_dir);
    return stored >= static_cast<std::uint64_t>(o.messages) ? 0 : 2;
}

} // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const char* value = argv[i + 1];
        if (flag == "--store") {
            o.store = value;
        } else if (flag == "--devices") {
            o.devices = std::max(1, std::atoi(value));
        } else if (flag == "--messages") {
            o.messages = std::max(1L, std::atol(value));
        } else if (flag == "--publishers") {
            o.publishers = std::max(1, std::atoi(value));
        } else if (flag == "--latency-rate") {
            o.latency_rate = std::max(1, std::atoi(value));
        } else if (flag == "--latency-seconds") {
            o.latency_seconds = std::max(1, std::atoi(value));
        } else {
            std::fprintf(stderr, "hub_load: unknown option %s\n", flag.c_str());
            return 1;
        }
    }
    return run(o);
}
