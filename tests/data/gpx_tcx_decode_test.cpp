// Decoding checks over the GPX and TCX files in ../shared/data/activities, against the oracles
// their source projects' own tests state (see each folder's SOURCE.txt and EXPECTED_*.tsv).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/file.h"
#include "gpx/gpx.h"
#include "tcx/tcx.h"

namespace hearth::formats {
namespace {

namespace fs = std::filesystem;

fs::path activities_dir() {
    return fs::path(HEARTH_DATA_DIR) / "activities";
}

std::vector<fs::path> files_with_extension(const fs::path& dir, std::string_view extension) {
    std::vector<fs::path> out;
    if (!fs::is_directory(dir)) {
        return out;
    }
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() == extension) {
            out.push_back(entry.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

#define SKIP_WITHOUT(dir)                                                                          \
    if (!fs::is_directory(dir)) {                                                                  \
        GTEST_SKIP() << "data folder " << (dir) << " is absent";                                   \
    }

GpxDocument load_gpx(const std::string& name) {
    const auto text = read_file_text(activities_dir() / "gpxpy-test-files" / name);
    EXPECT_TRUE(text) << name;
    if (!text) {
        return {};
    }
    auto document = parse_gpx(*text);
    EXPECT_TRUE(document) << name << ": " << (document ? "" : document.error().describe());
    return document ? *document : GpxDocument{};
}

std::size_t point_count(const GpxTrack& track) {
    std::size_t count = 0;
    for (const auto& segment : track.segments) {
        count += segment.points.size();
    }
    return count;
}

std::size_t timed_points(const GpxTrack& track) {
    std::size_t count = 0;
    for (const auto& segment : track.segments) {
        count += static_cast<std::size_t>(
            std::count_if(segment.points.begin(), segment.points.end(),
                          [](const GpxPoint& point) { return point.time.has_value(); }));
    }
    return count;
}

TEST(GpxData, EveryFileParsesAndRoundTrips) {
    const fs::path dir = activities_dir() / "gpxpy-test-files";
    SKIP_WITHOUT(dir);
    const auto files = files_with_extension(dir, ".gpx");
    ASSERT_GE(files.size(), 20U);
    for (const auto& path : files) {
        SCOPED_TRACE(path.filename().string());
        const auto text = read_file_text(path);
        ASSERT_TRUE(text);
        const auto document = parse_gpx(*text);
        ASSERT_TRUE(document) << document.error().describe();
        auto reparsed = parse_gpx(write_gpx(*document));
        ASSERT_TRUE(reparsed) << reparsed.error().describe();
        reparsed->version = document->version;
        EXPECT_TRUE(*reparsed == *document);
    }
}

TEST(GpxData, KoritaHasFourTracksAndTheSecondIsTimeless) {
    SKIP_WITHOUT(activities_dir() / "gpxpy-test-files");
    const GpxDocument document = load_gpx("korita-zbevnica.gpx");
    // gpxpy's has_times(): every point of tracks 0 (which is empty), 2 and 3 is timed, and
    // none of track 1's.
    ASSERT_EQ(document.tracks.size(), 4U);
    EXPECT_EQ(point_count(document.tracks[0]), 0U);
    EXPECT_GT(point_count(document.tracks[1]), 0U);
    EXPECT_EQ(timed_points(document.tracks[1]), 0U);
    for (const std::size_t i : {2U, 3U}) {
        EXPECT_GT(point_count(document.tracks[i]), 0U);
        EXPECT_EQ(timed_points(document.tracks[i]), point_count(document.tracks[i]));
    }
}

TEST(GpxData, MojstrovkaFirstPointHasOddOldTimestamps) {
    SKIP_WITHOUT(activities_dir() / "gpxpy-test-files");
    const GpxDocument document = load_gpx("Mojstrovka.gpx");
    const auto& points = document.tracks.at(0).segments.at(0).points;
    ASSERT_GE(points.size(), 2U);
    EXPECT_DOUBLE_EQ(*points[0].elevation_m, 1614.678);
    EXPECT_EQ(format_iso8601(*points[0].time), "1901-12-13T20:45:52.207343Z");
    EXPECT_EQ(format_iso8601(*points[1].time), "1901-12-13T20:45:52.207Z");
}

TEST(GpxData, SpeedElementsAreRead) {
    SKIP_WITHOUT(activities_dir() / "gpxpy-test-files");
    const GpxDocument document = load_gpx("track_with_speed.gpx");
    const auto& points = document.tracks.at(0).segments.at(0).points;
    ASSERT_EQ(points.size(), 3U);
    EXPECT_DOUBLE_EQ(*points[0].speed_m_per_s, 1.2);
    EXPECT_DOUBLE_EQ(*points[1].speed_m_per_s, 2.2);
}

TEST(GpxData, DilutionAndCreator) {
    SKIP_WITHOUT(activities_dir() / "gpxpy-test-files");
    const GpxDocument dilution = load_gpx("track_with_dilution_errors.gpx");
    ASSERT_FALSE(dilution.waypoints.empty());
    EXPECT_DOUBLE_EQ(*dilution.waypoints[0].hdop, 100.1);
    EXPECT_DOUBLE_EQ(*dilution.waypoints[0].vdop, 101.1);

    const GpxDocument lake = load_gpx("cerknicko-jezero.gpx");
    EXPECT_EQ(lake.creator, "GPSBabel - http://www.gpsbabel.org");
    ASSERT_EQ(lake.waypoints.size(), 7U);
    const auto timed = std::find_if(lake.waypoints.begin(), lake.waypoints.end(),
                                    [](const GpxPoint& point) { return point.time.has_value(); });
    ASSERT_NE(timed, lake.waypoints.end());
    EXPECT_EQ(format_iso8601(*timed->time), "2010-08-05T14:23:59Z");
    EXPECT_FALSE(load_gpx("cerknicko-jezero-no-creator.gpx").creator);
}

TEST(GpxData, GarminExtensionAndTimeZones) {
    SKIP_WITHOUT(activities_dir() / "gpxpy-test-files");
    const GpxDocument garmin = load_gpx("gpx_with_garmin_extension.gpx");
    ASSERT_FALSE(garmin.waypoints.empty());
    EXPECT_EQ(garmin.waypoints[0].heart_rate_bpm, 171.0);

    // "2015-12-11T15:43:13.994+01:00" is 14:43:13.994 UTC.
    const GpxDocument less_sec = load_gpx("track-with-less-sec-time.gpx");
    const auto& points = less_sec.tracks.at(0).segments.at(0).points;
    ASSERT_GE(points.size(), 2U);
    EXPECT_EQ(format_iso8601(*points[1].time), "2015-12-11T14:43:13.994Z");
}

TEST(GpxData, UnicodeAndBomFilesParse) {
    SKIP_WITHOUT(activities_dir() / "gpxpy-test-files");
    for (const char* name : {"unicode.gpx", "unicode2.gpx", "unicode_with_bom.gpx",
                             "unicode_with_bom_noencoding.gpx"}) {
        SCOPED_TRACE(name);
        const GpxDocument document = load_gpx(name);
        EXPECT_FALSE(document.waypoints.empty() && document.tracks.empty() &&
                     document.routes.empty());
    }
}

TEST(GpxData, EmptySegmentIsKept) {
    SKIP_WITHOUT(activities_dir() / "gpxpy-test-files");
    const GpxDocument document = load_gpx("track-with-empty-segment.gpx");
    ASSERT_FALSE(document.tracks.empty());
    const auto& segments = document.tracks[0].segments;
    EXPECT_TRUE(std::any_of(segments.begin(), segments.end(),
                            [](const GpxSegment& segment) { return segment.points.empty(); }));
}

TEST(GpxData, BackwardTimesAreRejectedOnRequestWithTheLine) {
    SKIP_WITHOUT(activities_dir() / "gpxpy-test-files");
    const auto text = read_file_text(activities_dir() / "gpxpy-test-files" / "Mojstrovka.gpx");
    ASSERT_TRUE(text);
    const auto document = parse_gpx(*text, GpxTimeOrder::Reject);
    ASSERT_FALSE(document);
    EXPECT_EQ(document.error().code, ErrorCode::TimeOrder);
    EXPECT_EQ(document.error().line, 16U); // the second <trkpt>, .207 after .207343
}

// gpxpy's extension tests: namespaced and bare extension trees with attributes survive.
TEST(GpxData, ExtensionTreesAreKept) {
    SKIP_WITHOUT(activities_dir() / "gpxpy-test-files");
    for (const char* name :
         {"gpx1.1_with_extensions.gpx", "gpx1.1_with_extensions_without_namespaces.gpx"}) {
        SCOPED_TRACE(name);
        const bool namespaced = std::string_view(name).find("without") == std::string_view::npos;
        const GpxDocument document = load_gpx(name);
        ASSERT_EQ(document.waypoints.size(), 1U);
        const auto& extensions = document.waypoints[0].extensions;
        ASSERT_EQ(extensions.size(), 2U);
        EXPECT_EQ(extensions[0].namespace_uri, namespaced ? "gpx.py" : "");
        EXPECT_EQ(extensions[0].name, "aaa");
        EXPECT_EQ(extensions[0].value, "bbb");
        ASSERT_EQ(extensions[0].attributes.size(), 1U);
        EXPECT_EQ(extensions[0].attributes[0].first, namespaced ? "{gpx.py}jjj" : "jjj");
        EXPECT_EQ(extensions[0].attributes[0].second, "kkk");
        EXPECT_EQ(extensions[1].name, "ccc");
        ASSERT_EQ(extensions[1].children.size(), 1U);
        const GpxExtension& ddd = extensions[1].children[0];
        EXPECT_EQ(ddd.name, "ddd");
        EXPECT_EQ(ddd.attributes.size(), 2U);
        ASSERT_EQ(ddd.children.size(), 1U);
        EXPECT_EQ(ddd.children[0].value, "ggg");

        // Written back, every prefix used is declared on the root.
        const std::string xml = write_gpx(document);
        if (namespaced) {
            EXPECT_NE(xml.find("=\"gpx.py\""), std::string::npos);
            EXPECT_EQ(xml.find("ext:jjj"), std::string::npos);
        }
    }
}

fs::path tcx_dir() {
    return activities_dir() / "tcxparser-files";
}

TcxDocument load_tcx(const std::string& name) {
    const auto text = read_file_text(tcx_dir() / name);
    EXPECT_TRUE(text) << name;
    if (!text) {
        return {};
    }
    auto document = parse_tcx(*text);
    EXPECT_TRUE(document) << name << ": " << (document ? "" : document.error().describe());
    return document ? *document : TcxDocument{};
}

std::vector<TcxTrackpoint> all_points(const TcxActivity& activity) {
    std::vector<TcxTrackpoint> out;
    for (const auto& lap : activity.laps) {
        for (const auto& track : lap.tracks) {
            out.insert(out.end(), track.points.begin(), track.points.end());
        }
    }
    return out;
}

TEST(TcxData, EveryFileParsesAndRoundTrips) {
    SKIP_WITHOUT(tcx_dir());
    const auto files = files_with_extension(tcx_dir(), ".tcx");
    ASSERT_GE(files.size(), 3U);
    for (const auto& path : files) {
        SCOPED_TRACE(path.filename().string());
        const auto text = read_file_text(path);
        ASSERT_TRUE(text);
        const auto document = parse_tcx(*text);
        ASSERT_TRUE(document) << document.error().describe();
        ASSERT_FALSE(document->activities.empty());
        const auto reparsed = parse_tcx(write_tcx(*document));
        ASSERT_TRUE(reparsed) << reparsed.error().describe();
        EXPECT_TRUE(*reparsed == *document);
    }
}

// The decoding quantities of EXPECTED_tcxparser-tests.tsv (python-tcxparser's own tests).
TEST(TcxData, TestTcxMatchesTcxparserExpectations) {
    SKIP_WITHOUT(tcx_dir());
    const TcxDocument document = load_tcx("test.tcx");
    ASSERT_EQ(document.activities.size(), 1U);
    const TcxActivity& activity = document.activities[0];
    EXPECT_EQ(activity.sport, "Running");
    EXPECT_EQ(activity.notes, "Aerobics");
    ASSERT_TRUE(activity.creator);
    EXPECT_EQ(activity.creator->name, "Forerunner 410 Software Version 2.20");
    EXPECT_EQ(activity.creator->unit_id, 3854007508U);
    EXPECT_EQ(activity.creator->product_id, 1250U);

    double duration_s = 0.0;
    double calories_kcal = 0.0;
    for (const auto& lap : activity.laps) {
        duration_s += lap.total_time_s.value_or(0.0);
        calories_kcal += lap.calories_kcal.value_or(0.0);
    }
    EXPECT_NEAR(duration_s, 1992.78, 1e-9);
    EXPECT_DOUBLE_EQ(calories_kcal, 379.0);

    const auto points = all_points(activity);
    ASSERT_FALSE(points.empty());
    EXPECT_EQ(format_iso8601(points.front().time), "2012-12-26T21:29:53Z");
    EXPECT_EQ(format_iso8601(points.back().time), "2012-12-26T22:03:05Z");

    std::vector<double> hr;
    std::vector<double> altitude;
    std::vector<double> distance;
    std::vector<TcxPosition> positions;
    for (const auto& point : points) {
        if (point.heart_rate_bpm) {
            hr.push_back(*point.heart_rate_bpm);
        }
        if (point.altitude_m) {
            altitude.push_back(*point.altitude_m);
        }
        if (point.distance_m) {
            distance.push_back(*point.distance_m);
        }
        if (point.position) {
            positions.push_back(*point.position);
        }
    }
    ASSERT_FALSE(hr.empty());
    EXPECT_EQ(hr.front(), 62.0);
    EXPECT_EQ(hr.back(), 180.0);
    EXPECT_EQ(*std::max_element(hr.begin(), hr.end()), 189.0);
    EXPECT_EQ(*std::min_element(hr.begin(), hr.end()), 60.0);
    double hr_sum = 0.0;
    for (const double value : hr) {
        hr_sum += value;
    }
    EXPECT_EQ(static_cast<int>(hr_sum / static_cast<double>(hr.size())), 156);

    ASSERT_FALSE(altitude.empty());
    EXPECT_DOUBLE_EQ(altitude.front(), 178.942626953);
    EXPECT_DOUBLE_EQ(altitude.back(), 166.4453125);
    EXPECT_DOUBLE_EQ(*std::max_element(altitude.begin(), altitude.end()), 215.95324707);
    EXPECT_DOUBLE_EQ(*std::min_element(altitude.begin(), altitude.end()), 157.793579102);
    double altitude_sum = 0.0;
    double ascent_m = 0.0;
    double descent_m = 0.0;
    for (std::size_t i = 0; i < altitude.size(); ++i) {
        altitude_sum += altitude[i];
        if (i > 0) {
            const double step = altitude[i] - altitude[i - 1];
            (step > 0 ? ascent_m : descent_m) += std::fabs(step);
        }
    }
    EXPECT_NEAR(altitude_sum / static_cast<double>(altitude.size()), 172.020056184, 1e-7);
    EXPECT_NEAR(ascent_m, 153.80981445, 1e-6);
    EXPECT_NEAR(descent_m, 166.307128903, 1e-6);

    ASSERT_FALSE(distance.empty());
    EXPECT_DOUBLE_EQ(distance.front(), 0.0);
    EXPECT_DOUBLE_EQ(distance.back(), 4686.31103516);

    ASSERT_FALSE(positions.empty());
    EXPECT_DOUBLE_EQ(positions.front().latitude_deg, 35.951880198);
    EXPECT_DOUBLE_EQ(positions.front().longitude_deg, -79.0931872185);
    EXPECT_DOUBLE_EQ(positions.back().latitude_deg, 35.9519544616);
    EXPECT_DOUBLE_EQ(positions.back().longitude_deg, -79.0930143837);
}

TEST(TcxData, NoHrFileHasNoHeartRate) {
    SKIP_WITHOUT(tcx_dir());
    const TcxDocument document = load_tcx("no_hr.tcx");
    ASSERT_FALSE(document.activities.empty());
    const auto points = all_points(document.activities[0]);
    EXPECT_FALSE(points.empty());
    for (const auto& point : points) {
        EXPECT_FALSE(point.heart_rate_bpm);
    }
}

TEST(TcxData, PaddleboardStepsFromLapExtensions) {
    SKIP_WITHOUT(tcx_dir());
    const TcxDocument document = load_tcx("sup_activity_1.tcx");
    ASSERT_EQ(document.activities.size(), 1U);
    const TcxActivity& activity = document.activities[0];
    EXPECT_EQ(activity.sport, "Other");
    double steps = 0.0;
    for (const auto& lap : activity.laps) {
        steps += lap.steps.value_or(0.0);
        EXPECT_TRUE(lap.average_speed_m_per_s);
    }
    EXPECT_EQ(steps, 491.0);
    const auto points = all_points(activity);
    ASSERT_FALSE(points.empty());
    EXPECT_DOUBLE_EQ(*points.front().speed_m_per_s, 0.2680000066757202);
    ASSERT_TRUE(document.author);
    EXPECT_FALSE(document.author->name.empty());
}

} // namespace
} // namespace hearth::formats
