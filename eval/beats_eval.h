#pragma once

// Beat detection: running the engine's QRS and pulse detectors over whole recordings, and
// scoring detected beats against reference annotations as in ANSI/AAMI EC57 (beat-by-beat
// comparison with a 150 ms matching window; sensitivity and positive predictivity, gross
// statistics summed over records).

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <span>
#include <vector>

#include "base/samples.h"
#include "common/error.h"
#include "report.h"

namespace hearth::eval {

// Beat times (R waves) in seconds. `sample_rate_hz` is the nominal rate of `samples`; 0 means
// "estimate it from the sample times". Errors: InvalidValue when the rate is outside what the
// detector supports (100..1000 Hz).
formats::Result<std::vector<double>> detect_qrs(std::span<const engine::EcgSample> samples,
                                                float sample_rate_hz = 0.0F);
// Pulse (systolic peak) times in seconds; the PPG rate must be 20..500 Hz.
formats::Result<std::vector<double>> detect_pulses(std::span<const engine::PpgSample> samples,
                                                   float sample_rate_hz = 0.0F);

// The median sampling rate of a series of times in ms; 0 when fewer than two samples.
float estimate_sample_rate_hz(std::span<const engine::TimeMs> t_ms);

struct BeatMatch {
    std::size_t true_positives = 0;
    std::size_t false_negatives = 0;
    std::size_t false_positives = 0;

    [[nodiscard]] double sensitivity_pct() const;
    [[nodiscard]] double positive_predictivity_pct() const;
    BeatMatch& operator+=(const BeatMatch& other);
};

// One-to-one matching of sorted detected times to sorted reference times (seconds): a detection
// within `window_s` of a reference beat matches it; each is used at most once, nearest first.
BeatMatch match_beats(std::span<const double> reference_s, std::span<const double> detected_s,
                      double window_s = 0.150);

// `hearth eval beats DIR`: every NAME.hea with a NAME.atr in `dir` (MIT-BIH layout); the first
// channel is analysed; reference beats are the annotations whose codes are beats. Progress
// lines go to `progress`. Errors: a record that cannot be read (Io, BadHeader, ...).
formats::Result<Report> evaluate_beats(const std::filesystem::path& dir, std::ostream& progress);

} // namespace hearth::eval
