#include "sleep_live_eval.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

#include "labelled_intervals.h"

namespace hearth::eval {

using engine::health::SleepDetection;
using engine::health::SleepDetector;
using engine::health::SleepDetectorConfig;
using engine::health::SleepWake;

namespace {

constexpr double epoch_s = 30.0;
// A reference night "ends awake" when at least this many wake epochs follow its last sleep.
constexpr std::size_t min_final_wake_epochs = 20;

struct Counts {
    double n = 0.0;
    double correct = 0.0;
    double wake = 0.0;
    double wake_found = 0.0;

    void add(bool truth_sleep, bool said_sleep) {
        n += 1.0;
        correct += truth_sleep == said_sleep ? 1.0 : 0.0;
        if (!truth_sleep) {
            wake += 1.0;
            wake_found += said_sleep ? 0.0 : 1.0;
        }
    }
    void add(const Counts& o) {
        n += o.n;
        correct += o.correct;
        wake += o.wake;
        wake_found += o.wake_found;
    }
    [[nodiscard]] double accuracy_pct() const { return n > 0.0 ? 100.0 * correct / n : NAN; }
    [[nodiscard]] double wake_spec_pct() const {
        return wake > 0.0 ? 100.0 * wake_found / wake : NAN;
    }
};

struct Night {
    Counts epoch;    // the per-epoch score
    Counts live;     // the state as known when the epoch was scored
    Counts reported; // asleep from the reported onset to the reported awakening
    double onset_err_min = NAN;
    double end_err_min = NAN; // NAN when the reference ends asleep
    bool end_measurable = false;
    bool end_found = false;
    int transitions = 0;
};

Night score_night(const std::vector<LabelledInterval>& truth,
                  const std::vector<SleepDetection>& detections) {
    Night night;
    // Reference per epoch index: 1 sleep, 0 wake, -1 unscored.
    std::vector<int> ref;
    for (const LabelledInterval& r : truth) {
        const auto k = static_cast<std::ptrdiff_t>(std::floor(r.start_s / epoch_s + 1e-6));
        if (k < 0) {
            continue;
        }
        if (static_cast<std::size_t>(k) >= ref.size()) {
            ref.resize(static_cast<std::size_t>(k) + 1, -1);
        }
        if (r.label == "wake") {
            ref[static_cast<std::size_t>(k)] = 0;
        } else if (r.label == "n1" || r.label == "n2" || r.label == "n3" || r.label == "rem") {
            ref[static_cast<std::size_t>(k)] = 1;
        }
    }
    std::optional<std::size_t> first_sleep;
    std::optional<std::size_t> last_sleep;
    std::size_t last_scored = 0;
    for (std::size_t k = 0; k < ref.size(); ++k) {
        if (ref[k] == 1) {
            first_sleep = first_sleep.value_or(k);
            last_sleep = k;
        }
        if (ref[k] >= 0) {
            last_scored = k;
        }
    }
    // The reported night: intervals [onset, awakening) from the transitions.
    std::vector<std::pair<double, double>> asleep_s;
    for (const SleepDetection& d : detections) {
        if (!d.transition_ms) {
            continue;
        }
        ++night.transitions;
        const double t_s = static_cast<double>(*d.transition_ms) / 1000.0;
        if (d.state == SleepWake::Sleep) {
            asleep_s.emplace_back(t_s, INFINITY);
        } else if (!asleep_s.empty()) {
            asleep_s.back().second = t_s;
        }
    }
    for (const SleepDetection& d : detections) {
        const auto k = static_cast<std::ptrdiff_t>(
            std::floor(static_cast<double>(d.start_ms) / 1000.0 / epoch_s + 1e-6));
        if (k < 0 || static_cast<std::size_t>(k) >= ref.size() ||
            ref[static_cast<std::size_t>(k)] < 0) {
            continue;
        }
        const bool truth_sleep = ref[static_cast<std::size_t>(k)] == 1;
        const double mid_s = (static_cast<double>(k) + 0.5) * epoch_s;
        const bool reported = std::any_of(asleep_s.begin(), asleep_s.end(), [&](const auto& iv) {
            return mid_s >= iv.first && mid_s < iv.second;
        });
        night.epoch.add(truth_sleep, d.epoch == SleepWake::Sleep);
        night.live.add(truth_sleep, d.state == SleepWake::Sleep);
        night.reported.add(truth_sleep, reported);
    }
    if (first_sleep && !asleep_s.empty()) {
        night.onset_err_min =
            (asleep_s.front().first - static_cast<double>(*first_sleep) * epoch_s) / 60.0;
    }
    if (last_sleep && last_scored >= *last_sleep + min_final_wake_epochs) {
        night.end_measurable = true;
        if (!asleep_s.empty() && std::isfinite(asleep_s.back().second)) {
            night.end_found = true;
            night.end_err_min =
                (asleep_s.back().second - static_cast<double>(*last_sleep + 1) * epoch_s) / 60.0;
        }
    }
    return night;
}

struct Summary {
    Counts epoch;
    Counts live;
    Counts reported;
    double onset_abs_sum = 0.0;
    int onset_n = 0;
    double end_abs_sum = 0.0;
    int end_n = 0;
    int end_measurable = 0;
    int extra_transitions = 0; // beyond one onset and, where the reference ends awake, one end
};

void add(Summary& s, const Night& n) {
    s.epoch.add(n.epoch);
    s.live.add(n.live);
    s.reported.add(n.reported);
    if (std::isfinite(n.onset_err_min)) {
        s.onset_abs_sum += std::fabs(n.onset_err_min);
        ++s.onset_n;
    }
    if (n.end_measurable) {
        ++s.end_measurable;
    }
    if (n.end_found) {
        s.end_abs_sum += std::fabs(n.end_err_min);
        ++s.end_n;
    }
    s.extra_transitions += std::max(0, n.transitions - 1 - (n.end_found ? 1 : 0));
}

std::vector<MetricValue> night_metrics(const Night& n) {
    return {{"epochs", n.epoch.n, 0},
            {"onset_err_min", n.onset_err_min, 1},
            {"end_err_min", n.end_err_min, 1},
            {"epoch_acc_pct", n.epoch.accuracy_pct(), 1},
            {"epoch_wake_spec_pct", n.epoch.wake_spec_pct(), 1},
            {"live_acc_pct", n.live.accuracy_pct(), 1},
            {"night_acc_pct", n.reported.accuracy_pct(), 1},
            {"transitions", static_cast<double>(n.transitions), 0}};
}

std::vector<MetricValue> summary_metrics(const Summary& s) {
    return {{"epochs", s.epoch.n, 0},
            {"onset_err_min", s.onset_n > 0 ? s.onset_abs_sum / s.onset_n : NAN, 1},
            {"end_err_min", s.end_n > 0 ? s.end_abs_sum / s.end_n : NAN, 1},
            {"epoch_acc_pct", s.epoch.accuracy_pct(), 1},
            {"epoch_wake_spec_pct", s.epoch.wake_spec_pct(), 1},
            {"live_acc_pct", s.live.accuracy_pct(), 1},
            {"night_acc_pct", s.reported.accuracy_pct(), 1},
            {"transitions", static_cast<double>(s.extra_transitions), 0}};
}

} // namespace

formats::Result<std::vector<SleepDetection>> detect_sleep(const formats::SensorTable& table,
                                                          const SleepDetectorConfig& config) {
    if (!table.has("activity")) {
        return formats::make_error("csv", formats::ErrorCode::MissingField,
                                   "live sleep detection needs an activity column (a movement "
                                   "index per 30 s epoch)");
    }
    auto hr = table.has("hr") ? formats::heart_rate_samples(table)
                              : std::vector<engine::HeartRateSample>{};
    auto moves = formats::activity_count_samples(table);
    const auto by_time = [](const auto& a, const auto& b) { return a.t_ms < b.t_ms; };
    std::stable_sort(hr.begin(), hr.end(), by_time);
    std::stable_sort(moves.begin(), moves.end(), by_time);
    SleepDetector detector(config);
    std::vector<SleepDetection> out;
    std::size_t h = 0;
    // As live: an epoch's heart rate, then its movement index, then what was decided.
    for (const auto& m : moves) {
        const engine::TimeMs epoch_end =
            (m.t_ms + config.epoch_ms / 2) / config.epoch_ms * config.epoch_ms + config.epoch_ms;
        const std::size_t from = h;
        while (h < hr.size() && hr[h].t_ms < epoch_end) {
            ++h;
        }
        detector.push(std::span(hr).subspan(from, h - from));
        detector.push(std::span(&m, 1));
        while (auto d = detector.pull()) {
            out.push_back(*d);
        }
    }
    detector.finish();
    while (auto d = detector.pull()) {
        out.push_back(*d);
    }
    return out;
}

Report evaluate_sleep_live(const std::filesystem::path& dir, std::ostream* progress) {
    Report report;
    report.task = "sleep-live";
    // The chosen device scale, then the same nights at other scales for the notes.
    const float scales[] = {walch_movement_scale, 2.0F, 3.0F, 5.0F, 12.0F, 20.0F, 1e6F};
    for (const float scale : scales) {
        SleepDetectorConfig config;
        config.movement_scale = scale;
        Summary summary;
        for (const Recording& rec : list_recordings(dir)) {
            const bool main_run = scale == walch_movement_scale;
            if (progress != nullptr && main_run) {
                *progress << "sleep-live: " << rec.name << "\n";
            }
            auto truth = read_labelled_intervals(rec.reference, "stage");
            auto table = formats::read_sensor_csv(rec.input.string());
            auto detections =
                table ? detect_sleep(*table, config)
                      : formats::Result<std::vector<SleepDetection>>(tl::unexpected(table.error()));
            if (!truth || !detections) {
                if (main_run) {
                    report.notes.push_back(
                        "skipped " + rec.name + ": " +
                        (!truth ? truth.error().describe() : detections.error().describe()));
                }
                continue;
            }
            const Night night = score_night(*truth, *detections);
            add(summary, night);
            if (main_run) {
                report.rows.push_back({rec.name, night_metrics(night)});
            }
        }
        if (scale == walch_movement_scale) {
            report.overall.recording = "overall";
            report.overall.metrics = summary_metrics(summary);
            char line[200];
            std::snprintf(line, sizeof line,
                          "final awakening found on %d of %d nights whose reference ends with "
                          ">= 10 min awake",
                          summary.end_n, summary.end_measurable);
            report.notes.emplace_back(line);
        } else {
            char line[240];
            const std::string label =
                scale >= 1e5F ? "movement_scale " + std::to_string(static_cast<long>(scale)) +
                                    " (nothing scores wake: the always-asleep baseline)"
                              : "movement_scale " + std::to_string(static_cast<int>(scale));
            std::snprintf(line, sizeof line,
                          "%s: onset |err| %.1f min, epoch acc %.1f %% (wake spec %.1f %%), "
                          "night acc %.1f %%, extra transitions %d, final awakenings %d/%d",
                          label.c_str(),
                          summary.onset_n > 0 ? summary.onset_abs_sum / summary.onset_n : NAN,
                          summary.epoch.accuracy_pct(), summary.epoch.wake_spec_pct(),
                          summary.reported.accuracy_pct(), summary.extra_transitions, summary.end_n,
                          summary.end_measurable);
            report.notes.emplace_back(line);
        }
    }
    report.notes.push_back(
        "causal: each epoch is scored 1 min after it ends from the past and that minute; "
        "overall onset_err_min/end_err_min are mean absolute errors, transitions the state "
        "changes beyond one onset and one final awakening");
    report.notes.push_back("movement_scale " +
                           std::to_string(static_cast<int>(walch_movement_scale)) +
                           " (the Walch index, a device constant), floor 0; defaults otherwise");
    return report;
}

} // namespace hearth::eval
