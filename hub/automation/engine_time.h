#pragma once

// Local time of day for time triggers and conditions: either a fixed offset from UTC
// (EngineOptions::utc_offset_s, what tests use) or the system's time zone via localtime_r /
// mktime, so daylight-saving changes are honoured when no offset is configured.

#include <cstdint>
#include <optional>

#include "automation/model.h"
#include "core/clock.h"

namespace hearth::hub::automation {

struct LocalTime {
    int seconds_of_day = 0; // 0 .. 86399
    int weekday = 0;        // 0 = Monday ... 6 = Sunday
};

class LocalClock {
public:
    explicit LocalClock(std::optional<std::int32_t> utc_offset_s) : m_utc_offset_s(utc_offset_s) {}

    [[nodiscard]] LocalTime at(TimestampMs time_ms) const;
    // The UTC time of `seconds_of_day` on the local day `day_offset` days after the day of
    // `reference_ms`.
    [[nodiscard]] TimestampMs local_day_time(TimestampMs reference_ms, int day_offset,
                                             int seconds_of_day) const;

private:
    std::optional<std::int32_t> m_utc_offset_s;
};

// The first time strictly after `after_ms` whose local time of day is `seconds_of_day`.
TimestampMs next_time_of_day(const LocalClock& local, TimestampMs after_ms, int seconds_of_day);

// The first time strictly after `after_ms` (on a whole second) matching the pattern; nullopt
// when nothing can match. Fields are taken literally: Home Assistant's defaults (a larger unit
// given makes an omitted smaller one 0) are applied by the loader.
std::optional<TimestampMs> next_time_pattern(const LocalClock& local, TimestampMs after_ms,
                                             const TimePatternTrigger& pattern);

} // namespace hearth::hub::automation
