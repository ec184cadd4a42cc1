// TCX reader over pugixml. Elements are matched by local name, so the ActivityExtension may
// come under any prefix (ns3:, ax:, none). Activities inside a MultiSportSession are read as
// ordinary activities in file order.

#include "tcx/tcx.h"

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include <pugixml.hpp>

#include "gpx/xml_text.h"

namespace hearth::formats {

namespace {

// Line ends are kept as written (no parse_eol): the writer emits text byte for byte, so a
// carriage return from `&#13;` must not turn into a line feed when the output is read again.
constexpr unsigned parse_options = pugi::parse_default & ~pugi::parse_eol;

// Thrown inside the reader only, caught in parse_tcx: keeps the recursive descent readable.
struct ReadFailure {
    Error error;
};

bool named(pugi::xml_node node, std::string_view name) {
    return node.type() == pugi::node_element && xml::local_name(node.name()) == name;
}

std::string text_of(pugi::xml_node node) {
    std::string out;
    for (const pugi::xml_node child : node.children()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
            out += child.value();
        }
    }
    return std::string(xml::trim(out));
}

class Reader {
public:
    Reader(std::string_view text, TcxTimeOrder order) : m_text(text), m_order(order) {}

    TcxDocument read(pugi::xml_node root) {
        if (!named(root, "TrainingCenterDatabase")) {
            fail(root, ErrorCode::BadHeader,
                 "root element is <" + std::string(root.name()) +
                     ">, not <TrainingCenterDatabase>");
        }
        TcxDocument document;
        for (const pugi::xml_node child : root.children()) {
            if (named(child, "Activities")) {
                read_activities(child, document.activities);
            } else if (named(child, "Courses")) {
                for (const pugi::xml_node course : child.children()) {
                    if (named(course, "Course")) {
                        document.courses.push_back(read_course(course));
                    }
                }
            } else if (named(child, "Author")) {
                document.author = read_author(child);
            }
        }
        return document;
    }

private:
    [[noreturn]] void fail(pugi::xml_node node, ErrorCode code, std::string message) const {
        throw ReadFailure{Error{code, std::move(message), "tcx", std::nullopt,
                                xml::line_at(m_text, node.offset_debug())}};
    }

    // Optional values: an empty element (`<AltitudeMeters/>`) is the same as an absent one;
    // anything else must parse.
    std::optional<double> number(pugi::xml_node node) const {
        const std::string text = text_of(node);
        if (text.empty()) {
            return std::nullopt;
        }
        if (const auto value = xml::parse_double(text)) {
            return *value;
        }
        fail(node, ErrorCode::InvalidSyntax,
             "<" + std::string(node.name()) + "> is not a number: '" + text + "'");
    }

    // Durations, distances, rates, counts: the schema types are all unsigned.
    std::optional<double> non_negative(pugi::xml_node node) const {
        const auto value = number(node);
        if (value && *value < 0.0) {
            fail(node, ErrorCode::InvalidValue,
                 "<" + std::string(node.name()) + "> is negative: " + text_of(node));
        }
        return value;
    }

    // <HeartRateBpm><Value>120</Value></HeartRateBpm>
    std::optional<double> heart_rate(pugi::xml_node node) const {
        for (const pugi::xml_node child : node.children()) {
            if (named(child, "Value")) {
                return non_negative(child);
            }
        }
        fail(node, ErrorCode::MissingField, "<" + std::string(node.name()) + "> without <Value>");
    }

    std::optional<std::int64_t> integer(pugi::xml_node node, std::int64_t min,
                                        std::int64_t max) const {
        const std::string text = text_of(node);
        if (text.empty()) {
            return std::nullopt;
        }
        const auto value = xml::parse_integer(text);
        if (!value || *value < min || *value > max) {
            fail(node, ErrorCode::InvalidSyntax,
                 "<" + std::string(node.name()) + "> is not an integer in range: '" + text + "'");
        }
        return value;
    }

    std::optional<UtcTime> time(pugi::xml_node node, std::string_view text) const {
        if (text.empty()) {
            return std::nullopt;
        }
        std::string why;
        if (const auto value = parse_iso8601(text, &why)) {
            return *value;
        }
        fail(node, ErrorCode::InvalidValue, "bad time '" + std::string(text) + "': " + why);
    }

    std::optional<UtcTime> time(pugi::xml_node node) const { return time(node, text_of(node)); }

