#pragma once

// The heart-rate estimator over a recording in the replay format, with the same block sizes and
// the same arithmetic on the host and on the watch, so that their outputs can be compared.
// No heap, no stdio: the caller supplies reading and writing.
//
// Replay format: little-endian records of 24 bytes, in time order:
//   int64 t_ms, uint32 kind (1 = ppg, 2 = ppg2, 3 = accel), float v[3] (ppg: v[0]).
// Output: one line per estimate, "t_ms,millibpm,quality\n" (integers; quality 0 good,
// 1 motion, 2 no contact).

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "health/heart_rate.h"

namespace hearth::mcu {

inline constexpr std::size_t replay_record_bytes = 24;

enum class ReplayKind : std::uint32_t { Ppg = 1, Ppg2 = 2, Accel = 3 };

struct ReplayRecord {
    std::int64_t t_ms;
    std::uint32_t kind;
    float v[3];
};

// `read(buffer, bytes)` returns the bytes read (0 at the end); `write(text, bytes)` emits output.
template <class Read, class Write> int replay_heart_rate(Read&& read, Write&& write) {
    using engine::health::HeartRateEstimator;
    static HeartRateEstimator estimator; // static: the watch's RAM, not its stack
    estimator.reset();
    constexpr std::size_t block = 64;
    static std::array<unsigned char, block * replay_record_bytes> raw;
    static std::array<engine::PpgSample, block> ppg;
    static std::array<engine::AccelSample, block> accel;

    auto emit = [&] {
        while (auto e = estimator.pull()) {
            char line[48];
            std::size_t n = 0;
            auto put_int = [&](std::int64_t value) {
                char digits[24];
                std::size_t d = 0;
                const bool negative = value < 0;
                std::uint64_t u = negative ? static_cast<std::uint64_t>(-value)
                                           : static_cast<std::uint64_t>(value);
                do {
                    digits[d++] = static_cast<char>('0' + u % 10);
                    u /= 10;
                } while (u != 0);
                if (negative) {
                    line[n++] = '-';
                }
                while (d > 0) {
                    line[n++] = digits[--d];
                }
            };
            put_int(e->t_ms);
            line[n++] = ',';
            put_int(static_cast<std::int64_t>(e->bpm * 1000.0F + 0.5F));
            line[n++] = ',';
            put_int(static_cast<std::int64_t>(e->quality));
            line[n++] = '\n';
            write(line, n);
        }
    };

    for (;;) {
        const std::size_t got = read(raw.data(), raw.size());
        const std::size_t records = got / replay_record_bytes;
        if (records == 0) {
            break;
        }
        // Push runs of one kind as one span, in file order.
        std::size_t i = 0;
        while (i < records) {
            ReplayRecord first{};
            std::memcpy(&first, raw.data() + i * replay_record_bytes, sizeof first);
            std::size_t run = 0;
            for (std::size_t j = i; j < records; ++j) {
                ReplayRecord r{};
                std::memcpy(&r, raw.data() + j * replay_record_bytes, sizeof r);
                if (r.kind != first.kind) {
                    break;
                }
                if (r.kind == static_cast<std::uint32_t>(ReplayKind::Accel)) {
                    accel[run] = {r.t_ms, r.v[0], r.v[1], r.v[2]};
                } else {
                    ppg[run] = {r.t_ms, r.v[0]};
                }
                ++run;
            }
            if (first.kind == static_cast<std::uint32_t>(ReplayKind::Accel)) {
                estimator.push_accel(std::span(accel.data(), run));
            } else if (first.kind == static_cast<std::uint32_t>(ReplayKind::Ppg2)) {
                estimator.push_ppg(std::span(ppg.data(), run), engine::health::PpgChannel::Second);
            } else {
                estimator.push_ppg(std::span(ppg.data(), run), engine::health::PpgChannel::First);
            }
            i += run;
            emit();
        }
        if (got < raw.size()) {
            break;
        }
    }
    estimator.flush();
    emit();
    return 0;
}

} // namespace hearth::mcu
