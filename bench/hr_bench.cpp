// Heart-rate estimator throughput: samples per second of PPG + accelerometer at watch rates,
// and the real-time factor of a whole day (25 Hz PPG + 50 Hz accelerometer) is
// 86 400 s / (time per day). Run: build/release/bench/hr_bench

#include <cmath>
#include <memory>
#include <numbers>
#include <vector>

#include <benchmark/benchmark.h>

#include "health/heart_rate.h"

namespace {

using namespace hearth::engine;
using namespace hearth::engine::health;

struct Stream {
    std::vector<PpgSample> ppg;
    std::vector<AccelSample> accel;
};

Stream make_stream(double seconds, double ppg_hz, double accel_hz) {
    Stream s;
    const double pi = std::numbers::pi;
    for (int i = 0; i < static_cast<int>(seconds * ppg_hz); ++i) {
        const double t = i / ppg_hz;
        s.ppg.push_back(
            {static_cast<TimeMs>(std::llround(t * 1000.0)),
             static_cast<float>(std::sin(2 * pi * 1.7 * t) + 0.8 * std::sin(2 * pi * 2.6 * t))});
    }
    for (int i = 0; i < static_cast<int>(seconds * accel_hz); ++i) {
        const double t = i / accel_hz;
        const auto a = static_cast<float>(4.0 * std::sin(2 * pi * 2.6 * t));
        s.accel.push_back({static_cast<TimeMs>(std::llround(t * 1000.0)), a, 0.5F * a, 9.81F});
    }
    return s;
}

// Streams one-second blocks of both sensors, as a watch's sensor FIFOs deliver them.
void BM_HeartRate(benchmark::State& state) {
    const auto ppg_hz = static_cast<double>(state.range(0));
    const auto accel_hz = static_cast<double>(state.range(1));
    const double seconds = 600.0;
    const Stream s = make_stream(seconds, ppg_hz, accel_hz);
    const auto ppg_block = static_cast<std::size_t>(ppg_hz);
    const auto accel_block = static_cast<std::size_t>(accel_hz);
    auto est = std::make_unique<HeartRateEstimator>();
    for (auto _ : state) {
        est->reset();
        std::size_t estimates = 0;
        for (std::size_t b = 0; b * ppg_block < s.ppg.size(); ++b) {
            const std::size_t a0 = b * accel_block;
            est->push_accel(std::span(s.accel).subspan(
                std::min(a0, s.accel.size()),
                std::min(accel_block, s.accel.size() - std::min(a0, s.accel.size()))));
            const std::size_t p0 = b * ppg_block;
            est->push_ppg(std::span(s.ppg).subspan(p0, std::min(ppg_block, s.ppg.size() - p0)));
            while (est->pull()) {
                ++estimates;
            }
        }
        benchmark::DoNotOptimize(estimates);
    }
    const auto samples = static_cast<double>(s.ppg.size() + s.accel.size());
    state.counters["samples_per_s"] = benchmark::Counter(
        samples * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["realtime_factor"] = benchmark::Counter(
        seconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_HeartRate)
    ->Args({25, 50})
    ->Args({125, 125})
    ->Args({500, 100})
    ->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
