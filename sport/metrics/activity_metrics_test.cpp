#include "metrics/activity_metrics.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

namespace hearth::sport::metrics {
namespace {

constexpr UtcMs t0_ms = 1'700'000'000'000;

// A run: 1 Hz records at 3 m/s for 1200 s, HR 150, cadence 85 strides/min, altitude climbing
// 0.05 m per second, timer paused from 600 s to 700 s (records keep coming, standing).
Activity make_run() {
    Activity a;
    a.sport = Sport::Running;
    a.start_time_ms = t0_ms;
    double distance_m = 0.0;
    for (int i = 0; i <= 1200; ++i) {
        const bool paused = i > 600 && i <= 700;
        if (i > 0 && !paused) {
            distance_m += 3.0;
        }
        Record r;
        r.t_ms = t0_ms + i * 1000;
        r.distance_m = distance_m;
        r.speed_mps = paused ? 0.0 : 3.0;
        r.altitude_m = 100.0 + 0.05 * i;
        r.heart_rate_bpm = 150.0;
        r.cadence = paused ? 0.0 : 85.0;
        r.ground_contact_time_ms = 250.0;
        a.records.push_back(r);
    }
    a.timer_events = {{t0_ms, TimerAction::Start},
                      {t0_ms + 600'000, TimerAction::Stop},
                      {t0_ms + 700'000, TimerAction::Start},
                      {t0_ms + 1'200'000, TimerAction::Stop}};
    return a;
}

TEST(ActivityMetrics, TimerIntervalsFromEvents) {
    const Activity a = make_run();
    const auto intervals = timer_intervals(a);
    ASSERT_EQ(intervals.size(), 2U);
    EXPECT_EQ(intervals[0].first, t0_ms);
    EXPECT_EQ(intervals[0].second, t0_ms + 600'000);
    EXPECT_EQ(intervals[1].first, t0_ms + 700'000);
    EXPECT_EQ(intervals[1].second, t0_ms + 1'200'000);

    Activity no_events = a;
    no_events.timer_events.clear();
    ASSERT_EQ(timer_intervals(no_events).size(), 1U);
}

TEST(ActivityMetrics, ComputedFromRecords) {
    const Activity a = make_run();
    MetricsOptions options;
    options.athlete.max_heart_rate_bpm = 200.0;
    const SegmentMetrics m = activity_metrics(a, options);
    EXPECT_DOUBLE_EQ(*m.totals.elapsed_time_s, 1200.0);
    EXPECT_DOUBLE_EQ(*m.totals.timer_time_s, 1100.0);
    EXPECT_DOUBLE_EQ(m.pause_time_s, 100.0);
    EXPECT_DOUBLE_EQ(*m.totals.distance_m, 3300.0);
    EXPECT_NEAR(*m.totals.moving_time_s, 1100.0, 1.0);
    EXPECT_NEAR(*m.totals.avg_speed_mps, 3.0, 1e-9);
    EXPECT_NEAR(*m.avg_pace_s_per_km, 1000.0 / 3.0, 1e-6);
    EXPECT_DOUBLE_EQ(*m.totals.max_speed_mps, 3.0);
    EXPECT_DOUBLE_EQ(*m.totals.avg_heart_rate_bpm, 150.0);
    EXPECT_DOUBLE_EQ(*m.totals.avg_cadence, 85.0);
    EXPECT_DOUBLE_EQ(*m.avg_cadence_steps_per_min, 170.0);
    // 170 steps/min over the timer time but the first second after the restart, whose record
    // still has cadence 0.
    EXPECT_DOUBLE_EQ(*m.totals.steps, std::round(170.0 * 1099.0 / 60.0));
    EXPECT_DOUBLE_EQ(*m.totals.avg_ground_contact_time_ms, 250.0);
    // 60 m of climbing over 20 minutes; the barometric-looking trace is not smoothed away.
    ASSERT_TRUE(m.elevation);
    EXPECT_NEAR(*m.totals.ascent_m, 60.0, 0.5); // the smoothing trims the very ends
    EXPECT_DOUBLE_EQ(*m.totals.descent_m, 0.0);
    // HR 150 of max 200 is 75 %: zone 3 (70-80 %) for all the timer time.
    ASSERT_TRUE(m.heart_rate_zones);
    EXPECT_NEAR(m.heart_rate_zones->time_s[2], 1100.0, 1e-6);
    // On foot, energy comes from speed (ACSM running equation at 180 m/min), the heart-rate
    // estimate is kept alongside.
    EXPECT_EQ(m.energy_source, EnergySource::Speed);
    ASSERT_TRUE(m.energy_estimates.from_heart_rate_kcal);
    EXPECT_GT(*m.energy_estimates.from_heart_rate_kcal, 0.0);
    const double running_kcal_per_min = (3.5 + 0.2 * 180.0) * 70.0 / 1000.0 * 5.0;
    EXPECT_NEAR(*m.energy_kcal, running_kcal_per_min * 1100.0 / 60.0, 1.5);
    EXPECT_GT(*m.trimp, 0.0);
    // Three whole km at 333.3 s each, and 300 m left.
    ASSERT_EQ(m.splits_km.size(), 4U);
    EXPECT_NEAR(m.splits_km[0].duration_s, 1000.0 / 3.0, 1e-6);
    EXPECT_NEAR(m.splits_km[1].duration_s, 1000.0 / 3.0, 1e-6); // the pause is not in it
    EXPECT_NEAR(m.splits_km[3].distance_m, 300.0, 1e-6);
    ASSERT_EQ(m.best_efforts.size(), 1U); // 1 km only; 5 and 10 km are too long
    EXPECT_NEAR(m.best_efforts[0].duration_s, 1000.0 / 3.0, 1e-6);
    ASSERT_TRUE(m.grade_adjusted);
    EXPECT_GT(m.grade_adjusted->flat_equivalent_m, 3300.0);
}

TEST(ActivityMetrics, DeviceTotalsArePreferred) {
    Activity a = make_run();
    Totals device;
    device.distance_m = 3310.0;
    device.energy_kcal = 321.0;
    a.device_summary = device;
    const SegmentMetrics m = activity_metrics(a);
    EXPECT_DOUBLE_EQ(*m.totals.distance_m, 3310.0);
    EXPECT_DOUBLE_EQ(*m.computed.distance_m, 3300.0);
    EXPECT_DOUBLE_EQ(*m.energy_kcal, 321.0);
    EXPECT_EQ(m.energy_source, EnergySource::Device);
    EXPECT_DOUBLE_EQ(*m.totals.timer_time_s, 1100.0); // computed, the device did not say
}

TEST(ActivityMetrics, DistanceFromPositionsWhenNoDeviceDistance) {
    Activity a;
    a.sport = Sport::Cycling;
    const double metres_per_degree = earth_radius_m * std::numbers::pi / 180.0;
    for (int i = 0; i <= 100; ++i) {
        Record r;
        r.t_ms = t0_ms + i * 1000;
        r.lat_deg = 45.0 + 8.0 * i / metres_per_degree; // 8 m/s north
        r.lon_deg = 7.0;
        r.power_w = 250.0;
        a.records.push_back(r);
    }
    MetricsOptions options;
    options.athlete.ftp_w = 250.0;
    const SegmentMetrics m = activity_metrics(a, options);
    EXPECT_NEAR(*m.totals.distance_m, 800.0, 1e-3);
    EXPECT_NEAR(*m.totals.max_speed_mps, 8.0, 1e-3);
    EXPECT_NEAR(*m.totals.moving_time_s, 100.0, 1e-9);
    ASSERT_TRUE(m.power);
    EXPECT_DOUBLE_EQ(*m.totals.avg_power_w, 250.0);
    EXPECT_NEAR(*m.totals.intensity_factor, 1.0, 1e-12);
    EXPECT_EQ(m.energy_source, EnergySource::Power);
    EXPECT_NEAR(*m.energy_kcal, 25.0 / 0.24 / 4.184, 1e-6);
    EXPECT_TRUE(m.best_efforts.empty()); // best distance efforts are for running
}

TEST(ActivityMetrics, LapsUseTheirOwnRangeAndTotals) {
    Activity a = make_run();
    Lap first;
    first.start_time_ms = t0_ms;
    first.end_time_ms = t0_ms + 300'000;
    Lap second;
    second.start_time_ms = t0_ms + 300'000;
    second.end_time_ms = t0_ms + 1'200'000;
    second.totals.avg_heart_rate_bpm = 155.0;
    a.laps = {first, second};
    const auto laps = lap_metrics(a);
    ASSERT_EQ(laps.size(), 2U);
    EXPECT_NEAR(*laps[0].totals.distance_m, 900.0, 1e-9);
    EXPECT_NEAR(*laps[0].totals.timer_time_s, 300.0, 1e-9);
    EXPECT_NEAR(*laps[1].totals.distance_m, 2400.0, 1e-9);
    EXPECT_NEAR(*laps[1].totals.timer_time_s, 800.0, 1e-9);
    EXPECT_NEAR(laps[1].pause_time_s, 100.0, 1e-9);
    EXPECT_DOUBLE_EQ(*laps[1].totals.avg_heart_rate_bpm, 155.0);
    EXPECT_DOUBLE_EQ(*laps[1].computed.avg_heart_rate_bpm, 150.0);
}

TEST(ActivityMetrics, PoolSwimFromLengths) {
    Activity a;
    a.sport = Sport::Swimming;
    a.start_time_ms = t0_ms;
    Totals device;
    device.pool_length_m = 25.0;
    a.device_summary = device;
    UtcMs t = t0_ms;
    for (int k = 0; k < 4; ++k) {
        Length length;
        length.start_time_ms = t;
        length.timer_time_s = 25.0;
        length.elapsed_time_s = 25.0;
        length.total_strokes = 18.0;
        length.stroke = SwimStroke::Freestyle;
        length.type = k == 2 ? LengthType::Idle : LengthType::Active;
        a.lengths.push_back(length);
        t += 25'000;
    }
    const SegmentMetrics m = activity_metrics(a);
    ASSERT_TRUE(m.swim);
    EXPECT_DOUBLE_EQ(*m.totals.distance_m, 75.0);
    EXPECT_DOUBLE_EQ(*m.totals.active_lengths, 3.0);
    EXPECT_DOUBLE_EQ(*m.totals.total_strokes, 54.0);
    EXPECT_DOUBLE_EQ(*m.swim->avg_swolf, 43.0);
    EXPECT_DOUBLE_EQ(*m.swim->pace_s_per_100m, 100.0);
}

TEST(ActivityMetrics, EmptyActivityDoesNotCrash) {
    const Activity a;
    const SegmentMetrics m = activity_metrics(a);
    EXPECT_FALSE(m.totals.distance_m);
    EXPECT_TRUE(lap_metrics(a).empty());
}

} // namespace
} // namespace hearth::sport::metrics
