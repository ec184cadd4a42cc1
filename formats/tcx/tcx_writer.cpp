// TCX v2 writer over pugixml: elements in the schema's order, ActivityExtension v2 under the
// `ns3` prefix as Garmin Connect exports it (some readers match that prefix literally).

#include "tcx/tcx.h"

#include <string>

#include <pugixml.hpp>

#include "gpx/xml_text.h"

namespace hearth::formats {

namespace {

constexpr const char* tcx_namespace = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2";
constexpr const char* extension_namespace = "http://www.garmin.com/xmlschemas/ActivityExtension/v2";
constexpr const char* xsi_namespace = "http://www.w3.org/2001/XMLSchema-instance";

class StringWriter : public pugi::xml_writer {
public:
    void write(const void* data, size_t size) override {
        m_out.append(static_cast<const char*>(data), size);
    }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
};

void add_text(pugi::xml_node parent, const char* name, const std::string& text) {
    parent.append_child(name).text().set(text.c_str());
}

void add_text(pugi::xml_node parent, const char* name, const std::optional<std::string>& text) {
    if (text) {
        add_text(parent, name, *text);
    }
}

void add_number(pugi::xml_node parent, const char* name, std::optional<double> value) {
    if (value) {
        add_text(parent, name, xml::format_double(*value));
    }
}

void add_value(pugi::xml_node parent, const char* name, std::optional<double> value) {
    if (value) {
        add_number(parent.append_child(name), "Value", value);
    }
}

void add_position(pugi::xml_node parent, const char* name,
                  const std::optional<TcxPosition>& position) {
    if (position) {
        pugi::xml_node node = parent.append_child(name);
        add_number(node, "LatitudeDegrees", position->latitude_deg);
        add_number(node, "LongitudeDegrees", position->longitude_deg);
    }
}

void add_intensity(pugi::xml_node parent, std::optional<TcxIntensity> intensity) {
    if (intensity) {
        add_text(parent, "Intensity",
                 std::string(*intensity == TcxIntensity::Active ? "Active" : "Resting"));
    }
}

void add_version(pugi::xml_node parent, const TcxVersion& version) {
    pugi::xml_node node = parent.append_child("Version");
    add_text(node, "VersionMajor", std::to_string(version.major));
    add_text(node, "VersionMinor", std::to_string(version.minor));
    if (version.build_major) {
        add_text(node, "BuildMajor", std::to_string(*version.build_major));
    }
    if (version.build_minor) {
        add_text(node, "BuildMinor", std::to_string(*version.build_minor));
    }
}

void add_creator(pugi::xml_node parent, const std::optional<TcxCreator>& creator) {
    if (!creator) {
        return;
    }
    pugi::xml_node node = parent.append_child("Creator");
    node.append_attribute("xsi:type").set_value("Device_t");
    add_text(node, "Name", creator->name);
    if (creator->unit_id) {
        add_text(node, "UnitId", std::to_string(*creator->unit_id));
    }
    if (creator->product_id) {
        add_text(node, "ProductID", std::to_string(*creator->product_id));
    }
    if (creator->version) {
        add_version(node, *creator->version);
    }
}

void add_track(pugi::xml_node parent, const TcxTrack& track) {
    pugi::xml_node node = parent.append_child("Track");
    for (const TcxTrackpoint& point : track.points) {
        pugi::xml_node tp = node.append_child("Trackpoint");
        add_text(tp, "Time", format_iso8601(point.time));
        add_position(tp, "Position", point.position);
        add_number(tp, "AltitudeMeters", point.altitude_m);
        add_number(tp, "DistanceMeters", point.distance_m);
        add_value(tp, "HeartRateBpm", point.heart_rate_bpm);
        add_number(tp, "Cadence", point.cadence_rpm);
        if (point.sensor_state) {
            add_text(
                tp, "SensorState",
                std::string(*point.sensor_state == TcxSensorState::Present ? "Present" : "Absent"));
        }
        if (point.speed_m_per_s || point.run_cadence_spm || point.power_w) {
            pugi::xml_node tpx = tp.append_child("Extensions").append_child("ns3:TPX");
            add_number(tpx, "ns3:Speed", point.speed_m_per_s);
            add_number(tpx, "ns3:RunCadence", point.run_cadence_spm);
            add_number(tpx, "ns3:Watts", point.power_w);
        }
    }
}

void add_lap(pugi::xml_node parent, const TcxLap& lap) {
    pugi::xml_node node = parent.append_child("Lap");
    if (lap.start_time) {
        node.append_attribute("StartTime").set_value(format_iso8601(*lap.start_time).c_str());
    }
    add_number(node, "TotalTimeSeconds", lap.total_time_s);
    add_number(node, "DistanceMeters", lap.distance_m);
    add_number(node, "MaximumSpeed", lap.maximum_speed_m_per_s);
    add_number(node, "Calories", lap.calories_kcal);
    add_value(node, "AverageHeartRateBpm", lap.average_heart_rate_bpm);
    add_value(node, "MaximumHeartRateBpm", lap.maximum_heart_rate_bpm);
    add_intensity(node, lap.intensity);
    add_number(node, "Cadence", lap.cadence_rpm);
    add_text(node, "TriggerMethod", lap.trigger_method);
    for (const TcxTrack& track : lap.tracks) {
        add_track(node, track);
    }
    add_text(node, "Notes", lap.notes);
    if (lap.average_speed_m_per_s || lap.average_run_cadence_spm || lap.maximum_run_cadence_spm ||
        lap.average_power_w || lap.maximum_power_w || lap.maximum_bike_cadence_rpm || lap.steps) {
        pugi::xml_node lx = node.append_child("Extensions").append_child("ns3:LX");
        add_number(lx, "ns3:AvgSpeed", lap.average_speed_m_per_s);
        add_number(lx, "ns3:MaxBikeCadence", lap.maximum_bike_cadence_rpm);
        add_number(lx, "ns3:AvgRunCadence", lap.average_run_cadence_spm);
        add_number(lx, "ns3:MaxRunCadence", lap.maximum_run_cadence_spm);
        add_number(lx, "ns3:Steps", lap.steps);
        add_number(lx, "ns3:AvgWatts", lap.average_power_w);
        add_number(lx, "ns3:MaxWatts", lap.maximum_power_w);
    }
}

void add_course(pugi::xml_node parent, const TcxCourse& course) {
    pugi::xml_node node = parent.append_child("Course");
    add_text(node, "Name", course.name);
    for (const TcxCourseLap& lap : course.laps) {
        pugi::xml_node lap_node = node.append_child("Lap");
        add_number(lap_node, "TotalTimeSeconds", lap.total_time_s);
        add_number(lap_node, "DistanceMeters", lap.distance_m);
        add_position(lap_node, "BeginPosition", lap.begin_position);
        add_number(lap_node, "BeginAltitudeMeters", lap.begin_altitude_m);
        add_position(lap_node, "EndPosition", lap.end_position);
        add_number(lap_node, "EndAltitudeMeters", lap.end_altitude_m);
        add_intensity(lap_node, lap.intensity);
    }
    for (const TcxTrack& track : course.tracks) {
        add_track(node, track);
    }
    add_text(node, "Notes", course.notes);
    for (const TcxCoursePoint& point : course.course_points) {
        pugi::xml_node point_node = node.append_child("CoursePoint");
        add_text(point_node, "Name", point.name);
        if (point.time) {
            add_text(point_node, "Time", format_iso8601(*point.time));
        }
        add_position(point_node, "Position", point.position);
        add_number(point_node, "AltitudeMeters", point.altitude_m);
        add_text(point_node, "PointType", point.point_type);
        add_text(point_node, "Notes", point.notes);
    }
    add_creator(node, course.creator);
}

} // namespace

std::string write_tcx(const TcxDocument& document) {
    pugi::xml_document xml;
    pugi::xml_node declaration = xml.append_child(pugi::node_declaration);
    declaration.append_attribute("version").set_value("1.0");
    declaration.append_attribute("encoding").set_value("UTF-8");
    pugi::xml_node root = xml.append_child("TrainingCenterDatabase");
    root.append_attribute("xmlns").set_value(tcx_namespace);
    root.append_attribute("xmlns:ns3").set_value(extension_namespace);
    root.append_attribute("xmlns:xsi").set_value(xsi_namespace);
    root.append_attribute("xsi:schemaLocation")
        .set_value("http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2 "
                   "http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd");
    if (!document.activities.empty()) {
        pugi::xml_node activities = root.append_child("Activities");
        for (const TcxActivity& activity : document.activities) {
            pugi::xml_node node = activities.append_child("Activity");
            node.append_attribute("Sport").set_value(activity.sport.c_str());
            if (activity.id) {
                add_text(node, "Id", format_iso8601(*activity.id));
            }
            for (const TcxLap& lap : activity.laps) {
                add_lap(node, lap);
            }
            add_text(node, "Notes", activity.notes);
            add_creator(node, activity.creator);
        }
    }
    if (!document.courses.empty()) {
        pugi::xml_node courses = root.append_child("Courses");
        for (const TcxCourse& course : document.courses) {
            add_course(courses, course);
        }
    }
    if (document.author) {
        const TcxAuthor& author = *document.author;
        pugi::xml_node node = root.append_child("Author");
        node.append_attribute("xsi:type").set_value("Application_t");
        add_text(node, "Name", author.name);
        if (author.version || author.build_type) {
            pugi::xml_node build = node.append_child("Build");
            if (author.version) {
                add_version(build, *author.version);
            }
            add_text(build, "Type", author.build_type);
        }
        add_text(node, "LangID", author.lang_id);
        add_text(node, "PartNumber", author.part_number);
    }
    StringWriter out;
    xml.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.take();
}

} // namespace hearth::formats
