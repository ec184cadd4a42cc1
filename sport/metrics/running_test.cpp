#include "metrics/running.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::sport::metrics {
namespace {

TEST(Splits, ConstantPaceWithPartialLastSplit) {
    std::vector<double> clock;
    std::vector<double> d;
    for (int i = 0; i <= 625; ++i) { // 4 m/s for 2500 m
        clock.push_back(i);
        d.push_back(4.0 * i);
    }
    const auto km = splits(clock, d, 1000.0);
    ASSERT_EQ(km.size(), 3U);
    EXPECT_DOUBLE_EQ(km[0].duration_s, 250.0);
    EXPECT_DOUBLE_EQ(km[1].duration_s, 250.0);
    EXPECT_DOUBLE_EQ(km[1].start_distance_m, 1000.0);
    EXPECT_DOUBLE_EQ(km[2].distance_m, 500.0);
    EXPECT_DOUBLE_EQ(km[2].duration_s, 125.0);
    EXPECT_DOUBLE_EQ(km[2].pace_s_per_km(), 250.0);
    const auto miles = splits(clock, d, metres_per_mile);
    ASSERT_EQ(miles.size(), 2U);
    EXPECT_NEAR(miles[0].duration_s, metres_per_mile / 4.0, 1e-9);
}

TEST(Splits, BoundaryCrossedBetweenSparseSamples) {
    // Smart recording: samples 10 s apart, the 1 km mark falls between two of them.
    const std::vector<double> clock{0.0, 240.0, 250.0, 260.0};
    const std::vector<double> d{0.0, 960.0, 1000.0 + 20.0, 1060.0};
    const auto km = splits(clock, d, 1000.0);
    ASSERT_EQ(km.size(), 2U);
    EXPECT_NEAR(km[0].duration_s, 240.0 + 10.0 * 40.0 / 60.0, 1e-9);
}

TEST(Splits, CorruptDistancesNeitherHangNorExplode) {
    // An infinite distance once made the split loop run forever; it is now skipped.
    const std::vector<double> clock{0.0, 100.0, 200.0, 300.0};
    const std::vector<double> d{0.0, 500.0, INFINITY, 1500.0};
    const auto km = splits(clock, d, 1000.0);
    ASSERT_EQ(km.size(), 2U);
    EXPECT_DOUBLE_EQ(km[1].distance_m, 500.0);
    // A distance of a billion kilometres is corrupt, not a billion splits.
    const std::vector<double> far{0.0, 1e12};
    EXPECT_TRUE(splits(std::vector<double>{0.0, 1.0}, far, 1000.0).empty());
}

TEST(BestEffort, FastestContiguousDistance) {
    // 1000 m at 4 m/s, then 1000 m at 5 m/s, then 1000 m at 4 m/s.
    std::vector<double> clock{0.0};
    std::vector<double> d{0.0};
    double t = 0.0;
    double dist = 0.0;
    for (int seg = 0; seg < 3; ++seg) {
        const double v = seg == 1 ? 5.0 : 4.0;
        for (int i = 0; i < 100; ++i) {
            dist += 10.0;
            t += 10.0 / v;
            clock.push_back(t);
            d.push_back(dist);
        }
    }
    const auto best_1k = fastest_distance(clock, d, 1000.0);
    ASSERT_TRUE(best_1k);
    EXPECT_NEAR(best_1k->duration_s, 200.0, 1e-9);
    EXPECT_NEAR(best_1k->start_clock_s, 250.0, 1e-9);
    const auto best_3k = fastest_distance(clock, d, 3000.0);
    ASSERT_TRUE(best_3k);
    EXPECT_NEAR(best_3k->duration_s, 700.0, 1e-9);
    EXPECT_FALSE(fastest_distance(clock, d, 5000.0));
}

TEST(BestEffort, InterpolatesTheStart) {
    const std::vector<double> clock{0.0, 100.0, 200.0, 300.0};
    const std::vector<double> d{0.0, 500.0, 1000.0, 1600.0};
    const auto best = fastest_distance(clock, d, 1000.0);
    ASSERT_TRUE(best);
    // Best ends at 1600 m, starts at 600 m (clock 120 s): 180 s.
    EXPECT_NEAR(best->duration_s, 180.0, 1e-9);
}

TEST(GradeAdjusted, MinettiCostCurve) {
    EXPECT_DOUBLE_EQ(minetti_cost_j_per_kg_m(0.0), 3.6);
    const double i = 0.1;
    const double expected = 155.4 * std::pow(i, 5) - 30.4 * std::pow(i, 4) - 43.3 * std::pow(i, 3) +
                            46.3 * i * i + 19.5 * i + 3.6;
    EXPECT_NEAR(minetti_cost_j_per_kg_m(0.1), expected, 1e-12);
    // Gentle downhill is cheaper than the flat, steep downhill is not much cheaper still.
    EXPECT_LT(minetti_cost_j_per_kg_m(-0.1), 3.6);
    EXPECT_DOUBLE_EQ(minetti_cost_j_per_kg_m(0.9), minetti_cost_j_per_kg_m(0.45));
}

TEST(GradeAdjusted, SteadyClimbIsWorthMoreFlatDistance) {
    std::vector<double> clock;
    std::vector<double> d;
    std::vector<double> alt;
    for (int i = 0; i <= 500; ++i) { // 2 km at 10 % grade, 4 m/s
        clock.push_back(i);
        d.push_back(4.0 * i);
        alt.push_back(0.4 * i);
    }
    const auto gap = grade_adjusted(clock, d, alt);
    ASSERT_TRUE(gap);
    const double ratio = minetti_cost_j_per_kg_m(0.1) / 3.6;
    EXPECT_NEAR(gap->flat_equivalent_m, 2000.0 * ratio, 1e-6);
    EXPECT_NEAR(*gap->pace_s_per_km(), 250.0 / ratio, 1e-6);

    std::vector<double> flat(alt.size(), 50.0);
    const auto level = grade_adjusted(clock, d, flat);
    ASSERT_TRUE(level);
    EXPECT_NEAR(level->flat_equivalent_m, 2000.0, 1e-9);
    EXPECT_FALSE(grade_adjusted(clock, d, {}));
}

TEST(Energy, AcsmWalkingAndRunning) {
    // Running at 200 m/min (3.33 m/s) on the level, 70 kg: VO2 = 3.5 + 40 = 43.5 ml/kg/min,
    // 43.5 * 70 / 1000 * 5 kcal/min.
    EXPECT_NEAR(acsm_kcal_per_min(200.0 / 60.0, 0.0, 70.0, Gait::Running), 15.225, 1e-9);
    // Walking at 80 m/min up 5 %: 3.5 + 8 + 7.2 = 18.7 ml/kg/min.
    EXPECT_NEAR(acsm_kcal_per_min(80.0 / 60.0, 0.05, 70.0, Gait::Walking), 18.7 * 0.35, 1e-9);
    // Downhill counts as level; standing is the resting 3.5 ml/kg/min.
    EXPECT_DOUBLE_EQ(acsm_kcal_per_min(3.0, -0.1, 70.0, Gait::Running),
                     acsm_kcal_per_min(3.0, 0.0, 70.0, Gait::Running));
    EXPECT_NEAR(acsm_kcal_per_min(0.0, 0.0, 70.0, Gait::Walking), 3.5 * 0.35, 1e-12);
}

TEST(Cadence, StepsAreTwiceStrides) {
    EXPECT_DOUBLE_EQ(steps_per_min(85.5), 171.0);
}

} // namespace
} // namespace hearth::sport::metrics
