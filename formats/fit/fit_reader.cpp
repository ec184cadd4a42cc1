#include "fit/fit_reader.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <deque>
#include <optional>
#include <string>

#include "fit/fit_crc.h"
#include "fit/fit_profile.h"

// File structure, record headers (normal and compressed timestamp), definition messages,
// developer fields, components and accumulation follow the Garmin FIT SDK documents "FIT
// Protocol" and "FIT File Types / Decoding"; behaviour on odd files (fields whose size is not a
// multiple of their base type, unterminated strings, chained files) matches what python-fitparse
// and the Go decoder tormoder/fit accept.

namespace hearth::formats::fit {

namespace {

constexpr std::size_t max_local_types = 16;

struct FieldSlot {
    std::uint8_t number = 0;
    std::uint8_t size = 0;
    std::uint8_t elem_size = 1;
    std::uint8_t count = 0;
    BaseType type = BaseType::Byte;
    std::uint64_t invalid = 0xFF; // the base type's invalid element, precomputed
    std::uint16_t offset = 0;     // from the first byte after the record header
    const FieldDef* def = nullptr;
    // Set the accumulator of this (message, field) from the field's own value (a component of
    // the same message accumulates into it with the same scale, e.g. hr.event_timestamp).
    bool seeds_accumulator = false;
};

struct DevSlot {
    std::uint8_t number = 0;
    std::uint8_t size = 0;
    std::uint8_t developer_data_index = 0;
    std::uint16_t offset = 0;
};

struct LocalDefinition {
    bool defined = false;
    bool big_endian = false;
    bool wanted = true;
    std::uint16_t global_number = 0;
    const MessageDef* message = nullptr;
    std::vector<FieldSlot> fields;
    std::vector<DevSlot> dev_fields;
    std::uint32_t data_size = 0;          // bytes after the record header
    int timestamp_slot = -1;              // index in fields of a uint32 field 253
    std::vector<std::uint16_t> expanding; // indices in fields whose profile has components
    // Profile entries of the component targets, in the order of the expanding slots'
    // components (nullptr when the profile lacks the target).
    std::vector<const FieldDef*> component_targets;
    bool has_sub_fields = false;
    bool has_enums = false;
};

struct Accumulator {
    std::uint32_t key = 0; // global << 8 | field
    std::uint64_t value = 0;
};

struct DevDescription {
    std::uint16_t key = 0; // developer_data_index << 8 | field number
    std::size_t index = 0; // into the public description list
    std::string_view name;
    std::string_view units;
};

// One element of 1, 2, 4 or 8 bytes (other sizes only come from byte-typed fields, read one
// byte at a time).
inline std::uint64_t read_uint(const std::uint8_t* p, std::uint8_t size, bool big_endian) {
    const bool swap = big_endian != (std::endian::native == std::endian::big);
    switch (size) {
    case 1:
        return p[0];
    case 2: {
        std::uint16_t v = 0;
        std::memcpy(&v, p, 2);
        return swap ? __builtin_bswap16(v) : v;
    }
    case 4: {
        std::uint32_t v = 0;
        std::memcpy(&v, p, 4);
        return swap ? __builtin_bswap32(v) : v;
    }
    case 8: {
        std::uint64_t v = 0;
        std::memcpy(&v, p, 8);
        return swap ? __builtin_bswap64(v) : v;
    }
    default:
        break;
    }
    std::uint64_t v = 0;
    if (big_endian) {
        for (std::uint8_t i = 0; i < size; ++i) {
            v = (v << 8) | p[i];
        }
    } else {
        for (std::uint8_t i = size; i > 0; --i) {
            v = (v << 8) | p[i - 1];
        }
    }
    return v;
}

std::uint16_t le16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint32_t le32(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
           (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

// The element as a number: sign-extended for signed types, reinterpreted for floats.
inline double raw_to_double(std::uint64_t raw, BaseType type, std::uint8_t size) {
    switch (type) {
    case BaseType::SInt8:
    case BaseType::SInt16:
    case BaseType::SInt32:
    case BaseType::SInt64: {
        const unsigned shift = 64U - 8U * size;
        return static_cast<double>(static_cast<std::int64_t>(raw << shift) >> shift);
    }
    case BaseType::Float32:
        return static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(raw)));
    case BaseType::Float64:
        return std::bit_cast<double>(raw);
    default:
        return static_cast<double>(raw);
    }
}

inline bool element_valid(std::uint64_t raw, std::uint64_t invalid, BaseType type,
                          std::uint8_t size) {
    if (raw == invalid) {
        return false;
    }
    if (type == BaseType::Float32 || type == BaseType::Float64) {
        return !std::isnan(raw_to_double(raw, type, size));
    }
    return true;
}

std::string hex16(std::uint16_t v) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out = "0x";
    for (int shift = 12; shift >= 0; shift -= 4) {
        out += digits[(v >> shift) & 0xF];
    }
    return out;
}

enum class Phase : std::uint8_t { Header, Records, Crc };

} // namespace

