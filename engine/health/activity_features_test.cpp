#include "health/activity_features.h"

#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::engine::health {
namespace {

constexpr float two_pi = 2.0F * std::numbers::pi_v<float>;

TEST(UniformResampler, AveragesFastInput) {
    UniformResampler<1> r(50, 1000);
    std::vector<UniformSample<1>> out;
    // 100 Hz: two samples per 50 ms period, values 0, 1, 2, 3, ...
    for (int i = 0; i < 20; ++i) {
        r.push(i * 10, {static_cast<float>(i)},
               [&](const UniformSample<1>& s) { out.push_back(s); });
    }
    ASSERT_GE(out.size(), 3U);
    EXPECT_EQ(out[0].t_ms, 0);
    EXPECT_FLOAT_EQ(out[0].values[0], 2.0F); // mean of 0..4
    EXPECT_EQ(out[1].t_ms, 50);
    EXPECT_FLOAT_EQ(out[1].values[0], 7.0F);
    EXPECT_EQ(out[0].continuity, Continuity::AfterGap);
    EXPECT_EQ(out[1].continuity, Continuity::Continuous);
}

TEST(UniformResampler, InterpolatesSlowInputAndSplitsAtGaps) {
    UniformResampler<1> r(50, 1000);
    std::vector<UniformSample<1>> out;
    auto sink = [&](const UniformSample<1>& s) { out.push_back(s); };
    r.push(0, {0.0F}, sink);
    r.push(200, {4.0F}, sink); // 5 Hz: three empty periods to fill
    r.push(250, {4.0F}, sink);
    ASSERT_EQ(out.size(), 5U);
    EXPECT_FLOAT_EQ(out[1].values[0], 1.0F);
    EXPECT_FLOAT_EQ(out[2].values[0], 2.0F);
    EXPECT_FLOAT_EQ(out[3].values[0], 3.0F);
    EXPECT_EQ(out[4].t_ms, 200);
    r.push(5000, {9.0F}, sink); // 4.75 s gap: no invented data
    r.push(5050, {9.0F}, sink);
    ASSERT_EQ(out.size(), 7U);
    EXPECT_EQ(out[6].t_ms, 5000);
    EXPECT_EQ(out[6].continuity, Continuity::AfterGap);
}

TEST(AutocorrPeak, FindsThePeriodOfASine) {
    std::vector<float> x(100);
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = std::sin(two_pi * static_cast<float>(i) / 10.0F); // period 10 samples
    }
    const AutocorrPeak p = autocorr_peak(x, 5, 50);
    EXPECT_EQ(p.lag, 10U); // the period, not one of its multiples
    EXPECT_GT(p.value, 0.9F);
    const std::vector<float> silent(100, 0.0F);
    EXPECT_EQ(autocorr_peak(silent, 5, 50).value, 0.0F);
}

struct Signal {
    std::vector<float> x, y, z, gx, gy, gz;
};

// A 2 Hz bounce along gravity plus a 1 Hz sway across it, in a frame rotated by `rotation`;
// the gyro turns mostly about the horizontal "across" axis (an arm swinging from the shoulder)
// with a little about the device's y axis.
Signal bouncing(float rotation_rad) {
    Signal s;
    const float c = std::cos(rotation_rad);
    const float sn = std::sin(rotation_rad);
    for (std::size_t i = 0; i < activity_window_samples; ++i) {
        const float t = static_cast<float>(i) / static_cast<float>(activity_rate_hz);
        const float up = 9.81F + 3.0F * std::sin(two_pi * 2.0F * t);
        const float across = 1.0F * std::sin(two_pi * 1.0F * t);
        // Rotate (across, up) about the device's y axis.
        s.x.push_back(c * across + sn * up);
        s.y.push_back(0.2F);
        s.z.push_back(-sn * across + c * up);
        const float swing = 1.0F + 0.5F * std::sin(two_pi * 2.0F * t);
        s.gx.push_back(c * swing);
        s.gy.push_back(0.1F * std::sin(two_pi * 1.0F * t));
        s.gz.push_back(-sn * swing);
    }
    return s;
}

