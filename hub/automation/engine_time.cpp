#include "automation/engine_time.h"

#include <ctime>

namespace hearth::hub::automation {

namespace {

constexpr std::int64_t ms_per_day = 86'400'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        --q;
    }
    return q;
}

bool field_matches(const TimePatternField& field, int value) {
    switch (field.kind) {
    case TimePatternField::Kind::Any:
        return true;
    case TimePatternField::Kind::Every:
        return field.value > 0 && value % field.value == 0;
    case TimePatternField::Kind::Exact:
        return value == field.value;
    }
    return false;
}

} // namespace

LocalTime LocalClock::at(TimestampMs time_ms) const {
    if (m_utc_offset_s) {
        const std::int64_t local_ms = time_ms + std::int64_t{*m_utc_offset_s} * 1000;
        const std::int64_t days = floor_div(local_ms, ms_per_day);
        const auto sod = static_cast<int>((local_ms - days * ms_per_day) / 1000);
        // 1970-01-01 was a Thursday (weekday 3 with Monday = 0).
        const auto weekday = static_cast<int>(((days + 3) % 7 + 7) % 7);
        return {sod, weekday};
    }
    const std::time_t seconds = static_cast<std::time_t>(floor_div(time_ms, 1000));
    std::tm parts{};
    localtime_r(&seconds, &parts);
    return {parts.tm_hour * 3600 + parts.tm_min * 60 + parts.tm_sec, (parts.tm_wday + 6) % 7};
}

TimestampMs LocalClock::local_day_time(TimestampMs reference_ms, int day_offset,
                                       int seconds_of_day) const {
    if (m_utc_offset_s) {
        const std::int64_t offset_ms = std::int64_t{*m_utc_offset_s} * 1000;
        const std::int64_t days = floor_div(reference_ms + offset_ms, ms_per_day) + day_offset;
        return days * ms_per_day + std::int64_t{seconds_of_day} * 1000 - offset_ms;
    }
    const std::time_t seconds = static_cast<std::time_t>(floor_div(reference_ms, 1000));
    std::tm parts{};
    localtime_r(&seconds, &parts);
    parts.tm_mday += day_offset;
    parts.tm_hour = seconds_of_day / 3600;
    parts.tm_min = (seconds_of_day / 60) % 60;
    parts.tm_sec = seconds_of_day % 60;
    parts.tm_isdst = -1;
    return static_cast<TimestampMs>(std::mktime(&parts)) * 1000;
}

TimestampMs next_time_of_day(const LocalClock& local, TimestampMs after_ms, int seconds_of_day) {
    for (int day = 0; day < 3; ++day) {
        const TimestampMs candidate = local.local_day_time(after_ms, day, seconds_of_day);
        if (candidate > after_ms) {
            return candidate;
        }
    }
    return local.local_day_time(after_ms, 3, seconds_of_day);
}

std::optional<TimestampMs> next_time_pattern(const LocalClock& local, TimestampMs after_ms,
                                             const TimePatternTrigger& pattern) {
    const TimePatternField& hours = pattern.hours;
    const TimePatternField& minutes = pattern.minutes;
    const TimePatternField& seconds = pattern.seconds;
    const int start_sod = local.at(after_ms).seconds_of_day;
    for (int day = 0; day < 2; ++day) {
        for (int h = day == 0 ? start_sod / 3600 : 0; h < 24; ++h) {
            if (!field_matches(hours, h)) {
                continue;
            }
            for (int m = 0; m < 60; ++m) {
                if (!field_matches(minutes, m) ||
                    (day == 0 && h * 3600 + m * 60 + 59 < start_sod)) {
                    continue;
                }
                for (int s = 0; s < 60; ++s) {
                    if (!field_matches(seconds, s)) {
                        continue;
                    }
                    const TimestampMs candidate =
                        local.local_day_time(after_ms, day, h * 3600 + m * 60 + s);
                    if (candidate > after_ms) {
                        return candidate;
                    }
                }
            }
        }
    }
    return std::nullopt;
}

} // namespace hearth::hub::automation
