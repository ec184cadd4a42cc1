// Crash safety of the hub's ingest path, end to end: a private mosquitto (persistence on) and
// `hearth serve` as separate processes, 20 000 distinct QoS 1 states published to Zigbee2MQTT
// devices, the hub killed with SIGKILL while it is ingesting, then restarted. Every value the
// broker accepted must end up in the store (read back through /api/history): the hub journals a
// message before its PUBACK and the broker redelivers what was never acknowledged.
//
// Also: the broker going away and coming back during ingest loses nothing either, and neither
// does a full disk (the hub refuses what it cannot journal; the broker keeps it).

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "integration/hub_process.h"
#include "mqtt/mqtt_client.h"
#include "testing/api_client.h"
#include "testing/test_broker.h"

namespace hearth::integration {
namespace {

using hub::testing::get_json;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr int device_count = 20;

std::unique_ptr<hub::MqttClient> start_publisher(int port) {
    hub::MqttOptions options;
    options.port = port;
    options.client_id = "hearth-kill-test-publisher";
    options.clean_session = false; // its unsent QoS 1 messages survive a broker restart
    auto client = hub::start_mqtt_client(
        options, [](const hub::MqttMessage&) {}, [](hub::MqttConnection, const std::string&) {});
    if (!client) {
        return nullptr;
    }
    for (int i = 0; i < 200 && !(*client)->connected(); ++i) {
        std::this_thread::sleep_for(25ms);
    }
    return std::move(*client);
}

// The values the store holds for each device, read through the API.
std::vector<std::set<long>> stored_values(int port, const std::string& token) {
    std::vector<std::set<long>> out(device_count);
    for (int d = 0; d < device_count; ++d) {
        auto rows = get_json(
            port, "/api/history?entity_id=sensor.load_" + std::to_string(d) + "_temperature",
            token);
        if (!rows || !rows->is_array()) {
            continue;
        }
        for (const auto& row : *rows) {
            if (row.contains("state") && row["state"].is_string()) {
                out[static_cast<std::size_t>(d)].insert(
                    std::lround(std::strtod(row["state"].get<std::string>().c_str(), nullptr)));
            }
        }
    }
    return out;
}

// Polls the store until every value 0..total-1 is there or the time is up; returns how many are
// missing.
long wait_for_all(int port, const std::string& token, long total, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    long missing = total;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto values = stored_values(port, token);
        missing = 0;
        for (long v = 0; v < total; ++v) {
            if (!values[static_cast<std::size_t>(v % device_count)].contains(v)) {
                ++missing;
            }
        }
        if (missing == 0) {
            return 0;
        }
        std::this_thread::sleep_for(500ms);
    }
    return missing;
}

void publish_range(hub::MqttClient& publisher, long from, long to) {
    for (long v = from; v < to; ++v) {
        const std::string topic = "zigbee2mqtt/Load " + std::to_string(v % device_count);
        publisher.publish(topic, R"({"temperature":)" + std::to_string(v) + "}", 1, false);
    }
}

class HubKill : public ::testing::Test {
protected:
    void SetUp() override {
        if (!hub::testing::TestBroker::available()) {
            GTEST_SKIP() << "mosquitto is not installed";
        }
        ASSERT_TRUE(m_broker.start());
        m_data_dir = make_temp_dir("hearth-kill");
        ASSERT_FALSE(m_data_dir.empty());
        m_log = m_data_dir + "/hub.log";
        m_token = create_token(HEARTH_BIN, m_data_dir);
        ASSERT_FALSE(m_token.empty());
        m_publisher = start_publisher(m_broker.port());
        ASSERT_NE(m_publisher, nullptr);
        ASSERT_TRUE(m_publisher->connected());
        m_publisher->publish("zigbee2mqtt/bridge/devices", load_devices_json(device_count), 1,
                             true);
    }

    void TearDown() override {
        kill_hub(m_hub, SIGTERM);
        if (m_publisher) {
            m_publisher->stop();
        }
        if (!m_data_dir.empty() && !HasFailure()) {
            std::filesystem::remove_all(m_data_dir);
        }
    }

