#include "metrics/power.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::sport::metrics {
namespace {

// Normalized power the slow way, straight from Coggan's recipe, to check the O(n) version.
double naive_np(const std::vector<double>& p) {
    double sum4 = 0.0;
    std::size_t count = 0;
    for (std::size_t end = 30; end <= p.size(); ++end) {
        double mean = 0.0;
        for (std::size_t k = end - 30; k < end; ++k) {
            mean += p[k];
        }
        mean /= 30.0;
        sum4 += std::pow(mean, 4.0);
        ++count;
    }
    return std::pow(sum4 / static_cast<double>(count), 0.25);
}

TEST(Power, ConstantEffort) {
    std::vector<double> t;
    std::vector<double> p;
    for (int i = 0; i <= 3600; ++i) {
        t.push_back(i);
        p.push_back(200.0);
    }
    const PowerMetrics m = power_metrics(t, p, {}, 250.0);
    EXPECT_DOUBLE_EQ(m.avg_w, 200.0);
    EXPECT_DOUBLE_EQ(m.max_w, 200.0);
    ASSERT_TRUE(m.normalized_w);
    EXPECT_NEAR(*m.normalized_w, 200.0, 1e-9);
    EXPECT_NEAR(*m.intensity_factor, 0.8, 1e-12);
    // One hour at IF 0.8: TSS = 100 * 0.8^2.
    EXPECT_NEAR(*m.training_stress_score, 64.0, 1e-9);
    EXPECT_NEAR(*m.variability_index, 1.0, 1e-12);
    EXPECT_NEAR(m.work_kj, 720.0, 1e-9);
    ASSERT_EQ(m.bests.size(), 4U);
    EXPECT_NEAR(m.bests[3].mean_w, 200.0, 1e-9);
}

TEST(Power, IntervalsMatchTheDirectDefinition) {
    std::vector<double> t;
    std::vector<double> p;
    for (int i = 0; i < 1800; ++i) {
        t.push_back(i);
        p.push_back((i / 60) % 2 == 0 ? 350.0 : 100.0); // 1-minute on/off
    }
    const PowerMetrics m = power_metrics(t, p, {}, std::nullopt);
    const auto grid = resample_1hz(t, p, {}, 0.0, HoldOptions{5.0});
    ASSERT_TRUE(m.normalized_w);
    EXPECT_NEAR(*m.normalized_w, naive_np(grid), 1e-9);
    EXPECT_GT(*m.normalized_w, m.avg_w);
    EXPECT_FALSE(m.intensity_factor);
    EXPECT_FALSE(m.training_stress_score);
    ASSERT_GE(m.bests.size(), 2U);
    EXPECT_DOUBLE_EQ(m.bests[0].mean_w, 350.0); // 5 s
    EXPECT_DOUBLE_EQ(m.bests[1].mean_w, 350.0); // 60 s
}

TEST(Power, DropoutsReadAsZeroAndPausesAreLeftOut) {
    // 100 s at 300 W, a 60 s dropout of the power meter while riding, 100 s at 300 W.
    std::vector<double> t;
    std::vector<double> p;
    for (int i = 0; i < 100; ++i) {
        t.push_back(i);
        p.push_back(300.0);
    }
    for (int i = 160; i < 260; ++i) {
        t.push_back(i);
        p.push_back(300.0);
    }
    const auto grid = resample_1hz(t, p, {}, 0.0, HoldOptions{5.0});
    EXPECT_DOUBLE_EQ(grid[130], 0.0);
    // Now the same gap as a pause: the grid skips it and NP stays at 300.
    const std::vector<Interval> active{{0.0, 100.0}, {160.0, 259.0}};
    const PowerMetrics paused = power_metrics(t, p, active, std::nullopt);
    EXPECT_NEAR(*paused.normalized_w, 300.0, 1e-9);
    EXPECT_NEAR(paused.avg_w, 300.0, 1e-9);
}

TEST(Power, ShortRideHasNoNormalizedPower) {
    const std::vector<double> t{0.0, 1.0, 2.0};
    const std::vector<double> p{100.0, 200.0, 300.0};
    const PowerMetrics m = power_metrics(t, p, {}, 250.0);
    EXPECT_FALSE(m.normalized_w);
    EXPECT_TRUE(m.bests.empty());
    EXPECT_DOUBLE_EQ(m.max_w, 300.0);
}

TEST(Power, TrainingStressScoreFormula) {
    // Two hours at NP 270 with FTP 300: 2 * 0.9^2 * 100.
    EXPECT_NEAR(training_stress_score(7200.0, 270.0, 300.0), 162.0, 1e-9);
    EXPECT_DOUBLE_EQ(training_stress_score(7200.0, 270.0, 0.0), 0.0);
}

} // namespace
} // namespace hearth::sport::metrics
