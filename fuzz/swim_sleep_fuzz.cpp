// Fuzz target of the swim tracker and the sleep stager behind the sensor CSV reader: any bytes
// must parse or fail with an Error, and whatever parses must run through both algorithms
// without crashing, with well-formed results (lengths and epochs in time order, non-negative
// stroke counts), whatever the block length.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "health/sleep_stager.h"
#include "health/swim_tracker.h"
#include "sensor_csv/sensor_table.h"

namespace health = hearth::engine::health;
namespace formats = hearth::formats;

namespace {

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

void run_swim(const formats::SensorTable& table, std::size_t block) {
    const auto accel = formats::accel_samples(table);
    const auto gyro = formats::gyro_samples(table);
    std::vector<health::SwimImuSample> samples;
    // Rows with both sensors; the reader returns them in row order with their own times.
    std::size_t g = 0;
    for (const auto& a : accel) {
        while (g < gyro.size() && gyro[g].t_ms < a.t_ms) {
            ++g;
        }
        if (g < gyro.size() && gyro[g].t_ms == a.t_ms) {
            health::SwimImuSample s;
            s.t_ms = a.t_ms;
            s.accel = {a.x, a.y, a.z};
            s.gyro = {gyro[g].x, gyro[g].y, gyro[g].z};
            s.mag = {a.x, -a.y, a.z};
            samples.push_back(s);
        }
    }
    health::SwimTracker tracker;
    std::vector<health::SwimLength> lengths;
    for (std::size_t i = 0; i < samples.size(); i += block) {
        const std::size_t n = std::min(block, samples.size() - i);
        tracker.push(std::span<const health::SwimImuSample>(samples.data() + i, n));
        while (auto l = tracker.pull()) {
            lengths.push_back(*l);
        }
    }
    tracker.finish();
    while (auto l = tracker.pull()) {
        lengths.push_back(*l);
    }
    for (std::size_t i = 0; i < lengths.size(); ++i) {
        check(lengths[i].start_ms < lengths[i].end_ms);
        check(lengths[i].strokes >= 0);
        check(i == 0 || lengths[i - 1].end_ms <= lengths[i].start_ms);
    }
}

void run_sleep(const formats::SensorTable& table) {
    static auto stager = std::make_unique<health::SleepStager>();
    stager->reset();
    stager->push(formats::heart_rate_samples(table));
    stager->push(formats::activity_count_samples(table));
    stager->push(formats::accel_samples(table));
    stager->finish();
    std::vector<health::SleepEpoch> epochs;
    while (auto e = stager->pull()) {
        check(e->end_ms > e->start_ms);
        check(epochs.empty() || epochs.back().end_ms == e->start_ms);
        epochs.push_back(*e);
    }
    check(epochs.size() <= health::SleepStager::max_epochs);
    const auto summary = health::summarize_sleep(epochs);
    check(summary.time_asleep_s <= summary.time_in_bed_s);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::size_t block = 1 + data[0] % 97;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    auto table = formats::parse_sensor_csv(text);
    if (!table) {
        check(!table.error().describe().empty());
        return 0;
    }
    run_swim(*table, block);
    run_sleep(*table);
    return 0;
}
