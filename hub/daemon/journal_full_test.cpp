// A journal that cannot be written (full disk) must not lose a message: the hub refuses what it
// cannot make durable (no PUBACK) and the broker redelivers it once the journal works again.
// The "full disk" is this process's file size limit (RLIMIT_FSIZE, no root needed) with SIGXFSZ
// ignored, so writes past it fail with EFBIG.

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "daemon/hub.h"
#include "testing/fake_bridge.h"
#include "testing/test_broker.h"

namespace hearth::hub {
namespace {

using namespace std::chrono_literals;

// Lowers the soft file size limit of this process (every thread) and ignores SIGXFSZ; puts both
// back when destroyed. Raising the soft limit back to the hard one needs no privilege.
class FileSizeLimit {
public:
    explicit FileSizeLimit(std::uintmax_t max_bytes) {
        if (getrlimit(RLIMIT_FSIZE, &m_saved) != 0) {
            return;
        }
        m_saved_handler = signal(SIGXFSZ, SIG_IGN);
        rlimit lowered = m_saved;
        lowered.rlim_cur = static_cast<rlim_t>(max_bytes);
        m_active = setrlimit(RLIMIT_FSIZE, &lowered) == 0;
    }
    ~FileSizeLimit() { release(); }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

    void release() {
        if (m_active) {
            setrlimit(RLIMIT_FSIZE, &m_saved);
            signal(SIGXFSZ, m_saved_handler);
            m_active = false;
        }
    }
    [[nodiscard]] bool active() const { return m_active; }

private:
    rlimit m_saved{};
    sighandler_t m_saved_handler = SIG_DFL;
    bool m_active = false;
};

std::uintmax_t journal_bytes(const std::filesystem::path& dir) {
    std::uintmax_t total = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir / "journal", ec)) {
        total = std::max(total, entry.file_size(ec));
    }
    return total;
}

std::uint64_t problem_count(const Hub& hub, const std::string& kind) {
    const auto counts = hub.stats().problem_counts;
    const auto it = counts.find(kind);
    return it == counts.end() ? 0 : it->second;
}

// The temperatures the store holds for the bedroom sensor.
std::set<long> stored_values(Hub& hub) {
    std::set<long> out;
    const auto rows = hub.with_store([](Store& store) {
        return store.history("sensor.bedroom_sensor_temperature", 0, INT64_MAX, 100'000);
    });
    if (rows) {
        for (const auto& row : *rows) {
            char* end = nullptr;
            const long v = std::strtol(row.state.c_str(), &end, 10);
            if (end != row.state.c_str()) {
                out.insert(v);
            }
        }
    }
    return out;
}

TEST(HubJournalFull, RefusedMessagesAreRedeliveredOnceTheJournalCanBeWritten) {
    if (!testing::TestBroker::available()) {
        GTEST_SKIP() << "mosquitto is not installed";
    }
    testing::TestBroker broker;
    ASSERT_TRUE(broker.start());
    const auto dir = std::filesystem::temp_directory_path() /
                     ("hearth-journal-full-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    HubConfig config;
    config.data_dir = dir;
    config.mqtt.port = broker.port();
    config.mqtt.client_id = "hearth-journal-full-test";
    SystemClock clock;

    constexpr long total = 300;
    const std::string padding(2000, 'x'); // fills the journal within a few dozen messages
    {
        auto hub = Hub::start(config, clock);
        ASSERT_TRUE(hub.has_value()) << hub.error();
        ASSERT_TRUE((*hub)->wait_subscribed(10s));
        testing::FakeBridge bridge(broker.port());
        bridge.publish("zigbee2mqtt/bridge/devices", testing::z2m_bedroom_devices, true);
        bridge.publish("zigbee2mqtt/Bedroom Sensor", R"({"temperature":-1})");
        for (int i = 0; i < 400 && stored_values(**hub).count(-1) == 0; ++i) {
            std::this_thread::sleep_for(25ms);
        }
        ASSERT_EQ(stored_values(**hub).count(-1), 1U);

        // Room for about 30 more journal records; the store's files stop growing as well.
        FileSizeLimit limit(journal_bytes(dir) + 64 * 1024);
        if (!limit.active()) {
            GTEST_SKIP() << "cannot lower RLIMIT_FSIZE here";
        }
        for (long v = 0; v < total; ++v) {
            bridge.publish("zigbee2mqtt/Bedroom Sensor", R"({"temperature":)" + std::to_string(v) +
                                                             R"(,"note":")" + padding + "\"}");
        }
        for (int i = 0; i < 400 && problem_count(**hub, "journal: append failed") == 0; ++i) {
            std::this_thread::sleep_for(25ms);
        }
        EXPECT_GT(problem_count(**hub, "journal: append failed"), 0U);
        // A few refuse-and-reconnect rounds, then the hub goes away while the disk is still
        // full: whatever it held only in memory is gone, as after a crash.
        std::this_thread::sleep_for(2s);
        EXPECT_GT(problem_count(**hub, "journal: message refused"), 0U);
        EXPECT_LE((*hub)->stats().queue_depth, config.queue_capacity);
        (*hub)->stop();
        hub->reset();
        limit.release();
    }
    // The disk has room again: a new hub replays its journal and the broker redelivers every
    // message that was refused.
    auto hub = Hub::start(config, clock);
    ASSERT_TRUE(hub.has_value()) << hub.error();
    std::set<long> values;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    long missing = total;
    while (std::chrono::steady_clock::now() < deadline) {
        values = stored_values(**hub);
        missing = 0;
        for (long v = 0; v < total; ++v) {
            missing += values.count(v) == 0 ? 1 : 0;
        }
        if (missing == 0) {
            break;
        }
        std::this_thread::sleep_for(200ms);
    }
    EXPECT_EQ(missing, 0) << "of " << total << " values";
    (*hub)->stop();
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace hearth::hub
