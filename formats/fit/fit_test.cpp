// Unit tests of the FIT reader and writer over small hand-built byte buffers: one test per
// protocol feature and per error.

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fit/fit_crc.h"
#include "fit/fit_profile.h"
#include "fit/fit_reader.h"
#include "fit/fit_writer.h"

namespace hearth::formats::fit {
namespace {

using Bytes = std::vector<std::uint8_t>;

void put_le(Bytes& out, std::uint64_t v, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
}
void put_be(Bytes& out, std::uint64_t v, std::size_t size) {
    for (std::size_t i = size; i > 0; --i) {
        out.push_back(static_cast<std::uint8_t>(v >> (8 * (i - 1))));
    }
}

struct FieldSpec {
    std::uint8_t number;
    std::uint8_t size;
    std::uint8_t base_type;
};

Bytes definition(std::uint8_t local, std::uint16_t global, std::vector<FieldSpec> fields,
                 bool big_endian = false, std::vector<FieldSpec> dev = {}) {
    Bytes out{static_cast<std::uint8_t>(0x40 | (dev.empty() ? 0 : 0x20) | local), 0,
              static_cast<std::uint8_t>(big_endian ? 1 : 0)};
    if (big_endian) {
        put_be(out, global, 2);
    } else {
        put_le(out, global, 2);
    }
    out.push_back(static_cast<std::uint8_t>(fields.size()));
    for (const auto& f : fields) {
        out.insert(out.end(), {f.number, f.size, f.base_type});
    }
    if (!dev.empty()) {
        out.push_back(static_cast<std::uint8_t>(dev.size()));
        for (const auto& f : dev) {
            out.insert(out.end(), {f.number, f.size, f.base_type});
        }
    }
    return out;
}

// A whole file around `records`: header of `header_size` bytes (with CRC when 14) and file CRC.
Bytes fit_file(const Bytes& records, std::uint8_t header_size = 14, bool header_crc = true) {
    Bytes out{header_size, 0x20};
    put_le(out, 2132, 2);
    put_le(out, records.size(), 4);
    out.insert(out.end(), {'.', 'F', 'I', 'T'});
    if (header_size == 14) {
        put_le(out, header_crc ? crc16(0, out) : 0, 2);
    }
    out.insert(out.end(), records.begin(), records.end());
    put_le(out, crc16(0, out), 2);
    return out;
}

void append(Bytes& out, const Bytes& more) {
    out.insert(out.end(), more.begin(), more.end());
}

Bytes cat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

// record: timestamp (253, uint32), heart_rate (3, uint8), altitude (2, uint16).
Bytes simple_records() {
    Bytes r = definition(0, mesg::record, {{253, 4, 0x86}, {3, 1, 0x02}, {2, 2, 0x84}});
    for (std::uint32_t i = 0; i < 3; ++i) {
        r.push_back(0x00);
        put_le(r, 1000 + i, 4);
        r.push_back(static_cast<std::uint8_t>(120 + i));
        put_le(r, 2600 + i * 5, 2); // (2600 / 5) - 500 = 20 m
    }
    return r;
}

TEST(FitCrc, MatchesKnownCheckValue) {
    // CRC-16/ARC check value over "123456789".
    const std::string text = "123456789";
    const Bytes bytes(text.begin(), text.end());
    EXPECT_EQ(crc16(0, bytes), 0xBB3D);
}

TEST(FitReader, DecodesDefinitionAndDataMessages) {
    const auto file = decode_fit(fit_file(simple_records()));
    ASSERT_TRUE(file.has_value()) << file.error().describe();
    ASSERT_EQ(file->files.size(), 1U);
    EXPECT_EQ(file->files[0].data_size, simple_records().size());
    ASSERT_EQ(file->messages.size(), 3U);
    const Message& m = file->messages[1];
    EXPECT_EQ(m.name, "record");
    EXPECT_EQ(m.timestamp(), 1001U);
    EXPECT_EQ(m.value("heart_rate"), 121.0);
    EXPECT_EQ(m.field("heart_rate")->units, "bpm");
    EXPECT_DOUBLE_EQ(m.value("altitude").value_or(0), 21.0);
    // The altitude component fills enhanced_altitude with the same physical value.
    const Field* enhanced = m.field("enhanced_altitude");
    ASSERT_NE(enhanced, nullptr);
    EXPECT_EQ(enhanced->source, FieldSource::Component);
    EXPECT_DOUBLE_EQ(enhanced->value, 21.0);
}

TEST(FitReader, TwelveByteHeaderAndZeroHeaderCrc) {
    EXPECT_TRUE(decode_fit(fit_file(simple_records(), 12)).has_value());
    EXPECT_TRUE(decode_fit(fit_file(simple_records(), 14, false)).has_value());
}

TEST(FitReader, BadHeaderCrc) {
    Bytes bytes = fit_file(simple_records());
    bytes[12] ^= 0x01;
    const auto r = decode_fit(bytes);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::BadCrc);
    EXPECT_EQ(r.error().offset, 0U);
}

TEST(FitReader, BadFileCrcUnlessSkipped) {
    Bytes bytes = fit_file(simple_records());
    bytes.back() ^= 0xFF;
    const auto strict = decode_fit(bytes);
    ASSERT_FALSE(strict.has_value());
    EXPECT_EQ(strict.error().code, ErrorCode::BadCrc);
    EXPECT_EQ(strict.error().offset, bytes.size() - 2);
    DecodeOptions skip;
    skip.crc = CrcCheck::Skip;
    const auto relaxed = decode_fit(bytes, skip);
    ASSERT_TRUE(relaxed.has_value());
    EXPECT_EQ(relaxed->messages.size(), 3U);
}

TEST(FitReader, BadSignatureAndHeaderSize) {
    Bytes bytes = fit_file(simple_records());
    bytes[9] = 'X';
    auto r = decode_fit(bytes);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::BadHeader);

