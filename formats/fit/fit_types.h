#pragma once

// FIT protocol basics shared by the reader, the writer and the profile: base types, their
// invalid values, and the FIT epoch. Source: Garmin FIT SDK "FIT Protocol" document
// (base type table, file structure) — facts only.

#include <cstdint>
#include <optional>
#include <string_view>

namespace hearth::formats::fit {

// Base type byte as it appears in a field definition (bit 7 = endian-capable).
enum class BaseType : std::uint8_t {
    Enum = 0x00,
    SInt8 = 0x01,
    UInt8 = 0x02,
    SInt16 = 0x83,
    UInt16 = 0x84,
    SInt32 = 0x85,
    UInt32 = 0x86,
    String = 0x07,
    Float32 = 0x88,
    Float64 = 0x89,
    UInt8z = 0x0A,
    UInt16z = 0x8B,
    UInt32z = 0x8C,
    Byte = 0x0D,
    SInt64 = 0x8E,
    UInt64 = 0x8F,
    UInt64z = 0x90,
};

// Size in bytes of one element; nullopt for a byte that names no base type.
std::optional<std::uint8_t> base_type_size(std::uint8_t base_type_byte);
// Canonical BaseType for a definition byte (bits 0-4 are the type number), nullopt if unknown.
std::optional<BaseType> parse_base_type(std::uint8_t base_type_byte);
std::string_view to_string(BaseType type);
bool is_signed(BaseType type);
bool is_float(BaseType type);
// The invalid ("no value") bit pattern of one element, as an unsigned 64-bit integer.
std::uint64_t invalid_raw(BaseType type);

// Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z).
inline constexpr std::int64_t fit_epoch_unix_s = 631065600;
inline constexpr std::int64_t fit_time_to_unix_s(std::uint32_t fit_s) {
    return static_cast<std::int64_t>(fit_s) + fit_epoch_unix_s;
}
// Semicircles (sint32, 2^31 = 180 degrees) to degrees.
inline constexpr double semicircles_to_deg(double semicircles) {
    return semicircles * (180.0 / 2147483648.0);
}
inline constexpr double deg_to_semicircles(double deg) {
    return deg * (2147483648.0 / 180.0);
}

} // namespace hearth::formats::fit
