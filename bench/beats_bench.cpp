// Speed of the beat detectors and the HRV analyzer, in samples (or beats) per second.
//   build/release/bench/beats_bench
// Real-time factor = samples per second / sampling rate.

#include <cmath>
#include <filesystem>
#include <numbers>
#include <vector>

#include <benchmark/benchmark.h>

#include "health/hrv.h"
#include "health/pulse_detector.h"
#include "health/qrs_detector.h"
#include "wfdb/wfdb.h"

namespace {

using namespace hearth;

// MIT-BIH 100 channel 0 (30 min at 360 Hz) when the shared data is there, else 30 min of a
// synthetic ECG.
std::vector<engine::EcgSample> ecg_samples() {
    const auto hea = std::filesystem::path(HEARTH_DATA_DIR) / "ecg-beats/mitdb/100.hea";
    if (auto record = formats::read_wfdb_record(hea)) {
        return formats::wfdb_ecg_samples(*record, 0);
    }
    std::vector<engine::EcgSample> out(360 * 1800);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const double t = static_cast<double>(i) / 360.0;
        const double d = (std::fmod(t, 0.8) - 0.4) / 0.012;
        out[i] = {static_cast<engine::TimeMs>(std::llround(t * 1000.0)),
                  static_cast<float>(std::exp(-0.5 * d * d))};
    }
    return out;
}

// One hour of a 25 Hz synthetic wrist PPG at 72 beats/min.
std::vector<engine::PpgSample> ppg_samples() {
    std::vector<engine::PpgSample> out(25 * 3600);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const double t = static_cast<double>(i) / 25.0;
        const double d = std::fmod(t, 60.0 / 72.0) - 0.2;
        const double w = d < 0.0 ? 0.06 : 0.18;
        out[i] = {static_cast<engine::TimeMs>(i * 40),
                  static_cast<float>(1000.0 + 100.0 * std::exp(-0.5 * (d / w) * (d / w)) +
                                     20.0 * std::sin(0.3 * t))};
    }
    return out;
}

template <class Detector, class Sample>
void run_blocks(Detector& detector, const std::vector<Sample>& samples) {
    constexpr std::size_t block = 64;
    for (std::size_t i = 0; i < samples.size(); i += block) {
        detector.push(std::span(samples).subspan(i, std::min(block, samples.size() - i)));
        while (auto b = detector.pull()) {
            benchmark::DoNotOptimize(b);
        }
    }
    detector.finish();
}

void BM_QrsDetector(benchmark::State& state) {
    const auto samples = ecg_samples();
    for (auto _ : state) {
        engine::health::QrsDetector detector({360.0F});
        run_blocks(detector, samples);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(samples.size()));
    state.counters["realtime_x"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * static_cast<double>(samples.size()) / 360.0,
        benchmark::Counter::kIsRate);
}
BENCHMARK(BM_QrsDetector)->Unit(benchmark::kMillisecond);

void BM_PulseDetector25Hz(benchmark::State& state) {
    const auto samples = ppg_samples();
    for (auto _ : state) {
        engine::health::PulseDetector detector({25.0F});
        run_blocks(detector, samples);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(samples.size()));
    state.counters["realtime_x"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * static_cast<double>(samples.size()) / 25.0,
        benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PulseDetector25Hz)->Unit(benchmark::kMillisecond);

// 24 h of beats (about 110 000) with respiratory and slower modulation of the RR interval.
void BM_HrvDay(benchmark::State& state) {
    std::vector<engine::health::BeatEvent> beats;
    double t_ms = 0.0;
    while (t_ms < 86400e3) {
        t_ms += 780.0 + 30.0 * std::sin(2.0 * std::numbers::pi * 0.25 * t_ms / 1000.0) +
                40.0 * std::sin(2.0 * std::numbers::pi * 0.08 * t_ms / 1000.0);
        beats.push_back(
            {static_cast<engine::TimeMs>(std::llround(t_ms)), engine::health::BeatKind::Normal});
    }
    for (auto _ : state) {
        engine::health::HrvAnalyzer analyzer;
        for (std::size_t i = 0; i < beats.size(); i += 64) {
            analyzer.push(std::span(beats).subspan(i, std::min<std::size_t>(64, beats.size() - i)));
            while (auto r = analyzer.pull()) {
                benchmark::DoNotOptimize(r);
            }
        }
        analyzer.finish();
        benchmark::DoNotOptimize(analyzer.summary());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(beats.size()));
}
BENCHMARK(BM_HrvDay)->Unit(benchmark::kMillisecond);

void BM_WfdbRead(benchmark::State& state) {
    const auto hea = std::filesystem::path(HEARTH_DATA_DIR) / "ecg-beats/mitdb/100.hea";
    if (!std::filesystem::exists(hea)) {
        state.SkipWithError("no shared data");
        return;
    }
    for (auto _ : state) {
        auto record = formats::read_wfdb_record(hea);
        benchmark::DoNotOptimize(record);
    }
    state.SetItemsProcessed(state.iterations() * 650000 * 2);
}
BENCHMARK(BM_WfdbRead)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
