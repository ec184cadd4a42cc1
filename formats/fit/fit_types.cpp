#include "fit/fit_types.h"

namespace hearth::formats::fit {

std::optional<BaseType> parse_base_type(std::uint8_t base_type_byte) {
    // The low five bits number the type; the endian bit (0x80) is implied by the number.
    switch (base_type_byte & 0x1F) {
    case 0x00:
        return BaseType::Enum;
    case 0x01:
        return BaseType::SInt8;
    case 0x02:
        return BaseType::UInt8;
    case 0x03:
        return BaseType::SInt16;
    case 0x04:
        return BaseType::UInt16;
    case 0x05:
        return BaseType::SInt32;
    case 0x06:
        return BaseType::UInt32;
    case 0x07:
        return BaseType::String;
    case 0x08:
        return BaseType::Float32;
    case 0x09:
        return BaseType::Float64;
    case 0x0A:
        return BaseType::UInt8z;
    case 0x0B:
        return BaseType::UInt16z;
    case 0x0C:
        return BaseType::UInt32z;
    case 0x0D:
        return BaseType::Byte;
    case 0x0E:
        return BaseType::SInt64;
    case 0x0F:
        return BaseType::UInt64;
    case 0x10:
        return BaseType::UInt64z;
    default:
        return std::nullopt;
    }
}

std::optional<std::uint8_t> base_type_size(std::uint8_t base_type_byte) {
    const auto type = parse_base_type(base_type_byte);
    if (!type) {
        return std::nullopt;
    }
    switch (*type) {
    case BaseType::Enum:
    case BaseType::SInt8:
    case BaseType::UInt8:
    case BaseType::String:
    case BaseType::UInt8z:
    case BaseType::Byte:
        return 1;
    case BaseType::SInt16:
    case BaseType::UInt16:
    case BaseType::UInt16z:
        return 2;
    case BaseType::SInt32:
    case BaseType::UInt32:
    case BaseType::Float32:
    case BaseType::UInt32z:
        return 4;
    case BaseType::Float64:
    case BaseType::SInt64:
    case BaseType::UInt64:
    case BaseType::UInt64z:
        return 8;
    }
    return std::nullopt;
}

std::string_view to_string(BaseType type) {
    switch (type) {
    case BaseType::Enum:
        return "enum";
    case BaseType::SInt8:
        return "sint8";
    case BaseType::UInt8:
        return "uint8";
    case BaseType::SInt16:
        return "sint16";
    case BaseType::UInt16:
        return "uint16";
    case BaseType::SInt32:
        return "sint32";
    case BaseType::UInt32:
        return "uint32";
    case BaseType::String:
        return "string";
    case BaseType::Float32:
        return "float32";
    case BaseType::Float64:
        return "float64";
    case BaseType::UInt8z:
        return "uint8z";
    case BaseType::UInt16z:
        return "uint16z";
    case BaseType::UInt32z:
        return "uint32z";
    case BaseType::Byte:
        return "byte";
    case BaseType::SInt64:
        return "sint64";
    case BaseType::UInt64:
        return "uint64";
    case BaseType::UInt64z:
        return "uint64z";
    }
    return "unknown";
}

bool is_signed(BaseType type) {
    return type == BaseType::SInt8 || type == BaseType::SInt16 || type == BaseType::SInt32 ||
           type == BaseType::SInt64;
}

bool is_float(BaseType type) {
    return type == BaseType::Float32 || type == BaseType::Float64;
}

std::uint64_t invalid_raw(BaseType type) {
    switch (type) {
    case BaseType::SInt8:
        return 0x7F;
    case BaseType::SInt16:
        return 0x7FFF;
    case BaseType::SInt32:
        return 0x7FFFFFFF;
    case BaseType::SInt64:
        return 0x7FFFFFFFFFFFFFFF;
    case BaseType::Enum:
    case BaseType::UInt8:
    case BaseType::Byte:
        return 0xFF;
    case BaseType::UInt16:
        return 0xFFFF;
    case BaseType::UInt32:
    case BaseType::Float32:
        return 0xFFFFFFFF;
    case BaseType::UInt64:
    case BaseType::Float64:
        return 0xFFFFFFFFFFFFFFFF;
    case BaseType::String:
    case BaseType::UInt8z:
    case BaseType::UInt16z:
    case BaseType::UInt32z:
    case BaseType::UInt64z:
        return 0;
    }
    return 0;
}

} // namespace hearth::formats::fit
