// Workout metrics over arbitrary activities: records with any subset of channels, extreme and
// non-finite values, times jumping by days, timer events, laps and lengths in any order. The
// metrics must neither crash, hang nor allocate without bound on what a corrupt file decodes to.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "metrics/activity_metrics.h"

namespace {

using namespace hearth::sport;

class Reader {
public:
    Reader(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}
    [[nodiscard]] bool done() const { return m_pos >= m_size; }
    std::uint8_t byte() { return m_pos < m_size ? m_data[m_pos++] : 0; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }

    // A value that is usually plausible and sometimes hostile.
    std::optional<double> value(double scale) {
        const std::uint8_t kind = byte();
        if (kind < 64) {
            return std::nullopt;
        }
        if (kind == 250) {
            return std::numeric_limits<double>::quiet_NaN();
        }
        if (kind == 251) {
            return std::numeric_limits<double>::infinity();
        }
        if (kind == 252) {
            return -1e300;
        }
        if (kind == 253) {
            return 1e300;
        }
        return (static_cast<double>(u16()) - 8192.0) * scale;
    }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

constexpr UtcMs t0_ms = 1'600'000'000'000;
// Time steps stay within what a FIT file can express (uint32 seconds since 1989).
constexpr UtcMs max_step_ms = 86'400'000LL * 30;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Reader in(data, size);
    Activity a;
    a.sport = static_cast<Sport>(in.byte() % 17);
    const std::uint8_t options_byte = in.byte();
    UtcMs t_ms = t0_ms;
    std::size_t count = 0;
    while (!in.done() && count < 4000) {
        const std::uint8_t tag = in.byte();
        const std::uint16_t step = in.u16();
        UtcMs dt_ms = step;
        if (tag % 16 == 0) {
            dt_ms = static_cast<UtcMs>(step) * 3'600'000LL % max_step_ms; // long gaps
        } else if (tag % 16 == 1) {
            dt_ms = -static_cast<UtcMs>(step); // backwards
        }
        t_ms += dt_ms;
        switch (tag % 8) {
        case 0: {
            Lap lap;
            lap.start_time_ms = t_ms;
            if (in.byte() & 1) {
                lap.end_time_ms = t_ms + in.u16() * 100;
            }
            lap.totals.elapsed_time_s = in.value(1.0);
            lap.totals.pool_length_m = in.value(0.01);
            a.laps.push_back(lap);
            break;
        }
        case 1: {
            Length length;
            length.start_time_ms = t_ms;
            length.timer_time_s = in.value(0.01);
            length.elapsed_time_s = in.value(0.01);
            length.total_strokes = in.value(0.1);
            length.type = (in.byte() & 1) ? LengthType::Idle : LengthType::Active;
            length.stroke = static_cast<SwimStroke>(in.byte() % 8);
            a.lengths.push_back(length);
            break;
        }
        case 2:
            a.timer_events.push_back(
                {t_ms, (in.byte() & 1) ? TimerAction::Stop : TimerAction::Start});
            break;
        default: {
            Record r;
            r.t_ms = t_ms;
            r.lat_deg = in.value(0.01);
            r.lon_deg = in.value(0.01);
            r.distance_m = in.value(10.0);
            r.speed_mps = in.value(0.01);
            r.altitude_m = in.value(0.1);
            r.heart_rate_bpm = in.value(0.05);
            r.cadence = in.value(0.05);
            r.power_w = in.value(0.5);
            r.ground_contact_time_ms = in.value(0.1);
            r.vertical_oscillation_mm = in.value(0.1);
            a.records.push_back(r);
            ++count;
            break;
        }
        }
    }
    if (options_byte & 1) {
        Totals device;
        device.pool_length_m = 25.0;
        device.threshold_power_w = 250.0;
        a.device_summary = device;
    }
    metrics::MetricsOptions options;
    options.athlete.ftp_w = (options_byte & 2) ? std::optional<double>(200.0) : std::nullopt;
    options.heart_rate_zones.method = static_cast<metrics::ZoneMethod>((options_byte >> 2) % 3);
    options.athlete.threshold_heart_rate_bpm = 165.0;
    const auto whole = metrics::activity_metrics(a, options);
    const auto laps = metrics::lap_metrics(a, options);
    return whole.splits_km.size() + laps.size() > std::numeric_limits<std::size_t>::max() - 1;
}
