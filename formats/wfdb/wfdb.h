#pragma once

// PhysioNet WFDB records: the header (`.hea`), signal files in formats 212 and 16, and
// annotation files in the MIT format (`.atr`, `.ecg`, ...).
//
// Source: the WFDB specification, "WFDB Applications Guide" and the `header(5)`, `signal(5)`
// and `annot(5)` manual pages (G. Moody, PhysioNet). Untrusted input: every function returns
// an error instead of asserting; sizes come from the files but are bounded before allocating.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/samples.h"
#include "common/error.h"
#include "health/hrv.h"

namespace hearth::formats {

// One signal line of a header.
struct WfdbSignalSpec {
    std::string file_name;
    int format = 0;            // 212 or 16 are decoded; others parse but are Unsupported
    int samples_per_frame = 1; // only 1 is decoded
    std::uint64_t byte_offset = 0;
    double gain_adu_per_unit = 200.0; // WFDB default when absent or 0
    int baseline_adu = 0;
    std::string units = "mV";
    std::string description;
};

struct WfdbHeader {
    std::string record_name;
    double sample_rate_hz = 250.0; // WFDB default when absent
    std::optional<std::uint64_t> n_samples;
    std::vector<WfdbSignalSpec> signals; // empty for annotation-only records such as NSR2DB
};

// Errors: Empty, BadHeader (record line malformed), InvalidSyntax (a signal line malformed),
// InvalidValue (non-positive sampling rate, more signal lines missing than declared).
Result<WfdbHeader> parse_wfdb_header(std::string_view text);
Result<WfdbHeader> read_wfdb_header(const std::filesystem::path& hea_path);

// Raw ADC values of `n_signals` interleaved signals, one vector per signal. `bytes` starts at
// the first frame. A trailing incomplete frame is dropped. Decoded in format 212 (two 12-bit
// two's-complement samples in three bytes) or 16 (16-bit little-endian two's complement).
// Errors: Unsupported (another format), InvalidValue (n_signals 0).
Result<std::vector<std::vector<std::int16_t>>>
decode_wfdb_samples(std::span<const std::uint8_t> bytes, int format, std::size_t n_signals);

// A record's signals in physical units ((adu - baseline) / gain), read from the signal files
// beside the header. Only signals sharing the first channel's file are decoded together;
// signals in other files are read from theirs.
struct WfdbRecord {
    WfdbHeader header;
    std::vector<std::vector<float>> signals; // signals[channel][sample]
};
Result<WfdbRecord> read_wfdb_record(const std::filesystem::path& hea_path);

// One channel as ECG samples on the millisecond clock (sample i at round(1000 i / fs)).
std::vector<engine::EcgSample> wfdb_ecg_samples(const WfdbRecord& record, std::size_t channel);

// One annotation of an MIT-format annotation file.
struct WfdbAnnotation {
    std::int64_t sample = 0; // sample number (time = sample / sampling rate)
    std::uint8_t code = 0;   // annotation code, 1..49 (see annot(5)): 1 = N, 5 = V, ...
    std::int8_t subtype = 0;
    std::uint8_t channel = 0;
    std::int8_t num = 0;
    std::string aux;
};

// Errors: Truncated (the file ends inside an annotation), InvalidValue (time going back
// through a negative skip). A file without the end marker is accepted up to its last complete
// annotation.
Result<std::vector<WfdbAnnotation>> parse_wfdb_annotations(std::span<const std::uint8_t> bytes);
Result<std::vector<WfdbAnnotation>> read_wfdb_annotations(const std::filesystem::path& path);

// True for annotation codes that label a beat (QRS complex) rather than rhythm, noise, or
// waveform markers: the WFDB `isqrs` set (N L R a V F J A S E j / Q B ? e n f r).
bool is_wfdb_beat(std::uint8_t code);
// Beats treated as normal for heart-rate variability: N, and the beats of sinus rhythm with
// conduction changes or escape L, R, e, j (the usual choice with MIT-BIH and NSR2DB labels).
bool is_wfdb_normal_beat(std::uint8_t code);
// The beat annotations as beat events on the millisecond clock (sample / fs, rounded); other
// annotations (rhythm, noise, comments) are left out.
std::vector<engine::health::BeatEvent> wfdb_beat_events(std::span<const WfdbAnnotation> annotations,
                                                        double sample_rate_hz);
// The symbol's code (the inverse of wfdb_annotation_symbol), if it names one.
std::optional<std::uint8_t> wfdb_annotation_code(std::string_view symbol);

// A list of beats as CSV: a header with `t_s` (seconds) and optionally `type` (a WFDB symbol
// such as N or V; empty means N), one beat a row, in time order. Other columns are ignored.
// Errors: Empty, MissingField (no t_s), InvalidSyntax (a time that is not a number, an unknown
// symbol; with the line), TimeOrder.
struct LabelledBeat {
    double t_s = 0.0;
    std::uint8_t code = 1;
};
Result<std::vector<LabelledBeat>> parse_beats_csv(std::string_view text);
// As beat events: times rounded to milliseconds, normal per is_wfdb_normal_beat.
std::vector<engine::health::BeatEvent> beat_events(std::span<const LabelledBeat> beats);

// The one-character mnemonic of a code ("N", "V", "+", ...), "?" for unknown codes.
std::string_view wfdb_annotation_symbol(std::uint8_t code);

} // namespace hearth::formats
