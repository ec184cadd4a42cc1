// The host side of the watch comparison: turns a sensor CSV (or a synthetic recording) into a
// replay file for the emulated watch, and prints what the host build of the same estimator
// says about it, in the same format.
//
//   hr_replay_host RECORDING.csv OUT.bin        > host.txt
//   hr_replay_host --synthetic SECONDS OUT.bin  > host.txt

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <numbers>
#include <string>
#include <vector>

#include "replay/hr_replay.h"
#include "sensor_csv/sensor_table.h"

namespace {

using hearth::mcu::ReplayKind;
using hearth::mcu::ReplayRecord;

std::vector<ReplayRecord> from_csv(const std::string& path) {
    auto table = hearth::formats::read_sensor_csv(path);
    if (!table) {
        std::cerr << "hr_replay_host: " << table.error().describe() << "\n";
        std::exit(2);
    }
    std::vector<ReplayRecord> out;
    const auto ppg = hearth::formats::ppg_samples(*table, "ppg");
    const auto ppg2 = hearth::formats::ppg_samples(*table, "ppg2");
    const auto accel = hearth::formats::accel_samples(*table);
    // Interleave by time, PPG before accelerometer at equal times, as the CLI pushes them.
    std::size_t a = 0;
    std::size_t b = 0;
    std::size_t c = 0;
    while (a < ppg.size() || b < ppg2.size() || c < accel.size()) {
        const auto t = [](const auto& v, std::size_t i) {
            return i < v.size() ? v[i].t_ms : INT64_MAX;
        };
        const auto t_min = std::min({t(ppg, a), t(ppg2, b), t(accel, c)});
        if (t(ppg, a) == t_min) {
            out.push_back(
                {ppg[a].t_ms, static_cast<std::uint32_t>(ReplayKind::Ppg), {ppg[a].value, 0, 0}});
            ++a;
        } else if (t(ppg2, b) == t_min) {
            out.push_back({ppg2[b].t_ms,
                           static_cast<std::uint32_t>(ReplayKind::Ppg2),
                           {ppg2[b].value, 0, 0}});
            ++b;
        } else {
            out.push_back({accel[c].t_ms,
                           static_cast<std::uint32_t>(ReplayKind::Accel),
                           {accel[c].x, accel[c].y, accel[c].z}});
            ++c;
        }
    }
    return out;
}

// 25 Hz PPG with a pulse drifting from 70 to 130 BPM, and a 50 Hz accelerometer with an arm
// swing at 1.4 Hz: enough for the estimator to track and to see motion.
std::vector<ReplayRecord> synthetic(int seconds) {
    std::vector<ReplayRecord> out;
    const float two_pi = 2.0F * std::numbers::pi_v<float>;
    double phase = 0.0;
    for (int i = 0; i < seconds * 50; ++i) {
        const std::int64_t t_ms = i * 20;
        const float t_s = static_cast<float>(t_ms) / 1000.0F;
        if (i % 2 == 0) {
            const float bpm = 70.0F + 60.0F * t_s / static_cast<float>(seconds);
            phase += static_cast<double>(bpm) / 60.0 * 0.04;
            const float pulse = std::sin(two_pi * static_cast<float>(phase)) +
                                0.3F * std::sin(2.0F * two_pi * static_cast<float>(phase));
            out.push_back(
                {t_ms, static_cast<std::uint32_t>(ReplayKind::Ppg), {100.0F * pulse, 0, 0}});
        }
        const float swing = std::sin(two_pi * 1.4F * t_s);
        out.push_back({t_ms,
                       static_cast<std::uint32_t>(ReplayKind::Accel),
                       {2.0F * swing, 0.5F * swing, 9.81F}});
    }
    return out;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<ReplayRecord> records;
    std::string out_path;
    if (argc == 4 && std::string(argv[1]) == "--synthetic") {
        records = synthetic(std::atoi(argv[2]));
        out_path = argv[3];
    } else if (argc == 3) {
        records = from_csv(argv[1]);
        out_path = argv[2];
    } else {
        std::cerr << "usage: hr_replay_host RECORDING.csv OUT.bin | --synthetic SECONDS OUT.bin\n";
        return 1;
    }
    std::string bytes(records.size() * hearth::mcu::replay_record_bytes, '\0');
    for (std::size_t i = 0; i < records.size(); ++i) {
        std::memcpy(bytes.data() + i * hearth::mcu::replay_record_bytes, &records[i],
                    sizeof(ReplayRecord));
    }
    std::ofstream(out_path, std::ios::binary) << bytes;
    std::size_t at = 0;
    return hearth::mcu::replay_heart_rate(
        [&](unsigned char* buffer, std::size_t n) {
            const std::size_t take = std::min(n, bytes.size() - at);
            std::memcpy(buffer, bytes.data() + at, take);
            at += take;
            return take;
        },
        [](const char* text, std::size_t n) { std::fwrite(text, 1, n, stdout); });
}
