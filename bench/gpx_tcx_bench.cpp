// GPX and TCX reader/writer throughput (MB/s and points/s) on synthetic rides of 1 s records
// with heart rate, cadence, power and position (what a watch export looks like), and on the
// shared data's largest real files when present.
//   build/xml/bench/gpx_tcx_bench

#include <cmath>
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>

#include "common/file.h"
#include "gpx/gpx.h"
#include "tcx/tcx.h"

namespace formats = hearth::formats;
namespace fs = std::filesystem;

namespace {

formats::GpxDocument synthetic_gpx(int points) {
    formats::GpxDocument document;
    document.creator = "bench";
    formats::GpxSegment segment;
    for (int i = 0; i < points; ++i) {
        formats::GpxPoint point;
        point.latitude_deg = 46.0 + 1e-4 * std::sin(i * 0.01);
        point.longitude_deg = 14.5 + 1e-4 * i;
        point.elevation_m = 300.0 + 10.0 * std::sin(i * 0.003);
        point.time = formats::UtcTime::from_unix_s(1'700'000'000 + i);
        point.heart_rate_bpm = 120 + i % 40;
        point.cadence_rpm = 85 + i % 10;
        point.power_w = 200 + i % 100;
        segment.points.push_back(point);
    }
    document.tracks.push_back(formats::GpxTrack{{}, {segment}});
    return document;
}

formats::TcxDocument synthetic_tcx(int points) {
    formats::TcxActivity activity;
    activity.sport = "Biking";
    activity.id = formats::UtcTime::from_unix_s(1'700'000'000);
    formats::TcxLap lap;
    lap.start_time = activity.id;
    lap.total_time_s = points;
    formats::TcxTrack track;
    for (int i = 0; i < points; ++i) {
        formats::TcxTrackpoint point;
        point.time = formats::UtcTime::from_unix_s(1'700'000'000 + i);
        point.position = formats::TcxPosition{46.0 + 1e-4 * std::sin(i * 0.01), 14.5 + 1e-4 * i};
        point.altitude_m = 300.0 + 10.0 * std::sin(i * 0.003);
        point.distance_m = 8.0 * i;
        point.heart_rate_bpm = 120 + i % 40;
        point.cadence_rpm = 85 + i % 10;
        point.power_w = 200 + i % 100;
        point.speed_m_per_s = 8.0;
        track.points.push_back(point);
    }
    lap.tracks.push_back(track);
    activity.laps.push_back(lap);
    formats::TcxDocument document;
    document.activities.push_back(activity);
    return document;
}

void set_counters(benchmark::State& state, std::size_t bytes, int points) {
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
    state.counters["points/s"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * points, benchmark::Counter::kIsRate);
    state.counters["bytes"] = static_cast<double>(bytes);
}

void BM_GpxParse(benchmark::State& state) {
    const int points = static_cast<int>(state.range(0));
    const std::string xml = formats::write_gpx(synthetic_gpx(points));
    for (auto _ : state) {
        auto document = formats::parse_gpx(xml);
        benchmark::DoNotOptimize(document);
    }
    set_counters(state, xml.size(), points);
}
BENCHMARK(BM_GpxParse)->Arg(3600)->Arg(36000);

void BM_GpxWrite(benchmark::State& state) {
    const int points = static_cast<int>(state.range(0));
    const formats::GpxDocument document = synthetic_gpx(points);
    std::size_t bytes = 0;
    for (auto _ : state) {
        const std::string xml = formats::write_gpx(document);
        bytes = xml.size();
        benchmark::DoNotOptimize(xml.data());
    }
    set_counters(state, bytes, points);
}
BENCHMARK(BM_GpxWrite)->Arg(3600);

void BM_TcxParse(benchmark::State& state) {
    const int points = static_cast<int>(state.range(0));
    const std::string xml = formats::write_tcx(synthetic_tcx(points));
    for (auto _ : state) {
        auto document = formats::parse_tcx(xml);
        benchmark::DoNotOptimize(document);
    }
    set_counters(state, xml.size(), points);
}
BENCHMARK(BM_TcxParse)->Arg(3600)->Arg(36000);

void BM_TcxWrite(benchmark::State& state) {
    const int points = static_cast<int>(state.range(0));
    const formats::TcxDocument document = synthetic_tcx(points);
    std::size_t bytes = 0;
    for (auto _ : state) {
        const std::string xml = formats::write_tcx(document);
        bytes = xml.size();
        benchmark::DoNotOptimize(xml.data());
    }
    set_counters(state, bytes, points);
}
BENCHMARK(BM_TcxWrite)->Arg(3600);

// The largest real files of each kind in the shared data (skipped when it is absent).
void BM_RealFile(benchmark::State& state, const char* relative, bool is_gpx) {
    const auto text = formats::read_file_text(fs::path(HEARTH_DATA_DIR) / "activities" / relative);
    if (!text) {
        state.SkipWithError("shared data absent");
        return;
    }
    for (auto _ : state) {
        if (is_gpx) {
            auto document = formats::parse_gpx(*text);
            benchmark::DoNotOptimize(document);
        } else {
            auto document = formats::parse_tcx(*text);
            benchmark::DoNotOptimize(document);
        }
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text->size()));
}
BENCHMARK_CAPTURE(BM_RealFile, korita_gpx, "gpxpy-test-files/korita-zbevnica.gpx", true);
BENCHMARK_CAPTURE(BM_RealFile, test_tcx, "tcxparser-files/test.tcx", false);

} // namespace

BENCHMARK_MAIN();
