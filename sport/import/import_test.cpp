#include "import/import.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::sport {
namespace {

std::vector<std::uint8_t> bytes_of(std::string_view text) {
    return {text.begin(), text.end()};
}

TEST(DetectFormat, FitHeaderSignatureWinsOverExtension) {
    std::vector<std::uint8_t> header{14, 0x20, 0x00, 0x08, 0, 0, 0, 0, '.', 'F', 'I', 'T', 0, 0};
    EXPECT_EQ(detect_format(header, ".gpx"), FileFormat::Fit);
}

TEST(DetectFormat, XmlRootDecidesGpxAndTcx) {
    EXPECT_EQ(detect_format(bytes_of("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n"
                                     "<gpx version=\"1.1\"></gpx>"),
                            ".tcx"),
              FileFormat::Gpx);
    EXPECT_EQ(detect_format(bytes_of("<?xml version=\"1.0\"?><TrainingCenterDatabase "
                                     "xmlns=\"x\"/>"),
                            ".fit"),
              FileFormat::Tcx);
    EXPECT_EQ(detect_format(bytes_of("<ns:gpx xmlns:ns=\"x\"/>")), FileFormat::Gpx);
}

TEST(DetectFormat, ExtensionIsOnlyAHint) {
    EXPECT_EQ(detect_format(bytes_of("hello"), ".FIT"), FileFormat::Fit);
    EXPECT_EQ(detect_format(bytes_of("hello"), ".txt"), std::nullopt);
    EXPECT_EQ(detect_format(bytes_of("<html></html>"), ""), std::nullopt);
}

TEST(ImportBytes, EmptyAndUnknownInputAreErrorsNotCrashes) {
    auto empty = import_bytes({}, ".fit");
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().code, formats::ErrorCode::Empty);
    auto unknown = import_bytes(bytes_of("just text"), ".txt");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, formats::ErrorCode::Unsupported);
}

constexpr std::string_view two_track_gpx = R"(<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"
     xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
  <trk><name>morning</name><type>running</type><trkseg>
    <trkpt lat="46.0" lon="14.0"><ele>300</ele><time>2020-05-01T06:00:00Z</time>
      <extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>120</gpxtpx:hr>
      <gpxtpx:cad>80</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>
    <trkpt lat="46.001" lon="14.0"><ele>301</ele><time>2020-05-01T06:00:30Z</time></trkpt>
    <trkpt lat="46.002" lon="14.0"><time>2020-05-01T06:01:00Z</time></trkpt>
  </trkseg></trk>
  <trk><type>Ride</type><trkseg>
    <trkpt lat="46.1" lon="14.1"><time>2020-05-01T07:00:00Z</time></trkpt>
    <trkpt lat="46.1" lon="14.2"></trkpt>
  </trkseg></trk>
</gpx>)";

TEST(GpxImport, OneActivityPerTrackWithSportFromType) {
    auto w = import_gpx(two_track_gpx);
    ASSERT_TRUE(w) << w.error().describe();
    EXPECT_EQ(w->format, FileFormat::Gpx);
    ASSERT_EQ(w->activities.size(), 2U);
    const Activity& run = w->activities[0];
    EXPECT_EQ(run.sport, Sport::Running);
    EXPECT_EQ(run.name, "morning");
    ASSERT_EQ(run.records.size(), 3U);
    EXPECT_EQ(run.start_time_ms, 1588312800000);
    EXPECT_EQ(run.records[0].heart_rate_bpm, 120.0);
    EXPECT_EQ(run.records[0].cadence, 80.0);
    EXPECT_EQ(run.records[1].altitude_m, 301.0);
    EXPECT_FALSE(run.records[2].altitude_m);
    EXPECT_FALSE(run.device_summary); // GPX never has one
    EXPECT_EQ(w->activities[1].sport, Sport::Cycling);
    // The untimed point is left out, with a warning.
    EXPECT_EQ(w->activities[1].records.size(), 1U);
    ASSERT_EQ(w->warnings.size(), 1U);
}

TEST(GpxImport, MergedGivesOneActivityInTimeOrder) {
    ImportOptions options;
    options.gpx_grouping = GpxGrouping::Merged;
    auto w = import_gpx(two_track_gpx, options);
    ASSERT_TRUE(w);
    ASSERT_EQ(w->activities.size(), 1U);
    EXPECT_EQ(w->activities[0].records.size(), 4U);
    EXPECT_EQ(w->activities[0].sport, Sport::Running);
}

TEST(GpxImport, MalformedXmlIsAnErrorWithALine) {
    auto w = import_gpx("<gpx>\n<trk><trkseg>\n<trkpt lat=\"x\"");
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().format, "gpx");
}