    bytes = fit_file(simple_records());
    bytes[0] = 5;
    r = decode_fit(bytes);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::BadHeader);
}

TEST(FitReader, GarbageIsABadHeader) {
    const Bytes garbage{'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!', '!', '!'};
    const auto r = decode_fit(garbage);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::BadHeader);
}

TEST(FitReader, EmptyInput) {
    const auto r = decode_fit(Bytes{});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::Empty);
}

TEST(FitReader, TruncatedFile) {
    Bytes bytes = fit_file(simple_records());
    bytes.resize(bytes.size() - 5);
    const auto r = decode_fit(bytes);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::Truncated);
    EXPECT_EQ(r.error().offset, bytes.size());
}

TEST(FitReader, HeaderWithNoData) {
    Bytes bytes = fit_file(simple_records());
    bytes.resize(14);
    const auto r = decode_fit(bytes);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::Truncated);
    EXPECT_NE(r.error().describe().find("before the first record"), std::string::npos);
}

TEST(FitReader, UnknownLocalMessageTypeNamesRecordAndOffset) {
    Bytes records = simple_records();
    records.push_back(0x07); // data message of a local type never defined
    records.resize(records.size() + 7, 0);
    const auto r = decode_fit(fit_file(records));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::UnknownMessage);
    EXPECT_EQ(r.error().offset, 14 + simple_records().size());
    EXPECT_EQ(r.error().describe(), "fit: at byte " + std::to_string(14 + simple_records().size()) +
                                        ": record 5: unknown local message type 7");
}

TEST(FitReader, BadDefinitionArchitecture) {
    Bytes records = definition(0, mesg::record, {{3, 1, 0x02}});
    records[2] = 7;
    const auto r = decode_fit(fit_file(records));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::InvalidValue);
    EXPECT_NE(r.error().message.find("architecture"), std::string::npos);
}

TEST(FitReader, RecordRunningPastDataSizeIsAnError) {
    Bytes records = definition(0, mesg::record, {{253, 4, 0x86}});
    records.push_back(0x00);
    put_le(records, 5, 2); // only 2 of the 4 bytes of the record fit in the data size
    const auto r = decode_fit(fit_file(records));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::InvalidValue);
}

