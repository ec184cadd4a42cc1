#pragma once

// `hearth simulate`: plays a home (SimHome, Zigbee2MQTT convention) and a Hearth watch
// (WatchSynth) against an MQTT broker, answering the home's `/set` commands, until the
// simulated duration is over or `stop` becomes true.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include <tl/expected.hpp>

namespace hearth::hub::sim {

struct SimulatorOptions {
    std::string host = "127.0.0.1";
    int port = 1883;
    double speed = 1.0;      // simulated seconds per real second, > 0
    double duration_s = 0.0; // simulated seconds; 0 runs until stopped
    std::string watch_id = "watch";
    std::uint64_t seed = 1;
    std::optional<std::int64_t> start_ms; // simulated start, unix ms; default: now
    std::int64_t watch_batch_ms = 5000;   // simulated time per samples message
    std::string zigbee2mqtt_base = "zigbee2mqtt";
    std::string watch_base = "hearth/watch";
};

struct SimulatorStats {
    std::uint64_t messages_published = 0;
    std::uint64_t commands_answered = 0;
    std::uint64_t commands_refused = 0;
    std::uint64_t watch_batches = 0;
};

// Errors: invalid options or the MQTT client could not start. A broker that cannot be reached
// is retried in the background (messages wait in the client).
tl::expected<SimulatorStats, std::string> run_simulator(const SimulatorOptions& options,
                                                        const std::atomic<bool>& stop);

} // namespace hearth::hub::sim