struct FitDecoder::Impl {
    DecodeOptions options;
    MessageVisitor message_visitor;
    HeaderVisitor header_visitor;
    HeaderVisitor file_end_visitor;
    std::vector<std::uint16_t> only;

    Phase phase = Phase::Header;
    std::vector<std::uint8_t> pending;
    std::uint64_t offset = 0; // stream offset of the next unconsumed byte
    std::uint64_t records = 0;
    std::uint64_t files = 0;
    bool any_input = false;
    std::optional<Error> failed;

    FileHeader header;
    std::uint64_t data_remaining = 0;
    std::uint16_t crc = 0;
    std::array<LocalDefinition, max_local_types> definitions;
    std::uint32_t last_timestamp = 0;
    std::vector<Accumulator> accumulators;

    std::vector<DeveloperFieldDescription> dev_fields;
    std::vector<DevDescription> dev_index;
    std::shared_ptr<std::deque<std::string>> strings = std::make_shared<std::deque<std::string>>();

    Message message;
    // message.fields[0, used) belong to the message being decoded; the elements past it are
    // kept from earlier messages so that their storage is reused instead of rebuilt.
    std::size_t used = 0;
    std::vector<const FieldDef*> field_defs; // parallel to message.fields
    std::array<std::uint8_t, 256> bit_buffer{};

    tl::unexpected<Error> fail(ErrorCode code, std::string text, std::uint64_t at) {
        failed = Error{code, std::move(text), "fit", at, std::nullopt};
        return tl::unexpected<Error>(*failed);
    }
    std::string record_label() const { return "record " + std::to_string(records + 1) + ": "; }

    Field& next_field(const FieldDef* def) {
        if (used == field_defs.size()) {
            field_defs.push_back(def);
        } else {
            field_defs[used] = def;
        }
        if (used < message.fields.size()) {
            Field& f = message.fields[used++];
            f.number = 0;
            f.name = {};
            f.units = {};
            f.base_type = BaseType::Byte;
            f.source = FieldSource::Defined;
            f.developer_data_index = 0;
            f.valid = false;
            f.value = std::numeric_limits<double>::quiet_NaN();
            f.raw = 0;
            f.values.clear();
            f.text.clear();
            f.enum_name = {};
            f.parent_name = {};
            return f;
        }
        ++used;
        return message.fields.emplace_back();
    }
    Field* find_used(std::uint8_t number) {
        for (std::size_t i = 0; i < used; ++i) {
            Field& f = message.fields[i];
            if (f.number == number && f.source != FieldSource::Developer) {
                return &f;
            }
        }
        return nullptr;
    }

    Result<std::size_t> step(std::span<const std::uint8_t> buf);
    Result<std::size_t> read_header(std::span<const std::uint8_t> buf);
    Result<std::size_t> read_definition(std::span<const std::uint8_t> buf);
    void decode_data(const LocalDefinition& def, const std::uint8_t* body,
                     std::optional<std::uint32_t> compressed_timestamp);
    void decode_field(Field& field, const FieldSlot& slot, const std::uint8_t* p, bool big_endian,
                      double scale, double offset_value);
    void expand_components(const LocalDefinition& def, const std::uint8_t* body);
    void apply_sub_fields();
    void apply_enum_names();
    std::uint64_t accumulate(std::uint32_t key, std::uint64_t value, std::uint8_t bits);
    void seed_accumulator(std::uint32_t key, std::uint64_t value);
    void register_developer_field();
    const DevDescription* find_dev(std::uint8_t index, std::uint8_t number) const;
};

