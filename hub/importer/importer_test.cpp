#include "importer/importer.h"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>
#include <set>

#include <gtest/gtest.h>

namespace hearth::hub {
namespace {

const std::filesystem::path samples_dir =
    std::filesystem::path(HEARTH_SOURCE_DIR) / "data" / "samples";

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::uint8_t> bytes_of(const std::string& text) {
    return {text.begin(), text.end()};
}

// 2026-11-23T23:59:00Z: recordings starting here cross midnight.
constexpr TimestampMs late_evening_ms = 1'795'478'340'000;

// A walk: 50 Hz accelerometer with a 2 Hz vertical bounce (one step per bounce), gravity on z,
// and a heart rate column once a second rising from 60 to 80 bpm.
std::string walking_csv(double duration_s) {
    std::string csv = "t_s,ax,ay,az,hr\n";
    char row[128];
    const int rows = static_cast<int>(duration_s * 50.0);
    for (int i = 0; i < rows; ++i) {
        const double t = i / 50.0;
        const double bounce = 2.5 * std::sin(2.0 * std::numbers::pi * 2.0 * t);
        if (i % 50 == 0) {
            const double hr = 60.0 + 20.0 * t / duration_s;
            std::snprintf(row, sizeof row, "%.2f,0.3,0.1,%.4f,%.1f\n", t, 9.81 + bounce, hr);
        } else {
            std::snprintf(row, sizeof row, "%.2f,0.3,0.1,%.4f,\n", t, 9.81 + bounce);
        }
        csv += row;
    }
    return csv;
}

class ImporterTest : public ::testing::Test {
protected:
    void SetUp() override {
        static int counter = 0;
        m_dir = std::filesystem::temp_directory_path() /
                ("hearth-import-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
        std::filesystem::create_directories(m_dir);
        auto store = open_sqlite_store((m_dir / "hearth.db").string());
        ASSERT_TRUE(store.has_value()) << store.error().message;
        m_store = std::move(*store);
    }
    void TearDown() override {
        m_store.reset();
        std::filesystem::remove_all(m_dir);
    }

    std::filesystem::path m_dir;
    std::unique_ptr<Store> m_store;
};

TEST_F(ImporterTest, SampleActivitiesAreAddedOnceAndDeduplicatedAfterwards) {
    const std::vector<std::string> files = {"pool-swim.fit",         "ride-power.fit",
                                            "run-fenix2.fit",        "run-forerunner410.gpx",
                                            "run-forerunner410.tcx", "walk-cerknica.gpx"};
    std::set<std::int64_t> ids;
    std::size_t activities = 0;
    for (const auto& file : files) {
        const auto bytes = read_bytes(samples_dir / file);
        ASSERT_FALSE(bytes.empty()) << file;
        auto first = import_bytes(*m_store, bytes, file, {});
        ASSERT_TRUE(first.has_value()) << file << ": " << first.error().message;
        ASSERT_FALSE(first->items.empty()) << file;
        EXPECT_EQ(first->added(), first->items.size()) << file;
        EXPECT_EQ(first->format, std::filesystem::path(file).extension().string().substr(1));
        for (const auto& item : first->items) {
            EXPECT_EQ(item.kind, ImportedKind::Activity);
            EXPECT_TRUE(ids.insert(item.activity_id).second) << file;
            EXPECT_GT(item.start_ms, 1'000'000'000'000) << file; // after 2001
        }
        activities += first->items.size();

        auto again = import_bytes(*m_store, bytes, "renamed-" + file, {});
        ASSERT_TRUE(again.has_value()) << file;
        EXPECT_EQ(again->added(), 0U) << file;
        ASSERT_EQ(again->items.size(), first->items.size());
        for (std::size_t i = 0; i < again->items.size(); ++i) {
            EXPECT_EQ(again->items[i].activity_id, first->items[i].activity_id);
        }
    }
    auto stored = m_store->activities(0, std::numeric_limits<TimestampMs>::max() / 2);
    ASSERT_TRUE(stored.has_value());
    ASSERT_EQ(stored->size(), activities);
    for (const auto& a : *stored) {
        // The analyzer's summary: the same keys `hearth analyze --json` prints.
        EXPECT_TRUE(a.summary.contains("sport")) << a.file_name;
        EXPECT_TRUE(a.summary.contains("laps")) << a.file_name;
        EXPECT_EQ(a.summary["sport"], a.sport);
        EXPECT_EQ(a.file_name.find("renamed-"), std::string::npos);
    }
}

TEST_F(ImporterTest, RunSummaryCarriesDistanceAndHeartRate) {
    const auto bytes = read_bytes(samples_dir / "run-forerunner410.tcx");
    auto r = import_bytes(*m_store, bytes, "run.tcx", {});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    auto stored = m_store->activities(0, std::numeric_limits<TimestampMs>::max() / 2);
    ASSERT_TRUE(stored.has_value());
    ASSERT_EQ(stored->size(), 1U);
    const auto& a = stored->front();
    EXPECT_EQ(a.format, "tcx");
    EXPECT_EQ(a.sport, "running");
    EXPECT_GT(a.summary.value("distance_m", 0.0), 1000.0);
    EXPECT_EQ(a.content_hash.size(), 64U);
}

TEST_F(ImporterTest, RecordingGivesHealthDaysSplitAtMidnight) {
    const auto csv = walking_csv(240.0);
    ImporterOptions options;
    options.recording = {RecordingTime::Anchor::Start, late_evening_ms};
    auto r = import_bytes(*m_store, bytes_of(csv), "walk.csv", options);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->format, "csv");
    std::set<std::string> seen;
    for (const auto& item : r->items) {
        EXPECT_EQ(item.kind, ImportedKind::HealthDay);
        EXPECT_TRUE(item.added);
        seen.insert(item.health_kind + " " + item.day);
    }
    const std::set<std::string> expected = {"steps 2026-11-23",      "steps 2026-11-24",
                                            "heart_rate 2026-11-23", "heart_rate 2026-11-24",
                                            "activity 2026-11-23",   "activity 2026-11-24"};
    EXPECT_EQ(seen, expected); // 4 minutes: no sleep result