constexpr std::string_view two_lap_tcx = R"(<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
 <Activities><Activity Sport="Running"><Id>2020-05-01T06:00:00Z</Id>
  <Lap StartTime="2020-05-01T06:00:00Z"><TotalTimeSeconds>100</TotalTimeSeconds>
   <DistanceMeters>300</DistanceMeters><MaximumSpeed>4</MaximumSpeed><Calories>20</Calories>
   <AverageHeartRateBpm><Value>140</Value></AverageHeartRateBpm>
   <MaximumHeartRateBpm><Value>150</Value></MaximumHeartRateBpm>
   <Intensity>Active</Intensity><TriggerMethod>Distance</TriggerMethod>
   <Track><Trackpoint><Time>2020-05-01T06:00:00Z</Time><DistanceMeters>0</DistanceMeters>
   <HeartRateBpm><Value>130</Value></HeartRateBpm></Trackpoint>
   <Trackpoint><Time>2020-05-01T06:01:40Z</Time><DistanceMeters>300</DistanceMeters>
   </Trackpoint></Track></Lap>
  <Lap StartTime="2020-05-01T06:01:40Z"><TotalTimeSeconds>300</TotalTimeSeconds>
   <DistanceMeters>700</DistanceMeters><Calories>50</Calories>
   <AverageHeartRateBpm><Value>160</Value></AverageHeartRateBpm>
   <MaximumHeartRateBpm><Value>175</Value></MaximumHeartRateBpm>
   <Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>
   <Track><Trackpoint><Time>2020-05-01T06:06:40Z</Time><DistanceMeters>1000</DistanceMeters>
   </Trackpoint></Track></Lap>
 </Activity></Activities>
</TrainingCenterDatabase>)";

TEST(TcxImport, LapsKeepTheirTotalsAndSumToTheDeviceSummary) {
    auto w = import_tcx(two_lap_tcx);
    ASSERT_TRUE(w) << w.error().describe();
    ASSERT_EQ(w->activities.size(), 1U);
    const Activity& a = w->activities[0];
    EXPECT_EQ(a.sport, Sport::Running);
    ASSERT_EQ(a.laps.size(), 2U);
    EXPECT_EQ(a.laps[0].totals.timer_time_s, 100.0);
    EXPECT_EQ(a.laps[0].trigger, LapTrigger::Distance);
    EXPECT_EQ(a.laps[1].trigger, LapTrigger::Manual);
    EXPECT_EQ(a.records.size(), 3U);
    ASSERT_TRUE(a.device_summary);
    const Totals& t = *a.device_summary;
    EXPECT_DOUBLE_EQ(*t.timer_time_s, 400.0);
    EXPECT_DOUBLE_EQ(*t.distance_m, 1000.0);
    EXPECT_DOUBLE_EQ(*t.energy_kcal, 70.0);
    EXPECT_DOUBLE_EQ(*t.max_heart_rate_bpm, 175.0);
    // Time-weighted: (140 * 100 + 160 * 300) / 400.
    EXPECT_DOUBLE_EQ(*t.avg_heart_rate_bpm, 155.0);
    EXPECT_DOUBLE_EQ(*t.avg_speed_mps, 2.5);
    EXPECT_DOUBLE_EQ(*t.elapsed_time_s, 400.0);
}

TEST(Model, PausesComeFromStopThenStart) {
    Activity a;
    a.timer_events = {{1000, TimerAction::Start}, {5000, TimerAction::Stop},
                      {9000, TimerAction::Start}, {12000, TimerAction::Stop},
                      {12500, TimerAction::Stop}, {15000, TimerAction::Start}};
    const auto p = pauses(a);
    ASSERT_EQ(p.size(), 2U);
    EXPECT_EQ(p[0].start_ms, 5000);
    EXPECT_EQ(p[0].end_ms, 9000);
    EXPECT_EQ(p[1].start_ms, 12000);
    EXPECT_EQ(p[1].end_ms, 15000);
}

TEST(Model, SportNamesParseFromCommonSpellings) {
    EXPECT_EQ(parse_sport("Biking"), Sport::Cycling);
    EXPECT_EQ(parse_sport("trail_running"), Sport::Running);
    EXPECT_EQ(parse_sport("cross_country_skiing"), Sport::CrossCountrySkiing);
    EXPECT_EQ(parse_sport("Hike"), Sport::Hiking);
    EXPECT_EQ(parse_sport("underwater basket weaving"), Sport::Other);
    for (Sport s : {Sport::Running, Sport::Cycling, Sport::Swimming, Sport::Transition,
                    Sport::EBiking, Sport::FitnessEquipment}) {
        EXPECT_EQ(parse_sport(to_string(s)), s);
    }
}

} // namespace
} // namespace hearth::sport