Result<std::size_t> FitDecoder::Impl::read_header(std::span<const std::uint8_t> buf) {
    if (buf.empty()) {
        return 0;
    }
    const std::uint8_t size = buf[0];
    if (size < 12) {
        return fail(ErrorCode::BadHeader,
                    "file header size " + std::to_string(size) + " (must be 12 or 14)", offset);
    }
    // The signature is checked as soon as it is there, so garbage fails as a bad header
    // rather than as a truncated one.
    if (buf.size() >= 12 && std::memcmp(buf.data() + 8, ".FIT", 4) != 0) {
        return fail(ErrorCode::BadHeader, "file header has no \".FIT\" signature", offset);
    }
    if (buf.size() < size) {
        return 0;
    }
    header = FileHeader{};
    header.header_size = size;
    header.protocol_version = buf[1];
    header.profile_version = le16(buf.data() + 2);
    header.data_size = le32(buf.data() + 4);
    header.offset = offset;
    if (size >= 14) {
        header.header_crc = le16(buf.data() + 12);
        if (*header.header_crc != 0 && options.crc == CrcCheck::Verify) {
            const std::uint16_t computed = crc16(0, buf.first(12));
            if (computed != *header.header_crc) {
                return fail(ErrorCode::BadCrc,
                            "file header CRC " + hex16(*header.header_crc) +
                                " does not match computed " + hex16(computed),
                            offset);
            }
        }
    }
    if ((header.protocol_version >> 4) > 2) {
        return fail(ErrorCode::BadHeader,
                    "unsupported protocol version " + std::to_string(header.protocol_version >> 4),
                    offset);
    }
    crc = crc16(0, buf.first(size));
    data_remaining = header.data_size;
    for (auto& def : definitions) {
        def = LocalDefinition{};
    }
    accumulators.clear();
    last_timestamp = 0;
    ++files;
    phase = data_remaining == 0 ? Phase::Crc : Phase::Records;
    if (header_visitor) {
        header_visitor(header);
    }
    return std::size_t{size};
}

Result<std::size_t> FitDecoder::Impl::read_definition(std::span<const std::uint8_t> buf) {
    if (buf.size() < 6) {
        return 0;
    }
    const std::uint8_t record_header = buf[0];
    const bool has_dev = (record_header & 0x20) != 0;
    const std::uint8_t arch = buf[2];
    const std::size_t num_fields = buf[5];
    std::size_t need = 6 + 3 * num_fields;
    std::size_t num_dev = 0;
    if (has_dev) {
        if (buf.size() < need + 1) {
            return 0;
        }
        num_dev = buf[need];
        need += 1 + 3 * num_dev;
    }
    if (need > data_remaining) {
        return fail(ErrorCode::InvalidValue,
                    record_label() + "definition message runs past the end of the data (" +
                        std::to_string(data_remaining) + " bytes left)",
                    offset);
    }
    if (buf.size() < need) {
        return 0;
    }
    if (arch > 1) {
        return fail(ErrorCode::InvalidValue,
                    record_label() + "bad definition: architecture byte " + std::to_string(arch),
                    offset);
    }
    LocalDefinition& def = definitions[record_header & 0x0F];
    def = LocalDefinition{};
    def.defined = true;
    def.big_endian = arch == 1;
    def.global_number = def.big_endian ? static_cast<std::uint16_t>((buf[3] << 8) | buf[4])
                                       : static_cast<std::uint16_t>(buf[3] | (buf[4] << 8));
    def.message = find_message(def.global_number);
    def.wanted =
        only.empty() || std::find(only.begin(), only.end(), def.global_number) != only.end();
    const bool internal = def.global_number == mesg::field_description;
    std::uint32_t pos = 0;
    def.fields.reserve(num_fields);
    for (std::size_t i = 0; i < num_fields; ++i) {
        const std::uint8_t* triple = buf.data() + 6 + 3 * i;
        FieldSlot slot;
        slot.number = triple[0];
        slot.size = triple[1];
        slot.offset = static_cast<std::uint16_t>(pos);
        pos += slot.size;
        const auto type = parse_base_type(triple[2]);
        slot.type = type.value_or(BaseType::Byte);
        slot.elem_size = base_type_size(triple[2]).value_or(1);
        if (slot.size % slot.elem_size != 0) {
            // As fitparse: a size that is not a whole number of elements is read as bytes.
            slot.type = BaseType::Byte;
            slot.elem_size = 1;
        }
        slot.count = static_cast<std::uint8_t>(slot.size / slot.elem_size);
        slot.invalid = invalid_raw(slot.type);
        slot.def = def.message != nullptr ? find_field(*def.message, slot.number) : nullptr;
        if (slot.number == 253 && slot.type == BaseType::UInt32 && slot.count == 1) {
            def.timestamp_slot = static_cast<int>(def.fields.size());
        }
        if (slot.def != nullptr) {
            if (!slot.def->components.empty()) {
                def.expanding.push_back(static_cast<std::uint16_t>(def.fields.size()));
                for (const auto& c : slot.def->components) {
                    def.component_targets.push_back(find_field(*def.message, c.target_field));
                }
            }
            def.has_sub_fields = def.has_sub_fields || !slot.def->sub_fields.empty();
            def.has_enums = def.has_enums || slot.def->enum_type != EnumType::None;
            for (const auto& other : def.message->fields) {
                for (const auto& c : other.components) {
                    if (c.accumulate && c.target_field == slot.number &&
                        c.scale == slot.def->scale && c.offset == slot.def->offset) {
                        slot.seeds_accumulator = true;
                    }
                }
            }
        }
        def.fields.push_back(slot);
    }
    for (std::size_t i = 0; i < num_dev; ++i) {
        const std::uint8_t* triple = buf.data() + 6 + 3 * num_fields + 1 + 3 * i;
        DevSlot slot;
        slot.number = triple[0];
        slot.size = triple[1];
        slot.developer_data_index = triple[2];
        slot.offset = static_cast<std::uint16_t>(pos);
        pos += slot.size;
        def.dev_fields.push_back(slot);
    }
    def.data_size = pos;
    if (internal) {
        def.wanted = true; // decoded for the developer field table; visited only if asked for
    }
    return need;
}

