#include "wfdb/wfdb.h"

#include <array>
#include <charconv>
#include <cmath>
#include <type_traits>
#include <utility>

#include "common/file.h"

namespace hearth::formats {

namespace {

constexpr const char* fmt_name = "wfdb";
// Bounds on what a header may declare before anything is allocated from it.
constexpr std::size_t max_signals = 256;

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
            ++i;
        }
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
            ++i;
        }
        if (i > start) {
            out.push_back(line.substr(start, i - start));
        }
    }
    return out;
}

template <class T> bool parse_number(std::string_view text, T& out) {
    if (text.empty()) {
        return false;
    }
    if constexpr (std::is_floating_point_v<T>) {
        // std::from_chars for double is available in g++ 12.
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        return ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(out);
    } else {
        if (text.front() == '+') {
            text.remove_prefix(1);
        }
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        return ec == std::errc() && ptr == text.data() + text.size();
    }
}

// Splits "a<sep>b" at the first separator; b is empty when the separator is absent.
std::pair<std::string_view, std::string_view> cut(std::string_view text, char sep) {
    const auto pos = text.find(sep);
    if (pos == std::string_view::npos) {
        return {text, {}};
    }
    return {text.substr(0, pos), text.substr(pos + 1)};
}

Result<WfdbSignalSpec> parse_signal_line(std::string_view line, std::uint64_t line_no) {
    const auto fields = split_fields(line);
    auto bad = [&](const std::string& what) {
        return make_error(fmt_name, ErrorCode::InvalidSyntax, "signal line: " + what, std::nullopt,
                          line_no);
    };
    if (fields.size() < 2) {
        return bad("needs a file name and a format");
    }
    WfdbSignalSpec spec;
    spec.file_name = std::string(fields[0]);
    // format[xsamples][:skew][+offset]
    std::string_view fmt = fields[1];
    auto [fmt_and_rest, offset] = cut(fmt, '+');
    auto [fmt_and_spf, skew] = cut(fmt_and_rest, ':');
    auto [format, spf] = cut(fmt_and_spf, 'x');
    if (!parse_number(format, spec.format) || spec.format < 0) {
        return bad("format '" + std::string(fmt) + "' is not a number");
    }
    if (!spf.empty() &&
        (!parse_number(spf, spec.samples_per_frame) || spec.samples_per_frame < 1)) {
        return bad("samples per frame '" + std::string(spf) + "' is not a positive number");
    }
    int skew_samples = 0;
    if (!skew.empty() && !parse_number(skew, skew_samples)) {
        return bad("skew '" + std::string(skew) + "' is not a number");
    }
    if (!offset.empty() && !parse_number(offset, spec.byte_offset)) {
        return bad("byte offset '" + std::string(offset) + "' is not a number");
    }
    if (fields.size() > 2) {
        // gain[(baseline)][/units]
        auto [gain_and_base, units] = cut(fields[2], '/');
        auto [gain, base] = cut(gain_and_base, '(');
        double g = 0.0;
        if (!parse_number(gain, g)) {
            return bad("gain '" + std::string(fields[2]) + "' is not a number");
        }
        if (g > 0.0) {
            spec.gain_adu_per_unit = g;
        }
        if (!base.empty()) {
            if (base.back() != ')' ||
                !parse_number(base.substr(0, base.size() - 1), spec.baseline_adu)) {
                return bad("baseline in '" + std::string(fields[2]) + "' is malformed");
            }
        }
        if (!units.empty()) {
            spec.units = std::string(units);
        }
    }
    // adcres adczero initval checksum blocksize description...
    int adc_zero = 0;
    if (fields.size() > 4 && !parse_number(fields[4], adc_zero)) {
        return bad("ADC zero '" + std::string(fields[4]) + "' is not a number");
    }
    if (fields.size() > 2 && fields[2].find('(') == std::string_view::npos) {
        // Without an explicit baseline WFDB takes the ADC zero.
        spec.baseline_adu = adc_zero;
    }
    if (fields.size() > 8) {
        const auto desc_start = fields[8].data() - line.data();
        spec.description = std::string(line.substr(static_cast<std::size_t>(desc_start)));
        while (!spec.description.empty() &&
               (spec.description.back() == ' ' || spec.description.back() == '\r')) {
            spec.description.pop_back();
        }
    }
    return spec;
}

std::string strip_line(std::string_view raw) {
    std::string line(raw);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
        line.pop_back();
    }
    return line;
}

} // namespace

