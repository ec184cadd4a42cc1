#include "tcx/tcx.h"

#include <gtest/gtest.h>

namespace hearth::formats {
namespace {

TcxDocument parse_ok(std::string_view xml) {
    auto document = parse_tcx(xml);
    EXPECT_TRUE(document.has_value()) << (document ? "" : document.error().describe());
    return document ? *document : TcxDocument{};
}

Error parse_error(std::string_view xml, TcxTimeOrder order = TcxTimeOrder::Reject) {
    auto document = parse_tcx(xml, order);
    EXPECT_FALSE(document.has_value());
    return document ? Error{} : document.error();
}

constexpr std::string_view bike_ride = R"(<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
    xmlns:ax="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
  <Activities>
    <Activity Sport="Biking">
      <Id>2024-05-01T08:00:00+02:00</Id>
      <Lap StartTime="2024-05-01T06:00:00Z">
        <TotalTimeSeconds>3600.5</TotalTimeSeconds>
        <DistanceMeters>30000</DistanceMeters>
        <MaximumSpeed>15.2</MaximumSpeed>
        <Calories>800</Calories>
        <AverageHeartRateBpm><Value>140</Value></AverageHeartRateBpm>
        <MaximumHeartRateBpm><Value>175</Value></MaximumHeartRateBpm>
        <Intensity>Active</Intensity>
        <Cadence>88</Cadence>
        <TriggerMethod>Distance</TriggerMethod>
        <Track>
          <Trackpoint>
            <Time>2024-05-01T06:00:00Z</Time>
            <Position><LatitudeDegrees>46.1</LatitudeDegrees><LongitudeDegrees>14.5</LongitudeDegrees></Position>
            <AltitudeMeters>295.2</AltitudeMeters>
            <DistanceMeters>0</DistanceMeters>
            <HeartRateBpm><Value>95</Value></HeartRateBpm>
            <Cadence>70</Cadence>
            <SensorState>Present</SensorState>
            <Extensions><ax:TPX><ax:Speed>4.5</ax:Speed><ax:Watts>210</ax:Watts></ax:TPX></Extensions>
          </Trackpoint>
          <Trackpoint><Time>2024-05-01T06:00:01.250Z</Time></Trackpoint>
        </Track>
        <Notes>windy</Notes>
        <Extensions><ax:LX><ax:AvgSpeed>8.33</ax:AvgSpeed><ax:AvgWatts>190</ax:AvgWatts><ax:MaxWatts>600</ax:MaxWatts></ax:LX></Extensions>
      </Lap>
      <Notes>Sunday ride</Notes>
      <Creator><Name>Edge 530</Name><UnitId>3900000001</UnitId><ProductID>3121</ProductID>
        <Version><VersionMajor>9</VersionMajor><VersionMinor>10</VersionMinor></Version></Creator>
    </Activity>
  </Activities>
  <Author><Name>Connect</Name><Build><Version><VersionMajor>1</VersionMajor><VersionMinor>0</VersionMinor></Version></Build><LangID>en</LangID></Author>
</TrainingCenterDatabase>)";

TEST(TcxRead, BikeRideWithExtensions) {
    const TcxDocument document = parse_ok(bike_ride);
    ASSERT_EQ(document.activities.size(), 1U);
    const TcxActivity& activity = document.activities[0];
    EXPECT_EQ(activity.sport, "Biking");
    EXPECT_EQ(format_iso8601(*activity.id), "2024-05-01T06:00:00Z");
    EXPECT_EQ(activity.notes, "Sunday ride");
    ASSERT_TRUE(activity.creator);
    EXPECT_EQ(activity.creator->name, "Edge 530");
    EXPECT_EQ(activity.creator->unit_id, 3900000001U);
    EXPECT_EQ(activity.creator->version->major, 9);
    EXPECT_FALSE(activity.creator->version->build_major);
    ASSERT_EQ(activity.laps.size(), 1U);
    const TcxLap& lap = activity.laps[0];
    EXPECT_EQ(lap.total_time_s, 3600.5);
    EXPECT_EQ(lap.distance_m, 30000.0);
    EXPECT_EQ(lap.calories_kcal, 800.0);
    EXPECT_EQ(lap.average_heart_rate_bpm, 140.0);
    EXPECT_EQ(lap.maximum_heart_rate_bpm, 175.0);
    EXPECT_EQ(lap.intensity, TcxIntensity::Active);
    EXPECT_EQ(lap.cadence_rpm, 88.0);
    EXPECT_EQ(lap.trigger_method, "Distance");
    EXPECT_EQ(lap.notes, "windy");
    EXPECT_EQ(lap.average_speed_m_per_s, 8.33);
    EXPECT_EQ(lap.average_power_w, 190.0);
    EXPECT_EQ(lap.maximum_power_w, 600.0);
    ASSERT_EQ(lap.tracks.size(), 1U);
    ASSERT_EQ(lap.tracks[0].points.size(), 2U);
    const TcxTrackpoint& first = lap.tracks[0].points[0];
    EXPECT_EQ(first.position->latitude_deg, 46.1);
    EXPECT_EQ(first.altitude_m, 295.2);
    EXPECT_EQ(first.distance_m, 0.0);
    EXPECT_EQ(first.heart_rate_bpm, 95.0);
    EXPECT_EQ(first.cadence_rpm, 70.0);
    EXPECT_EQ(first.sensor_state, TcxSensorState::Present);
    EXPECT_EQ(first.speed_m_per_s, 4.5);
    EXPECT_EQ(first.power_w, 210.0);
    const TcxTrackpoint& pause = lap.tracks[0].points[1];
    EXPECT_FALSE(pause.position);
    EXPECT_FALSE(pause.heart_rate_bpm);
    EXPECT_EQ(pause.time.unix_us - first.time.unix_us, 1'250'000);
    ASSERT_TRUE(document.author);
    EXPECT_EQ(document.author->name, "Connect");
    EXPECT_EQ(document.author->lang_id, "en");
}

TEST(TcxRead, MultiSportSessionsAndCourses) {
    const TcxDocument document = parse_ok(R"(<TrainingCenterDatabase>
<Activities><MultiSportSession><Id>2024-01-01T00:00:00Z</Id>
  <FirstSport><Activity Sport="Running"><Id>2024-01-01T00:00:00Z</Id></Activity></FirstSport>
  <NextSport><Activity><Id>2024-01-01T01:00:00Z</Id></Activity></NextSport>
</MultiSportSession></Activities>
<Courses><Course><Name>Loop</Name>
  <Lap><TotalTimeSeconds>60</TotalTimeSeconds><DistanceMeters>100</DistanceMeters>
    <BeginPosition><LatitudeDegrees>1</LatitudeDegrees><LongitudeDegrees>2</LongitudeDegrees></BeginPosition>
    <Intensity>Resting</Intensity></Lap>
  <Track><Trackpoint><Time>2024-01-01T00:00:00Z</Time></Trackpoint></Track>
  <CoursePoint><Name>Summit</Name><Time>2024-01-01T00:00:30Z</Time>
    <Position><LatitudeDegrees>1</LatitudeDegrees><LongitudeDegrees>2.5</LongitudeDegrees></Position>
    <PointType>Summit</PointType></CoursePoint>
</Course></Courses></TrainingCenterDatabase>)");
    ASSERT_EQ(document.activities.size(), 2U);
    EXPECT_EQ(document.activities[0].sport, "Running");
    EXPECT_EQ(document.activities[1].sport, "Other");
    ASSERT_EQ(document.courses.size(), 1U);
    const TcxCourse& course = document.courses[0];
    EXPECT_EQ(course.name, "Loop");
    ASSERT_EQ(course.laps.size(), 1U);
    EXPECT_EQ(course.laps[0].begin_position->longitude_deg, 2.0);
    EXPECT_EQ(course.laps[0].intensity, TcxIntensity::Resting);
    ASSERT_EQ(course.course_points.size(), 1U);
    EXPECT_EQ(course.course_points[0].point_type, "Summit");
    EXPECT_EQ(course.tracks.at(0).points.size(), 1U);
}

TEST(TcxRead, ErrorsCarryTheLine) {
    Error error = parse_error("<TrainingCenterDatabase>\n<Activities>\n</TrainingCenterDatabase>");
    EXPECT_EQ(error.code, ErrorCode::InvalidSyntax);
    EXPECT_EQ(error.line, 3U);
    EXPECT_EQ(error.format, "tcx");

    error = parse_error("<?xml version=\"1.0\"?>\n<gpx/>");
    EXPECT_EQ(error.code, ErrorCode::BadHeader);
    EXPECT_EQ(error.line, 2U);

    constexpr std::string_view head = "<TrainingCenterDatabase><Activities><Activity>\n<Lap>\n";
    constexpr std::string_view tail = "</Lap></Activity></Activities></TrainingCenterDatabase>";
    const auto lap = [&](std::string_view body) {
        return std::string(head) + std::string(body) + std::string(tail);
    };
    error = parse_error(lap("<Calories>many</Calories>"));
    EXPECT_EQ(error.code, ErrorCode::InvalidSyntax);
    EXPECT_EQ(error.line, 3U);
    EXPECT_NE(error.describe().find("many"), std::string::npos);

    error = parse_error(lap("<TotalTimeSeconds>-5</TotalTimeSeconds>"));
    EXPECT_EQ(error.code, ErrorCode::InvalidValue);

    error = parse_error(lap("<Track>\n<Trackpoint><DistanceMeters>1</DistanceMeters></Trackpoint>"
                            "</Track>"));
    EXPECT_EQ(error.code, ErrorCode::MissingField);
    EXPECT_EQ(error.line, 4U);

    error = parse_error(lap("<Track><Trackpoint><Time>2024-01-01T00:00:00Z</Time><Position>"
                            "<LatitudeDegrees>95</LatitudeDegrees><LongitudeDegrees>1"
                            "</LongitudeDegrees></Position></Trackpoint></Track>"));
    EXPECT_EQ(error.code, ErrorCode::InvalidValue);

    error = parse_error(lap("<Intensity>Lazy</Intensity>"));
    EXPECT_EQ(error.code, ErrorCode::InvalidValue);

    error = parse_error(lap("<AverageHeartRateBpm>120</AverageHeartRateBpm>"));
    EXPECT_EQ(error.code, ErrorCode::MissingField);

    EXPECT_EQ(parse_error("  \n").code, ErrorCode::Empty);
}

TEST(TcxRead, TimeGoingBackwardsAcrossLapsIsRejectedUnlessKept) {
    const std::string xml = R"(<TrainingCenterDatabase><Activities><Activity Sport="Running">
<Lap><Track><Trackpoint><Time>2024-01-01T00:00:10Z</Time></Trackpoint></Track></Lap>
<Lap><Track>
<Trackpoint><Time>2024-01-01T00:00:09Z</Time></Trackpoint></Track></Lap>
</Activity></Activities></TrainingCenterDatabase>)";
    const Error error = parse_error(xml);
    EXPECT_EQ(error.code, ErrorCode::TimeOrder);
    EXPECT_EQ(error.line, 4U);
    const auto kept = parse_tcx(xml, TcxTimeOrder::Keep);
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->activities[0].laps.size(), 2U);
}