    TcxPosition position(pugi::xml_node node) const {
        std::optional<double> latitude;
        std::optional<double> longitude;
        for (const pugi::xml_node child : node.children()) {
            if (named(child, "LatitudeDegrees")) {
                latitude = number(child);
                if (latitude && std::fabs(*latitude) > 90.0) {
                    fail(child, ErrorCode::InvalidValue,
                         "latitude out of range: " + text_of(child));
                }
            } else if (named(child, "LongitudeDegrees")) {
                longitude = number(child);
                if (longitude && std::fabs(*longitude) > 180.0) {
                    fail(child, ErrorCode::InvalidValue,
                         "longitude out of range: " + text_of(child));
                }
            }
        }
        if (!latitude || !longitude) {
            fail(node, ErrorCode::MissingField,
                 "<" + std::string(node.name()) + "> without LatitudeDegrees and LongitudeDegrees");
        }
        return {*latitude, *longitude};
    }

    std::optional<TcxIntensity> intensity(pugi::xml_node node) const {
        const std::string text = text_of(node);
        if (text == "Active") {
            return TcxIntensity::Active;
        }
        if (text == "Resting") {
            return TcxIntensity::Resting;
        }
        fail(node, ErrorCode::InvalidValue, "Intensity '" + text + "' (Active or Resting)");
    }

    TcxVersion version(pugi::xml_node node) const {
        TcxVersion out;
        for (const pugi::xml_node child : node.children()) {
            const std::string_view name = xml::local_name(child.name());
            if (child.type() != pugi::node_element) {
                continue;
            }
            if (name == "VersionMajor") {
                out.major = static_cast<int>(integer(child, 0, 65535).value_or(0));
            } else if (name == "VersionMinor") {
                out.minor = static_cast<int>(integer(child, 0, 65535).value_or(0));
            } else if (name == "BuildMajor") {
                if (const auto value = integer(child, 0, 65535)) {
                    out.build_major = static_cast<int>(*value);
                }
            } else if (name == "BuildMinor") {
                if (const auto value = integer(child, 0, 65535)) {
                    out.build_minor = static_cast<int>(*value);
                }
            }
        }
        return out;
    }

    TcxCreator creator(pugi::xml_node node) const {
        TcxCreator out;
        for (const pugi::xml_node child : node.children()) {
            if (named(child, "Name")) {
                out.name = text_of(child);
            } else if (named(child, "UnitId")) {
                if (const auto value = integer(child, 0, 4294967295)) {
                    out.unit_id = static_cast<std::uint32_t>(*value);
                }
            } else if (named(child, "ProductID")) {
                if (const auto value = integer(child, 0, 4294967295)) {
                    out.product_id = static_cast<std::uint32_t>(*value);
                }
            } else if (named(child, "Version")) {
                out.version = version(child);
            }
        }
        return out;
    }

    TcxAuthor read_author(pugi::xml_node node) const {
        TcxAuthor out;
        for (const pugi::xml_node child : node.children()) {
            if (named(child, "Name")) {
                out.name = text_of(child);
            } else if (named(child, "Build")) {
                for (const pugi::xml_node field : child.children()) {
                    if (named(field, "Version")) {
                        out.version = version(field);
                    } else if (named(field, "Type")) {
                        out.build_type = text_of(field);
                    }
                }
            } else if (named(child, "LangID")) {
                out.lang_id = text_of(child);
            } else if (named(child, "PartNumber")) {
                out.part_number = text_of(child);
            }
        }
        return out;
    }

    void read_activities(pugi::xml_node node, std::vector<TcxActivity>& activities) {
        for (const pugi::xml_node child : node.children()) {
            if (named(child, "Activity")) {
                activities.push_back(read_activity(child));
            } else if (named(child, "MultiSportSession") || named(child, "FirstSport") ||
                       named(child, "NextSport")) {
                read_activities(child, activities);
            }
        }
    }

    TcxActivity read_activity(pugi::xml_node node) {
        TcxActivity activity;
        if (const pugi::xml_attribute sport = node.attribute("Sport")) {
            activity.sport = std::string(xml::trim(sport.value()));
        }
        m_previous_time.reset();
        for (const pugi::xml_node child : node.children()) {
            if (named(child, "Id")) {
                // The Id is an identifier first: some exporters put a number or a name there,
                // which is no reason to refuse the activity.
                activity.id = parse_iso8601(text_of(child));
            } else if (named(child, "Lap")) {
                activity.laps.push_back(read_lap(child));
            } else if (named(child, "Notes")) {
                activity.notes = text_of(child);
            } else if (named(child, "Creator")) {
                activity.creator = creator(child);
            }
        }
        return activity;
    }

