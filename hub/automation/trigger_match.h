#pragma once

// Pure decisions about triggers, shared by automations and wait_for_trigger: does a state change
// match a state or numeric_state trigger, does a pending `for:` still hold, does an event's data
// contain what a trigger asks for. No timers or side effects here (the engine owns those).

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "automation/model.h"
#include "core/state_machine.h"

namespace hearth::hub::automation {

// A JSON value as the text state triggers compare: strings as they are, numbers and booleans as
// JSON text; nullopt for null (an absent attribute).
std::optional<std::string> value_text(const nlohmann::json& value);

// The entity's state, or one attribute of it, as text; nullopt when absent.
std::optional<std::string> entity_value(const EntityState* state,
                                        const std::optional<std::string>& attribute);
// The same as a number; nullopt when absent or not numeric ("unavailable", "on").
std::optional<double> numeric_value(const EntityState* state,
                                    const std::optional<std::string>& attribute);

// Both bounds are exclusive, as in Home Assistant; a missing value is out of range.
bool in_range(std::optional<double> value, std::optional<double> above,
              std::optional<double> below);

// What a `for:` timer must keep seeing to stay armed.
struct ForHold {
    enum class Kind {
        SameValue,   // the value stays what the matching change set (`to:` given, or neither)
        NotOldValue, // `from:` without `to:` — the value must not go back to the old one
        InRange,     // numeric_state: the value stays inside (above, below)
    };
    Kind kind = Kind::SameValue;
    std::optional<std::string> value;
};

// Whether this state change fires the trigger (or starts its `for:` timer). Without `attribute`
// only changes of the state itself count (an attribute-only change never matches); with it,
// only changes of that attribute's value.
bool state_trigger_matches(const StateTrigger& trigger, const StateChangedEvent& event);
ForHold state_trigger_hold(const StateTrigger& trigger, const StateChangedEvent& event);

// Whether the value crossed into the range with this change (was outside or absent before).
bool numeric_trigger_matches(const NumericStateTrigger& trigger, const StateChangedEvent& event);

// Whether a pending `for:` still holds given the entity's current state (nullptr: removed).
bool for_hold_satisfied(const ForHold& hold, const std::optional<std::string>& attribute,
                        const std::optional<double>& above, const std::optional<double>& below,
                        const EntityState* current);

// Every key of `wanted` is in `data` with an equal value (nested objects compared as subsets;
// a number and its text form compare equal, since YAML may give either).
bool event_data_matches(const nlohmann::json& wanted, const nlohmann::json& data);

// One line for traces: "state of sensor.sleep from wake to light", "event fell_asleep".
std::string describe_trigger(const Trigger& trigger);

// Trigger data for the trace (and for `condition: trigger`): platform, id, entity, states.
nlohmann::json state_trigger_data(const Trigger& trigger, const StateChangedEvent& event);

} // namespace hearth::hub::automation
