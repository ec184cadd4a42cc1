#include "health/activity_classifier.h"

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::engine::health {
namespace {

constexpr float two_pi = 2.0F * std::numbers::pi_v<float>;

std::vector<ImuSample> still(float seconds, float rate_hz, bool gyro, TimeMs t0_ms = 0) {
    std::mt19937 rng(1);
    std::normal_distribution<float> noise(0.0F, 0.02F);
    std::vector<ImuSample> out;
    for (int i = 0; i < static_cast<int>(seconds * rate_hz); ++i) {
        ImuSample s;
        s.t_ms =
            t0_ms + static_cast<TimeMs>(std::lround(1000.0F * static_cast<float>(i) / rate_hz));
        s.ax = 1.2F + noise(rng);
        s.ay = -2.0F + noise(rng);
        s.az = 9.5F + noise(rng);
        s.gx = noise(rng);
        s.gy = noise(rng);
        s.gz = noise(rng);
        s.has_gyro = gyro;
        out.push_back(s);
    }
    return out;
}

std::vector<ActivityDecision> run(ActivityClassifier& c, const std::vector<ImuSample>& samples,
                                  std::size_t block) {
    std::vector<ActivityDecision> out;
    for (std::size_t i = 0; i < samples.size(); i += block) {
        c.push(std::span<const ImuSample>(samples).subspan(i, std::min(block, samples.size() - i)));
        while (auto d = c.pull()) {
            out.push_back(*d);
        }
    }
    c.finish();
    while (auto d = c.pull()) {
        out.push_back(*d);
    }
    return out;
}

TEST(ActivityClassifier, AStillSensorIsStill) {
    for (const bool gyro : {true, false}) {
        ActivityClassifier c;
        const auto decisions = run(c, still(60.0F, 25.0F, gyro), 40);
        // A decision every 2.5 s once the first 5 s window is full.
        EXPECT_NEAR(static_cast<double>(decisions.size()), (60.0 - 5.0) / 2.5 + 1.0, 1.0);
        for (const auto& d : decisions) {
            EXPECT_EQ(d.activity, Activity::Still) << "gyro " << gyro << " at " << d.start_ms;
            EXPECT_GT(d.confidence, 0.3F);
            EXPECT_EQ(d.end_ms - d.start_ms, 2500);
        }
    }
}

TEST(ActivityClassifier, DecisionsAdvanceEveryHop) {
    ActivityClassifierConfig config;
    config.smoothing_lag_windows = 0;
    ActivityClassifier c(config);
    const auto decisions = run(c, still(30.0F, 50.0F, true), 17);
    ASSERT_GE(decisions.size(), 3U);
    // One window [0, 5 s): decided for its middle 2.5 s.
    EXPECT_EQ(decisions[0].start_ms, 1250);
    for (std::size_t i = 1; i < decisions.size(); ++i) {
        EXPECT_EQ(decisions[i].start_ms - decisions[i - 1].start_ms, 2500);
    }
}

TEST(ActivityClassifier, BlockLengthDoesNotMatter) {
    std::vector<ImuSample> samples = still(20.0F, 50.0F, true);
    // Add a vigorous 2.8 Hz shake in the middle so that decisions vary.
    for (auto& s : samples) {
        if (s.t_ms > 8000 && s.t_ms < 14000) {
            const float t = static_cast<float>(s.t_ms) / 1000.0F;
            s.az += 8.0F * std::sin(two_pi * 2.8F * t);
            s.ax += 4.0F * std::sin(two_pi * 1.4F * t);
            s.gx += 3.0F * std::sin(two_pi * 1.4F * t);
        }
    }
    ActivityClassifier a;
    ActivityClassifier b;
    const auto da = run(a, samples, 1);
    const auto db = run(b, samples, 999);
    ASSERT_EQ(da.size(), db.size());
    for (std::size_t i = 0; i < da.size(); ++i) {
        EXPECT_EQ(da[i].activity, db[i].activity);
        EXPECT_EQ(da[i].start_ms, db[i].start_ms);
    }
}

TEST(ActivityClassifier, SlowInputInBlocksLosesNoWindow) {
    // 0.8 s spacing with a 2.5 s gap limit: every input sample is interpolated into 16 periods,
    // so a push of 10 samples (8 s) completes several windows; the windower's small queue must
    // drop none of them (the decisions fit the classifier's queue of 8).
    ActivityClassifierConfig config;
    config.max_gap_ms = ActivityClassifierConfig::max_gap_limit_ms;
    ASSERT_TRUE(config.validate());
    const auto samples = still(120.0F, 1.25F, false);
    ActivityClassifier a(config);
    ActivityClassifier b(config);
    const auto da = run(a, samples, 1);
    const auto db = run(b, samples, 10);
    ASSERT_EQ(da.size(), db.size());
    EXPECT_NEAR(static_cast<double>(db.size()), (120.0 - 5.0) / 2.5 + 1.0, 1.0);
    for (std::size_t i = 0; i < da.size(); ++i) {
        EXPECT_EQ(da[i].start_ms, db[i].start_ms);
        EXPECT_EQ(da[i].activity, db[i].activity);
    }
}

TEST(ActivityClassifier, GapRestartsTheWindows) {
    auto samples = still(10.0F, 20.0F, false);
    const auto after = still(10.0F, 20.0F, false, 60000);
    samples.insert(samples.end(), after.begin(), after.end());
    ActivityClassifier c;
    const auto decisions = run(c, samples, 64);
    for (const auto& d : decisions) {
        EXPECT_FALSE(d.end_ms > 10000 && d.start_ms < 60000) << "decision across the gap";
    }
    // Three windows in the first stretch; the second stretch's last period is still open
    // (output runs one period late), so it has two.
    EXPECT_EQ(decisions.size(), 5U);
}

TEST(ActivityClassifier, ModelVariantsGiveProbabilities) {
    ActivityFeatures f;
    for (const auto variant : {ModelVariant::WithGyro, ModelVariant::AccelOnly}) {
        const auto p = classify_window(f, variant);
        float sum = 0.0F;
        for (const float v : p) {
            EXPECT_GE(v, 0.0F);
            sum += v;
        }
        EXPECT_NEAR(sum, 1.0F, 1e-4F);
    }
}

TEST(ActivityClassifier, ExtremeFeaturesStillReachALeaf) {
    // Features far outside the int16 threshold range must still walk every tree to a leaf.
    for (const float value : {1e30F, -1e30F, 0.0F}) {
        ActivityFeatures f;
        f.values.fill(value);
        for (const auto variant : {ModelVariant::WithGyro, ModelVariant::AccelOnly}) {
            const auto p = classify_window(f, variant);
            float sum = 0.0F;
            for (const float v : p) {
                sum += v;
            }
            EXPECT_NEAR(sum, 1.0F, 1e-4F) << value;
        }
    }
}

TEST(Activity, NamesRoundTrip) {
    for (std::size_t i = 0; i < activity_class_count; ++i) {
        const auto a = static_cast<Activity>(i);
        EXPECT_EQ(activity_from_string(to_string(a)), a);
    }
    EXPECT_FALSE(activity_from_string("jogging").has_value());
}

TEST(ActivityClassifierConfig, Validates) {
    EXPECT_TRUE(ActivityClassifierConfig{}.validate());
    ActivityClassifierConfig c;
    c.smoothing_lag_windows = 0;
    EXPECT_TRUE(c.validate());
    c.smoothing_lag_windows = ActivityClassifierConfig::max_smoothing_lag + 1;
    EXPECT_FALSE(c.validate());
    c = ActivityClassifierConfig{};
    c.max_gap_ms = ActivityClassifierConfig::max_gap_limit_ms + 1;
    EXPECT_FALSE(c.validate());
}

} // namespace
} // namespace hearth::engine::health
