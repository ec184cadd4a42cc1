#pragma once

// A simulated home in the Zigbee2MQTT convention, as `hearth simulate` plays it: the bridge's
// device list, each device's state, and the answers real devices give to `/set` commands
// (apply the change, publish the new full state). Pure logic: it returns the messages to
// publish and never touches the network, so it is tested with plain values.

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "mqtt/mqtt_client.h"

namespace hearth::hub::sim {

enum class SimDeviceKind : std::uint8_t { Light, Cover, Lock, Climate, Motion, RoomSensor };

struct SimDevice {
    std::string friendly_name;
    std::string ieee_address;
    SimDeviceKind kind = SimDeviceKind::Light;
    nlohmann::json state = nlohmann::json::object();
};

class SimHome {
public:
    // `seed` makes the sensors' random walk reproducible.
    explicit SimHome(std::string base_topic = "zigbee2mqtt", std::uint64_t seed = 1);

    // Everything a bridge publishes on start: the retained device list, each device's retained
    // state and "online" availability, and the bridge's own state.
    [[nodiscard]] std::vector<MqttMessage> start_messages() const;
    [[nodiscard]] std::string devices_payload() const;

    // Whether the topic is a command to one of the devices (`<base>/<name>/set`).
    [[nodiscard]] bool is_command(const std::string& topic) const;
    // Applies a `/set` command and returns the device's new state message. Errors (unknown
    // device, bad JSON, values out of range, read-only device) leave the state unchanged.
    tl::expected<std::vector<MqttMessage>, std::string> on_command(const MqttMessage& message);

    // Sensor readings that changed since the last tick at `t_ms` (unix ms): the room
    // temperature and humidity drift, the thermostat heads for its setpoint, motion comes and
    // goes. Call every few seconds of simulated time.
    std::vector<MqttMessage> tick(std::int64_t t_ms);

    [[nodiscard]] const SimDevice* device(const std::string& friendly_name) const;

private:
    [[nodiscard]] MqttMessage state_message(const SimDevice& d) const;

    std::string m_base;
    std::vector<SimDevice> m_devices;
    std::mt19937_64 m_rng;
    std::int64_t m_last_tick_ms = 0;
};

} // namespace hearth::hub::sim