std::uint64_t FitDecoder::Impl::accumulate(std::uint32_t key, std::uint64_t value,
                                           std::uint8_t bits) {
    const std::uint64_t mask = bits >= 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << bits) - 1);
    for (auto& acc : accumulators) {
        if (acc.key == key) {
            acc.value += (value - acc.value) & mask;
            return acc.value;
        }
    }
    accumulators.push_back({key, value});
    return value;
}

void FitDecoder::Impl::seed_accumulator(std::uint32_t key, std::uint64_t value) {
    for (auto& acc : accumulators) {
        if (acc.key == key) {
            acc.value = value;
            return;
        }
    }
    accumulators.push_back({key, value});
}

void FitDecoder::Impl::decode_field(Field& field, const FieldSlot& slot, const std::uint8_t* p,
                                    bool big_endian, double scale, double offset_value) {
    field.base_type = slot.type;
    if (slot.size == 0) {
        return;
    }
    if (slot.type == BaseType::String) {
        // Strings may lack their NUL terminator (seen in Wahoo files): take up to the first NUL
        // or the whole field.
        const auto* end = static_cast<const std::uint8_t*>(std::memchr(p, 0, slot.size));
        const std::size_t len = end != nullptr ? static_cast<std::size_t>(end - p) : slot.size;
        field.text.assign(reinterpret_cast<const char*>(p), len);
        field.valid = len > 0;
        return;
    }
    const bool plain = scale == 1.0 && offset_value == 0.0;
    if (slot.count == 1) {
        const std::uint64_t raw = read_uint(p, slot.elem_size, big_endian);
        field.raw = raw;
        field.valid = element_valid(raw, slot.invalid, slot.type, slot.elem_size);
        if (field.valid) {
            const double v = raw_to_double(raw, slot.type, slot.elem_size);
            field.value = plain ? v : v / scale - offset_value;
        }
        return;
    }
    field.values.resize(slot.count);
    for (std::uint8_t i = 0; i < slot.count; ++i) {
        const std::uint64_t raw =
            read_uint(p + static_cast<std::size_t>(i) * slot.elem_size, slot.elem_size, big_endian);
        if (i == 0) {
            field.raw = raw;
        }
        if (element_valid(raw, slot.invalid, slot.type, slot.elem_size)) {
            field.valid = true;
            const double v = raw_to_double(raw, slot.type, slot.elem_size);
            field.values[i] = plain ? v : v / scale - offset_value;
        } else {
            field.values[i] = std::numeric_limits<double>::quiet_NaN();
        }
    }
    field.value = field.values[0];
}

void FitDecoder::Impl::expand_components(const LocalDefinition& def, const std::uint8_t* body) {
    std::size_t target_index = 0;
    for (const std::uint16_t slot_index : def.expanding) {
        const FieldSlot& slot = def.fields[slot_index];
        const std::size_t first_target = target_index;
        target_index += slot.def->components.size();
        if (!message.fields[slot_index].valid || slot.type == BaseType::String || slot.size == 0) {
            continue;
        }
        // The source's elements laid out little-endian, so that bits are read LSB first.
        const std::uint8_t* p = body + slot.offset;
        for (std::size_t e = 0; e < slot.count; ++e) {
            for (std::size_t b = 0; b < slot.elem_size; ++b) {
                const std::size_t src = def.big_endian
                                            ? e * slot.elem_size + (slot.elem_size - 1 - b)
                                            : e * slot.elem_size + b;
                bit_buffer[e * slot.elem_size + b] = p[src];
            }
        }
        const std::size_t total_bits = static_cast<std::size_t>(slot.size) * 8;
        std::size_t bit_pos = 0;
        for (std::size_t ci = 0; ci < slot.def->components.size(); ++ci) {
            const ComponentDef& c = slot.def->components[ci];
            if (bit_pos + c.bits > total_bits) {
                break;
            }
            std::uint64_t v = 0;
            for (std::size_t b = 0; b < c.bits; ++b) {
                const std::size_t bit = bit_pos + b;
                v |= static_cast<std::uint64_t>((bit_buffer[bit / 8] >> (bit % 8)) & 1U) << b;
            }
            bit_pos += c.bits;
            const std::uint64_t all_ones =
                c.bits >= 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << c.bits) - 1);
            if (v == all_ones) {
                continue; // the component carries the invalid value
            }
            const std::uint32_t key =
                (static_cast<std::uint32_t>(def.global_number) << 8) | c.target_field;
            if (c.accumulate) {
                v = accumulate(key, v, c.bits);
            }
            const double physical = static_cast<double>(v) / c.scale - c.offset;
            const FieldDef* target = def.component_targets[first_target + ci];
            // A valid field of the same number decoded from the message itself wins.
            Field* existing = find_used(c.target_field);
            if (existing != nullptr && existing->source == FieldSource::Defined &&
                existing->valid) {
                continue;
            }
            if (existing != nullptr && existing->source == FieldSource::Component) {
                // Several components into one field make an array (hr.event_timestamp_12).
                if (existing->values.empty()) {
                    existing->values.push_back(existing->value);
                }
                existing->values.push_back(physical);
                continue;
            }
            Field* out = existing;
            if (out == nullptr) {
                out = &next_field(target);
            } else {
                *out = Field{};
                field_defs[static_cast<std::size_t>(out - message.fields.data())] = target;
            }
            out->number = c.target_field;
            out->source = FieldSource::Component;
            out->base_type = target != nullptr ? target->base_type : BaseType::UInt32;
            if (target != nullptr) {
                out->name = target->name;
                out->units = target->units;
            }
            out->raw = v;
            out->valid = true;
            out->value = physical;
        }
    }
}