Result<WfdbHeader> parse_wfdb_header(std::string_view text) {
    WfdbHeader header;
    bool have_record_line = false;
    std::size_t declared_signals = 0;
    std::uint64_t line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string line = strip_line(text.substr(pos, end - pos));
        pos = end + 1;
        ++line_no;
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') {
            continue;
        }
        if (!have_record_line) {
            const auto fields = split_fields(line);
            auto bad = [&](const std::string& what) {
                return make_error(fmt_name, ErrorCode::BadHeader, "record line: " + what,
                                  std::nullopt, line_no);
            };
            if (fields.size() < 2) {
                return bad("needs a record name and a number of signals");
            }
            auto [name, segments] = cut(fields[0], '/');
            if (!segments.empty()) {
                return make_error(fmt_name, ErrorCode::Unsupported,
                                  "multi-segment records are not supported", std::nullopt, line_no);
            }
            header.record_name = std::string(name);
            if (!parse_number(fields[1], declared_signals) || declared_signals > max_signals) {
                return bad("number of signals '" + std::string(fields[1]) + "' is invalid");
            }
            if (fields.size() > 2) {
                // fs[/counter_freq[(base_counter)]]
                auto [fs, counter] = cut(fields[2], '/');
                if (!parse_number(fs, header.sample_rate_hz) || header.sample_rate_hz <= 0.0) {
                    return make_error(fmt_name, ErrorCode::InvalidValue,
                                      "record line: sampling frequency '" + std::string(fs) +
                                          "' is not a positive number",
                                      std::nullopt, line_no);
                }
            }
            if (fields.size() > 3) {
                std::uint64_t n = 0;
                if (!parse_number(fields[3], n)) {
                    return bad("number of samples '" + std::string(fields[3]) + "' is invalid");
                }
                header.n_samples = n;
            }
            have_record_line = true;
            continue;
        }
        if (header.signals.size() == declared_signals) {
            break; // anything after the declared signals is not part of the header proper
        }
        auto spec = parse_signal_line(line, line_no);
        if (!spec) {
            return tl::unexpected(spec.error());
        }
        header.signals.push_back(std::move(*spec));
    }
    if (!have_record_line) {
        return make_error(fmt_name, ErrorCode::Empty, "no record line in the header");
    }
    if (header.signals.size() != declared_signals) {
        return make_error(fmt_name, ErrorCode::InvalidValue,
                          "the record line declares " + std::to_string(declared_signals) +
                              " signals but " + std::to_string(header.signals.size()) +
                              " signal lines follow");
    }
    return header;
}

Result<WfdbHeader> read_wfdb_header(const std::filesystem::path& hea_path) {
    auto text = read_file_text(hea_path);
    if (!text) {
        return tl::unexpected(text.error());
    }
    auto header = parse_wfdb_header(*text);
    if (!header) {
        auto err = header.error();
        err.message = hea_path.filename().string() + ": " + err.message;
        return tl::unexpected(std::move(err));
    }
    return header;
}

Result<std::vector<std::vector<std::int16_t>>>
decode_wfdb_samples(std::span<const std::uint8_t> bytes, int format, std::size_t n_signals) {
    if (n_signals == 0 || n_signals > max_signals) {
        return make_error(fmt_name, ErrorCode::InvalidValue,
                          "cannot decode " + std::to_string(n_signals) + " signals");
    }
    std::vector<std::vector<std::int16_t>> out(n_signals);
    if (format == 16) {
        const std::size_t frames = bytes.size() / (2 * n_signals);
        for (auto& s : out) {
            s.reserve(frames);
        }
        std::size_t i = 0;
        for (std::size_t f = 0; f < frames; ++f) {
            for (std::size_t c = 0; c < n_signals; ++c, i += 2) {
                const auto v = static_cast<std::uint16_t>(bytes[i] | (bytes[i + 1] << 8));
                out[c].push_back(static_cast<std::int16_t>(v));
            }
        }
        return out;
    }
    if (format == 212) {
        // Samples are packed in pairs across the interleaved stream: 3 bytes hold sample k
        // (low byte, low nibble of the middle byte) and k+1 (high nibble, third byte).
        const std::size_t total_samples = (bytes.size() / 3) * 2;
        const std::size_t frames = total_samples / n_signals;
        for (auto& s : out) {
            s.reserve(frames);
        }
        auto sign12 = [](unsigned v) {
            return static_cast<std::int16_t>((v & 0x800U) != 0U ? static_cast<int>(v) - 4096
                                                                : static_cast<int>(v));
        };
        for (std::size_t k = 0; k < frames * n_signals; ++k) {
            const std::size_t base = (k / 2) * 3;
            unsigned v = 0;
            if (k % 2 == 0) {
                v = bytes[base] | ((bytes[base + 1] & 0x0FU) << 8);
            } else {
                v = bytes[base + 2] | ((bytes[base + 1] & 0xF0U) << 4);
            }
            out[k % n_signals].push_back(sign12(v));
        }
        return out;
    }
    return make_error(fmt_name, ErrorCode::Unsupported,
                      "signal format " + std::to_string(format) +
                          " is not supported (only 212 and 16)");
}

