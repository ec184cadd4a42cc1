#include "sim/simulator.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "daemon/hub.h"
#include "testing/test_broker.h"

namespace hearth::hub::sim {
namespace {

using namespace std::chrono_literals;

bool wait_for(const std::function<bool()>& condition) {
    for (int i = 0; i < 600; ++i) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(25ms);
    }
    return false;
}

TEST(Simulator, HubControlsTheSimulatedHomeAndSeesTheWatch) {
    if (!testing::TestBroker::available()) {
        GTEST_SKIP() << "mosquitto is not installed";
    }
    testing::TestBroker broker;
    ASSERT_TRUE(broker.start());
    const auto dir =
        std::filesystem::temp_directory_path() / ("hearth-sim-" + std::to_string(getpid()));
    HubConfig config;
    config.data_dir = dir;
    config.mqtt.port = broker.port();
    config.mqtt.client_id = "hearth-hub-sim-test";
    SystemClock clock;
    auto hub = Hub::start(config, clock);
    ASSERT_TRUE(hub.has_value()) << hub.error();
    ASSERT_TRUE((*hub)->wait_subscribed(10s));

    std::atomic<bool> stop{false};
    SimulatorOptions options;
    options.port = broker.port();
    options.speed = 20.0;
    options.duration_s = 600.0;           // bounded: 30 s of real time at most
    options.start_ms = 1'764'054'000'000; // 07:00 UTC: the morning run
    std::thread simulator([&] { EXPECT_TRUE(run_simulator(options, stop).has_value()); });

    Hub& h = **hub;
    ASSERT_TRUE(wait_for([&] {
        auto s = h.state("light.living_room_lamp");
        return s && s->state == "on";
    }));
    ASSERT_TRUE(h.call_service({"light", "turn_off", "light.living_room_lamp", {}}).has_value());
    // The simulated lamp applies the command and reports "off" back.
    EXPECT_TRUE(wait_for([&] {
        auto s = h.state("light.living_room_lamp");
        return s && s->state == "off";
    }));
    EXPECT_TRUE(wait_for([&] { return h.state("sensor.watch_heart_rate").has_value(); }));
    if (auto hr = h.state("sensor.watch_heart_rate")) {
        EXPECT_GT(std::stoi(hr->state), 100); // running
    }
    stop = true;
    simulator.join();
    h.stop();
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace hearth::hub::sim
