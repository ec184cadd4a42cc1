// Workout metrics over synthetic activities of growing length: every metric is meant to be
// linear in the number of records (rolling windows included), which the reported complexity
// (BigO) checks. A 10-hour ride at 1 Hz is 36 000 records.

#include <cmath>
#include <vector>

#include <benchmark/benchmark.h>

#include "metrics/activity_metrics.h"
#include "metrics/power.h"
#include "metrics/running.h"
#include "metrics/series.h"

namespace {

using namespace hearth::sport;

Activity synthetic_ride(std::int64_t seconds) {
    Activity a;
    a.sport = Sport::Cycling;
    const UtcMs t0_ms = 1'700'000'000'000;
    a.start_time_ms = t0_ms;
    double distance_m = 0.0;
    for (std::int64_t i = 0; i < seconds; ++i) {
        const double x = static_cast<double>(i);
        Record r;
        r.t_ms = t0_ms + i * 1000;
        distance_m += 8.0 + std::sin(x / 50.0);
        r.distance_m = distance_m;
        r.speed_mps = 8.0 + std::sin(x / 50.0);
        r.altitude_m = 200.0 + 50.0 * std::sin(x / 600.0);
        r.heart_rate_bpm = 140.0 + 10.0 * std::sin(x / 300.0);
        r.cadence = 85.0;
        r.power_w = 220.0 + 80.0 * std::sin(x / 40.0);
        r.lat_deg = 45.0 + distance_m / 111'000.0;
        r.lon_deg = 7.0;
        a.records.push_back(r);
    }
    a.timer_events = {{t0_ms, TimerAction::Start},
                      {t0_ms + seconds * 400, TimerAction::Stop},
                      {t0_ms + seconds * 500, TimerAction::Start}};
    return a;
}

void BM_ActivityMetrics(benchmark::State& state) {
    const Activity a = synthetic_ride(state.range(0));
    metrics::MetricsOptions options;
    options.athlete.ftp_w = 250.0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(metrics::activity_metrics(a, options));
    }
    state.SetComplexityN(state.range(0));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ActivityMetrics)->RangeMultiplier(4)->Range(900, 57600)->Complexity();

void BM_PowerMetrics(benchmark::State& state) {
    std::vector<double> t;
    std::vector<double> p;
    for (std::int64_t i = 0; i < state.range(0); ++i) {
        t.push_back(static_cast<double>(i));
        p.push_back(200.0 + 100.0 * std::sin(static_cast<double>(i) / 30.0));
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(metrics::power_metrics(t, p, {}, 250.0));
    }
    state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_PowerMetrics)->RangeMultiplier(4)->Range(900, 57600)->Complexity();

void BM_FastestDistance(benchmark::State& state) {
    std::vector<double> clock;
    std::vector<double> d;
    for (std::int64_t i = 0; i < state.range(0); ++i) {
        clock.push_back(static_cast<double>(i));
        d.push_back(3.0 * static_cast<double>(i) + std::sin(static_cast<double>(i)));
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(metrics::fastest_distance(clock, d, 5000.0));
    }
    state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_FastestDistance)->RangeMultiplier(4)->Range(900, 57600)->Complexity();

} // namespace

BENCHMARK_MAIN();