TEST(FitReader, LenientModeKeepsMessagesBeforeTheError) {
    Bytes records = simple_records();
    records.push_back(0x05);
    DecodeOptions lenient;
    lenient.on_error = ErrorMode::Lenient;
    const auto r = decode_fit(fit_file(records), lenient);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->messages.size(), 3U);
    ASSERT_TRUE(r->error.has_value());
    EXPECT_EQ(r->error->code, ErrorCode::UnknownMessage);
}

TEST(FitReader, BigEndianDefinitions) {
    Bytes records = definition(1, mesg::record, {{253, 4, 0x86}, {6, 2, 0x84}, {0, 4, 0x85}}, true);
    records.push_back(0x01);
    put_be(records, 123456, 4);
    put_be(records, 4321, 2);
    put_be(records, static_cast<std::uint32_t>(-536870912), 4); // -45 degrees in semicircles
    const auto r = decode_fit(fit_file(records));
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    const Message& m = r->messages.at(0);
    EXPECT_EQ(m.timestamp(), 123456U);
    EXPECT_DOUBLE_EQ(m.value("speed").value_or(0), 4.321);
    EXPECT_DOUBLE_EQ(m.value("enhanced_speed").value_or(0), 4.321);
    EXPECT_DOUBLE_EQ(semicircles_to_deg(m.value("position_lat").value_or(0)), -45.0);
}

TEST(FitReader, CompressedTimestampHeaders) {
    Bytes records = definition(0, mesg::record, {{253, 4, 0x86}});
    records.push_back(0x00);
    put_le(records, 0x1000 + 0x1D, 4); // last full timestamp: offset bits 0x1D
    append(records, definition(1, mesg::record, {{3, 1, 0x02}}));
    // Compressed header: bit 7, local type 1 in bits 5-6, 5-bit time offset.
    append(records, {static_cast<std::uint8_t>(0x80 | (1 << 5) | 0x1F), 100});
    // Offset 0x02 < 0x1F: the 5-bit counter rolled over.
    append(records, {static_cast<std::uint8_t>(0x80 | (1 << 5) | 0x02), 101});
    const auto r = decode_fit(fit_file(records));
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    ASSERT_EQ(r->messages.size(), 3U);
    EXPECT_EQ(r->messages[1].timestamp(), 0x1000U + 0x1F);
    EXPECT_EQ(r->messages[1].value("heart_rate"), 100.0);
    EXPECT_EQ(r->messages[2].timestamp(), 0x1000U + 0x20 + 0x02);
}

TEST(FitReader, InvalidValuesPerBaseType) {
    Bytes records = definition(0, 65300,
                               {{0, 1, 0x02},   // uint8
                                {1, 2, 0x83},   // sint16
                                {2, 4, 0x8C},   // uint32z
                                {3, 4, 0x88},   // float32
                                {4, 1, 0x00},   // enum
                                {5, 8, 0x8F},   // uint64
                                {6, 1, 0x01}}); // sint8 (valid -1)
    records.push_back(0x00);
    records.push_back(0xFF);
    put_le(records, 0x7FFF, 2);
    put_le(records, 0, 4);
    put_le(records, 0xFFFFFFFF, 4);
    records.push_back(0xFF);
    put_le(records, ~std::uint64_t{0}, 8);
    records.push_back(0xFF);
    const auto r = decode_fit(fit_file(records));
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    const Message& m = r->messages.at(0);
    EXPECT_EQ(m.name, "");
    ASSERT_EQ(m.fields.size(), 7U);
    for (int i = 0; i < 6; ++i) {
        EXPECT_FALSE(m.fields[static_cast<std::size_t>(i)].valid) << i;
        EXPECT_TRUE(std::isnan(m.fields[static_cast<std::size_t>(i)].value)) << i;
    }
    EXPECT_TRUE(m.fields[6].valid);
    EXPECT_EQ(m.fields[6].value, -1.0);
}

