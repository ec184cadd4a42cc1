#pragma once

// The literal values of automation files, parsed from their text as Home Assistant reads them:
// durations, times of day, weekdays, time-pattern fields, numbers and booleans. Pure functions;
// std::nullopt means "not a valid value of that kind" (the loader turns it into a problem).

#include <optional>
#include <string_view>

#include "automation/model.h"

namespace hearth::hub::automation {

// The longest duration accepted anywhere (`for:`, `delay:`, `timeout:`): 366 days.
inline constexpr DurationMs max_duration_ms = 366LL * 24 * 3600 * 1000;

// "HH:MM" (hours and minutes, as Home Assistant reads two fields), "HH:MM:SS" or
// "HH:MM:SS.mmm", or a number of seconds ("300", "2.5"). Never negative, at most
// max_duration_ms.
std::optional<DurationMs> parse_duration_text(std::string_view text);

// "HH:MM" or "HH:MM:SS" (00:00:00 to 23:59:59) -> seconds since midnight.
std::optional<int> parse_time_of_day(std::string_view text);

// "mon".."sun" (also full names, any case) -> 0 (Monday) .. 6 (Sunday).
std::optional<int> parse_weekday(std::string_view text);

// "*" (any), "/N" (every N, 1 <= N <= max_value), or "N" (exactly N, 0 <= N <= max_value).
std::optional<TimePatternField> parse_time_pattern_field(std::string_view text, int max_value);

// A finite decimal number, the whole text ("21.5", "-3", "1e3").
std::optional<double> parse_number(std::string_view text);

// YAML 1.1 booleans as users write them: true/false, yes/no, on/off (any case).
std::optional<bool> parse_bool(std::string_view text);

} // namespace hearth::hub::automation