void FitDecoder::Impl::apply_sub_fields() {
    for (std::size_t i = 0; i < used; ++i) {
        const FieldDef* def = field_defs[i];
        if (def == nullptr || def->sub_fields.empty()) {
            continue;
        }
        Field& field = message.fields[i];
        for (const SubFieldDef& s : def->sub_fields) {
            const Field* ref = find_used(s.ref_field);
            if (ref == nullptr || !ref->valid || ref->raw != s.ref_value) {
                continue;
            }
            field.parent_name = field.name;
            field.name = s.name;
            field.units = s.units;
            if (field.valid && !field.is_array() && field.base_type != BaseType::String) {
                const double v = raw_to_double(
                    field.raw, field.base_type,
                    base_type_size(static_cast<std::uint8_t>(field.base_type)).value_or(1));
                field.value = v / s.scale - s.offset;
            }
            if (s.enum_type != EnumType::None && field.valid) {
                field.enum_name = enum_name(s.enum_type, static_cast<std::uint32_t>(field.raw));
            }
            break;
        }
    }
}

void FitDecoder::Impl::apply_enum_names() {
    for (std::size_t i = 0; i < used; ++i) {
        const FieldDef* def = field_defs[i];
        Field& field = message.fields[i];
        if (def != nullptr && def->enum_type != EnumType::None && field.valid &&
            field.enum_name.empty() && field.name == def->name) {
            field.enum_name = enum_name(def->enum_type, static_cast<std::uint32_t>(field.raw));
        }
    }
}

const DevDescription* FitDecoder::Impl::find_dev(std::uint8_t index, std::uint8_t number) const {
    const auto key = static_cast<std::uint16_t>((index << 8) | number);
    for (const auto& d : dev_index) {
        if (d.key == key) {
            return &d;
        }
    }
    return nullptr;
}

void FitDecoder::Impl::register_developer_field() {
    const Field* index = message.field(std::uint8_t{0});
    const Field* number = message.field(std::uint8_t{1});
    if (index == nullptr || number == nullptr || !index->valid || !number->valid) {
        return; // a description without its key describes nothing
    }
    DeveloperFieldDescription desc;
    desc.developer_data_index = static_cast<std::uint8_t>(index->raw);
    desc.field_definition_number = static_cast<std::uint8_t>(number->raw);
    if (const Field* f = message.field(std::uint8_t{2}); f != nullptr && f->valid) {
        desc.base_type =
            parse_base_type(static_cast<std::uint8_t>(f->raw)).value_or(BaseType::Byte);
    }
    if (const Field* f = message.field(std::uint8_t{3}); f != nullptr) {
        desc.name = f->text;
    }
    if (const Field* f = message.field(std::uint8_t{8}); f != nullptr) {
        desc.units = f->text;
    }
    if (const Field* f = message.field(std::uint8_t{6}); f != nullptr && f->valid && f->value > 0) {
        desc.scale = f->value;
    }
    if (const Field* f = message.field(std::uint8_t{7}); f != nullptr && f->valid) {
        desc.offset = f->value;
    }
    if (const Field* f = message.field(std::uint8_t{14}); f != nullptr && f->valid) {
        desc.native_mesg_num = static_cast<std::uint16_t>(f->raw);
    }
    if (const Field* f = message.field(std::uint8_t{15}); f != nullptr && f->valid) {
        desc.native_field_num = static_cast<std::uint8_t>(f->raw);
    }
    strings->push_back(desc.name);
    const std::string_view name = strings->back();
    strings->push_back(desc.units);
    const std::string_view units = strings->back();
    const auto key =
        static_cast<std::uint16_t>((desc.developer_data_index << 8) | desc.field_definition_number);
    for (auto& d : dev_index) {
        if (d.key == key) {
            dev_fields[d.index] = std::move(desc);
            d.name = name;
            d.units = units;
            return;
        }
    }
    dev_index.push_back({key, dev_fields.size(), name, units});
    dev_fields.push_back(std::move(desc));
}

