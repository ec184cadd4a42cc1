#include "devices/zigbee2mqtt.h"

#include <cmath>
#include <set>

#include "core/entity.h"

namespace hearth::hub {

namespace {

using json = nlohmann::json;
using Kind = Zigbee2MqttAdapter::Kind;

constexpr std::size_t max_pending_states = 200000;

std::string domain_of(Kind kind) {
    switch (kind) {
    case Kind::Light:
        return "light";
    case Kind::Switch:
        return "switch";
    case Kind::Cover:
        return "cover";
    case Kind::Lock:
        return "lock";
    case Kind::Climate:
        return "climate";
    case Kind::BinarySensor:
        return "binary_sensor";
    case Kind::Sensor:
        return "sensor";
    }
    return "sensor";
}

std::string text_of(const json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_number_integer()) {
        return std::to_string(value.get<long long>());
    }
    if (value.is_number()) {
        const double d = value.get<double>();
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.10g", d);
        return buf;
    }
    if (value.is_boolean()) {
        return value.get<bool>() ? "on" : "off";
    }
    if (value.is_null()) {
        return "unknown";
    }
    return value.dump();
}

std::string device_class_for(const std::string& property) {
    static const std::set<std::string> known = {
        "temperature", "humidity", "pressure", "battery",   "illuminance", "power",      "energy",
        "voltage",     "current",  "co2",      "occupancy", "contact",     "water_leak", "smoke"};
    if (known.contains(property)) {
        return property;
    }
    if (property == "illuminance_lux") {
        return "illuminance";
    }
    return "";
}

std::string feature_property(const json& features, const std::string& name) {
    if (!features.is_array()) {
        return "";
    }
    for (const auto& f : features) {
        if (f.is_object() && f.value("name", "") == name) {
            return f.value("property", name);
        }
    }
    return "";
}

const json* find_feature(const json& features, const std::string& name) {
    if (!features.is_array()) {
        return nullptr;
    }
    for (const auto& f : features) {
        if (f.is_object() && f.value("name", "") == name) {
            return &f;
        }
    }
    return nullptr;
}

// One entity from a top-level expose; false when the expose is not something to show (e.g. a
// write-only setting).
bool make_exposed(const json& expose, const std::string& device_slug,
                  Zigbee2MqttAdapter::Exposed& out) {
    if (!expose.is_object()) {
        return false;
    }
    const std::string type = expose.value("type", "");
    const json features = expose.value("features", json::array());
    if (type == "light" || type == "switch" || type == "lock") {
        const json* state = find_feature(features, "state");
        out.kind = type == "light" ? Kind::Light : type == "switch" ? Kind::Switch : Kind::Lock;
        out.property = state != nullptr ? state->value("property", "state") : "state";
        if (state != nullptr) {
            out.value_on = state->value("value_on", json(type == "lock" ? "LOCK" : "ON"));
            out.value_off = state->value("value_off", json(type == "lock" ? "UNLOCK" : "OFF"));
        } else if (type == "lock") {
            out.value_on = "LOCK";
            out.value_off = "UNLOCK";
        }
        for (const auto& f : features) {
            if (f.is_object() && f.value("name", "") != "state") {
                out.features.push_back(f.value("property", f.value("name", "")));
            }
        }
        out.entity_id = domain_of(out.kind) + "." + device_slug;
        // A multi-endpoint device names its state "state_l1": one entity per endpoint.
        if (out.property != "state") {
            out.entity_id += "_" + slugify(out.property.substr(out.property.find('_') + 1));
        }
        return true;
    }
    if (type == "cover") {
        out.kind = Kind::Cover;
        out.property = feature_property(features, "state");
        out.position_property = feature_property(features, "position");
        out.entity_id = "cover." + device_slug;
        return true;
    }
    if (type == "climate") {
        out.kind = Kind::Climate;
        out.setpoint_property = feature_property(features, "occupied_heating_setpoint");
        if (out.setpoint_property.empty()) {
            out.setpoint_property = feature_property(features, "current_heating_setpoint");
        }
        out.current_temperature_property = feature_property(features, "local_temperature");
        out.mode_property = feature_property(features, "system_mode");
        out.entity_id = "climate." + device_slug;
        return true;
    }
    const std::string property = expose.value("property", expose.value("name", ""));
    const int access = expose.value("access", 1);
    if (property.empty() || (access & 1) == 0 || property == "linkquality") {
        return false;
    }
    out.property = property;
    out.unit = expose.value("unit", "");
    if (type == "binary") {
        out.kind = Kind::BinarySensor;
        out.value_on = expose.value("value_on", json(true));
        out.value_off = expose.value("value_off", json(false));
        out.entity_id = "binary_sensor." + device_slug + "_" + slugify(property);
        return true;
    }
    if (type == "numeric" || type == "enum" || type == "text") {
        out.kind = Kind::Sensor;
        out.entity_id = "sensor." + device_slug + "_" + slugify(property);
        return true;
    }
    return false;
}

EntityUpdate update_for(const Zigbee2MqttAdapter::Device& device,
                        const Zigbee2MqttAdapter::Exposed& e) {
    const json& s = device.last_state;
    EntityUpdate u;
    u.entity_id = e.entity_id;
    u.attributes["friendly_name"] = device.friendly_name;
    if (!device.available) {
        u.state = "unavailable";
        return u;
    }
    auto value = [&](const std::string& key) -> const json* {
        if (key.empty() || !s.contains(key)) {
            return nullptr;
        }
        return &s.at(key);
    };
    switch (e.kind) {
    case Kind::Light:
    case Kind::Switch:
    case Kind::Lock: {
        const json* v = value(e.property);
        const bool is_lock = e.kind == Kind::Lock;
        if (v == nullptr) {
            u.state = "unknown";
        } else if (*v == e.value_on) {
            u.state = is_lock ? "locked" : "on";
        } else if (*v == e.value_off) {
            u.state = is_lock ? "unlocked" : "off";
        } else {
            u.state = "unknown";
        }
        for (const auto& f : e.features) {
            if (const json* fv = value(f)) {
                u.attributes[f] = *fv;
            }
        }
        break;
    }
    case Kind::Cover: {
        const json* position = value(e.position_property);
        const json* state = value(e.property);
        if (position != nullptr && position->is_number()) {
            u.attributes["current_position"] = *position;
            u.state = position->get<double>() > 0 ? "open" : "closed";
        } else if (state != nullptr && state->is_string()) {
            const std::string st = state->get<std::string>();
            u.state = st == "OPEN" ? "open" : st == "CLOSE" ? "closed" : "unknown";
        } else {
            u.state = "unknown";
        }
        break;
    }
    case Kind::Climate: {
        const json* mode = value(e.mode_property);
        u.state = mode != nullptr ? text_of(*mode) : "unknown";
        if (const json* sp = value(e.setpoint_property)) {
            u.attributes["temperature"] = *sp;
        }
        if (const json* t = value(e.current_temperature_property)) {
            u.attributes["current_temperature"] = *t;
        }
        break;
    }
    case Kind::BinarySensor: {
        const json* v = value(e.property);
        u.state = v == nullptr        ? "unknown"
                  : *v == e.value_on  ? "on"
                  : *v == e.value_off ? "off"
                                      : "unknown";
        if (const std::string dc = device_class_for(e.property); !dc.empty()) {
            u.attributes["device_class"] = dc;
        }
        break;
    }
    case Kind::Sensor: {
        const json* v = value(e.property);
        u.state = v == nullptr ? "unknown" : text_of(*v);
        if (!e.unit.empty()) {
            u.attributes["unit_of_measurement"] = e.unit;
        }
        if (const std::string dc = device_class_for(e.property); !dc.empty()) {
            u.attributes["device_class"] = dc;
        }
        break;
    }
    }
    return u;
}

} // namespace