TEST(FitReader, ArraysAndStrings) {
    Bytes records = definition(0, 65301, {{0, 6, 0x84}, {1, 8, 0x07}, {2, 4, 0x07}});
    records.push_back(0x00);
    put_le(records, 10, 2);
    put_le(records, 0xFFFF, 2); // an invalid element inside a valid array
    put_le(records, 30, 2);
    for (char c : std::string("abc")) {
        records.push_back(static_cast<std::uint8_t>(c));
    }
    records.resize(records.size() + 5, 0); // NUL padded
    for (char c : std::string("wxyz")) {   // unterminated string
        records.push_back(static_cast<std::uint8_t>(c));
    }
    const auto r = decode_fit(fit_file(records));
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    const Message& m = r->messages.at(0);
    ASSERT_EQ(m.fields[0].values.size(), 3U);
    EXPECT_EQ(m.fields[0].values[0], 10.0);
    EXPECT_TRUE(std::isnan(m.fields[0].values[1]));
    EXPECT_EQ(m.fields[0].values[2], 30.0);
    EXPECT_EQ(m.fields[1].text, "abc");
    EXPECT_EQ(m.fields[2].text, "wxyz");
    EXPECT_TRUE(m.fields[2].valid);
}

TEST(FitReader, MisalignedFieldFallsBackToBytes) {
    Bytes records = definition(0, mesg::record, {{5, 3, 0x86}}); // uint32 in 3 bytes
    records.push_back(0x00);
    append(records, {1, 2, 3});
    const auto r = decode_fit(fit_file(records));
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    const Field& f = r->messages.at(0).fields.at(0);
    EXPECT_EQ(f.base_type, BaseType::Byte);
    EXPECT_EQ(f.values, (std::vector<double>{1, 2, 3}));
}

TEST(FitReader, CompressedSpeedDistanceAccumulates) {
    Bytes records = definition(0, mesg::record, {{8, 3, 0x0D}});
    // Two records: speed 3.00 m/s; distance 4000/16 m then 100/16 m after the 12-bit rollover.
    auto csd = [](std::uint32_t speed, std::uint32_t distance) {
        const std::uint32_t bits = speed | (distance << 12);
        return Bytes{0x00, static_cast<std::uint8_t>(bits), static_cast<std::uint8_t>(bits >> 8),
                     static_cast<std::uint8_t>(bits >> 16)};
    };
    records = cat({records, csd(300, 4000), csd(300, 100)});
    const auto r = decode_fit(fit_file(records));
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    ASSERT_EQ(r->messages.size(), 2U);
    EXPECT_DOUBLE_EQ(r->messages[0].value("speed").value_or(0), 3.0);
    EXPECT_DOUBLE_EQ(r->messages[0].value("distance").value_or(0), 4000.0 / 16);
    EXPECT_DOUBLE_EQ(r->messages[1].value("distance").value_or(0), (4096.0 + 100) / 16);
}

TEST(FitReader, SubFieldsAndEnumNames) {
    Bytes records = definition(0, mesg::event, {{0, 1, 0x00}, {1, 1, 0x00}, {3, 4, 0x86}});
    append(records, {0x00, 0, 4, 1, 0, 0, 0}); // timer, stop_all, data=1 (auto)
    append(records, definition(1, mesg::file_id, {{0, 1, 0x00}, {1, 2, 0x84}, {2, 2, 0x84}}));
    append(records, {0x01, 4, 1, 0, 0x41, 0x0A}); // activity, garmin, 2625
    const auto r = decode_fit(fit_file(records));
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    const Message& event = r->messages.at(0);
    EXPECT_EQ(event.field("event")->enum_name, "timer");
    EXPECT_EQ(event.field("event_type")->enum_name, "stop_all");
    ASSERT_NE(event.field("timer_trigger"), nullptr);
    EXPECT_EQ(event.field("timer_trigger")->enum_name, "auto");
    const Message& id = r->messages.at(1);
    EXPECT_EQ(id.field("type")->enum_name, "activity");
    EXPECT_EQ(id.field("manufacturer")->enum_name, "garmin");
    EXPECT_EQ(id.value("garmin_product"), 2625.0);
    // The profile name still finds the field.
    EXPECT_EQ(id.value("product"), 2625.0);
    EXPECT_EQ(id.field("product")->parent_name, "product");
    EXPECT_EQ(event.field("data")->name, "timer_trigger");
}

