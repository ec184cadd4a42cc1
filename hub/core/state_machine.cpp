#include "core/state_machine.h"

#include <algorithm>
#include <utility>

namespace hearth::hub {

std::optional<StateChangedEvent> StateMachine::set(const std::string& entity_id, std::string state,
                                                   nlohmann::json attributes) {
    const TimestampMs now = m_clock.now_ms();
    auto it = m_states.find(entity_id);
    StateChangedEvent event;
    event.entity_id = entity_id;
    event.time_ms = now;
    if (it == m_states.end()) {
        EntityState fresh{entity_id, std::move(state), std::move(attributes), now, now};
        it = m_states.emplace(entity_id, std::move(fresh)).first;
    } else {
        EntityState& current = it->second;
        const bool state_changed = current.state != state;
        const bool attributes_changed = current.attributes != attributes;
        if (!state_changed && !attributes_changed) {
            return std::nullopt;
        }
        event.old_state = current;
        current.state = std::move(state);
        current.attributes = std::move(attributes);
        current.last_updated_ms = now;
        if (state_changed) {
            current.last_changed_ms = now;
        }
    }
    event.new_state = it->second;
    notify(event);
    return event;
}

std::optional<StateChangedEvent> StateMachine::remove(const std::string& entity_id) {
    auto it = m_states.find(entity_id);
    if (it == m_states.end()) {
        return std::nullopt;
    }
    StateChangedEvent event{entity_id, std::move(it->second), std::nullopt, m_clock.now_ms()};
    m_states.erase(it);
    notify(event);
    return event;
}

void StateMachine::restore(EntityState state) {
    std::string id = state.entity_id;
    m_states.insert_or_assign(std::move(id), std::move(state));
}

const EntityState* StateMachine::get(const std::string& entity_id) const {
    auto it = m_states.find(entity_id);
    return it == m_states.end() ? nullptr : &it->second;
}

std::vector<EntityState> StateMachine::all() const {
    std::vector<EntityState> out;
    out.reserve(m_states.size());
    for (const auto& [id, state] : m_states) {
        out.push_back(state);
    }
    std::sort(out.begin(), out.end(),
              [](const EntityState& a, const EntityState& b) { return a.entity_id < b.entity_id; });
    return out;
}

int StateMachine::subscribe(Listener listener) {
    const int token = m_next_token++;
    m_listeners.emplace_back(token, std::move(listener));
    return token;
}

void StateMachine::unsubscribe(int token) {
    std::erase_if(m_listeners, [token](const auto& entry) { return entry.first == token; });
}

void StateMachine::notify(const StateChangedEvent& event) {
    for (const auto& [token, listener] : m_listeners) {
        listener(event);
    }
}

} // namespace hearth::hub
