#include "common/iso8601.h"

#include <gtest/gtest.h>

namespace hearth::formats {
namespace {

std::int64_t us(std::string_view text) {
    const auto time = parse_iso8601(text);
    EXPECT_TRUE(time.has_value()) << text;
    return time ? time->unix_us : 0;
}

TEST(Iso8601, ParsesUtcAndTheEpoch) {
    EXPECT_EQ(us("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(us("2012-12-26T21:29:53Z"), 1356557393LL * 1'000'000);
    EXPECT_EQ(us("  2000-03-01T00:00:00Z\n"), 951868800LL * 1'000'000);
}

TEST(Iso8601, AppliesZoneOffsetsToGetUtc) {
    EXPECT_EQ(us("2015-12-11T15:43:13+01:00"), us("2015-12-11T14:43:13Z"));
    EXPECT_EQ(us("2015-12-11T15:43:13-0530"), us("2015-12-11T21:13:13Z"));
    EXPECT_EQ(us("2015-12-11T01:00:00+02"), us("2015-12-10T23:00:00Z"));
}

TEST(Iso8601, SecondsMayBeLeftOut) {
    EXPECT_EQ(us("2013-01-01T12:15Z"), us("2013-01-01T12:15:00Z"));
    EXPECT_EQ(us("2013-01-01T12:15+01:00"), us("2013-01-01T11:15:00Z"));
    EXPECT_FALSE(parse_iso8601("2013-01-01T12:15.5Z"));
    EXPECT_FALSE(parse_iso8601("2013-01-01T12:15:Z"));
}

TEST(Iso8601, MissingZoneIsUtc) {
    EXPECT_EQ(us("2013-01-01T12:00:00"), us("2013-01-01T12:00:00Z"));
}

TEST(Iso8601, KeepsMicrosecondsAndTruncatesBeyond) {
    EXPECT_EQ(us("1970-01-01T00:00:01.5Z"), 1'500'000);
    EXPECT_EQ(us("1970-01-01T00:00:00.2073437Z"), 207'343);
    EXPECT_EQ(us("1970-01-01T00:00:00,25Z"), 250'000);
}

TEST(Iso8601, HandlesDatesBefore1970) {
    // Mojstrovka.gpx in the gpxpy test files has a 1901 timestamp.
    const auto time = parse_iso8601("1901-12-13T20:45:52.207343Z");
    ASSERT_TRUE(time);
    EXPECT_EQ(time->unix_us, -2147483648LL * 1'000'000 + 207'343);
    EXPECT_EQ(time->unix_ms(), -2147483648LL * 1000 + 207);
    EXPECT_EQ(format_iso8601(*time), "1901-12-13T20:45:52.207343Z");
}

TEST(Iso8601, LeapSecondAndEndOfDayRollOver) {
    EXPECT_EQ(us("2016-12-31T23:59:60Z"), us("2017-01-01T00:00:00Z"));
    EXPECT_EQ(us("2016-12-31T24:00:00Z"), us("2017-01-01T00:00:00Z"));
}

TEST(Iso8601, RejectsMalformedOrOutOfRange) {
    for (const char* text :
         {"", "2012-12-26", "2012-13-01T00:00:00Z", "2013-02-29T00:00:00Z", "2012-12-26T25:00:00Z",
          "2012-12-26T10:61:00Z", "2012-12-26T10:00:00.Z", "2012-12-26T10:00:00+1",
          "2012-12-26T10:00:00Zjunk", "12-12-26T10:00:00Z", "2012-12-26X10:00:00Z",
          "0000-01-01T00:00:00Z", "2012-12-26T10:00:00+25:00"}) {
        std::string why;
        EXPECT_FALSE(parse_iso8601(text, &why)) << text;
        EXPECT_FALSE(why.empty()) << text;
    }
    EXPECT_TRUE(parse_iso8601("2012-02-29T00:00:00Z"));
}

TEST(Iso8601, FormatRoundTrips) {
    for (const char* text :
         {"2012-12-26T21:29:53Z", "2022-07-16T16:08:25.125Z", "1969-12-31T23:59:59.999999Z",
          "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"}) {
        const auto time = parse_iso8601(text);
        ASSERT_TRUE(time) << text;
        EXPECT_EQ(format_iso8601(*time), text);
    }
}

} // namespace
} // namespace hearth::formats
