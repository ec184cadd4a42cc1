#pragma once

// Entities: the things the hub knows the state of. An entity id is `domain.object_id`
// (light.living_room, sensor.watch_heart_rate); its state is a string as in Home Assistant
// ("on", "21.5", "unavailable"), with JSON attributes (brightness, unit_of_measurement...).
//
// JSON values (nlohmann::json) are the hub's vocabulary type for attributes and payloads, the way
// std::string is for text: they appear in hub headers on purpose.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/clock.h"

namespace hearth::hub {

struct EntityId {
    std::string domain;
    std::string object_id;

    [[nodiscard]] std::string str() const { return domain + "." + object_id; }
    friend bool operator==(const EntityId&, const EntityId&) = default;
};

// Parses "domain.object_id": both parts non-empty, lower-case letters, digits and '_'.
std::optional<EntityId> parse_entity_id(std::string_view text);

// Makes a valid object id from any name: lower-case, runs of other characters become one '_'
// ("Living Room Lamp" -> "living_room_lamp"); never empty.
std::string slugify(std::string_view name);

struct EntityState {
    std::string entity_id;
    std::string state;
    nlohmann::json attributes = nlohmann::json::object();
    TimestampMs last_changed_ms = 0; // when `state` last changed
    TimestampMs last_updated_ms = 0; // when state or attributes last changed

    friend bool operator==(const EntityState&, const EntityState&) = default;
};

nlohmann::json to_json(const EntityState& state);

} // namespace hearth::hub
