#pragma once

// The Zigbee2MQTT convention (https://www.zigbee2mqtt.io, "MQTT topics and messages"):
// devices and their capabilities ("exposes") from `<base>/bridge/devices` (retained), state
// from `<base>/<friendly_name>` as a JSON object, availability from
// `<base>/<friendly_name>/availability`, commands to `<base>/<friendly_name>/set` as JSON.
//
// Entities follow Home Assistant's naming: a light, switch, cover, lock or climate expose is
// `<domain>.<device>`; other values become `sensor.<device>_<property>` or
// `binary_sensor.<device>_<property>`.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "devices/device_adapter.h"

namespace hearth::hub {

class Zigbee2MqttAdapter final : public DeviceAdapter {
public:
    explicit Zigbee2MqttAdapter(std::string base_topic = "zigbee2mqtt");

    [[nodiscard]] std::string name() const override { return "zigbee2mqtt"; }
    [[nodiscard]] std::vector<std::string> subscriptions() const override;
    [[nodiscard]] bool accepts(const std::string& topic) const override;
    MessageOutcome on_message(const MqttMessage& message) override;
    [[nodiscard]] bool owns(const std::string& entity_id) const override;
    CommandOutcome command(const ServiceCall& call) override;

    [[nodiscard]] std::size_t device_count() const { return m_devices.size(); }

    enum class Kind { Light, Switch, Cover, Lock, Climate, Sensor, BinarySensor };

    struct Exposed {
        std::string entity_id;
        Kind kind = Kind::Sensor;
        std::string property;           // the payload key of the value (or of the on/off state)
        nlohmann::json value_on = "ON"; // for binary values
        nlohmann::json value_off = "OFF";
        std::string unit;
        std::vector<std::string> features; // for lights: brightness, color_temp, color...
        std::string setpoint_property;     // climate
        std::string current_temperature_property;
        std::string mode_property;
        std::string position_property; // cover
    };

    struct Device {
        std::string friendly_name;
        std::string ieee_address;
        std::string vendor;
        std::string model;
        std::vector<Exposed> entities;
        nlohmann::json last_state = nlohmann::json::object();
        bool available = true;
    };

private:
    MessageOutcome on_devices(const std::string& payload);
    MessageOutcome on_state(Device& device, const std::string& payload);
    MessageOutcome on_availability(Device& device, const std::string& payload);
    std::vector<EntityUpdate> updates_for(const Device& device) const;

    std::string m_base;
    std::map<std::string, Device> m_devices;                               // by friendly name
    std::map<std::string, std::pair<std::string, std::size_t>> m_entities; // id -> device, index
    // States seen before their device was listed (after a restart the broker delivers the
    // queued states before the retained device list): kept in order, every one applied when the
    // device appears, so no value is lost. Bounded in total.
    std::map<std::string, std::vector<std::string>> m_pending_states;
    std::size_t m_pending_count = 0;
};

} // namespace hearth::hub
