#include "health/hrv.h"

#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::engine::health {
namespace {

std::vector<BeatEvent> beats_from_rr(const std::vector<TimeMs>& rr_ms, TimeMs start_ms = 1000) {
    std::vector<BeatEvent> out{{start_ms, BeatKind::Normal}};
    for (TimeMs rr : rr_ms) {
        out.push_back({out.back().t_ms + rr, BeatKind::Normal});
    }
    return out;
}

HrvResult run(const std::vector<BeatEvent>& beats, std::size_t block = 3) {
    HrvAnalyzer analyzer;
    for (std::size_t i = 0; i < beats.size(); i += block) {
        analyzer.push(std::span(beats).subspan(i, std::min(block, beats.size() - i)));
    }
    analyzer.finish();
    return analyzer.summary();
}

TEST(Hrv, TimeDomainOfAKnownSeries) {
    // NN 800, 820, 780, 800, 840: mean 808, population SD sqrt(2080 / 5) = 20.40;
    // successive differences 20, -40, 20, 40: RMSSD sqrt(4000 / 4) = 31.62; pNN50 0.
    const auto r = run(beats_from_rr({800, 820, 780, 800, 840}));
    EXPECT_EQ(r.n_beats, 6U);
    EXPECT_EQ(r.n_nn, 5U);
    EXPECT_NEAR(r.mean_nn_ms, 808.0F, 1e-3F);
    EXPECT_NEAR(r.sdnn_ms, std::sqrt(416.0F), 1e-3F);
    EXPECT_NEAR(r.rmssd_ms, std::sqrt(1000.0F), 1e-3F);
    EXPECT_NEAR(r.pnn50_pct, 0.0F, 1e-6F);
    EXPECT_EQ(r.quality, Quality::Good);
    EXPECT_EQ(r.n_frames, 0U); // far too short for the spectrum
}

TEST(Hrv, Pnn50CountsDifferencesOver50Ms) {
    // Differences 60, -60, 10: two of three over 50 ms.
    const auto r = run(beats_from_rr({800, 860, 800, 810}));
    EXPECT_NEAR(r.pnn50_pct, 200.0F / 3.0F, 1e-3F);
}

TEST(Hrv, ExcludesEctopicBeatsAndOutOfRangeIntervals) {
    auto beats = beats_from_rr({800, 800, 500, 1100, 800, 800, 2500, 800});
    beats[3].kind = BeatKind::Ectopic; // the beat ending the 500 ms interval
    const auto r = run(beats);
    // Kept: 800, 800, 800, 800, 800 (the 500 and 1100 touch the ectopic beat; 2500 is too long).
    EXPECT_EQ(r.n_nn, 5U);
    EXPECT_NEAR(r.mean_nn_ms, 800.0F, 1e-3F);
    EXPECT_NEAR(r.sdnn_ms, 0.0F, 1e-3F);
    // Only adjacent NN intervals make successive differences: 800-800 pairs, all zero.
    EXPECT_NEAR(r.rmssd_ms, 0.0F, 1e-3F);
    EXPECT_EQ(r.n_beats, 9U);
}

TEST(Hrv, TwentyPercentRuleAgainstThePreviousAcceptedInterval) {
    // 1000 then 1250 (25 % longer: rejected), 1150 (15 % over the accepted 1000: kept).
    const auto r = run(beats_from_rr({1000, 1250, 1150}));
    EXPECT_EQ(r.n_nn, 2U);
    EXPECT_NEAR(r.mean_nn_ms, 1075.0F, 1e-3F);
    // 1150 is not adjacent to the 1000 (the rejected interval lies between): no difference.
    EXPECT_NEAR(r.rmssd_ms, 0.0F, 1e-6F);
}

TEST(Hrv, ALastingRateChangeDoesNotLockTheRuleOut) {
    std::vector<TimeMs> rr(10, 1000);
    rr.insert(rr.end(), 20, 600); // 40 % faster from here on
    const auto r = run(beats_from_rr(rr));
    // 5 rejected, then the reference resets and the remaining 15 are accepted.
    EXPECT_EQ(r.n_nn, 25U);
}

// Band power of a sinusoidally modulated RR series: amplitude A gives power A^2 / 2, times the
// attenuation of linear interpolation between beats, sinc^4(f / beat rate).
float expected_power(float f_hz, float amplitude_ms) {
    const double x = std::numbers::pi * f_hz * 0.8;
    const double sinc = std::sin(x) / x;
    return static_cast<float>(amplitude_ms * amplitude_ms / 2.0 * std::pow(sinc, 4.0));
}

HrvResult modulated(float f_hz, float amplitude_ms, double duration_s) {
    std::vector<BeatEvent> beats;
    double t_ms = 0.0;
    while (t_ms < duration_s * 1000.0) {
        const double rr =
            800.0 + amplitude_ms * std::sin(2.0 * std::numbers::pi * f_hz * t_ms / 1000.0);
        t_ms += rr;
        beats.push_back({static_cast<TimeMs>(std::llround(t_ms)), BeatKind::Normal});
    }
    return run(beats, 50);
}

TEST(Hrv, RespiratoryModulationIsHighFrequency) {
    const auto r = modulated(0.25F, 40.0F, 900.0);
    ASSERT_GT(r.n_frames, 5U);
    EXPECT_NEAR(r.hf_ms2, expected_power(0.25F, 40.0F), 0.05F * expected_power(0.25F, 40.0F));
    EXPECT_LT(r.lf_ms2, 0.05F * r.hf_ms2);
    EXPECT_LT(r.lf_hf, 0.05F);
}

TEST(Hrv, MayerWaveModulationIsLowFrequency) {
    const auto r = modulated(0.1F, 30.0F, 900.0);
    ASSERT_GT(r.n_frames, 5U);
    EXPECT_NEAR(r.lf_ms2, expected_power(0.1F, 30.0F), 0.05F * expected_power(0.1F, 30.0F));
    EXPECT_LT(r.hf_ms2, 0.05F * r.lf_ms2);
    EXPECT_GT(r.lf_hf, 20.0F);
}

TEST(Hrv, FiveMinuteSegmentsThroughPull) {
    std::vector<TimeMs> rr(1000, 750); // 750 s of beats
    const auto beats = beats_from_rr(rr, 0);
    HrvAnalyzer analyzer;
    analyzer.push(beats);
    std::vector<HrvResult> segments;
    while (auto s = analyzer.pull()) {
        segments.push_back(*s);
    }
    analyzer.finish();
    while (auto s = analyzer.pull()) {
        segments.push_back(*s);
    }
    ASSERT_EQ(segments.size(), 3U); // 0-300, 300-600, 600-750 s
    EXPECT_EQ(segments[0].start_ms, 0);
    EXPECT_LT(segments[0].end_ms, 300000);
    EXPECT_GE(segments[1].start_ms, 300000);
    EXPECT_NEAR(segments[1].mean_nn_ms, 750.0F, 1e-3F);
    EXPECT_EQ(segments[0].n_beats + segments[1].n_beats + segments[2].n_beats, 1001U);
    EXPECT_EQ(analyzer.summary().n_nn, 1000U);
}

TEST(Hrv, EmptyAndResetAndTimeGoingBack) {
    HrvAnalyzer analyzer;
    EXPECT_EQ(analyzer.summary().quality, Quality::NoContact);
    const auto beats = beats_from_rr({800, 800, 800});
    analyzer.push(beats);
    const BeatEvent back{500, BeatKind::Normal};
    analyzer.push(std::span(&back, 1));
    EXPECT_EQ(analyzer.summary().n_beats, 4U);
    analyzer.reset();
    EXPECT_EQ(analyzer.summary().n_beats, 0U);
    EXPECT_FALSE(analyzer.pull().has_value());
}

TEST(HrvConfig, Validates) {
    EXPECT_TRUE(HrvConfig{}.validate());
    HrvConfig c;
    c.max_nn_ms = 100.0F;
    EXPECT_FALSE(c.validate());
}

} // namespace
} // namespace hearth::engine::health
