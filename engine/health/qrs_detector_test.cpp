#include "health/qrs_detector.h"

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::engine::health {
namespace {

// A synthetic ECG: each beat a narrow R wave (Gaussian, 12 ms wide) with a small Q and S and a
// broad T wave 250 ms later, on a wandering baseline with white noise.
std::vector<EcgSample> synthetic_ecg(const std::vector<double>& beat_s, double duration_s,
                                     double rate_hz, double noise, std::uint32_t seed = 1) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> gauss(0.0, noise);
    const auto n = static_cast<std::size_t>(duration_s * rate_hz);
    std::vector<EcgSample> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / rate_hz;
        double v = 0.3 * std::sin(2.0 * M_PI * 0.2 * t) + gauss(rng);
        for (double b : beat_s) {
            const double d = t - b;
            if (std::fabs(d) > 0.6) {
                continue;
            }
            v += 1.2 * std::exp(-0.5 * (d / 0.012) * (d / 0.012));
            v -= 0.2 * std::exp(-0.5 * ((d + 0.03) / 0.01) * ((d + 0.03) / 0.01));
            v -= 0.3 * std::exp(-0.5 * ((d - 0.03) / 0.01) * ((d - 0.03) / 0.01));
            v += 0.3 * std::exp(-0.5 * ((d - 0.25) / 0.05) * ((d - 0.25) / 0.05));
        }
        out[i] = {static_cast<TimeMs>(std::llround(t * 1000.0)), static_cast<float>(v)};
    }
    return out;
}

