// Fuzz target for the WFDB reader and the beat pipeline behind it. The first byte picks what the
// rest is: a header, an annotation file, format 212 or 16 signal bytes (then run through the QRS
// and pulse detectors, which must take any values), or a beats CSV (then through the HRV
// analyzer). Any input must give a result or an error with a message, never a crash.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

#include "health/hrv.h"
#include "health/pulse_detector.h"
#include "health/qrs_detector.h"
#include "wfdb/wfdb.h"

namespace {

namespace formats = hearth::formats;
namespace engine = hearth::engine;

template <class T> void check(const formats::Result<T>& r) {
    if (!r && r.error().message.empty()) {
        std::abort();
    }
}

void run_detectors(const std::vector<std::vector<std::int16_t>>& signals) {
    engine::health::QrsDetector qrs({250.0F});
    engine::health::PulseDetector pulse({25.0F});
    std::vector<engine::EcgSample> ecg;
    std::vector<engine::PpgSample> ppg;
    engine::TimeMs t_ms = 0;
    for (std::size_t i = 0; i < signals[0].size(); ++i) {
        // The second signal, when there is one, jitters the clock (including gaps).
        const std::int16_t jitter = signals.size() > 1 ? signals[1][i] : 0;
        t_ms += 4 + (jitter % 7 == 0 ? jitter % 3000 : 0);
        ecg.push_back({t_ms, static_cast<float>(signals[0][i]) * 1e3F});
        ppg.push_back({t_ms * 10, static_cast<float>(signals[0][i])});
    }
    qrs.push(ecg);
    qrs.finish();
    while (auto b = qrs.pull()) {
        (void)b;
    }
    pulse.push(ppg);
    pulse.finish();
    while (auto b = pulse.pull()) {
        (void)b;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::span<const std::uint8_t> bytes(data + 1, size - 1);
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    switch (data[0] % 5) {
    case 0:
        check(formats::parse_wfdb_header(text));
        break;
    case 1: {
        const auto ann = formats::parse_wfdb_annotations(bytes);
        check(ann);
        if (ann) {
            engine::health::HrvAnalyzer hrv;
            hrv.push(formats::wfdb_beat_events(*ann, 128.0));
            hrv.finish();
            (void)hrv.summary();
        }
        break;
    }
    case 2:
    case 3: {
        const std::size_t n_signals = 1 + data[0] / 5 % 3;
        const auto decoded =
            formats::decode_wfdb_samples(bytes, data[0] % 5 == 2 ? 212 : 16, n_signals);
        check(decoded);
        if (decoded && !(*decoded)[0].empty()) {
            run_detectors(*decoded);
        }
        break;
    }
    default: {
        const auto beats = formats::parse_beats_csv(text);
        check(beats);
        if (beats) {
            engine::health::HrvAnalyzer hrv;
            hrv.push(formats::beat_events(*beats));
            while (hrv.pull()) {
            }
            (void)hrv.summary();
        }
        break;
    }
    }
    return 0;
}
