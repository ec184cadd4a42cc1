// Throughput of the step counter and the activity classifier, in input samples per second
// (items_per_second). A day of 50 Hz accelerometer is 4.32 M samples.

#include <cmath>
#include <numbers>
#include <vector>

#include <benchmark/benchmark.h>

#include "health/activity_classifier.h"
#include "health/step_counter.h"

namespace {

using hearth::engine::AccelSample;
using hearth::engine::health::ActivityClassifier;
using hearth::engine::health::ImuSample;
using hearth::engine::health::StepCounter;

constexpr float two_pi = 2.0F * std::numbers::pi_v<float>;

std::vector<ImuSample> imu_walk(float seconds, float rate_hz) {
    std::vector<ImuSample> out;
    for (int i = 0; i < static_cast<int>(seconds * rate_hz); ++i) {
        const float t = static_cast<float>(i) / rate_hz;
        ImuSample s;
        s.t_ms = static_cast<hearth::engine::TimeMs>(std::lround(t * 1000.0F));
        s.ax = 2.0F * std::sin(two_pi * 0.9F * t);
        s.ay = 1.0F;
        s.az = 9.81F + 2.5F * std::sin(two_pi * 1.8F * t);
        s.gx = std::sin(two_pi * 0.9F * t);
        s.gy = 0.1F;
        s.gz = 0.2F;
        s.has_gyro = true;
        out.push_back(s);
    }
    return out;
}

void BM_StepCounter(benchmark::State& state) {
    const float rate_hz = static_cast<float>(state.range(0));
    std::vector<AccelSample> samples;
    for (const ImuSample& s : imu_walk(600.0F, rate_hz)) {
        samples.push_back({s.t_ms, s.ax, s.ay, s.az});
    }
    std::size_t steps = 0;
    for (auto _ : state) {
        StepCounter counter;
        for (std::size_t i = 0; i < samples.size(); i += 256) {
            counter.push(std::span<const AccelSample>(samples).subspan(
                i, std::min<std::size_t>(256, samples.size() - i)));
            while (counter.pull()) {
                ++steps;
            }
        }
    }
    benchmark::DoNotOptimize(steps);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(samples.size()));
    state.counters["sizeof"] = static_cast<double>(sizeof(StepCounter));
}
BENCHMARK(BM_StepCounter)->Arg(25)->Arg(50)->Arg(100)->Unit(benchmark::kMillisecond);

void BM_ActivityClassifier(benchmark::State& state) {
    const float rate_hz = static_cast<float>(state.range(0));
    const std::vector<ImuSample> samples = imu_walk(600.0F, rate_hz);
    std::size_t decisions = 0;
    for (auto _ : state) {
        ActivityClassifier classifier;
        for (std::size_t i = 0; i < samples.size(); i += 256) {
            classifier.push(std::span<const ImuSample>(samples).subspan(
                i, std::min<std::size_t>(256, samples.size() - i)));
            while (classifier.pull()) {
                ++decisions;
            }
        }
    }
    benchmark::DoNotOptimize(decisions);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(samples.size()));
    state.counters["sizeof"] = static_cast<double>(sizeof(ActivityClassifier));
}
BENCHMARK(BM_ActivityClassifier)->Arg(20)->Arg(50)->Arg(100)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
