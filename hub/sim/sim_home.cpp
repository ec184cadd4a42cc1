#include "sim/sim_home.h"

#include <algorithm>
#include <cmath>

namespace hearth::hub::sim {

using json = nlohmann::json;

namespace {

json binary(const char* name, json on, json off, int access) {
    return {{"type", "binary"}, {"name", name},     {"property", name},
            {"value_on", on},   {"value_off", off}, {"access", access}};
}

json numeric(const char* name, const char* unit, int access) {
    json j = {{"type", "numeric"}, {"name", name}, {"property", name}, {"access", access}};
    if (unit[0] != '\0') {
        j["unit"] = unit;
    }
    return j;
}

json exposes_of(SimDeviceKind kind) {
    switch (kind) {
    case SimDeviceKind::Light:
        return json::array({{{"type", "light"},
                             {"features",
                              {binary("state", "ON", "OFF", 7), numeric("brightness", "", 7),
                               numeric("color_temp", "mired", 7)}}},
                            numeric("linkquality", "lqi", 1)});
    case SimDeviceKind::Cover:
        return json::array({{{"type", "cover"},
                             {"features",
                              {{{"type", "enum"},
                                {"name", "state"},
                                {"property", "state"},
                                {"values", {"OPEN", "CLOSE", "STOP"}},
                                {"access", 3}},
                               numeric("position", "%", 7)}}}});
    case SimDeviceKind::Lock:
        return json::array(
            {{{"type", "lock"}, {"features", {binary("state", "LOCK", "UNLOCK", 7)}}}});
    case SimDeviceKind::Climate:
        return json::array({{{"type", "climate"},
                             {"features",
                              {numeric("occupied_heating_setpoint", "°C", 7),
                               numeric("local_temperature", "°C", 5),
                               {{"type", "enum"},
                                {"name", "system_mode"},
                                {"property", "system_mode"},
                                {"values", {"off", "heat", "auto"}},
                                {"access", 7}}}}}});
    case SimDeviceKind::Motion:
        return json::array({binary("occupancy", true, false, 1), numeric("battery", "%", 1)});
    case SimDeviceKind::RoomSensor:
        return json::array({numeric("temperature", "°C", 1), numeric("humidity", "%", 1),
                            numeric("battery", "%", 1)});
    }
    return json::array();
}

const char* model_of(SimDeviceKind kind) {
    switch (kind) {
    case SimDeviceKind::Light:
        return "SIM-LIGHT";
    case SimDeviceKind::Cover:
        return "SIM-BLIND";
    case SimDeviceKind::Lock:
        return "SIM-LOCK";
    case SimDeviceKind::Climate:
        return "SIM-TRV";
    case SimDeviceKind::Motion:
        return "SIM-PIR";
    case SimDeviceKind::RoomSensor:
        return "SIM-TH";
    }
    return "SIM";
}

double round_to(double v, double step) {
    return std::round(v / step) * step;
}

} // namespace

SimHome::SimHome(std::string base_topic, std::uint64_t seed)
    : m_base(std::move(base_topic)), m_rng(seed) {
    m_devices = {
        {"Living Room Lamp",
         "0x00124b0000000001",
         SimDeviceKind::Light,
         {{"state", "ON"}, {"brightness", 180}, {"color_temp", 370}, {"linkquality", 120}}},
        {"Bedroom Light",
         "0x00124b0000000002",
         SimDeviceKind::Light,
         {{"state", "OFF"}, {"brightness", 80}, {"color_temp", 450}, {"linkquality", 96}}},
        {"Bedroom Blinds",
         "0x00124b0000000003",
         SimDeviceKind::Cover,
         {{"state", "CLOSE"}, {"position", 0}}},
        {"Front Door", "0x00124b0000000004", SimDeviceKind::Lock, {{"state", "LOCK"}}},
        {"Thermostat",
         "0x00124b0000000005",
         SimDeviceKind::Climate,
         {{"occupied_heating_setpoint", 20.0},
          {"local_temperature", 19.5},
          {"system_mode", "heat"}}},
        {"Hallway Motion",
         "0x00124b0000000006",
         SimDeviceKind::Motion,
         {{"occupancy", false}, {"battery", 87}}},
        {"Living Room Sensor",
         "0x00124b0000000007",
         SimDeviceKind::RoomSensor,
         {{"temperature", 20.4}, {"humidity", 48.0}, {"battery", 92}}},
    };
}

std::string SimHome::devices_payload() const {
    json devices = json::array();
    devices.push_back({{"ieee_address", "0x00124b0000000000"},
                       {"type", "Coordinator"},
                       {"friendly_name", "Coordinator"}});
    for (const auto& d : m_devices) {
        devices.push_back({{"ieee_address", d.ieee_address},
                           {"type", d.kind == SimDeviceKind::Light ? "Router" : "EndDevice"},
                           {"friendly_name", d.friendly_name},
                           {"definition",
                            {{"vendor", "Hearth"},
                             {"model", model_of(d.kind)},
                             {"exposes", exposes_of(d.kind)}}}});
    }
    return devices.dump();
}

MqttMessage SimHome::state_message(const SimDevice& d) const {
    // Retained (a Zigbee2MQTT per-device option) so that a hub started later sees every state.
    return {m_base + "/" + d.friendly_name, d.state.dump(), 1, true};
}

std::vector<MqttMessage> SimHome::start_messages() const {
    std::vector<MqttMessage> out;
    out.push_back({m_base + "/bridge/state", R"({"state":"online"})", 1, true});
    out.push_back({m_base + "/bridge/devices", devices_payload(), 1, true});
    for (const auto& d : m_devices) {
        out.push_back(
            {m_base + "/" + d.friendly_name + "/availability", R"({"state":"online"})", 1, true});
        out.push_back(state_message(d));
    }
    return out;
}

bool SimHome::is_command(const std::string& topic) const {
    const std::string prefix = m_base + "/";
    const std::string suffix = "/set";
    return topic.size() > prefix.size() + suffix.size() && topic.rfind(prefix, 0) == 0 &&
           topic.compare(topic.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const SimDevice* SimHome::device(const std::string& friendly_name) const {
    auto it = std::find_if(m_devices.begin(), m_devices.end(),
                           [&](const SimDevice& d) { return d.friendly_name == friendly_name; });
    return it == m_devices.end() ? nullptr : &*it;
}

tl::expected<std::vector<MqttMessage>, std::string>
SimHome::on_command(const MqttMessage& message) {
    if (!is_command(message.topic)) {
        return tl::unexpected("not a command topic: " + message.topic);
    }
    const std::string name =
        message.topic.substr(m_base.size() + 1, message.topic.size() - m_base.size() - 5);
    auto it = std::find_if(m_devices.begin(), m_devices.end(),
                           [&](const SimDevice& d) { return d.friendly_name == name; });
    if (it == m_devices.end()) {
        return tl::unexpected("no device named '" + name + "'");
    }
    const json cmd = json::parse(message.payload, nullptr, false);
    if (cmd.is_discarded() || !cmd.is_object() || cmd.empty()) {
        return tl::unexpected(std::string("command must be a non-empty JSON object"));
    }
    // Apply to a copy: a command with any invalid part changes nothing.
    json next = it->state;
    const auto number = [&](const char* key, double lo,
                            double hi) -> tl::expected<double, std::string> {
        const auto& v = cmd[key];
        if (!v.is_number() || v.get<double>() < lo || v.get<double>() > hi) {
            return tl::unexpected(std::string(key) + " must be a number in " + std::to_string(lo) +
                                  ".." + std::to_string(hi));
        }
        return v.get<double>();
    };
    for (const auto& [key, value] : cmd.items()) {
        switch (it->kind) {
        case SimDeviceKind::Light:
            if (key == "state" && value.is_string()) {
                const auto s = value.get<std::string>();
                if (s == "ON" || s == "OFF") {
                    next["state"] = s;
                } else if (s == "TOGGLE") {
                    next["state"] = next["state"] == "ON" ? "OFF" : "ON";
                } else {
                    return tl::unexpected(std::string("light state must be ON, OFF or TOGGLE"));
                }
            } else if (key == "brightness") {
                auto b = number("brightness", 0, 254);
                if (!b) {
                    return tl::unexpected(b.error());
                }
                next["brightness"] = static_cast<int>(*b);
                next["state"] = *b > 0 ? "ON" : "OFF";
            } else if (key == "color_temp") {
                auto c = number("color_temp", 150, 500);
                if (!c) {
                    return tl::unexpected(c.error());
                }
                next["color_temp"] = static_cast<int>(*c);
            } else if (key != "transition") {
                return tl::unexpected("light does not support '" + key + "'");
            }
            break;
        case SimDeviceKind::Cover:
            if (key == "state" && value.is_string()) {
                const auto s = value.get<std::string>();
                if (s == "OPEN") {
                    next["position"] = 100;
                } else if (s == "CLOSE") {
                    next["position"] = 0;
                } else if (s != "STOP") {
                    return tl::unexpected(std::string("cover state must be OPEN, CLOSE or STOP"));
                }
            } else if (key == "position") {
                auto p = number("position", 0, 100);
                if (!p) {
                    return tl::unexpected(p.error());
                }
                next["position"] = static_cast<int>(*p);
            } else {
                return tl::unexpected("cover does not support '" + key + "'");
            }
            next["state"] = next["position"].get<int>() > 0 ? "OPEN" : "CLOSE";
            break;
        case SimDeviceKind::Lock:
            if (key == "state" && (value == "LOCK" || value == "UNLOCK")) {
                next["state"] = value;
            } else {
                return tl::unexpected(std::string("lock accepts only state LOCK or UNLOCK"));
            }
            break;
        case SimDeviceKind::Climate:
            if (key == "occupied_heating_setpoint") {
                auto t = number("occupied_heating_setpoint", 5, 30);
                if (!t) {
                    return tl::unexpected(t.error());
                }
                next["occupied_heating_setpoint"] = round_to(*t, 0.5);
            } else if (key == "system_mode" &&
                       (value == "off" || value == "heat" || value == "auto")) {
                next["system_mode"] = value;
            } else {
                return tl::unexpected("thermostat does not support '" + key + "'");
            }
            break;
        case SimDeviceKind::Motion:
        case SimDeviceKind::RoomSensor:
            return tl::unexpected("'" + name + "' is read-only");
        }
    }
    it->state = std::move(next);
    return std::vector<MqttMessage>{state_message(*it)};
}

std::vector<MqttMessage> SimHome::tick(std::int64_t t_ms) {
    std::vector<MqttMessage> out;
    if (m_last_tick_ms != 0 && t_ms - m_last_tick_ms < 60'000) {
        return out; // sensors report about once a minute
    }
    m_last_tick_ms = t_ms;
    std::normal_distribution<double> noise(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (auto& d : m_devices) {
        if (d.kind == SimDeviceKind::Climate) {
            const double setpoint = d.state["system_mode"] == "off"
                                        ? 16.0
                                        : d.state["occupied_heating_setpoint"].get<double>();
            const double temp = d.state["local_temperature"].get<double>();
            // First-order approach to the target, ~10 % per minute.
            const double next = round_to(temp + 0.1 * (setpoint - temp) + 0.02 * noise(m_rng), 0.1);
            if (std::fabs(next - temp) >= 0.05) {
                d.state["local_temperature"] = next;
                out.push_back(state_message(d));
            }
        } else if (d.kind == SimDeviceKind::RoomSensor) {
            const double temp = d.state["temperature"].get<double>();
            const double humidity = d.state["humidity"].get<double>();
            d.state["temperature"] =
                round_to(std::clamp(temp + 0.05 * noise(m_rng), 15.0, 28.0), 0.1);
            d.state["humidity"] =
                round_to(std::clamp(humidity + 0.3 * noise(m_rng), 25.0, 75.0), 0.5);
            out.push_back(state_message(d));
        } else if (d.kind == SimDeviceKind::Motion) {
            const bool occupied = uniform(m_rng) < 0.2;
            if (d.state["occupancy"].get<bool>() != occupied) {
                d.state["occupancy"] = occupied;
                out.push_back(state_message(d));
            }
        }
    }
    return out;
}

} // namespace hearth::hub::sim
