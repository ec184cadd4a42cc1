#pragma once

// A device convention spoken over MQTT (Zigbee2MQTT, Home Assistant discovery, the Hearth
// watch): it turns messages into entity updates and service calls into messages. Adapters hold
// only their registry of known devices; they never touch the state machine or the network, so
// they are tested with plain values.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mqtt/mqtt_client.h"
#include "store/store.h"

namespace hearth::hub {

struct EntityUpdate {
    std::string entity_id;
    std::string state;
    nlohmann::json attributes = nlohmann::json::object();
};

struct MessageOutcome {
    std::vector<EntityUpdate> updates;
    std::vector<std::string> removed;      // entity ids that no longer exist
    std::vector<std::string> new_entities; // entity ids first seen in this message
    std::optional<std::string> error;      // a malformed or unexpected message, for the log
    std::vector<StoredEvent> events;       // e.g. fell_asleep from the watch, stored and broadcast
};

// A request to change a device: domain "light", service "turn_on", data {"brightness": 120}.
struct ServiceCall {
    std::string domain;
    std::string service;
    std::string entity_id;
    nlohmann::json data = nlohmann::json::object();
};

struct CommandOutcome {
    std::vector<MqttMessage> messages;
    std::optional<std::string> error; // e.g. "light.kitchen does not support set_cover_position"
};

class DeviceAdapter {
public:
    virtual ~DeviceAdapter() = default;
    [[nodiscard]] virtual std::string name() const = 0;
    // Topic filters to subscribe to.
    [[nodiscard]] virtual std::vector<std::string> subscriptions() const = 0;
    // Whether this adapter understands the topic (the hub asks each adapter in turn).
    [[nodiscard]] virtual bool accepts(const std::string& topic) const = 0;
    virtual MessageOutcome on_message(const MqttMessage& message) = 0;
    // Whether the adapter owns the entity; then command() turns the call into MQTT messages.
    [[nodiscard]] virtual bool owns(const std::string& entity_id) const = 0;
    virtual CommandOutcome command(const ServiceCall& call) = 0;
};

} // namespace hearth::hub
