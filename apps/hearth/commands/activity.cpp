// `hearth activity FILE.csv`: segments of constant activity (start_s,end_s,activity) covering
// the recording; `--features` prints the classifier's input per 5 s window instead (used by
// tools/train_activity.py). Also registers the `activity` eval task.

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "activity_eval.h"
#include "commands/registry.h"
#include "report.h"
#include "sensor_csv/sensor_table.h"

namespace hearth::apps {
namespace {

namespace health = engine::health;

struct ActivityOptions {
    std::string file;
    bool features = false;
    bool no_gyro = false;
};

std::string format_features(const std::vector<health::ActivityWindow>& windows) {
    std::string out = "start_s,end_s,has_gyro";
    for (const char* name : health::activity_feature_names) {
        out += ",";
        out += name;
    }
    out += "\n";
    char cell[48];
    for (const auto& w : windows) {
        std::snprintf(cell, sizeof cell, "%.3f,%.3f,%d", static_cast<double>(w.start_ms) / 1000.0,
                      static_cast<double>(w.end_ms) / 1000.0, w.has_gyro ? 1 : 0);
        out += cell;
        for (const float v : w.features.values) {
            std::snprintf(cell, sizeof cell, ",%.6g", static_cast<double>(v));
            out += cell;
        }
        out += "\n";
    }
    return out;
}

int run_activity(const ActivityOptions& opts) {
    auto table = formats::read_sensor_csv(opts.file);
    if (!table) {
        std::cerr << "hearth activity: " << table.error().describe() << "\n";
        return exit_bad_input;
    }
    if (opts.features) {
        auto windows = eval::activity_windows(*table);
        if (!windows) {
            std::cerr << "hearth activity: " << windows.error().describe() << "\n";
            return exit_bad_input;
        }
        std::cout << format_features(*windows);
        return exit_ok;
    }
    health::ActivityClassifierConfig config;
    config.gyro = opts.no_gyro ? health::GyroUse::Never : health::GyroUse::WhenPresent;
    auto segments = eval::classify_activity(*table, config);
    if (!segments) {
        std::cerr << "hearth activity: " << segments.error().describe() << "\n";
        return exit_bad_input;
    }
    if (segments->empty()) {
        std::cerr << "hearth activity: the recording is shorter than one 5 s window\n";
        return exit_bad_input;
    }
    std::string out = "start_s,end_s,activity\n";
    char line[96];
    for (const auto& seg : *segments) {
        std::snprintf(line, sizeof line, "%.3f,%.3f,%s\n", seg.start_s, seg.end_s,
                      std::string(health::to_string(seg.activity)).c_str());
        out += line;
    }
    std::cout << out;
    return exit_ok;
}

const bool registered_command = register_command(
    {24, [](CLI::App& app, CommandContext& ctx) {
         auto opts = std::make_shared<ActivityOptions>();
         auto* cmd = app.add_subcommand(
             "activity",
             "Recognise still, walking, running, stairs, cycling, swimming or other in a "
             "wrist/arm IMU CSV: segments start_s,end_s,activity");
         cmd->add_option("file", opts->file,
                         "Sensor CSV with t_s, ax, ay, az (gx, gy, gz optional)")
             ->required();
         cmd->add_flag("--features", opts->features,
                       "Print the classifier's features per 5 s window instead (for training)");
         cmd->add_flag("--no-gyro", opts->no_gyro, "Ignore the gyroscope even when present");
         cmd->callback([opts, &ctx] { ctx.exit_code = run_activity(*opts); });
     }});

const bool registered_eval = register_eval_task(
    {"activity",
     "activity recognition: macro F1 scored each second (reference start_s,end_s,activity)",
     [](const std::string& dir) {
         std::cout << eval::format_report(eval::evaluate_activity(dir, &std::cerr));
         return static_cast<int>(exit_ok);
     }});

} // namespace
} // namespace hearth::apps
