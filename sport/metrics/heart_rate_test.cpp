#include "metrics/heart_rate.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::sport::metrics {
namespace {

TEST(HeartRateZones, BoundsByMethod) {
    AthleteProfile athlete;
    athlete.max_heart_rate_bpm = 200.0;
    athlete.resting_heart_rate_bpm = 50.0;
    athlete.threshold_heart_rate_bpm = 170.0;

    const auto max = zone_bounds_bpm({ZoneMethod::PercentMax, std::nullopt}, athlete);
    ASSERT_TRUE(max);
    EXPECT_DOUBLE_EQ((*max)[0], 100.0);
    EXPECT_DOUBLE_EQ((*max)[4], 180.0);

    // Karvonen: rest + pct * (max - rest).
    const auto reserve = zone_bounds_bpm({ZoneMethod::PercentReserve, std::nullopt}, athlete);
    ASSERT_TRUE(reserve);
    EXPECT_DOUBLE_EQ((*reserve)[0], 125.0);
    EXPECT_DOUBLE_EQ((*reserve)[4], 185.0);

    const auto lthr = zone_bounds_bpm({ZoneMethod::PercentLthr, std::nullopt}, athlete);
    ASSERT_TRUE(lthr);
    EXPECT_DOUBLE_EQ((*lthr)[1], 170.0 * 0.85);
    EXPECT_DOUBLE_EQ((*lthr)[4], 170.0);

    athlete.threshold_heart_rate_bpm.reset();
    EXPECT_FALSE(zone_bounds_bpm({ZoneMethod::PercentLthr, std::nullopt}, athlete));
}

TEST(HeartRateZones, CustomBoundsAndDefaultMaxHr) {
    AthleteProfile athlete;
    athlete.age_years = 40.0;
    EXPECT_DOUBLE_EQ(max_heart_rate_or_default(athlete), 208.0 - 28.0);
    const ZoneConfig config{ZoneMethod::PercentMax,
                            std::array<double, zone_count>{55.0, 65.0, 75.0, 85.0, 95.0}};
    const auto bounds = zone_bounds_bpm(config, athlete);
    ASSERT_TRUE(bounds);
    EXPECT_DOUBLE_EQ((*bounds)[0], 180.0 * 0.55);
}

TEST(HeartRateZones, TimeWeightedWithIrregularSampling) {
    // 100 bpm for 10 s (one sample), 150 for 5 s (five 1 s samples), 185 for 20 s, end.
    std::vector<double> t{0.0};
    std::vector<double> hr{100.0};
    for (int i = 0; i < 5; ++i) {
        t.push_back(10.0 + i);
        hr.push_back(150.0);
    }
    t.push_back(15.0);
    hr.push_back(185.0);
    t.push_back(35.0);
    hr.push_back(185.0);
    const std::array<double, zone_count> lower{110.0, 130.0, 150.0, 170.0, 180.0};
    const ZoneTimes zones = time_in_zones(t, hr, {}, lower);
    EXPECT_DOUBLE_EQ(zones.below_s, 10.0);
    EXPECT_DOUBLE_EQ(zones.time_s[0], 0.0);
    EXPECT_DOUBLE_EQ(zones.time_s[2], 5.0);
    EXPECT_DOUBLE_EQ(zones.time_s[4], 20.0);
}

TEST(Trimp, BanisterMaleAndFemale) {
    AthleteProfile athlete;
    athlete.max_heart_rate_bpm = 200.0;
    athlete.resting_heart_rate_bpm = 60.0;
    // One hour at HRr = 0.5 (130 bpm), sampled every second.
    std::vector<double> t;
    std::vector<double> hr;
    for (int i = 0; i <= 3600; ++i) {
        t.push_back(i);
        hr.push_back(130.0);
    }
    athlete.sex = Sex::Male;
    EXPECT_NEAR(banister_trimp(t, hr, {}, athlete), 60.0 * 0.5 * 0.64 * std::exp(0.96), 1e-9);
    athlete.sex = Sex::Female;
    EXPECT_NEAR(banister_trimp(t, hr, {}, athlete), 60.0 * 0.5 * 0.86 * std::exp(0.835), 1e-9);
    // Below resting counts as zero load.
    std::fill(hr.begin(), hr.end(), 50.0);
    EXPECT_DOUBLE_EQ(banister_trimp(t, hr, {}, athlete), 0.0);
}

TEST(Energy, KeytelEquation) {
    AthleteProfile male;
    male.sex = Sex::Male;
    male.weight_kg = 70.0;
    male.age_years = 35.0;
    const double expected_male =
        (-55.0969 + 0.6309 * 150.0 + 0.1988 * 70.0 + 0.2017 * 35.0) / 4.184;
    EXPECT_NEAR(keytel_kcal_per_min(150.0, male), expected_male, 1e-12);
    AthleteProfile female = male;
    female.sex = Sex::Female;
    const double expected_female =
        (-20.4022 + 0.4472 * 150.0 - 0.1263 * 70.0 + 0.074 * 35.0) / 4.184;
    EXPECT_NEAR(keytel_kcal_per_min(150.0, female), expected_female, 1e-12);
    EXPECT_DOUBLE_EQ(keytel_kcal_per_min(20.0, male), 0.0);

    // Thirty minutes at 150 bpm.
    const std::vector<double> t{0.0, 1800.0};
    const std::vector<double> hr{150.0, 150.0};
    EXPECT_NEAR(energy_from_heart_rate_kcal(t, hr, {}, male, HoldOptions{3600.0}),
                30.0 * expected_male, 1e-9);
}

} // namespace
} // namespace hearth::sport::metrics
