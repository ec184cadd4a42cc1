#include "health/step_counter.h"

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::engine::health {
namespace {

constexpr float gravity = 9.81F;
constexpr float two_pi = 2.0F * std::numbers::pi_v<float>;

// A walk: |a| oscillates once per step around gravity, seen in a device frame where gravity
// lies along `axis` (0 = x, 1 = y, 2 = z), sampled at `rate_hz` with a little noise.
std::vector<AccelSample> walk(float seconds, float rate_hz, float cadence_spm, int axis = 2,
                              float amplitude = 2.0F, TimeMs t0_ms = 0) {
    std::mt19937 rng(42);
    std::normal_distribution<float> noise(0.0F, 0.05F);
    std::vector<AccelSample> out;
    const float step_hz = cadence_spm / 60.0F;
    const auto n = static_cast<int>(seconds * rate_hz);
    for (int i = 0; i < n; ++i) {
        const float t = static_cast<float>(i) / rate_hz;
        const float along = gravity + amplitude * std::sin(two_pi * step_hz * t) + noise(rng);
        const float side = 0.5F * amplitude * std::sin(0.5F * two_pi * step_hz * t);
        AccelSample s;
        s.t_ms = t0_ms + static_cast<TimeMs>(std::lround(t * 1000.0F));
        std::array<float, 3> v{side, noise(rng), noise(rng)};
        v[static_cast<std::size_t>(axis)] += along;
        if (axis == 0) {
            v[1] += side;
            v[0] -= side;
        }
        s.x = v[0];
        s.y = v[1];
        s.z = v[2];
        out.push_back(s);
    }
    return out;
}

std::vector<StepEvent> run(StepCounter& counter, const std::vector<AccelSample>& samples,
                           std::size_t block) {
    std::vector<StepEvent> steps;
    for (std::size_t i = 0; i < samples.size(); i += block) {
        counter.push(
            std::span<const AccelSample>(samples).subspan(i, std::min(block, samples.size() - i)));
        while (auto s = counter.pull()) {
            steps.push_back(*s);
        }
    }
    return steps;
}

TEST(StepCounter, CountsAStraightWalk) {
    StepCounter counter;
    const auto steps = run(counter, walk(60.0F, 50.0F, 110.0F), 25);
    // 110 steps/min for 60 s; the filter start-up may cost the first step.
    EXPECT_NEAR(static_cast<double>(steps.size()), 110.0, 2.0);
    EXPECT_EQ(counter.total_steps(), steps.size());
    ASSERT_TRUE(counter.cadence_spm().has_value());
    EXPECT_NEAR(*counter.cadence_spm(), 110.0F, 3.0F);
    EXPECT_NEAR(steps.back().cadence_spm, 110.0F, 3.0F);
    for (std::size_t i = 1; i < steps.size(); ++i) {
        EXPECT_GT(steps[i].t_ms, steps[i - 1].t_ms);
    }
}

TEST(StepCounter, SameCountAtAnyRateAndOrientation) {
    for (const float rate : {20.0F, 25.0F, 50.0F, 100.0F, 400.0F}) {
        for (const int axis : {0, 1, 2}) {
            StepCounter counter;
            const auto steps = run(counter, walk(40.0F, rate, 120.0F, axis), 64);
            EXPECT_NEAR(static_cast<double>(steps.size()), 80.0, 2.0)
                << "rate " << rate << " axis " << axis;
        }
    }
}

TEST(StepCounter, RunningCadence) {
    StepCounter counter;
    const auto steps = run(counter, walk(30.0F, 50.0F, 170.0F, 2, 6.0F), 50);
    EXPECT_NEAR(static_cast<double>(steps.size()), 85.0, 2.0);
    ASSERT_TRUE(counter.cadence_spm().has_value());
    EXPECT_NEAR(*counter.cadence_spm(), 170.0F, 5.0F);
}

TEST(StepCounter, BlockLengthDoesNotMatter) {
    const auto samples = walk(30.0F, 50.0F, 100.0F);
    StepCounter one;
    StepCounter many;
    const auto a = run(one, samples, 1);
    const auto b = run(many, samples, 333);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].t_ms, b[i].t_ms);
    }
}

TEST(StepCounter, StillDeviceHasNoSteps) {
    StepCounter counter;
    const auto steps = run(counter, walk(60.0F, 50.0F, 100.0F, 2, 0.0F), 50);
    EXPECT_TRUE(steps.empty());
    EXPECT_FALSE(counter.cadence_spm().has_value());
}

TEST(StepCounter, IsolatedBumpsAreNotSteps) {
    // Three knocks 0.5 s apart, then nothing: shorter than a run of min_run_steps.
    std::vector<AccelSample> samples;
    for (int i = 0; i < 50 * 20; ++i) {
        const TimeMs t_ms = i * 20;
        float z = gravity;
        for (const TimeMs knock : {5000, 5500, 6000}) {
            if (t_ms >= knock && t_ms < knock + 100) {
                z += 6.0F;
            }
        }
        samples.push_back({t_ms, 0.0F, 0.0F, z});
    }
    StepCounter counter;
    EXPECT_TRUE(run(counter, samples, 10).empty());
}

TEST(StepCounter, GapRestartsButKeepsCounting) {
    auto samples = walk(20.0F, 50.0F, 120.0F);
    const auto second = walk(20.0F, 50.0F, 120.0F, 2, 2.0F, 30000);
    samples.insert(samples.end(), second.begin(), second.end());
    StepCounter counter;
    const auto steps = run(counter, samples, 50);
    EXPECT_NEAR(static_cast<double>(steps.size()), 80.0, 3.0);
    for (const auto& s : steps) {
        EXPECT_FALSE(s.t_ms > 20100 && s.t_ms < 30000) << "a step inside the gap at " << s.t_ms;
    }
}

TEST(StepCounter, DropsSamplesGoingBackInTime) {
    auto samples = walk(20.0F, 50.0F, 120.0F);
    auto shuffled = samples;
    shuffled.insert(shuffled.begin() + 500, samples[100]);
    StepCounter a;
    StepCounter b;
    EXPECT_EQ(run(a, samples, 50).size(), run(b, shuffled, 50).size());
}

TEST(StepCounter, ResetForgetsEverything) {
    StepCounter counter;
    run(counter, walk(20.0F, 50.0F, 120.0F), 50);
    EXPECT_GT(counter.total_steps(), 0U);
    counter.reset();
    EXPECT_EQ(counter.total_steps(), 0U);
    EXPECT_FALSE(counter.pull().has_value());
    EXPECT_FALSE(counter.cadence_spm().has_value());
}

TEST(StepCounterConfig, Validates) {
    EXPECT_TRUE(StepCounterConfig{}.validate());
    StepCounterConfig c;
    c.high_hz = 20.0F;
    EXPECT_FALSE(c.validate());
    c = {};
    c.min_run_steps = 0;
    EXPECT_FALSE(c.validate());
    c = {};
    c.max_step_interval_ms = c.min_step_interval_ms;
    EXPECT_FALSE(c.validate());
}

} // namespace
} // namespace hearth::engine::health
