#include "health/swim_tracker.h"

#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::engine::health {
namespace {

constexpr float pi = std::numbers::pi_v<float>;

// Still: at the wall; Strokes: arm strokes; Kick: quiet wrist, the body shaken by kicks.
enum class Motion { Still, Strokes, Kick };

struct Segment {
    float duration_s;
    Motion motion;
    float heading_sign; // +1 or -1: which way along the pool
};

// 30 Hz wrist IMU: strokes are a 0.6 Hz rotation of 4 rad/s about x with the matching
// acceleration swing; kicks a 1.5 Hz swing of 1.5 m/s^2 along the forearm with the wrist
// turning by 0.3 rad/s; the magnetic field's horizontal part follows the swimming direction.
std::vector<SwimImuSample> synthetic_swim(const std::vector<Segment>& segments) {
    std::vector<SwimImuSample> out;
    double t_s = 0.0;
    for (const Segment& seg : segments) {
        const int n = static_cast<int>(seg.duration_s * 30.0F);
        for (int i = 0; i < n; ++i) {
            const auto phase = static_cast<float>(2.0 * pi * 0.6 * t_s);
            const auto kick_phase = static_cast<float>(2.0 * pi * 1.5 * t_s);
            SwimImuSample s;
            s.t_ms = static_cast<TimeMs>(std::lround(t_s * 1000.0));
            const float stroke = seg.motion == Motion::Strokes ? 1.0F : 0.02F;
            const float kick = seg.motion == Motion::Kick ? 1.0F : 0.0F;
            s.gyro = {4.0F * stroke * std::sin(phase) + 0.3F * kick * std::sin(kick_phase),
                      0.5F * stroke * std::cos(phase), 0.1F};
            s.accel = {-6.0F + 5.0F * stroke * std::cos(phase) + 1.5F * kick * std::sin(kick_phase),
                       -3.0F, 6.0F};
            s.mag = {30.0F * seg.heading_sign, 5.0F, -20.0F};
            out.push_back(s);
            t_s += 1.0 / 30.0;
        }
    }
    return out;
}

std::vector<SwimLength> run(const std::vector<SwimImuSample>& samples, std::size_t block) {
    SwimTracker tracker;
    std::vector<SwimLength> out;
    for (std::size_t i = 0; i < samples.size(); i += block) {
        const std::size_t n = std::min(block, samples.size() - i);
        tracker.push(std::span<const SwimImuSample>(samples.data() + i, n));
        while (auto l = tracker.pull()) {
            out.push_back(*l);
        }
    }
    tracker.finish();
    while (auto l = tracker.pull()) {
        out.push_back(*l);
    }
    return out;
}

TEST(SwimTracker, LengthsSeparatedByRests) {
    const auto samples = synthetic_swim({{8, Motion::Still, 1},
                                         {30, Motion::Strokes, 1},
                                         {8, Motion::Still, 1},
                                         {30, Motion::Strokes, -1},
                                         {8, Motion::Still, -1},
                                         {30, Motion::Strokes, 1},
                                         {8, Motion::Still, 1}});
    const auto lengths = run(samples, 64);
    ASSERT_EQ(lengths.size(), 3U);
    EXPECT_NEAR(static_cast<double>(lengths[0].start_ms), 8000.0, 1500.0);
    EXPECT_NEAR(static_cast<double>(lengths[0].end_ms), 38000.0, 1500.0);
    for (const auto& l : lengths) {
        // 0.6 Hz for 30 s: 18 cycles of the watch arm.
        EXPECT_NEAR(l.strokes, 18, 2);
        EXPECT_EQ(l.quality, Quality::Good);
    }
}

TEST(SwimTracker, TurnWithoutRestSplitsOnHeadingReversalAndGlide) {
    // Each turn: a 2 s glide without strokes after the push-off, then strokes the other way.
    const auto samples = synthetic_swim({{6, Motion::Still, 1},
                                         {30, Motion::Strokes, 1},
                                         {2, Motion::Still, -1},
                                         {28, Motion::Strokes, -1},
                                         {2, Motion::Still, 1},
                                         {28, Motion::Strokes, 1},
                                         {6, Motion::Still, 1}});
    const auto lengths = run(samples, 30);
    ASSERT_EQ(lengths.size(), 3U);
    EXPECT_NEAR(static_cast<double>(lengths[1].start_ms), 36000.0, 1500.0);
    EXPECT_NEAR(static_cast<double>(lengths[2].start_ms), 66000.0, 1500.0);
}

// No magnetometer: at each wall the swimmer glides for 2 s and, with `yaw_at_walls`, turns by
// pi about the vertical meanwhile (gyro along the gravity direction the watch sees,
// (-6, -3, 6) / 9); the strokes look the same both ways.
std::vector<SwimImuSample> swim_without_magnetometer(bool yaw_at_walls) {
    std::vector<SwimImuSample> samples;
    const std::array<float, 3> up{-6.0F / 9.0F, -3.0F / 9.0F, 6.0F / 9.0F};
    for (const auto& seg : std::vector<Segment>{{6, Motion::Still, 1},
                                                {30, Motion::Strokes, 1},
                                                {2, Motion::Still, 1},
                                                {28, Motion::Strokes, 1},
                                                {2, Motion::Still, 1},
                                                {28, Motion::Strokes, 1},
                                                {6, Motion::Still, 1}}) {
        auto part = synthetic_swim({seg});
        const TimeMs offset = samples.empty() ? 0 : samples.back().t_ms + 33;
        const bool wall = seg.duration_s == 2.0F;
        for (auto& s : part) {
            s.t_ms += offset;
            s.mag = {NAN, NAN, NAN};
            // Strokes about x only: no constant rotation and no coning (two axes turning out of
            // phase add up to a net rotation), so the heading stays put between the walls.
            s.gyro[1] = 0.0F;
            s.gyro[2] = 0.0F;
            for (std::size_t k = 0; k < 3 && wall && yaw_at_walls; ++k) {
                s.gyro[k] += 0.5F * pi * up[k];
            }
            samples.push_back(s);
        }
    }
    return samples;
}

TEST(SwimTracker, TurnsWithoutMagnetometerFromTheGyroHeading) {
    const auto lengths = run(swim_without_magnetometer(true), 30);
    ASSERT_EQ(lengths.size(), 3U);
    EXPECT_NEAR(static_cast<double>(lengths[1].start_ms), 36000.0, 1500.0);
    EXPECT_NEAR(static_cast<double>(lengths[2].start_ms), 66000.0, 1500.0);
    // Without the heading change the glides alone do not make turns: one long length.
    EXPECT_EQ(run(swim_without_magnetometer(false), 30).size(), 1U);
}

TEST(SwimTracker, HeadingChangeWithoutGlideIsNoTurn) {
    // The field direction flips but the strokes never pause: not a wall, one length.
    const auto samples = synthetic_swim({{6, Motion::Still, 1},
                                         {30, Motion::Strokes, 1},
                                         {30, Motion::Strokes, -1},
                                         {6, Motion::Still, 1}});
    const auto lengths = run(samples, 30);
    ASSERT_EQ(lengths.size(), 1U);
    EXPECT_NEAR(static_cast<double>(lengths[0].end_ms - lengths[0].start_ms), 60000.0, 2000.0);
}

TEST(SwimTracker, ArmMovementInBurstsAtTheWallIsNoLength) {
    // One second of arm movement, one still, for 24 s: never a 3 s rest, but no swimming.
    std::vector<Segment> segments{{8, Motion::Still, 1}};
    for (int k = 0; k < 12; ++k) {
        segments.push_back({1, Motion::Strokes, 1});
        segments.push_back({1, Motion::Still, 1});
    }
    segments.push_back({8, Motion::Still, 1});
    EXPECT_TRUE(run(synthetic_swim(segments), 40).empty());
}

TEST(SwimTracker, KickSetLengthsBetweenWallMovements) {
    const auto samples = synthetic_swim({{6, Motion::Still, 1},
                                         {3, Motion::Strokes, 1},
                                         {30, Motion::Kick, 1},
                                         {3, Motion::Strokes, -1},
                                         {30, Motion::Kick, -1},
                                         {3, Motion::Strokes, 1},
                                         {6, Motion::Still, 1}});
    const auto lengths = run(samples, 64);
    ASSERT_EQ(lengths.size(), 2U);
    for (const auto& l : lengths) {
        EXPECT_EQ(l.style, SwimStyle::Kick);
        EXPECT_EQ(l.strokes, 0);
        EXPECT_NEAR(static_cast<double>(l.end_ms - l.start_ms), 30000.0, 2000.0);
    }
    EXPECT_NEAR(static_cast<double>(lengths[0].start_ms), 9000.0, 1500.0);
}

TEST(SwimTracker, QuietRestBetweenMovementsIsNoKickLength) {
    // The same shape with the body almost still instead of kicking (a faint 0.6 Hz wobble of
    // under 0.1 m/s^2): a rest, not a length.
    const auto samples = synthetic_swim({{6, Motion::Still, 1},
                                         {3, Motion::Strokes, 1},
                                         {30, Motion::Still, 1},
                                         {3, Motion::Strokes, -1},
                                         {6, Motion::Still, 1}});
    EXPECT_TRUE(run(samples, 64).empty());
    // Kicking that runs into the end of the recording is not closed by a wall: not counted.
    const auto open_end =
        synthetic_swim({{6, Motion::Still, 1}, {3, Motion::Strokes, 1}, {30, Motion::Kick, 1}});
    EXPECT_TRUE(run(open_end, 64).empty());
}

TEST(SwimTracker, BlockLengthDoesNotChangeResults) {
    const auto samples = synthetic_swim({{6, Motion::Still, 1},
                                         {25, Motion::Strokes, 1},
                                         {25, Motion::Strokes, -1},
                                         {6, Motion::Still, 1}});
    const auto one = run(samples, 1);
    const auto big = run(samples, 1000);
    ASSERT_EQ(one.size(), big.size());
    for (std::size_t i = 0; i < one.size(); ++i) {
        EXPECT_EQ(one[i].start_ms, big[i].start_ms);
        EXPECT_EQ(one[i].end_ms, big[i].end_ms);
        EXPECT_EQ(one[i].strokes, big[i].strokes);
        EXPECT_EQ(one[i].style, big[i].style);
    }
}

TEST(SwimTracker, StillOrShortActivityIsNoLength) {
    EXPECT_TRUE(run(synthetic_swim({{120, Motion::Still, 1}}), 50).empty());
    EXPECT_TRUE(run(synthetic_swim(
                        {{10, Motion::Still, 1}, {8, Motion::Strokes, 1}, {10, Motion::Still, 1}}),
                    50)
                    .empty());
}

TEST(SwimTracker, MissingMagnetometerLowersQualityAndGapsEndLengths) {
    auto samples = synthetic_swim({{5, Motion::Still, 1}, {30, Motion::Strokes, 1}});
    for (auto& s : samples) {
        s.mag = {NAN, NAN, NAN};
    }
    // A long gap, then more swimming: two lengths, not one.
    auto later = synthetic_swim({{30, Motion::Strokes, 1}, {5, Motion::Still, 1}});
    for (auto& s : later) {
        s.t_ms += 3'600'000;
        s.mag = {NAN, NAN, NAN};
        samples.push_back(s);
    }
    const auto lengths = run(samples, 64);
    ASSERT_EQ(lengths.size(), 2U);
    EXPECT_EQ(lengths[0].quality, Quality::Motion);
}

TEST(SwimTracker, ResetForgetsState) {
    const auto samples =
        synthetic_swim({{5, Motion::Still, 1}, {30, Motion::Strokes, 1}, {5, Motion::Still, 1}});
    SwimTracker tracker;
    tracker.push(std::span<const SwimImuSample>(samples.data(), samples.size() / 2));
    tracker.reset();
    tracker.finish();
    EXPECT_FALSE(tracker.pull().has_value());
}

TEST(SwimStyle, ClassifierSeparatesStylesByPhysicalFeatures) {
    // Face up (watch z pointing down on average) with modest spreads: backstroke; a large
    // forward swing along x with high spread on all axes: butterfly.
    SwimMoments back;
    back.n = 1.0;
    back.accel_sum = {-0.25F * 9.81F, -0.75F * 9.81F, -0.14F * 9.81F};
    back.gyro_sum = {0.9, 0.4, -0.4};
    const std::array<double, 3> back_sd_a{0.42, 0.76, 0.75};
    const std::array<double, 3> back_sd_g{3.2, 2.8, 2.1};
    for (std::size_t k = 0; k < 3; ++k) {
        back.accel_sq[k] =
            back.accel_sum[k] * back.accel_sum[k] + (back_sd_a[k] * 9.81) * (back_sd_a[k] * 9.81);
        back.gyro_sq[k] = back.gyro_sum[k] * back.gyro_sum[k] + back_sd_g[k] * back_sd_g[k];
    }
    const auto f = swim_length_features(back);
    EXPECT_NEAR(f[2], -0.14F, 0.01F);
    EXPECT_NEAR(f[7], 2.8F, 0.01F);
    EXPECT_EQ(classify_swim_style(f).style, SwimStyle::Backstroke);
}

TEST(SwimSummary, SwolfAndPace) {
    const std::array<SwimLength, 2> lengths{
        SwimLength{0, 30'000, SwimStyle::Freestyle, 20, 1.0F, Quality::Good},
        SwimLength{40'000, 72'000, SwimStyle::Freestyle, 22, 1.0F, Quality::Good}};
    const auto s = summarize_swim(lengths, 25.0F);
    EXPECT_EQ(s.lengths, 2);
    EXPECT_FLOAT_EQ(s.distance_m, 50.0F);
    EXPECT_FLOAT_EQ(s.mean_swolf, (50.0F + 54.0F) / 2.0F);
    EXPECT_FLOAT_EQ(s.pace_s_per_100m, 62.0F / 50.0F * 100.0F);
    EXPECT_EQ(summarize_swim({}, 25.0F).lengths, 0);
}

TEST(SwimTrackerConfig, Validates) {
    EXPECT_TRUE(SwimTrackerConfig{}.validate());
    SwimTrackerConfig bad;
    bad.min_length_s = 0;
    EXPECT_FALSE(bad.validate());
    SwimTrackerConfig no_glide;
    no_glide.turn_glide_ratio = 0.0F;
    EXPECT_FALSE(no_glide.validate());
}

} // namespace
} // namespace hearth::engine::health
