#include "swim_eval.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <ostream>
#include <string>

#include "labelled_intervals.h"

namespace hearth::eval {

using engine::health::SwimImuSample;
using engine::health::SwimLength;
using engine::health::SwimTracker;

formats::Result<std::vector<SwimLength>>
track_swim(const formats::SensorTable& table, const engine::health::SwimTrackerConfig& config) {
    static constexpr std::array<const char*, 6> required{"ax", "ay", "az", "gx", "gy", "gz"};
    std::array<std::size_t, 9> col{};
    for (std::size_t k = 0; k < required.size(); ++k) {
        const auto c = table.column(required[k]);
        if (!c) {
            return formats::make_error("csv", formats::ErrorCode::MissingField,
                                       "swimming needs accelerometer and gyroscope columns ax, "
                                       "ay, az, gx, gy, gz");
        }
        col[k] = *c;
    }
    const auto mx = table.column("mx");
    const auto my = table.column("my");
    const auto mz = table.column("mz");
    const bool has_mag = mx && my && mz;
    SwimTracker tracker(config);
    std::vector<SwimLength> lengths;
    std::vector<SwimImuSample> block;
    constexpr std::size_t block_size = 64;
    block.reserve(block_size);
    const auto flush = [&] {
        tracker.push(block);
        block.clear();
        while (auto l = tracker.pull()) {
            lengths.push_back(*l);
        }
    };
    for (std::size_t row = 0; row < table.rows(); ++row) {
        SwimImuSample s;
        s.t_ms = formats::to_time_ms(table.t_s[row]);
        for (std::size_t k = 0; k < 3; ++k) {
            s.accel[k] = table.values[col[k]][row];
            s.gyro[k] = table.values[col[3 + k]][row];
        }
        if (has_mag) {
            s.mag = {table.values[*mx][row], table.values[*my][row], table.values[*mz][row]};
        } else {
            s.mag.fill(formats::missing_value);
        }
        if (!std::isfinite(s.accel[0]) || !std::isfinite(s.gyro[0])) {
            continue;
        }
        block.push_back(s);
        if (block.size() == block_size) {
            flush();
        }
    }
    flush();
    tracker.finish();
    while (auto l = tracker.pull()) {
        lengths.push_back(*l);
    }
    return lengths;
}

Report evaluate_swim(const std::filesystem::path& dir, std::ostream* progress,
                     const engine::health::SwimTrackerConfig& config) {
    Report report;
    report.task = "swim";
    int files = 0;
    int exact_files = 0;
    int styled = 0;
    int styled_correct = 0;
    for (const Recording& rec : list_recordings(dir)) {
        if (progress != nullptr) {
            *progress << "swim: " << rec.name << "\n";
        }
        auto truth = read_labelled_intervals(rec.reference, "style");
        auto table = formats::read_sensor_csv(rec.input.string());
        if (!truth || !table) {
            report.notes.push_back("skipped " + rec.name + ": " +
                                   (!truth ? truth.error().describe() : table.error().describe()));
            continue;
        }
        auto lengths = track_swim(*table, config);
        if (!lengths) {
            report.notes.push_back("skipped " + rec.name + ": " + lengths.error().describe());
            continue;
        }
        ++files;
        const bool exact = lengths->size() == truth->size();
        exact_files += exact ? 1 : 0;
        int file_styled = 0;
        int file_correct = 0;
        for (const LabelledInterval& ref : *truth) {
            if (ref.label == "unknown") {
                continue;
            }
            ++file_styled;
            double best_overlap = 0.0;
            const SwimLength* best = nullptr;
            for (const SwimLength& l : *lengths) {
                const double overlap =
                    std::min(ref.end_s, static_cast<double>(l.end_ms) / 1000.0) -
                    std::max(ref.start_s, static_cast<double>(l.start_ms) / 1000.0);
                if (overlap > best_overlap) {
                    best_overlap = overlap;
                    best = &l;
                }
            }
            if (best != nullptr && engine::health::to_string(best->style) == ref.label) {
                ++file_correct;
            }
        }
        styled += file_styled;
        styled_correct += file_correct;
        report.rows.push_back(
            {rec.name,
             {{"ref_lengths", static_cast<double>(truth->size()), 0},
              {"detected", static_cast<double>(lengths->size()), 0},
              {"exact_pct", exact ? 100.0 : 0.0, 0},
              {"style_acc_pct", file_styled > 0 ? 100.0 * file_correct / file_styled : std::nan(""),
               1}}});
    }
    report.overall.recording = "overall";
    report.overall.metrics = {
        {"ref_lengths", static_cast<double>(files), 0},
        {"detected", static_cast<double>(exact_files), 0},
        {"exact_pct", files > 0 ? 100.0 * exact_files / files : 0.0, 1},
        {"style_acc_pct", styled > 0 ? 100.0 * styled_correct / styled : 0.0, 1}};
    report.notes.push_back("overall row: ref_lengths = files scored, detected = files with the "
                           "exact number of lengths");
    report.notes.push_back("style accuracy over " + std::to_string(styled) +
                           " reference lengths of known style; targets: >= 95 % exact files, "
                           ">= 97 % style (Brunner et al. 2019: ~99 % lengths, ~97 % style)");
    return report;
}

} // namespace hearth::eval
