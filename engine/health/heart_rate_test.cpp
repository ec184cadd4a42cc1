#include "health/heart_rate.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "health/hr_resampler.h"
#include "health/hr_spectrum.h"

namespace hearth::engine::health {
namespace {

constexpr float two_pi = 2.0F * std::numbers::pi_v<float>;

// A synthetic wrist recording: a pulse wave (fundamental + second harmonic) whose rate may
// change linearly, plus an optional motion artefact that the accelerometer also sees.
struct Scenario {
    float rate_hz = 125.0F;
    float duration_s = 60.0F;
    float bpm_start = 90.0F;
    float bpm_end = 90.0F;
    float motion_hz = 0.0F;       // 0: no motion
    float motion_in_ppg = 0.0F;   // artefact amplitude in the PPG (pulse amplitude is 1)
    float accel_amplitude = 0.0F; // m/s^2
    float jitter = 0.0F;          // fraction of the sample spacing
    float ppg_offset = 50000.0F;  // a large DC level, as real sensors report
    bool flat = false;            // no pulse at all (sensor off the skin)
    float noise = 0.05F;          // uniform noise amplitude in the PPG
};

struct Recording {
    std::vector<PpgSample> ppg;
    std::vector<AccelSample> accel;
};

float true_bpm(const Scenario& s, float t_s) {
    return s.bpm_start + (s.bpm_end - s.bpm_start) * t_s / s.duration_s;
}

Recording make_recording(const Scenario& s) {
    Recording r;
    const auto n = static_cast<std::int64_t>(s.duration_s * s.rate_hz);
    float phase = 0.0F;
    std::uint32_t lcg = 12345;
    const float dt = 1.0F / s.rate_hz;
    for (std::int64_t i = 0; i < n; ++i) {
        lcg = lcg * 1664525U + 1013904223U;
        const float noise = static_cast<float>(lcg >> 8U) / 16777216.0F - 0.5F;
        const float t = static_cast<float>(i) * dt + s.jitter * dt * noise;
        phase += two_pi * true_bpm(s, t) / 60.0F * dt;
        const float pulse = s.flat ? 0.0F : std::sin(phase) + 0.4F * std::sin(2.0F * phase + 0.7F);
        const float motion = s.motion_hz > 0.0F ? std::sin(two_pi * s.motion_hz * t) : 0.0F;
        const auto t_ms = static_cast<TimeMs>(std::lround(t * 1000.0F));
        r.ppg.push_back({t_ms, s.ppg_offset + pulse + s.motion_in_ppg * motion + s.noise * noise});
        r.accel.push_back({t_ms, s.accel_amplitude * motion, 0.3F * s.accel_amplitude * motion,
                           9.81F + 0.05F * noise});
    }
    return r;
}

// Streams the recording in blocks of `block` samples per sensor, as a watch would.
std::vector<HeartRateEstimate> run(HeartRateEstimator& est, const Recording& r,
                                   std::size_t block = 25) {
    std::vector<HeartRateEstimate> out;
    for (std::size_t i = 0; i < r.ppg.size(); i += block) {
        const std::size_t n = std::min(block, r.ppg.size() - i);
        est.push_accel(std::span(r.accel).subspan(i, n));
        est.push_ppg(std::span(r.ppg).subspan(i, n));
        while (auto e = est.pull()) {
            out.push_back(*e);
        }
    }
    est.flush();
    while (auto e = est.pull()) {
        out.push_back(*e);
    }
    return out;
}

std::vector<HeartRateEstimate> run(const Scenario& s, std::size_t block = 25) {
    HeartRateEstimator est;
    return run(est, make_recording(s), block);
}

// Mean absolute error against the rate at the middle of each 8 s window.
float mean_abs_error(const Scenario& s, const std::vector<HeartRateEstimate>& out) {
    float sum = 0.0F;
    for (const auto& e : out) {
        sum += std::fabs(e.bpm - true_bpm(s, static_cast<float>(e.t_ms) / 1000.0F - 4.0F));
    }
    return out.empty() ? 1e9F : sum / static_cast<float>(out.size());
}

TEST(HeartRateConfig, ValidatesRanges) {
    EXPECT_TRUE(HeartRateConfig{}.validate());
    HeartRateConfig c;
    c.min_bpm = 150.0F;
    c.max_bpm = 100.0F;
    EXPECT_FALSE(c.validate());
    c = {};
    c.max_bpm = 400.0F;
    EXPECT_FALSE(c.validate());
    c = {};
    c.max_step_bpm = 0.0F;
    EXPECT_FALSE(c.validate());
    c = {};
    c.no_contact_peakiness = std::numeric_limits<float>::quiet_NaN();
    EXPECT_FALSE(c.validate());
}

TEST(HeartRate, EstimatesEveryTwoSecondsFromEightSecondsAfterTheFirstSample) {
    Scenario s;
    s.duration_s = 30.0F;
    const auto out = run(s);
    ASSERT_GE(out.size(), 11U);
    EXPECT_EQ(out[0].t_ms, 8000);
    for (std::size_t i = 1; i < out.size(); ++i) {
        EXPECT_EQ(out[i].t_ms - out[i - 1].t_ms, 2000);
    }
    // The last sample is at 29.992 s, which closes the window ending at 30 s once flushed.
    EXPECT_EQ(out.back().t_ms, 30000);
}

TEST(HeartRate, SteadyPulseAtRestIsGood) {
    Scenario s;
    s.bpm_start = s.bpm_end = 72.0F;
    const auto out = run(s);
    ASSERT_FALSE(out.empty());
    for (const auto& e : out) {
        EXPECT_NEAR(e.bpm, 72.0F, 1.0F) << "at " << e.t_ms;
        EXPECT_EQ(e.quality, Quality::Good);
    }
}

TEST(HeartRate, FollowsARisingRate) {
    Scenario s;
    s.duration_s = 120.0F;
    s.bpm_start = 80.0F;
    s.bpm_end = 150.0F;
    EXPECT_LT(mean_abs_error(s, run(s)), 2.0F);
}

TEST(HeartRate, IgnoresAMotionLineStrongerThanThePulse) {
    Scenario s;
    s.bpm_start = s.bpm_end = 75.0F;
    s.motion_hz = 2.6F; // a running cadence of 156 steps/min
    s.motion_in_ppg = 2.0F;
    s.accel_amplitude = 6.0F;
    const auto out = run(s);
    ASSERT_FALSE(out.empty());
    EXPECT_LT(mean_abs_error(s, out), 2.0F);
    for (const auto& e : out) {
        EXPECT_EQ(e.quality, Quality::Motion);
    }
}

TEST(HeartRate, WithoutMotionReferenceTheArtefactWins) {
    // The same artefact with a still accelerometer: the estimator has no way to tell, which
    // shows that the suppression above comes from the accelerometer.
    Scenario s;
    s.bpm_start = s.bpm_end = 75.0F;
    s.motion_hz = 2.6F;
    s.motion_in_ppg = 2.0F;
    s.accel_amplitude = 0.0F;
    EXPECT_GT(mean_abs_error(s, run(s)), 20.0F);
}

TEST(HeartRate, FlatSignalIsNoContact) {
    Scenario s;
    s.flat = true;
    s.noise = 0.0F;
    s.motion_hz = 2.0F;
    s.accel_amplitude = 5.0F; // even while moving
    const auto out = run(s);
    ASSERT_FALSE(out.empty());
    for (const auto& e : out) {
        EXPECT_EQ(e.quality, Quality::NoContact);
    }
}

TEST(HeartRate, NoiseWithoutPulseAtRestIsMostlyNoContact) {
    Scenario s;
    s.flat = true;
    s.noise = 1.0F;
    s.duration_s = 120.0F;
    const auto out = run(s);
    ASSERT_FALSE(out.empty());
    std::size_t no_contact = 0;
    for (const auto& e : out) {
        no_contact += e.quality == Quality::NoContact ? 1 : 0;
    }
    EXPECT_GT(no_contact * 2, out.size());
}

class HeartRateAtRate : public ::testing::TestWithParam<float> {};

TEST_P(HeartRateAtRate, WorksWithJitteredSampling) {
    Scenario s;
    s.rate_hz = GetParam();
    s.jitter = 0.3F;
    s.bpm_start = 100.0F;
    s.bpm_end = 120.0F;
    const auto out = run(s, static_cast<std::size_t>(s.rate_hz / 4.0F));
    EXPECT_GE(out.size(), 26U);
    EXPECT_LT(mean_abs_error(s, out), 2.0F);
}

INSTANTIATE_TEST_SUITE_P(Rates, HeartRateAtRate,
                         ::testing::Values(25.0F, 32.0F, 50.0F, 64.0F, 100.0F, 128.0F, 500.0F));

TEST(HeartRate, BlockLengthDoesNotChangeTheResult) {
    Scenario s;
    s.motion_hz = 2.2F;
    s.motion_in_ppg = 1.0F;
    s.accel_amplitude = 4.0F;
    s.bpm_start = 95.0F;
    s.bpm_end = 130.0F;
    const auto one = run(s, 1);
    const auto many = run(s, 97);
    ASSERT_EQ(one.size(), many.size());
    for (std::size_t i = 0; i < one.size(); ++i) {
        EXPECT_EQ(one[i].t_ms, many[i].t_ms);
        EXPECT_EQ(one[i].bpm, many[i].bpm);
        EXPECT_EQ(one[i].quality, many[i].quality);
    }
}

TEST(HeartRate, ResetStartsAfresh) {
    Scenario s;
    s.bpm_start = s.bpm_end = 66.0F;
    const Recording r = make_recording(s);
    HeartRateEstimator est;
    const auto first = run(est, r);
    est.reset();
    const auto second = run(est, r);
    ASSERT_EQ(first.size(), second.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        EXPECT_EQ(first[i].t_ms, second[i].t_ms);
        EXPECT_EQ(first[i].bpm, second[i].bpm);
    }
}

TEST(HeartRate, RunsWithoutAccelerometer) {
    Scenario s;
    s.bpm_start = s.bpm_end = 110.0F;
    const Recording r = make_recording(s);
    HeartRateEstimator est;
    std::vector<HeartRateEstimate> out;
    for (std::size_t i = 0; i < r.ppg.size(); i += 50) {
        est.push_ppg(std::span(r.ppg).subspan(i, std::min<std::size_t>(50, r.ppg.size() - i)));
        while (auto e = est.pull()) {
            out.push_back(*e);
        }
    }
    ASSERT_GE(out.size(), 20U);
    EXPECT_EQ(out[0].t_ms, 8000);
    EXPECT_LT(mean_abs_error(s, out), 1.5F);
}

TEST(HeartRate, UsesTheSecondPpgChannel) {
    // The first channel sees only noise, the second the pulse: the estimate can only come from
    // the second, which must therefore be in every window (a bug once left it out whenever the
    // channels were pushed one after the other).
    Scenario pulse;
    pulse.bpm_start = pulse.bpm_end = 128.0F;
    Scenario noise = pulse;
    noise.flat = true;
    noise.noise = 1.0F;
    const Recording second = make_recording(pulse);
    const Recording first = make_recording(noise);
    HeartRateEstimator est;
    std::vector<HeartRateEstimate> out;
    for (std::size_t i = 0; i < first.ppg.size(); i += 25) {
        const std::size_t n = std::min<std::size_t>(25, first.ppg.size() - i);
        est.push_accel(std::span(first.accel).subspan(i, n));
        est.push_ppg(std::span(first.ppg).subspan(i, n), PpgChannel::First);
        est.push_ppg(std::span(second.ppg).subspan(i, n), PpgChannel::Second);
        while (auto e = est.pull()) {
            out.push_back(*e);
        }
    }
    ASSERT_GE(out.size(), 20U);
    EXPECT_LT(mean_abs_error(pulse, out), 3.0F);
    for (const auto& e : out) {
        EXPECT_EQ(e.quality, Quality::Good);
    }
}

TEST(HeartRate, PrefersTheCadenceLineOverTheArmSwing) {
    // Running with the heart at the step rate: the PPG shows a strong arm-swing line at half
    // the cadence and the pulse at the cadence, both seen by the accelerometer. The arm swing
    // is where the heart does not beat while running.
    Scenario s;
    s.bpm_start = s.bpm_end = 164.0F;
    s.motion_hz = 164.0F / 120.0F; // arm swing at 82/min, cadence 164/min
    s.motion_in_ppg = 1.5F;
    s.accel_amplitude = 5.0F;
    Recording r = make_recording(s);
    // The accelerometer also sees the cadence (the second harmonic of the swing).
    for (auto& a : r.accel) {
        const float t = static_cast<float>(a.t_ms) / 1000.0F;
        a.x += 5.0F * std::sin(two_pi * 2.0F * s.motion_hz * t);
    }
    HeartRateEstimator est;
    EXPECT_LT(mean_abs_error(s, run(est, r)), 5.0F);
}

TEST(HeartRate, LongGapRestartsOnTheSameGrid) {
    Scenario s;
    s.duration_s = 20.0F;
    s.bpm_start = s.bpm_end = 80.0F;
    Recording r = make_recording(s);
    Recording later = make_recording(s);
    for (auto& p : later.ppg) {
        p.t_ms += 100000; // resumes 80 s after the end
    }
    for (auto& a : later.accel) {
        a.t_ms += 100000;
    }
    r.ppg.insert(r.ppg.end(), later.ppg.begin(), later.ppg.end());
    r.accel.insert(r.accel.end(), later.accel.begin(), later.accel.end());
    HeartRateEstimator est;
    const auto out = run(est, r);
    ASSERT_FALSE(out.empty());
    bool resumed = false;
    for (const auto& e : out) {
        EXPECT_EQ(e.t_ms % 2000, 0);
        EXPECT_TRUE(e.t_ms <= 20000 || e.t_ms >= 108000) << e.t_ms;
        if (e.t_ms >= 108000) {
            resumed = true;
            EXPECT_NEAR(e.bpm, 80.0F, 1.5F);
        }
    }
    EXPECT_TRUE(resumed);
}

TEST(HeartRate, IgnoresNonFiniteAndOutOfOrderSamples) {
    Scenario s;
    s.bpm_start = s.bpm_end = 90.0F;
    Recording r = make_recording(s);
    r.ppg[500].value = std::numeric_limits<float>::quiet_NaN();
    r.ppg[900].t_ms = 10;
    r.accel[700].x = std::numeric_limits<float>::infinity();
    // Finite but absurd glitches, which once turned every later estimate into NaN.
    r.ppg[1200].value = 1e38F;
    r.accel[1300].y = -3e38F;
    HeartRateEstimator est;
    const auto out = run(est, r);
    ASSERT_FALSE(out.empty());
    for (const auto& e : out) {
        EXPECT_TRUE(std::isfinite(e.bpm));
        EXPECT_NEAR(e.bpm, 90.0F, 3.0F) << e.t_ms;
    }
}

TEST(HrResampler, AveragesWithinABinAndInterpolatesGaps) {
    HrResampler<1> r;
    std::vector<std::pair<std::int64_t, float>> got;
    auto sink = [&](std::int64_t bin, const std::array<float, 1>& v) {
        got.emplace_back(bin, v[0]);
    };
    EXPECT_TRUE(r.push(0, {1.0F}, sink));
    EXPECT_TRUE(r.push(0, {3.0F}, sink));
    EXPECT_TRUE(got.empty()); // bin 0 is open until a later sample arrives
    EXPECT_TRUE(r.push(3, {8.0F}, sink));
    ASSERT_EQ(got.size(), 3U);
    EXPECT_EQ(got[0], (std::pair<std::int64_t, float>{0, 2.0F}));
    EXPECT_EQ(got[1].first, 1);
    EXPECT_FLOAT_EQ(got[1].second, 4.0F);
    EXPECT_FLOAT_EQ(got[2].second, 6.0F);
    EXPECT_FALSE(r.push(2, {0.0F}, sink));
    EXPECT_EQ(r.next_bin(), 3);
    r.flush(sink);
    ASSERT_EQ(got.size(), 4U);
    EXPECT_EQ(got[3], (std::pair<std::int64_t, float>{3, 8.0F}));
    EXPECT_FALSE(r.push(3, {1.0F}, sink));
    EXPECT_EQ(r.next_bin(), 4);
}

TEST(HrSpectrum, SeparatesTwoRealSignalsInOneTransform) {
    std::array<std::complex<float>, hr_fft_size> scratch{};
    const float f_a = 1.5F; // 90 BPM
    const float f_b = 2.5F; // 150 BPM
    for (std::size_t i = 0; i < hr_window_bins; ++i) {
        const float t = static_cast<float>(i) / hr_sample_rate_hz;
        scratch[i] = {std::sin(two_pi * f_a * t), 3.0F * std::cos(two_pi * f_b * t)};
    }
    hr_taper_pair(scratch, hr_window_bins);
    std::array<float, hr_band_bins> a{};
    std::array<float, hr_band_bins> b{};
    hr_band_spectra(scratch, a, b);
    const auto peak = [](const std::array<float, hr_band_bins>& s) {
        std::size_t k = 0;
        for (std::size_t i = 1; i < s.size(); ++i) {
            k = s[i] > s[k] ? i : k;
        }
        return hr_band_index_to_bpm(hr_refine_peak(s, k));
    };
    EXPECT_NEAR(peak(a), 90.0F, 0.5F);
    EXPECT_NEAR(peak(b), 150.0F, 0.5F);
    // Each spectrum is free of the other signal's line.
    EXPECT_LT(a[static_cast<std::size_t>(hr_bpm_to_band_index(150.0F))], 1e-3F * hr_normalise(a));
}

TEST(HrSpectrum, PeakinessSeparatesLinesFromNoise) {
    std::array<float, hr_band_bins> line{};
    line.fill(0.01F);
    line[40] = 1.0F;
    std::array<float, hr_band_bins> white{};
    white.fill(1.0F);
    EXPECT_GT(hr_peakiness(line), 30.0F);
    EXPECT_NEAR(hr_peakiness(white), 1.0F, 1e-5F);
    std::array<float, hr_band_bins> zero{};
    EXPECT_EQ(hr_peakiness(zero), 0.0F);
}

TEST(HrTracker, StaysOnItsLineWhenAnotherAppearsBriefly) {
    HrTracker tracker;
    const HrTracker::Limits limits;
    std::array<float, hr_band_bins> s{};
    const auto at = [](float bpm) { return static_cast<std::size_t>(hr_bpm_to_band_index(bpm)); };
    s[at(80.0F)] = 1.0F;
    for (int i = 0; i < 5; ++i) {
        EXPECT_NEAR(tracker.update(s, s, limits), 80.0F, hr_bpm_per_bin);
    }
    // A stronger line far away for two windows: not a plausible jump.
    std::array<float, hr_band_bins> other = s;
    other[at(80.0F)] = 0.5F;
    other[at(160.0F)] = 1.0F;
    for (int i = 0; i < 2; ++i) {
        EXPECT_NEAR(tracker.update(other, other, limits), 80.0F, hr_bpm_per_bin);
    }
    // If the pulse line is gone and the other persists, the track moves over to it.
    std::array<float, hr_band_bins> moved{};
    moved[at(160.0F)] = 1.0F;
    float bpm = 0.0F;
    for (int i = 0; i < 12; ++i) {
        bpm = tracker.update(moved, moved, limits);
    }
    EXPECT_NEAR(bpm, 160.0F, hr_bpm_per_bin);
}

} // namespace
} // namespace hearth::engine::health
