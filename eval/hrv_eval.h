#pragma once

// Heart-rate variability: the engine's streaming, single-precision HrvAnalyzer checked against
// a plain double-precision implementation of the same NN rule, over annotated beat files.

#include <filesystem>
#include <ostream>
#include <span>
#include <vector>

#include "common/error.h"
#include "health/hrv.h"
#include "report.h"

namespace hearth::eval {

// Runs the engine over the beats (in blocks, as a device would) and returns its summary.
engine::health::HrvResult compute_hrv(std::span<const engine::health::BeatEvent> beats);

// The reference: the NN rule of engine/health/hrv.h written out directly, in double precision,
// from beat times in seconds (no rounding to milliseconds).
struct ReferenceHrv {
    std::size_t n_nn = 0;
    double mean_nn_ms = 0.0;
    double sdnn_ms = 0.0;
    double rmssd_ms = 0.0;
    double pnn50_pct = 0.0;
};
struct ReferenceBeat {
    double t_s = 0.0;
    bool normal = true;
};
ReferenceHrv reference_hrv(std::span<const ReferenceBeat> beats);

// `hearth eval hrv DIR`: every NAME.hea in `dir` with a NAME.ecg (or NAME.atr) annotation file.
// Per record: relative differences (%) of mean NN, SDNN and RMSSD, engine against reference;
// overall: the largest of each. Errors: a record that cannot be read.
formats::Result<Report> evaluate_hrv(const std::filesystem::path& dir, std::ostream& progress);

} // namespace hearth::eval
