#pragma once

// Automations, scenes and areas as the hub holds them after loading: plain values, checked at
// load time (automation/config_loader.h), run by the AutomationEngine (automation/engine.h).
//
// The shapes follow what Home Assistant users write in YAML (triggers, conditions, actions,
// modes; see https://www.home-assistant.io/docs/automation/), without templates: every value is
// a literal, so an automation can be checked completely before it runs.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace hearth::hub::automation {

using DurationMs = std::int64_t;

// Where a value came from in a configuration file; line and column count from 1 (0: unknown).
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;
};

// ---- triggers -------------------------------------------------------------------------------

// A state change of one of the entities (or of one attribute). `from`/`to` list accepted
// values; empty means any. Fires when the new state matches and has stayed so for `for_ms`.
struct StateTrigger {
    std::vector<std::string> entity_ids;
    std::optional<std::string> attribute;
    std::vector<std::string> from;
    std::vector<std::string> to;
    std::vector<std::string> not_from;
    std::vector<std::string> not_to;
    std::optional<DurationMs> for_ms;
};

// Fires when the numeric state (or attribute) crosses into the range (above, below), both
// exclusive as in Home Assistant, and stays in it for `for_ms`.
struct NumericStateTrigger {
    std::vector<std::string> entity_ids;
    std::optional<std::string> attribute;
    std::optional<double> above;
    std::optional<double> below;
    std::optional<DurationMs> for_ms;
};

// Fires at a local time of day ("07:30:00"); several times allowed.
struct TimeTrigger {
    std::vector<int> at_seconds_of_day;
};

// One field of a time pattern: any value, every N ("/5"), or exactly N.
struct TimePatternField {
    enum class Kind { Any, Every, Exact };
    Kind kind = Kind::Any;
    int value = 0;
};

// Fires whenever the local time matches all three fields (Home Assistant's time_pattern).
struct TimePatternTrigger {
    TimePatternField hours;
    TimePatternField minutes;
    TimePatternField seconds;
};

// Fires on an event of this type whose data contains every key/value of `event_data`. The
// watch's own events (fell_asleep, woke_up, workout_started, workout_ended, heart_rate_high,
// heart_rate_low) are events too; `trigger: watch` (`event: fell_asleep`, optional `watch: id`)
// is a shorthand that also requires data.source == "watch".
struct EventTrigger {
    std::string event_type;
    nlohmann::json event_data = nlohmann::json::object();
};

// Sunrise/sunset: optional in the issue; accepted only if implemented (see docs/automations.md).
struct SunTrigger {
    enum class Event { Sunrise, Sunset };
    Event event = Event::Sunset;
    DurationMs offset_ms = 0;
};

struct Trigger {
    std::variant<StateTrigger, NumericStateTrigger, TimeTrigger, TimePatternTrigger, EventTrigger,
                 SunTrigger>
        kind;
    std::string id; // `id:` of the trigger, or its index as text
    SourceLocation where;
};

// ---- conditions -----------------------------------------------------------------------------

struct Condition;

struct StateCondition {
    std::vector<std::string> entity_ids; // all must match
    std::optional<std::string> attribute;
    std::vector<std::string> state; // any of these
    std::optional<DurationMs> for_ms;
};

struct NumericStateCondition {
    std::vector<std::string> entity_ids; // all must match
    std::optional<std::string> attribute;
    std::optional<double> above;
    std::optional<double> below;
};

// Local time of day; after > before wraps midnight ("21:00" to "09:00"). weekdays is a bit set,
// bit 0 = Monday ... bit 6 = Sunday; 0x7f = every day.
struct TimeCondition {
    std::optional<int> after_seconds_of_day;
    std::optional<int> before_seconds_of_day;
    std::uint8_t weekdays = 0x7f;
};

struct AndCondition {
    std::vector<Condition> conditions;
};
struct OrCondition {
    std::vector<Condition> conditions;
};
struct NotCondition {
    std::vector<Condition> conditions; // true when none is true
};

// Which trigger started the run (`condition: trigger`, `id: ...`).
struct TriggerCondition {
    std::vector<std::string> ids;
};

