#include "export/export.h"

#include <cmath>

#include <gtest/gtest.h>

#include "import/import.h"
#include "metrics/activity_metrics.h"

namespace hearth::sport {
namespace {

constexpr UtcMs t0_ms = 1588312800000; // 2020-05-01T06:00:00Z

// A 20-minute run with a 1-minute pause, two laps, positions, HR, cadence and altitude.
Workout sample_run() {
    Activity a;
    a.sport = Sport::Running;
    a.sub_sport = "trail";
    a.start_time_ms = t0_ms;
    a.timezone_offset_s = 7200;
    a.device.manufacturer = "garmin";
    a.device.product = "2691"; // the Forerunner 935 product number
    a.device.serial_number = 123456789;
    double distance = 0.0;
    for (int i = 0; i <= 1200; ++i) {
        if (i > 600 && i < 660) {
            continue; // paused
        }
        Record r;
        r.t_ms = t0_ms + i * 1000;
        r.lat_deg = 46.05 + distance / 111195.0;
        r.lon_deg = 14.5;
        r.distance_m = distance;
        r.speed_mps = 3.0;
        r.altitude_m = 300.0 + 10.0 * std::sin(i / 100.0);
        r.heart_rate_bpm = 140.0 + (i % 20);
        r.cadence = 85.0;
        a.records.push_back(r);
        distance += 3.0;
    }
    a.timer_events = {{t0_ms, TimerAction::Start},
                      {t0_ms + 600000, TimerAction::Stop},
                      {t0_ms + 660000, TimerAction::Start},
                      {t0_ms + 1200000, TimerAction::Stop}};
    Lap first;
    first.start_time_ms = t0_ms;
    first.end_time_ms = t0_ms + 600000;
    first.totals.timer_time_s = 600.0;
    first.totals.elapsed_time_s = 600.0;
    first.totals.distance_m = 1800.0;
    Lap second;
    second.start_time_ms = t0_ms + 600000;
    second.end_time_ms = t0_ms + 1200000;
    second.totals.timer_time_s = 540.0;
    second.totals.elapsed_time_s = 600.0;
    second.totals.distance_m = 1620.0;
    a.laps = {first, second};
    Totals session;
    session.elapsed_time_s = 1200.0;
    session.timer_time_s = 1140.0;
    session.distance_m = 3420.0;
    session.avg_heart_rate_bpm = 149.0;
    session.max_heart_rate_bpm = 159.0;
    session.energy_kcal = 250.0;
    session.training_effect = 3.1;
    a.device_summary = session;
    Workout w;
    w.activities.push_back(a);
    return w;
}

TEST(FitExport, RoundTripKeepsRecordsLapsSessionAndDevice) {
    const Workout original = sample_run();
    auto bytes = export_fit(original);
    ASSERT_TRUE(bytes) << bytes.error().describe();
    EXPECT_EQ(detect_format(*bytes), FileFormat::Fit);
    auto back = import_fit(*bytes);
    ASSERT_TRUE(back) << back.error().describe();
    ASSERT_EQ(back->activities.size(), 1U);
    const Activity& a = back->activities[0];
    const Activity& o = original.activities[0];
    EXPECT_EQ(a.sport, Sport::Running);
    EXPECT_EQ(a.sub_sport, "trail");
    EXPECT_EQ(a.start_time_ms, t0_ms);
    EXPECT_EQ(a.timezone_offset_s, 7200);
    EXPECT_EQ(a.device.manufacturer, "garmin");
    EXPECT_EQ(a.device.product, "2691");
    EXPECT_EQ(a.device.serial_number, 123456789U);
    ASSERT_EQ(a.records.size(), o.records.size());
    for (std::size_t i = 0; i < a.records.size(); i += 97) {
        const Record& r = a.records[i];
        const Record& x = o.records[i];
        EXPECT_EQ(r.t_ms, x.t_ms);
        EXPECT_NEAR(*r.lat_deg, *x.lat_deg, 1e-6);
        EXPECT_NEAR(*r.lon_deg, *x.lon_deg, 1e-6);
        EXPECT_NEAR(*r.distance_m, *x.distance_m, 0.01);
        EXPECT_NEAR(*r.speed_mps, *x.speed_mps, 0.001);
        EXPECT_NEAR(*r.altitude_m, *x.altitude_m, 0.2);
        EXPECT_EQ(r.heart_rate_bpm, x.heart_rate_bpm);
        EXPECT_EQ(r.cadence, x.cadence);
    }
    ASSERT_EQ(a.laps.size(), 2U);
    EXPECT_EQ(a.laps[1].start_time_ms, t0_ms + 600000);
    EXPECT_NEAR(*a.laps[1].totals.timer_time_s, 540.0, 1e-3);
    EXPECT_NEAR(*a.laps[1].totals.distance_m, 1620.0, 0.01);
    ASSERT_TRUE(a.device_summary);
    EXPECT_NEAR(*a.device_summary->timer_time_s, 1140.0, 1e-3);
    EXPECT_NEAR(*a.device_summary->distance_m, 3420.0, 0.01);
    EXPECT_EQ(a.device_summary->avg_heart_rate_bpm, 149.0);
    EXPECT_EQ(a.device_summary->energy_kcal, 250.0);
    EXPECT_NEAR(*a.device_summary->training_effect, 3.1, 0.05);
    ASSERT_EQ(pauses(a).size(), 1U);
    EXPECT_EQ(pauses(a)[0].start_ms, t0_ms + 600000);
    EXPECT_EQ(pauses(a)[0].end_ms, t0_ms + 660000);
}

TEST(FitExport, GpxTrackConvertsToFitWithTheSameSummary) {
    // A GPX-like activity: no summary, no laps; the FIT file gets computed totals.
    Workout w = sample_run();
    Activity& a = w.activities[0];
    a.device_summary.reset();
    a.laps.clear();
    a.timer_events.clear();
    a.sub_sport.reset();
    for (Record& r : a.records) {
        r.distance_m.reset();
        r.speed_mps.reset();
    }
    const auto before = metrics::activity_metrics(a);
    auto bytes = export_fit(w);
    ASSERT_TRUE(bytes) << bytes.error().describe();
    auto back = import_fit(*bytes);
    ASSERT_TRUE(back) << back.error().describe();
    ASSERT_EQ(back->activities.size(), 1U);
    const auto after = metrics::activity_metrics(back->activities[0]);
    EXPECT_NEAR(*after.totals.distance_m, *before.totals.distance_m, 0.05);
    EXPECT_NEAR(*after.totals.elapsed_time_s, *before.totals.elapsed_time_s, 1e-3);
    EXPECT_NEAR(*after.totals.timer_time_s, *before.totals.timer_time_s, 1e-3);
    EXPECT_NEAR(*after.totals.avg_heart_rate_bpm, *before.totals.avg_heart_rate_bpm, 0.5);
    EXPECT_EQ(*after.totals.max_heart_rate_bpm, *before.totals.max_heart_rate_bpm);
    EXPECT_NEAR(*after.totals.ascent_m, *before.totals.ascent_m, 0.5);
}

TEST(FitExport, MultisportSessionsKeepTheirOwnRecordsLapsAndLengths) {
    Workout w;
    Activity swim;
    swim.sport = Sport::Swimming;
    swim.sub_sport = "lap_swimming";
    swim.start_time_ms = t0_ms;
    Totals swim_totals;
    swim_totals.pool_length_m = 25.0;
    swim_totals.elapsed_time_s = 120.0;
    swim_totals.timer_time_s = 120.0;
    swim_totals.total_strokes = 60.0;
    swim.device_summary = swim_totals;
    for (int i = 0; i < 4; ++i) {
        Length len;
        len.start_time_ms = t0_ms + i * 30000;
        len.elapsed_time_s = 30.0;
        len.timer_time_s = 30.0;
        len.total_strokes = i == 3 ? 0.0 : 20.0;
        len.stroke = SwimStroke::Breaststroke;
        len.type = i == 3 ? LengthType::Idle : LengthType::Active;
        swim.lengths.push_back(len);
        Record r;
        r.t_ms = t0_ms + i * 30000;
        r.heart_rate_bpm = 120.0 + i;
        swim.records.push_back(r);
    }
    Activity bike;
    bike.sport = Sport::Cycling;
    bike.start_time_ms = t0_ms + 180000;
    for (int i = 0; i < 10; ++i) {
        Record r;
        r.t_ms = t0_ms + 180000 + i * 1000;
        r.power_w = 200.0 + i;
        r.cadence = 90.0;
        bike.records.push_back(r);
    }
    w.activities = {swim, bike};
    auto bytes = export_fit(w);
    ASSERT_TRUE(bytes) << bytes.error().describe();
    auto back = import_fit(*bytes);
    ASSERT_TRUE(back) << back.error().describe();
    ASSERT_EQ(back->activities.size(), 2U);
    const Activity& s = back->activities[0];
    EXPECT_EQ(s.sport, Sport::Swimming);
    EXPECT_EQ(s.sub_sport, "lap_swimming");
    EXPECT_EQ(s.records.size(), 4U);
    ASSERT_EQ(s.lengths.size(), 4U);
    EXPECT_EQ(s.lengths[1].stroke, SwimStroke::Breaststroke);
    EXPECT_EQ(s.lengths[3].type, LengthType::Idle);
    EXPECT_EQ(s.lengths[2].total_strokes, 20.0);
    ASSERT_TRUE(s.device_summary);
    EXPECT_EQ(s.device_summary->pool_length_m, 25.0);
    EXPECT_EQ(s.device_summary->total_strokes, 60.0);
    const Activity& b = back->activities[1];
    EXPECT_EQ(b.sport, Sport::Cycling);
    ASSERT_EQ(b.records.size(), 10U);
    EXPECT_EQ(b.records[9].power_w, 209.0);
    EXPECT_EQ(b.start_time_ms, t0_ms + 180000);
    EXPECT_TRUE(b.lengths.empty());
}

TEST(GpxExport, RoundTripKeepsPositionsTimesAndSensors) {
    const Workout original = sample_run();
    auto xml = export_gpx(original);
    ASSERT_TRUE(xml) << xml.error().describe();
    auto back = import_gpx(*xml);
    ASSERT_TRUE(back) << back.error().describe();
    ASSERT_EQ(back->activities.size(), 1U);
    const Activity& a = back->activities[0];
    EXPECT_EQ(a.sport, Sport::Running);
    ASSERT_EQ(a.records.size(), original.activities[0].records.size());
    EXPECT_EQ(a.records[5].t_ms, original.activities[0].records[5].t_ms);
    EXPECT_DOUBLE_EQ(*a.records[5].lat_deg, *original.activities[0].records[5].lat_deg);
    EXPECT_EQ(a.records[5].heart_rate_bpm, original.activities[0].records[5].heart_rate_bpm);
}

TEST(GpxExport, NothingPositionedIsUnsupported) {
    Workout w = sample_run();
    for (Record& r : w.activities[0].records) {
        r.lat_deg.reset();
        r.lon_deg.reset();
    }
    auto xml = export_gpx(w);
    ASSERT_FALSE(xml);
    EXPECT_EQ(xml.error().code, formats::ErrorCode::Unsupported);
}

TEST(TcxExport, RoundTripKeepsLapsAndTrackpoints) {
    const Workout original = sample_run();
    auto xml = export_tcx(original);
    ASSERT_TRUE(xml);
    auto back = import_tcx(*xml);
    ASSERT_TRUE(back) << back.error().describe();
    ASSERT_EQ(back->activities.size(), 1U);
    const Activity& a = back->activities[0];
    EXPECT_EQ(a.sport, Sport::Running);
    ASSERT_EQ(a.laps.size(), 2U);
    EXPECT_DOUBLE_EQ(*a.laps[1].totals.timer_time_s, 540.0);
    EXPECT_DOUBLE_EQ(*a.laps[1].totals.distance_m, 1620.0);
    EXPECT_EQ(a.records.size(), original.activities[0].records.size());
    EXPECT_EQ(a.records.back().cadence, 85.0);
}

} // namespace
} // namespace hearth::sport
