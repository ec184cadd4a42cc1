#include "hr_eval.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <unordered_map>

namespace hearth::eval {

namespace {

using engine::health::HeartRateEstimate;
using engine::health::HeartRateEstimator;
using engine::health::PpgChannel;

constexpr engine::TimeMs block_ms = 1000;

// Pushes the samples of `all` before `until_ms`, starting at `next`.
template <class Sample, class Push>
void push_until(const std::vector<Sample>& all, std::size_t& next, engine::TimeMs until_ms,
                Push push) {
    const std::size_t begin = next;
    while (next < all.size() && all[next].t_ms < until_ms) {
        ++next;
    }
    if (next > begin) {
        push(std::span<const Sample>(all.data() + begin, next - begin));
    }
}

} // namespace

formats::Result<std::vector<HeartRateEstimate>>
estimate_heart_rate(const formats::SensorTable& table,
                    const engine::health::HeartRateConfig& config) {
    for (const char* name : {"ppg", "ax", "ay", "az"}) {
        if (!table.has(name)) {
            return formats::make_error("csv", formats::ErrorCode::MissingField,
                                       std::string("heart rate needs a '") + name +
                                           "' column (ppg, optional ppg2, and ax, ay, az)");
        }
    }
    const auto ppg = formats::ppg_samples(table, "ppg");
    const auto ppg2 = formats::ppg_samples(table, "ppg2");
    const auto accel = formats::accel_samples(table);
    if (ppg.empty()) {
        return formats::make_error("csv", formats::ErrorCode::Empty, "no ppg samples");
    }
    engine::TimeMs start = ppg.front().t_ms;
    engine::TimeMs stop = ppg.back().t_ms;
    if (!accel.empty()) {
        start = std::min(start, accel.front().t_ms);
        stop = std::max(stop, accel.back().t_ms);
    }
    if (!ppg2.empty()) {
        start = std::min(start, ppg2.front().t_ms);
        stop = std::max(stop, ppg2.back().t_ms);
    }

    auto estimator = std::make_unique<HeartRateEstimator>(config);
    std::vector<HeartRateEstimate> out;
    std::size_t next_ppg = 0;
    std::size_t next_ppg2 = 0;
    std::size_t next_accel = 0;
    for (engine::TimeMs until = start + block_ms;; until += block_ms) {
        push_until(accel, next_accel, until,
                   [&](std::span<const engine::AccelSample> s) { estimator->push_accel(s); });
        push_until(ppg, next_ppg, until,
                   [&](std::span<const engine::PpgSample> s) { estimator->push_ppg(s); });
        push_until(ppg2, next_ppg2, until, [&](std::span<const engine::PpgSample> s) {
            estimator->push_ppg(s, PpgChannel::Second);
        });
        while (auto e = estimator->pull()) {
            out.push_back(*e);
        }
        if (until > stop) {
            break;
        }
        // Skip empty stretches in one step, so that a gap of days costs nothing.
        engine::TimeMs earliest = stop;
        if (next_ppg < ppg.size()) {
            earliest = std::min(earliest, ppg[next_ppg].t_ms);
        }
        if (next_ppg2 < ppg2.size()) {
            earliest = std::min(earliest, ppg2[next_ppg2].t_ms);
        }
        if (next_accel < accel.size()) {
            earliest = std::min(earliest, accel[next_accel].t_ms);
        }
        if (earliest >= until + block_ms) {
            until = earliest - block_ms / 2;
        }
    }
    estimator->flush();
    while (auto e = estimator->pull()) {
        out.push_back(*e);
    }
    return out;
}

formats::Result<HrScore> score_heart_rate(const std::vector<HeartRateEstimate>& estimates,
                                          const formats::SensorTable& reference) {
    const auto bpm_col = reference.column("bpm");
    if (!bpm_col) {
        return formats::make_error("csv", formats::ErrorCode::MissingField,
                                   "the reference needs a 'bpm' column");
    }
    std::unordered_map<engine::TimeMs, float> by_time;
    for (const auto& e : estimates) {
        by_time[e.t_ms] = e.bpm;
    }
    HrScore score;
    for (std::size_t r = 0; r < reference.rows(); ++r) {
        const float truth = reference.values[*bpm_col][r];
        if (std::isnan(truth)) {
            continue;
        }
        const auto it = by_time.find(formats::to_time_ms(reference.t_s[r]));
        if (it == by_time.end()) {
            ++score.unmatched;
            continue;
        }
        const double err = std::fabs(static_cast<double>(it->second) - truth);
        score.abs_error_sum += err;
        ++score.matched;
        score.within_5_bpm += err <= 5.0 ? 1 : 0;
    }
    return score;
}

Report evaluate_heart_rate(const std::filesystem::path& dir, std::ostream* progress,
                           const engine::health::HeartRateConfig& config) {
    Report report;
    report.task = "hr: heart rate from wrist PPG + accelerometer";
    double mae_sum = 0.0;
    int scored = 0;
    HrScore all;
    for (const Recording& rec : list_recordings(dir)) {
        if (progress != nullptr) {
            *progress << "hr: " << rec.name << "\n" << std::flush;
        }
        const auto input = formats::read_sensor_csv(rec.input.string());
        const auto reference = formats::read_sensor_csv(rec.reference.string());
        if (!input || !reference) {
            report.notes.push_back(
                rec.name + " skipped: " + (input ? reference.error() : input.error()).describe());
            continue;
        }
        const auto estimates = estimate_heart_rate(*input, config);
        if (!estimates) {
            report.notes.push_back(rec.name + " skipped: " + estimates.error().describe());
            continue;
        }
        const auto score = score_heart_rate(*estimates, *reference);
        if (!score || score->matched == 0) {
            report.notes.push_back(rec.name + " skipped: " +
                                   (score ? std::string("no reference row matched an estimate")
                                          : score.error().describe()));
            continue;
        }
        const double mae = score->abs_error_sum / score->matched;
        mae_sum += mae;
        ++scored;
        all.abs_error_sum += score->abs_error_sum;
        all.matched += score->matched;
        all.within_5_bpm += score->within_5_bpm;
        all.unmatched += score->unmatched;
        report.rows.push_back(
            {rec.name,
             {{"mae_bpm", mae, 2},
              {"within_5_bpm_pct", 100.0 * score->within_5_bpm / score->matched, 1},
              {"windows", static_cast<double>(score->matched), 0},
              {"unmatched", static_cast<double>(score->unmatched), 0}}});
    }
    report.overall.recording = "overall";
    const double windows = all.matched > 0 ? all.matched : 1;
    report.overall.metrics = {{"mae_bpm", scored > 0 ? mae_sum / scored : 0.0, 2},
                              {"within_5_bpm_pct", 100.0 * all.within_5_bpm / windows, 1},
                              {"windows", static_cast<double>(all.matched), 0},
                              {"unmatched", static_cast<double>(all.unmatched), 0}};
    report.notes.push_back("overall mae_bpm is the mean of the per-recording MAEs; over all " +
                           std::to_string(all.matched) + " windows the MAE is " +
                           std::to_string(all.matched > 0 ? all.abs_error_sum / all.matched : 0.0) +
                           " BPM");
    report.notes.push_back("target: MAE <= 2.0 BPM on spc2015-train (TROIKA 2.34, JOSS 1.28)");
    return report;
}

} // namespace hearth::eval
