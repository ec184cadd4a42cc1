#pragma once

// The FIT CRC: CRC-16 with polynomial 0x8005 reflected (0xA001), initial value 0, as in the FIT
// protocol document (CRC-16/ARC). Computed over the file header and the records; the file ends
// with it, little-endian.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace hearth::formats::fit {

namespace detail {
// tables[0] is the byte table; tables[k][i] is the CRC of byte i followed by k zero bytes, so
// that eight input bytes are folded in with eight lookups ("slicing-by-8", Intel 2006).
using CrcTables = std::array<std::array<std::uint16_t, 256>, 8>;
constexpr CrcTables make_crc_tables() {
    CrcTables tables{};
    for (unsigned i = 0; i < 256; ++i) {
        unsigned crc = i;
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc & 1U) != 0 ? (crc >> 1) ^ 0xA001U : crc >> 1;
        }
        tables[0][i] = static_cast<std::uint16_t>(crc);
    }
    for (std::size_t k = 1; k < 8; ++k) {
        for (unsigned i = 0; i < 256; ++i) {
            const std::uint16_t prev = tables[k - 1][i];
            tables[k][i] = static_cast<std::uint16_t>((prev >> 8) ^ tables[0][prev & 0xFFU]);
        }
    }
    return tables;
}
inline constexpr CrcTables crc_tables = make_crc_tables();
} // namespace detail

inline std::uint16_t crc16(std::uint16_t crc, std::span<const std::uint8_t> bytes) {
    const auto& t = detail::crc_tables;
    const std::uint8_t* p = bytes.data();
    std::size_t n = bytes.size();
    while (n >= 8) {
        const unsigned x = crc ^ (static_cast<unsigned>(p[0]) | (static_cast<unsigned>(p[1]) << 8));
        crc = static_cast<std::uint16_t>(t[7][x & 0xFFU] ^ t[6][x >> 8] ^ t[5][p[2]] ^ t[4][p[3]] ^
                                         t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]]);
        p += 8;
        n -= 8;
    }
    for (; n > 0; --n, ++p) {
        crc = static_cast<std::uint16_t>((crc >> 8) ^ t[0][(crc ^ *p) & 0xFFU]);
    }
    return crc;
}

} // namespace hearth::formats::fit
