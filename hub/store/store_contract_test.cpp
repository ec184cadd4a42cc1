// The contract every Store implementation passes. PostgreSQL joins the parameter list when a
// server is available (see tests/integration).

#include "store/store.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <filesystem>
#include <functional>

#include <gtest/gtest.h>

namespace hearth::hub {
namespace {

constexpr TimestampMs minute_ms = 60'000;
constexpr TimestampMs day_ms = 24 * 60 * minute_ms;

struct StoreFactory {
    std::string name;
    // Opens an empty store; `scratch_dir` is a fresh folder the store may keep files in.
    std::function<std::unique_ptr<Store>(const std::filesystem::path& scratch_dir)> open;
};

class StoreContract : public ::testing::TestWithParam<StoreFactory> {
protected:
    void SetUp() override {
        static int counter = 0;
        m_dir = std::filesystem::temp_directory_path() /
                ("hearth-store-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
        std::filesystem::create_directories(m_dir);
        m_store = GetParam().open(m_dir);
        ASSERT_NE(m_store, nullptr);
    }
    void TearDown() override {
        m_store.reset();
        std::filesystem::remove_all(m_dir);
    }
    std::filesystem::path m_dir;
    std::unique_ptr<Store> m_store;
};

EntityState state(const std::string& id, const std::string& value, TimestampMs t_ms,
                  nlohmann::json attributes = nlohmann::json::object()) {
    return {id, value, std::move(attributes), t_ms, t_ms};
}

TEST_P(StoreContract, KeepsHistoryInOrderPerEntity) {
    const std::vector<EntityState> batch = {
        state("sensor.t", "21.0", 1000, {{"unit_of_measurement", "°C"}}),
        state("light.a", "on", 1500, {{"brightness", 10}}),
        state("sensor.t", "21.5", 2000, {{"unit_of_measurement", "°C"}}),
        state("sensor.t", "22.0", 3000, {{"unit_of_measurement", "°C"}}),
    };
    ASSERT_TRUE(m_store->append_states(batch).has_value());
    const auto history = m_store->history("sensor.t", 0, 10'000, 100);
    ASSERT_TRUE(history.has_value()) << history.error().message;
    ASSERT_EQ(history->size(), 3U);
    EXPECT_EQ((*history)[0].state, "21.0");
    EXPECT_EQ((*history)[2].state, "22.0");
    EXPECT_EQ((*history)[1].attributes["unit_of_measurement"], "°C");
    EXPECT_EQ(m_store->history("sensor.t", 1500, 2500, 100)->size(), 1U);
    EXPECT_EQ(m_store->history("sensor.t", 0, 10'000, 2)->size(), 2U);
    EXPECT_TRUE(m_store->history("sensor.none", 0, 10'000, 100)->empty());
}

TEST_P(StoreContract, RestoresLatestStates) {
    ASSERT_TRUE(
        m_store
            ->append_states(std::vector{state("light.a", "on", 1000), state("light.a", "off", 2000),
                                        state("lock.door", "locked", 1500)})
            .has_value());
    const auto latest = m_store->latest_states();
    ASSERT_TRUE(latest.has_value());
    ASSERT_EQ(latest->size(), 2U);
    EXPECT_EQ((*latest)[0].entity_id, "light.a");
    EXPECT_EQ((*latest)[0].state, "off");
    EXPECT_EQ((*latest)[1].state, "locked");
}

TEST_P(StoreContract, StoresAndFiltersEvents) {
    ASSERT_TRUE(m_store->append_event({"fell_asleep", {{"watch", "w1"}}, 5000}).has_value());
    ASSERT_TRUE(m_store->append_event({"woke_up", {{"watch", "w1"}}, 9000}).has_value());
    EXPECT_EQ(m_store->events("", 0, 10'000, 10)->size(), 2U);
    const auto asleep = m_store->events("fell_asleep", 0, 10'000, 10);
    ASSERT_EQ(asleep->size(), 1U);
    EXPECT_EQ((*asleep)[0].data["watch"], "w1");
    EXPECT_EQ((*asleep)[0].time_ms, 5000);
}

TEST_P(StoreContract, DownsamplesAndForgetsRawHistory) {
    // 2 days of a temperature every minute, and a light that is not numeric.
    std::vector<EntityState> batch;
    for (TimestampMs t = 0; t < 2 * day_ms; t += minute_ms) {
        batch.push_back(state("sensor.t", std::to_string(20 + (t / minute_ms) % 5), t));
    }
    batch.push_back(state("light.a", "on", 30 * minute_ms));
    ASSERT_TRUE(m_store->append_states(batch).has_value());

    RetentionPolicy policy;
    policy.raw_days = 1;
    policy.five_minute_days = 1;
    const TimestampMs now = 2 * day_ms;
    ASSERT_TRUE(m_store->apply_retention(now, policy).has_value());
    ASSERT_TRUE(m_store->apply_retention(now, policy).has_value()); // idempotent

    // Raw rows older than a day are gone; the newest day is kept.
    EXPECT_TRUE(m_store->history("sensor.t", 0, day_ms, 10)->empty());
    EXPECT_EQ(m_store->history("sensor.t", day_ms, now, 10'000)->size(), 24U * 60U);

    const auto hourly = m_store->statistics("sensor.t", StatisticPeriod::Hour, 0, now);
    ASSERT_TRUE(hourly.has_value());
    ASSERT_EQ(hourly->size(), 48U);
    const Statistic& first = hourly->front();
    EXPECT_EQ(first.count, 60);
    EXPECT_DOUBLE_EQ(first.min, 20.0);
    EXPECT_DOUBLE_EQ(first.max, 24.0);
    EXPECT_DOUBLE_EQ(first.mean, 22.0);
    EXPECT_DOUBLE_EQ(first.last, 24.0); // minute 59: 20 + 59 % 5

    // 5-minute statistics are kept only for the last day.
    const auto five = m_store->statistics("sensor.t", StatisticPeriod::FiveMinutes, 0, now);
    ASSERT_EQ(five->size(), 24U * 12U);
    EXPECT_EQ(five->front().start_ms, day_ms);
    EXPECT_TRUE(m_store->statistics("light.a", StatisticPeriod::Hour, 0, now)->empty());
    // The light's current state survives even though its raw row is gone.
    EXPECT_EQ(m_store->latest_states()->size(), 2U);
}

TEST_P(StoreContract, DeduplicatesActivities) {
    StoredActivity run{0, "abc123", "run.fit", "fit", 1000, "running", {{"distance_m", 5000}}};
    const auto first = m_store->add_activity(run);
    ASSERT_TRUE(first.has_value());
    EXPECT_TRUE(first->second);
    const auto again = m_store->add_activity(run);
    ASSERT_TRUE(again.has_value());
    EXPECT_FALSE(again->second);
    EXPECT_EQ(again->first, first->first);
    const auto all = m_store->activities(0, 10'000);
    ASSERT_EQ(all->size(), 1U);
    EXPECT_EQ((*all)[0].summary["distance_m"], 5000);
}

TEST_P(StoreContract, ReplacesHealthDays) {
    EXPECT_FALSE(m_store->health_day("2026-11-24", "sleep")->has_value());
    ASSERT_TRUE(m_store->put_health_day("2026-11-24", "sleep", {{"asleep_s", 100}}).has_value());
    ASSERT_TRUE(m_store->put_health_day("2026-11-24", "sleep", {{"asleep_s", 200}}).has_value());
    const auto day = m_store->health_day("2026-11-24", "sleep");
    ASSERT_TRUE(day.has_value() && day->has_value());
    EXPECT_EQ((**day)["asleep_s"], 200);
}

std::unique_ptr<Store> open_sqlite_in(const std::filesystem::path& dir) {
    auto store = open_sqlite_store((dir / "hearth.db").string());
    return store ? std::move(*store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract,
                         ::testing::Values(StoreFactory{"sqlite", open_sqlite_in}),
                         [](const ::testing::TestParamInfo<StoreFactory>& param_info) {
                             return param_info.param.name;
                         });

// Each PostgreSQL test gets a database of its own on the server tests/integration/with-postgres
// started; without that server (HEARTH_TEST_POSTGRES unset) there are no PostgreSQL cases.
std::unique_ptr<Store> open_postgres_fresh(const std::filesystem::path&) {
    static int counter = 0;
    const std::string admin = std::getenv("HEARTH_TEST_POSTGRES");
    const std::string name =
        "hearth_test_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
    PGconn* conn = PQconnectdb(admin.c_str());
    PGresult* created = PQexec(conn, ("CREATE DATABASE " + name).c_str());
    const bool ok = PQresultStatus(created) == PGRES_COMMAND_OK;
    PQclear(created);
    PQfinish(conn);
    if (!ok) {
        return nullptr;
    }
    auto store = open_postgres_store(admin + " dbname=" + name);
    return store ? std::move(*store) : nullptr;
}

std::vector<StoreFactory> postgres_factories() {
    if (std::getenv("HEARTH_TEST_POSTGRES") == nullptr) {
        return {};
    }
    return {StoreFactory{"postgres", open_postgres_fresh}};
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContract, ::testing::ValuesIn(postgres_factories()),
                         [](const ::testing::TestParamInfo<StoreFactory>& param_info) {
                             return param_info.param.name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(StoreContract);

TEST(PostgresStore, ReportsAnUnreachableServer) {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const auto store = open_postgres_store("host=127.0.0.1 port=1 connect_timeout=2");
    ASSERT_FALSE(store.has_value());
    EXPECT_NE(store.error().message.find("cannot connect"), std::string::npos);
}

TEST(SqliteStore, ReportsAnUnopenableFile) {
    const auto store = open_sqlite_store("/nonexistent-dir/x/hearth.db");
    ASSERT_FALSE(store.has_value());
    EXPECT_NE(store.error().message.find("/nonexistent-dir/x/hearth.db"), std::string::npos);
}

} // namespace
} // namespace hearth::hub
