#include "gpx/gpx.h"

#include <gtest/gtest.h>

namespace hearth::formats {
namespace {

GpxDocument parse_ok(std::string_view xml) {
    auto document = parse_gpx(xml);
    EXPECT_TRUE(document.has_value()) << (document ? "" : document.error().describe());
    return document ? *document : GpxDocument{};
}

Error parse_error(std::string_view xml, GpxTimeOrder order = GpxTimeOrder::Keep) {
    auto document = parse_gpx(xml, order);
    EXPECT_FALSE(document.has_value());
    return document ? Error{} : document.error();
}

constexpr std::string_view garmin_track = R"(<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Garmin Connect" xmlns="http://www.topografix.com/GPX/1/1"
     xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
  <metadata><name>Morning Run</name><time>2024-05-01T06:00:00+02:00</time></metadata>
  <trk>
    <name>Morning Run</name><type>running</type>
    <trkseg>
      <trkpt lat="46.5" lon="15.6">
        <ele>300.5</ele><time>2024-05-01T04:00:00Z</time>
        <extensions><ns3:TrackPointExtension>
          <ns3:hr>120</ns3:hr><ns3:cad>80</ns3:cad><ns3:atemp>21.5</ns3:atemp>
        </ns3:TrackPointExtension><power>250</power></extensions>
      </trkpt>
      <trkpt lat="46.5001" lon="15.6001">
        <time>2024-05-01T04:00:01.5Z</time>
      </trkpt>
    </trkseg>
    <trkseg/>
  </trk>
</gpx>)";

TEST(GpxRead, GarminTrackWithExtensions) {
    const GpxDocument document = parse_ok(garmin_track);
    EXPECT_EQ(document.version, GpxVersion::V1_1);
    EXPECT_EQ(document.creator, "Garmin Connect");
    EXPECT_EQ(document.metadata.name, "Morning Run");
    ASSERT_TRUE(document.metadata.time);
    EXPECT_EQ(format_iso8601(*document.metadata.time), "2024-05-01T04:00:00Z");
    ASSERT_EQ(document.tracks.size(), 1U);
    const GpxTrack& track = document.tracks[0];
    EXPECT_EQ(track.info.type, "running");
    ASSERT_EQ(track.segments.size(), 2U);
    EXPECT_TRUE(track.segments[1].points.empty());
    ASSERT_EQ(track.segments[0].points.size(), 2U);
    const GpxPoint& first = track.segments[0].points[0];
    EXPECT_DOUBLE_EQ(first.latitude_deg, 46.5);
    EXPECT_DOUBLE_EQ(first.longitude_deg, 15.6);
    EXPECT_EQ(first.elevation_m, 300.5);
    EXPECT_EQ(first.heart_rate_bpm, 120.0);
    EXPECT_EQ(first.cadence_rpm, 80.0);
    EXPECT_EQ(first.air_temperature_c, 21.5);
    EXPECT_EQ(first.power_w, 250.0);
    EXPECT_TRUE(first.extensions.empty());
    const GpxPoint& second = track.segments[0].points[1];
    EXPECT_FALSE(second.elevation_m);
    EXPECT_FALSE(second.heart_rate_bpm);
    EXPECT_EQ(second.time->unix_us - first.time->unix_us, 1'500'000);
}

TEST(GpxRead, Gpx10FieldsWithoutNamespace) {
    const GpxDocument document = parse_ok(R"(<gpx version="1.0" creator="x">
  <name>n</name><author>me</author><email>me@example.org</email>
  <url>http://example.org</url><urlname>site</urlname>
  <trk><trkseg><trkpt lat="1" lon="2"><speed>1.2</speed><course>90</course></trkpt></trkseg></trk>
</gpx>)");
    EXPECT_EQ(document.version, GpxVersion::V1_0);
    EXPECT_EQ(document.metadata.name, "n");
    ASSERT_TRUE(document.metadata.author);
    EXPECT_EQ(document.metadata.author->name, "me");
    EXPECT_EQ(document.metadata.author->email, "me@example.org");
    ASSERT_EQ(document.metadata.links.size(), 1U);
    EXPECT_EQ(document.metadata.links[0].href, "http://example.org");
    EXPECT_EQ(document.metadata.links[0].text, "site");
    const GpxPoint& point = document.tracks.at(0).segments.at(0).points.at(0);
    EXPECT_EQ(point.speed_m_per_s, 1.2);
    EXPECT_EQ(point.course_deg, 90.0);
    EXPECT_FALSE(point.time);
}

TEST(GpxRead, RoutesAndWaypointsWithoutTimesAreValid) {
    const GpxDocument document = parse_ok(R"(<gpx version="1.1" creator="x">
  <wpt lat="10" lon="20"><name>Hut</name><sym>Lodge</sym></wpt>
  <rte><name>r</name><rtept lat="10" lon="20"/><rtept lat="-10.5" lon="-179.9"/></rte>
</gpx>)");
    ASSERT_EQ(document.waypoints.size(), 1U);
    EXPECT_EQ(document.waypoints[0].name, "Hut");
    EXPECT_EQ(document.waypoints[0].symbol, "Lodge");
    ASSERT_EQ(document.routes.size(), 1U);
    EXPECT_EQ(document.routes[0].info.name, "r");
    ASSERT_EQ(document.routes[0].points.size(), 2U);
    EXPECT_EQ(document.routes[0].points[1].longitude_deg, -179.9);
    EXPECT_FALSE(document.routes[0].points[1].time);
}

TEST(GpxRead, BomCommentsCdataAndUnicode) {
    const std::string xml = "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- hi -->\n"
                            "<gpx version=\"1.1\" creator=\"c\"><metadata><name>"
                            "\xC5\xA0marna <!-- c --><![CDATA[gora]]></name></metadata></gpx>";
    const GpxDocument document = parse_ok(xml);
    EXPECT_EQ(document.metadata.name, "\xC5\xA0marna gora");
}

TEST(GpxRead, UnknownExtensionsAreKeptWithNamespaces) {
    const GpxDocument document = parse_ok(R"(<gpx version="1.1" creator="c"
    xmlns="http://www.topografix.com/GPX/1/1" xmlns:e="urn:example">
  <wpt lat="1" lon="2"><extensions><e:a k="v">b</e:a><plain><inner>x</inner></plain></extensions></wpt>
</gpx>)");
    const auto& extensions = document.waypoints.at(0).extensions;
    ASSERT_EQ(extensions.size(), 2U);
    EXPECT_EQ(extensions[0].namespace_uri, "urn:example");
    EXPECT_EQ(extensions[0].name, "a");
    EXPECT_EQ(extensions[0].value, "b");
    ASSERT_EQ(extensions[0].attributes.size(), 1U);
    EXPECT_EQ(extensions[0].attributes[0].first, "k");
    EXPECT_EQ(extensions[1].namespace_uri, "");
    ASSERT_EQ(extensions[1].children.size(), 1U);
    EXPECT_EQ(extensions[1].children[0].value, "x");
}

TEST(GpxRead, ErrorsCarryTheLine) {
    Error error = parse_error("<gpx version=\"1.1\">\n<trk>\n<trkseg>\n</trk></gpx>");
    EXPECT_EQ(error.code, ErrorCode::InvalidSyntax);
    EXPECT_EQ(error.line, 4U);
    EXPECT_EQ(error.format, "gpx");

    error = parse_error("<?xml version=\"1.0\"?>\n<kml/>");
    EXPECT_EQ(error.code, ErrorCode::BadHeader);
    EXPECT_EQ(error.line, 2U);

    error = parse_error("<gpx>\n<wpt lat=\"1\" lon=\"2\">\n<ele>high</ele></wpt></gpx>");
    EXPECT_EQ(error.code, ErrorCode::InvalidSyntax);
    EXPECT_EQ(error.line, 3U);
    EXPECT_NE(error.describe().find("high"), std::string::npos);

    error = parse_error("<gpx>\n\n<wpt lat=\"91\" lon=\"2\"/></gpx>");
    EXPECT_EQ(error.code, ErrorCode::InvalidValue);
    EXPECT_EQ(error.line, 3U);

    error = parse_error("<gpx><wpt lon=\"2\"/></gpx>");
    EXPECT_EQ(error.code, ErrorCode::MissingField);

    error = parse_error("<gpx><wpt lat=\"1\" lon=\"2\"><time>yesterday</time></wpt></gpx>");
    EXPECT_EQ(error.code, ErrorCode::InvalidValue);

    EXPECT_EQ(parse_error("").code, ErrorCode::Empty);
    EXPECT_EQ(parse_error("<gpx version=\"2.0\"/>").code, ErrorCode::Unsupported);
}

constexpr std::string_view backwards = R"(<gpx><trk><trkseg>
<trkpt lat="1" lon="2"><time>2020-01-01T00:00:10Z</time></trkpt>
<trkpt lat="1" lon="2"/>
<trkpt lat="1" lon="2"><time>2020-01-01T00:00:05Z</time></trkpt>
</trkseg></trk></gpx>)";

