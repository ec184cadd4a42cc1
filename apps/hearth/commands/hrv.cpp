// `hearth hrv FILE`: heart-rate variability from a WFDB annotation file or a beats CSV.

#include <cmath>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/registry.h"
#include "common/file.h"
#include "hrv_eval.h"
#include "wfdb/wfdb.h"

namespace hearth::apps {
namespace {

struct HrvOptions {
    std::string file;
};

int fail(const formats::Error& error) {
    std::cerr << "hearth hrv: " << error.describe() << "\n";
    return exit_bad_input;
}

formats::Result<std::vector<engine::health::BeatEvent>> load_beats(const std::string& file) {
    const std::filesystem::path path(file);
    if (path.extension() == ".csv") {
        auto text = formats::read_file_text(path);
        if (!text) {
            return tl::unexpected(text.error());
        }
        auto beats = formats::parse_beats_csv(*text);
        if (!beats) {
            return tl::unexpected(beats.error());
        }
        return formats::beat_events(*beats);
    }
    // An annotation file: its sampling rate is in the record's header beside it.
    auto header = formats::read_wfdb_header(std::filesystem::path(path).replace_extension(".hea"));
    if (!header) {
        return tl::unexpected(header.error());
    }
    auto annotations = formats::read_wfdb_annotations(path);
    if (!annotations) {
        return tl::unexpected(annotations.error());
    }
    return formats::wfdb_beat_events(*annotations, header->sample_rate_hz);
}

int run_hrv(const HrvOptions& opts) {
    auto beats = load_beats(opts.file);
    if (!beats) {
        return fail(beats.error());
    }
    const auto hrv = eval::compute_hrv(*beats);
    nlohmann::ordered_json out;
    // Three decimals: the float results carry no more, and printing the float-to-double
    // expansion would suggest otherwise.
    auto number_or_null = [](bool ok, float v) {
        return ok ? nlohmann::json(std::round(static_cast<double>(v) * 1000.0) / 1000.0)
                  : nlohmann::json(nullptr);
    };
    const bool time_ok = hrv.n_nn >= 2;
    const bool freq_ok = hrv.n_frames > 0;
    out["mean_nn_ms"] = number_or_null(hrv.n_nn >= 1, hrv.mean_nn_ms);
    out["sdnn_ms"] = number_or_null(time_ok, hrv.sdnn_ms);
    out["rmssd_ms"] = number_or_null(time_ok, hrv.rmssd_ms);
    out["pnn50_pct"] = number_or_null(time_ok, hrv.pnn50_pct);
    out["lf_ms2"] = number_or_null(freq_ok, hrv.lf_ms2);
    out["hf_ms2"] = number_or_null(freq_ok, hrv.hf_ms2);
    out["lf_hf"] = number_or_null(freq_ok && hrv.hf_ms2 > 0.0F, hrv.lf_hf);
    out["n_beats"] = hrv.n_beats;
    out["n_nn"] = hrv.n_nn;
    std::cout << out.dump(2) << "\n";
    return exit_ok;
}

const bool registered = register_command(
    {22, [](CLI::App& app, CommandContext& ctx) {
         auto opts = std::make_shared<HrvOptions>();
         auto* cmd = app.add_subcommand(
             "hrv",
             "Heart-rate variability (JSON) from a WFDB annotation file (with its .hea beside "
             "it) or a beats CSV (t_s, optional type)");
         cmd->add_option("file", opts->file, "e.g. nsr001.ecg, 100.atr or beats.csv")->required();
         cmd->footer("NN: both beats normal (N L R e j), 0.3-2.0 s, within 20 % of the previous "
                     "accepted NN. LF/HF: Welch over 128 s frames of the 4 Hz NN series, averaged. "
                     "Values that cannot be computed are null.");
         cmd->callback([opts, &ctx] { ctx.exit_code = run_hrv(*opts); });
     }});

const bool registered_eval =
    register_eval_task({"hrv",
                        "HRV from WFDB annotation files (NAME.hea + NAME.ecg/.atr) against a "
                        "double-precision reference: mean NN, SDNN, RMSSD",
                        [](const std::string& dir) {
                            auto report = eval::evaluate_hrv(dir, std::cerr);
                            if (!report) {
                                std::cerr << "hearth eval: " << report.error().describe() << "\n";
                                return static_cast<int>(exit_bad_input);
                            }
                            std::cout << eval::format_report(*report);
                            return static_cast<int>(exit_ok);
                        }});

} // namespace
} // namespace hearth::apps
