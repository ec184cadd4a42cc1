#include "testing/fake_home.h"

#include <algorithm>

namespace hearth::hub::testing {

using namespace automation;

FakeHome::FakeHome(const Clock& clock) : m_clock(clock), m_states(clock) {}

void FakeHome::fail_service(const std::string& entity_id, std::string error) {
    m_failures.emplace_back(entity_id, std::move(error));
}

std::optional<StateChangedEvent> FakeHome::set(const std::string& entity_id, std::string state,
                                               nlohmann::json attributes) {
    auto event = m_states.set(entity_id, std::move(state), std::move(attributes));
    if (event && m_engine != nullptr) {
        m_engine->on_state_changed(*event);
    }
    return event;
}

std::optional<EntityState> FakeHome::state(const std::string& entity_id) const {
    const EntityState* found = m_states.get(entity_id);
    return found == nullptr ? std::nullopt : std::optional<EntityState>(*found);
}

std::vector<EntityState> FakeHome::states() const {
    return m_states.all();
}

tl::expected<void, std::string> FakeHome::call_service(const ServiceCall& call) {
    calls.push_back(call);
    call_times_ms.push_back(m_clock.now_ms());
    for (const auto& [entity_id, error] : m_failures) {
        if (entity_id == call.entity_id) {
            return tl::unexpected(error);
        }
    }
    const EntityState* current = m_states.get(call.entity_id);
    if (current == nullptr) {
        return tl::unexpected("unknown entity " + call.entity_id);
    }
    if (m_effect == ServiceEffect::ChangeState) {
        std::string state = current->state;
        nlohmann::json attributes = current->attributes;
        if (call.service == "turn_on") {
            state = "on";
        } else if (call.service == "turn_off") {
            state = "off";
        } else if (call.service == "toggle") {
            state = state == "on" ? "off" : "on";
        } else if (call.service == "open_cover") {
            state = "open";
        } else if (call.service == "close_cover") {
            state = "closed";
        } else if (call.service == "lock") {
            state = "locked";
        } else if (call.service == "unlock") {
            state = "unlocked";
        }
        if (call.data.is_object()) {
            for (const auto& [key, value] : call.data.items()) {
                attributes[key] = value;
            }
        }
        set(call.entity_id, std::move(state), std::move(attributes));
    }
    return {};
}

void FakeHome::fire_event(const std::string& event_type, const nlohmann::json& data) {
    events.emplace_back(event_type, data);
    if (m_delivery == EventDelivery::ToEngine && m_engine != nullptr) {
        m_engine->on_event(event_type, data, m_clock.now_ms());
    }
}

void FakeHome::notify(const std::string& service, const nlohmann::json& message) {
    notifications.emplace_back(service, message);
}

std::vector<std::string> FakeHome::call_texts() const {
    std::vector<std::string> out;
    for (const ServiceCall& call : calls) {
        out.push_back(call.domain + "." + call.service + " " + call.entity_id);
    }
    return out;
}

Trigger state_trigger(std::string entity_id, std::vector<std::string> to,
                      std::vector<std::string> from, std::optional<DurationMs> for_ms,
                      std::string id) {
    StateTrigger trigger;
    trigger.entity_ids = {std::move(entity_id)};
    trigger.to = std::move(to);
    trigger.from = std::move(from);
    trigger.for_ms = for_ms;
    return Trigger{trigger, std::move(id), {}};
}

Trigger numeric_trigger(std::string entity_id, std::optional<double> above,
                        std::optional<double> below, std::optional<DurationMs> for_ms,
                        std::string id) {
    NumericStateTrigger trigger;
    trigger.entity_ids = {std::move(entity_id)};
    trigger.above = above;
    trigger.below = below;
    trigger.for_ms = for_ms;
    return Trigger{trigger, std::move(id), {}};
}

Trigger event_trigger(std::string event_type, nlohmann::json data, std::string id) {
    return Trigger{EventTrigger{std::move(event_type), std::move(data)}, std::move(id), {}};
}

Condition state_condition(std::string entity_id, std::vector<std::string> states,
                          std::optional<DurationMs> for_ms) {
    StateCondition condition;
    condition.entity_ids = {std::move(entity_id)};
    condition.state = std::move(states);
    condition.for_ms = for_ms;
    return Condition{condition, {}};
}

Condition numeric_condition(std::string entity_id, std::optional<double> above,
                            std::optional<double> below) {
    NumericStateCondition condition;
    condition.entity_ids = {std::move(entity_id)};
    condition.above = above;
    condition.below = below;
    return Condition{condition, {}};
}

Condition time_condition(std::optional<int> after_s, std::optional<int> before_s,
                         std::uint8_t weekdays) {
    return Condition{TimeCondition{after_s, before_s, weekdays}, {}};
}

Action service(const std::string& name, std::vector<std::string> entity_ids, nlohmann::json data) {
    const std::size_t dot = name.find('.');
    ServiceAction action;
    action.domain = name.substr(0, dot);
    action.service = dot == std::string::npos ? std::string() : name.substr(dot + 1);
    action.target.entity_ids = std::move(entity_ids);
    action.data = std::move(data);
    return Action{action, "", true, {}};
}

Action area_service(const std::string& name, std::vector<std::string> area_ids) {
    Action action = service(name);
    std::get<ServiceAction>(action.kind).target.area_ids = std::move(area_ids);
    return action;
}

Action delay(DurationMs duration_ms) {
    return Action{DelayAction{duration_ms}, "", true, {}};
}

Action fire_event_action(std::string event_type, nlohmann::json data) {
    return Action{FireEventAction{std::move(event_type), std::move(data)}, "", true, {}};
}

Automation make_automation(std::string id, std::vector<Trigger> triggers,
                           std::vector<Action> actions, Mode mode,
                           std::vector<Condition> conditions) {
    Automation automation;
    automation.id = std::move(id);
    automation.alias = automation.id;
    automation.mode = mode;
    automation.triggers = std::move(triggers);
    automation.actions = std::move(actions);
    automation.conditions = std::move(conditions);
    return automation;
}

HomeConfig with_automations(std::vector<Automation> automations) {
    HomeConfig config;
    config.automations = std::move(automations);
    return config;
}

} // namespace hearth::hub::testing