TEST(TcxWrite, RoundTripKeepsEverything) {
    TcxDocument document = parse_ok(bike_ride);
    TcxLap& lap = document.activities[0].laps[0];
    lap.average_run_cadence_spm = 85;
    lap.maximum_run_cadence_spm = 95;
    lap.maximum_bike_cadence_rpm = 120;
    lap.steps = 491;
    lap.tracks[0].points[1].run_cadence_spm = 86;
    lap.tracks[0].points[1].sensor_state = TcxSensorState::Absent;
    lap.notes = "a < b & c";
    document.activities[0].creator->version->build_major = 0;
    TcxCourse course;
    course.name = "Loop";
    course.notes = "easy";
    TcxCourseLap course_lap;
    course_lap.distance_m = 1000;
    course_lap.end_position = TcxPosition{-33.1234567890123, 151.2};
    course_lap.end_altitude_m = 12.5;
    course.laps.push_back(course_lap);
    TcxCoursePoint point;
    point.name = "Water";
    point.position = TcxPosition{-33.1, 151.3};
    point.point_type = "Water";
    course.course_points.push_back(point);
    course.creator = TcxCreator{"Phone", std::nullopt, std::nullopt, std::nullopt};
    document.courses.push_back(course);
    document.author->part_number = "006-D2449-00";
    document.author->build_type = "Release";

    const std::string xml = write_tcx(document);
    EXPECT_NE(xml.find("<ns3:LX>"), std::string::npos);
    EXPECT_NE(xml.find("<ns3:TPX>"), std::string::npos);
    const TcxDocument again = parse_ok(xml);
    EXPECT_EQ(again, document);
    EXPECT_EQ(write_tcx(again), xml);
}

