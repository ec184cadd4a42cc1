#include "sim/simulator.h"

#include <chrono>
#include <deque>
#include <mutex>
#include <thread>

#include "core/log.h"
#include "mqtt/mqtt_client.h"
#include "sim/sim_home.h"
#include "sim/sim_watch.h"

namespace hearth::hub::sim {

namespace {

std::int64_t wall_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

tl::expected<SimulatorStats, std::string> run_simulator(const SimulatorOptions& options,
                                                        const std::atomic<bool>& stop) {
    if (!(options.speed > 0.0 && options.speed <= 100'000.0)) {
        return tl::unexpected(std::string("--speed must be in (0, 100000]"));
    }
    if (!(options.duration_s >= 0.0)) {
        return tl::unexpected(std::string("--duration must be >= 0"));
    }
    if (options.watch_id.empty() || options.watch_id.find_first_of("/+#") != std::string::npos) {
        return tl::unexpected(std::string("--watch-id must be non-empty without / + #"));
    }
    if (options.watch_batch_ms < 1000 || options.watch_batch_ms > 60'000) {
        return tl::unexpected(std::string("watch batches must be 1-60 s"));
    }
    const std::string watch_topic = options.watch_base + "/" + options.watch_id;

    std::mutex inbox_mutex;
    std::deque<MqttMessage> inbox;
    MqttOptions mqtt;
    mqtt.host = options.host;
    mqtt.port = options.port;
    mqtt.client_id = "hearth-simulate-" + options.watch_id;
    mqtt.clean_session = true;
    mqtt.availability_topic = watch_topic + "/availability";
    auto client = start_mqtt_client(
        mqtt,
        [&](const MqttMessage& m) {
            std::lock_guard lock(inbox_mutex);
            if (inbox.size() < 10'000) {
                inbox.push_back(m);
            }
        },
        [&](MqttConnection c, const std::string& reason) {
            log_line(c == MqttConnection::Up ? LogLevel::Info : LogLevel::Warn, "simulate",
                     options.host + ":" + std::to_string(options.port) + ": " + reason);
        });
    if (!client) {
        return tl::unexpected(client.error());
    }
    MqttClient& mq = **client;
    mq.subscribe(options.zigbee2mqtt_base + "/+/set", 1);

    SimulatorStats stats;
    SimHome home(options.zigbee2mqtt_base, options.seed);
    WatchSynth watch(options.seed + 1);
    const auto publish = [&](const MqttMessage& m) {
        if (mq.publish(m.topic, m.payload, m.qos, m.retain)) {
            ++stats.messages_published;
        }
    };
    for (const auto& m : home.start_messages()) {
        publish(m);
    }

    const std::int64_t sim_start_ms = options.start_ms.value_or(wall_now_ms());
    const auto duration_ms = static_cast<std::int64_t>(options.duration_s * 1000.0);
    const auto real_start = std::chrono::steady_clock::now();
    std::int64_t next_batch_ms = sim_start_ms;
    while (!stop) {
        const double real_elapsed_s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - real_start).count();
        std::int64_t sim_now_ms =
            sim_start_ms + static_cast<std::int64_t>(real_elapsed_s * options.speed * 1000.0);
        const bool finished = duration_ms > 0 && sim_now_ms >= sim_start_ms + duration_ms;
        if (finished) {
            sim_now_ms = sim_start_ms + duration_ms;
        }

        std::deque<MqttMessage> commands;
        {
            std::lock_guard lock(inbox_mutex);
            commands.swap(inbox);
        }
        for (const auto& cmd : commands) {
            if (!home.is_command(cmd.topic)) {
                continue;
            }
            if (auto answer = home.on_command(cmd)) {
                ++stats.commands_answered;
                for (const auto& m : *answer) {
                    publish(m);
                }
            } else {
                ++stats.commands_refused;
                log_line(LogLevel::Warn, "simulate", cmd.topic + ": " + answer.error());
            }
        }

        // Watch batches that are due; bounded per round so that commands stay responsive.
        for (int i = 0; i < 50 && next_batch_ms + options.watch_batch_ms <= sim_now_ms; ++i) {
            const WatchBatch batch = watch.next_batch(next_batch_ms, options.watch_batch_ms);
            for (const auto& e : batch.events) {
                publish({watch_topic + "/event", e.dump(), 1, false});
            }
            publish({watch_topic + "/samples", batch.samples_payload, 1, false});
            ++stats.watch_batches;
            next_batch_ms += options.watch_batch_ms;
            for (const auto& m : home.tick(next_batch_ms)) {
                publish(m);
            }
        }
        if (finished && next_batch_ms + options.watch_batch_ms > sim_now_ms) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // Let queued QoS 1 messages leave before disconnecting (bounded).
    for (int i = 0; i < 50 && !stop; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    mq.publish(mqtt.availability_topic, "offline", 1, true);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    mq.stop();
    return stats;
}

} // namespace hearth::hub::sim