TEST(GpxRead, TimeGoingBackwardsIsKeptOrRejectedOnRequest) {
    const Error error = parse_error(backwards, GpxTimeOrder::Reject);
    EXPECT_EQ(error.code, ErrorCode::TimeOrder);
    EXPECT_EQ(error.line, 4U);
    const auto kept = parse_gpx(backwards, GpxTimeOrder::Keep);
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->tracks[0].segments[0].points.size(), 3U);
}

TEST(GpxWrite, RoundTripKeepsEverything) {
    GpxDocument document = parse_ok(garmin_track);
    GpxPoint& point = document.tracks[0].segments[0].points[1];
    point.speed_m_per_s = 3.25;
    point.course_deg = 181.5;
    point.water_temperature_c = 18.0;
    point.depth_m = 1.5;
    point.name = "a < b & \"c\"";
    point.links.push_back({"http://x/?a=1&b=2", "t", std::nullopt});
    point.extensions.push_back({"urn:other", "thing", "1", {{"unit", "m"}}, {}});
    point.extensions.push_back({"", "plain", "", {}, {{"urn:other", "leaf", "2", {}, {}}}});
    document.metadata.author = GpxPerson{"Ana", "ana@example.org", std::nullopt};
    document.metadata.copyright = GpxCopyright{"Ana", 2024, "CC0"};
    document.metadata.bounds = GpxBounds{46.0, 15.0, 47.0, 16.0};
    GpxPoint waypoint;
    waypoint.latitude_deg = -33.123456789012345;
    waypoint.longitude_deg = 151.1;
    waypoint.satellites = 7;
    waypoint.hdop = 0.8;
    document.waypoints.push_back(waypoint);
    GpxRoute route;
    route.info.name = "r";
    route.info.number = 3;
    route.points.emplace_back();
    document.routes.push_back(route);

    const std::string xml = write_gpx(document);
    EXPECT_NE(xml.find("gpxtpx:TrackPointExtension"), std::string::npos);
    EXPECT_NE(xml.find("version=\"1.1\""), std::string::npos);
    const GpxDocument again = parse_ok(xml);
    EXPECT_EQ(again, document);
    EXPECT_EQ(write_gpx(again), xml);
}

