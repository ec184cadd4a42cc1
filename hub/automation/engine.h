#pragma once

// Runs automations: watches state changes and events for triggers (holding `for:` durations),
// checks conditions, and steps through actions, honouring each automation's mode. Waiting
// (delay, wait_for_trigger, `for:`) never blocks: it is a timer that advance() fires once the
// injected clock reaches it, so tests drive time with a ManualClock and no sleeps.
//
// Threading: not thread-safe. The hub owns one engine on one thread (hub/automation/runner.h)
// and feeds it state changes, events and clock ticks in order.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "automation/home.h"
#include "automation/model.h"
#include "automation/trace.h"
#include "core/clock.h"
#include "core/state_machine.h"

namespace hearth::hub::automation {

struct EngineOptions {
    // Local time = UTC + this offset, for time triggers and conditions. Unset: the system's
    // time zone (localtime_r) at each moment.
    std::optional<std::int32_t> utc_offset_s;
    std::size_t traces_per_automation = 10; // most recent runs kept
};

struct AutomationInfo {
    std::string id;
    std::string alias;
    Mode mode = Mode::Single;
    bool enabled = true;
    std::size_t running = 0; // runs in progress (waiting in a delay or wait included)
    std::size_t queued = 0;
    std::size_t skipped = 0; // triggers the mode turned away (single busy, queue or max full)
    std::optional<TimestampMs> last_triggered_ms;
    SourceLocation where;
};

class AutomationEngine {
public:
    AutomationEngine(Home& home, const Clock& clock, EngineOptions options = {});
    ~AutomationEngine();
    AutomationEngine(const AutomationEngine&) = delete;
    AutomationEngine& operator=(const AutomationEngine&) = delete;

    // Replaces what is loaded (also a reload): runs in progress are stopped (their traces say
    // so), pending `for:` timers are dropped, scenes captured with create_scene are kept.
    void load(HomeConfig config);

    // Feed the engine, in order, from the hub's thread. Each call may run actions at once.
    void on_state_changed(const StateChangedEvent& event);
    void on_event(const std::string& event_type, const nlohmann::json& data, TimestampMs time_ms);
    // Fires every timer due at or before the clock's now (for: durations, delays, wait timeouts,
    // time and time_pattern triggers), in time order.
    void advance();
    // When advance() next has work; nullopt when nothing is scheduled.
    [[nodiscard]] std::optional<TimestampMs> next_deadline() const;
    // The entities whose state changes can matter to what is loaded: those named by state and
    // numeric_state triggers, wait_for_trigger's included. on_state_changed ignores the rest,
    // so a caller may leave them out.
    [[nodiscard]] std::set<std::string> watched_entities() const;

    // The services the engine answers itself (scene.turn_on, scene.create, automation.trigger,
    // automation.turn_on/turn_off); reloading is load() with a new config. Errors: unknown id.
    tl::expected<void, std::string> apply_scene(const std::string& scene_id);
    // Captures the current states of the entities as a scene (Home Assistant's scene.create with
    // snapshot_entities); replaces a captured scene of the same id.
    tl::expected<void, std::string> create_scene(const std::string& scene_id,
                                                 const std::vector<std::string>& entity_ids);
    tl::expected<void, std::string> trigger(const std::string& automation_id, bool skip_conditions);
    tl::expected<void, std::string> set_enabled(const std::string& automation_id, bool enabled);

    [[nodiscard]] std::vector<AutomationInfo> automations() const;
    [[nodiscard]] std::vector<Scene> scenes() const;
    // Most recent first; all automations when `automation_id` is empty.
    [[nodiscard]] std::vector<Trace> traces(const std::string& automation_id = {}) const;
    // Problems of the last load().
    [[nodiscard]] const std::vector<ConfigProblem>& problems() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace hearth::hub::automation
