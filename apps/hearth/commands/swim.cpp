// `hearth swim FILE.csv [--pool-length M] [--summary]`: pool lengths with style and stroke
// count, or a JSON summary (lengths, distance, SWOLF, pace); and the `swim` eval task.

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/registry.h"
#include "health/swim_tracker.h"
#include "report.h"
#include "sensor_csv/sensor_table.h"
#include "swim_eval.h"

namespace hearth::apps {
namespace {

struct SwimOptions {
    std::string file;
    float pool_length_m = 25.0F;
    bool summary = false;
};

int run_swim(const SwimOptions& opts) {
    auto table = formats::read_sensor_csv(opts.file);
    if (!table) {
        std::cerr << "hearth swim: " << table.error().describe() << "\n";
        return exit_bad_input;
    }
    auto lengths = eval::track_swim(*table);
    if (!lengths) {
        std::cerr << "hearth swim: " << lengths.error().describe() << "\n";
        return exit_bad_input;
    }
    if (opts.summary) {
        const auto s = engine::health::summarize_swim(*lengths, opts.pool_length_m);
        nlohmann::json j;
        j["pool_length_m"] = opts.pool_length_m;
        j["lengths"] = s.lengths;
        j["distance_m"] = s.distance_m;
        j["swim_time_s"] = s.swim_time_s;
        j["strokes"] = s.strokes;
        j["swolf"] = s.mean_swolf;
        j["pace_s_per_100m"] = s.pace_s_per_100m;
        std::cout << j.dump(2) << "\n";
        return exit_ok;
    }
    std::string out = "start_s,end_s,style,strokes\n";
    char line[96];
    for (const auto& l : *lengths) {
        std::snprintf(line, sizeof line, "%.3f,%.3f,%s,%d\n",
                      static_cast<double>(l.start_ms) / 1000.0,
                      static_cast<double>(l.end_ms) / 1000.0,
                      std::string(engine::health::to_string(l.style)).c_str(), l.strokes);
        out += line;
    }
    std::cout << out;
    return exit_ok;
}

const bool registered_command = register_command(
    {25, [](CLI::App& app, CommandContext& ctx) {
         auto opts = std::make_shared<SwimOptions>();
         auto* cmd = app.add_subcommand(
             "swim", "Pool swimming from a wrist IMU CSV (ax..az, gx..gz, optional mx..mz): one "
                     "row per length with start_s, end_s, style and strokes");
         cmd->add_option("file", opts->file, "Sensor CSV with t_s, ax, ay, az, gx, gy, gz")
             ->required();
         cmd->add_option("--pool-length", opts->pool_length_m, "Pool length in metres")
             ->check(CLI::Range(5.0F, 200.0F));
         cmd->add_flag("--summary", opts->summary,
                       "Print a JSON summary (lengths, distance, SWOLF, pace per 100 m)");
         cmd->callback([opts, &ctx] { ctx.exit_code = run_swim(*opts); });
     }});

const bool registered_eval = register_eval_task(
    {"swim", "swimming: files with the exact number of lengths, style accuracy per length",
     [](const std::string& dir) {
         std::cout << eval::format_report(eval::evaluate_swim(dir, &std::cerr));
         return static_cast<int>(exit_ok);
     }});

} // namespace
} // namespace hearth::apps