TEST(TcxRead, EmptyOptionalValuesAreAbsentAndOddIdsAreIgnored) {
    const TcxDocument document = parse_ok(R"(<TrainingCenterDatabase><Activities>
<Activity Sport="Running"><Id>morning-run-17</Id><Lap StartTime="">
<Calories/><Track><Trackpoint><Time>2024-01-01T00:00:00Z</Time><AltitudeMeters></AltitudeMeters>
<HeartRateBpm><Value/></HeartRateBpm><Position><LatitudeDegrees>1</LatitudeDegrees>
<LongitudeDegrees>2</LongitudeDegrees></Position></Trackpoint></Track></Lap>
<Creator><Name>x</Name><UnitId/></Creator></Activity></Activities></TrainingCenterDatabase>)");
    const TcxActivity& activity = document.activities.at(0);
    EXPECT_FALSE(activity.id);
    EXPECT_FALSE(activity.laps.at(0).start_time);
    EXPECT_FALSE(activity.laps.at(0).calories_kcal);
    const TcxTrackpoint& point = activity.laps[0].tracks.at(0).points.at(0);
    EXPECT_FALSE(point.altitude_m);
    EXPECT_FALSE(point.heart_rate_bpm);
    EXPECT_TRUE(point.position);
    EXPECT_FALSE(activity.creator->unit_id);

    // The time a trackpoint must have cannot be empty, and a position needs both coordinates.
    EXPECT_EQ(parse_error(R"(<TrainingCenterDatabase><Activities><Activity><Lap><Track>
<Trackpoint><Time/></Trackpoint></Track></Lap></Activity></Activities></TrainingCenterDatabase>)")
                  .code,
              ErrorCode::MissingField);
    EXPECT_EQ(parse_error(R"(<TrainingCenterDatabase><Activities><Activity><Lap><Track>
<Trackpoint><Time>2024-01-01T00:00:00Z</Time><Position><LatitudeDegrees/><LongitudeDegrees>2
</LongitudeDegrees></Position></Trackpoint></Track></Lap></Activity></Activities>
</TrainingCenterDatabase>)")
                  .code,
              ErrorCode::MissingField);
}

} // namespace
} // namespace hearth::formats
