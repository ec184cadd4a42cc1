#include "metrics/series.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::sport::metrics {
namespace {

TEST(Series, OverlapWithActiveIntervals) {
    const std::vector<Interval> active{{0.0, 5.0}, {10.0, 20.0}};
    std::size_t cursor = 0;
    EXPECT_DOUBLE_EQ(active_overlap_s(active, 3.0, 12.0, cursor), 4.0);
    EXPECT_DOUBLE_EQ(active_overlap_s(active, 12.0, 30.0, cursor), 8.0);
    EXPECT_DOUBLE_EQ(active_overlap_s(active, 25.0, 30.0, cursor), 0.0);
    std::size_t fresh = 0;
    EXPECT_DOUBLE_EQ(active_overlap_s({}, 3.0, 12.0, fresh), 9.0);
    EXPECT_DOUBLE_EQ(total_active_s(active), 15.0);
}

TEST(Series, HoldWeightsRegularAndCapped) {
    const std::vector<double> t{0.0, 1.0, 2.0, 100.0, 101.0};
    const std::vector<double> v{1.0, 1.0, 1.0, 1.0, 1.0};
    const auto w = hold_weights(t, v, {}, HoldOptions{30.0});
    ASSERT_EQ(w.size(), 5U);
    EXPECT_DOUBLE_EQ(w[0], 1.0);
    EXPECT_DOUBLE_EQ(w[1], 1.0);
    EXPECT_DOUBLE_EQ(w[2], 30.0); // a long gap is not vouched for beyond the cap
    EXPECT_DOUBLE_EQ(w[3], 1.0);
    EXPECT_DOUBLE_EQ(w[4], 0.0);
}

TEST(Series, HoldSkipsMissingSamplesOfTheChannel) {
    // HR recorded every other record: each HR value holds until the next HR value.
    const std::vector<double> t{0.0, 1.0, 2.0, 3.0, 4.0};
    const std::vector<double> hr{100.0, NAN, 120.0, NAN, 130.0};
    const auto w = hold_weights(t, hr, {});
    EXPECT_DOUBLE_EQ(w[0], 2.0);
    EXPECT_DOUBLE_EQ(w[1], 0.0);
    EXPECT_DOUBLE_EQ(w[2], 2.0);
}

TEST(Series, TimeWeightedMeanOfSmartRecording) {
    // 1 s of 100, then a 10 s gap holding 200: the mean weighs by time, not by sample.
    const std::vector<double> t{0.0, 1.0, 11.0};
    const std::vector<double> v{100.0, 200.0, 300.0};
    const auto stats = channel_stats(t, v, {}, Zeros::Include);
    ASSERT_TRUE(stats);
    EXPECT_DOUBLE_EQ(stats->mean, (100.0 * 1.0 + 200.0 * 10.0) / 11.0);
    EXPECT_DOUBLE_EQ(stats->max, 300.0);
    EXPECT_DOUBLE_EQ(stats->min, 100.0);
    EXPECT_DOUBLE_EQ(stats->weight_s, 11.0);
}

TEST(Series, PausedSamplesDoNotCount) {
    std::vector<double> t;
    std::vector<double> v;
    for (int i = 0; i <= 30; ++i) {
        t.push_back(i);
        v.push_back(i > 10 && i < 20 ? 500.0 : 100.0); // 500 only while paused
    }
    const std::vector<Interval> active{{0.0, 10.0}, {20.0, 30.0}};
    const auto stats = channel_stats(t, v, active, Zeros::Include);
    ASSERT_TRUE(stats);
    EXPECT_DOUBLE_EQ(stats->mean, 100.0);
    EXPECT_DOUBLE_EQ(stats->max, 100.0);
    EXPECT_DOUBLE_EQ(stats->weight_s, 20.0);
}

TEST(Series, LastSampleCountsForTheMaximum) {
    const std::vector<double> t{0.0, 1.0, 2.0};
    const std::vector<double> hr{120.0, 130.0, 171.0};
    const std::vector<Interval> active{{0.0, 2.0}};
    const auto stats = channel_stats(t, hr, active, Zeros::Include);
    ASSERT_TRUE(stats);
    EXPECT_DOUBLE_EQ(stats->max, 171.0);
    EXPECT_DOUBLE_EQ(stats->mean, 125.0);
}

TEST(Series, ZerosExcludedOnRequest) {
    const std::vector<double> t{0.0, 1.0, 2.0, 3.0};
    const std::vector<double> cadence{90.0, 0.0, 90.0, 90.0};
    const auto with = channel_stats(t, cadence, {}, Zeros::Include);
    const auto without = channel_stats(t, cadence, {}, Zeros::Exclude);
    ASSERT_TRUE(with && without);
    EXPECT_DOUBLE_EQ(with->mean, 60.0);
    EXPECT_DOUBLE_EQ(without->mean, 90.0);
}

TEST(Series, ExcludedZerosEndTheHoldOfThePreviousValue) {
    // 90 rpm for 10 s, coasting (0) for 20 s, 60 rpm for 10 s: the average cadence while
    // pedalling is 75, not the 90 held over the coasting.
    const std::vector<double> t{0.0, 10.0, 30.0, 40.0};
    const std::vector<double> cadence{90.0, 0.0, 60.0, 60.0};
    const auto stats = channel_stats(t, cadence, {}, Zeros::Exclude);
    ASSERT_TRUE(stats);
    EXPECT_DOUBLE_EQ(stats->mean, 75.0);
    EXPECT_DOUBLE_EQ(stats->weight_s, 20.0);
}

TEST(Series, NoValidSampleGivesNothing) {
    const std::vector<double> t{0.0, 1.0};
    const std::vector<double> v{NAN, NAN};
    EXPECT_FALSE(channel_stats(t, v, {}, Zeros::Include));
}

TEST(Series, ResampleHoldsAndFillsOverActiveTimeOnly) {
    const std::vector<double> t{0.0, 2.0, 20.0};
    const std::vector<double> v{10.0, 20.0, 30.0};
    const std::vector<Interval> active{{0.0, 4.0}, {10.0, 12.0}};
    const auto grid = resample_1hz(t, v, active, 0.0, HoldOptions{5.0});
    // Seconds 0..3 of the first interval, then 10 and 11 (sample at 2 s is 8-9 s old: fill).
    const std::vector<double> expected{10.0, 10.0, 20.0, 20.0, 0.0, 0.0};
    EXPECT_EQ(grid, expected);
}

TEST(Series, ResampleRefusesAbsurdDurations) {
    // Timestamps decades apart (a corrupt file) must not allocate a grid second per second.
    const std::vector<double> t{0.0, 1e9};
    const std::vector<double> v{100.0, 100.0};
    EXPECT_TRUE(resample_1hz(t, v, {}, 0.0).empty());
    const std::vector<Interval> endless{{0.0, INFINITY}};
    EXPECT_TRUE(resample_1hz(t, v, endless, 0.0).empty());
}

TEST(Series, NonFiniteValuesAreMissingSamples) {
    const std::vector<double> t{0.0, 1.0, 2.0, 3.0};
    const std::vector<double> v{100.0, INFINITY, 200.0, 200.0};
    const auto stats = channel_stats(t, v, {}, Zeros::Include);
    ASSERT_TRUE(stats);
    EXPECT_DOUBLE_EQ(stats->max, 200.0);
    EXPECT_DOUBLE_EQ(stats->mean, (100.0 * 2.0 + 200.0) / 3.0);
}

TEST(Series, RollingMeanAndBestWindow) {
    const std::vector<double> v{1.0, 2.0, 3.0, 10.0, 1.0};
    const auto mean = rolling_mean(v, 2);
    const std::vector<double> expected{1.5, 2.5, 6.5, 5.5};
    EXPECT_EQ(mean, expected);
    EXPECT_DOUBLE_EQ(*best_window_mean(v, 2), 6.5);
    EXPECT_DOUBLE_EQ(*best_window_mean(v, 5), 17.0 / 5.0);
    EXPECT_FALSE(best_window_mean(v, 6));
    EXPECT_TRUE(rolling_mean(v, 6).empty());
}

TEST(Series, RollingMedianRemovesASpike) {
    const std::vector<double> v{3.0, 3.1, 50.0, 3.0, 2.9, NAN, 3.0};
    const auto median = rolling_median(v, 5);
    EXPECT_LT(median[2], 4.0);
    EXPECT_TRUE(std::isnan(median[5]));
}

TEST(Series, ActiveClockStopsDuringPauses) {
    const std::vector<double> t{0.0, 5.0, 10.0, 15.0, 20.0};
    const std::vector<Interval> active{{0.0, 5.0}, {15.0, 20.0}};
    const auto clock = active_clock(t, active);
    const std::vector<double> expected{0.0, 5.0, 5.0, 5.0, 10.0};
    EXPECT_EQ(clock, expected);
}

} // namespace
} // namespace hearth::sport::metrics