Result<WfdbRecord> read_wfdb_record(const std::filesystem::path& hea_path) {
    auto header = read_wfdb_header(hea_path);
    if (!header) {
        return tl::unexpected(header.error());
    }
    WfdbRecord record;
    record.header = std::move(*header);
    const auto& sigs = record.header.signals;
    record.signals.resize(sigs.size());
    std::vector<bool> done(sigs.size(), false);
    for (std::size_t i = 0; i < sigs.size(); ++i) {
        if (done[i]) {
            continue;
        }
        // The signals stored in one file are interleaved in the order of their lines.
        std::vector<std::size_t> group;
        for (std::size_t j = i; j < sigs.size(); ++j) {
            if (sigs[j].file_name == sigs[i].file_name) {
                group.push_back(j);
            }
        }
        for (std::size_t j : group) {
            if (sigs[j].format != sigs[i].format || sigs[j].samples_per_frame != 1 ||
                sigs[j].byte_offset != sigs[i].byte_offset) {
                return make_error(fmt_name, ErrorCode::Unsupported,
                                  "signal file " + sigs[i].file_name +
                                      ": mixed formats, offsets or several samples per frame "
                                      "are not supported");
            }
        }
        if (sigs[i].file_name == "-" || sigs[i].file_name.find('/') != std::string::npos) {
            return make_error(fmt_name, ErrorCode::Unsupported,
                              "signal file '" + sigs[i].file_name +
                                  "' is not a plain file beside the header");
        }
        auto bytes = read_file_bytes(hea_path.parent_path() / sigs[i].file_name);
        if (!bytes) {
            return tl::unexpected(bytes.error());
        }
        const std::uint64_t offset = sigs[i].byte_offset;
        if (offset > bytes->size()) {
            return make_error(fmt_name, ErrorCode::Truncated,
                              sigs[i].file_name + " is shorter than its byte offset", offset);
        }
        auto decoded = decode_wfdb_samples(
            std::span<const std::uint8_t>(*bytes).subspan(static_cast<std::size_t>(offset)),
            sigs[i].format, group.size());
        if (!decoded) {
            auto err = decoded.error();
            err.message = sigs[i].file_name + ": " + err.message;
            return tl::unexpected(std::move(err));
        }
        for (std::size_t g = 0; g < group.size(); ++g) {
            const auto& spec = sigs[group[g]];
            auto& raw = (*decoded)[g];
            std::size_t n = raw.size();
            if (record.header.n_samples && *record.header.n_samples > 0 &&
                *record.header.n_samples < n) {
                n = static_cast<std::size_t>(*record.header.n_samples);
            }
            auto& out = record.signals[group[g]];
            out.resize(n);
            const double gain = spec.gain_adu_per_unit;
            for (std::size_t k = 0; k < n; ++k) {
                out[k] = static_cast<float>((raw[k] - spec.baseline_adu) / gain);
            }
            done[group[g]] = true;
        }
    }
    return record;
}

std::vector<engine::EcgSample> wfdb_ecg_samples(const WfdbRecord& record, std::size_t channel) {
    std::vector<engine::EcgSample> out;
    if (channel >= record.signals.size()) {
        return out;
    }
    const auto& values = record.signals[channel];
    out.reserve(values.size());
    const double ms_per_sample = 1000.0 / record.header.sample_rate_hz;
    for (std::size_t i = 0; i < values.size(); ++i) {
        out.push_back(
            {static_cast<engine::TimeMs>(std::llround(static_cast<double>(i) * ms_per_sample)),
             values[i]});
    }
    return out;
}

