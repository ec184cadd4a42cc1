#include "automation/trigger_match.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <sstream>

namespace hearth::hub::automation {

namespace {

bool contains(const std::vector<std::string>& values, const std::optional<std::string>& value) {
    return value && std::find(values.begin(), values.end(), *value) != values.end();
}

std::optional<double> parse_number(const std::string& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    double out = 0.0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(begin, end, out);
    if (ec != std::errc() || ptr != end || !std::isfinite(out)) {
        return std::nullopt;
    }
    return out;
}

std::string number_text(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

std::string join(const std::vector<std::string>& values) {
    std::string out;
    for (const std::string& value : values) {
        out += out.empty() ? value : "|" + value;
    }
    return out;
}

} // namespace

std::optional<std::string> value_text(const nlohmann::json& value) {
    if (value.is_null()) {
        return std::nullopt;
    }
    if (value.is_string()) {
        return value.get<std::string>();
    }
    return value.dump();
}

std::optional<std::string> entity_value(const EntityState* state,
                                        const std::optional<std::string>& attribute) {
    if (state == nullptr) {
        return std::nullopt;
    }
    if (!attribute) {
        return state->state;
    }
    if (!state->attributes.is_object()) {
        return std::nullopt;
    }
    auto it = state->attributes.find(*attribute);
    return it == state->attributes.end() ? std::nullopt : value_text(*it);
}

std::optional<double> numeric_value(const EntityState* state,
                                    const std::optional<std::string>& attribute) {
    if (state != nullptr && attribute && state->attributes.is_object()) {
        auto it = state->attributes.find(*attribute);
        if (it != state->attributes.end() && it->is_number()) {
            return it->get<double>();
        }
    }
    const std::optional<std::string> text = entity_value(state, attribute);
    return text ? parse_number(*text) : std::nullopt;
}

bool in_range(std::optional<double> value, std::optional<double> above,
              std::optional<double> below) {
    if (!value) {
        return false;
    }
    if (above && !(*value > *above)) {
        return false;
    }
    return !(below && !(*value < *below));
}

bool state_trigger_matches(const StateTrigger& trigger, const StateChangedEvent& event) {
    if (!event.new_state) {
        return false;
    }
    const EntityState* old_state = event.old_state ? &*event.old_state : nullptr;
    const std::optional<std::string> from = entity_value(old_state, trigger.attribute);
    const std::optional<std::string> to = entity_value(&*event.new_state, trigger.attribute);
    if (from == to) {
        return false; // nothing this trigger looks at changed
    }
    if (!trigger.from.empty() && !contains(trigger.from, from)) {
        return false;
    }
    if (!trigger.to.empty() && !contains(trigger.to, to)) {
        return false;
    }
    if (contains(trigger.not_from, from) || contains(trigger.not_to, to)) {
        return false;
    }
    return true;
}

ForHold state_trigger_hold(const StateTrigger& trigger, const StateChangedEvent& event) {
    if (!trigger.from.empty() && trigger.to.empty() && trigger.not_to.empty()) {
        const EntityState* old_state = event.old_state ? &*event.old_state : nullptr;
        return {ForHold::Kind::NotOldValue, entity_value(old_state, trigger.attribute)};
    }
    const EntityState* new_state = event.new_state ? &*event.new_state : nullptr;
    return {ForHold::Kind::SameValue, entity_value(new_state, trigger.attribute)};
}

bool numeric_trigger_matches(const NumericStateTrigger& trigger, const StateChangedEvent& event) {
    if (!event.new_state) {
        return false;
    }
    const EntityState* old_state = event.old_state ? &*event.old_state : nullptr;
    const bool was_in =
        in_range(numeric_value(old_state, trigger.attribute), trigger.above, trigger.below);
    const bool is_in =
        in_range(numeric_value(&*event.new_state, trigger.attribute), trigger.above, trigger.below);
    return is_in && !was_in;
}

bool for_hold_satisfied(const ForHold& hold, const std::optional<std::string>& attribute,
                        const std::optional<double>& above, const std::optional<double>& below,
                        const EntityState* current) {
    if (current == nullptr) {
        return false;
    }
    switch (hold.kind) {
    case ForHold::Kind::SameValue:
        return entity_value(current, attribute) == hold.value;
    case ForHold::Kind::NotOldValue:
        return entity_value(current, attribute) != hold.value;
    case ForHold::Kind::InRange:
        return in_range(numeric_value(current, attribute), above, below);
    }
    return false;
}

bool event_data_matches(const nlohmann::json& wanted, const nlohmann::json& data) {
    if (!wanted.is_object()) {
        return wanted.is_null() || wanted == data;
    }
    if (wanted.empty()) {
        return true;
    }
    if (!data.is_object()) {
        return false;
    }
    for (const auto& [key, value] : wanted.items()) {
        auto it = data.find(key);
        if (it == data.end()) {
            return false;
        }
        if (value.is_object()) {
            if (!event_data_matches(value, *it)) {
                return false;
            }
        } else if (value != *it && value_text(value) != value_text(*it)) {
            return false;
        }
    }
    return true;
}

std::string describe_trigger(const Trigger& trigger) {
    struct Describe {
        std::string operator()(const StateTrigger& t) const {
            std::string out = "state of " + join(t.entity_ids);
            if (t.attribute) {
                out += " attribute " + *t.attribute;
            }
            if (!t.from.empty()) {
                out += " from " + join(t.from);
            }
            if (!t.to.empty()) {
                out += " to " + join(t.to);
            }
            if (t.for_ms) {
                out += " for " + number_text(static_cast<double>(*t.for_ms) / 1000.0) + " s";
            }
            return out;
        }
        std::string operator()(const NumericStateTrigger& t) const {
            std::string out = "numeric state of " + join(t.entity_ids);
            if (t.attribute) {
                out += " attribute " + *t.attribute;
            }
            if (t.above) {
                out += " above " + number_text(*t.above);
            }
            if (t.below) {
                out += " below " + number_text(*t.below);
            }
            if (t.for_ms) {
                out += " for " + number_text(static_cast<double>(*t.for_ms) / 1000.0) + " s";
            }
            return out;
        }
        std::string operator()(const TimeTrigger& /*t*/) const { return "time"; }
        std::string operator()(const TimePatternTrigger& /*t*/) const { return "time pattern"; }
        std::string operator()(const EventTrigger& t) const { return "event " + t.event_type; }
        std::string operator()(const SunTrigger& t) const {
            return t.event == SunTrigger::Event::Sunrise ? "sunrise" : "sunset";
        }
    };
    return std::visit(Describe{}, trigger.kind);
}

nlohmann::json state_trigger_data(const Trigger& trigger, const StateChangedEvent& event) {
    const bool numeric = std::holds_alternative<NumericStateTrigger>(trigger.kind);
    nlohmann::json data = {{"platform", numeric ? "numeric_state" : "state"},
                           {"id", trigger.id},
                           {"entity_id", event.entity_id},
                           {"from_state", nullptr},
                           {"to_state", nullptr}};
    if (event.old_state) {
        data["from_state"] = to_json(*event.old_state);
    }
    if (event.new_state) {
        data["to_state"] = to_json(*event.new_state);
    }
    return data;
}

} // namespace hearth::hub::automation