TEST(GpxWrite, Gpx10IsWrittenAs11) {
    GpxDocument document = parse_ok(R"(<gpx version="1.0"><author>me</author>
<trk><trkseg><trkpt lat="1" lon="2"><speed>1.5</speed></trkpt></trkseg></trk></gpx>)");
    const GpxDocument again = parse_ok(write_gpx(document));
    EXPECT_EQ(again.version, GpxVersion::V1_1);
    document.version = GpxVersion::V1_1;
    EXPECT_EQ(again, document);
}

// Found by the fuzz target: an e-mail with an empty domain lost its '@' on the way back.
TEST(GpxWrite, EmailWithEmptyDomainRoundTrips) {
    const GpxDocument document =
        parse_ok(R"(<gpx><metadata><author><email id="me" domain=""/></author></metadata></gpx>)");
    EXPECT_EQ(document.metadata.author->email, "me@");
    EXPECT_EQ(parse_ok(write_gpx(document)), document);
}

// Found by the fuzz target: a carriage return from &#13; came back as a line feed.
TEST(GpxWrite, CarriageReturnInTextRoundTrips) {
    const GpxDocument document = parse_ok("<gpx><metadata><name>a&#13;b</name></metadata></gpx>");
    EXPECT_EQ(document.metadata.name, "a\rb");
    EXPECT_EQ(parse_ok(write_gpx(document)), document);
}