Result<std::vector<WfdbAnnotation>> parse_wfdb_annotations(std::span<const std::uint8_t> bytes) {
    // annot(5): 16-bit little-endian words; the top 6 bits are a code, the low 10 bits a time
    // increment in samples (or a length for AUX). Pseudo-codes 59..63 modify the annotation
    // that follows (SKIP, NUM, SUB, CHN) or the one before (AUX).
    constexpr unsigned skip = 59;
    constexpr unsigned num = 60;
    constexpr unsigned sub = 61;
    constexpr unsigned chn = 62;
    constexpr unsigned aux = 63;
    std::vector<WfdbAnnotation> out;
    std::int64_t t = 0;
    std::int8_t cur_num = 0;
    std::uint8_t cur_chan = 0;
    std::int8_t pending_sub = 0;
    std::size_t i = 0;
    while (i + 2 <= bytes.size()) {
        const std::size_t at = i;
        const unsigned word = bytes[i] | (bytes[i + 1] << 8U);
        i += 2;
        const unsigned code = word >> 10U;
        const unsigned value = word & 0x3FFU;
        if (code == 0 && value == 0) {
            break; // end of file
        }
        switch (code) {
        case skip: {
            if (i + 4 > bytes.size()) {
                return make_error(fmt_name, ErrorCode::Truncated, "SKIP without its interval", at);
            }
            // PDP-11 order: the high 16-bit word first, each word little-endian.
            const std::uint32_t hi = bytes[i] | (bytes[i + 1] << 8U);
            const std::uint32_t lo = bytes[i + 2] | (bytes[i + 3] << 8U);
            const auto interval = static_cast<std::int32_t>((hi << 16U) | lo);
            i += 4;
            t += interval;
            if (t < 0) {
                return make_error(fmt_name, ErrorCode::InvalidValue,
                                  "SKIP moves before the start of the record", at);
            }
            break;
        }
        case num:
            cur_num = static_cast<std::int8_t>(value & 0xFFU);
            break;
        case sub:
            pending_sub = static_cast<std::int8_t>(value & 0xFFU);
            break;
        case chn:
            cur_chan = static_cast<std::uint8_t>(value & 0xFFU);
            break;
        case aux: {
            const std::size_t len = value;
            const std::size_t padded = len + (len % 2);
            if (i + padded > bytes.size()) {
                return make_error(fmt_name, ErrorCode::Truncated, "AUX text runs past the end", at);
            }
            if (!out.empty()) {
                std::string text(reinterpret_cast<const char*>(bytes.data() + i), len);
                while (!text.empty() && text.back() == '\0') {
                    text.pop_back();
                }
                out.back().aux = std::move(text);
            }
            i += padded;
            break;
        }
        default: {
            t += value;
            WfdbAnnotation a;
            a.sample = t;
            a.code = static_cast<std::uint8_t>(code);
            a.subtype = pending_sub;
            a.channel = cur_chan;
            a.num = cur_num;
            pending_sub = 0;
            out.push_back(std::move(a));
            break;
        }
        }
    }
    return out;
}

Result<std::vector<WfdbAnnotation>> read_wfdb_annotations(const std::filesystem::path& path) {
    auto bytes = read_file_bytes(path);
    if (!bytes) {
        return tl::unexpected(bytes.error());
    }
    auto ann = parse_wfdb_annotations(*bytes);
    if (!ann) {
        auto err = ann.error();
        err.message = path.filename().string() + ": " + err.message;
        return tl::unexpected(std::move(err));
    }
    return ann;
}

namespace {

// Mnemonics indexed by code (annot(5), ecgcodes.h); empty where the code is unassigned.
constexpr std::array<std::string_view, 50> symbols = {
    "",  "N", "L", "R", "a", "V",  "F", "J", "A", "S", "E", "j", "/", "Q", "~", "",  "|",
    "",  "s", "T", "*", "D", "\"", "=", "p", "B", "^", "t", "+", "u", "?", "!", "[", "]",
    "e", "n", "@", "x", "f", "(",  ")", "r", "",  "",  "",  "",  "",  "",  "",  ""};

} // namespace

bool is_wfdb_beat(std::uint8_t code) {
    switch (code) {
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
    case 8:
    case 9:
    case 10:
    case 11:
    case 12:
    case 13:
    case 25:
    case 30:
    case 34:
    case 35:
    case 38:
    case 41:
        return true;
    default:
        return false;
    }
}

bool is_wfdb_normal_beat(std::uint8_t code) {
    return code == 1 || code == 2 || code == 3 || code == 11 || code == 34;
}

