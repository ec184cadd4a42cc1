#pragma once

// Garmin Training Center XML (TCX, TrainingCenterDatabase v2) reader and writer, with the
// ActivityExtension v2 values (lap LX: AvgSpeed, AvgRunCadence, MaxRunCadence, AvgWatts,
// MaxWatts, MaxBikeCadence, Steps; trackpoint TPX: Speed, RunCadence, Watts).
// Schema: https://www8.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd
//
// The document is plain data: every value a file may leave out is std::optional, never a
// sentinel. Times are UTC (offsets in the file are applied). Namespace prefixes are ignored:
// elements are matched by local name, whatever prefix (ns3:, tpx:, none) an exporter chose.
//
// What is an error and what is tolerated (see docs/gpx-tcx.md):
// - errors (formats::Error with the line): malformed XML, a root that is not
//   <TrainingCenterDatabase>, a number or timestamp that does not parse, a negative duration,
//   distance or rate, a position out of range or missing a coordinate, a trackpoint without
//   <Time> (the schema requires it), and (by default) a trackpoint of an activity whose time is
//   earlier than the one before it;
// - tolerated: unknown elements, activities without laps, laps without tracks, trackpoints with
//   nothing but a time (pauses), a missing Sport (read as "Other"), a missing Lap StartTime,
//   empty optional elements (read as absent), an activity <Id> that is not a time (nullopt),
//   a BOM, files declared ISO-8859-1 / Windows-1252 (re-encoded to UTF-8).
//
// Allocation: the parser builds the document on the heap; no global state, thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/iso8601.h"

namespace hearth::formats {

enum class TcxIntensity : std::uint8_t { Active, Resting };
enum class TcxSensorState : std::uint8_t { Present, Absent };

struct TcxPosition {
    double latitude_deg = 0.0;
    double longitude_deg = 0.0;

    friend bool operator==(const TcxPosition&, const TcxPosition&) = default;
};

struct TcxTrackpoint {
    UtcTime time;
    std::optional<TcxPosition> position;
    std::optional<double> altitude_m;
    std::optional<double> distance_m; // cumulative from the activity start
    std::optional<double> heart_rate_bpm;
    std::optional<double> cadence_rpm; // <Cadence>: bike cadence (or total steps/min / 2)
    std::optional<TcxSensorState> sensor_state;
    // TPX extension
    std::optional<double> speed_m_per_s;
    std::optional<double> run_cadence_spm; // TPX RunCadence: steps per minute of ONE foot
    std::optional<double> power_w;

    friend bool operator==(const TcxTrackpoint&, const TcxTrackpoint&) = default;
};

struct TcxTrack {
    std::vector<TcxTrackpoint> points;

    friend bool operator==(const TcxTrack&, const TcxTrack&) = default;
};

struct TcxLap {
    std::optional<UtcTime> start_time;
    std::optional<double> total_time_s;
    std::optional<double> distance_m;
    std::optional<double> maximum_speed_m_per_s;
    std::optional<double> calories_kcal;
    std::optional<double> average_heart_rate_bpm;
    std::optional<double> maximum_heart_rate_bpm;
    std::optional<TcxIntensity> intensity;
    std::optional<double> cadence_rpm;
    std::optional<std::string> trigger_method; // Manual, Distance, Location, Time, HeartRate
    std::optional<std::string> notes;
    // LX extension
    std::optional<double> average_speed_m_per_s;
    std::optional<double> average_run_cadence_spm;
    std::optional<double> maximum_run_cadence_spm;
    std::optional<double> average_power_w;
    std::optional<double> maximum_power_w;
    std::optional<double> maximum_bike_cadence_rpm;
    std::optional<double> steps;

    std::vector<TcxTrack> tracks;

    friend bool operator==(const TcxLap&, const TcxLap&) = default;
};

struct TcxVersion {
    int major = 0;
    int minor = 0;
    std::optional<int> build_major;
    std::optional<int> build_minor;

    friend bool operator==(const TcxVersion&, const TcxVersion&) = default;
};

// <Creator> of an activity or course: the device that recorded it.
struct TcxCreator {
    std::string name;
    std::optional<std::uint32_t> unit_id;
    std::optional<std::uint32_t> product_id;
    std::optional<TcxVersion> version;

    friend bool operator==(const TcxCreator&, const TcxCreator&) = default;
};

// <Author> of the file: the application that wrote it.
struct TcxAuthor {
    std::string name;
    std::optional<TcxVersion> version; // Build/Version
    std::optional<std::string> build_type;
    std::optional<std::string> lang_id;
    std::optional<std::string> part_number;

    friend bool operator==(const TcxAuthor&, const TcxAuthor&) = default;
};

struct TcxActivity {
    std::string sport = "Other"; // Running, Biking, Other (others kept as written)
    std::optional<UtcTime> id;   // <Id>: by convention the start time
    std::vector<TcxLap> laps;
    std::optional<std::string> notes;
    std::optional<TcxCreator> creator;

    friend bool operator==(const TcxActivity&, const TcxActivity&) = default;
};

struct TcxCourseLap {
    std::optional<double> total_time_s;
    std::optional<double> distance_m;
    std::optional<TcxPosition> begin_position;
    std::optional<double> begin_altitude_m;
    std::optional<TcxPosition> end_position;
    std::optional<double> end_altitude_m;
    std::optional<TcxIntensity> intensity;

    friend bool operator==(const TcxCourseLap&, const TcxCourseLap&) = default;
};

struct TcxCoursePoint {
    std::string name;
    std::optional<UtcTime> time;
    TcxPosition position;
    std::optional<double> altitude_m;
    std::optional<std::string> point_type; // Generic, Summit, Valley, Water, Food, ...
    std::optional<std::string> notes;

    friend bool operator==(const TcxCoursePoint&, const TcxCoursePoint&) = default;
};

struct TcxCourse {
    std::string name;
    std::vector<TcxCourseLap> laps;
    std::vector<TcxTrack> tracks;
    std::optional<std::string> notes;
    std::vector<TcxCoursePoint> course_points;
    std::optional<TcxCreator> creator;

    friend bool operator==(const TcxCourse&, const TcxCourse&) = default;
};

struct TcxDocument {
    std::vector<TcxActivity> activities;
    std::vector<TcxCourse> courses;
    std::optional<TcxAuthor> author;

    friend bool operator==(const TcxDocument&, const TcxDocument&) = default;
};

enum class TcxTimeOrder : std::uint8_t {
    Reject, // an activity trackpoint earlier than the previous one is an error (TimeOrder)
    Keep,   // keep points as read; the caller sorts or reports
};

// Parses a whole TCX file (UTF-8, with or without BOM). Errors carry format "tcx" and the
// 1-based line of the offending element.
Result<TcxDocument> parse_tcx(std::string_view xml, TcxTimeOrder order = TcxTimeOrder::Reject);

// Writes TCX v2 with the ActivityExtension v2 (prefix ns3, as Garmin Connect does).
// parse_tcx(write_tcx(d)) == d. Numbers are written with enough digits to read back exactly.
std::string write_tcx(const TcxDocument& document);

} // namespace hearth::formats
