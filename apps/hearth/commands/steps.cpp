// `hearth steps FILE.csv`: one row per detected step (t_s; with --cadence also the cadence), and
// the `steps` eval task.

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/registry.h"
#include "report.h"
#include "sensor_csv/sensor_table.h"
#include "steps_eval.h"

namespace hearth::apps {
namespace {

struct StepsOptions {
    std::string file;
    bool cadence = false;
};

int run_steps(const StepsOptions& opts) {
    auto table = formats::read_sensor_csv(opts.file);
    if (!table) {
        std::cerr << "hearth steps: " << table.error().describe() << "\n";
        return exit_bad_input;
    }
    auto steps = eval::detect_steps(*table);
    if (!steps) {
        std::cerr << "hearth steps: " << steps.error().describe() << "\n";
        return exit_bad_input;
    }
    // The contract is one column, t_s; the cadence is an opt-in second column.
    std::string out = opts.cadence ? "t_s,cadence_spm\n" : "t_s\n";
    char line[64];
    for (const auto& step : *steps) {
        const double t_s = static_cast<double>(step.t_ms) / 1000.0;
        if (opts.cadence) {
            std::snprintf(line, sizeof line, "%.3f,%.1f\n", t_s,
                          static_cast<double>(step.cadence_spm));
        } else {
            std::snprintf(line, sizeof line, "%.3f\n", t_s);
        }
        out += line;
    }
    std::cout << out;
    return exit_ok;
}

const bool registered_command = register_command(
    {23, [](CLI::App& app, CommandContext& ctx) {
         auto opts = std::make_shared<StepsOptions>();
         auto* cmd = app.add_subcommand(
             "steps", "Detect steps in a sensor CSV (ax, ay, az): one row per step (t_s)");
         cmd->add_option("file", opts->file, "Sensor CSV with t_s, ax, ay, az")->required();
         cmd->add_flag("--cadence", opts->cadence,
                       "Add a cadence_spm column: steps per minute over the last few steps");
         cmd->callback([opts, &ctx] { ctx.exit_code = run_steps(*opts); });
     }});

const bool registered_eval = register_eval_task(
    {"steps", "step counting: MAPE of the total step count (reference t_s,steps cumulative)",
     [](const std::string& dir) {
         std::cout << eval::format_report(eval::evaluate_steps(dir, &std::cerr));
         return static_cast<int>(exit_ok);
     }});

} // namespace
} // namespace hearth::apps
