#pragma once

// The workout model every importer fills and every metric reads: a file (`Workout`) holds one
// or more `Activity` segments (a multisport FIT file: swim, transition, bike, transition, run).
// Every measured value is optional: a GPX track has no power, a pool swim has no position.
//
// Conventions (all SI unless the name says otherwise):
// - Times are UTC milliseconds since the Unix epoch (`UtcMs`), as FIT/GPX/TCX timestamps are
//   absolute. Durations are seconds as double.
// - Cadence is stored as FIT stores it: revolutions per minute for cycling, strides (one foot)
//   per minute for running, strokes per minute for swimming.
// - Values the device computed itself (lap and session totals) are kept apart from the
//   records, so that reports can prefer the device's figures (what Garmin Connect shows) and
//   compute only what the file lacks.
//
// Plain value types; allocation only in the vectors and strings. Not thread-safe to mutate.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::sport {

using UtcMs = std::int64_t; // milliseconds since 1970-01-01T00:00:00Z

enum class Sport : std::uint8_t {
    Generic,
    Running,
    Cycling,
    Swimming,
    Walking,
    Hiking,
    Rowing,
    Transition,
    Training,
    FitnessEquipment,
    CrossCountrySkiing,
    AlpineSkiing,
    Paddling,
    Mountaineering,
    EBiking,
    Multisport,
    Other,
};

// "running", "cycling", "swimming", "transition", "generic", "other", ... (snake_case).
std::string_view to_string(Sport sport);
// Accepts the snake_case names above plus common spellings from GPX `<type>` and TCX `Sport`
// ("Running", "Biking", "run", "ride", "cycling", "swim", "hike"...); unknown text gives Other.
Sport parse_sport(std::string_view text);

enum class SwimStroke : std::uint8_t {
    Freestyle,
    Backstroke,
    Breaststroke,
    Butterfly,
    Drill,
    Mixed,
    IndividualMedley,
    Unknown,
};
std::string_view to_string(SwimStroke stroke);

// One sample of the recorded track. `t_ms` is always present; everything else may be missing.
struct Record {
    UtcMs t_ms = 0;
    std::optional<double> lat_deg;
    std::optional<double> lon_deg;
    std::optional<double> distance_m; // cumulative from the activity start, as the device says
    std::optional<double> speed_mps;
    std::optional<double> altitude_m;
    std::optional<double> heart_rate_bpm;
    std::optional<double> cadence; // see the cadence convention above (fractional part kept)
    std::optional<double> power_w;
    std::optional<double> temperature_c;
    std::optional<double> vertical_oscillation_mm;
    std::optional<double> ground_contact_time_ms; // FIT stance_time
    std::optional<double> stance_time_balance_pct;
    std::optional<double> step_length_mm;
    std::optional<double> vertical_ratio_pct;
    std::optional<double> left_right_balance_pct; // share of power from the right leg
    std::optional<double> respiration_rate_brpm;
};

// Totals as a device computes them for a lap or a whole session. Any of them may be absent.
struct Totals {
    std::optional<double> elapsed_time_s; // wall clock from start to end, pauses included
    std::optional<double> timer_time_s;   // time the timer was running (pauses excluded)
    std::optional<double> moving_time_s;
    std::optional<double> distance_m;
    std::optional<double> avg_speed_mps;
    std::optional<double> max_speed_mps;
    std::optional<double> ascent_m;
    std::optional<double> descent_m;
    std::optional<double> avg_heart_rate_bpm;
    std::optional<double> max_heart_rate_bpm;
    std::optional<double> min_heart_rate_bpm;
    std::optional<double> avg_cadence;
    std::optional<double> max_cadence;
    std::optional<double> avg_power_w;
    std::optional<double> max_power_w;
    std::optional<double> normalized_power_w;
    std::optional<double> energy_kcal;
    std::optional<double> pool_length_m;
    std::optional<double> active_lengths;
    std::optional<double> total_strokes; // swimming strokes (or cycles, as the device counts)
    std::optional<double> steps;         // total steps (TCX Steps, FIT total_strides * 2)
    std::optional<double> avg_ground_contact_time_ms;
    std::optional<double> avg_vertical_oscillation_mm;
    std::optional<double> training_effect; // aerobic training effect, 0..5
    std::optional<double> anaerobic_training_effect;
    std::optional<double> training_stress_score;
    std::optional<double> intensity_factor;
    std::optional<double> threshold_power_w;
    std::optional<double> avg_temperature_c;
    std::optional<double> max_altitude_m;
    std::optional<double> min_altitude_m;
};

enum class LapTrigger : std::uint8_t { Manual, Time, Distance, Position, SessionEnd, Other };

struct Lap {
    UtcMs start_time_ms = 0;
    std::optional<UtcMs> end_time_ms; // FIT lap timestamp, or start + elapsed
    Totals totals;
    std::optional<SwimStroke> swim_stroke;
    std::optional<LapTrigger> trigger;
};

enum class LengthType : std::uint8_t { Active, Idle };

// One pool length (pool swims only). An Idle length is rest at the wall.
struct Length {
    UtcMs start_time_ms = 0;
    std::optional<double> elapsed_time_s;
    std::optional<double> timer_time_s;
    std::optional<double> total_strokes;
    std::optional<double> avg_speed_mps;
    std::optional<double> avg_cadence; // strokes per minute
    std::optional<SwimStroke> stroke;
    LengthType type = LengthType::Active;
};

// Timer events; a Stop followed by a Start is a pause.
enum class TimerAction : std::uint8_t { Start, Stop };

struct TimerEvent {
    UtcMs t_ms = 0;
    TimerAction action = TimerAction::Start;
};

struct Device {
    std::optional<std::string> manufacturer; // "garmin", "wahoo_fitness", or a creator string
    std::optional<std::string> product;      // "fr935", "edge_520", or a product number as text
    std::optional<std::uint32_t> serial_number;
    std::optional<std::string> software_version;
};

struct Activity {
    Sport sport = Sport::Generic;
    std::optional<std::string> sub_sport; // FIT sub_sport name, e.g. "lap_swimming", "road"
    std::optional<std::string> name;      // GPX track name, TCX notes
    std::optional<UtcMs> start_time_ms;
    std::optional<std::int32_t> timezone_offset_s; // local time minus UTC
    Device device;
    std::vector<Record> records; // in time order
    std::vector<Lap> laps;       // in time order
    std::vector<Length> lengths; // in time order
    std::vector<TimerEvent> timer_events;
    std::optional<Totals> device_summary; // FIT session (or TCX lap sums); absent for GPX
};

enum class FileFormat : std::uint8_t { Fit, Gpx, Tcx };
std::string_view to_string(FileFormat format);

struct Workout {
    FileFormat format = FileFormat::Fit;
    std::vector<Activity> activities;
    std::vector<std::string> warnings; // non-fatal problems (lenient decoding, skipped data)
};

// Start of the activity: `start_time_ms` when known, else the first record, lap or length.
std::optional<UtcMs> activity_start(const Activity& activity);
// End: the last record, lap end or length end, whichever is latest.
std::optional<UtcMs> activity_end(const Activity& activity);

// Pauses derived from timer events: [stop, next start) intervals, in time order.
struct Pause {
    UtcMs start_ms = 0;
    UtcMs end_ms = 0;
};
std::vector<Pause> pauses(const Activity& activity);

} // namespace hearth::sport
