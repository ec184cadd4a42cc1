#pragma once

// GPX 1.0 / 1.1 reader and GPX 1.1 writer (https://www.topografix.com/GPX/1/1/).
//
// The document is plain data: every value a file may leave out is std::optional, never a
// sentinel. Times are UTC (offsets in the file are applied). Sensor values from the Garmin
// TrackPointExtension v1/v2 (hr, cad, atemp, wtemp, depth, speed, course), Garmin
// PowerExtension and the bare `<power>` that many exporters write are read into typed fields
// whatever namespace prefix the file uses; other extension elements are kept as a small tree so
// that writing the document back loses nothing that was read.
//
// What is an error and what is tolerated (see docs/gpx-tcx.md):
// - errors (formats::Error with the line): malformed XML, a root that is not <gpx>, a point
//   without a valid lat/lon (or out of range), a number or timestamp that does not parse, and
//   (with GpxTimeOrder::Reject) a track point earlier than the previous timed one of its segment;
// - tolerated: missing times (routes and hand-drawn tracks have none: `time` is nullopt), empty
//   tracks and segments, unknown elements and extensions, a missing version or creator, empty
//   optional elements (`<ele/>`: absent), a BOM, files declared ISO-8859-1 / Windows-1252
//   (re-encoded to UTF-8). DTD entities are never expanded.
//
// Allocation: the parser builds the document on the heap; no global state, thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/iso8601.h"

namespace hearth::formats {

enum class GpxVersion : std::uint8_t { V1_0, V1_1 };

struct GpxLink {
    std::string href;
    std::optional<std::string> text;
    std::optional<std::string> type;

    friend bool operator==(const GpxLink&, const GpxLink&) = default;
};

// An extension element this reader does not interpret, kept so it can be written back.
// `namespace_uri` is empty for elements without a namespace (common in hand-made exports).
struct GpxExtension {
    std::string namespace_uri;
    std::string name;  // local name, without prefix
    std::string value; // text content (trimmed); empty for elements with only children
    // (name, value); a prefixed name is given as `{namespace-uri}local`, others as written.
    std::vector<std::pair<std::string, std::string>> attributes;
    std::vector<GpxExtension> children;

    friend bool operator==(const GpxExtension&, const GpxExtension&) = default;
};

// One point: GPX's wptType, used for waypoints, route points and track points alike.
struct GpxPoint {
    double latitude_deg = 0.0;  // -90..90, WGS84
    double longitude_deg = 0.0; // -180..180, WGS84
    std::optional<double> elevation_m;
    std::optional<UtcTime> time;
    std::optional<double> magnetic_variation_deg;
    std::optional<double> geoid_height_m;
    std::optional<std::string> name;
    std::optional<std::string> comment;
    std::optional<std::string> description;
    std::optional<std::string> source;
    std::vector<GpxLink> links;
    std::optional<std::string> symbol;
    std::optional<std::string> type;
    std::optional<std::string> fix; // "none", "2d", "3d", "dgps", "pps"
    std::optional<int> satellites;
    std::optional<double> hdop;
    std::optional<double> vdop;
    std::optional<double> pdop;
    std::optional<double> age_of_dgps_data_s;
    std::optional<int> dgps_id;

    // GPX 1.0 <speed>/<course>, or TrackPointExtension v2 speed/course.
    std::optional<double> speed_m_per_s;
    std::optional<double> course_deg;

    // Sensor values from extensions.
    std::optional<double> heart_rate_bpm;
    std::optional<double> cadence_rpm; // TrackPointExtension cad: rev/min (steps/min / 2 for runs)
    std::optional<double> air_temperature_c;
    std::optional<double> water_temperature_c;
    std::optional<double> depth_m;
    std::optional<double> power_w;

    std::vector<GpxExtension> extensions; // everything else under <extensions>

    friend bool operator==(const GpxPoint&, const GpxPoint&) = default;
};

struct GpxSegment {
    std::vector<GpxPoint> points;
    std::vector<GpxExtension> extensions;

    friend bool operator==(const GpxSegment&, const GpxSegment&) = default;
};

// Shared by <rte> and <trk>.
struct GpxRouteInfo {
    std::optional<std::string> name;
    std::optional<std::string> comment;
    std::optional<std::string> description;
    std::optional<std::string> source;
    std::vector<GpxLink> links;
    std::optional<int> number;
    std::optional<std::string> type;
    std::vector<GpxExtension> extensions;

    friend bool operator==(const GpxRouteInfo&, const GpxRouteInfo&) = default;
};

struct GpxRoute {
    GpxRouteInfo info;
    std::vector<GpxPoint> points;

    friend bool operator==(const GpxRoute&, const GpxRoute&) = default;
};

struct GpxTrack {
    GpxRouteInfo info;
    std::vector<GpxSegment> segments;

    friend bool operator==(const GpxTrack&, const GpxTrack&) = default;
};

struct GpxBounds {
    double min_latitude_deg = 0.0;
    double min_longitude_deg = 0.0;
    double max_latitude_deg = 0.0;
    double max_longitude_deg = 0.0;

    friend bool operator==(const GpxBounds&, const GpxBounds&) = default;
};

struct GpxPerson {
    std::optional<std::string> name;
    std::optional<std::string> email; // "id@domain"
    std::optional<GpxLink> link;

    friend bool operator==(const GpxPerson&, const GpxPerson&) = default;
};

struct GpxCopyright {
    std::string author;
    std::optional<int> year;
    std::optional<std::string> license;

    friend bool operator==(const GpxCopyright&, const GpxCopyright&) = default;
};

// GPX 1.1 <metadata>; GPX 1.0 keeps the same facts as children of <gpx> and they land here too.
struct GpxMetadata {
    std::optional<std::string> name;
    std::optional<std::string> description;
    std::optional<GpxPerson> author;
    std::optional<GpxCopyright> copyright;
    std::vector<GpxLink> links;
    std::optional<UtcTime> time;
    std::optional<std::string> keywords;
    std::optional<GpxBounds> bounds;
    std::vector<GpxExtension> extensions;

    friend bool operator==(const GpxMetadata&, const GpxMetadata&) = default;
};

struct GpxDocument {
    GpxVersion version = GpxVersion::V1_1; // as read; the writer always writes 1.1
    std::optional<std::string> creator;
    GpxMetadata metadata;
    std::vector<GpxPoint> waypoints;
    std::vector<GpxRoute> routes;
    std::vector<GpxTrack> tracks;
    std::vector<GpxExtension> extensions;

    friend bool operator==(const GpxDocument&, const GpxDocument&) = default;
};

// Parses a whole GPX file (UTF-8, with or without BOM). Errors carry format "gpx" and the
// 1-based line of the offending element.
// GPX is an interchange format for routes and hand-edited tracks as well as recordings, and
// real loggers write small backward steps (gpxpy's Mojstrovka.gpx goes back 0.3 ms), so by
// default points are kept as read; readers that need monotonic time ask for Reject.
enum class GpxTimeOrder : std::uint8_t {
    Keep,   // keep points as read; the caller sorts or reports
    Reject, // a track point earlier than the previous timed one in its segment is an error
};

Result<GpxDocument> parse_gpx(std::string_view xml, GpxTimeOrder order = GpxTimeOrder::Keep);

// Writes GPX 1.1 (UTF-8, no BOM) with sensor values in Garmin TrackPointExtension v2 (power in
// Garmin PowerExtension v1). parse_gpx(write_gpx(d)) == d except that `version` becomes V1_1.
// Numbers are written with enough digits to read back exactly.
std::string write_gpx(const GpxDocument& document);

} // namespace hearth::formats
