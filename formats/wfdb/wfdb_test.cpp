#include "wfdb/wfdb.h"

#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::formats {
namespace {

TEST(WfdbHeader, ParsesRecordAndSignalLines) {
    const auto h = parse_wfdb_header("# comment first\n"
                                     "100 2 360 650000\r\n"
                                     "100.dat 212 200 11 1024 995 -22131 0 MLII\n"
                                     "100.dat 212 200(12)/uV 11 1024 1011 20052 0 V5 lead\n"
                                     "# 69 M 1085 1629 x1\n");
    ASSERT_TRUE(h.has_value()) << h.error().describe();
    EXPECT_EQ(h->record_name, "100");
    EXPECT_DOUBLE_EQ(h->sample_rate_hz, 360.0);
    EXPECT_EQ(h->n_samples, 650000U);
    ASSERT_EQ(h->signals.size(), 2U);
    EXPECT_EQ(h->signals[0].file_name, "100.dat");
    EXPECT_EQ(h->signals[0].format, 212);
    EXPECT_DOUBLE_EQ(h->signals[0].gain_adu_per_unit, 200.0);
    EXPECT_EQ(h->signals[0].baseline_adu, 1024); // ADC zero when no baseline is given
    EXPECT_EQ(h->signals[0].description, "MLII");
    EXPECT_EQ(h->signals[1].baseline_adu, 12);
    EXPECT_EQ(h->signals[1].units, "uV");
    EXPECT_EQ(h->signals[1].description, "V5 lead");
}

TEST(WfdbHeader, AcceptsAnnotationOnlyRecordsAndDefaults) {
    const auto h = parse_wfdb_header("nsr001 0 128 0\n# Age: 64 Sex: F\n");
    ASSERT_TRUE(h.has_value());
    EXPECT_TRUE(h->signals.empty());
    EXPECT_DOUBLE_EQ(h->sample_rate_hz, 128.0);
    const auto d = parse_wfdb_header("rec 1\nrec.dat 16\n");
    ASSERT_TRUE(d.has_value());
    EXPECT_DOUBLE_EQ(d->sample_rate_hz, 250.0);
    EXPECT_DOUBLE_EQ(d->signals[0].gain_adu_per_unit, 200.0);
}

TEST(WfdbHeader, RejectsMalformedHeaders) {
    EXPECT_EQ(parse_wfdb_header("").error().code, ErrorCode::Empty);
    EXPECT_EQ(parse_wfdb_header("rec\n").error().code, ErrorCode::BadHeader);
    EXPECT_EQ(parse_wfdb_header("rec x 360\n").error().code, ErrorCode::BadHeader);
    EXPECT_EQ(parse_wfdb_header("rec 1 -5\nr.dat 16\n").error().code, ErrorCode::InvalidValue);
    const auto missing = parse_wfdb_header("rec 2 360\nr.dat 16\n");
    EXPECT_EQ(missing.error().code, ErrorCode::InvalidValue);
    const auto bad_format = parse_wfdb_header("rec 1 360\nr.dat abc\n");
    ASSERT_FALSE(bad_format.has_value());
    EXPECT_EQ(bad_format.error().line, 2U);
    EXPECT_EQ(parse_wfdb_header("rec/3 1 360\n").error().code, ErrorCode::Unsupported);
}

TEST(WfdbSamples, DecodesFormat212) {
    // Two signals, two frames: (1, -1), (2047, -2048).
    // Pair (1, -1): 0x001, 0xFFF -> bytes 0x01, 0xF0, 0xFF.
    // Pair (2047, -2048): 0x7FF, 0x800 -> bytes 0xFF, 0x87, 0x00.
    const std::vector<std::uint8_t> bytes = {0x01, 0xF0, 0xFF, 0xFF, 0x87, 0x00, 0x12};
    const auto s = decode_wfdb_samples(bytes, 212, 2);
    ASSERT_TRUE(s.has_value());
    ASSERT_EQ(s->size(), 2U);
    EXPECT_EQ((*s)[0], (std::vector<std::int16_t>{1, 2047}));
    EXPECT_EQ((*s)[1], (std::vector<std::int16_t>{-1, -2048}));
}

TEST(WfdbSamples, DecodesFormat16AndRejectsOthers) {
    const std::vector<std::uint8_t> bytes = {0x34, 0x12, 0xFE, 0xFF, 0x00};
    const auto s = decode_wfdb_samples(bytes, 16, 1);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ((*s)[0], (std::vector<std::int16_t>{0x1234, -2}));
    EXPECT_EQ(decode_wfdb_samples(bytes, 80, 1).error().code, ErrorCode::Unsupported);
    EXPECT_EQ(decode_wfdb_samples(bytes, 16, 0).error().code, ErrorCode::InvalidValue);
}

std::vector<std::uint8_t> word(unsigned code, unsigned value) {
    const unsigned w = (code << 10U) | (value & 0x3FFU);
    return {static_cast<std::uint8_t>(w & 0xFFU), static_cast<std::uint8_t>(w >> 8U)};
}

void append(std::vector<std::uint8_t>& out, const std::vector<std::uint8_t>& more) {
    out.insert(out.end(), more.begin(), more.end());
}

TEST(WfdbAnnotations, DecodesTimesCodesSkipAndAux) {
    std::vector<std::uint8_t> f;
    append(f, word(28, 18)); // rhythm '+' at 18
    append(f, word(63, 3));  // its aux "(N" + NUL, padded to 4
    append(f, {'(', 'N', 0, 0});
    append(f, word(1, 77));              // N at 95
    append(f, word(59, 0));              // SKIP 100000 (high word first)
    append(f, {0x01, 0x00, 0xA0, 0x86}); // 0x0001'86A0 = 100000
    append(f, word(5, 5));               // V at 95 + 100000 + 5
    append(f, word(61, 2));              // subtype 2 for the next
    append(f, word(14, 1));              // noise at 100101
    append(f, word(0, 0));               // end
    append(f, word(1, 1));               // ignored after the end
    const auto a = parse_wfdb_annotations(f);
    ASSERT_TRUE(a.has_value()) << a.error().describe();
    ASSERT_EQ(a->size(), 4U);
    EXPECT_EQ((*a)[0].sample, 18);
    EXPECT_EQ(wfdb_annotation_symbol((*a)[0].code), "+");
    EXPECT_EQ((*a)[0].aux, "(N");
    EXPECT_EQ((*a)[1].sample, 95);
    EXPECT_EQ((*a)[2].sample, 100100);
    EXPECT_EQ(wfdb_annotation_symbol((*a)[2].code), "V");
    EXPECT_EQ((*a)[3].subtype, 2);
    EXPECT_TRUE(is_wfdb_beat((*a)[1].code));
    EXPECT_TRUE(is_wfdb_beat((*a)[2].code));
    EXPECT_FALSE(is_wfdb_beat((*a)[0].code));
    EXPECT_FALSE(is_wfdb_beat((*a)[3].code));
    const auto events = wfdb_beat_events(*a, 360.0);
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0].t_ms, 264); // 95 / 360 s
    EXPECT_EQ(events[0].kind, engine::health::BeatKind::Normal);
    EXPECT_EQ(events[1].kind, engine::health::BeatKind::Ectopic);
}