std::vector<engine::health::BeatEvent> wfdb_beat_events(std::span<const WfdbAnnotation> annotations,
                                                        double sample_rate_hz) {
    std::vector<engine::health::BeatEvent> out;
    out.reserve(annotations.size());
    for (const WfdbAnnotation& a : annotations) {
        if (!is_wfdb_beat(a.code)) {
            continue;
        }
        const double t_ms = static_cast<double>(a.sample) * 1000.0 / sample_rate_hz;
        out.push_back({static_cast<engine::TimeMs>(std::llround(t_ms)),
                       is_wfdb_normal_beat(a.code) ? engine::health::BeatKind::Normal
                                                   : engine::health::BeatKind::Ectopic});
    }
    return out;
}

std::optional<std::uint8_t> wfdb_annotation_code(std::string_view symbol) {
    for (std::size_t c = 0; c < symbols.size(); ++c) {
        if (!symbols[c].empty() && symbols[c] == symbol) {
            return static_cast<std::uint8_t>(c);
        }
    }
    return std::nullopt;
}

Result<std::vector<LabelledBeat>> parse_beats_csv(std::string_view text) {
    std::vector<LabelledBeat> out;
    std::size_t pos = 0;
    std::uint64_t line_no = 0;
    std::optional<std::size_t> t_col;
    std::optional<std::size_t> type_col;
    bool have_header = false;
    auto split = [](std::string_view line) {
        std::vector<std::string_view> cells;
        std::size_t start = 0;
        for (;;) {
            const auto comma = line.find(',', start);
            std::string_view cell = line.substr(
                start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
            while (!cell.empty() && (cell.front() == ' ' || cell.front() == '"')) {
                cell.remove_prefix(1);
            }
            while (!cell.empty() &&
                   (cell.back() == ' ' || cell.back() == '"' || cell.back() == '\r')) {
                cell.remove_suffix(1);
            }
            cells.push_back(cell);
            if (comma == std::string_view::npos) {
                break;
            }
            start = comma + 1;
        }
        return cells;
    };
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (line.find_first_not_of(" \r\t") == std::string_view::npos) {
            continue;
        }
        const auto cells = split(line);
        if (!have_header) {
            for (std::size_t c = 0; c < cells.size(); ++c) {
                if (cells[c] == "t_s") {
                    t_col = c;
                } else if (cells[c] == "type") {
                    type_col = c;
                }
            }
            if (!t_col) {
                return make_error("csv", ErrorCode::MissingField, "no t_s column", std::nullopt,
                                  line_no);
            }
            have_header = true;
            continue;
        }
        LabelledBeat beat;
        if (*t_col >= cells.size() || !parse_number(cells[*t_col], beat.t_s)) {
            return make_error("csv", ErrorCode::InvalidSyntax, "t_s is not a number", std::nullopt,
                              line_no);
        }
        if (beat.t_s < 0.0 || beat.t_s > 1e9) {
            return make_error("csv", ErrorCode::InvalidValue, "t_s is negative or too large",
                              std::nullopt, line_no);
        }
        if (type_col && *type_col < cells.size() && !cells[*type_col].empty()) {
            const auto code = wfdb_annotation_code(cells[*type_col]);
            if (!code) {
                return make_error("csv", ErrorCode::InvalidSyntax,
                                  "unknown beat type '" + std::string(cells[*type_col]) + "'",
                                  std::nullopt, line_no);
            }
            beat.code = *code;
        }
        if (!out.empty() && beat.t_s < out.back().t_s) {
            return make_error("csv", ErrorCode::TimeOrder, "t_s goes back in time", std::nullopt,
                              line_no);
        }
        out.push_back(beat);
    }
    if (!have_header) {
        return make_error("csv", ErrorCode::Empty, "no header row");
    }
    return out;
}

std::vector<engine::health::BeatEvent> beat_events(std::span<const LabelledBeat> beats) {
    std::vector<engine::health::BeatEvent> out;
    out.reserve(beats.size());
    for (const LabelledBeat& b : beats) {
        out.push_back({static_cast<engine::TimeMs>(std::llround(b.t_s * 1000.0)),
                       is_wfdb_normal_beat(b.code) ? engine::health::BeatKind::Normal
                                                   : engine::health::BeatKind::Ectopic});
    }
    return out;
}

std::string_view wfdb_annotation_symbol(std::uint8_t code) {
    if (code < symbols.size() && !symbols[code].empty()) {
        return symbols[code];
    }
    return "?";
}

} // namespace hearth::formats
