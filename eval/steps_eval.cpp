#include "steps_eval.h"

#include <cmath>
#include <ostream>
#include <string>

#include "report.h"

namespace hearth::eval {

formats::Result<std::vector<engine::health::StepEvent>>
detect_steps(const formats::SensorTable& table, const engine::health::StepCounterConfig& config) {
    if (!table.has("ax") || !table.has("ay") || !table.has("az")) {
        return formats::make_error("csv", formats::ErrorCode::MissingField,
                                   "step counting needs accelerometer columns ax, ay, az");
    }
    const std::vector<engine::AccelSample> samples = formats::accel_samples(table);
    engine::health::StepCounter counter(config);
    std::vector<engine::health::StepEvent> steps;
    // Blocks of 1 s at 100 Hz keep the result queue far from full.
    constexpr std::size_t block = 100;
    for (std::size_t i = 0; i < samples.size(); i += block) {
        const std::size_t n = std::min(block, samples.size() - i);
        counter.push(std::span<const engine::AccelSample>(samples.data() + i, n));
        while (auto step = counter.pull()) {
            steps.push_back(*step);
        }
    }
    return steps;
}

formats::Result<double> read_step_total(const std::filesystem::path& reference) {
    auto table = formats::read_sensor_csv(reference.string());
    if (!table) {
        return tl::unexpected(table.error());
    }
    const auto column = table->column("steps");
    if (!column) {
        return formats::make_error("csv", formats::ErrorCode::MissingField,
                                   "reference has no steps column");
    }
    const auto& values = table->values[*column];
    for (std::size_t i = values.size(); i-- > 0;) {
        if (std::isfinite(values[i])) {
            return static_cast<double>(values[i]);
        }
    }
    return formats::make_error("csv", formats::ErrorCode::Empty, "reference has no step count");
}

Report evaluate_steps(const std::filesystem::path& dir, std::ostream* progress) {
    Report report;
    report.task = "steps";
    double sum_ape = 0.0;
    double sum_true = 0.0;
    double sum_detected = 0.0;
    int scored = 0;
    for (const Recording& rec : list_recordings(dir)) {
        if (progress != nullptr) {
            *progress << "steps: " << rec.name << "\n";
        }
        auto truth = read_step_total(rec.reference);
        auto table = formats::read_sensor_csv(rec.input.string());
        if (!truth || !table || *truth <= 0.0) {
            report.notes.push_back("skipped " + rec.name + ": " +
                                   (!truth   ? truth.error().describe()
                                    : !table ? table.error().describe()
                                             : std::string("no true steps")));
            continue;
        }
        auto steps = detect_steps(*table);
        if (!steps) {
            report.notes.push_back("skipped " + rec.name + ": " + steps.error().describe());
            continue;
        }
        const auto detected = static_cast<double>(steps->size());
        const double ape = 100.0 * std::fabs(detected - *truth) / *truth;
        report.rows.push_back(
            {rec.name,
             {{"true_steps", *truth, 0}, {"detected", detected, 0}, {"abs_error_pct", ape, 2}}});
        sum_ape += ape;
        sum_true += *truth;
        sum_detected += detected;
        ++scored;
    }
    const double mape = scored > 0 ? sum_ape / scored : 0.0;
    report.overall = {
        "overall",
        {{"true_steps", sum_true, 0}, {"detected", sum_detected, 0}, {"abs_error_pct", mape, 2}}};
    report.notes.push_back("overall abs_error_pct is the mean over recordings (MAPE) of " +
                           std::to_string(scored) + " recordings; target <= 3 %");
    return report;
}

} // namespace hearth::eval
