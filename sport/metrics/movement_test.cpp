#include "metrics/movement.h"

#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::sport::metrics {
namespace {

constexpr double metres_per_degree = earth_radius_m * std::numbers::pi / 180.0;

TEST(Movement, HaversineOfOneDegreeOfLatitude) {
    EXPECT_NEAR(haversine_m(0.0, 0.0, 1.0, 0.0), metres_per_degree, 1e-6);
    // Along a parallel the distance shrinks with cos(latitude).
    EXPECT_NEAR(haversine_m(60.0, 0.0, 60.0, 0.001), metres_per_degree * 0.001 * 0.5, 0.01);
    EXPECT_DOUBLE_EQ(haversine_m(45.0, 7.0, 45.0, 7.0), 0.0);
}

TEST(Movement, DistanceFromPositionsSkipsPausesAndMissingFixes) {
    const double step_deg = 10.0 / metres_per_degree; // 10 m north per sample
    std::vector<double> t;
    std::vector<double> lat;
    std::vector<double> lon;
    for (int i = 0; i <= 10; ++i) {
        t.push_back(i);
        lat.push_back(i == 3 ? NAN : i * step_deg);
        lon.push_back(0.0);
    }
    const auto all = distance_from_positions(t, lat, lon, {});
    EXPECT_NEAR(all.back(), 100.0, 1e-6);
    EXPECT_NEAR(all[3], 20.0, 1e-6); // held while the fix is missing
    // Paused between 5 s and 8 s: those 30 m were walked with the timer stopped.
    const std::vector<Interval> active{{0.0, 5.0}, {8.0, 10.0}};
    const auto paused = distance_from_positions(t, lat, lon, active);
    EXPECT_NEAR(paused.back(), 70.0, 1e-6);
}

TEST(Movement, MonotonicDistanceFillsGapsAndIgnoresSmallReversals) {
    const std::vector<double> d{NAN, 0.0, 5.0, NAN, 4.9, 12.0};
    const auto m = monotonic_distance(d);
    EXPECT_TRUE(std::isnan(m[0]));
    EXPECT_DOUBLE_EQ(m[3], 5.0);
    EXPECT_DOUBLE_EQ(m[4], 5.0);
    EXPECT_DOUBLE_EQ(m[5], 12.0);
}

TEST(Movement, SpeedFromDistanceAtConstantPace) {
    std::vector<double> t;
    std::vector<double> d;
    for (int i = 0; i < 20; ++i) {
        t.push_back(i);
        d.push_back(3.0 * i);
    }
    const auto speed = speed_from_distance(t, d, 5.0);
    for (const double s : speed) {
        EXPECT_NEAR(s, 3.0, 1e-9);
    }
}

TEST(Movement, MovingTimeIgnoresStandingAndPauses) {
    // 10 s running, 10 s standing, 10 s running; then 10 s running while paused.
    std::vector<double> t;
    std::vector<double> speed;
    for (int i = 0; i <= 40; ++i) {
        t.push_back(i);
        speed.push_back(i >= 10 && i < 20 ? 0.0 : 3.0);
    }
    const std::vector<Interval> active{{0.0, 30.0}};
    const double moving = moving_time_s(t, speed, active, {0.5, 5.0});
    // Intervals 0-9 (9 s), 9-10 (mean 1.5: moving), 19-20 (mean 1.5), 20-30: 21 s.
    EXPECT_DOUBLE_EQ(moving, 21.0);
}

TEST(Movement, MovingTimeBridgesOneJitterySample) {
    const std::vector<double> t{0.0, 1.0, 2.0, 3.0, 4.0};
    const std::vector<double> speed{3.0, 3.0, 0.0, 3.0, 3.0};
    // 0.0 between fast samples: the two intervals around it count anyway.
    EXPECT_DOUBLE_EQ(moving_time_s(t, speed, {}, {0.5, 5.0}), 4.0);
    // Genuinely slow walking below the threshold does not.
    const std::vector<double> slow{0.2, 0.2, 0.2, 0.2, 0.2};
    EXPECT_DOUBLE_EQ(moving_time_s(t, slow, {}, {0.5, 5.0}), 0.0);
}

TEST(Movement, RobustMaxSpeedIgnoresGpsSpikes) {
    std::vector<double> speed(60, 4.0);
    speed[20] = 40.0; // a position jump and back gives two absurd samples
    speed[21] = 35.0;
    speed[40] = 5.0;
    speed[41] = 5.0;
    speed[42] = 5.0;
    const auto max = robust_max_speed_mps(speed);
    ASSERT_TRUE(max);
    EXPECT_DOUBLE_EQ(*max, 5.0);
}

TEST(Movement, Pace) {
    EXPECT_DOUBLE_EQ(*pace_s_per_km(4.0), 250.0);
    EXPECT_FALSE(pace_s_per_km(0.0));
}

TEST(Movement, HysteresisIgnoresNoiseAndCountsClimbs) {
    std::vector<double> noise;
    for (int i = 0; i < 100; ++i) {
        noise.push_back(100.0 + (i % 2 == 0 ? 0.8 : -0.8));
    }
    const Elevation flat = hysteresis_gain(noise, 2.0);
    EXPECT_DOUBLE_EQ(flat.ascent_m, 0.0);
    EXPECT_DOUBLE_EQ(flat.descent_m, 0.0);

    std::vector<double> hill;
    for (int i = 0; i <= 100; ++i) {
        hill.push_back(10.0 + i * 0.5); // up 50 m
    }
    for (int i = 1; i <= 60; ++i) {
        hill.push_back(60.0 - i * 0.5); // down 30 m
    }
    const Elevation climb = hysteresis_gain(hill, 2.0);
    EXPECT_DOUBLE_EQ(climb.ascent_m, 50.0);
    EXPECT_DOUBLE_EQ(climb.descent_m, 30.0);
    EXPECT_DOUBLE_EQ(climb.max_m, 60.0);
    EXPECT_DOUBLE_EQ(climb.min_m, 10.0);
}

TEST(Movement, HysteresisCountsFromTheLowPointBeforeTheFirstClimb) {
    const std::vector<double> a{10.0, 9.0, 8.0, 20.0};
    EXPECT_DOUBLE_EQ(hysteresis_gain(a, 3.0).ascent_m, 12.0);
}

TEST(Movement, GpsAltitudeIsSmoothedBeforeCounting) {
    // A flat 10-minute trace with +-3 m GPS noise, deterministic.
    std::vector<double> t;
    std::vector<double> alt;
    for (int i = 0; i < 600; ++i) {
        t.push_back(i);
        alt.push_back(200.0 + 3.0 * std::sin(i * 2.1) + 2.0 * std::cos(i * 0.7));
    }
    EXPECT_EQ(classify_altitude(alt), AltitudeSource::Gps);
    const auto gps = elevation_gain(t, alt);
    ASSERT_TRUE(gps);
    EXPECT_EQ(gps->source_used, AltitudeSource::Gps);
    EXPECT_LT(gps->ascent_m, 5.0);
    // Raw hysteresis at the barometric threshold would count the noise as hundreds of metres.
    EXPECT_GT(hysteresis_gain(alt, 2.0).ascent_m, 100.0);
}

TEST(Movement, BarometricTraceIsRecognised) {
    std::vector<double> alt;
    for (int i = 0; i < 300; ++i) {
        alt.push_back(100.0 + 0.2 * std::floor(i / 10.0)); // smooth climb, 0.2 m steps
    }
    EXPECT_EQ(classify_altitude(alt), AltitudeSource::Barometric);
}

TEST(Movement, SmoothOverTimeIsACentredMean) {
    const std::vector<double> t{0.0, 1.0, 2.0, 3.0, 4.0};
    const std::vector<double> v{0.0, 0.0, 3.0, 0.0, 0.0};
    const auto s = smooth_over_time(t, v, 2.0);
    EXPECT_DOUBLE_EQ(s[2], 1.0);
    EXPECT_DOUBLE_EQ(s[0], 0.0);
    EXPECT_DOUBLE_EQ(s[1], 1.0);
}

} // namespace
} // namespace hearth::sport::metrics