    void read_lap_extension(pugi::xml_node node, TcxLap& lap) const {
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) {
                continue;
            }
            const std::string_view name = xml::local_name(child.name());
            if (name == "LX") {
                read_lap_extension(child, lap);
            } else if (name == "AvgSpeed") {
                lap.average_speed_m_per_s = non_negative(child);
            } else if (name == "AvgRunCadence") {
                lap.average_run_cadence_spm = non_negative(child);
            } else if (name == "MaxRunCadence") {
                lap.maximum_run_cadence_spm = non_negative(child);
            } else if (name == "AvgWatts") {
                lap.average_power_w = non_negative(child);
            } else if (name == "MaxWatts") {
                lap.maximum_power_w = non_negative(child);
            } else if (name == "MaxBikeCadence") {
                lap.maximum_bike_cadence_rpm = non_negative(child);
            } else if (name == "Steps") {
                lap.steps = non_negative(child);
            }
        }
    }

    TcxLap read_lap(pugi::xml_node node) {
        TcxLap lap;
        if (const pugi::xml_attribute start = node.attribute("StartTime")) {
            lap.start_time = time(node, xml::trim(start.value()));
        }
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) {
                continue;
            }
            const std::string_view name = xml::local_name(child.name());
            if (name == "TotalTimeSeconds") {
                lap.total_time_s = non_negative(child);
            } else if (name == "DistanceMeters") {
                lap.distance_m = non_negative(child);
            } else if (name == "MaximumSpeed") {
                lap.maximum_speed_m_per_s = non_negative(child);
            } else if (name == "Calories") {
                lap.calories_kcal = non_negative(child);
            } else if (name == "AverageHeartRateBpm") {
                lap.average_heart_rate_bpm = heart_rate(child);
            } else if (name == "MaximumHeartRateBpm") {
                lap.maximum_heart_rate_bpm = heart_rate(child);
            } else if (name == "Intensity") {
                lap.intensity = intensity(child);
            } else if (name == "Cadence") {
                lap.cadence_rpm = non_negative(child);
            } else if (name == "TriggerMethod") {
                lap.trigger_method = text_of(child);
            } else if (name == "Notes") {
                lap.notes = text_of(child);
            } else if (name == "Track") {
                lap.tracks.push_back(read_track(child));
            } else if (name == "Extensions") {
                read_lap_extension(child, lap);
            }
        }
        return lap;
    }

    TcxTrack read_track(pugi::xml_node node) {
        TcxTrack track;
        for (const pugi::xml_node child : node.children()) {
            if (named(child, "Trackpoint")) {
                track.points.push_back(read_trackpoint(child));
            }
        }
        return track;
    }

    void read_trackpoint_extension(pugi::xml_node node, TcxTrackpoint& point) const {
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) {
                continue;
            }
            const std::string_view name = xml::local_name(child.name());
            if (name == "TPX") {
                read_trackpoint_extension(child, point);
            } else if (name == "Speed") {
                point.speed_m_per_s = non_negative(child);
            } else if (name == "RunCadence") {
                point.run_cadence_spm = non_negative(child);
            } else if (name == "Watts") {
                point.power_w = non_negative(child);
            }
        }
    }

    TcxTrackpoint read_trackpoint(pugi::xml_node node) {
        TcxTrackpoint point;
        bool has_time = false;
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) {
                continue;
            }
            const std::string_view name = xml::local_name(child.name());
            if (name == "Time") {
                if (const auto value = time(child)) {
                    point.time = *value;
                    has_time = true;
                }
            } else if (name == "Position") {
                point.position = position(child);
            } else if (name == "AltitudeMeters") {
                point.altitude_m = number(child);
            } else if (name == "DistanceMeters") {
                point.distance_m = non_negative(child);
            } else if (name == "HeartRateBpm") {
                point.heart_rate_bpm = heart_rate(child);
            } else if (name == "Cadence") {
                point.cadence_rpm = non_negative(child);
            } else if (name == "SensorState") {
                const std::string state = text_of(child);
                if (state == "Present") {
                    point.sensor_state = TcxSensorState::Present;
                } else if (state == "Absent") {
                    point.sensor_state = TcxSensorState::Absent;
                } else {
                    fail(child, ErrorCode::InvalidValue,
                         "SensorState '" + state + "' (Present or Absent)");
                }
            } else if (name == "Extensions") {
                read_trackpoint_extension(child, point);
            }
        }
        if (!has_time) {
            fail(node, ErrorCode::MissingField, "<Trackpoint> without <Time>");
        }
        if (m_order == TcxTimeOrder::Reject && m_previous_time && point.time < *m_previous_time) {
            fail(node, ErrorCode::TimeOrder,
                 "trackpoint time " + format_iso8601(point.time) + " is before the previous " +
                     format_iso8601(*m_previous_time));
        }
        m_previous_time = point.time;
        return point;
    }

    TcxCourseLap read_course_lap(pugi::xml_node node) const {
        TcxCourseLap lap;
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) {
                continue;
            }
            const std::string_view name = xml::local_name(child.name());
            if (name == "TotalTimeSeconds") {
                lap.total_time_s = non_negative(child);
            } else if (name == "DistanceMeters") {
                lap.distance_m = non_negative(child);
            } else if (name == "BeginPosition") {
                lap.begin_position = position(child);
            } else if (name == "BeginAltitudeMeters") {
                lap.begin_altitude_m = number(child);
            } else if (name == "EndPosition") {
                lap.end_position = position(child);
            } else if (name == "EndAltitudeMeters") {
                lap.end_altitude_m = number(child);
            } else if (name == "Intensity") {
                lap.intensity = intensity(child);
            }
        }
        return lap;
    }

    TcxCoursePoint read_course_point(pugi::xml_node node) const {
        TcxCoursePoint point;
        bool has_position = false;
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) {
                continue;
            }
            const std::string_view name = xml::local_name(child.name());
            if (name == "Name") {
                point.name = text_of(child);
            } else if (name == "Time") {
                point.time = time(child);
            } else if (name == "Position") {
                point.position = position(child);
                has_position = true;
            } else if (name == "AltitudeMeters") {
                point.altitude_m = number(child);
            } else if (name == "PointType") {
                point.point_type = text_of(child);
            } else if (name == "Notes") {
                point.notes = text_of(child);
            }
        }
        if (!has_position) {
            fail(node, ErrorCode::MissingField, "<CoursePoint> without <Position>");
        }
        return point;
    }

    TcxCourse read_course(pugi::xml_node node) {
        TcxCourse course;
        m_previous_time.reset();
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) {
                continue;
            }
            const std::string_view name = xml::local_name(child.name());
            if (name == "Name") {
                course.name = text_of(child);
            } else if (name == "Lap") {
                course.laps.push_back(read_course_lap(child));
            } else if (name == "Track") {
                course.tracks.push_back(read_track(child));
            } else if (name == "Notes") {
                course.notes = text_of(child);
            } else if (name == "CoursePoint") {
                course.course_points.push_back(read_course_point(child));
            } else if (name == "Creator") {
                course.creator = creator(child);
            }
        }
        return course;
    }

    std::string_view m_text;
    TcxTimeOrder m_order;
    std::optional<UtcTime> m_previous_time;
};

} // namespace

