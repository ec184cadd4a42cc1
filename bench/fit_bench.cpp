// FIT decode throughput over every good FIT file of the shared data (MB/s and messages/s), next
// to the cost of merely touching the bytes (sum) and of the CRC alone, and the writer's speed.
//   build/fit/bench/fit_bench

#include <cstdint>
#include <filesystem>
#include <numeric>
#include <vector>

#include <benchmark/benchmark.h>

#include "common/file.h"
#include "fit/fit_crc.h"
#include "fit/fit_profile.h"
#include "fit/fit_reader.h"
#include "fit/fit_writer.h"

namespace fit = hearth::formats::fit;
namespace fs = std::filesystem;

namespace {

struct Corpus {
    std::vector<std::vector<std::uint8_t>> files;
    std::size_t bytes = 0;
    std::size_t messages = 0;
};

const Corpus& corpus() {
    static const Corpus c = [] {
        Corpus out;
        const fs::path root = fs::path(HEARTH_DATA_DIR) / "activities";
        if (!fs::exists(root)) {
            return out;
        }
        for (const auto& entry : fs::recursive_directory_iterator(root)) {
            const auto ext = entry.path().extension().string();
            if (!entry.is_regular_file() || (ext != ".fit" && ext != ".FIT")) {
                continue;
            }
            auto bytes = hearth::formats::read_file_bytes(entry.path());
            if (!bytes) {
                continue;
            }
            auto decoded = fit::decode_fit(*bytes);
            if (!decoded) {
                continue; // the deliberately broken files
            }
            out.bytes += bytes->size();
            out.messages += decoded->messages.size();
            out.files.push_back(std::move(*bytes));
        }
        return out;
    }();
    return c;
}

void report(benchmark::State& state, const Corpus& c) {
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.bytes));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.messages));
}

void BM_TouchBytes(benchmark::State& state) {
    const Corpus& c = corpus();
    for (auto _ : state) {
        std::uint64_t sum = 0;
        for (const auto& f : c.files) {
            sum = std::accumulate(f.begin(), f.end(), sum);
        }
        benchmark::DoNotOptimize(sum);
    }
    report(state, c);
}

void BM_Crc(benchmark::State& state) {
    const Corpus& c = corpus();
    for (auto _ : state) {
        std::uint16_t crc = 0;
        for (const auto& f : c.files) {
            crc ^= fit::crc16(0, f);
        }
        benchmark::DoNotOptimize(crc);
    }
    report(state, c);
}

void BM_StreamVisitAll(benchmark::State& state) {
    const Corpus& c = corpus();
    for (auto _ : state) {
        std::size_t fields = 0;
        for (const auto& f : c.files) {
            fit::FitDecoder decoder;
            decoder.on_message([&](const fit::Message& m) { fields += m.fields.size(); });
            if (!decoder.feed(f) || !decoder.finish()) {
                state.SkipWithError("decode failed");
                return;
            }
        }
        benchmark::DoNotOptimize(fields);
    }
    report(state, c);
}

void BM_StreamRecordsOnly(benchmark::State& state) {
    const Corpus& c = corpus();
    for (auto _ : state) {
        double hr_sum = 0;
        for (const auto& f : c.files) {
            fit::FitDecoder decoder;
            decoder.only_messages({fit::mesg::record});
            decoder.on_message([&](const fit::Message& m) {
                if (auto hr = m.value("heart_rate")) {
                    hr_sum += *hr;
                }
            });
            if (!decoder.feed(f) || !decoder.finish()) {
                state.SkipWithError("decode failed");
                return;
            }
        }
        benchmark::DoNotOptimize(hr_sum);
    }
    report(state, c);
}

void BM_StreamNoExpansion(benchmark::State& state) {
    const Corpus& c = corpus();
    fit::DecodeOptions options;
    options.expand_components = false;
    for (auto _ : state) {
        std::size_t fields = 0;
        for (const auto& f : c.files) {
            fit::FitDecoder decoder(options);
            decoder.on_message([&](const fit::Message& m) { fields += m.fields.size(); });
            if (!decoder.feed(f) || !decoder.finish()) {
                state.SkipWithError("decode failed");
                return;
            }
        }
        benchmark::DoNotOptimize(fields);
    }
    report(state, c);
}

void BM_DecodeAllMessages(benchmark::State& state) {
    const Corpus& c = corpus();
    for (auto _ : state) {
        std::size_t messages = 0;
        for (const auto& f : c.files) {
            auto decoded = fit::decode_fit(f);
            messages += decoded ? decoded->messages.size() : 0;
        }
        benchmark::DoNotOptimize(messages);
    }
    report(state, c);
}

void BM_WriteRecords(benchmark::State& state) {
    std::size_t bytes = 0;
    const int records = 10000;
    for (auto _ : state) {
        fit::FitWriter writer;
        for (int i = 0; i < records; ++i) {
            const double t = 1e9 + i;
            auto r =
                writer.write(fit::mesg::record,
                             {fit::OutField::scalar(253, t), fit::OutField::scalar(3, 150),
                              fit::OutField::scalar(0, 5.6e8 + i), fit::OutField::scalar(1, 1.2e8),
                              fit::OutField::scalar(5, i * 3.1), fit::OutField::scalar(73, 3.1),
                              fit::OutField::scalar(78, 120.2)});
            benchmark::DoNotOptimize(r);
        }
        const auto out = writer.finish();
        bytes = out.size();
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records));
}

BENCHMARK(BM_TouchBytes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Crc)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamVisitAll)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamRecordsOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamNoExpansion)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeAllMessages)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WriteRecords)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