Zigbee2MqttAdapter::Zigbee2MqttAdapter(std::string base_topic) : m_base(std::move(base_topic)) {}

std::vector<std::string> Zigbee2MqttAdapter::subscriptions() const {
    return {m_base + "/#"};
}

bool Zigbee2MqttAdapter::accepts(const std::string& topic) const {
    return topic.size() > m_base.size() + 1 && topic.compare(0, m_base.size(), m_base) == 0 &&
           topic[m_base.size()] == '/';
}

bool Zigbee2MqttAdapter::owns(const std::string& entity_id) const {
    return m_entities.contains(entity_id);
}

MessageOutcome Zigbee2MqttAdapter::on_message(const MqttMessage& message) {
    const std::string rest = message.topic.substr(m_base.size() + 1);
    if (rest == "bridge/devices") {
        return on_devices(message.payload);
    }
    if (rest.starts_with("bridge/")) {
        return {}; // bridge state, logging, groups: not entities
    }
    auto ends_with = [&](std::string_view suffix) { return rest.ends_with(suffix); };
    if (ends_with("/set") || ends_with("/get")) {
        return {}; // commands, ours or another controller's
    }
    const bool availability = ends_with("/availability");
    const std::string name =
        availability ? rest.substr(0, rest.size() - std::string_view("/availability").size())
                     : rest;
    auto it = m_devices.find(name);
    if (it == m_devices.end()) {
        if (!availability && m_pending_count < max_pending_states) {
            m_pending_states[name].push_back(message.payload);
            ++m_pending_count;
            return {};
        }
        MessageOutcome outcome;
        outcome.error = "zigbee2mqtt: message for unknown device '" + name + "'";
        return outcome;
    }
    return availability ? on_availability(it->second, message.payload)
                        : on_state(it->second, message.payload);
}

