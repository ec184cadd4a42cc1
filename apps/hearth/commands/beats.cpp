// `hearth beats RECORD`: beat times from an ECG (QRS complexes) or a PPG (systolic peaks).

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "beats_eval.h"
#include "commands/registry.h"
#include "sensor_csv/sensor_table.h"
#include "wfdb/wfdb.h"

namespace hearth::apps {
namespace {

struct BeatsOptions {
    std::string record;
    std::size_t channel = 0;
};

int fail(const formats::Error& error) {
    std::cerr << "hearth beats: " << error.describe() << "\n";
    return exit_bad_input;
}

int fail(const std::string& message) {
    std::cerr << "hearth beats: " << message << "\n";
    return exit_bad_input;
}

void print_beats(const std::vector<double>& t_s) {
    std::string out = "t_s\n";
    char buf[32];
    for (double t : t_s) {
        std::snprintf(buf, sizeof buf, "%.3f\n", t);
        out += buf;
    }
    std::cout << out;
}

int print_or_fail(const formats::Result<std::vector<double>>& beats) {
    if (!beats) {
        return fail(beats.error());
    }
    print_beats(*beats);
    return exit_ok;
}

int run_beats(const BeatsOptions& opts) {
    const std::filesystem::path path(opts.record);
    if (path.extension() == ".hea") {
        auto record = formats::read_wfdb_record(path);
        if (!record) {
            return fail(record.error());
        }
        if (opts.channel >= record->signals.size()) {
            return fail(opts.record + ": no channel " + std::to_string(opts.channel) + " (the " +
                        "record has " + std::to_string(record->signals.size()) + ")");
        }
        return print_or_fail(eval::detect_qrs(formats::wfdb_ecg_samples(*record, opts.channel),
                                              static_cast<float>(record->header.sample_rate_hz)));
    }
    auto table = formats::read_sensor_csv(opts.record);
    if (!table) {
        return fail(table.error());
    }
    if (table->has("ecg")) {
        return print_or_fail(eval::detect_qrs(formats::ecg_samples(*table)));
    }
    if (table->has("ppg")) {
        return print_or_fail(eval::detect_pulses(formats::ppg_samples(*table)));
    }
    return fail(formats::Error{formats::ErrorCode::MissingField,
                               opts.record + ": needs an ecg or a ppg column", "csv", std::nullopt,
                               std::nullopt});
}

const bool registered = register_command(
    {21, [](CLI::App& app, CommandContext& ctx) {
         auto opts = std::make_shared<BeatsOptions>();
         auto* cmd =
             app.add_subcommand("beats", "Beat times (t_s) from an ECG (QRS) or a PPG "
                                         "(pulse peaks): a WFDB .hea record or a sensor CSV "
                                         "with an ecg or ppg column");
         cmd->add_option("record", opts->record, "WFDB header (.hea) or sensor CSV")->required();
         cmd->add_option("--channel", opts->channel,
                         "WFDB channel to analyse (default 0, MLII in MIT-BIH)");
         cmd->callback([opts, &ctx] { ctx.exit_code = run_beats(*opts); });
     }});

const bool registered_eval = register_eval_task(
    {"beats", "QRS detection over MIT-BIH-style WFDB records (NAME.hea + NAME.atr): Se, +P",
     [](const std::string& dir) {
         auto report = eval::evaluate_beats(dir, std::cerr);
         if (!report) {
             std::cerr << "hearth eval: " << report.error().describe() << "\n";
             return static_cast<int>(exit_bad_input);
         }
         std::cout << eval::format_report(*report);
         return static_cast<int>(exit_ok);
     }});

} // namespace
} // namespace hearth::apps
