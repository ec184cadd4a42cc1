#include "fit/fit_writer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "fit/fit_crc.h"
#include "fit/fit_profile.h"

// Layout of what is written follows the FIT protocol document: 14-byte header with CRC, normal
// record headers (no compressed timestamps, so any reader handles the output), definition
// messages before first use of a layout, file CRC over header and records.

namespace hearth::formats::fit {

namespace {

tl::unexpected<Error> writer_error(std::string message) {
    return make_error("fit", ErrorCode::InvalidValue, std::move(message));
}

void put(std::vector<std::uint8_t>& out, std::uint64_t value, std::size_t size, Endian endian) {
    for (std::size_t i = 0; i < size; ++i) {
        const std::size_t shift = endian == Endian::Little ? i : size - 1 - i;
        out.push_back(static_cast<std::uint8_t>(value >> (8 * shift)));
    }
}

// The raw bits of one element, or nullopt when the value does not fit the base type (the
// invalid value itself counts as not fitting).
std::optional<std::uint64_t> encode_element(double raw, BaseType type, std::size_t size) {
    if (type == BaseType::Float32) {
        return std::bit_cast<std::uint32_t>(static_cast<float>(raw));
    }
    if (type == BaseType::Float64) {
        return std::bit_cast<std::uint64_t>(raw);
    }
    const double rounded = std::nearbyint(raw);
    const unsigned bits = static_cast<unsigned>(8 * size);
    if (is_signed(type)) {
        const double max = std::ldexp(1.0, static_cast<int>(bits - 1)) - 1;
        const double min = -std::ldexp(1.0, static_cast<int>(bits - 1));
        if (rounded < min || rounded > max) {
            return std::nullopt;
        }
        const auto v = static_cast<std::int64_t>(rounded);
        const std::uint64_t mask =
            bits >= 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << bits) - 1);
        const std::uint64_t out = static_cast<std::uint64_t>(v) & mask;
        return out == invalid_raw(type) ? std::nullopt : std::optional<std::uint64_t>(out);
    }
    const double max = std::ldexp(1.0, static_cast<int>(bits)) - 1;
    if (rounded < 0 || rounded > max) {
        return std::nullopt;
    }
    const auto out = static_cast<std::uint64_t>(rounded);
    return out == invalid_raw(type) ? std::nullopt : std::optional<std::uint64_t>(out);
}

// Appends one field's bytes: a NUL-terminated string, or its elements scaled to raw.
Result<void> encode_field(const OutField& field, BaseType type, double scale, double offset,
                          Endian endian, std::vector<std::uint8_t>& out) {
    const std::size_t elem = base_type_size(static_cast<std::uint8_t>(type)).value_or(1);
    if (type == BaseType::String) {
        if (!field.values.empty()) {
            return writer_error("field " + std::to_string(field.number) +
                                " is a string; numbers given");
        }
        if (field.text.size() + 1 > 255) {
            return writer_error("field " + std::to_string(field.number) +
                                ": string longer than 254 bytes");
        }
        out.insert(out.end(), field.text.begin(), field.text.end());
        out.push_back(0);
        return {};
    }
    if (!field.text.empty()) {
        return writer_error("field " + std::to_string(field.number) + " is numeric; text given");
    }
    const std::size_t count = std::max<std::size_t>(1, field.values.size());
    if (count * elem > 255) {
        return writer_error("field " + std::to_string(field.number) + ": more than 255 bytes");
    }
    for (std::size_t i = 0; i < count; ++i) {
        const double v =
            i < field.values.size() ? field.values[i] : std::numeric_limits<double>::quiet_NaN();
        std::uint64_t raw = invalid_raw(type);
        if (!std::isnan(v)) {
            const auto encoded = encode_element((v + offset) * scale, type, elem);
            if (!encoded) {
                return writer_error("field " + std::to_string(field.number) + ": value " +
                                    std::to_string(v) + " out of range for " +
                                    std::string(to_string(type)));
            }
            raw = *encoded;
        }
        put(out, raw, elem, endian);
    }
    return {};
}

} // namespace

FitWriter::FitWriter(WriterOptions options) : m_options(options) {}