MessageOutcome Zigbee2MqttAdapter::on_devices(const std::string& payload) {
    MessageOutcome outcome;
    const json devices = json::parse(payload, nullptr, false);
    if (!devices.is_array()) {
        outcome.error = "zigbee2mqtt: bridge/devices is not a JSON array";
        return outcome;
    }
    std::map<std::string, Device> next;
    std::map<std::string, std::pair<std::string, std::size_t>> entities;
    for (const auto& d : devices) {
        if (!d.is_object() || d.value("type", "") == "Coordinator") {
            continue;
        }
        Device device;
        device.friendly_name = d.value("friendly_name", "");
        device.ieee_address = d.value("ieee_address", "");
        if (device.friendly_name.empty()) {
            continue;
        }
        const json definition = d.value("definition", json::object());
        if (definition.is_object()) {
            device.vendor = definition.value("vendor", "");
            device.model = definition.value("model", "");
        }
        const json exposes =
            definition.is_object() ? definition.value("exposes", json::array()) : json::array();
        const std::string slug = slugify(device.friendly_name);
        for (const auto& expose : exposes) {
            Exposed e;
            if (make_exposed(expose, slug, e) && !entities.contains(e.entity_id)) {
                entities[e.entity_id] = {device.friendly_name, device.entities.size()};
                device.entities.push_back(std::move(e));
            }
        }
        if (auto old = m_devices.find(device.friendly_name); old != m_devices.end()) {
            device.last_state = old->second.last_state;
            device.available = old->second.available;
        }
        next[device.friendly_name] = std::move(device);
    }
    for (const auto& [id, where] : m_entities) {
        if (!entities.contains(id)) {
            outcome.removed.push_back(id);
        }
    }
    for (const auto& [id, where] : entities) {
        if (!m_entities.contains(id)) {
            outcome.new_entities.push_back(id);
        }
    }
    m_devices = std::move(next);
    m_entities = std::move(entities);
    for (auto& [name, device] : m_devices) {
        if (auto pending = m_pending_states.find(name); pending != m_pending_states.end()) {
            for (const auto& payload : pending->second) {
                const json state = json::parse(payload, nullptr, false);
                if (!state.is_object()) {
                    continue;
                }
                device.last_state.update(state);
                auto updates = updates_for(device);
                outcome.updates.insert(outcome.updates.end(), updates.begin(), updates.end());
            }
            m_pending_count -= pending->second.size();
            m_pending_states.erase(pending);
        }
        auto updates = updates_for(device);
        outcome.updates.insert(outcome.updates.end(), updates.begin(), updates.end());
    }
    return outcome;
}

MessageOutcome Zigbee2MqttAdapter::on_state(Device& device, const std::string& payload) {
    MessageOutcome outcome;
    const json state = json::parse(payload, nullptr, false);
    if (!state.is_object()) {
        outcome.error = "zigbee2mqtt: state of '" + device.friendly_name + "' is not a JSON object";
        return outcome;
    }
    // Devices publish partial objects (only what changed): merge into what is known.
    device.last_state.update(state);
    outcome.updates = updates_for(device);
    return outcome;
}

MessageOutcome Zigbee2MqttAdapter::on_availability(Device& device, const std::string& payload) {
    MessageOutcome outcome;
    std::string state = payload;
    const json parsed = json::parse(payload, nullptr, false);
    if (parsed.is_object()) {
        state = parsed.value("state", "");
    }
    if (state != "online" && state != "offline") {
        outcome.error = "zigbee2mqtt: availability of '" + device.friendly_name +
                        "' is neither online nor offline";
        return outcome;
    }
    device.available = state == "online";
    outcome.updates = updates_for(device);
    return outcome;
}