TEST(FitReader, DeveloperFieldsUseTheirDescription) {
    Bytes records = definition(0, mesg::developer_data_id, {{3, 1, 0x02}});
    append(records, {0x00, 0});
    append(
        records,
        definition(
            1, mesg::field_description,
            {{0, 1, 0x02}, {1, 1, 0x02}, {2, 1, 0x02}, {3, 8, 0x07}, {6, 1, 0x02}, {8, 4, 0x07}}));
    append(records, {0x01, 0, 5, 0x84});
    for (char c : std::string("Ground\0\0", 8)) {
        records.push_back(static_cast<std::uint8_t>(c));
    }
    records.push_back(10); // scale
    append(records, {'m', 's', 0, 0});
    append(records, definition(2, mesg::record, {{3, 1, 0x02}}, false, {{5, 2, 0}}));
    append(records, {0x02, 150});
    put_le(records, 2345, 2);
    const auto r = decode_fit(fit_file(records));
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    ASSERT_EQ(r->developer_fields.size(), 1U);
    EXPECT_EQ(r->developer_fields[0].name, "Ground");
    EXPECT_EQ(r->developer_fields[0].base_type, BaseType::UInt16);
    const Message& m = r->messages.back();
    ASSERT_EQ(m.fields.size(), 2U);
    const Field& dev = m.fields[1];
    EXPECT_EQ(dev.source, FieldSource::Developer);
    EXPECT_EQ(dev.name, "Ground");
    EXPECT_EQ(dev.units, "ms");
    EXPECT_DOUBLE_EQ(dev.value, 234.5);
}

TEST(FitReader, ChainedFilesAndLocalDefinitionsReset) {
    const Bytes one = fit_file(simple_records());
    Bytes second_records{0x00, 1, 2, 3}; // local type 0 is not defined in file 2
    const Bytes two = fit_file(second_records);
    auto both = decode_fit(cat({one, one}));
    ASSERT_TRUE(both.has_value()) << both.error().describe();
    EXPECT_EQ(both->files.size(), 2U);
    EXPECT_EQ(both->files[1].offset, one.size());
    EXPECT_EQ(both->messages.size(), 6U);
    auto bad = decode_fit(cat({one, two}));
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code, ErrorCode::UnknownMessage);
}

TEST(FitDecoder, StreamsByteByByteLikeWholeBuffer) {
    const Bytes bytes = fit_file(simple_records());
    FitDecoder decoder;
    std::vector<double> heart_rates;
    decoder.on_message(
        [&](const Message& m) { heart_rates.push_back(m.value("heart_rate").value()); });
    for (const std::uint8_t b : bytes) {
        ASSERT_TRUE(decoder.feed(std::span<const std::uint8_t>(&b, 1)).has_value());
    }
    ASSERT_TRUE(decoder.finish().has_value());
    EXPECT_EQ(heart_rates, (std::vector<double>{120, 121, 122}));
    EXPECT_EQ(decoder.bytes_consumed(), bytes.size());
    EXPECT_EQ(decoder.records_decoded(), 4U);
}

TEST(FitDecoder, ReadsFromAStream) {
    const Bytes bytes = fit_file(simple_records());
    std::istringstream in(std::string(bytes.begin(), bytes.end()));
    FitDecoder decoder;
    int count = 0;
    decoder.on_message([&](const Message&) { ++count; });
    ASSERT_TRUE(decode_fit_stream(in, decoder).has_value());
    EXPECT_EQ(count, 3);
}

TEST(FitDecoder, OnlyRequestedMessagesAreVisited) {
    Bytes records =
        cat({definition(0, mesg::event, {{0, 1, 0x00}}), Bytes{0x00, 0}, simple_records()});
    FitDecoder decoder;
    decoder.only_messages({mesg::event});
    std::vector<std::uint16_t> seen;
    decoder.on_message([&](const Message& m) { seen.push_back(m.global_number); });
    ASSERT_TRUE(decoder.feed(fit_file(records)).has_value());
    ASSERT_TRUE(decoder.finish().has_value());
    EXPECT_EQ(seen, (std::vector<std::uint16_t>{mesg::event}));
}

TEST(FitDecoder, StaysFailedAfterAnError) {
    Bytes bytes = fit_file(simple_records());
    bytes[9] = 'Z';
    FitDecoder decoder;
    EXPECT_FALSE(decoder.feed(bytes).has_value());
    EXPECT_FALSE(decoder.feed(bytes).has_value());
    EXPECT_FALSE(decoder.finish().has_value());
}

