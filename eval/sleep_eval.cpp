#include "sleep_eval.h"

#include <array>
#include <cmath>
#include <memory>
#include <ostream>
#include <string>

#include "labelled_intervals.h"

namespace hearth::eval {

using engine::health::SleepEpoch;
using engine::health::SleepStage;
using engine::health::SleepStager;

namespace {

// Wake, NREM, REM as 0, 1, 2; -1 for a label that is not a stage.
int three_class(std::string_view label) {
    if (label == "wake") {
        return 0;
    }
    if (label == "n1" || label == "n2" || label == "n3" || label == "nrem") {
        return 1;
    }
    if (label == "rem") {
        return 2;
    }
    return -1;
}

int three_class(SleepStage stage) {
    switch (stage) {
    case SleepStage::Wake:
        return 0;
    case SleepStage::Light:
    case SleepStage::Deep:
        return 1;
    case SleepStage::Rem:
        return 2;
    }
    return 1;
}

struct Confusion {
    std::array<std::array<double, 3>, 3> n{}; // [truth][predicted]

    [[nodiscard]] double total() const {
        double t = 0.0;
        for (const auto& row : n) {
            for (const double v : row) {
                t += v;
            }
        }
        return t;
    }
    [[nodiscard]] double accuracy() const {
        const double t = total();
        return t > 0.0 ? (n[0][0] + n[1][1] + n[2][2]) / t : 0.0;
    }
    [[nodiscard]] double sleep_wake_accuracy() const {
        const double t = total();
        const double sleep_ok = n[1][1] + n[1][2] + n[2][1] + n[2][2];
        return t > 0.0 ? (n[0][0] + sleep_ok) / t : 0.0;
    }
    [[nodiscard]] double wake_specificity() const {
        const double wake = n[0][0] + n[0][1] + n[0][2];
        return wake > 0.0 ? n[0][0] / wake : std::nan("");
    }
    [[nodiscard]] double kappa() const {
        const double t = total();
        if (t <= 0.0) {
            return 0.0;
        }
        double expected = 0.0;
        for (std::size_t c = 0; c < 3; ++c) {
            const double truth = n[c][0] + n[c][1] + n[c][2];
            const double predicted = n[0][c] + n[1][c] + n[2][c];
            expected += truth * predicted / (t * t);
        }
        return expected < 1.0 ? (accuracy() - expected) / (1.0 - expected) : 0.0;
    }
    void add(const Confusion& other) {
        for (std::size_t i = 0; i < 3; ++i) {
            for (std::size_t j = 0; j < 3; ++j) {
                n[i][j] += other.n[i][j];
            }
        }
    }
};

std::vector<MetricValue> metrics(const Confusion& c) {
    return {{"epochs", c.total(), 0},
            {"sleep_wake_acc_pct", 100.0 * c.sleep_wake_accuracy(), 1},
            {"wake_spec_pct", 100.0 * c.wake_specificity(), 1},
            {"wnr_acc_pct", 100.0 * c.accuracy(), 1},
            {"wnr_kappa", c.kappa(), 3}};
}

} // namespace

formats::Result<std::vector<SleepEpoch>> stage_sleep(const formats::SensorTable& table) {
    const bool has_accel = table.has("ax") && table.has("ay") && table.has("az");
    if (!table.has("hr") || (!table.has("activity") && !has_accel)) {
        return formats::make_error("csv", formats::ErrorCode::MissingField,
                                   "sleep staging needs an hr column and either an activity "
                                   "column or accelerometer columns ax, ay, az");
    }
    // About 110 KB of fixed state: too big for the stack.
    auto stager = std::make_unique<SleepStager>();
    stager->push(formats::heart_rate_samples(table));
    if (table.has("activity")) {
        stager->push(formats::activity_count_samples(table));
    }
    if (has_accel) {
        stager->push(formats::accel_samples(table));
    }
    stager->finish();
    std::vector<SleepEpoch> epochs;
    while (auto e = stager->pull()) {
        epochs.push_back(*e);
    }
    return epochs;
}

Report evaluate_sleep(const std::filesystem::path& dir, std::ostream* progress) {
    Report report;
    report.task = "sleep";
    Confusion all;
    for (const Recording& rec : list_recordings(dir)) {
        if (progress != nullptr) {
            *progress << "sleep: " << rec.name << "\n";
        }
        auto truth = read_labelled_intervals(rec.reference, "stage");
        auto table = formats::read_sensor_csv(rec.input.string());
        if (!truth || !table) {
            report.notes.push_back("skipped " + rec.name + ": " +
                                   (!truth ? truth.error().describe() : table.error().describe()));
            continue;
        }
        auto epochs = stage_sleep(*table);
        if (!epochs) {
            report.notes.push_back("skipped " + rec.name + ": " + epochs.error().describe());
            continue;
        }
        Confusion night;
        for (const LabelledInterval& ref : *truth) {
            const int t = three_class(ref.label);
            const auto k = static_cast<std::ptrdiff_t>(std::floor(ref.start_s / 30.0 + 1e-6));
            if (t < 0 || k < 0 || static_cast<std::size_t>(k) >= epochs->size()) {
                continue;
            }
            const int p = three_class((*epochs)[static_cast<std::size_t>(k)].stage);
            night.n[static_cast<std::size_t>(t)][static_cast<std::size_t>(p)] += 1.0;
        }
        all.add(night);
        report.rows.push_back({rec.name, metrics(night)});
    }
    report.overall.recording = "overall";
    report.overall.metrics = metrics(all);
    report.notes.push_back("pooled over all scored epochs; wnr = wake/NREM/REM (n1+n2+n3 = NREM)");
    report.notes.push_back("targets: sleep/wake >= 90 % with wake specificity >= 60 %, wnr >= 75 "
                           "% and kappa >= 0.45 (Walch et al. 2019: 90 %/60 %, 72 %)");
    return report;
}

} // namespace hearth::eval
