#pragma once

// The FIT CRC: CRC-16 with polynomial 0x8005 reflected (0xA001), initial value 0, as in the FIT
// protocol document (CRC-16/ARC). Computed over the file header and the records; the file ends
// with it, little-endian. Table-driven, one byte at a time.

#include <array>
#include <cstdint>
#include <span>

namespace hearth::formats::fit {

namespace detail {
constexpr std::array<std::uint16_t, 256> make_crc_table() {
    std::array<std::uint16_t, 256> table{};
    for (unsigned i = 0; i < 256; ++i) {
        unsigned crc = i;
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc & 1U) != 0 ? (crc >> 1) ^ 0xA001U : crc >> 1;
        }
        table[i] = static_cast<std::uint16_t>(crc);
    }
    return table;
}
inline constexpr std::array<std::uint16_t, 256> crc_table = make_crc_table();
} // namespace detail

inline std::uint16_t crc16(std::uint16_t crc, std::span<const std::uint8_t> bytes) {
    for (const std::uint8_t b : bytes) {
        crc = static_cast<std::uint16_t>((crc >> 8) ^ detail::crc_table[(crc ^ b) & 0xFFU]);
    }
    return crc;
}

} // namespace hearth::formats::fit