TEST(FitProfile, LooksUpMessagesFieldsAndEnums) {
    EXPECT_EQ(field_number(mesg::session, "total_distance"), 9);
    EXPECT_EQ(field_number(mesg::session, "num_laps"), 26);
    EXPECT_EQ(message_number("length"), mesg::length);
    EXPECT_EQ(enum_name(EnumType::Sport, 5), "swimming");
    EXPECT_EQ(enum_value(EnumType::SubSport, "lap_swimming"), 17U);
    EXPECT_EQ(enum_name(EnumType::SwimStroke, 2), "breaststroke");
    EXPECT_EQ(enum_name(EnumType::Sport, 200), "");
    const FieldDef* altitude = find_field(mesg::record, 2);
    ASSERT_NE(altitude, nullptr);
    EXPECT_EQ(altitude->scale, 5);
    EXPECT_EQ(altitude->offset, 500);
}

TEST(FitWriter, RoundTripsValuesInPhysicalUnits) {
    FitWriter writer;
    ASSERT_TRUE(writer
                    .write(mesg::file_id, {OutField::scalar(0, 4), OutField::scalar(1, 255),
                                           OutField::scalar(4, 1000000000)})
                    .has_value());
    for (int i = 0; i < 20; ++i) {
        const double t = 1000000000.0 + i;
        ASSERT_TRUE(
            writer
                .write(mesg::record,
                       {OutField::scalar(253, t), OutField::scalar(3, 140 + i),
                        OutField::scalar(0, deg_to_semicircles(47.5)), OutField::scalar(78, 123.4),
                        OutField::scalar(73, 3.456), OutField::scalar(5, 10.0 * i)})
                .has_value());
    }
    ASSERT_TRUE(
        writer
            .write(mesg::session,
                   {OutField::scalar(5, 5), OutField::scalar(44, 25.0), OutField::scalar(7, 3600.5),
                    OutField::string(110, "Pool Swim"), OutField::scalar(16, std::nan(""))})
            .has_value());
    const Bytes bytes = writer.finish();
    const auto r = decode_fit(bytes);
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    ASSERT_EQ(r->messages.size(), 22U);
    EXPECT_EQ(r->messages[0].field("type")->enum_name, "activity");
    const Message& rec = r->messages[5];
    EXPECT_EQ(rec.timestamp(), 1000000004U);
    EXPECT_EQ(rec.value("heart_rate"), 144.0);
    EXPECT_NEAR(semicircles_to_deg(rec.value("position_lat").value()), 47.5, 1e-7);
    EXPECT_NEAR(rec.value("enhanced_altitude").value(), 123.4, 0.2 + 1e-9);
    EXPECT_DOUBLE_EQ(rec.value("enhanced_speed").value(), 3.456);
    EXPECT_DOUBLE_EQ(rec.value("distance").value(), 40.0);
    const Message& session = r->messages.back();
    EXPECT_EQ(session.field("sport")->enum_name, "swimming");
    EXPECT_DOUBLE_EQ(session.value("pool_length").value(), 25.0);
    EXPECT_DOUBLE_EQ(session.value("total_elapsed_time").value(), 3600.5);
    EXPECT_EQ(session.field("sport_profile_name")->text, "Pool Swim");
    EXPECT_FALSE(session.value("avg_heart_rate").has_value());
    // One definition per layout: file_id, record, session.
    int definitions = 0;
    FitDecoder counter;
    ASSERT_TRUE(counter.feed(bytes).has_value());
    definitions = static_cast<int>(counter.records_decoded()) - 22;
    EXPECT_EQ(definitions, 3);
}

OutField typed(std::uint8_t number, double value) {
    OutField f = OutField::scalar(number, value);
    f.base_type = BaseType::UInt16;
    return f;
}

