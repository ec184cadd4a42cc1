#pragma once

// The device side of an MQTT conversation, for tests: publishes as Zigbee2MQTT does and
// records the /set commands it receives. Test-only.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mqtt/mqtt_client.h"

namespace hearth::hub::testing {

// bridge/devices for a bedroom light (on/off, brightness) and a temperature sensor.
extern const char* const z2m_bedroom_devices;

class FakeBridge {
public:
    explicit FakeBridge(int port);
    void publish(const std::string& topic, const std::string& payload, bool retain = false);
    // The newest command received, waiting up to 10 s for one.
    std::optional<MqttMessage> wait_command();

private:
    std::unique_ptr<MqttClient> m_client;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<MqttMessage> m_commands;
    bool m_up = false;
};

} // namespace hearth::hub::testing
