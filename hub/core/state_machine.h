#pragma once

// The current state of every entity, and the events its changes produce. Setting a state that
// is equal to the current one (same state and attributes) is not a change and produces no event,
// as in Home Assistant; a changed attribute updates last_updated but not last_changed.
//
// Thread-safety: all calls must come from the hub's event loop thread.

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/entity.h"

namespace hearth::hub {

struct StateChangedEvent {
    std::string entity_id;
    std::optional<EntityState> old_state; // absent for a new entity
    std::optional<EntityState> new_state; // absent when the entity was removed
    TimestampMs time_ms = 0;
};

class StateMachine {
public:
    using Listener = std::function<void(const StateChangedEvent&)>;

    explicit StateMachine(const Clock& clock) : m_clock(clock) {}

    // Sets an entity's state; returns the event when something changed. Precondition: a valid
    // entity id (see parse_entity_id).
    std::optional<StateChangedEvent> set(const std::string& entity_id, std::string state,
                                         nlohmann::json attributes = nlohmann::json::object());
    std::optional<StateChangedEvent> remove(const std::string& entity_id);
    // Puts back a state saved before a restart, as it was, without an event.
    void restore(EntityState state);

    [[nodiscard]] const EntityState* get(const std::string& entity_id) const;
    [[nodiscard]] std::vector<EntityState> all() const; // sorted by entity id
    [[nodiscard]] std::size_t size() const { return m_states.size(); }

    // Listeners are called synchronously, in subscription order, after the state is stored.
    int subscribe(Listener listener);
    void unsubscribe(int token);

private:
    void notify(const StateChangedEvent& event);

    const Clock& m_clock;
    std::unordered_map<std::string, EntityState> m_states;
    std::vector<std::pair<int, Listener>> m_listeners;
    int m_next_token = 1;
};

} // namespace hearth::hub