Result<void> FitWriter::write(std::uint16_t global_number, std::span<const OutField> fields) {
    const Endian endian = m_options.architecture;
    std::vector<std::uint8_t> layout;
    std::vector<std::uint8_t> dev_layout;
    std::vector<std::uint8_t> body;
    std::vector<std::uint8_t> dev_body;
    layout.reserve(fields.size() * 3);
    const auto in_message = [&](Result<void> r) -> Result<void> {
        if (!r) {
            r.error().message =
                "message " + std::to_string(global_number) + " " + r.error().message;
        }
        return r;
    };
    for (const OutField& field : fields) {
        if (field.developer_data_index) {
            const auto it =
                std::find_if(m_developer_fields.begin(), m_developer_fields.end(),
                             [&](const DeveloperFieldDescription& d) {
                                 return d.developer_data_index == *field.developer_data_index &&
                                        d.field_definition_number == field.number;
                             });
            if (it == m_developer_fields.end()) {
                return writer_error("developer field " + std::to_string(field.number) +
                                    " of developer data index " +
                                    std::to_string(*field.developer_data_index) +
                                    " was not declared");
            }
            const std::size_t start = dev_body.size();
            if (auto r = in_message(
                    encode_field(field, it->base_type, it->scale, it->offset, endian, dev_body));
                !r) {
                return r;
            }
            dev_layout.push_back(field.number);
            dev_layout.push_back(static_cast<std::uint8_t>(dev_body.size() - start));
            dev_layout.push_back(*field.developer_data_index);
            continue;
        }
        const FieldDef* def = find_field(global_number, field.number);
        if (def == nullptr && !field.base_type) {
            return writer_error("message " + std::to_string(global_number) + " field " +
                                std::to_string(field.number) +
                                ": not in the profile, give its base type");
        }
        const BaseType type =
            field.base_type.value_or(def != nullptr ? def->base_type : BaseType::Byte);
        const double scale = (def != nullptr && !field.raw) ? def->scale : 1.0;
        const double offset = (def != nullptr && !field.raw) ? def->offset : 0.0;
        const std::size_t start = body.size();
        if (auto r = in_message(encode_field(field, type, scale, offset, endian, body)); !r) {
            return r;
        }
        layout.push_back(field.number);
        layout.push_back(static_cast<std::uint8_t>(body.size() - start));
        layout.push_back(static_cast<std::uint8_t>(type));
    }
    if (layout.size() / 3 > 255 || dev_layout.size() / 3 > 255) {
        return writer_error("more than 255 fields in one message");
    }
    body.insert(body.end(), dev_body.begin(), dev_body.end());

    ++m_use_counter;
    std::size_t local = m_definitions.size();
    for (std::size_t i = 0; i < m_definitions.size(); ++i) {
        const Definition& d = m_definitions[i];
        if (d.global_number == global_number && d.layout == layout && d.dev_layout == dev_layout) {
            local = i;
            break;
        }
    }
    if (local == m_definitions.size()) {
        if (m_definitions.size() < 16) {
            m_definitions.push_back({});
        } else {
            // Reuse the least recently used local message type.
            local = 0;
            for (std::size_t i = 1; i < m_definitions.size(); ++i) {
                if (m_definitions[i].last_use < m_definitions[local].last_use) {
                    local = i;
                }
            }
        }
        Definition& d = m_definitions[local];
        d.global_number = global_number;
        d.layout = layout;
        d.dev_layout = dev_layout;
        m_records.push_back(
            static_cast<std::uint8_t>(0x40 | (dev_layout.empty() ? 0 : 0x20) | local));
        m_records.push_back(0);
        m_records.push_back(endian == Endian::Big ? 1 : 0);
        put(m_records, global_number, 2, endian);
        m_records.push_back(static_cast<std::uint8_t>(layout.size() / 3));
        m_records.insert(m_records.end(), layout.begin(), layout.end());
        if (!dev_layout.empty()) {
            m_records.push_back(static_cast<std::uint8_t>(dev_layout.size() / 3));
            m_records.insert(m_records.end(), dev_layout.begin(), dev_layout.end());
        }
    }
    m_definitions[local].last_use = m_use_counter;
    m_records.push_back(static_cast<std::uint8_t>(local));
    m_records.insert(m_records.end(), body.begin(), body.end());
    return {};
}

Result<void> FitWriter::declare_developer_field(const DeveloperFieldDescription& d) {
    if (d.scale < 1 || d.scale > 254 || d.scale != std::floor(d.scale) || d.offset < -127 ||
        d.offset > 126 || d.offset != std::floor(d.offset)) {
        return writer_error("developer field '" + d.name +
                            "': scale must be a whole 1..254 and offset a whole -127..126");
    }
    // Everything is checked before anything is written, so a refused declaration leaves no
    // half-written messages behind.
    if (d.name.size() > 254 || d.units.size() > 254) {
        return writer_error("developer field '" + d.name + "': name or units too long");
    }
    if (d.developer_data_index == 0xFF || d.field_definition_number == 0xFF ||
        d.native_field_num == std::uint8_t{0xFF} || d.native_mesg_num == std::uint16_t{0xFFFF}) {
        return writer_error("developer field '" + d.name + "': 255 is the invalid value");
    }
    if (std::find(m_developer_indices.begin(), m_developer_indices.end(), d.developer_data_index) ==
        m_developer_indices.end()) {
        if (auto r = write(mesg::developer_data_id, {OutField::scalar(3, d.developer_data_index)});
            !r) {
            return r;
        }
        m_developer_indices.push_back(d.developer_data_index);
    }
    std::vector<OutField> fields{
        OutField::scalar(0, d.developer_data_index),
        OutField::scalar(1, d.field_definition_number),
        OutField::scalar(2, static_cast<double>(static_cast<std::uint8_t>(d.base_type))),
        OutField::string(3, d.name),
        OutField::scalar(6, d.scale),
        OutField::scalar(7, d.offset),
    };
    if (!d.units.empty()) {
        fields.push_back(OutField::string(8, d.units));
    }
    if (d.native_mesg_num) {
        fields.push_back(OutField::scalar(14, *d.native_mesg_num));
    }
    if (d.native_field_num) {
        fields.push_back(OutField::scalar(15, *d.native_field_num));
    }
    if (auto r = write(mesg::field_description, fields); !r) {
        return r;
    }
    std::erase_if(m_developer_fields, [&](const DeveloperFieldDescription& e) {
        return e.developer_data_index == d.developer_data_index &&
               e.field_definition_number == d.field_definition_number;
    });
    m_developer_fields.push_back(d);
    return {};
}

std::vector<std::uint8_t> FitWriter::finish() {
    std::vector<std::uint8_t> out;
    out.reserve(14 + m_records.size() + 2);
    out.push_back(14);
    out.push_back(m_options.protocol_version);
    put(out, m_options.profile_version, 2, Endian::Little);
    put(out, m_records.size(), 4, Endian::Little);
    out.insert(out.end(), {'.', 'F', 'I', 'T'});
    put(out, crc16(0, out), 2, Endian::Little);
    out.insert(out.end(), m_records.begin(), m_records.end());
    put(out, crc16(0, out), 2, Endian::Little);
    m_records.clear();
    m_definitions.clear();
    m_use_counter = 0;
    m_developer_fields.clear();
    m_developer_indices.clear();
    return out;
}

} // namespace hearth::formats::fit
