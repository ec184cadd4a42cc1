#include "automation/scene_apply.h"

#include <array>
#include <string_view>

namespace hearth::hub::automation {

namespace {

constexpr std::array<std::string_view, 9> light_keys = {
    "brightness", "brightness_pct", "color_temp", "color_temp_kelvin", "rgb_color",
    "hs_color",   "xy_color",       "effect",     "transition"};
constexpr std::array<std::string_view, 14> captured_keys = {
    "brightness", "color_temp", "color_temp_kelvin", "rgb_color",        "hs_color",
    "xy_color",   "effect",     "position",          "current_position", "temperature",
    "hvac_mode",  "percentage", "preset_mode",       "tilt_position"};

template <std::size_t N>
nlohmann::json pick(const nlohmann::json& attributes, const std::array<std::string_view, N>& keys) {
    nlohmann::json out = nlohmann::json::object();
    if (!attributes.is_object()) {
        return out;
    }
    for (std::string_view key : keys) {
        auto it = attributes.find(std::string(key));
        if (it != attributes.end() && !it->is_null()) {
            out[std::string(key)] = *it;
        }
    }
    return out;
}

const nlohmann::json* attribute(const SceneEntity& desired, const char* key) {
    if (!desired.attributes.is_object()) {
        return nullptr;
    }
    auto it = desired.attributes.find(key);
    return it == desired.attributes.end() || it->is_null() ? nullptr : &*it;
}

} // namespace

tl::expected<std::vector<ServiceCall>, std::string>
scene_service_calls(const std::string& entity_id, const SceneEntity& desired) {
    const std::size_t dot = entity_id.find('.');
    if (dot == std::string::npos) {
        return tl::unexpected("not an entity id: " + entity_id);
    }
    const std::string domain = entity_id.substr(0, dot);
    const std::string& state = desired.state;
    auto call = [&](const std::string& service, nlohmann::json data = nlohmann::json::object()) {
        return std::vector<ServiceCall>{{domain, service, entity_id, std::move(data)}};
    };
    auto no_mapping = [&]() -> tl::expected<std::vector<ServiceCall>, std::string> {
        return tl::unexpected(entity_id + ": no service reaches state '" + state + "'");
    };

    if (domain == "cover") {
        const nlohmann::json* position = attribute(desired, "position");
        if (position == nullptr) {
            position = attribute(desired, "current_position");
        }
        if (position != nullptr) {
            return call("set_cover_position", {{"position", *position}});
        }
        if (state == "open" || state == "opening") {
            return call("open_cover");
        }
        if (state == "closed" || state == "closing") {
            return call("close_cover");
        }
        return no_mapping();
    }
    if (domain == "lock") {
        if (state == "locked" || state == "locking") {
            return call("lock");
        }
        if (state == "unlocked" || state == "unlocking") {
            return call("unlock");
        }
        return no_mapping();
    }
    if (domain == "climate") {
        if (const nlohmann::json* temperature = attribute(desired, "temperature")) {
            nlohmann::json data = {{"temperature", *temperature}};
            if (!state.empty() && state != "off") {
                data["hvac_mode"] = state;
            }
            return call("set_temperature", std::move(data));
        }
        if (state == "off") {
            return call("turn_off");
        }
        if (!state.empty()) {
            return call("set_hvac_mode", {{"hvac_mode", state}});
        }
        return no_mapping();
    }
    if (state == "on") {
        if (domain == "light") {
            return call("turn_on", pick(desired.attributes, light_keys));
        }
        if (domain == "fan") {
            return call("turn_on", pick(desired.attributes, std::array<std::string_view, 2>{
                                                                "percentage", "preset_mode"}));
        }
        return call("turn_on");
    }
    if (state == "off") {
        return call("turn_off");
    }
    return no_mapping();
}

SceneEntity capture_scene_entity(const EntityState& state) {
    SceneEntity out{state.state, pick(state.attributes, captured_keys)};
    if (out.attributes.contains("current_position") && !out.attributes.contains("position")) {
        out.attributes["position"] = out.attributes["current_position"];
    }
    out.attributes.erase("current_position");
    return out;
}

} // namespace hearth::hub::automation
