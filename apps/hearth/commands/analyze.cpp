// `hearth analyze FILE...`: a summary per activity of FIT, GPX and TCX files (device totals
// first, computed values for what the file lacks), as text tables or one JSON line per file.

#include <cmath>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/registry.h"
#include "export/activity_json.h"
#include "import/import.h"
#include "metrics/activity_metrics.h"

namespace hearth::apps {
namespace {

using json = nlohmann::ordered_json;
using sport::activity_json;
using sport::iso_time;
using sport::Totals;
namespace metrics = sport::metrics;

struct AnalyzeOptions {
    std::vector<std::string> files;
    bool json = false;
    bool lenient = false;
    bool merge_tracks = false;
    std::optional<double> ftp_w;
    std::optional<double> max_hr_bpm;
    std::optional<double> resting_hr_bpm;
    std::optional<double> lthr_bpm;
    std::string zones = "max";
};

std::string fmt_duration(const std::optional<double>& seconds) {
    if (!seconds) {
        return "-";
    }
    const auto total = static_cast<long long>(std::llround(*seconds));
    return fmt::format("{}:{:02}:{:02}", total / 3600, (total / 60) % 60, total % 60);
}

std::string fmt_num(const std::optional<double>& v, const char* unit, int decimals = 0) {
    if (!v || !std::isfinite(*v)) {
        return "-";
    }
    return fmt::format("{:.{}f}{}", *v, decimals, unit);
}

std::string fmt_pace(const std::optional<double>& s_per_km, const char* unit) {
    if (!s_per_km || !std::isfinite(*s_per_km)) {
        return "-";
    }
    const auto total = static_cast<long long>(std::llround(*s_per_km));
    return fmt::format("{}:{:02}{}", total / 60, total % 60, unit);
}

bool on_foot(sport::Sport s) {
    return s == sport::Sport::Running || s == sport::Sport::Walking || s == sport::Sport::Hiking ||
           s == sport::Sport::Mountaineering;
}

// Laps show pace per km on foot, per 100 m swimming, and speed otherwise.
const char* pace_header(sport::Sport s) {
    return on_foot(s) ? "pace/km" : s == sport::Sport::Swimming ? "/100m" : "km/h";
}

std::string speed_text(const std::optional<double>& speed_mps, sport::Sport s) {
    if (!speed_mps || !(*speed_mps > 0.0)) {
        return "-";
    }
    if (on_foot(s)) {
        return fmt_pace(1000.0 / *speed_mps, "");
    }
    if (s == sport::Sport::Swimming) {
        return fmt_pace(100.0 / *speed_mps, "");
    }
    return fmt_num(*speed_mps * 3.6, "", 1);
}

void print_text(const std::string& file, const sport::Workout& w,
                const metrics::MetricsOptions& o) {
    std::cout << file << " (" << sport::to_string(w.format) << ", " << w.activities.size()
              << (w.activities.size() == 1 ? " activity" : " activities") << ")\n";
    for (const auto& warning : w.warnings) {
        std::cout << "  warning: " << warning << "\n";
    }
    int n = 0;
    for (const auto& a : w.activities) {
        const auto s = metrics::activity_metrics(a, o);
        const Totals& t = s.totals;
        std::cout << fmt::format("\n  #{} {}{}  start {}{}\n", ++n, sport::to_string(a.sport),
                                 a.sub_sport ? " (" + *a.sub_sport + ")" : std::string(),
                                 iso_time(s.start_ms),
                                 a.device_summary ? "  [device totals]" : "  [computed]");
        if (a.device.manufacturer || a.device.product) {
            std::string device = a.device.manufacturer.value_or("");
            if (a.device.product) {
                device += (device.empty() ? "" : " ") + *a.device.product;
            }
            std::cout << "  device   " << device << "\n";
        }
        auto row = [](const char* label, const std::string& value) {
            std::cout << fmt::format("    {:<22}{}\n", label, value);
        };
        row("elapsed", fmt_duration(t.elapsed_time_s));
        row("timer", fmt_duration(t.timer_time_s));
        row("moving", fmt_duration(t.moving_time_s));
        row("paused", fmt_duration(s.pause_time_s));
        row("distance",
            fmt_num(t.distance_m ? std::optional(*t.distance_m / 1000.0) : std::nullopt, " km", 3));
        row("avg / max speed",
            fmt_num(t.avg_speed_mps ? std::optional(*t.avg_speed_mps * 3.6) : std::nullopt, "", 1) +
                " / " +
                fmt_num(t.max_speed_mps ? std::optional(*t.max_speed_mps * 3.6) : std::nullopt,
                        " km/h", 1));
        if (s.avg_pace_s_per_km && on_foot(a.sport)) {
            const auto gap = s.grade_adjusted ? s.grade_adjusted->pace_s_per_km() : std::nullopt;
            row("avg pace", fmt_pace(s.avg_pace_s_per_km, " /km") +
                                (gap ? "  (GAP " + fmt_pace(gap, " /km)") : std::string()));
        }
        if (s.swim && s.swim->pace_s_per_100m) {
            row("avg pace", fmt_pace(s.swim->pace_s_per_100m, " /100m"));
        }
        row("ascent / descent", fmt_num(t.ascent_m, "") + " / " + fmt_num(t.descent_m, " m"));
        row("heart rate avg / max",
            fmt_num(t.avg_heart_rate_bpm, "") + " / " + fmt_num(t.max_heart_rate_bpm, " bpm"));
        row("cadence avg / max", fmt_num(t.avg_cadence, "") + " / " + fmt_num(t.max_cadence, ""));
        if (t.avg_power_w || t.max_power_w) {
            row("power avg / max / NP", fmt_num(t.avg_power_w, "") + " / " +
                                            fmt_num(t.max_power_w, "") + " / " +
                                            fmt_num(t.normalized_power_w, " W"));
        }
        if (t.intensity_factor || t.training_stress_score) {
            row("IF / TSS",
                fmt_num(t.intensity_factor, "", 2) + " / " + fmt_num(t.training_stress_score, ""));
        }
        row("energy", fmt_num(s.energy_kcal ? s.energy_kcal : t.energy_kcal, " kcal"));
        if (t.pool_length_m) {
            row("pool / lengths",
                fmt_num(t.pool_length_m, " m", 1) + " / " + fmt_num(t.active_lengths, " active"));
            row("strokes / SWOLF", fmt_num(t.total_strokes, "") + " / " +
                                       fmt_num(s.swim ? s.swim->avg_swolf : std::nullopt, "", 1));
        }
        if (t.training_effect) {
            row("training effect", fmt_num(t.training_effect, "", 1));
        }
        if (s.trimp) {
            row("TRIMP", fmt_num(s.trimp, "", 1));
        }
        row("records", std::to_string(a.records.size()));
        const auto laps = metrics::lap_metrics(a, o);
        if (!laps.empty()) {
            std::cout << fmt::format("\n    {:>4} {:>10} {:>10} {:>9} {:>8} {:>8}\n", "lap", "time",
                                     "dist km", pace_header(a.sport), "avg HR", "max HR");
            int k = 0;
            for (const auto& lap : laps) {
                const Totals& lt = lap.totals;

                std::cout << fmt::format(
                    "    {:>4} {:>10} {:>10} {:>9} {:>8} {:>8}\n", ++k,
                    fmt_duration(lt.timer_time_s),
                    fmt_num(lt.distance_m ? std::optional(*lt.distance_m / 1000.0) : std::nullopt,
                            "", 3),
                    speed_text(lt.avg_speed_mps, a.sport), fmt_num(lt.avg_heart_rate_bpm, ""),
                    fmt_num(lt.max_heart_rate_bpm, ""));
            }
        }
        if (!s.splits_km.empty()) {
            std::cout << fmt::format("\n    {:>5} {:>10} {:>9}\n", "split", "time", "pace/km");
            int k = 0;
            for (const auto& sp : s.splits_km) {
                std::cout << fmt::format("    {:>5} {:>10} {:>9}\n", ++k,
                                         fmt_duration(sp.duration_s),
                                         fmt_pace(sp.pace_s_per_km(), ""));
            }
        }
        if (s.heart_rate_zones) {
            const auto& z = *s.heart_rate_zones;
            std::cout << "\n    heart-rate zones\n";
            std::cout << fmt::format("    {:>6} {:>9} {:>10}\n", "below",
                                     fmt::format("<{:.0f}", z.lower_bpm[0]),
                                     fmt_duration(z.below_s));
            for (std::size_t k = 0; k < z.time_s.size(); ++k) {
                std::cout << fmt::format("    {:>6} {:>9} {:>10}\n", fmt::format("Z{}", k + 1),
                                         fmt::format(">={:.0f}", z.lower_bpm[k]),
                                         fmt_duration(z.time_s[k]));
            }
        }
    }
    std::cout << "\n";
}

json error_json(const std::string& file, const formats::Error& e) {
    json err = {{"code", std::string(formats::to_string(e.code))}, {"message", e.describe()}};
    if (e.offset) {
        err["offset"] = *e.offset;
    }
    if (e.line) {
        err["line"] = *e.line;
    }
    return {{"file", file}, {"error", err}};
}

int run_analyze(const AnalyzeOptions& opts) {
    metrics::MetricsOptions summary;
    summary.athlete.ftp_w = opts.ftp_w;
    summary.athlete.max_heart_rate_bpm = opts.max_hr_bpm;
    summary.athlete.resting_heart_rate_bpm = opts.resting_hr_bpm;
    summary.athlete.threshold_heart_rate_bpm = opts.lthr_bpm;
    if (opts.zones == "reserve") {
        summary.heart_rate_zones.method = metrics::ZoneMethod::PercentReserve;
    } else if (opts.zones == "lthr") {
        summary.heart_rate_zones.method = metrics::ZoneMethod::PercentLthr;
    }
    sport::ImportOptions import;
    import.leniency = opts.lenient ? sport::Leniency::Lenient : sport::Leniency::Strict;
    import.gpx_grouping =
        opts.merge_tracks ? sport::GpxGrouping::Merged : sport::GpxGrouping::PerTrack;

    int exit_code = exit_ok;
    for (const auto& file : opts.files) {
        auto workout = sport::import_file(file, import);
        if (!workout) {
            std::cerr << "hearth analyze: " << file << ": " << workout.error().describe() << "\n";
            if (opts.json) {
                std::cout << error_json(file, workout.error()).dump() << "\n";
            }
            exit_code = exit_bad_input;
            continue;
        }
        for (const auto& warning : workout->warnings) {
            std::cerr << "hearth analyze: " << file << ": warning: " << warning << "\n";
        }
        if (opts.json) {
            json j;
            j["file"] = file;
            j["format"] = std::string(sport::to_string(workout->format));
            if (!workout->warnings.empty()) {
                j["warnings"] = workout->warnings;
            }
            json activities = json::array();
            for (const auto& a : workout->activities) {
                activities.push_back(activity_json(a, summary));
            }
            j["activities"] = activities;
            std::cout << j.dump() << "\n";
        } else {
            print_text(file, *workout, summary);
        }
    }
    return exit_code;
}

const bool registered = register_command(
    {10, [](CLI::App& app, CommandContext& ctx) {
         auto opts = std::make_shared<AnalyzeOptions>();
         auto* cmd = app.add_subcommand("analyze", "Summarise FIT, GPX and TCX activity files: "
                                                   "totals, laps, splits, zones");
         cmd->add_option("files", opts->files, "Activity files (.fit, .gpx, .tcx)")->required();
         cmd->add_flag("--json", opts->json, "One JSON object per file per line");
         cmd->add_flag("--lenient", opts->lenient,
                       "Show what decoded from truncated or corrupt files (with a warning)");
         cmd->add_flag("--merge-tracks", opts->merge_tracks,
                       "GPX: one activity from all tracks instead of one per track");
         cmd->add_option("--ftp", opts->ftp_w, "Functional threshold power, W (for IF and TSS)")
             ->check(CLI::Range(1.0, 2000.0));
         cmd->add_option("--max-hr", opts->max_hr_bpm, "Maximum heart rate, bpm")
             ->check(CLI::Range(60.0, 260.0));
         cmd->add_option("--resting-hr", opts->resting_hr_bpm, "Resting heart rate, bpm")
             ->check(CLI::Range(20.0, 150.0));
         cmd->add_option("--lthr", opts->lthr_bpm, "Lactate threshold heart rate, bpm")
             ->check(CLI::Range(60.0, 250.0));
         cmd->add_option("--zones", opts->zones,
                         "Heart-rate zones: % of max, % of reserve, % of LTHR")
             ->check(CLI::IsMember({"max", "reserve", "lthr"}));
         cmd->callback([opts, &ctx] {
             if (opts->zones == "lthr" && !opts->lthr_bpm) {
                 std::cerr << "hearth analyze: --zones lthr needs --lthr BPM\n";
                 ctx.exit_code = exit_usage;
                 return;
             }
             ctx.exit_code = run_analyze(*opts);
         });
     }});

} // namespace
} // namespace hearth::apps
