#pragma once

// FIT writer: encodes messages given by global message number and field number, with values
// in physical units (the profile's scale/offset are applied here: raw = (value + offset) *
// scale, rounded). Writes the 14-byte header with its CRC, definition messages as needed
// (local message types are assigned and reused automatically, up to 16 live definitions),
// data messages and the file CRC. The output decodes with decode_fit() to the same values
// (within the profile's resolution) and is readable by other FIT readers.
//
// Fields the profile does not know need an explicit base type (OutField::base_type). A NaN
// value, or an empty text, writes the base type's invalid value.
//
// Allocation: the writer owns a growing byte buffer; not thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"
#include "fit/fit_reader.h"
#include "fit/fit_types.h"

namespace hearth::formats::fit {

struct OutField {
    std::uint8_t number = 0;
    std::vector<double> values;        // one element, or several for an array field
    std::string text;                  // for string fields
    std::optional<BaseType> base_type; // required when the profile does not know the field
    // Writes `values` as they are (already raw), skipping scale/offset.
    bool raw = false;
    // Set for a developer field declared with FitWriter::declare_developer_field(); `number` is
    // then its field_definition_number, and its base type, scale and offset come from there.
    std::optional<std::uint8_t> developer_data_index;

    static OutField scalar(std::uint8_t field_number, double value) {
        OutField f;
        f.number = field_number;
        f.values = {value};
        return f;
    }
    static OutField array(std::uint8_t field_number, std::vector<double> elements) {
        OutField f;
        f.number = field_number;
        f.values = std::move(elements);
        return f;
    }
    static OutField string(std::uint8_t field_number, std::string value) {
        OutField f;
        f.number = field_number;
        f.text = std::move(value);
        return f;
    }
    static OutField developer(std::uint8_t developer_data_index, std::uint8_t field_number,
                              double value) {
        OutField f;
        f.number = field_number;
        f.values = {value};
        f.developer_data_index = developer_data_index;
        return f;
    }
};

enum class Endian : std::uint8_t { Little, Big };

struct WriterOptions {
    std::uint8_t protocol_version = 0x20; // 2.0
    std::uint16_t profile_version = 2132; // 21.32
    Endian architecture = Endian::Little;
};

class FitWriter {
public:
    explicit FitWriter(WriterOptions options = {});

    // Appends one data message (and a definition message first when its layout is new).
    // Errors: InvalidValue for an unknown field without base type, a string field given
    // numbers, or more than 255 bytes in a field.
    Result<void> write(std::uint16_t global_number, std::span<const OutField> fields);
    Result<void> write(std::uint16_t global_number, std::initializer_list<OutField> fields) {
        return write(global_number, std::span<const OutField>(fields.begin(), fields.size()));
    }

    // Declares a developer field: writes a developer_data_id message (once per
    // developer_data_index) and a field_description message. Its scale must be a whole number
    // in 1..254 and its offset in -127..126 (the field_description encoding); name and units
    // are kept. Errors: InvalidValue.
    Result<void> declare_developer_field(const DeveloperFieldDescription& description);

    // The complete file: header (with data size and header CRC), records, file CRC. The writer
    // can be reused afterwards for a new file.
    [[nodiscard]] std::vector<std::uint8_t> finish();

private:
    struct Definition {
        std::uint16_t global_number = 0;
        std::vector<std::uint8_t> layout;     // (field number, size, base type) triples
        std::vector<std::uint8_t> dev_layout; // (field number, size, developer index) triples
        std::uint64_t last_use = 0;
    };
    WriterOptions m_options;
    std::vector<std::uint8_t> m_records;
    std::vector<Definition> m_definitions; // index = local message type
    std::uint64_t m_use_counter = 0;
    std::vector<DeveloperFieldDescription> m_developer_fields;
    std::vector<std::uint8_t> m_developer_indices; // developer_data_id already written
};

} // namespace hearth::formats::fit
