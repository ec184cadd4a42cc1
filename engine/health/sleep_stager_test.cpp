#include "health/sleep_stager.h"

#include <cmath>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::engine::health {
namespace {

// An 8 h night: awake and moving for the first and last 40 min (HR 78), asleep and still in
// between (HR 56 with slow variation).
constexpr int night_s = 8 * 3600;
bool awake_at(int t_s) {
    return t_s < 2400 || t_s >= night_s - 2400;
}

std::vector<HeartRateSample> night_hr() {
    std::vector<HeartRateSample> out;
    for (int t = 0; t < night_s; t += 5) {
        const float base = awake_at(t) ? 78.0F : 56.0F;
        out.push_back({static_cast<TimeMs>(t) * 1000,
                       base + 2.0F * std::sin(static_cast<float>(t) / 600.0F)});
    }
    return out;
}

std::vector<ActivityCountSample> night_activity(float scale) {
    std::vector<ActivityCountSample> out;
    for (int t = 0; t < night_s; t += 30) {
        const float count = awake_at(t) ? 40.0F + static_cast<float>(t % 7) : 0.0F;
        // Clock jitter of the exporting device: stamps a millisecond early.
        out.push_back({static_cast<TimeMs>(t) * 1000 - 1, count * scale});
    }
    return out;
}

std::vector<SleepEpoch> stage(SleepStager& stager) {
    stager.finish();
    std::vector<SleepEpoch> out;
    while (auto e = stager.pull()) {
        out.push_back(*e);
    }
    return out;
}

double wake_share(const std::vector<SleepEpoch>& epochs, bool awake_part) {
    int n = 0;
    int wake = 0;
    for (const auto& e : epochs) {
        if (awake_at(static_cast<int>(e.start_ms / 1000)) == awake_part) {
            ++n;
            wake += e.stage == SleepStage::Wake ? 1 : 0;
        }
    }
    return n > 0 ? static_cast<double>(wake) / n : 0.0;
}

TEST(SleepStager, SeparatesWakeFromSleepWithAnActivityIndexOfAnyScale) {
    for (const float scale : {1.0F, 1000.0F}) {
        auto stager = std::make_unique<SleepStager>();
        stager->push(night_hr());
        stager->push(night_activity(scale));
        const auto epochs = stage(*stager);
        ASSERT_EQ(epochs.size(), static_cast<std::size_t>(night_s / 30));
        EXPECT_EQ(epochs[1].start_ms, 30'000);
        EXPECT_EQ(epochs[1].end_ms, 60'000);
        EXPECT_GT(wake_share(epochs, true), 0.8) << "scale " << scale;
        EXPECT_LT(wake_share(epochs, false), 0.1) << "scale " << scale;
    }
}

TEST(SleepStager, RawAccelerationGivesItsOwnMovementIndex) {
    auto stager = std::make_unique<SleepStager>();
    stager->push(night_hr());
    std::vector<AccelSample> accel;
    for (int i = 0; i < night_s * 10; ++i) {
        const int t_s = i / 10;
        const float wobble = awake_at(t_s) ? 2.0F * std::sin(static_cast<float>(i) * 0.7F) : 0.0F;
        accel.push_back({static_cast<TimeMs>(i) * 100, 0.5F + wobble, 0.2F, 9.7F});
    }
    stager->push(accel);
    const auto epochs = stage(*stager);
    EXPECT_GT(wake_share(epochs, true), 0.8);
    EXPECT_LT(wake_share(epochs, false), 0.1);
}

TEST(SleepStager, BlockLengthDoesNotMatterAndResetClears) {
    const auto hr = night_hr();
    const auto activity = night_activity(1.0F);
    auto whole = std::make_unique<SleepStager>();
    whole->push(hr);
    whole->push(activity);
    const auto a = stage(*whole);
    auto single = std::make_unique<SleepStager>();
    for (const auto& s : hr) {
        single->push(std::span<const HeartRateSample>(&s, 1));
    }
    for (const auto& s : activity) {
        single->push(std::span<const ActivityCountSample>(&s, 1));
    }
    const auto b = stage(*single);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].stage, b[i].stage);
    }
    single->reset();
    EXPECT_FALSE(single->pull().has_value());
    EXPECT_TRUE(stage(*single).empty());
}

TEST(SleepStager, EpochsWithoutAnyInputAreMarkedNoContact) {
    auto stager = std::make_unique<SleepStager>();
    const std::array<HeartRateSample, 2> hr{HeartRateSample{1'000, 60.0F},
                                            HeartRateSample{299'000, 62.0F}};
    stager->push(hr);
    const auto epochs = stage(*stager);
    ASSERT_EQ(epochs.size(), 10U);
    EXPECT_EQ(epochs[0].quality, Quality::Good);
    EXPECT_EQ(epochs[5].quality, Quality::NoContact);
}

TEST(SleepSummary, CountsSleepAwakeningsAndEfficiency) {
    // wake wake light light wake wake deep rem wake light wake wake
    const std::array<SleepStage, 12> stages{SleepStage::Wake,  SleepStage::Wake, SleepStage::Light,
                                            SleepStage::Light, SleepStage::Wake, SleepStage::Wake,
                                            SleepStage::Deep,  SleepStage::Rem,  SleepStage::Wake,
                                            SleepStage::Light, SleepStage::Wake, SleepStage::Wake};
    std::vector<SleepEpoch> epochs;
    for (std::size_t i = 0; i < stages.size(); ++i) {
        const auto t = static_cast<TimeMs>(i) * 30'000;
        epochs.push_back({t, t + 30'000, stages[i], Quality::Good});
    }
    const auto s = summarize_sleep(epochs);
    EXPECT_FLOAT_EQ(s.time_in_bed_s, 360.0F);
    EXPECT_FLOAT_EQ(s.time_asleep_s, 150.0F);
    EXPECT_FLOAT_EQ(s.efficiency, 150.0F / 360.0F);
    EXPECT_FLOAT_EQ(s.sleep_onset_latency_s, 60.0F);
    EXPECT_FLOAT_EQ(s.wake_after_sleep_onset_s, 90.0F);
    EXPECT_EQ(s.awakenings, 1); // the single wake epoch is too short to count
    EXPECT_FLOAT_EQ(s.deep_s, 30.0F);
    EXPECT_FLOAT_EQ(s.rem_s, 30.0F);
    EXPECT_EQ(summarize_sleep({}).awakenings, 0);
}

} // namespace
} // namespace hearth::engine::health
