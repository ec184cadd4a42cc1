#include "common/iso8601.h"

#include <array>
#include <cstdio>

namespace hearth::formats {

namespace {

constexpr std::int64_t us_per_s = 1'000'000;

bool is_leap(std::int64_t year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned days_in_month(std::int64_t year, unsigned month) {
    constexpr std::array<unsigned, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29U : days[month - 1];
}

// The proleptic Gregorian calendar arithmetic follows Howard Hinnant's public-domain derivation
// "chrono-Compatible Low-Level Date Algorithms" (era of 400 years, March-based year).
struct Civil {
    std::int64_t year;
    unsigned month;
    unsigned day;
};

Civil civil_from_days(std::int64_t days) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned day = doy - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
    return {year, month, day};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// A cursor over the text that reads fixed-width digit fields.
class Cursor {
public:
    explicit Cursor(std::string_view text) : m_text(text) {}

    bool digits(std::size_t count, unsigned& out) {
        if (m_pos + count > m_text.size()) {
            return false;
        }
        unsigned value = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const char c = m_text[m_pos + i];
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + static_cast<unsigned>(c - '0');
        }
        m_pos += count;
        out = value;
        return true;
    }

    bool accept(char c) {
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    [[nodiscard]] bool at_digit() const {
        return m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9';
    }
    [[nodiscard]] bool done() const { return m_pos == m_text.size(); }
    [[nodiscard]] char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

std::string_view trim(std::string_view text) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

std::optional<UtcTime> fail(std::string* why, const char* reason) {
    if (why != nullptr) {
        *why = reason;
    }
    return std::nullopt;
}

} // namespace

std::int64_t UtcTime::unix_ms() const {
    return floor_div(unix_us, 1000);
}

double UtcTime::unix_s() const {
    return static_cast<double>(unix_us) / 1e6;
}

std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yoe = static_cast<unsigned>(year - era * 400);
    const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<UtcTime> parse_iso8601(std::string_view text, std::string* why) {
    Cursor in(trim(text));
    unsigned year = 0;
    unsigned month = 0;
    unsigned day = 0;
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;
    if (!in.digits(4, year) || !in.accept('-') || !in.digits(2, month) || !in.accept('-') ||
        !in.digits(2, day)) {
        return fail(why, "expected a date YYYY-MM-DD");
    }
    if (!in.accept('T') && !in.accept('t') && !in.accept(' ')) {
        return fail(why, "expected 'T' between date and time");
    }
    if (!in.digits(2, hour) || !in.accept(':') || !in.digits(2, minute)) {
        return fail(why, "expected a time hh:mm:ss");
    }
    // ISO 8601 allows leaving out the seconds (`10:15Z`); a few route planners do.
    const bool has_seconds = in.accept(':');
    if (has_seconds && !in.digits(2, second)) {
        return fail(why, "expected seconds after hh:mm:");
    }
    if (year < 1) {
        return fail(why, "year 0000 out of range");
    }
    if (month < 1 || month > 12) {
        return fail(why, "month out of range");
    }
    if (day < 1 || day > days_in_month(year, month)) {
        return fail(why, "day out of range for the month");
    }
    // 24:00:00 is ISO 8601's end of day; 60 is a leap second.
    if (hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute != 0 || second != 0))) {
        return fail(why, "time of day out of range");
    }
    std::int64_t fraction_us = 0;
    if (has_seconds && (in.accept('.') || in.accept(','))) {
        if (!in.at_digit()) {
            return fail(why, "expected digits after the decimal point");
        }
        std::int64_t scale = 100'000;
        while (in.at_digit()) {
            unsigned digit = 0;
            in.digits(1, digit);
            fraction_us += static_cast<std::int64_t>(digit) * scale;
            scale /= 10;
        }
    }
    std::int64_t offset_s = 0;
    if (in.accept('Z') || in.accept('z')) {
        // UTC
    } else if (in.peek() == '+' || in.peek() == '-') {
        const bool negative = in.peek() == '-';
        in.accept(in.peek());
        unsigned offset_h = 0;
        unsigned offset_min = 0;
        if (!in.digits(2, offset_h)) {
            return fail(why, "expected a zone offset +hh:mm");
        }
        if (in.accept(':')) {
            if (!in.digits(2, offset_min)) {
                return fail(why, "expected zone offset minutes");
            }
        } else if (in.at_digit() && !in.digits(2, offset_min)) {
            return fail(why, "expected zone offset minutes");
        }
        if (offset_h > 23 || offset_min > 59) {
            return fail(why, "zone offset out of range");
        }
        offset_s =
            (static_cast<std::int64_t>(offset_h) * 3600 + offset_min * 60) * (negative ? -1 : 1);
    }
    if (!in.done()) {
        return fail(why, "unexpected characters after the timestamp");
    }
    const std::int64_t days = days_from_civil(year, month, day);
    const std::int64_t seconds = days * 86400 + static_cast<std::int64_t>(hour) * 3600 +
                                 static_cast<std::int64_t>(minute) * 60 + second - offset_s;
    return UtcTime{seconds * us_per_s + fraction_us};
}

std::string format_iso8601(UtcTime time) {
    const std::int64_t seconds = floor_div(time.unix_us, us_per_s);
    const std::int64_t fraction_us = time.unix_us - seconds * us_per_s;
    const std::int64_t days = floor_div(seconds, 86400);
    const std::int64_t second_of_day = seconds - days * 86400;
    const Civil civil = civil_from_days(days);
    std::array<char, 64> buffer{};
    int length =
        std::snprintf(buffer.data(), buffer.size(), "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                      static_cast<long long>(civil.year), civil.month, civil.day,
                      static_cast<long long>(second_of_day / 3600),
                      static_cast<long long>(second_of_day / 60 % 60),
                      static_cast<long long>(second_of_day % 60));
    std::string out(buffer.data(), static_cast<std::size_t>(length));
    if (fraction_us != 0) {
        if (fraction_us % 1000 == 0) {
            length = std::snprintf(buffer.data(), buffer.size(), ".%03lld",
                                   static_cast<long long>(fraction_us / 1000));
        } else {
            length = std::snprintf(buffer.data(), buffer.size(), ".%06lld",
                                   static_cast<long long>(fraction_us));
        }
        out.append(buffer.data(), static_cast<std::size_t>(length));
    }
    out += 'Z';
    return out;
}

} // namespace hearth::formats
