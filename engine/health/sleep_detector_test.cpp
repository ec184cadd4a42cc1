#include "health/sleep_detector.h"

#include <optional>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::engine::health {
namespace {

constexpr TimeMs epoch_ms = 30'000;
constexpr TimeMs minute_ms = 60'000;

// One epoch of input: a movement index (nullopt: none) and a heart rate (nullopt: none).
struct In {
    std::optional<float> movement;
    std::optional<float> bpm;
};

std::vector<In> repeat(std::size_t n, In in) {
    return std::vector<In>(n, in);
}

std::vector<In> operator+(std::vector<In> a, const std::vector<In>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// Pushes epoch by epoch from t0_ms (as the hub does), pulling after each; finish() at the end
// when asked.
std::vector<SleepDetection> run(SleepDetector& d, const std::vector<In>& epochs,
                                TimeMs t0_ms = 1'000 * epoch_ms, bool finish = false) {
    std::vector<SleepDetection> out;
    for (std::size_t k = 0; k < epochs.size(); ++k) {
        const TimeMs start = t0_ms + static_cast<TimeMs>(k) * epoch_ms;
        if (epochs[k].bpm) {
            const HeartRateSample hr[] = {{start + 5'000, *epochs[k].bpm},
                                          {start + 20'000, *epochs[k].bpm}};
            d.push(hr);
        }
        if (epochs[k].movement) {
            const ActivityCountSample m{start, *epochs[k].movement};
            d.push(std::span(&m, 1));
        }
        while (auto r = d.pull()) {
            out.push_back(*r);
        }
    }
    if (finish) {
        d.finish();
        while (auto r = d.pull()) {
            out.push_back(*r);
        }
    }
    return out;
}

std::vector<SleepDetection> transitions(const std::vector<SleepDetection>& all) {
    std::vector<SleepDetection> out;
    for (const auto& d : all) {
        if (d.transition_ms) {
            out.push_back(d);
        }
    }
    return out;
}

const In awake{2.0F, 70.0F};  // moving (twice the scale) at a waking heart rate
const In asleep{0.0F, 55.0F}; // still, heart rate lower

TEST(SleepDetector, ConfigValidation) {
    EXPECT_TRUE(SleepDetectorConfig{}.validate());
    SleepDetectorConfig c;
    c.movement_scale = 0.0F;
    EXPECT_FALSE(c.validate());
    c = {};
    c.wake_no_hr_epochs = c.wake_epochs - 1;
    EXPECT_FALSE(c.validate());
    c = {};
    c.onset_epochs = SleepDetectorConfig::max_window_epochs + 1;
    EXPECT_FALSE(c.validate());
    c = {};
    c.max_gap_ms = 13 * minute_ms;
    EXPECT_FALSE(c.validate());
}

TEST(SleepDetector, SleepOnsetIsTheFirstEpochOfTenMinutesOfSleep) {
    SleepDetector d;
    const auto all = run(d, repeat(40, awake) + repeat(60, asleep));
    // Every epoch is scored 2 epochs after it (look-ahead); the last two wait for more input.
    ASSERT_EQ(all.size(), 98U);
    const auto t = transitions(all);
    ASSERT_EQ(t.size(), 1U);
    EXPECT_EQ(t[0].state, SleepWake::Sleep);
    // The Cole-Kripke window remembers this movement for 3 epochs, then Webster's rule
    // rescores 4 min of sleep after >= 15 min of wake: onset 5.5 min after the movement.
    const TimeMs first_still = 1'000 * epoch_ms + 40 * epoch_ms;
    EXPECT_EQ(*t[0].transition_ms, first_still + 11 * epoch_ms);
    // Reported when the run reaches 10 minutes.
    EXPECT_EQ(t[0].start_ms, *t[0].transition_ms + 19 * epoch_ms);
    EXPECT_EQ(d.state(), SleepWake::Sleep);
}

TEST(SleepDetector, BriefArousalsDoNotEndTheNight) {
    SleepDetector d;
    std::vector<In> night = repeat(20, awake) + repeat(40, asleep);
    for (int cycle = 0; cycle < 8; ++cycle) {
        // Turning over and a few minutes awake with a faster heart: 4 min, every 45 min.
        night = night + repeat(8, {3.0F, 68.0F}) + repeat(82, asleep);
    }
    const auto t = transitions(run(d, night));
    ASSERT_EQ(t.size(), 1U);
    EXPECT_EQ(t[0].state, SleepWake::Sleep);
}

TEST(SleepDetector, FinalAwakeningWithTheHeartRateUpIsReportedAfterTenMinutes) {
    SleepDetector d;
    const auto all = run(d, repeat(60, asleep) + repeat(40, awake));
    const auto t = transitions(all);
    ASSERT_EQ(t.size(), 2U);
    EXPECT_EQ(t[1].state, SleepWake::Wake);
    // The look-ahead scores the epoch before the first movement as wake already.
    const TimeMs woke = 1'000 * epoch_ms + 59 * epoch_ms;
    EXPECT_EQ(*t[1].transition_ms, woke);
    EXPECT_EQ(t[1].start_ms, woke + 19 * epoch_ms);
}

TEST(SleepDetector, WithoutAHeartRateRiseAwakeningTakesThirtyMinutes) {
    for (const std::optional<float> bpm : {std::optional<float>(55.0F), std::optional<float>()}) {
        SleepDetector d;
        const auto t = transitions(run(d, repeat(60, asleep) + repeat(80, {2.0F, bpm})));
        ASSERT_EQ(t.size(), 2U);
        const TimeMs woke = 1'000 * epoch_ms + 59 * epoch_ms;
        EXPECT_EQ(*t[1].transition_ms, woke);
        EXPECT_EQ(t[1].start_ms, woke + 59 * epoch_ms);
    }
}

TEST(SleepDetector, OnlyTheScaleRelativeToTheFloorMatters) {
    std::vector<In> night = repeat(30, awake) + repeat(100, asleep) + repeat(10, awake) +
                            repeat(200, asleep) + repeat(50, awake);
    SleepDetector plain;
    const auto a = run(plain, night);
    SleepDetectorConfig scaled;
    scaled.movement_floor = 0.02F;
    scaled.movement_scale = 0.05F;
    for (auto& e : night) {
        e.movement = 0.02F + *e.movement * 0.05F; // the same movement over a noise floor
    }
    SleepDetector d(scaled);
    const auto b = run(d, night);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].epoch, b[i].epoch) << i;
        EXPECT_EQ(a[i].state, b[i].state) << i;
    }
    // Asleep, then awake at the end; the 5 min arousal with the heart rate up is not an end.
    EXPECT_EQ(transitions(a).size(), 2U);
}

TEST(SleepDetector, MissingEpochsNeitherStartNorEndANight) {
    SleepDetector d;
    // Awake, then 10 min without any data (the watch out of reach), then awake again.
    auto t = transitions(run(d, repeat(30, awake) + repeat(20, In{}) + repeat(30, awake)));
    EXPECT_TRUE(t.empty());
    // Asleep, then a gap longer than max_gap_ms, then still asleep: one night.
    SleepDetector d2;
    auto all = run(d2, repeat(60, asleep) + repeat(40, In{}) + repeat(60, asleep));
    t = transitions(all);
    ASSERT_EQ(t.size(), 1U);
    EXPECT_EQ(d2.state(), SleepWake::Sleep);
    // A short gap is filled with unknown epochs.
    SleepDetector d3;
    all = run(d3, repeat(30, asleep) + repeat(4, In{}) + repeat(30, asleep), 0, true);
    ASSERT_EQ(all.size(), 64U);
    EXPECT_EQ(all[31].quality, Quality::NoContact);
    EXPECT_EQ(all[29].quality, Quality::Good);
}

TEST(SleepDetector, FinishScoresTheLastEpochsAndIgnoresLaterInput) {
    SleepDetector d;
    const auto all = run(d, repeat(30, asleep), 0, true);
    ASSERT_EQ(all.size(), 30U);
    EXPECT_EQ(all.back().start_ms, 29 * epoch_ms);
    const ActivityCountSample m{30 * epoch_ms, 1.0F};
    d.push(std::span(&m, 1));
    EXPECT_FALSE(d.pull().has_value());
    d.reset();
    EXPECT_EQ(d.state(), SleepWake::Wake);
}

TEST(SleepDetector, BlockLengthDoesNotMatter) {
    std::vector<ActivityCountSample> moves;
    std::vector<HeartRateSample> hr;
    for (int k = 0; k < 200; ++k) {
        const bool moving = k < 40 || (k > 150);
        moves.push_back({k * epoch_ms, moving ? 2.0F : 0.0F});
        hr.push_back({k * epoch_ms + 10'000, moving ? 72.0F : 54.0F});
    }
    SleepDetector one;
    std::vector<SleepDetection> a;
    for (std::size_t k = 0; k < moves.size(); ++k) {
        one.push(std::span(hr).subspan(k, 1));
        one.push(std::span(moves).subspan(k, 1));
        while (auto r = one.pull()) {
            a.push_back(*r);
        }
    }
    SleepDetector blocks;
    std::vector<SleepDetection> b;
    for (std::size_t k = 0; k < moves.size(); k += 20) {
        blocks.push(std::span(hr).subspan(k, 8)); // heart rate up to 8 epochs ahead is kept
        blocks.push(std::span(moves).subspan(k, 8));
        blocks.push(std::span(hr).subspan(k + 8, 8));
        blocks.push(std::span(moves).subspan(k + 8, 8));
        blocks.push(std::span(hr).subspan(k + 16, 4));
        blocks.push(std::span(moves).subspan(k + 16, 4));
        while (auto r = blocks.pull()) {
            b.push_back(*r);
        }
    }
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].state, b[i].state) << i;
        EXPECT_EQ(a[i].transition_ms, b[i].transition_ms) << i;
    }
    EXPECT_EQ(transitions(a).size(), 2U);
}

} // namespace
} // namespace hearth::engine::health