TEST(GpxRead, EmptyOptionalValuesAreAbsentAndSensorNamesIgnoreCase) {
    const GpxDocument document = parse_ok(R"(<gpx><wpt lat="1" lon="2"><ele/><time> </time>
<sat></sat><extensions><HeartRate>101</HeartRate><Cadence>77</Cadence><Watts>180</Watts>
<Temperature>4</Temperature><Power/></extensions></wpt></gpx>)");
    const GpxPoint& point = document.waypoints.at(0);
    EXPECT_FALSE(point.elevation_m);
    EXPECT_FALSE(point.time);
    EXPECT_FALSE(point.satellites);
    EXPECT_EQ(point.heart_rate_bpm, 101.0);
    EXPECT_EQ(point.cadence_rpm, 77.0);
    EXPECT_EQ(point.power_w, 180.0);
    EXPECT_EQ(point.air_temperature_c, 4.0);
    // An empty sensor element says nothing; it is kept as an unknown extension.
    ASSERT_EQ(point.extensions.size(), 1U);
    EXPECT_EQ(point.extensions[0].name, "Power");
}

TEST(GpxRead, Latin1DeclaredFilesAreReEncoded) {
    const GpxDocument document =
        parse_ok("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<gpx version=\"1.0\">"
                 "<wpt lat=\"47.37\" lon=\"8.54\"><name>Z\xFCrich</name></wpt></gpx>");
    EXPECT_EQ(document.waypoints.at(0).name, "Z\xC3\xBCrich");
    // Windows-1252 bytes 0x80-0x9F: euro sign and an en dash.
    const GpxDocument cp1252 =
        parse_ok("<?xml version='1.0' encoding='windows-1252'?><gpx><metadata><name>\x80 5 \x96 6"
                 "</name></metadata></gpx>");
    EXPECT_EQ(cp1252.metadata.name, "\xE2\x82\xAC 5 \xE2\x80\x93 6");
    // Undeclared, the same bytes are taken as (invalid) UTF-8 and kept as they are.
    const GpxDocument raw =
        parse_ok("<gpx><wpt lat=\"47.37\" lon=\"8.54\"><name>Z\xFCrich</name></wpt></gpx>");
    EXPECT_EQ(raw.waypoints.at(0).name, "Z\xFCrich");
}

// Untrusted input: DTD entities are neither expanded (no "billion laughs") nor fetched (no
// external entities); they stay as literal text.
TEST(GpxRead, DoctypeEntitiesAreNotExpanded) {
    const GpxDocument document = parse_ok(R"(<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY x SYSTEM "file:///etc/passwd">]>
<gpx><metadata><name>&b;&x;</name></metadata></gpx>)");
    EXPECT_EQ(document.metadata.name, "&b;&x;");
}

} // namespace
} // namespace hearth::formats
