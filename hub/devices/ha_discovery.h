#pragma once

// Home Assistant MQTT discovery (https://www.home-assistant.io/integrations/mqtt/, "MQTT
// Discovery"): retained configs on `<prefix>/<component>/[<node_id>/]<object_id>/config`
// declare entities with their state and command topics; an empty config removes the entity.
// Abbreviated keys ("stat_t", "cmd_t", ...) and the "~" base-topic shorthand are understood.
//
// Templates are not evaluated in general (Hearth is template-free); the common forms
// `{{ value }}`, `{{ value_json.key }}`, `{{ value_json.a.b }}` and `{{ value_json['key'] }}`
// are read as paths into the payload, and anything else is reported once and the raw payload
// used.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "devices/device_adapter.h"

namespace hearth::hub {

class HaDiscoveryAdapter final : public DeviceAdapter {
public:
    explicit HaDiscoveryAdapter(std::string prefix = "homeassistant");

    [[nodiscard]] std::string name() const override { return "homeassistant"; }
    [[nodiscard]] std::vector<std::string> subscriptions() const override;
    [[nodiscard]] bool accepts(const std::string& topic) const override;
    MessageOutcome on_message(const MqttMessage& message) override;
    [[nodiscard]] bool owns(const std::string& entity_id) const override;
    CommandOutcome command(const ServiceCall& call) override;

    // Topics the hub must subscribe to for the entities discovered so far (state,
    // availability, attributes...). Grows as configs arrive.
    [[nodiscard]] std::vector<std::string> state_topics() const;

    struct Entity {
        std::string entity_id;
        std::string component;
        nlohmann::json config; // with abbreviations expanded and "~" substituted
        std::string state = "unknown";
        nlohmann::json attributes = nlohmann::json::object();
        bool available = true;
    };

private:
    MessageOutcome on_config(const std::string& discovery_key, const std::string& component,
                             const std::string& payload);
    MessageOutcome on_state_topic(const std::string& topic, const std::string& payload);
    [[nodiscard]] EntityUpdate update_of(const Entity& e) const;

    std::string m_prefix;
    std::map<std::string, Entity> m_entities;               // by entity id
    std::map<std::string, std::string> m_by_discovery_key;  // "<component>/<node>/<object>" -> id
    std::multimap<std::string, std::string> m_topic_routes; // topic -> entity id
};

} // namespace hearth::hub
