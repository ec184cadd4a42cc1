#include "health/pulse_detector.h"

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::engine::health {
namespace {

// A synthetic PPG pulse train: each pulse a steep systolic upstroke (peak 150 ms after its
// onset) and a slower decline with a dicrotic bump, on a drifting baseline with noise.
// `sign` -1 turns it upside down, as some sensors report it.
std::vector<PpgSample> synthetic_ppg(const std::vector<double>& peak_s, double duration_s,
                                     double rate_hz, float sign, std::uint32_t seed = 1) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, 0.01);
    const auto n = static_cast<std::size_t>(duration_s * rate_hz);
    std::vector<PpgSample> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / rate_hz;
        double v = 2.0 + 0.2 * std::sin(2.0 * std::numbers::pi * 0.05 * t) + noise(rng);
        for (double p : peak_s) {
            const double d = t - p;
            if (d < -0.2 || d > 0.9) {
                continue;
            }
            // Rise with a 60 ms width before the peak, fall with 180 ms after it.
            const double w = d < 0.0 ? 0.06 : 0.18;
            v += std::exp(-0.5 * (d / w) * (d / w));
            v += 0.25 * std::exp(-0.5 * ((d - 0.3) / 0.06) * ((d - 0.3) / 0.06));
        }
        out[i] = {static_cast<TimeMs>(std::llround(t * 1000.0)),
                  sign * static_cast<float>(v) * 1000.0F};
    }
    return out;
}

std::vector<TimeMs> detect(PulseDetector& detector, const std::vector<PpgSample>& ppg,
                           std::size_t block) {
    std::vector<TimeMs> out;
    for (std::size_t i = 0; i < ppg.size(); i += block) {
        detector.push(std::span(ppg).subspan(i, std::min(block, ppg.size() - i)));
        while (auto b = detector.pull()) {
            out.push_back(b->t_ms);
        }
    }
    detector.finish();
    while (auto b = detector.pull()) {
        out.push_back(b->t_ms);
    }
    return out;
}

// Every pulse from 2.2 s (the detector settles in about 1.7 s) to 0.5 s before the end has a
// detection within `tolerance_ms`, and every detection from 2.2 s is within it of a pulse.
void expect_pulses(const std::vector<double>& truth_s, const std::vector<TimeMs>& found,
                   double tolerance_ms, double end_s) {
    auto nearest = [](double t_ms, const auto& list, double scale) {
        double best = 1e12;
        for (const auto& x : list) {
            best = std::min(best, std::fabs(static_cast<double>(x) * scale - t_ms));
        }
        return best;
    };
    std::size_t checked = 0;
    for (double t : truth_s) {
        if (t > 2.2 && t < end_s - 0.5) {
            EXPECT_LE(nearest(t * 1000.0, found, 1.0), tolerance_ms) << "pulse at " << t;
            ++checked;
        }
    }
    EXPECT_GT(checked, 10U);
    for (TimeMs t : found) {
        if (t > 2200) {
            EXPECT_LE(nearest(static_cast<double>(t), truth_s, 1000.0), tolerance_ms)
                << "detection at " << t;
        }
    }
    // One detection per pulse.
    for (std::size_t i = 1; i < found.size(); ++i) {
        EXPECT_GT(found[i] - found[i - 1], 300);
    }
}

std::vector<double> regular(double start_s, double rr_s, double end_s) {
    std::vector<double> out;
    for (double t = start_s; t < end_s; t += rr_s) {
        out.push_back(t);
    }
    return out;
}

TEST(PulseDetector, FindsPulsesAtWatchRate) {
    const auto peaks = regular(0.5, 0.85, 60.0);
    const auto ppg = synthetic_ppg(peaks, 60.5, 25.0, 1.0F);
    PulseDetector detector({25.0F});
    expect_pulses(peaks, detect(detector, ppg, 10), 40.0, 60.5);
}

TEST(PulseDetector, IndependentOfThePolarity) {
    const auto peaks = regular(0.5, 0.7, 60.0);
    const auto ppg = synthetic_ppg(peaks, 60.5, 100.0, -1.0F, 4);
    PulseDetector detector({100.0F});
    const auto found = detect(detector, ppg, 33);
    // The polarity is learnt within about 8 s; from then on every pulse is found.
    std::vector<double> later;
    std::vector<TimeMs> found_later;
    for (double p : peaks) {
        if (p > 10.0) {
            later.push_back(p);
        }
    }
    for (TimeMs t : found) {
        if (t > 9900) {
            found_later.push_back(t);
        }
    }
    ASSERT_EQ(found_later.size(), later.size());
    for (std::size_t i = 0; i < later.size(); ++i) {
        EXPECT_NEAR(static_cast<double>(found_later[i]), later[i] * 1000.0, 40.0);
    }
}

TEST(PulseDetector, FollowsAFastRate) {
    const auto peaks = regular(0.4, 0.4, 40.0); // 150 beats/min
    const auto ppg = synthetic_ppg(peaks, 40.2, 50.0, 1.0F, 2);
    PulseDetector detector({50.0F});
    expect_pulses(peaks, detect(detector, ppg, 1), 40.0, 40.2);
}

TEST(PulseDetector, SameWhateverTheBlockLength) {
    const auto peaks = regular(0.5, 0.9, 30.0);
    const auto ppg = synthetic_ppg(peaks, 30.0, 25.0, 1.0F, 8);
    PulseDetector a({25.0F});
    PulseDetector b({25.0F});
    const auto one = detect(a, ppg, 1);
    EXPECT_EQ(one, detect(b, ppg, 200));
    a.reset();
    EXPECT_EQ(detect(a, ppg, 7), one);
}

TEST(PulseDetector, NothingFromAFlatSignal) {
    std::vector<PpgSample> flat(25 * 30);
    for (std::size_t i = 0; i < flat.size(); ++i) {
        flat[i] = {static_cast<TimeMs>(i * 40), 1234.0F};
    }
    PulseDetector detector({25.0F});
    EXPECT_TRUE(detect(detector, flat, 16).empty());
}

TEST(PulseDetectorConfig, Validates) {
    EXPECT_TRUE(PulseDetectorConfig{}.validate());
    EXPECT_FALSE(PulseDetectorConfig{10.0F}.validate());
    EXPECT_FALSE(PulseDetectorConfig{1000.0F}.validate());
}

} // namespace
} // namespace hearth::engine::health