TEST(ActivityFeatures, DescribeAPeriodicBounce) {
    const Signal s = bouncing(0.0F);
    const ActivityFeatures f = compute_activity_features(s.x, s.y, s.z, s.gx, s.gy, s.gz);
    EXPECT_NEAR(f[ActivityFeature::DomFreq], 2.0F, 0.2F);
    EXPECT_NEAR(f[ActivityFeature::AcfLag], 0.5F, 0.06F);
    EXPECT_GT(f[ActivityFeature::AcfPeak], 0.8F);
    EXPECT_NEAR(f[ActivityFeature::VertStd], 3.0F / std::sqrt(2.0F), 0.15F);
    EXPECT_GT(f[ActivityFeature::Band2], 0.6F); // 2-3.5 Hz holds most of the bounce
    EXPECT_NEAR(f[ActivityFeature::GyroMean], 1.0F, 0.05F);
    EXPECT_NEAR(f[ActivityFeature::GyroDomFreq], 2.0F, 0.2F);
    // Most of the movement is along gravity, on one axis; one clean line in the spectrum.
    EXPECT_NEAR(f[ActivityFeature::VertShare], 0.9F, 0.03F);
    EXPECT_GT(f[ActivityFeature::DynAxisShare], 0.85F);
    EXPECT_GT(f[ActivityFeature::DynAxisVert], 0.95F);
    EXPECT_LT(f[ActivityFeature::SpecEntropy], 0.5F);
    EXPECT_NEAR(f[ActivityFeature::VertDomFreq], 2.0F, 0.2F);
    // At twice the 0.5 s period the bounce repeats; at half of it, it is in anti-phase.
    EXPECT_GT(f[ActivityFeature::AcfDouble], 0.7F);
    EXPECT_LT(f[ActivityFeature::AcfHalf], 0.0F);
    // The rotation is about one horizontal axis.
    EXPECT_GT(f[ActivityFeature::GyroAxisShare], 0.95F);
    EXPECT_LT(f[ActivityFeature::GyroAxisVert], 0.05F);
    EXPECT_NEAR(f[ActivityFeature::SwingDomFreq], 2.0F, 0.2F);
    EXPECT_NEAR(f[ActivityFeature::SwingAcfLag], 0.5F, 0.06F);
}

TEST(ActivityFeatures, DoNotDependOnDeviceOrientation) {
    const Signal a = bouncing(0.0F);
    const Signal b = bouncing(1.1F);
    const ActivityFeatures fa = compute_activity_features(a.x, a.y, a.z, a.gx, a.gy, a.gz);
    const ActivityFeatures fb = compute_activity_features(b.x, b.y, b.z, b.gx, b.gy, b.gz);
    for (std::size_t i = 0; i < activity_feature_count; ++i) {
        EXPECT_NEAR(fa.values[i], fb.values[i], 1e-2F + 1e-3F * std::fabs(fa.values[i]))
            << activity_feature_names[i];
    }
}

TEST(ActivityFeatures, StillSensor) {
    const std::vector<float> x(activity_window_samples, 0.0F);
    const std::vector<float> y(activity_window_samples, 0.0F);
    const std::vector<float> z(activity_window_samples, 9.81F);
    const ActivityFeatures f = compute_activity_features(x, y, z, {}, {}, {});
    EXPECT_NEAR(f[ActivityFeature::MagMean], 9.81F, 1e-4F);
    EXPECT_NEAR(f[ActivityFeature::MagStd], 0.0F, 1e-4F);
    EXPECT_NEAR(f[ActivityFeature::GravityStability], 1.0F, 1e-4F);
    EXPECT_NEAR(f[ActivityFeature::TiltChange], 0.0F, 1e-3F);
    EXPECT_EQ(f[ActivityFeature::GyroMean], 0.0F); // no gyro given
    for (const float v : f.values) {
        EXPECT_TRUE(std::isfinite(v));
    }
}

TEST(ActivityFeatures, TooShortWindowGivesZeros) {
    const std::vector<float> x(4, 1.0F);
    const ActivityFeatures f = compute_activity_features(x, x, x, {}, {}, {});
    for (const float v : f.values) {
        EXPECT_EQ(v, 0.0F);
    }
}

} // namespace
} // namespace hearth::engine::health
