// `hearth hr FILE.csv`: heart rate from wrist PPG (`ppg`, optional `ppg2`) and the accelerometer
// (`ax,ay,az`), one row t_s,bpm,quality every 2 s for the 8 s window ending at t_s. Also
// registers the `hr` eval task.

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/registry.h"
#include "hr_eval.h"
#include "report.h"
#include "sensor_csv/sensor_table.h"

namespace hearth::apps {
namespace {

struct HrOptions {
    std::string file;
};

int run_hr(const HrOptions& opts) {
    const auto table = formats::read_sensor_csv(opts.file);
    if (!table) {
        std::cerr << "hearth hr: " << table.error().describe() << "\n";
        return exit_bad_input;
    }
    const auto estimates = eval::estimate_heart_rate(*table);
    if (!estimates) {
        std::cerr << "hearth hr: " << estimates.error().describe() << "\n";
        return exit_bad_input;
    }
    std::string out = "t_s,bpm,quality\n";
    char line[80];
    for (const auto& e : *estimates) {
        std::snprintf(line, sizeof line, "%.3f,%.1f,%s\n", static_cast<double>(e.t_ms) / 1000.0,
                      static_cast<double>(e.bpm), std::string(to_string(e.quality)).c_str());
        out += line;
    }
    std::cout << out;
    return exit_ok;
}

const bool registered_command = register_command(
    {20, [](CLI::App& app, CommandContext& ctx) {
         auto opts = std::make_shared<HrOptions>();
         auto* cmd = app.add_subcommand(
             "hr", "Heart rate from wrist PPG + accelerometer: t_s,bpm,quality every 2 s (8 s "
                   "windows ending at t_s; quality good, motion or no_contact)");
         cmd->add_option("file", opts->file,
                         "Sensor CSV with t_s, ppg (ppg2 optional) and ax, ay, az; any rate "
                         "25-500 Hz")
             ->required();
         cmd->callback([opts, &ctx] { ctx.exit_code = run_hr(*opts); });
     }});

const bool registered_eval = register_eval_task(
    {"hr", "heart rate from wrist PPG: MAE in BPM against t_s,bpm references (8 s windows)",
     [](const std::string& dir) {
         std::cout << eval::format_report(eval::evaluate_heart_rate(dir, &std::cerr));
         return static_cast<int>(exit_ok);
     }});

} // namespace
} // namespace hearth::apps
