#pragma once

// ISO 8601 / XML Schema dateTime timestamps as used by GPX, TCX and similar exports, parsed to
// one UTC time type. Accepts `YYYY-MM-DDThh:mm[:ss[.fraction]][Z|+hh:mm|-hh:mm|+hhmm|+hh]`, a
// space instead of `T`, and a missing zone (read as UTC, as GPX 1.1 says times are UTC).
// Offsets are applied, so the result is always UTC. Fractions keep microsecond precision
// (further digits are truncated). Leap seconds (`:60`) are folded into the next second.
// Years 0001..9999; no heap except the returned error message and formatted strings.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hearth::formats {

// An instant on the UTC time line: microseconds since 1970-01-01T00:00:00Z, ignoring leap
// seconds (POSIX time). Negative before 1970. A plain value type; compare and subtract freely.
struct UtcTime {
    std::int64_t unix_us = 0;

    friend bool operator==(const UtcTime&, const UtcTime&) = default;
    friend std::strong_ordering operator<=>(const UtcTime& a, const UtcTime& b) {
        return a.unix_us <=> b.unix_us;
    }

    // Milliseconds / seconds since the epoch (floor for ms, so that times before 1970 order
    // correctly).
    [[nodiscard]] std::int64_t unix_ms() const;
    [[nodiscard]] double unix_s() const;

    static UtcTime from_unix_ms(std::int64_t unix_ms) { return UtcTime{unix_ms * 1000}; }
    static UtcTime from_unix_s(std::int64_t unix_s) { return UtcTime{unix_s * 1'000'000}; }
};

// Parses one timestamp; leading and trailing whitespace is ignored. On failure returns nullopt
// and, when `why` is given, a short reason ("month 13 out of range").
std::optional<UtcTime> parse_iso8601(std::string_view text, std::string* why = nullptr);

// Formats as `YYYY-MM-DDThh:mm:ss[.ffffff]Z`: the fraction is printed only when it is not
// zero, with 3 digits when the time is a whole millisecond and 6 otherwise, so that parsing the
// output gives back the same UtcTime.
std::string format_iso8601(UtcTime time);

// Days since 1970-01-01 for a proleptic Gregorian date (month 1..12, day 1..31), and back.
// Exposed for writers of other formats that carry civil dates.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

} // namespace hearth::formats
