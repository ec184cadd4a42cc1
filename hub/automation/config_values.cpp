#include "automation/config_values.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

namespace hearth::hub::automation {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

// Digits only (no sign), at most `max_digits`, whole text.
std::optional<long long> parse_unsigned(std::string_view text, std::size_t max_digits) {
    if (text.empty() || text.size() > max_digits) {
        return std::nullopt;
    }
    long long value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t at = text.find(separator, start);
        if (at == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, at - start));
        start = at + 1;
    }
}

} // namespace

std::optional<double> parse_number(std::string_view text) {
    text = trim(text);
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    if (text.empty()) {
        return std::nullopt;
    }
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<bool> parse_bool(std::string_view text) {
    const std::string t = lower(trim(text));
    if (t == "true" || t == "yes" || t == "on") {
        return true;
    }
    if (t == "false" || t == "no" || t == "off") {
        return false;
    }
    return std::nullopt;
}

std::optional<DurationMs> parse_duration_text(std::string_view text) {
    text = trim(text);
    if (text.find(':') == std::string_view::npos) {
        const auto seconds = parse_number(text);
        if (!seconds || *seconds < 0.0 ||
            *seconds * 1000.0 > static_cast<double>(max_duration_ms)) {
            return std::nullopt;
        }
        return static_cast<DurationMs>(std::llround(*seconds * 1000.0));
    }
    const auto parts = split(text, ':');
    if (parts.size() != 2 && parts.size() != 3) {
        return std::nullopt;
    }
    const auto hours = parse_unsigned(parts[0], 4);
    const auto minutes = parse_unsigned(parts[1], 2);
    if (!hours || !minutes) {
        return std::nullopt;
    }
    DurationMs ms = (*hours * 3600 + *minutes * 60) * 1000;
    if (parts.size() == 3) {
        // Seconds may carry a fraction ("05.250"); only digits and one '.'.
        const std::string_view sec = parts[2];
        const std::size_t dot = sec.find('.');
        const auto whole = parse_unsigned(sec.substr(0, dot), 2);
        if (!whole) {
            return std::nullopt;
        }
        ms += *whole * 1000;
        if (dot != std::string_view::npos) {
            const std::string_view frac = sec.substr(dot + 1);
            const auto digits = parse_unsigned(frac, 3);
            if (!digits) {
                return std::nullopt;
            }
            long long scale = 1;
            for (std::size_t i = frac.size(); i < 3; ++i) {
                scale *= 10;
            }
            ms += *digits * scale;
        }
    }
    if (ms > max_duration_ms) {
        return std::nullopt;
    }
    return ms;
}

std::optional<int> parse_time_of_day(std::string_view text) {
    const auto parts = split(trim(text), ':');
    if (parts.size() != 2 && parts.size() != 3) {
        return std::nullopt;
    }
    const auto h = parse_unsigned(parts[0], 2);
    const auto m = parse_unsigned(parts[1], 2);
    const auto s = parts.size() == 3 ? parse_unsigned(parts[2], 2) : std::optional<long long>(0);
    if (!h || !m || !s || *h > 23 || *m > 59 || *s > 59) {
        return std::nullopt;
    }
    return static_cast<int>(*h * 3600 + *m * 60 + *s);
}

std::optional<int> parse_weekday(std::string_view text) {
    static constexpr std::array<std::string_view, 7> short_names = {"mon", "tue", "wed", "thu",
                                                                    "fri", "sat", "sun"};
    static constexpr std::array<std::string_view, 7> long_names = {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    const std::string t = lower(trim(text));
    for (std::size_t i = 0; i < short_names.size(); ++i) {
        if (t == short_names[i] || t == long_names[i]) {
            return static_cast<int>(i);
        }
    }
    return std::nullopt;
}

std::optional<TimePatternField> parse_time_pattern_field(std::string_view text, int max_value) {
    text = trim(text);
    if (text == "*") {
        return TimePatternField{TimePatternField::Kind::Any, 0};
    }
    TimePatternField field;
    field.kind = TimePatternField::Kind::Exact;
    if (!text.empty() && text.front() == '/') {
        field.kind = TimePatternField::Kind::Every;
        text.remove_prefix(1);
    }
    const auto value = parse_unsigned(text, 2);
    if (!value || *value > max_value) {
        return std::nullopt;
    }
    if (field.kind == TimePatternField::Kind::Every && *value == 0) {
        return std::nullopt;
    }
    field.value = static_cast<int>(*value);
    return field;
}

} // namespace hearth::hub::automation
