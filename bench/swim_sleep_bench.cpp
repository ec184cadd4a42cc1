// Throughput of the swim tracker (30 Hz IMU) and the sleep stager (hr every 5 s plus 50 Hz
// accelerometer, or a per-epoch activity index), in samples per second. Real-time factor =
// samples/s divided by the input rate (see docs/swim-sleep.md).

#include <cmath>
#include <memory>
#include <vector>

#include <benchmark/benchmark.h>

#include "health/sleep_stager.h"
#include "health/swim_tracker.h"

namespace {

using namespace hearth::engine;
using namespace hearth::engine::health;

std::vector<SwimImuSample> swim_samples(int seconds) {
    std::vector<SwimImuSample> out;
    for (int i = 0; i < seconds * 30; ++i) {
        const float t = static_cast<float>(i) / 30.0F;
        // 40 s lengths with 5 s rests, direction reversing every length.
        const bool swimming = std::fmod(t, 45.0F) < 40.0F;
        const float heading = std::fmod(t, 90.0F) < 45.0F ? 1.0F : -1.0F;
        const float s = swimming ? 1.0F : 0.02F;
        SwimImuSample x;
        x.t_ms = static_cast<TimeMs>(i) * 1000 / 30;
        x.gyro = {4.0F * s * std::sin(3.8F * t), 0.5F * s * std::cos(3.8F * t), 0.1F};
        x.accel = {-6.0F + 5.0F * s * std::cos(3.8F * t), -3.0F, 6.0F};
        x.mag = {30.0F * heading, 5.0F, -20.0F};
        out.push_back(x);
    }
    return out;
}

void BM_SwimTracker(benchmark::State& state) {
    const auto samples = swim_samples(3600); // one hour
    auto tracker = std::make_unique<SwimTracker>();
    for (auto _ : state) {
        tracker->reset();
        int lengths = 0;
        for (std::size_t i = 0; i < samples.size(); i += 30) {
            const std::size_t n = std::min<std::size_t>(30, samples.size() - i);
            tracker->push(std::span<const SwimImuSample>(samples.data() + i, n));
            while (tracker->pull()) {
                ++lengths;
            }
        }
        tracker->finish();
        while (tracker->pull()) {
            ++lengths;
        }
        benchmark::DoNotOptimize(lengths);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(samples.size()));
    state.counters["samples_per_s"] = benchmark::Counter(
        static_cast<double>(samples.size()), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_SwimTracker)->Unit(benchmark::kMillisecond);

void BM_SleepStagerRawAccel(benchmark::State& state) {
    const int seconds = static_cast<int>(state.range(0));
    std::vector<HeartRateSample> hr;
    for (int t = 0; t < seconds; t += 5) {
        hr.push_back({static_cast<TimeMs>(t) * 1000,
                      60.0F + 5.0F * std::sin(static_cast<float>(t) / 900.0F)});
    }
    std::vector<AccelSample> accel;
    for (int i = 0; i < seconds * 50; ++i) {
        const float t = static_cast<float>(i) / 50.0F;
        accel.push_back({static_cast<TimeMs>(i) * 20, 0.3F * std::sin(t), 0.1F, 9.7F});
    }
    auto stager = std::make_unique<SleepStager>();
    for (auto _ : state) {
        stager->reset();
        stager->push(hr);
        for (std::size_t i = 0; i < accel.size(); i += 50) {
            const std::size_t n = std::min<std::size_t>(50, accel.size() - i);
            stager->push(std::span<const AccelSample>(accel.data() + i, n));
        }
        stager->finish();
        int epochs = 0;
        while (stager->pull()) {
            ++epochs;
        }
        benchmark::DoNotOptimize(epochs);
    }
    const auto total = static_cast<double>(hr.size() + accel.size());
    state.counters["samples_per_s"] =
        benchmark::Counter(total, benchmark::Counter::kIsIterationInvariantRate);
}
// An 8 h night and a 16 h day-and-night (the stager's maximum).
BENCHMARK(BM_SleepStagerRawAccel)->Arg(8 * 3600)->Arg(16 * 3600)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
