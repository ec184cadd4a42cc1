// POST /api/activities through the API's routes, with a real hub (private broker, SQLite).

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "api/routes.h"
#include "testing/test_broker.h"

namespace hearth::hub {
namespace {

using namespace std::chrono_literals;

class ImportRouteTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!testing::TestBroker::available()) {
            GTEST_SKIP() << "mosquitto is not installed";
        }
        ASSERT_TRUE(m_broker.start());
        static int counter = 0;
        m_dir = std::filesystem::temp_directory_path() /
                ("hearth-import-api-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
        HubConfig config;
        config.data_dir = m_dir;
        config.mqtt.port = m_broker.port();
        config.mqtt.client_id = "hearth-import-test";
        auto hub = Hub::start(config, m_clock);
        ASSERT_TRUE(hub.has_value()) << hub.error();
        m_hub = std::move(*hub);
        ASSERT_TRUE(m_hub->wait_subscribed(10s));
        m_tokens.emplace(m_dir / "tokens.json");
        m_auth = "Bearer " + *m_tokens->create("test", 0);
        m_routes.emplace(*m_hub, *m_tokens, m_clock);
    }
    void TearDown() override {
        m_routes.reset();
        m_hub.reset();
        std::filesystem::remove_all(m_dir);
    }

    ApiResponse post(const std::string& target, std::string body) {
        return m_routes->handle({"POST", target, m_auth, std::move(body)});
    }

    testing::TestBroker m_broker;
    ManualClock m_clock{1'795'478'340'000};
    std::filesystem::path m_dir;
    std::unique_ptr<Hub> m_hub;
    std::optional<TokenStore> m_tokens;
    std::string m_auth;
    std::optional<ApiRoutes> m_routes;
};

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(ImportRouteTest, PostedActivityIsAddedOnceAndListed) {
    const std::string fit =
        read_text(std::filesystem::path(HEARTH_SOURCE_DIR) / "data" / "samples" / "run-fenix2.fit");
    ASSERT_FALSE(fit.empty());
    auto first = post("/api/activities?name=run-fenix2.fit", fit);
    ASSERT_EQ(first.status, 201) << first.body.dump();
    EXPECT_EQ(first.body["format"], "fit");
    ASSERT_EQ(first.body["added_ids"].size(), 1U);
    const auto id = first.body["added_ids"][0].get<std::int64_t>();

    auto again = post("/api/activities?name=copy.fit", fit);
    ASSERT_EQ(again.status, 200) << again.body.dump();
    EXPECT_TRUE(again.body["added_ids"].empty());
    EXPECT_EQ(again.body["items"][0]["id"].get<std::int64_t>(), id);
    EXPECT_FALSE(again.body["items"][0]["added"].get<bool>());

    auto list = m_routes->handle({"GET", "/api/activities", m_auth, ""});
    ASSERT_EQ(list.status, 200);
    ASSERT_EQ(list.body.size(), 1U);
    EXPECT_EQ(list.body[0]["id"].get<std::int64_t>(), id);
    EXPECT_EQ(list.body[0]["file"], "run-fenix2.fit");
}

TEST_F(ImportRouteTest, PostedRecordingFillsHealthDays) {
    std::string csv = "t_s,hr\n";
    for (int t = 0; t < 600; ++t) {
        csv += std::to_string(t) + "," + std::to_string(55 + t % 10) + "\n";
    }
    // Starts 2026-11-24T06:00:00Z.
    auto r = post("/api/activities?name=hr.csv&start=2026-11-24T06:00:00Z", csv);
    ASSERT_EQ(r.status, 201) << r.body.dump();
    EXPECT_EQ(r.body["format"], "csv");
    ASSERT_EQ(r.body["items"].size(), 1U);
    EXPECT_EQ(r.body["items"][0]["kind"], "heart_rate");
    EXPECT_EQ(r.body["items"][0]["day"], "2026-11-24");

    auto day = m_routes->handle({"GET", "/api/health/heart_rate?day=2026-11-24", m_auth, ""});
    ASSERT_EQ(day.status, 200);
    EXPECT_DOUBLE_EQ(day.body["min"].get<double>(), 55.0);
    EXPECT_DOUBLE_EQ(day.body["max"].get<double>(), 64.0);
    EXPECT_DOUBLE_EQ(day.body["mean"].get<double>(), 59.5);
}

TEST_F(ImportRouteTest, BadBodiesAreClientErrors) {
    auto junk = post("/api/activities?name=junk.bin", "not an activity");
    EXPECT_EQ(junk.status, 400);
    EXPECT_TRUE(junk.body.contains("error"));
    auto bad_start = post("/api/activities?start=yesterday", "t_s,hr\n0,60\n");
    EXPECT_EQ(bad_start.status, 400);
    auto unauthorised = m_routes->handle({"POST", "/api/activities", "Bearer nope", "x"});
    EXPECT_EQ(unauthorised.status, 401);
}

} // namespace
} // namespace hearth::hub
