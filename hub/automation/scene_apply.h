#pragma once

// How a scene's desired state becomes device services, and which attributes a captured scene
// keeps. The mapping (state -> service), by domain:
//
//   light    "on"  -> light.turn_on  with brightness, brightness_pct, color_temp,
//                     color_temp_kelvin, rgb_color, hs_color, xy_color, effect, transition
//            "off" -> light.turn_off
//   switch, fan, input_boolean, media_player and any other domain
//            "on"  -> <domain>.turn_on (fan: with percentage, preset_mode)
//            "off" -> <domain>.turn_off
//   cover    attribute position (or current_position) -> cover.set_cover_position {position}
//            else "open"/"opening" -> cover.open_cover, "closed"/"closing" -> cover.close_cover
//   lock     "locked"/"locking" -> lock.lock, "unlocked"/"unlocking" -> lock.unlock
//   climate  attribute temperature -> climate.set_temperature {temperature} (plus hvac_mode
//            when the state is a mode other than "off"); state "off" -> climate.turn_off;
//            otherwise a mode -> climate.set_hvac_mode {hvac_mode}
//
// A state with no mapping is an error for that entity (the others are still applied).

#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "automation/model.h"
#include "core/entity.h"
#include "devices/device_adapter.h"

namespace hearth::hub::automation {

tl::expected<std::vector<ServiceCall>, std::string>
scene_service_calls(const std::string& entity_id, const SceneEntity& desired);

// The state and the attributes that matter for re-applying it (brightness, colour, position,
// temperature...); everything else (friendly_name, unit, area_id) is left out.
SceneEntity capture_scene_entity(const EntityState& state);

} // namespace hearth::hub::automation