void FitDecoder::Impl::decode_data(const LocalDefinition& def, const std::uint8_t* body,
                                   std::optional<std::uint32_t> compressed_timestamp) {
    used = 0;
    message.global_number = def.global_number;
    message.name = def.message != nullptr ? def.message->name : std::string_view{};
    // One Field per slot (even empty ones) so that slot indices index message.fields.
    for (const FieldSlot& slot : def.fields) {
        Field& field = next_field(slot.def);
        field.number = slot.number;
        double scale = 1.0;
        double offset_value = 0.0;
        if (slot.def != nullptr) {
            field.name = slot.def->name;
            field.units = slot.def->units;
            // The profile's scale applies to numbers; a field sent as bytes stays raw.
            if (slot.type != BaseType::Byte || slot.def->base_type == BaseType::Byte) {
                scale = slot.def->scale;
                offset_value = slot.def->offset;
            }
        }
        decode_field(field, slot, body + slot.offset, def.big_endian, scale, offset_value);
        if (slot.seeds_accumulator && field.valid) {
            const std::uint64_t last =
                field.is_array()
                    ? read_uint(body + slot.offset +
                                    static_cast<std::size_t>(slot.count - 1) * slot.elem_size,
                                slot.elem_size, def.big_endian)
                    : field.raw;
            seed_accumulator((static_cast<std::uint32_t>(def.global_number) << 8) | slot.number,
                             last);
        }
    }
    if (compressed_timestamp) {
        if (find_used(253) == nullptr) {
            Field& field = next_field(nullptr);
            field.number = 253;
            field.name = "timestamp";
            field.units = "s";
            field.base_type = BaseType::UInt32;
            field.raw = *compressed_timestamp;
            field.valid = true;
            field.value = static_cast<double>(*compressed_timestamp);
        }
    } else if (def.timestamp_slot >= 0) {
        const Field* ts = find_used(253);
        if (ts != nullptr && ts->valid) {
            last_timestamp = static_cast<std::uint32_t>(ts->raw);
        }
    }
    if (options.expand_components && !def.expanding.empty()) {
        expand_components(def, body);
    }
    if (options.expand_components && def.has_sub_fields) {
        apply_sub_fields();
    }
    if (def.has_enums || def.has_sub_fields) {
        apply_enum_names();
    }
    for (const DevSlot& slot : def.dev_fields) {
        if (slot.size == 0) {
            continue;
        }
        Field& field = next_field(nullptr);
        field.number = slot.number;
        field.source = FieldSource::Developer;
        field.developer_data_index = slot.developer_data_index;
        FieldSlot as_slot;
        as_slot.size = slot.size;
        double scale = 1.0;
        double offset_value = 0.0;
        const DevDescription* desc = find_dev(slot.developer_data_index, slot.number);
        if (desc != nullptr) {
            const DeveloperFieldDescription& d = dev_fields[desc->index];
            field.name = desc->name;
            field.units = desc->units;
            as_slot.type = d.base_type;
            as_slot.elem_size = base_type_size(static_cast<std::uint8_t>(d.base_type)).value_or(1);
            scale = d.scale;
            offset_value = d.offset;
        }
        if (as_slot.size % as_slot.elem_size != 0) {
            as_slot.type = BaseType::Byte;
            as_slot.elem_size = 1;
        }
        as_slot.count = static_cast<std::uint8_t>(as_slot.size / as_slot.elem_size);
        as_slot.invalid = invalid_raw(as_slot.type);
        decode_field(field, as_slot, body + slot.offset, def.big_endian, scale, offset_value);
    }
    message.fields.resize(used);
    if (def.global_number == mesg::field_description) {
        register_developer_field();
    }
}

