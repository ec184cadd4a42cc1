// `hearth simulate`: a home in the Zigbee2MQTT convention and a Hearth watch streaming a day,
// over MQTT, for trying the hub without hardware. Stops on SIGINT/SIGTERM or after --duration.

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/registry.h"
#include "sim/simulator.h"

namespace hearth::apps {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int /*signal*/) {
    g_stop = true;
}

struct SimulateOptions {
    std::string broker = "127.0.0.1:1883";
    double speed = 1.0;
    double duration_s = 0.0;
    std::string watch_id = "watch";
    std::uint64_t seed = 1;
    std::int64_t start_ms = 0;
};

int run_simulate(const SimulateOptions& o) {
    hub::sim::SimulatorOptions options;
    const auto colon = o.broker.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        std::cerr << "hearth simulate: --broker must be HOST:PORT\n";
        return exit_usage;
    }
    options.host = o.broker.substr(0, colon);
    try {
        std::size_t used = 0;
        options.port = std::stoi(o.broker.substr(colon + 1), &used);
        if (used != o.broker.size() - colon - 1 || options.port <= 0 || options.port > 65535) {
            throw std::out_of_range("port");
        }
    } catch (const std::exception&) {
        std::cerr << "hearth simulate: --broker port must be 1-65535\n";
        return exit_usage;
    }
    options.speed = o.speed;
    options.duration_s = o.duration_s;
    options.watch_id = o.watch_id;
    options.seed = o.seed;
    if (o.start_ms > 0) {
        options.start_ms = o.start_ms;
    }
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    auto stats = hub::sim::run_simulator(options, g_stop);
    if (!stats) {
        std::cerr << "hearth simulate: " << stats.error() << "\n";
        return exit_usage;
    }
    std::cout << "published " << stats->messages_published << " messages (" << stats->watch_batches
              << " watch batches), answered " << stats->commands_answered << " commands, refused "
              << stats->commands_refused << "\n";
    return exit_ok;
}

const bool registered = register_command(
    {95, [](CLI::App& app, CommandContext& ctx) {
         auto options = std::make_shared<SimulateOptions>();
         auto* cmd = app.add_subcommand(
             "simulate",
             "Play a Zigbee2MQTT home and a Hearth watch over MQTT (for trying the hub)");
         cmd->add_option("--broker", options->broker, "MQTT broker HOST:PORT")
             ->capture_default_str();
         cmd->add_option("--speed", options->speed, "simulated seconds per real second")
             ->capture_default_str();
         cmd->add_option("--duration", options->duration_s,
                         "simulated seconds to play (0: until SIGINT/SIGTERM)")
             ->capture_default_str();
         cmd->add_option("--watch-id", options->watch_id, "the watch's id in hearth/watch/<id>")
             ->capture_default_str();
         cmd->add_option("--seed", options->seed, "random seed (same seed, same day)")
             ->capture_default_str();
         cmd->add_option(
             "--start-ms", options->start_ms,
             "simulated start time, unix ms (default: now; 25200000 is 07:00 UTC, the run)");
         cmd->callback([options, &ctx] { ctx.exit_code = run_simulate(*options); });
     }});

} // namespace
} // namespace hearth::apps
