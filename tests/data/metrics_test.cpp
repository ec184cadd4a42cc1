// Workout metrics computed from records (sport/metrics) against the totals the recording
// device wrote in the same file (FIT sessions, TCX laps), over the real activity files of
// ../shared/data/activities. Prints one row per activity and the median error per metric;
// asserts on the metrics a device computes the same way we do (distance, timer time, heart
// rate, power), leaving devices' proprietary ones (ascent, energy) to the printed table.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "import/import.h"
#include "metrics/activity_metrics.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;
using sport::Totals;

struct Field {
    const char* name;
    std::function<std::optional<double>(const Totals&)> get;
    bool relative; // error in % of the device's value, else in the metric's unit
};

std::vector<Field> fields() {
    return {
        {"distance_%", [](const Totals& t) { return t.distance_m; }, true},
        {"timer_%", [](const Totals& t) { return t.timer_time_s; }, true},
        {"moving_%", [](const Totals& t) { return t.moving_time_s; }, true},
        {"avg_speed_%", [](const Totals& t) { return t.avg_speed_mps; }, true},
        {"max_speed_%", [](const Totals& t) { return t.max_speed_mps; }, true},
        {"ascent_m", [](const Totals& t) { return t.ascent_m; }, false},
        {"descent_m", [](const Totals& t) { return t.descent_m; }, false},
        {"avg_hr_bpm", [](const Totals& t) { return t.avg_heart_rate_bpm; }, false},
        {"max_hr_bpm", [](const Totals& t) { return t.max_heart_rate_bpm; }, false},
        {"avg_cad", [](const Totals& t) { return t.avg_cadence; }, false},
        {"avg_power_w", [](const Totals& t) { return t.avg_power_w; }, false},
        {"max_power_w", [](const Totals& t) { return t.max_power_w; }, false},
        {"np_w", [](const Totals& t) { return t.normalized_power_w; }, false},
        {"energy_%", [](const Totals& t) { return t.energy_kcal; }, true},
    };
}