Result<std::size_t> FitDecoder::Impl::step(std::span<const std::uint8_t> buf) {
    switch (phase) {
    case Phase::Header:
        return read_header(buf);
    case Phase::Crc: {
        if (buf.size() < 2) {
            return 0;
        }
        header.file_crc = le16(buf.data());
        if (options.crc == CrcCheck::Verify && header.file_crc != crc) {
            return fail(ErrorCode::BadCrc,
                        "file CRC " + hex16(header.file_crc) + " does not match computed " +
                            hex16(crc),
                        offset);
        }
        if (file_end_visitor) {
            file_end_visitor(header);
        }
        phase = Phase::Header;
        return std::size_t{2};
    }
    case Phase::Records:
        break;
    }
    if (buf.empty()) {
        return 0;
    }
    const std::uint8_t record_header = buf[0];
    std::size_t length = 0;
    if ((record_header & 0x80) == 0 && (record_header & 0x40) != 0) {
        auto r = read_definition(buf);
        if (!r || *r == 0) {
            return r;
        }
        length = *r;
    } else {
        const bool compressed = (record_header & 0x80) != 0;
        const std::uint8_t local = compressed
                                       ? static_cast<std::uint8_t>((record_header >> 5) & 0x03)
                                       : static_cast<std::uint8_t>(record_header & 0x0F);
        const LocalDefinition& def = definitions[local];
        if (!def.defined) {
            return fail(ErrorCode::UnknownMessage,
                        record_label() + "unknown local message type " + std::to_string(local),
                        offset);
        }
        length = 1 + static_cast<std::size_t>(def.data_size);
        if (length > data_remaining) {
            return fail(ErrorCode::InvalidValue,
                        record_label() + "data message of " + std::to_string(length) +
                            " bytes runs past the end of the data (" +
                            std::to_string(data_remaining) + " bytes left)",
                        offset);
        }
        if (buf.size() < length) {
            return 0;
        }
        std::optional<std::uint32_t> timestamp;
        if (compressed) {
            // Compressed header: a 5-bit offset from the last full timestamp, rolling over.
            const std::uint32_t time_offset = record_header & 0x1FU;
            std::uint32_t t = (last_timestamp & ~0x1FU) + time_offset;
            if (time_offset < (last_timestamp & 0x1FU)) {
                t += 0x20;
            }
            last_timestamp = t;
            timestamp = t;
        }
        if (def.wanted) {
            message.local_type = local;
            message.offset = offset;
            decode_data(def, buf.data() + 1, timestamp);
            if (message_visitor && (only.empty() || std::find(only.begin(), only.end(),
                                                              def.global_number) != only.end())) {
                message_visitor(message);
            }
        } else if (!compressed && def.timestamp_slot >= 0) {
            const FieldSlot& slot = def.fields[static_cast<std::size_t>(def.timestamp_slot)];
            const std::uint64_t raw = read_uint(buf.data() + 1 + slot.offset, 4, def.big_endian);
            if (raw != 0xFFFFFFFF) {
                last_timestamp = static_cast<std::uint32_t>(raw);
            }
        }
    }
    crc = crc16(crc, buf.first(length));
    data_remaining -= length;
    ++records;
    if (data_remaining == 0) {
        phase = Phase::Crc;
    }
    return length;
}

FitDecoder::FitDecoder(DecodeOptions options) : m_impl(std::make_unique<Impl>()) {
    m_impl->options = options;
}
FitDecoder::~FitDecoder() = default;
FitDecoder::FitDecoder(FitDecoder&&) noexcept = default;
FitDecoder& FitDecoder::operator=(FitDecoder&&) noexcept = default;

void FitDecoder::on_message(MessageVisitor visitor) {
    m_impl->message_visitor = std::move(visitor);
}
void FitDecoder::on_file_header(HeaderVisitor visitor) {
    m_impl->header_visitor = std::move(visitor);
}
void FitDecoder::on_file_end(HeaderVisitor visitor) {
    m_impl->file_end_visitor = std::move(visitor);
}
void FitDecoder::only_messages(std::vector<std::uint16_t> global_numbers) {
    m_impl->only = std::move(global_numbers);
}

Result<void> FitDecoder::feed(std::span<const std::uint8_t> bytes) {
    Impl& d = *m_impl;
    if (d.failed) {
        return tl::unexpected<Error>(*d.failed);
    }
    if (!bytes.empty()) {
        d.any_input = true;
    }
    std::span<const std::uint8_t> input = bytes;
    const bool buffered = !d.pending.empty();
    if (buffered) {
        d.pending.insert(d.pending.end(), bytes.begin(), bytes.end());
        input = d.pending;
    }
    std::size_t pos = 0;
    while (pos < input.size()) {
        auto r = d.step(input.subspan(pos));
        if (!r) {
            return tl::unexpected<Error>(r.error());
        }
        if (*r == 0) {
            break;
        }
        pos += *r;
        d.offset += *r;
    }
    if (buffered) {
        d.pending.erase(d.pending.begin(), d.pending.begin() + static_cast<std::ptrdiff_t>(pos));
    } else {
        d.pending.assign(input.begin() + static_cast<std::ptrdiff_t>(pos), input.end());
    }
    return {};
}