    bool start() {
        auto hub = start_hub(HEARTH_BIN, m_data_dir, m_broker.port(), "sqlite", m_log);
        if (hub) {
            m_hub = *hub;
        }
        return hub.has_value();
    }

    // Waits until the hub has received at least `count` messages since its start.
    bool wait_received(std::uint64_t count, std::chrono::seconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            auto stats = get_json(m_hub.http_port, "/api/stats", m_token);
            if (stats && stats->value("messages_received", std::uint64_t{0}) >= count) {
                return true;
            }
            std::this_thread::sleep_for(5ms);
        }
        return false;
    }

    hub::testing::TestBroker m_broker;
    std::string m_data_dir;
    std::string m_log;
    std::string m_token;
    std::unique_ptr<hub::MqttClient> m_publisher;
    HubProcess m_hub;
};

TEST_F(HubKill, SigkillDuringIngestLosesNoAcceptedMessage) {
    constexpr long total = 20'000;
    ASSERT_TRUE(start()) << read_file_text(m_log);
    // The retained bridge/devices arriving shows the hub has subscribed; then publish the first
    // half and kill it while it is still working through them.
    ASSERT_TRUE(wait_received(1, 30s)) << read_file_text(m_log);
    publish_range(*m_publisher, 0, total / 2);
    ASSERT_TRUE(wait_received(2'000, 60s)) << read_file_text(m_log);
    kill_hub(m_hub, SIGKILL);
    // The broker keeps the hub's persistent session and queues the rest for it.
    publish_range(*m_publisher, total / 2, total);
    std::this_thread::sleep_for(300ms);
    ASSERT_TRUE(start()) << read_file_text(m_log);
    EXPECT_EQ(wait_for_all(m_hub.http_port, m_token, total, 120s), 0) << read_file_text(m_log);
    auto stats = get_json(m_hub.http_port, "/api/stats", m_token);
    ASSERT_TRUE(stats.has_value());
    std::printf("after restart: %s\n", stats->dump().c_str());
}

TEST_F(HubKill, BrokerRestartDuringIngestLosesNothing) {
    constexpr long total = 6'000;
    ASSERT_TRUE(start()) << read_file_text(m_log);
    ASSERT_TRUE(wait_received(1, 30s)) << read_file_text(m_log);
    publish_range(*m_publisher, 0, total / 2);
    ASSERT_TRUE(wait_received(500, 60s)) << read_file_text(m_log);
    m_broker.stop();
    // Published while the broker is down: the publisher's persistent session holds them.
    publish_range(*m_publisher, total / 2, total);
    std::this_thread::sleep_for(500ms);
    ASSERT_TRUE(m_broker.start());
    EXPECT_EQ(wait_for_all(m_hub.http_port, m_token, total, 120s), 0) << read_file_text(m_log);
    auto stats = get_json(m_hub.http_port, "/api/stats", m_token);
    ASSERT_TRUE(stats.has_value());
    EXPECT_TRUE(stats->value("mqtt_connected", false));
    // The outage is reported once, with context, not once per lost packet.
    const std::string log = read_file_text(m_log);
    EXPECT_NE(log.find("mqtt"), std::string::npos) << log;
}

TEST_F(HubKill, ReadOnlyDataFolderIsAClearStartupErrorNotACrash) {
    if (geteuid() == 0) {
        GTEST_SKIP() << "root ignores folder permissions";
    }
    const std::string locked = m_data_dir + "/locked";
    std::filesystem::create_directories(locked);
    std::filesystem::permissions(locked, std::filesystem::perms::owner_read |
                                             std::filesystem::perms::owner_exec);
    auto hub = start_hub(HEARTH_BIN, locked, m_broker.port(), "sqlite", m_log);
    std::filesystem::permissions(locked, std::filesystem::perms::owner_all);
    EXPECT_FALSE(hub.has_value());
    const std::string log = read_file_text(m_log);
    EXPECT_NE(log.find("hearth serve: "), std::string::npos) << log;
    EXPECT_EQ(log.find("terminate"), std::string::npos) << log;
}

// Works as root too: a data folder that cannot be made, because its parent is a file.
TEST_F(HubKill, DataFolderUnderAFileIsAClearStartupErrorNotACrash) {
    const std::string file = m_data_dir + "/a-file";
    std::ofstream(file) << "not a folder\n";
    auto hub = start_hub(HEARTH_BIN, file + "/data", m_broker.port(), "sqlite", m_log);
    EXPECT_FALSE(hub.has_value());
    const std::string log = read_file_text(m_log);
    EXPECT_NE(log.find("hearth serve: "), std::string::npos) << log;
    EXPECT_NE(log.find("a-file/data"), std::string::npos) << log; // names the folder
    EXPECT_EQ(log.find("terminate"), std::string::npos) << log;
}

std::size_t count_lines_with(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

// A full disk: every file the hub writes (journal, database, WAL) stops growing at 1 MiB while
// 20 000 padded states (about 5 MB of journal) arrive. The hub must stay up and answer, count
// the problem and log it once with its cause, keep its queues bounded, and refuse (not
// acknowledge) what it cannot journal. Then it is killed, the disk "recovers" (a restart without
// the limit), and every value must end up in the store.
TEST_F(HubKill, FullDiskIsCountedAndLoggedNotACrash) {
    constexpr long total = 20'000;
    auto hub = start_hub(HEARTH_BIN, m_data_dir, m_broker.port(), "sqlite", m_log, 1U << 20U);
    ASSERT_TRUE(hub.has_value()) << read_file_text(m_log);
    m_hub = *hub;
    ASSERT_TRUE(wait_received(1, 30s)) << read_file_text(m_log);
    const std::string padding(200, 'x');
    for (long v = 0; v < total; ++v) {
        m_publisher->publish(
            "zigbee2mqtt/Load " + std::to_string(v % device_count),
            R"({"temperature":)" + std::to_string(v) + R"(,"note":")" + padding + "\"}", 1, false);
    }
    std::optional<json> stats;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
        stats = get_json(m_hub.http_port, "/api/stats", m_token);
        if (stats && stats->contains("problem_counts") &&
            (*stats)["problem_counts"].contains("journal: append failed")) {
            break;
        }
        std::this_thread::sleep_for(200ms);
    }
    // Some rounds of refusing and reconnecting while the disk stays full.
    std::this_thread::sleep_for(3s);
    int status = 0;
    const bool alive = waitpid(m_hub.pid, &status, WNOHANG) == 0;
    ASSERT_TRUE(alive) << read_file_text(m_log);
    stats = get_json(m_hub.http_port, "/api/stats", m_token);
    const long peak_kib = peak_rss_kib(m_hub.pid);
    kill_hub(m_hub, SIGKILL);
    ASSERT_TRUE(stats.has_value()) << read_file_text(m_log);
    std::printf("full disk: %s\npeak RSS %ld KiB\n", stats->dump().c_str(), peak_kib);
    ASSERT_TRUE(stats->contains("problem_counts")) << stats->dump();
    const auto& counts = (*stats)["problem_counts"];
    EXPECT_GT(counts.value("journal: append failed", 0), 0) << stats->dump();
    EXPECT_GT(counts.value("journal: message refused", 0), 0) << stats->dump();
    // Bounded: the queue never holds more than its capacity, and the hub stays small.
    EXPECT_LE(stats->value("queue_depth", 0), 100'000) << stats->dump();
    EXPECT_LT(peak_kib, 256 * 1024);
    // Logged once, with the cause, not once per message or per reconnection.
    const std::string log = read_file_text(m_log);
    EXPECT_EQ(count_lines_with(log, "cannot append"), 1U) << log;
    EXPECT_NE(log.find("File too large"), std::string::npos) << log;
    EXPECT_LT(count_lines_with(log, " warn ") + count_lines_with(log, " error "), 20U) << log;
    EXPECT_EQ(log.find("terminate"), std::string::npos) << log;

    // The disk has room again: nothing the broker accepted is lost.
    ASSERT_TRUE(start()) << read_file_text(m_log);
    EXPECT_EQ(wait_for_all(m_hub.http_port, m_token, total, 120s), 0) << read_file_text(m_log);
    stats = get_json(m_hub.http_port, "/api/stats", m_token);
    ASSERT_TRUE(stats.has_value());
    std::printf("after the disk recovered: %s\n", stats->dump().c_str());
}

} // namespace
} // namespace hearth::integration