Result<TcxDocument> parse_tcx(std::string_view text, TcxTimeOrder order) {
    if (xml::trim(text).empty()) {
        return make_error("tcx", ErrorCode::Empty, "no XML in the input");
    }
    // Single-byte encodings are re-encoded first so that error lines refer to the same text
    // that pugixml parses.
    std::string converted;
    if (xml::declares_latin1(text)) {
        converted = xml::latin1_to_utf8(text);
        text = converted;
    }
    pugi::xml_document document;
    const pugi::xml_parse_result parsed =
        document.load_buffer(text.data(), text.size(), parse_options, pugi::encoding_utf8);
    if (!parsed) {
        return make_error("tcx", ErrorCode::InvalidSyntax,
                          std::string("invalid XML: ") + parsed.description(),
                          static_cast<std::uint64_t>(std::max<std::ptrdiff_t>(parsed.offset, 0)),
                          xml::line_at(text, parsed.offset));
    }
    const pugi::xml_node root = document.document_element();
    if (!root) {
        return make_error("tcx", ErrorCode::Empty, "no root element", std::nullopt, 1);
    }
    try {
        return Reader(text, order).read(root);
    } catch (const ReadFailure& failure) {
        return tl::unexpected<Error>(failure.error);
    }
}

} // namespace hearth::formats
