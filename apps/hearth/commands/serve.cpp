// `hearth serve`: the home hub. Connects to the MQTT broker, follows Zigbee2MQTT and Home
// Assistant discovery devices, keeps their history, runs the automations of --config (reloaded
// on SIGHUP), and serves the API until SIGINT/SIGTERM.

#include <csignal>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "api/api_server.h"
#include "automation/hub_home.h"
#include "automation/runner.h"
#include "commands/registry.h"
#include "core/log.h"
#include "daemon/hub.h"

namespace hearth::apps {
namespace {

struct ServeOptions {
    std::string data_dir = "hearth-data";
    std::string store = "sqlite";
    std::string mqtt_host = "127.0.0.1";
    int mqtt_port = 1883;
    std::string mqtt_user;
    std::string mqtt_password;
    std::string client_id = "hearth-hub";
    std::string bind = "127.0.0.1";
    int http_port = 8123;
    int raw_days = 10;
    std::string config; // automations, scenes and areas: a YAML file or a folder of them
};

int run_serve(const ServeOptions& o) {
    // Block the stop signals in every thread the hub starts; this thread waits for them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGHUP); // reload the automations
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    hub::HubConfig config;
    config.data_dir = o.data_dir;
    config.store = o.store;
    config.mqtt.host = o.mqtt_host;
    config.mqtt.port = o.mqtt_port;
    config.mqtt.username = o.mqtt_user;
    config.mqtt.password = o.mqtt_password;
    config.mqtt.client_id = o.client_id;
    config.mqtt.availability_topic = "hearth/hub/availability";
    config.retention.raw_days = o.raw_days;
    hub::SystemClock clock;

    hub::TokenStore tokens(config.data_dir / "tokens.json");
    auto hub = hub::Hub::start(config, clock);
    if (!hub) {
        std::cerr << "hearth serve: " << hub.error() << "\n";
        return exit_usage;
    }
    if (auto r = tokens.load(); !r) {
        std::cerr << "hearth serve: " << r.error() << "\n";
        return exit_usage;
    }
    // Automations run even without --config (scene.create, and a later reload, still work);
    // a bad automation is logged with its file:line and skipped, the hub keeps running.
    hub::automation::HubHome home(**hub);
    hub::automation::AutomationRunner automations(home, clock);
    if (!o.config.empty()) {
        automations.set_config_path(o.config);
    }
    automations.reload();
    automations.attach(**hub);
    hub::ApiServerOptions api;
    api.bind_address = o.bind;
    api.port = o.http_port;
    auto server = hub::start_api_server(**hub, tokens, clock, api, &automations);
    if (!server) {
        std::cerr << "hearth serve: " << server.error() << "\n";
        automations.detach();
        automations.stop();
        return exit_usage;
    }
    hub::log_line(hub::LogLevel::Info, "api",
                  "listening on http://" + o.bind + ":" + std::to_string((*server)->port()) +
                      "/api/ (store: " + o.store + ", data: " + o.data_dir + ")");
    if (tokens.list().empty()) {
        hub::log_line(hub::LogLevel::Warn, "api",
                      "no API tokens yet: create one with `hearth token create NAME --data " +
                          o.data_dir + "`");
    }
    for (;;) {
        int signal = 0;
        sigwait(&stop_signals, &signal);
        if (signal != SIGHUP) {
            break;
        }
        hub::log_line(hub::LogLevel::Info, "automation", "SIGHUP: reloading");
        automations.reload();
    }
    hub::log_line(hub::LogLevel::Info, "hub", "stopping");
    (*server)->stop();
    automations.detach();
    automations.stop();
    (*hub)->stop();
    return exit_ok;
}

const bool registered = register_command(
    {50, [](CLI::App& app, CommandContext& ctx) {
         auto o = std::make_shared<ServeOptions>();
         auto* cmd = app.add_subcommand(
             "serve", "Run the home hub: MQTT devices (Zigbee2MQTT, Home Assistant discovery), "
                      "history, REST + WebSocket API");
         cmd->add_option("--data", o->data_dir, "Folder for the database, journal and tokens")
             ->capture_default_str();
         cmd->add_option("--store", o->store,
                         "sqlite (in --data), sqlite:PATH, or a PostgreSQL connection string")
             ->capture_default_str();
         cmd->add_option("--mqtt-host", o->mqtt_host, "MQTT broker host")->capture_default_str();
         cmd->add_option("--mqtt-port", o->mqtt_port, "MQTT broker port")
             ->check(CLI::Range(1, 65535))
             ->capture_default_str();
         cmd->add_option("--mqtt-user", o->mqtt_user, "MQTT user name (default: anonymous)");
         cmd->add_option("--mqtt-password", o->mqtt_password, "MQTT password");
         cmd->add_option("--client-id", o->client_id,
                         "MQTT client id; keep it fixed so the broker keeps the hub's session")
             ->capture_default_str();
         cmd->add_option("--bind", o->bind, "Address the API listens on")->capture_default_str();
         cmd->add_option("--http-port", o->http_port, "API port (0: any free port)")
             ->check(CLI::Range(0, 65535))
             ->capture_default_str();
         cmd->add_option(
                "--raw-days", o->raw_days,
                "Days of raw history to keep before only 5-minute/hourly statistics remain")
             ->check(CLI::Range(1, 3650))
             ->capture_default_str();
         cmd->add_option("--config", o->config,
                         "Automations, scenes and areas: a YAML file or a folder of *.yaml "
                         "(reloaded on SIGHUP and POST /api/automations/reload)");
         cmd->callback([o, &ctx] { ctx.exit_code = run_serve(*o); });
     }});

} // namespace
} // namespace hearth::apps