struct Condition {
    std::variant<StateCondition, NumericStateCondition, TimeCondition, AndCondition, OrCondition,
                 NotCondition, TriggerCondition>
        kind;
    SourceLocation where;
};

// ---- actions --------------------------------------------------------------------------------

struct Action;

struct Target {
    std::vector<std::string> entity_ids;
    std::vector<std::string> area_ids;
};

// A device service: light.turn_on, cover.close_cover, lock.unlock, climate.set_temperature...
// Also scene.turn_on (target: scene entity ids) and automation.trigger/turn_on/turn_off, which
// the engine handles itself.
struct ServiceAction {
    std::string domain;
    std::string service;
    Target target;
    nlohmann::json data = nlohmann::json::object();
};

struct DelayAction {
    DurationMs duration_ms = 0;
};

struct WaitForTriggerAction {
    std::vector<Trigger> triggers;
    std::optional<DurationMs> timeout_ms;
    bool continue_on_timeout = true;
};

struct ChooseOption {
    std::vector<Condition> conditions; // all must pass
    std::vector<Action> sequence;
};

struct ChooseAction {
    std::vector<ChooseOption> options; // the first whose conditions pass runs
    std::vector<Action> default_sequence;
};

struct IfAction {
    std::vector<Condition> conditions;
    std::vector<Action> then_sequence;
    std::vector<Action> else_sequence;
};

// A condition as a step: the run stops (successfully) when it is false.
struct ConditionAction {
    Condition condition;
};

// notify.<service>: logged, and published as JSON {"title","message","data"} on
// hearth/notify/<service>.
struct NotifyAction {
    std::string service;
    std::string message;
    std::string title;
    nlohmann::json data = nlohmann::json::object();
};

// `event: name` with `event_data`: fired on the hub's event bus (stored and broadcast).
struct FireEventAction {
    std::string event_type;
    nlohmann::json event_data = nlohmann::json::object();
};

struct Action {
    std::variant<ServiceAction, DelayAction, WaitForTriggerAction, ChooseAction, IfAction,
                 ConditionAction, NotifyAction, FireEventAction>
        kind;
    std::string alias;
    bool enabled = true;
    SourceLocation where;
};

// ---- automations, scenes, areas -------------------------------------------------------------

enum class Mode { Single, Restart, Queued, Parallel };

struct Automation {
    std::string id;
    std::string alias;
    std::string description;
    Mode mode = Mode::Single;
    int max_runs = 10; // queued/parallel: runs allowed at once (and waiting, for queued)
    bool initially_enabled = true;
    std::vector<Trigger> triggers;
    std::vector<Condition> conditions;
    std::vector<Action> actions;
    SourceLocation where;
};

// The desired state of one entity in a scene: a state ("on", "off", "open", "locked"...) and
// attributes (brightness, color_temp, position, temperature...).
struct SceneEntity {
    std::string state;
    nlohmann::json attributes = nlohmann::json::object();
};

struct Scene {
    std::string id; // object id; the entity is scene.<id>
    std::string name;
    std::map<std::string, SceneEntity> entities; // by entity id
    SourceLocation where;
};

struct Area {
    std::string id; // "bedroom"
    std::string name;
    std::vector<std::string> entity_ids;
};

// A problem in a configuration file: where, which key, what is wrong. A bad automation or scene
// is skipped; the rest load.
struct ConfigProblem {
    SourceLocation where;
    std::string key;     // dotted path of the offending key: "triggers[0].for"
    std::string message; // "expected a duration like \"00:05:00\""
    std::string item;    // the automation or scene id (or index) it belongs to

    // "automations.yaml:12:9: lights_off: triggers[0].for: expected a duration ..."
    [[nodiscard]] std::string describe() const;
};

// Everything the automation engine runs, as loaded from one or more files.
struct HomeConfig {
    std::vector<Automation> automations;
    std::vector<Scene> scenes;
    std::vector<Area> areas;
    std::vector<ConfigProblem> problems;
};

} // namespace hearth::hub::automation