    auto evening = m_store->health_day("2026-11-23", "steps");
    auto morning = m_store->health_day("2026-11-24", "steps");
    ASSERT_TRUE(evening.has_value() && evening->has_value());
    ASSERT_TRUE(morning.has_value() && morning->has_value());
    const double before = (**evening)["total"].get<double>();
    const double after = (**morning)["total"].get<double>();
    // 2 steps/s: about 120 in the first minute and 360 after midnight.
    EXPECT_NEAR(before, 120.0, 15.0);
    EXPECT_NEAR(after, 360.0, 30.0);
    EXPECT_NEAR((**morning)["cadence_spm"].get<double>(), 120.0, 10.0);

    auto hr = m_store->health_day("2026-11-24", "heart_rate");
    ASSERT_TRUE(hr.has_value() && hr->has_value());
    EXPECT_GE((**hr)["min"].get<double>(), 64.9);
    EXPECT_LE((**hr)["max"].get<double>(), 80.0);
    EXPECT_GT((**hr)["mean"].get<double>(), 70.0);
    EXPECT_LT((**hr)["resting"].get<double>(), (**hr)["mean"].get<double>());

    auto activity = m_store->health_day("2026-11-24", "activity");
    ASSERT_TRUE(activity.has_value() && activity->has_value());
    double minutes = 0.0;
    for (const auto& [name, value] : (**activity)["minutes"].items()) {
        minutes += value.get<double>();
    }
    EXPECT_NEAR(minutes, 3.0, 0.1);

    // The same recording again adds nothing and leaves the totals alone.
    auto again = import_bytes(*m_store, bytes_of(csv), "walk-copy.csv", options);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->added(), 0U);
    EXPECT_EQ((**m_store->health_day("2026-11-24", "steps"))["total"].get<double>(), after);

    // Another recording the same morning adds up.
    ImporterOptions later = options;
    later.recording.ms = late_evening_ms + 3600 * 1000;
    auto second = import_bytes(*m_store, bytes_of(walking_csv(120.0)), "walk2.csv", later);
    ASSERT_TRUE(second.has_value()) << second.error().message;
    EXPECT_EQ(second->added(), second->items.size());
    const double combined = (**m_store->health_day("2026-11-24", "steps"))["total"].get<double>();
    EXPECT_NEAR(combined, after + 240.0, 25.0);
}

TEST_F(ImporterTest, RecordingEndAnchorPlacesTheLastRowAtTheGivenTime) {
    ImporterOptions options;
    // Ends at 00:30 on the 24th: 60 s of walking entirely on the 24th.
    options.recording = {RecordingTime::Anchor::End, late_evening_ms + 31 * 60 * 1000};
    auto r = import_bytes(*m_store, bytes_of(walking_csv(60.0)), "walk.csv", options);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    for (const auto& item : r->items) {
        EXPECT_EQ(item.day, "2026-11-24");
    }
}

TEST_F(ImporterTest, BadFilesAreErrorsAndStoreNothing) {
    auto empty = import_bytes(*m_store, {}, "empty.fit", {});
    ASSERT_FALSE(empty.has_value());
    EXPECT_EQ(empty.error().code, ImportError::Code::BadInput);

    auto text = import_bytes(*m_store, bytes_of("hello, world\n"), "notes.txt", {});
    ASSERT_FALSE(text.has_value());
    EXPECT_NE(text.error().message.find("neither"), std::string::npos);

    auto fit = read_bytes(samples_dir / "run-fenix2.fit");
    fit.resize(fit.size() / 2);
    auto truncated = import_bytes(*m_store, fit, "run.fit", {});
    ASSERT_FALSE(truncated.has_value());
    EXPECT_EQ(truncated.error().code, ImportError::Code::BadInput);

    auto bad_cell = import_bytes(*m_store, bytes_of("t_s,hr\n0,60\n1,sixty\n"), "x.csv", {});
    ASSERT_FALSE(bad_cell.has_value());
    EXPECT_EQ(bad_cell.error().code, ImportError::Code::BadInput);

    auto nothing =
        import_bytes(*m_store, bytes_of("t_s,pressure_hpa\n0,1013\n1,1013\n"), "baro.csv", {});
    ASSERT_FALSE(nothing.has_value());
    EXPECT_NE(nothing.error().message.find("no health result"), std::string::npos);

    auto stored = m_store->activities(0, std::numeric_limits<TimestampMs>::max() / 2);
    ASSERT_TRUE(stored.has_value());
    EXPECT_TRUE(stored->empty());
}

TEST(UtcDay, FloorsToMidnightIncludingBeforeTheEpoch) {
    EXPECT_EQ(utc_day(late_evening_ms), "2026-11-23");
    EXPECT_EQ(utc_day(late_evening_ms + 60'000), "2026-11-24");
    EXPECT_EQ(utc_day(-1), "1969-12-31");
}

} // namespace
} // namespace hearth::hub