std::vector<TimeMs> detect(QrsDetector& detector, const std::vector<EcgSample>& ecg,
                           std::size_t block) {
    std::vector<TimeMs> out;
    for (std::size_t i = 0; i < ecg.size(); i += block) {
        detector.push(std::span(ecg).subspan(i, std::min(block, ecg.size() - i)));
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

// Every true beat found within 30 ms, nothing else.
void expect_matches(const std::vector<double>& truth_s, const std::vector<TimeMs>& found) {
    ASSERT_EQ(found.size(), truth_s.size());
    for (std::size_t i = 0; i < found.size(); ++i) {
        EXPECT_NEAR(static_cast<double>(found[i]), truth_s[i] * 1000.0, 30.0) << "beat " << i;
    }
}

TEST(QrsDetector, FindsEveryBeatOfARegularRhythm) {
    std::vector<double> beats;
    for (double t = 0.5; t < 60.0; t += 0.8) {
        beats.push_back(t);
    }
    const auto ecg = synthetic_ecg(beats, 60.5, 360.0, 0.02);
    QrsDetector detector({360.0F});
    expect_matches(beats, detect(detector, ecg, 100));
}

TEST(QrsDetector, FollowsRateChangesAndPrematureBeats) {
    std::vector<double> beats;
    double t = 0.4;
    for (int i = 0; i < 120; ++i) {
        // 60 -> 120 beats/min, with a premature beat (60 % of the RR) every 10th beat.
        double rr = 1.0 - 0.5 * std::min(1.0, i / 80.0);
        if (i % 10 == 9) {
            rr *= 0.6;
        }
        beats.push_back(t);
        t += rr;
    }
    const auto ecg = synthetic_ecg(beats, t, 250.0, 0.03, 7);
    QrsDetector detector({250.0F});
    expect_matches(beats, detect(detector, ecg, 37));
}

TEST(QrsDetector, SameBeatsWhateverTheBlockLength) {
    std::vector<double> beats;
    for (double t = 0.3; t < 20.0; t += 0.7) {
        beats.push_back(t);
    }
    const auto ecg = synthetic_ecg(beats, 20.0, 500.0, 0.05, 3);
    QrsDetector a({500.0F});
    QrsDetector b({500.0F});
    const auto one = detect(a, ecg, 1);
    const auto many = detect(b, ecg, 4096);
    EXPECT_EQ(one, many);
    EXPECT_FALSE(one.empty());
    // After reset the detector starts over and finds the same beats.
    a.reset();
    EXPECT_EQ(detect(a, ecg, 64), one);
}

TEST(QrsDetector, SearchesBackForASmallBeat) {
    std::vector<double> beats;
    for (double t = 0.5; t < 30.0; t += 0.8) {
        beats.push_back(t);
    }
    auto ecg = synthetic_ecg(beats, 30.2, 360.0, 0.01, 5);
    // One QRS at 40 % of the usual size: under the threshold (half-way from noise to QRS level),
    // over half of it.
    const double small_s = beats[20];
    auto g = [](double d, double w) { return std::exp(-0.5 * (d / w) * (d / w)); };
    for (auto& s : ecg) {
        const double d = static_cast<double>(s.t_ms) / 1000.0 - small_s;
        if (std::fabs(d) < 0.2) {
            const double qrs =
                1.2 * g(d, 0.012) - 0.2 * g(d + 0.03, 0.01) - 0.3 * g(d - 0.03, 0.01);
            s.value -= static_cast<float>(0.6 * qrs);
        }
    }
    QrsDetector detector({360.0F});
    std::vector<QrsBeat> found;
    for (std::size_t i = 0; i < ecg.size(); i += 64) {
        detector.push(std::span(ecg).subspan(i, std::min<std::size_t>(64, ecg.size() - i)));
        while (auto b = detector.pull()) {
            found.push_back(*b);
        }
    }
    detector.finish();
    while (auto b = detector.pull()) {
        found.push_back(*b);
    }
    ASSERT_EQ(found.size(), beats.size());
    for (std::size_t i = 0; i < found.size(); ++i) {
        EXPECT_NEAR(static_cast<double>(found[i].t_ms), beats[i] * 1000.0, 30.0);
        // Found by search-back, below the usual threshold: marked as less certain.
        EXPECT_EQ(found[i].quality == Quality::Good, i != 20) << "beat " << i;
    }
}

TEST(QrsDetector, NothingFromAFlatOrMissingSignal) {
    std::vector<EcgSample> flat(3600);
    for (std::size_t i = 0; i < flat.size(); ++i) {
        flat[i] = {static_cast<TimeMs>(i * 1000 / 360), i % 100 == 0 ? NAN : 0.5F};
    }
    QrsDetector detector({360.0F});
    EXPECT_TRUE(detect(detector, flat, 50).empty());
}

TEST(QrsDetector, RestartsAfterAGap) {
    std::vector<double> beats;
    for (double t = 0.5; t < 20.0; t += 0.75) {
        beats.push_back(t);
    }
    auto ecg = synthetic_ecg(beats, 20.0, 360.0, 0.02, 9);
    // Drop 10..12.6 s: the samples after the gap are 2.6 s later than the last before it.
    std::vector<EcgSample> gappy;
    std::vector<double> expected;
    for (const auto& s : ecg) {
        if (s.t_ms < 10000 || s.t_ms >= 12600) {
            gappy.push_back(s);
        }
    }
    for (double b : beats) {
        // The beat just before the gap is cut short; the first after it is 0.65 s into the
        // restarted filters, past their settling time.
        if (b < 9.9 || b > 12.6) {
            expected.push_back(b);
        }
    }
    QrsDetector detector({360.0F});
    const auto found = detect(detector, gappy, 128);
    expect_matches(expected, found);
}

TEST(QrsDetectorConfig, Validates) {
    EXPECT_TRUE(QrsDetectorConfig{}.validate());
    EXPECT_FALSE(QrsDetectorConfig{50.0F}.validate());
    EXPECT_FALSE(QrsDetectorConfig{2000.0F}.validate());
    QrsDetectorConfig c;
    c.threshold_fraction = 1.5F;
    EXPECT_FALSE(c.validate());
}

} // namespace
} // namespace hearth::engine::health
