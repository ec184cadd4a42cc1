#pragma once

// FIT reader: decodes the Garmin FIT binary format (protocol 1.0/2.0) from a byte buffer or a
// stream. Two levels:
//   - FitDecoder: streaming. feed() bytes in any chunk sizes; every data message is handed to a
//     visitor as a `const Message&` that is reused between calls (no allocation per record
//     once warm). Nothing is kept after the visitor returns, so a file of any length decodes in
//     bounded memory (definitions + developer field descriptions + one message).
//   - decode_fit(): convenience; all messages of all chained files collected in a FitFile.
// Values come out in physical units: raw / scale - offset, with the profile's units
// (fit_profile.h). Components (e.g. record.compressed_speed_distance -> speed + distance,
// record.speed -> enhanced_speed, event.data16 -> data) are expanded into extra fields, with
// accumulation where the profile says so; dynamic sub-fields are named (event.data ->
// timer_trigger, file_id.product -> garmin_product). Unknown messages and fields are kept by
// number with raw values. Developer fields are decoded using their field_description and keep
// their names and units.
//
// Errors (tl::expected, never exceptions or asserts on input) carry the byte offset in the
// whole stream and the record index: "fit: at byte 9876: record 412: unknown local message
// type 7". Codes: BadHeader, BadCrc, Truncated, UnknownMessage, InvalidValue (bad definition),
// Empty. Lenient mode (DecodeOptions::crc = CrcCheck::Skip and on_error = Lenient) keeps
// everything decoded before an error.
//
// Thread-safety: a FitDecoder is a plain value; use one per thread.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "fit/fit_types.h"

namespace hearth::formats::fit {

enum class FieldSource : std::uint8_t {
    Defined,   // a field of the data message as the definition lists it
    Component, // expanded from another field's bits (profile components)
    Developer, // a developer data field
};

// One decoded field. Numeric elements are scaled to physical units; `raw` keeps the wire value
// of the first element (after component bit extraction / accumulation) for exact comparisons.
struct Field {
    std::uint8_t number = 0; // field number (developer: field_definition_number)
    std::string_view name;   // profile / sub-field / developer name; "" if unknown
    std::string_view units;  // "" if none or unknown
    BaseType base_type = BaseType::Byte;
    FieldSource source = FieldSource::Defined;
    std::uint8_t developer_data_index = 0; // FieldSource::Developer only
    bool valid = false; // false when every element is the base type's invalid value
    double value = std::numeric_limits<double>::quiet_NaN(); // first element; NaN if invalid
    std::uint64_t raw = 0;      // first element as on the wire (two's complement for signed)
    std::vector<double> values; // every element when the field is an array (count > 1)
    std::string text;           // String base type: up to the first NUL (or all bytes)
    std::string_view enum_name; // profile name of an enum value ("running"), "" if none
    // When `name` is a dynamic sub-field's ("garmin_product", "avg_running_cadence"), the
    // profile field it stands for ("product", "avg_cadence"); "" otherwise.
    std::string_view parent_name;

    [[nodiscard]] bool is_array() const { return !values.empty(); }
};

struct Message {
    std::uint16_t global_number = 0;
    std::string_view name; // profile name ("record"), "" for unknown messages
    std::uint8_t local_type = 0;
    std::uint64_t offset = 0; // byte offset of the record header in the stream
    std::vector<Field> fields;