Result<void> FitDecoder::finish() {
    Impl& d = *m_impl;
    if (d.failed) {
        return tl::unexpected<Error>(*d.failed);
    }
    if (!d.any_input) {
        d.failed = Error{ErrorCode::Empty, "no data", "fit", 0, std::nullopt};
        return tl::unexpected<Error>(*d.failed);
    }
    const std::uint64_t end = d.offset + d.pending.size();
    if (d.phase == Phase::Header && d.pending.empty()) {
        return {};
    }
    std::string where;
    switch (d.phase) {
    case Phase::Header:
        where = "inside a file header";
        break;
    case Phase::Records:
        where = d.records == 0 ? "before the first record"
                               : "inside record " + std::to_string(d.records + 1) + " (" +
                                     std::to_string(d.data_remaining) + " bytes of data missing)";
        break;
    case Phase::Crc:
        where = "before the file CRC";
        break;
    }
    d.failed = Error{ErrorCode::Truncated, "file ends " + where, "fit", end, std::nullopt};
    return tl::unexpected<Error>(*d.failed);
}

const std::vector<DeveloperFieldDescription>& FitDecoder::developer_fields() const {
    return m_impl->dev_fields;
}
std::uint64_t FitDecoder::bytes_consumed() const {
    return m_impl->offset;
}
std::uint64_t FitDecoder::records_decoded() const {
    return m_impl->records;
}

std::shared_ptr<const void> FitDecoder::string_storage() const {
    return m_impl->strings;
}

Result<void> decode_fit_stream(std::istream& in, FitDecoder& decoder) {
    std::vector<std::uint8_t> chunk(1 << 16);
    while (in) {
        in.read(reinterpret_cast<char*>(chunk.data()), static_cast<std::streamsize>(chunk.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        if (n == 0) {
            break;
        }
        if (auto r = decoder.feed(std::span<const std::uint8_t>(chunk.data(), n)); !r) {
            return r;
        }
    }
    if (in.bad()) {
        return make_error("fit", ErrorCode::Io, "stream read failed", decoder.bytes_consumed());
    }
    return decoder.finish();
}

Result<FitFile> decode_fit(std::span<const std::uint8_t> bytes, DecodeOptions options) {
    FitFile file;
    FitDecoder decoder(options);
    decoder.on_file_header([&](const FileHeader& h) { file.files.push_back(h); });
    decoder.on_file_end([&](const FileHeader& h) {
        if (!file.files.empty()) {
            file.files.back() = h;
        }
    });
    decoder.on_message([&](const Message& m) { file.messages.push_back(m); });
    auto r = decoder.feed(bytes);
    if (r) {
        r = decoder.finish();
    }
    file.developer_fields = decoder.developer_fields();
    file.string_storage = decoder.string_storage();
    if (!r) {
        if (options.on_error == ErrorMode::Strict) {
            return tl::unexpected<Error>(r.error());
        }
        file.error = r.error();
    }
    return file;
}

const Field* Message::field(std::string_view field_name) const {
    for (const auto& f : fields) {
        if (f.name == field_name) {
            return &f;
        }
    }
    for (const auto& f : fields) {
        if (!f.parent_name.empty() && f.parent_name == field_name) {
            return &f;
        }
    }
    return nullptr;
}

const Field* Message::field(std::uint8_t field_number) const {
    for (const auto& f : fields) {
        if (f.number == field_number && f.source != FieldSource::Developer) {
            return &f;
        }
    }
    return nullptr;
}

std::optional<double> Message::value(std::string_view field_name) const {
    const Field* f = field(field_name);
    if (f == nullptr || !f->valid || std::isnan(f->value)) {
        return std::nullopt;
    }
    return f->value;
}

std::optional<std::uint32_t> Message::timestamp() const {
    const Field* f = field(std::uint8_t{253});
    if (f == nullptr || !f->valid) {
        return std::nullopt;
    }
    return static_cast<std::uint32_t>(f->raw);
}

std::optional<std::int32_t> utc_offset_s(const Message& activity) {
    const auto utc = activity.timestamp();
    const Field* local = activity.field(std::uint8_t{5});
    if (!utc || local == nullptr || !local->valid) {
        return std::nullopt;
    }
    return static_cast<std::int32_t>(static_cast<std::int64_t>(local->raw) -
                                     static_cast<std::int64_t>(*utc));
}

std::vector<const Message*> FitFile::messages_of(std::uint16_t global_number) const {
    std::vector<const Message*> out;
    for (const auto& m : messages) {
        if (m.global_number == global_number) {
            out.push_back(&m);
        }
    }
    return out;
}

} // namespace hearth::formats::fit