std::vector<EntityUpdate> Zigbee2MqttAdapter::updates_for(const Device& device) const {
    std::vector<EntityUpdate> out;
    out.reserve(device.entities.size());
    for (const auto& e : device.entities) {
        out.push_back(update_for(device, e));
    }
    return out;
}

CommandOutcome Zigbee2MqttAdapter::command(const ServiceCall& call) {
    CommandOutcome outcome;
    auto where = m_entities.find(call.entity_id);
    if (where == m_entities.end()) {
        outcome.error = call.entity_id + " is not a Zigbee2MQTT entity";
        return outcome;
    }
    const Device& device = m_devices.at(where->second.first);
    const Exposed& e = device.entities.at(where->second.second);
    const std::string& s = call.service;
    const json& data = call.data;
    json payload = json::object();
    auto unsupported = [&] {
        outcome.error = call.entity_id + " does not support " + call.domain + "." + s;
        return outcome;
    };
    switch (e.kind) {
    case Kind::Light:
    case Kind::Switch:
        if (s == "turn_on") {
            payload[e.property] = e.value_on;
            if (e.kind == Kind::Light) {
                if (data.contains("brightness") && data["brightness"].is_number()) {
                    payload["brightness"] = std::clamp(
                        static_cast<int>(std::lround(data["brightness"].get<double>())), 0, 254);
                } else if (data.contains("brightness_pct") && data["brightness_pct"].is_number()) {
                    payload["brightness"] = std::clamp(
                        static_cast<int>(std::lround(data["brightness_pct"].get<double>() * 2.54)),
                        0, 254);
                }
                if (data.contains("color_temp")) {
                    payload["color_temp"] = data["color_temp"];
                }
                if (data.contains("rgb_color") && data["rgb_color"].is_array() &&
                    data["rgb_color"].size() == 3) {
                    payload["color"] = {{"r", data["rgb_color"][0]},
                                        {"g", data["rgb_color"][1]},
                                        {"b", data["rgb_color"][2]}};
                }
                if (data.contains("xy_color") && data["xy_color"].is_array() &&
                    data["xy_color"].size() == 2) {
                    payload["color"] = {{"x", data["xy_color"][0]}, {"y", data["xy_color"][1]}};
                }
                if (data.contains("transition")) {
                    payload["transition"] = data["transition"];
                }
            }
        } else if (s == "turn_off") {
            payload[e.property] = e.value_off;
        } else if (s == "toggle") {
            payload[e.property] = "TOGGLE";
        } else {
            return unsupported();
        }
        break;
    case Kind::Cover:
        if (s == "open_cover") {
            payload["state"] = "OPEN";
        } else if (s == "close_cover") {
            payload["state"] = "CLOSE";
        } else if (s == "stop_cover") {
            payload["state"] = "STOP";
        } else if (s == "set_cover_position" && data.contains("position") &&
                   data["position"].is_number()) {
            payload[e.position_property.empty() ? "position" : e.position_property] =
                std::clamp(data["position"].get<int>(), 0, 100);
        } else {
            return unsupported();
        }
        break;
    case Kind::Lock:
        if (s == "lock") {
            payload[e.property] = e.value_on;
        } else if (s == "unlock") {
            payload[e.property] = e.value_off;
        } else {
            return unsupported();
        }
        break;
    case Kind::Climate:
        if (s == "set_temperature" && data.contains("temperature") &&
            data["temperature"].is_number() && !e.setpoint_property.empty()) {
            payload[e.setpoint_property] = data["temperature"];
        } else if (s == "set_hvac_mode" && data.contains("hvac_mode") &&
                   data["hvac_mode"].is_string() && !e.mode_property.empty()) {
            payload[e.mode_property] = data["hvac_mode"];
        } else if (s == "turn_off" && !e.mode_property.empty()) {
            payload[e.mode_property] = "off";
        } else {
            return unsupported();
        }
        break;
    case Kind::Sensor:
    case Kind::BinarySensor:
        return unsupported();
    }
    outcome.messages.push_back(
        {m_base + "/" + device.friendly_name + "/set", payload.dump(), 1, false});
    return outcome;
}

} // namespace hearth::hub
