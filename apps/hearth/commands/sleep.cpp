// `hearth sleep FILE.csv [--summary]`: the stage of every 30 s epoch (wake, light, deep, rem),
// or the night's summary as JSON; and the `sleep` (SleepStager) and `sleep-live` (SleepDetector)
// eval tasks.

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/registry.h"
#include "health/sleep_stager.h"
#include "report.h"
#include "sensor_csv/sensor_table.h"
#include "sleep_eval.h"
#include "sleep_live_eval.h"

namespace hearth::apps {
namespace {

struct SleepOptions {
    std::string file;
    bool summary = false;
};

int run_sleep(const SleepOptions& opts) {
    auto table = formats::read_sensor_csv(opts.file);
    if (!table) {
        std::cerr << "hearth sleep: " << table.error().describe() << "\n";
        return exit_bad_input;
    }
    auto epochs = eval::stage_sleep(*table);
    if (!epochs) {
        std::cerr << "hearth sleep: " << epochs.error().describe() << "\n";
        return exit_bad_input;
    }
    if (opts.summary) {
        const auto s = engine::health::summarize_sleep(*epochs);
        nlohmann::json j;
        j["epochs"] = epochs->size();
        j["time_in_bed_min"] = s.time_in_bed_s / 60.0F;
        j["time_asleep_min"] = s.time_asleep_s / 60.0F;
        j["efficiency_pct"] = std::round(1000.0 * s.efficiency) / 10.0; // 0.1 %
        j["sleep_onset_latency_min"] = s.sleep_onset_latency_s / 60.0F;
        j["wake_after_sleep_onset_min"] = s.wake_after_sleep_onset_s / 60.0F;
        j["awakenings"] = s.awakenings;
        j["stages_min"] = {{"wake", s.wake_s / 60.0F},
                           {"light", s.light_s / 60.0F},
                           {"deep", s.deep_s / 60.0F},
                           {"rem", s.rem_s / 60.0F}};
        std::cout << j.dump(2) << "\n";
        return exit_ok;
    }
    std::string out = "start_s,end_s,stage\n";
    char line[80];
    for (const auto& e : *epochs) {
        std::snprintf(line, sizeof line, "%lld,%lld,%s\n",
                      static_cast<long long>(e.start_ms / 1000),
                      static_cast<long long>(e.end_ms / 1000),
                      std::string(engine::health::to_string(e.stage)).c_str());
        out += line;
    }
    std::cout << out;
    return exit_ok;
}

const bool registered_command = register_command(
    {26, [](CLI::App& app, CommandContext& ctx) {
         auto opts = std::make_shared<SleepOptions>();
         auto* cmd = app.add_subcommand(
             "sleep", "Sleep stages per 30 s epoch (wake, light, deep, rem) from hr plus an "
                      "activity column or raw ax, ay, az");
         cmd->add_option("file", opts->file, "Sensor CSV with t_s, hr and activity or ax, ay, az")
             ->required();
         cmd->add_flag("--summary", opts->summary,
                       "Print the night's summary as JSON (time asleep, efficiency, stage "
                       "durations, awakenings)");
         cmd->callback([opts, &ctx] { ctx.exit_code = run_sleep(*opts); });
     }});

const bool registered_eval = register_eval_task(
    {"sleep",
     "sleep staging: sleep/wake accuracy, wake specificity, wake/NREM/REM accuracy and "
     "kappa (reference start_s,end_s,stage)",
     [](const std::string& dir) {
         std::cout << eval::format_report(eval::evaluate_sleep(dir, &std::cerr));
         return static_cast<int>(exit_ok);
     }});

const bool registered_live_eval = register_eval_task(
    {"sleep-live",
     "live sleep/wake detection (causal): sleep onset and final awakening error, epoch "
     "sleep/wake accuracy (reference start_s,end_s,stage)",
     [](const std::string& dir) {
         std::cout << eval::format_report(eval::evaluate_sleep_live(dir, &std::cerr));
         return static_cast<int>(exit_ok);
     }});

} // namespace
} // namespace hearth::apps
