#include "devices/ha_discovery.h"

#include <algorithm>
#include <cstdio>

#include "core/entity.h"

namespace hearth::hub {

namespace {

using json = nlohmann::json;

// The abbreviations Home Assistant documents for discovery payloads (the ones used by the
// components Hearth supports).
const std::map<std::string, std::string>& abbreviations() {
    static const std::map<std::string, std::string> table = {
        {"avty_t", "availability_topic"},
        {"bri_cmd_t", "brightness_command_topic"},
        {"bri_scl", "brightness_scale"},
        {"bri_stat_t", "brightness_state_topic"},
        {"bri_val_tpl", "brightness_value_template"},
        {"cmd_t", "command_topic"},
        {"curr_temp_t", "current_temperature_topic"},
        {"curr_temp_tpl", "current_temperature_template"},
        {"dev", "device"},
        {"dev_cla", "device_class"},
        {"json_attr_t", "json_attributes_topic"},
        {"mode_cmd_t", "mode_command_topic"},
        {"mode_stat_t", "mode_state_topic"},
        {"mode_stat_tpl", "mode_state_template"},
        {"obj_id", "object_id"},
        {"pl_avail", "payload_available"},
        {"pl_cls", "payload_close"},
        {"pl_lock", "payload_lock"},
        {"pl_not_avail", "payload_not_available"},
        {"pl_off", "payload_off"},
        {"pl_on", "payload_on"},
        {"pl_open", "payload_open"},
        {"pl_stop", "payload_stop"},
        {"pl_unlk", "payload_unlock"},
        {"pos_t", "position_topic"},
        {"pos_tpl", "position_template"},
        {"set_pos_t", "set_position_topic"},
        {"stat_clsd", "state_closed"},
        {"stat_locked", "state_locked"},
        {"stat_off", "state_off"},
        {"stat_on", "state_on"},
        {"stat_open", "state_open"},
        {"stat_t", "state_topic"},
        {"stat_unlocked", "state_unlocked"},
        {"stat_val_tpl", "state_value_template"},
        {"temp_cmd_t", "temperature_command_topic"},
        {"temp_stat_t", "temperature_state_topic"},
        {"temp_stat_tpl", "temperature_state_template"},
        {"uniq_id", "unique_id"},
        {"unit_of_meas", "unit_of_measurement"},
        {"val_tpl", "value_template"},
    };
    return table;
}

json expand(const json& config) {
    json out = json::object();
    const std::string base = config.value("~", "");
    for (const auto& [key, value] : config.items()) {
        if (key == "~") {
            continue;
        }
        auto it = abbreviations().find(key);
        const std::string& full = it == abbreviations().end() ? key : it->second;
        json v = value;
        if (!base.empty() && v.is_string() && full.ends_with("_topic")) {
            std::string s = v.get<std::string>();
            if (s.starts_with("~")) {
                s = base + s.substr(1);
            } else if (s.ends_with("~")) {
                s = s.substr(0, s.size() - 1) + base;
            }
            v = s;
        }
        out[full] = v;
    }
    return out;
}

std::string trim(std::string s) {
    const auto first = s.find_first_not_of(" \t");
    const auto last = s.find_last_not_of(" \t");
    return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

std::string scalar_text(const json& v) {
    if (v.is_string()) {
        return v.get<std::string>();
    }
    if (v.is_number_integer()) {
        return std::to_string(v.get<long long>());
    }
    if (v.is_number()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.10g", v.get<double>());
        return buf;
    }
    if (v.is_boolean()) {
        return v.get<bool>() ? "True" : "False"; // as Jinja renders booleans
    }
    return v.dump();
}

// Reads `{{ value }}`, `{{ value_json.a.b }}` and `{{ value_json['a'] }}` templates. Returns
// false when the template is of another form or the path is absent.
bool apply_template(const std::string& tpl, const std::string& payload, std::string& out) {
    std::string t = trim(tpl);
    if (t.empty()) {
        out = payload;
        return true;
    }
    if (!t.starts_with("{{") || !t.ends_with("}}")) {
        return false;
    }
    t = trim(t.substr(2, t.size() - 4));
    if (t == "value") {
        out = payload;
        return true;
    }
    if (!t.starts_with("value_json")) {
        return false;
    }
    std::string path = t.substr(std::string("value_json").size());
    const json doc = json::parse(payload, nullptr, false);
    const json* node = &doc;
    while (!path.empty()) {
        std::string key;
        if (path[0] == '.') {
            std::size_t end = 1;
            while (end < path.size() && path[end] != '.' && path[end] != '[') {
                ++end;
            }
            key = path.substr(1, end - 1);
            path = path.substr(end);
        } else if (path.starts_with("['") || path.starts_with("[\"")) {
            const char quote = path[1];
            const std::size_t end = path.find(std::string(1, quote) + "]", 2);
            if (end == std::string::npos) {
                return false;
            }
            key = path.substr(2, end - 2);
            path = path.substr(end + 2);
        } else {
            return false;
        }
        if (!node->is_object() || !node->contains(key)) {
            return false;
        }
        node = &node->at(key);
    }
    out = scalar_text(*node);
    return true;
}

std::string string_or(const json& config, const char* key, const std::string& fallback) {
    auto it = config.find(key);
    if (it == config.end()) {
        return fallback;
    }
    return it->is_string() ? it->get<std::string>() : scalar_text(*it);
}

} // namespace

HaDiscoveryAdapter::HaDiscoveryAdapter(std::string prefix) : m_prefix(std::move(prefix)) {}

std::vector<std::string> HaDiscoveryAdapter::subscriptions() const {
    return {m_prefix + "/+/+/config", m_prefix + "/+/+/+/config"};
}

std::vector<std::string> HaDiscoveryAdapter::state_topics() const {
    std::vector<std::string> out;
    for (const auto& [topic, id] : m_topic_routes) {
        if (out.empty() || out.back() != topic) {
            out.push_back(topic);
        }
    }
    return out;
}

bool HaDiscoveryAdapter::accepts(const std::string& topic) const {
    return (topic.starts_with(m_prefix + "/") && topic.ends_with("/config")) ||
           m_topic_routes.contains(topic);
}

bool HaDiscoveryAdapter::owns(const std::string& entity_id) const {
    return m_entities.contains(entity_id);
}

MessageOutcome HaDiscoveryAdapter::on_message(const MqttMessage& message) {
    const std::string& topic = message.topic;
    if (topic.starts_with(m_prefix + "/") && topic.ends_with("/config")) {
        // <prefix>/<component>/[<node_id>/]<object_id>/config
        const std::string middle =
            topic.substr(m_prefix.size() + 1, topic.size() - m_prefix.size() - 1 - 7);
        const std::size_t slash = middle.find('/');
        if (slash == std::string::npos) {
            MessageOutcome outcome;
            outcome.error = "homeassistant: malformed discovery topic " + topic;
            return outcome;
        }
        return on_config(middle, middle.substr(0, slash), message.payload);
    }
    return on_state_topic(topic, message.payload);
}

MessageOutcome HaDiscoveryAdapter::on_config(const std::string& discovery_key,
                                             const std::string& component,
                                             const std::string& payload) {
    MessageOutcome outcome;
    static const std::set<std::string> supported = {"sensor", "binary_sensor", "switch", "light",
                                                    "cover",  "lock",          "climate"};
    auto existing = m_by_discovery_key.find(discovery_key);
    if (payload.empty()) {
        if (existing != m_by_discovery_key.end()) {
            const std::string id = existing->second;
            std::erase_if(m_topic_routes, [&](const auto& r) { return r.second == id; });
            m_entities.erase(id);
            m_by_discovery_key.erase(existing);
            outcome.removed.push_back(id);
        }
        return outcome;
    }
    if (!supported.contains(component)) {
        outcome.error = "homeassistant: component '" + component + "' is not supported";
        return outcome;
    }
    const json raw = json::parse(payload, nullptr, false);
    if (!raw.is_object()) {
        outcome.error = "homeassistant: config " + discovery_key + " is not a JSON object";
        return outcome;
    }
    Entity e;
    e.component = component;
    e.config = expand(raw);
    std::string object = string_or(e.config, "object_id", "");
    if (object.empty()) {
        object = string_or(e.config, "name", "");
    }
    if (object.empty()) {
        object = discovery_key.substr(discovery_key.rfind('/') + 1);
    }
    e.entity_id = component + "." + slugify(object);
    if (existing != m_by_discovery_key.end()) {
        // An updated config: keep the known state.
        const std::string old_id = existing->second;
        if (auto old = m_entities.find(old_id); old != m_entities.end()) {
            e.state = old->second.state;
            e.attributes = old->second.attributes;
        }
        std::erase_if(m_topic_routes, [&](const auto& r) { return r.second == old_id; });
        if (old_id != e.entity_id) {
            m_entities.erase(old_id);
            outcome.removed.push_back(old_id);
        }
    } else if (m_entities.contains(e.entity_id)) {
        outcome.error = "homeassistant: " + discovery_key + " would reuse entity id " + e.entity_id;
        return outcome;
    }
    if (!m_entities.contains(e.entity_id)) {
        outcome.new_entities.push_back(e.entity_id);
    }
    for (const char* key : {"state_topic", "availability_topic", "json_attributes_topic",
                            "brightness_state_topic", "position_topic", "current_temperature_topic",
                            "mode_state_topic", "temperature_state_topic"}) {
        const std::string t = string_or(e.config, key, "");
        if (!t.empty()) {
            m_topic_routes.emplace(t, e.entity_id);
        }
    }
    if (auto name = e.config.find("name"); name != e.config.end() && name->is_string()) {
        e.attributes["friendly_name"] = *name;
    }
    for (const char* key : {"unit_of_measurement", "device_class"}) {
        if (auto v = e.config.find(key); v != e.config.end()) {
            e.attributes[key] = *v;
        }
    }
    m_by_discovery_key[discovery_key] = e.entity_id;
    outcome.updates.push_back(update_of(e));
    m_entities[e.entity_id] = std::move(e);
    return outcome;
}

MessageOutcome HaDiscoveryAdapter::on_state_topic(const std::string& topic,
                                                  const std::string& payload) {
    MessageOutcome outcome;
    auto [first, last] = m_topic_routes.equal_range(topic);
    for (auto route = first; route != last; ++route) {
        Entity& e = m_entities.at(route->second);
        const json& c = e.config;
        auto read = [&](const char* template_key, std::string& out) {
            const std::string tpl = string_or(c, template_key, "");
            if (apply_template(tpl, payload, out)) {
                return true;
            }
            outcome.error = "homeassistant: " + e.entity_id + ": cannot read '" +
                            payload.substr(0, 60) + "' with template " + tpl;
            return false;
        };
        std::string value;
        if (topic == string_or(c, "availability_topic", "")) {
            if (payload == string_or(c, "payload_available", "online")) {
                e.available = true;
            } else if (payload == string_or(c, "payload_not_available", "offline")) {
                e.available = false;
            }
        }
        if (topic == string_or(c, "json_attributes_topic", "")) {
            const json attrs = json::parse(payload, nullptr, false);
            if (attrs.is_object()) {
                e.attributes.update(attrs);
            } else {
                outcome.error = "homeassistant: " + e.entity_id + ": attributes are not JSON";
            }
        }
        if (topic == string_or(c, "state_topic", "")) {
            const bool json_light = e.component == "light" && string_or(c, "schema", "") == "json";
            if (json_light) {
                const json doc = json::parse(payload, nullptr, false);
                if (doc.is_object()) {
                    e.state = doc.value("state", "") == "ON" ? "on" : "off";
                    for (const char* key : {"brightness", "color_temp", "color", "color_mode"}) {
                        if (doc.contains(key)) {
                            e.attributes[key] = doc[key];
                        }
                    }
                } else {
                    outcome.error = "homeassistant: " + e.entity_id + ": state is not JSON";
                }
            } else if (read(e.component == "cover" || e.component == "lock" ||
                                    e.component == "binary_sensor" || e.component == "switch" ||
                                    e.component == "light"
                                ? (c.contains("state_value_template") ? "state_value_template"
                                                                      : "value_template")
                                : "value_template",
                            value)) {
                if (e.component == "sensor") {
                    e.state = value;
                } else if (e.component == "binary_sensor" || e.component == "switch" ||
                           e.component == "light") {
                    const std::string on =
                        string_or(c, "state_on", string_or(c, "payload_on", "ON"));
                    const std::string off =
                        string_or(c, "state_off", string_or(c, "payload_off", "OFF"));
                    e.state = value == on ? "on" : value == off ? "off" : "unknown";
                } else if (e.component == "cover") {
                    if (value == string_or(c, "state_open", "open")) {
                        e.state = "open";
                    } else if (value == string_or(c, "state_closed", "closed")) {
                        e.state = "closed";
                    } else {
                        e.state = value;
                    }
                } else if (e.component == "lock") {
                    e.state = value == string_or(c, "state_locked", "LOCKED")       ? "locked"
                              : value == string_or(c, "state_unlocked", "UNLOCKED") ? "unlocked"
                                                                                    : value;
                } else {
                    e.state = value;
                }
            }
        }
        if (topic == string_or(c, "brightness_state_topic", "") &&
            read("brightness_value_template", value)) {
            e.attributes["brightness"] = std::atoi(value.c_str());
        }
        if (topic == string_or(c, "position_topic", "") && read("position_template", value)) {
            const int position = std::atoi(value.c_str());
            e.attributes["current_position"] = position;
            e.state = position > 0 ? "open" : "closed";
        }
        if (topic == string_or(c, "current_temperature_topic", "") &&
            read("current_temperature_template", value)) {
            e.attributes["current_temperature"] = std::atof(value.c_str());
        }
        if (topic == string_or(c, "temperature_state_topic", "") &&
            read("temperature_state_template", value)) {
            e.attributes["temperature"] = std::atof(value.c_str());
        }
        if (topic == string_or(c, "mode_state_topic", "") && read("mode_state_template", value)) {
            e.state = value;
        }
        outcome.updates.push_back(update_of(e));
    }
    return outcome;
}

EntityUpdate HaDiscoveryAdapter::update_of(const Entity& e) const {
    return {e.entity_id, e.available ? e.state : "unavailable", e.attributes};
}

CommandOutcome HaDiscoveryAdapter::command(const ServiceCall& call) {
    CommandOutcome outcome;
    auto it = m_entities.find(call.entity_id);
    if (it == m_entities.end()) {
        outcome.error = call.entity_id + " is not a discovered entity";
        return outcome;
    }
    const Entity& e = it->second;
    const json& c = e.config;
    const std::string& s = call.service;
    const std::string command_topic = string_or(c, "command_topic", "");
    auto send = [&](const std::string& topic, const std::string& payload) {
        if (topic.empty()) {
            outcome.error = call.entity_id + " has no command topic for " + s;
        } else {
            outcome.messages.push_back({topic, payload, 1, false});
        }
    };
    if (e.component == "light" || e.component == "switch") {
        if (e.component == "light" && string_or(c, "schema", "") == "json") {
            json payload = {{"state", s == "turn_off" ? "OFF" : "ON"}};
            if (s == "turn_on" && call.data.contains("brightness")) {
                payload["brightness"] = call.data["brightness"];
            }
            if (s == "toggle") {
                payload["state"] = e.state == "on" ? "OFF" : "ON";
            }
            send(command_topic, payload.dump());
        } else if (s == "turn_on" || s == "turn_off" || s == "toggle") {
            const bool on = s == "turn_on" || (s == "toggle" && e.state != "on");
            send(command_topic,
                 on ? string_or(c, "payload_on", "ON") : string_or(c, "payload_off", "OFF"));
            if (on && e.component == "light" && call.data.contains("brightness")) {
                send(string_or(c, "brightness_command_topic", ""),
                     scalar_text(call.data["brightness"]));
            }
        } else {
            outcome.error = call.entity_id + " does not support " + s;
        }
    } else if (e.component == "cover") {
        if (s == "open_cover") {
            send(command_topic, string_or(c, "payload_open", "OPEN"));
        } else if (s == "close_cover") {
            send(command_topic, string_or(c, "payload_close", "CLOSE"));
        } else if (s == "stop_cover") {
            send(command_topic, string_or(c, "payload_stop", "STOP"));
        } else if (s == "set_cover_position" && call.data.contains("position")) {
            send(string_or(c, "set_position_topic", ""), scalar_text(call.data["position"]));
        } else {
            outcome.error = call.entity_id + " does not support " + s;
        }
    } else if (e.component == "lock") {
        if (s == "lock" || s == "unlock") {
            send(command_topic, s == "lock" ? string_or(c, "payload_lock", "LOCK")
                                            : string_or(c, "payload_unlock", "UNLOCK"));
        } else {
            outcome.error = call.entity_id + " does not support " + s;
        }
    } else if (e.component == "climate") {
        if (s == "set_temperature" && call.data.contains("temperature")) {
            send(string_or(c, "temperature_command_topic", ""),
                 scalar_text(call.data["temperature"]));
        } else if (s == "set_hvac_mode" && call.data.contains("hvac_mode")) {
            send(string_or(c, "mode_command_topic", ""), scalar_text(call.data["hvac_mode"]));
        } else {
            outcome.error = call.entity_id + " does not support " + s;
        }
    } else {
        outcome.error = call.entity_id + " cannot be commanded";
    }
    return outcome;
}

} // namespace hearth::hub