    // First field with that name / number (developer fields excluded by number), or nullptr.
    // A name also finds a field shown under one of its sub-field names: field("avg_cadence") is
    // the avg_running_cadence of a running lap.
    [[nodiscard]] const Field* field(std::string_view field_name) const;
    [[nodiscard]] const Field* field(std::uint8_t field_number) const;
    // The valid scaled value of a named field, or nullopt.
    [[nodiscard]] std::optional<double> value(std::string_view field_name) const;
    // Field 253 (timestamp, also set from compressed-timestamp headers) in FIT seconds.
    [[nodiscard]] std::optional<std::uint32_t> timestamp() const;
};

// A developer field as declared by a field_description message (206), with its
// developer_data_id (207) application.
struct DeveloperFieldDescription {
    std::uint8_t developer_data_index = 0;
    std::uint8_t field_definition_number = 0;
    BaseType base_type = BaseType::Byte;
    std::string name;
    std::string units;
    double scale = 1.0;
    double offset = 0.0;
    std::optional<std::uint16_t> native_mesg_num;
    std::optional<std::uint8_t> native_field_num;
};

struct FileHeader {
    std::uint8_t header_size = 14;
    std::uint8_t protocol_version = 0x20;
    std::uint16_t profile_version = 0;
    std::uint32_t data_size = 0;
    std::optional<std::uint16_t> header_crc; // 14-byte headers only; 0 means "not computed"
    std::uint16_t file_crc = 0;
    std::uint64_t offset = 0; // where this file starts in the stream
};

enum class CrcCheck : std::uint8_t { Verify, Skip };
enum class ErrorMode : std::uint8_t {
    Strict,  // stop and return the error
    Lenient, // stop at the error but keep (and return) what decoded before it
};

struct DecodeOptions {
    CrcCheck crc = CrcCheck::Verify;
    ErrorMode on_error = ErrorMode::Strict;
    // Expand components and name sub-fields (costs a little time per record).
    bool expand_components = true;
};

// A whole decoded stream: one entry in `files` per chained FIT file, messages in stream order.
struct FitFile {
    std::vector<FileHeader> files;
    std::vector<Message> messages;
    std::vector<DeveloperFieldDescription> developer_fields;
    // Lenient mode: the error that stopped decoding, if any (messages before it are kept).
    std::optional<Error> error;
    // Owns developer field names/units that Field::name/units point to; shared by copies.
    std::shared_ptr<const void> string_storage;

    // Messages with a given global number, in order.
    [[nodiscard]] std::vector<const Message*> messages_of(std::uint16_t global_number) const;
};

// The device's offset from UTC in seconds at the end of the activity, from an activity message
// (34): local_timestamp - timestamp. nullopt when either is missing.
std::optional<std::int32_t> utc_offset_s(const Message& activity);

// Decodes a complete byte buffer (one or more chained FIT files).
Result<FitFile> decode_fit(std::span<const std::uint8_t> bytes, DecodeOptions options = {});

// Streaming decoder. Usage:
//   FitDecoder dec(options);
//   dec.on_message([](const Message& m) { ... });   // the reference is valid during the call
//   while (read chunk) if (auto r = dec.feed(chunk); !r) handle(r.error());
//   if (auto r = dec.finish(); !r) handle(r.error());
class FitDecoder {
public:
    using MessageVisitor = std::function<void(const Message&)>;
    using HeaderVisitor = std::function<void(const FileHeader&)>;

    explicit FitDecoder(DecodeOptions options = {});
    ~FitDecoder();
    FitDecoder(FitDecoder&&) noexcept;
    FitDecoder& operator=(FitDecoder&&) noexcept;
    FitDecoder(const FitDecoder&) = delete;
    FitDecoder& operator=(const FitDecoder&) = delete;

    void on_message(MessageVisitor visitor);
    void on_file_header(HeaderVisitor visitor);
    // Called after each file's CRC was read (FileHeader::file_crc is set then).
    void on_file_end(HeaderVisitor visitor);
    // Only messages with these global numbers are decoded and visited (empty = all). Records
    // of other messages are skipped without field decoding (developer descriptions are always
    // read).
    void only_messages(std::vector<std::uint16_t> global_numbers);

    // Decodes as much as the bytes allow; an incomplete record is kept until the next feed().
    // After an error the decoder stays failed and returns the same error.
    Result<void> feed(std::span<const std::uint8_t> bytes);
    // Declares the end of the stream: Truncated if it ends inside a file, Empty if nothing was
    // fed.
    Result<void> finish();

    // Developer fields declared so far (all chained files).
    [[nodiscard]] const std::vector<DeveloperFieldDescription>& developer_fields() const;
    [[nodiscard]] std::uint64_t bytes_consumed() const;
    [[nodiscard]] std::uint64_t records_decoded() const;
    // Keeps the developer field names/units that visited Field::name/units point to alive
    // beyond the decoder's lifetime.
    [[nodiscard]] std::shared_ptr<const void> string_storage() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Streams a std::istream through a FitDecoder in 64 KiB chunks.
Result<void> decode_fit_stream(std::istream& in, FitDecoder& decoder);

} // namespace hearth::formats::fit