TEST(FitWriter, BigEndianAndManyLayouts) {
    WriterOptions options;
    options.architecture = Endian::Big;
    FitWriter writer(options);
    // 20 different layouts: more than 16 local message types, so definitions are recycled.
    for (std::uint8_t n = 0; n < 20; ++n) {
        const std::vector<OutField> fields{typed(n, static_cast<double>(n) * 3)};
        ASSERT_TRUE(writer.write(65280, fields).has_value());
    }
    for (std::uint8_t n = 0; n < 20; ++n) {
        const std::vector<OutField> fields{typed(n, static_cast<double>(n) * 5)};
        ASSERT_TRUE(writer.write(65280, fields).has_value());
    }
    const auto r = decode_fit(writer.finish());
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    ASSERT_EQ(r->messages.size(), 40U);
    for (std::size_t i = 0; i < 40; ++i) {
        const double n = static_cast<double>(i % 20);
        EXPECT_EQ(r->messages[i].fields.at(0).value, n * (i < 20 ? 3 : 5));
    }
}

TEST(FitWriter, RejectsWhatItCannotEncode) {
    FitWriter writer;
    auto r = writer.write(65000, {OutField::scalar(1, 5)});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::InvalidValue);
    r = writer.write(mesg::record, {OutField::scalar(3, 300)}); // heart_rate is uint8
    ASSERT_FALSE(r.has_value());
    r = writer.write(mesg::record, {OutField::string(3, "x")});
    ASSERT_FALSE(r.has_value());
    r = writer.write(mesg::record, {OutField::array(3, std::vector<double>(300, 1.0))});
    ASSERT_FALSE(r.has_value());
    // A failed write leaves nothing behind: the file still decodes.
    const auto empty = decode_fit(writer.finish());
    ASSERT_TRUE(empty.has_value()) << empty.error().describe();
    EXPECT_TRUE(empty->messages.empty());
}

TEST(FitWriter, DeveloperFieldsRoundTrip) {
    FitWriter writer;
    DeveloperFieldDescription power;
    power.developer_data_index = 0;
    power.field_definition_number = 3;
    power.base_type = BaseType::UInt16;
    power.name = "Form Power";
    power.units = "W";
    DeveloperFieldDescription ground = power;
    ground.field_definition_number = 7;
    ground.name = "Ground Time";
    ground.units = "ms";
    ground.scale = 10;
    ASSERT_TRUE(writer.declare_developer_field(power).has_value());
    ASSERT_TRUE(writer.declare_developer_field(ground).has_value());
    ASSERT_TRUE(
        writer
            .write(mesg::record, {OutField::scalar(253, 1000), OutField::scalar(3, 150),
                                  OutField::developer(0, 3, 245), OutField::developer(0, 7, 231.4)})
            .has_value());
    // Undeclared developer fields and descriptions that cannot be encoded are refused.
    EXPECT_FALSE(writer.write(mesg::record, {OutField::developer(1, 3, 1)}).has_value());
    DeveloperFieldDescription bad = power;
    bad.scale = 0.5;
    EXPECT_FALSE(writer.declare_developer_field(bad).has_value());

    const auto r = decode_fit(writer.finish());
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    ASSERT_EQ(r->developer_fields.size(), 2U);
    EXPECT_EQ(r->developer_fields[1].name, "Ground Time");
    EXPECT_EQ(r->developer_fields[1].scale, 10);
    const Message& rec = r->messages.back();
    ASSERT_EQ(rec.name, "record");
    std::vector<std::pair<std::string_view, double>> dev;
    for (const Field& f : rec.fields) {
        if (f.source == FieldSource::Developer) {
            dev.emplace_back(f.name, f.value);
            EXPECT_EQ(f.units, f.name == "Form Power" ? "W" : "ms");
        }
    }
    ASSERT_EQ(dev.size(), 2U);
    EXPECT_EQ(dev[0].first, "Form Power");
    EXPECT_DOUBLE_EQ(dev[0].second, 245);
    EXPECT_EQ(dev[1].first, "Ground Time");
    EXPECT_DOUBLE_EQ(dev[1].second, 231.4);
}

TEST(FitWriter, EmptyFileIsValid) {
    FitWriter writer;
    const Bytes bytes = writer.finish();
    EXPECT_EQ(bytes.size(), 16U);
    const auto r = decode_fit(bytes);
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    EXPECT_TRUE(r->messages.empty());
}

} // namespace
} // namespace hearth::formats::fit