TEST(WfdbAnnotations, ReportsTruncation) {
    std::vector<std::uint8_t> f = word(59, 0);
    f.push_back(0);
    EXPECT_EQ(parse_wfdb_annotations(f).error().code, ErrorCode::Truncated);
    std::vector<std::uint8_t> aux = word(1, 1);
    append(aux, word(63, 10));
    EXPECT_EQ(parse_wfdb_annotations(aux).error().code, ErrorCode::Truncated);
    // No end marker: the complete annotations are kept.
    std::vector<std::uint8_t> open = word(1, 10);
    open.push_back(0x05);
    const auto a = parse_wfdb_annotations(open);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->size(), 1U);
}

TEST(WfdbAnnotations, NormalBeatsForHrv) {
    for (const char* s : {"N", "L", "R", "e", "j"}) {
        EXPECT_TRUE(is_wfdb_normal_beat(*wfdb_annotation_code(s))) << s;
    }
    for (const char* s : {"V", "A", "F", "/", "Q"}) {
        EXPECT_FALSE(is_wfdb_normal_beat(*wfdb_annotation_code(s))) << s;
    }
    EXPECT_FALSE(wfdb_annotation_code("xyz").has_value());
}

TEST(BeatsCsv, ReadsTimesAndOptionalTypes) {
    const auto b = parse_beats_csv("t_s,type,other\n0.5,N,1\n1.25,V,2\n2.0,,3\n");
    ASSERT_TRUE(b.has_value()) << b.error().describe();
    ASSERT_EQ(b->size(), 3U);
    EXPECT_DOUBLE_EQ((*b)[1].t_s, 1.25);
    EXPECT_EQ(wfdb_annotation_symbol((*b)[1].code), "V");
    EXPECT_EQ(wfdb_annotation_symbol((*b)[2].code), "N");
    const auto events = beat_events(*b);
    EXPECT_EQ(events[1].t_ms, 1250);
    EXPECT_EQ(events[1].kind, engine::health::BeatKind::Ectopic);
}

TEST(BeatsCsv, RejectsBadInput) {
    EXPECT_EQ(parse_beats_csv("").error().code, ErrorCode::Empty);
    EXPECT_EQ(parse_beats_csv("time\n1\n").error().code, ErrorCode::MissingField);
    const auto bad = parse_beats_csv("t_s\n1\nx\n");
    EXPECT_EQ(bad.error().code, ErrorCode::InvalidSyntax);
    EXPECT_EQ(bad.error().line, 3U);
    EXPECT_EQ(parse_beats_csv("t_s,type\n1,ZZ\n").error().code, ErrorCode::InvalidSyntax);
    EXPECT_EQ(parse_beats_csv("t_s\n2\n1\n").error().code, ErrorCode::TimeOrder);
    EXPECT_EQ(parse_beats_csv("t_s\n1e300\n").error().code, ErrorCode::InvalidValue);
}

} // namespace
} // namespace hearth::formats