std::vector<fs::path> activity_files(const fs::path& root) {
    std::vector<fs::path> files;
    std::set<std::string> seen; // the same file is shipped by several projects
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        std::string ext = entry.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        if (ext != ".fit" && ext != ".tcx") {
            continue;
        }
        const std::string key =
            entry.path().filename().string() + ":" + std::to_string(entry.file_size());
        if (seen.insert(key).second) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

TEST(MetricsData, ComputedTotalsAgreeWithTheDevice) {
    const fs::path root = fs::path(HEARTH_DATA_DIR) / "activities";
    if (!fs::exists(root)) {
        GTEST_SKIP() << "no data at " << root << " (shared data sets absent)";
    }
    const auto all_fields = fields();
    std::map<std::string, std::vector<double>> errors;
    std::size_t compared = 0;
    std::printf("%-44s %-9s", "activity", "sport");
    for (const Field& f : all_fields) {
        std::printf(" %12s", f.name);
    }
    std::printf("\n");
    for (const fs::path& file : activity_files(root)) {
        const auto workout = sport::import_file(file);
        if (!workout) {
            continue; // broken files are the decoders' tests
        }
        for (const sport::Activity& activity : workout->activities) {
            if (!activity.device_summary || activity.records.size() < 60) {
                continue;
            }
            const auto m = sport::metrics::activity_metrics(activity);
            const Totals& device = *activity.device_summary;
            ++compared;
            std::printf("%-44s %-9s", file.filename().string().substr(0, 44).c_str(),
                        std::string(sport::to_string(activity.sport)).c_str());
            for (const Field& f : all_fields) {
                const auto d = f.get(device);
                const auto c = f.get(m.computed);
                if (!d || !c || !std::isfinite(*d) || !std::isfinite(*c) ||
                    (f.relative && *d <= 0.0)) {
                    std::printf(" %12s", "-");
                    continue;
                }
                const double error = f.relative ? (*c - *d) / *d * 100.0 : *c - *d;
                errors[f.name].push_back(std::abs(error));
                std::printf(" %12.1f", error);
            }
            // Energy by each estimator, against the device (printed only).
            const auto& e = m.energy_estimates;
            for (const auto& [name, value] : {std::pair{"energy_hr_%", e.from_heart_rate_kcal},
                                              std::pair{"energy_speed_%", e.from_speed_kcal},
                                              std::pair{"energy_power_%", e.from_power_kcal}}) {
                if (device.energy_kcal && *device.energy_kcal > 0.0 && value) {
                    const double error = (*value - *device.energy_kcal) / *device.energy_kcal;
                    errors[name].push_back(std::abs(error) * 100.0);
                    std::printf(" %s=%.1f", name, error * 100.0);
                }
            }
            std::printf("\n");
        }
    }
    ASSERT_GT(compared, 5U) << "expected several activities with device totals";
    std::printf("%-54s", "median |error|");
    for (const Field& f : all_fields) {
        if (errors[f.name].empty()) {
            std::printf(" %12s", "-");
        } else {
            std::printf(" %12.2f", median(errors[f.name]));
        }
    }
    for (const char* name : {"energy_hr_%", "energy_speed_%", "energy_power_%"}) {
        if (!errors[name].empty()) {
            std::printf(" %s=%.2f (n %zu)", name, median(errors[name]), errors[name].size());
        }
    }
    std::printf("\n%-54s", "n");
    for (const Field& f : all_fields) {
        std::printf(" %12zu", errors[f.name].size());
    }
    std::printf("\n");

    // Quantities every device computes the same way as we do from the same records.
    EXPECT_LT(median(errors["distance_%"]), 0.5);
    EXPECT_LT(median(errors["timer_%"]), 0.5);
    EXPECT_LT(median(errors["avg_speed_%"]), 0.5);
    EXPECT_LT(median(errors["avg_hr_bpm"]), 1.0);
    EXPECT_LT(median(errors["max_hr_bpm"]), 1.0);
    EXPECT_LT(median(errors["avg_power_w"]), 2.0);
    EXPECT_LT(median(errors["np_w"]), 3.0);
    // Ascent depends on each maker's filter; within a few metres is what a user can expect.
    EXPECT_LT(median(errors["ascent_m"]), 10.0);
    EXPECT_LT(median(errors["descent_m"]), 10.0);
}

// The same over each lap's time range, against the device's lap totals.
TEST(MetricsData, LapTotalsAgreeWithTheDevice) {
    const fs::path root = fs::path(HEARTH_DATA_DIR) / "activities";
    if (!fs::exists(root)) {
        GTEST_SKIP() << "no data at " << root << " (shared data sets absent)";
    }
    std::map<std::string, std::vector<double>> errors;
    for (const fs::path& file : activity_files(root)) {
        const auto workout = sport::import_file(file);
        if (!workout) {
            continue;
        }
        for (const sport::Activity& activity : workout->activities) {
            if (activity.records.size() < 60 || activity.sport == sport::Sport::Swimming) {
                continue;
            }
            const auto laps = sport::metrics::lap_metrics(activity);
            for (std::size_t k = 0; k < laps.size(); ++k) {
                const Totals& device = activity.laps[k].totals;
                const Totals& ours = laps[k].computed;
                auto compare = [&](const char* name, const std::optional<double>& d,
                                   const std::optional<double>& c, bool relative) {
                    if (d && c && std::isfinite(*c) && (!relative || *d > 0.0)) {
                        errors[name].push_back(
                            std::abs(relative ? (*c - *d) / *d * 100.0 : *c - *d));
                    }
                };
                // Laps shorter than a minute are dominated by the record at each boundary.
                if (device.timer_time_s && *device.timer_time_s >= 60.0) {
                    compare("lap_distance_%", device.distance_m, ours.distance_m, true);
                    compare("lap_timer_%", device.timer_time_s, ours.timer_time_s, true);
                    compare("lap_avg_hr_bpm", device.avg_heart_rate_bpm, ours.avg_heart_rate_bpm,
                            false);
                    compare("lap_avg_power_w", device.avg_power_w, ours.avg_power_w, false);
                }
            }
        }
    }
    ASSERT_GT(errors["lap_timer_%"].size(), 20U) << "expected many laps with device totals";
    for (const auto& [name, values] : errors) {
        std::printf("%-18s median |error| %6.2f  (n %zu)\n", name.c_str(), median(values),
                    values.size());
    }
    EXPECT_LT(median(errors["lap_distance_%"]), 1.0);
    EXPECT_LT(median(errors["lap_timer_%"]), 1.0);
    EXPECT_LT(median(errors["lap_avg_hr_bpm"]), 1.0);
}

} // namespace
} // namespace hearth
