#include "automation/config_loader.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "automation/config_values.h"

namespace hearth::hub::automation {
namespace {

using nlohmann::json;

HomeConfig parse(const std::string& yaml) {
    return parse_home_config(yaml, "test.yaml");
}

std::string problems_text(const HomeConfig& c) {
    std::string out;
    for (const auto& p : c.problems) {
        out += p.describe() + "\n";
    }
    return out;
}

// Parses one automation whose body is `body` (indented under `- id: a`), expecting no problems.
Automation one(const std::string& body) {
    const HomeConfig c = parse("- id: a\n" + body);
    EXPECT_TRUE(c.problems.empty()) << problems_text(c);
    EXPECT_EQ(c.automations.size(), 1U);
    return c.automations.empty() ? Automation{} : c.automations.front();
}

// The single problem of a file (fails the test if there is not exactly one).
ConfigProblem only_problem(const HomeConfig& c) {
    EXPECT_EQ(c.problems.size(), 1U) << problems_text(c);
    return c.problems.empty() ? ConfigProblem{} : c.problems.front();
}

const char* const turn_off_action = "  actions:\n    - action: light.turn_off\n"
                                    "      target: {entity_id: light.bedroom_light}\n";

// ---- values -------------------------------------------------------------------------------

TEST(ConfigValues, Durations) {
    EXPECT_EQ(parse_duration_text("00:05:00"), 300'000);
    EXPECT_EQ(parse_duration_text("01:30"), 5'400'000); // HH:MM as Home Assistant
    EXPECT_EQ(parse_duration_text("00:00:01.250"), 1250);
    EXPECT_EQ(parse_duration_text("00:00:01.5"), 1500);
    EXPECT_EQ(parse_duration_text("300"), 300'000);
    EXPECT_EQ(parse_duration_text("2.5"), 2500);
    EXPECT_FALSE(parse_duration_text("-5"));
    EXPECT_FALSE(parse_duration_text("five minutes"));
    EXPECT_FALSE(parse_duration_text("1:2:3:4"));
    EXPECT_FALSE(parse_duration_text("00:05:xx"));
    EXPECT_FALSE(parse_duration_text("99999999"));
}

TEST(ConfigValues, TimesWeekdaysPatternsBooleans) {
    EXPECT_EQ(parse_time_of_day("07:30"), 7 * 3600 + 30 * 60);
    EXPECT_EQ(parse_time_of_day("21:00:15"), 21 * 3600 + 15);
    EXPECT_FALSE(parse_time_of_day("24:00"));
    EXPECT_FALSE(parse_time_of_day("12:60"));
    EXPECT_FALSE(parse_time_of_day("noon"));
    EXPECT_EQ(parse_weekday("mon"), 0);
    EXPECT_EQ(parse_weekday("Sunday"), 6);
    EXPECT_FALSE(parse_weekday("mo"));
    EXPECT_EQ(parse_time_pattern_field("*", 59)->kind, TimePatternField::Kind::Any);
    EXPECT_EQ(parse_time_pattern_field("/5", 59)->kind, TimePatternField::Kind::Every);
    EXPECT_EQ(parse_time_pattern_field("/5", 59)->value, 5);
    EXPECT_EQ(parse_time_pattern_field("30", 59)->kind, TimePatternField::Kind::Exact);
    EXPECT_FALSE(parse_time_pattern_field("/0", 59));
    EXPECT_FALSE(parse_time_pattern_field("24", 23));
    EXPECT_EQ(parse_bool("on"), true);
    EXPECT_EQ(parse_bool("No"), false);
    EXPECT_FALSE(parse_bool("maybe"));
    EXPECT_EQ(parse_number("-3.5"), -3.5);
    EXPECT_FALSE(parse_number("3x"));
    EXPECT_FALSE(parse_number("nan"));
}

// ---- triggers -----------------------------------------------------------------------------

TEST(ConfigLoader, StateTriggerFromIssue) {
    const auto a = one(R"(  alias: Lights off when I fall asleep
  mode: single
  triggers:
    - trigger: state
      entity_id: sensor.watch_sleep_stage
      from: wake
      for: "00:05:00"
)" + std::string(turn_off_action));
    EXPECT_EQ(a.alias, "Lights off when I fall asleep");
    ASSERT_EQ(a.triggers.size(), 1U);
    const auto& s = std::get<StateTrigger>(a.triggers[0].kind);
    EXPECT_EQ(s.entity_ids, std::vector<std::string>{"sensor.watch_sleep_stage"});
    EXPECT_EQ(s.from, std::vector<std::string>{"wake"});
    EXPECT_TRUE(s.to.empty());
    EXPECT_EQ(s.for_ms, 300'000);
    EXPECT_EQ(a.triggers[0].id, "0");
    EXPECT_EQ(a.triggers[0].where.line, 5);
    EXPECT_EQ(a.triggers[0].where.column, 7);
}

TEST(ConfigLoader, StateTriggerListsUnquotedOnAndDurationMapping) {
    const auto a = one(R"(  triggers:
    - trigger: state
      id: motion
      entity_id: [binary_sensor.hallway_motion, binary_sensor.door]
      attribute: occupancy
      to: on
      not_from: [unavailable, unknown]
      for: {minutes: 1, seconds: 30}
    - trigger: state
      entity_id: light.a, light.b
      to: ["on", "off"]
      for: 90
)" + std::string(turn_off_action));
    ASSERT_EQ(a.triggers.size(), 2U);
    const auto& s = std::get<StateTrigger>(a.triggers[0].kind);
    EXPECT_EQ(a.triggers[0].id, "motion");
    EXPECT_EQ(s.entity_ids.size(), 2U);
    EXPECT_EQ(s.attribute, "occupancy");
    EXPECT_EQ(s.to, std::vector<std::string>{"on"}); // the text as written, not "true"
    EXPECT_EQ(s.not_from, (std::vector<std::string>{"unavailable", "unknown"}));
    EXPECT_EQ(s.for_ms, 90'000);
    const auto& s2 = std::get<StateTrigger>(a.triggers[1].kind);
    EXPECT_EQ(s2.entity_ids, (std::vector<std::string>{"light.a", "light.b"}));
    EXPECT_EQ(s2.to, (std::vector<std::string>{"on", "off"}));
    EXPECT_EQ(s2.for_ms, 90'000);
    EXPECT_EQ(a.triggers[1].id, "1");
}

TEST(ConfigLoader, NumericTimePatternEventAndWatchTriggers) {
    const auto a = one(R"(  triggers:
    - trigger: numeric_state
      entity_id: sensor.watch_heart_rate
      above: 120
      below: "180.5"
      for: "00:10"
    - trigger: time
      at: ["07:30", "21:00:05"]
    - trigger: time_pattern
      minutes: "/5"
    - trigger: time_pattern
      hours: 3
    - trigger: event
      event_type: workout_started
      event_data: {sport: running, watch: anna}
    - trigger: watch
      event: heart_rate_high
      watch: anna
    - trigger: watch
      event: fell_asleep
)" + std::string(turn_off_action));
    ASSERT_EQ(a.triggers.size(), 7U);
    const auto& n = std::get<NumericStateTrigger>(a.triggers[0].kind);
    EXPECT_EQ(n.above, 120.0);
    EXPECT_EQ(n.below, 180.5);
    EXPECT_EQ(n.for_ms, 600'000);
    EXPECT_EQ(std::get<TimeTrigger>(a.triggers[1].kind).at_seconds_of_day,
              (std::vector<int>{27000, 75605}));
    const auto& p = std::get<TimePatternTrigger>(a.triggers[2].kind);
    EXPECT_EQ(p.hours.kind, TimePatternField::Kind::Any);
    EXPECT_EQ(p.minutes.kind, TimePatternField::Kind::Every);
    EXPECT_EQ(p.minutes.value, 5);
    EXPECT_EQ(p.seconds.kind, TimePatternField::Kind::Exact); // defaults to 0 under minutes
    EXPECT_EQ(p.seconds.value, 0);
    const auto& p2 = std::get<TimePatternTrigger>(a.triggers[3].kind);
    EXPECT_EQ(p2.hours.kind, TimePatternField::Kind::Exact);
    EXPECT_EQ(p2.hours.value, 3);
    EXPECT_EQ(p2.minutes.kind, TimePatternField::Kind::Exact);
    EXPECT_EQ(p2.minutes.value, 0);
    const auto& e = std::get<EventTrigger>(a.triggers[4].kind);
    EXPECT_EQ(e.event_type, "workout_started");
    EXPECT_EQ(e.event_data, (json{{"sport", "running"}, {"watch", "anna"}}));
    const auto& w = std::get<EventTrigger>(a.triggers[5].kind);
    EXPECT_EQ(w.event_type, "heart_rate_high");
    EXPECT_EQ(w.event_data, (json{{"source", "watch"}, {"watch", "anna"}}));
    const auto& w2 = std::get<EventTrigger>(a.triggers[6].kind);
    EXPECT_EQ(w2.event_type, "fell_asleep");
    EXPECT_EQ(w2.event_data, (json{{"source", "watch"}}));
}

TEST(ConfigLoader, EventDataKeepsTypes) {
    const auto a = one(R"(  triggers:
    - trigger: event
      event_type: heart_rate_high
      event_data: {bpm: 130, ratio: 1.5, quoted: "130", flag: true, word: on}
)" + std::string(turn_off_action));
    const auto& e = std::get<EventTrigger>(a.triggers[0].kind);
    EXPECT_EQ(e.event_data["bpm"], 130);
    EXPECT_EQ(e.event_data["ratio"], 1.5);
    EXPECT_EQ(e.event_data["quoted"], "130");
    EXPECT_EQ(e.event_data["flag"], true);
    EXPECT_EQ(e.event_data["word"], "on");
}

// ---- conditions ---------------------------------------------------------------------------

TEST(ConfigLoader, Conditions) {
    const auto a = one(R"(  triggers: [{trigger: state, entity_id: sensor.x}]
  conditions:
    - condition: time
      after: "21:00:00"
      before: "09:00"
      weekday: [mon, fri]
    - condition: state
      entity_id: light.bedroom_light
      state: "on"
      for: "00:01:00"
    - condition: numeric_state
      entity_id: sensor.t
      attribute: temperature
      below: 18
    - condition: or
      conditions:
        - condition: trigger
          id: [motion, door]
        - not:
            - condition: state
              entity_id: lock.front_door
              state: [locked, locking]
    - and:
        - condition: time
          weekday: sun
)" + std::string(turn_off_action));
    ASSERT_EQ(a.conditions.size(), 5U);
    const auto& t = std::get<TimeCondition>(a.conditions[0].kind);
    EXPECT_EQ(t.after_seconds_of_day, 21 * 3600);
    EXPECT_EQ(t.before_seconds_of_day, 9 * 3600);
    EXPECT_EQ(t.weekdays, 0b10001);
    const auto& s = std::get<StateCondition>(a.conditions[1].kind);
    EXPECT_EQ(s.state, std::vector<std::string>{"on"});
    EXPECT_EQ(s.for_ms, 60'000);
    const auto& n = std::get<NumericStateCondition>(a.conditions[2].kind);
    EXPECT_EQ(n.attribute, "temperature");
    EXPECT_EQ(n.below, 18.0);
    EXPECT_FALSE(n.above);
    const auto& o = std::get<OrCondition>(a.conditions[3].kind);
    ASSERT_EQ(o.conditions.size(), 2U);
    EXPECT_EQ(std::get<TriggerCondition>(o.conditions[0].kind).ids,
              (std::vector<std::string>{"motion", "door"}));
    const auto& no = std::get<NotCondition>(o.conditions[1].kind);
    ASSERT_EQ(no.conditions.size(), 1U);
    EXPECT_EQ(std::get<StateCondition>(no.conditions[0].kind).state.size(), 2U);
    const auto& an = std::get<AndCondition>(a.conditions[4].kind);
    EXPECT_EQ(std::get<TimeCondition>(an.conditions[0].kind).weekdays, 1U << 6);
}

// ---- actions ------------------------------------------------------------------------------

TEST(ConfigLoader, EveryActionKind) {
    const HomeConfig c = parse(R"(
automations:
  - id: all
    triggers: [{trigger: state, entity_id: binary_sensor.hallway_motion, to: "on"}]
    actions:
      - action: light.turn_on
        target: {entity_id: [light.hallway], area_id: bedroom}
        data: {brightness: 120, color_temp: 370, rgb_color: [255, 0, 0]}
      - service: cover.set_cover_position
        entity_id: cover.bedroom_blinds
        metadata: {}
        data: {position: 40}
      - scene: scene.morning
      - delay: "00:00:30"
      - wait_for_trigger:
          - trigger: state
            entity_id: binary_sensor.hallway_motion
            to: "off"
        timeout: {minutes: 2}
        continue_on_timeout: false
      - choose:
          - conditions:
              - condition: state
                entity_id: light.hallway
                state: "on"
            sequence:
              - action: light.turn_off
                target: {entity_id: light.hallway}
        default:
          - delay: 1
      - if:
          - condition: time
            after: "22:00"
        then:
          - action: lock.lock
            target: {entity_id: lock.front_door}
        else:
          - event: not_late
      - condition: state
        entity_id: lock.front_door
        state: locked
      - alias: tell me
        action: notify.phone
        data: {message: Door locked, title: Home, data: {priority: high}}
      - event: bedtime
        event_data: {room: bedroom}
      - action: climate.set_temperature
        enabled: false
        target: {entity_id: climate.thermostat}
        data: {temperature: 18.5}
scenes:
  - id: morning
    entities: {light.bedroom_light: "on"}
areas:
  - id: bedroom
)");
    ASSERT_TRUE(c.problems.empty()) << problems_text(c);
    ASSERT_EQ(c.automations.size(), 1U);
    const auto& acts = c.automations[0].actions;
    ASSERT_EQ(acts.size(), 11U);
    const auto& on = std::get<ServiceAction>(acts[0].kind);
    EXPECT_EQ(on.domain, "light");
    EXPECT_EQ(on.service, "turn_on");
    EXPECT_EQ(on.target.entity_ids, std::vector<std::string>{"light.hallway"});
    EXPECT_EQ(on.target.area_ids, std::vector<std::string>{"bedroom"});
    EXPECT_EQ(on.data,
              (json{{"brightness", 120}, {"color_temp", 370}, {"rgb_color", {255, 0, 0}}}));
    const auto& cover = std::get<ServiceAction>(acts[1].kind);
    EXPECT_EQ(cover.service, "set_cover_position");
    EXPECT_EQ(cover.target.entity_ids, std::vector<std::string>{"cover.bedroom_blinds"});
    EXPECT_EQ(cover.data["position"], 40);
    const auto& scene = std::get<ServiceAction>(acts[2].kind);
    EXPECT_EQ(scene.domain, "scene");
    EXPECT_EQ(scene.service, "turn_on");
    EXPECT_EQ(scene.target.entity_ids, std::vector<std::string>{"scene.morning"});
    EXPECT_EQ(std::get<DelayAction>(acts[3].kind).duration_ms, 30'000);
    const auto& wait = std::get<WaitForTriggerAction>(acts[4].kind);
    EXPECT_EQ(wait.triggers.size(), 1U);
    EXPECT_EQ(wait.timeout_ms, 120'000);
    EXPECT_FALSE(wait.continue_on_timeout);
    const auto& choose = std::get<ChooseAction>(acts[5].kind);
    ASSERT_EQ(choose.options.size(), 1U);
    EXPECT_EQ(choose.options[0].conditions.size(), 1U);
    EXPECT_EQ(choose.options[0].sequence.size(), 1U);
    EXPECT_EQ(std::get<DelayAction>(choose.default_sequence.at(0).kind).duration_ms, 1000);
    const auto& iff = std::get<IfAction>(acts[6].kind);
    EXPECT_EQ(iff.conditions.size(), 1U);
    EXPECT_EQ(iff.then_sequence.size(), 1U);
    EXPECT_EQ(std::get<FireEventAction>(iff.else_sequence.at(0).kind).event_type, "not_late");
    const auto& cond = std::get<ConditionAction>(acts[7].kind);
    EXPECT_EQ(std::get<StateCondition>(cond.condition.kind).state,
              std::vector<std::string>{"locked"});
    const auto& notify = std::get<NotifyAction>(acts[8].kind);
    EXPECT_EQ(acts[8].alias, "tell me");
    EXPECT_EQ(notify.service, "phone");
    EXPECT_EQ(notify.message, "Door locked");
    EXPECT_EQ(notify.title, "Home");
    EXPECT_EQ(notify.data, (json{{"priority", "high"}}));
    const auto& ev = std::get<FireEventAction>(acts[9].kind);
    EXPECT_EQ(ev.event_type, "bedtime");
    EXPECT_EQ(ev.event_data, (json{{"room", "bedroom"}}));
    EXPECT_FALSE(acts[10].enabled);
    EXPECT_EQ(std::get<ServiceAction>(acts[10].kind).data["temperature"], 18.5);
    EXPECT_EQ(acts[0].where.line, 6);
}

TEST(ConfigLoader, ModesAndOptions) {
    const HomeConfig c = parse(std::string(R"(
- id: q
  mode: queued
  max: 3
  initial_state: off
  description: queued runs
  triggers: [{trigger: state, entity_id: sensor.x}]
)") + turn_off_action + R"(- id: p
  mode: parallel
  triggers: [{trigger: state, entity_id: sensor.x}]
)" + turn_off_action + R"(- id: r
  mode: restart
  triggers: [{trigger: state, entity_id: sensor.x}]
)" + turn_off_action);
    ASSERT_TRUE(c.problems.empty()) << problems_text(c);
    ASSERT_EQ(c.automations.size(), 3U);
    EXPECT_EQ(c.automations[0].mode, Mode::Queued);
    EXPECT_EQ(c.automations[0].max_runs, 3);
    EXPECT_FALSE(c.automations[0].initially_enabled);
    EXPECT_EQ(c.automations[0].description, "queued runs");
    EXPECT_EQ(c.automations[1].mode, Mode::Parallel);
    EXPECT_EQ(c.automations[1].max_runs, 10);
    EXPECT_EQ(c.automations[2].mode, Mode::Restart);
}

// The same automation in Home Assistant's current and older spellings loads to equal models.
TEST(ConfigLoader, PluralAndSingularFormsAreEqual) {
    const HomeConfig plural = parse(R"(
- id: x
  alias: X
  triggers:
    - trigger: state
      entity_id: sensor.watch_sleep_stage
      to: deep
    - trigger: numeric_state
      entity_id: sensor.watch_heart_rate
      above: 100
  conditions:
    - condition: time
      after: "21:00"
  actions:
    - action: light.turn_off
      target: {entity_id: light.bedroom_light}
    - action: notify.phone
      data: {message: hi}
)");
    const HomeConfig singular = parse(R"(
- id: x
  alias: X
  trigger:
    - platform: state
      entity_id: sensor.watch_sleep_stage
      to: deep
    - platform: numeric_state
      entity_id: sensor.watch_heart_rate
      above: 100
  condition:
    condition: time
    after: "21:00"
  action:
    - service: light.turn_off
      entity_id: light.bedroom_light
    - service: notify.phone
      data: {message: hi}
)");
    ASSERT_TRUE(plural.problems.empty()) << problems_text(plural);
    ASSERT_TRUE(singular.problems.empty()) << problems_text(singular);
    const auto& p = plural.automations.at(0);
    const auto& s = singular.automations.at(0);
    ASSERT_EQ(p.triggers.size(), s.triggers.size());
    const auto& ps = std::get<StateTrigger>(p.triggers[0].kind);
    const auto& ss = std::get<StateTrigger>(s.triggers[0].kind);
    EXPECT_EQ(ps.entity_ids, ss.entity_ids);
    EXPECT_EQ(ps.to, ss.to);
    EXPECT_EQ(std::get<NumericStateTrigger>(p.triggers[1].kind).above,
              std::get<NumericStateTrigger>(s.triggers[1].kind).above);
    ASSERT_EQ(s.conditions.size(), 1U);
    EXPECT_EQ(std::get<TimeCondition>(p.conditions[0].kind).after_seconds_of_day,
              std::get<TimeCondition>(s.conditions[0].kind).after_seconds_of_day);
    ASSERT_EQ(p.actions.size(), s.actions.size());
    const auto& pa = std::get<ServiceAction>(p.actions[0].kind);
    const auto& sa = std::get<ServiceAction>(s.actions[0].kind);
    EXPECT_EQ(pa.domain, sa.domain);
    EXPECT_EQ(pa.service, sa.service);
    EXPECT_EQ(pa.target.entity_ids, sa.target.entity_ids);
    EXPECT_EQ(std::get<NotifyAction>(p.actions[1].kind).message,
              std::get<NotifyAction>(s.actions[1].kind).message);
}

// ---- scenes and areas ---------------------------------------------------------------------

TEST(ConfigLoader, ScenesAndAreas) {
    const HomeConfig c = parse(R"(
scenes:
  - id: evening
    name: Evening
    entities:
      light.living_room_lamp: {state: on, brightness: 120, color_temp: 400}
      lock.front_door: locked
      cover.bedroom_blinds: {state: closed, position: 0}
  - name: Good Night
    entities: {light.bedroom_light: "off"}
areas:
  - id: bedroom
    name: Bedroom
    entities: [light.bedroom_light, cover.bedroom_blinds]
)");
    ASSERT_TRUE(c.problems.empty()) << problems_text(c);
    ASSERT_EQ(c.scenes.size(), 2U);
    const auto& e = c.scenes[0];
    EXPECT_EQ(e.id, "evening");
    EXPECT_EQ(e.name, "Evening");
    ASSERT_EQ(e.entities.size(), 3U);
    EXPECT_EQ(e.entities.at("light.living_room_lamp").state, "on");
    EXPECT_EQ(e.entities.at("light.living_room_lamp").attributes,
              (json{{"brightness", 120}, {"color_temp", 400}}));
    EXPECT_EQ(e.entities.at("lock.front_door").state, "locked");
    EXPECT_TRUE(e.entities.at("lock.front_door").attributes.empty());
    EXPECT_EQ(c.scenes[1].id, "good_night"); // from the name when there is no id
    ASSERT_EQ(c.areas.size(), 1U);
    EXPECT_EQ(c.areas[0].name, "Bedroom");
    EXPECT_EQ(c.areas[0].entity_ids,
              (std::vector<std::string>{"light.bedroom_light", "cover.bedroom_blinds"}));
}

// ---- validation ---------------------------------------------------------------------------

struct BadCase {
    const char* name;
    std::string yaml;
    int line;
    int column;
    const char* key;
    const char* message_part;
};

void PrintTo(const BadCase& bad, std::ostream* os) {
    *os << bad.name;
}

class ConfigProblems : public ::testing::TestWithParam<BadCase> {};

TEST_P(ConfigProblems, PointsAtLineAndKey) {
    const BadCase& bad = GetParam();
    const HomeConfig c = parse(bad.yaml);
    EXPECT_TRUE(c.automations.empty());
    const ConfigProblem p = only_problem(c);
    EXPECT_EQ(p.where.file, "test.yaml");
    EXPECT_EQ(p.where.line, bad.line) << p.describe();
    if (bad.column > 0) {
        EXPECT_EQ(p.where.column, bad.column) << p.describe();
    }
    EXPECT_EQ(p.key, bad.key) << p.describe();
    EXPECT_NE(p.message.find(bad.message_part), std::string::npos) << p.describe();
    EXPECT_EQ(p.item, "bad") << p.describe();
}

const std::string trig = "  triggers: [{trigger: state, entity_id: sensor.x}]\n";

INSTANTIATE_TEST_SUITE_P(
    Validation, ConfigProblems,
    ::testing::Values(
        BadCase{"typo_key",
                "- id: bad\n  triggers:\n    - trigger: state\n      entity-id: sensor.x\n" +
                    std::string(turn_off_action),
                4, 7, "triggers[0].entity-id", "did you mean 'entity_id'"},
        BadCase{"missing_entity",
                "- id: bad\n  triggers:\n    - trigger: state\n      to: on\n" +
                    std::string(turn_off_action),
                3, 7, "triggers[0].entity_id", "missing required key"},
        BadCase{"bad_for",
                "- id: bad\n  triggers:\n    - trigger: state\n      entity_id: sensor.x\n"
                "      for: soon\n" +
                    std::string(turn_off_action),
                5, 12, "triggers[0].for", "expected a duration"},
        BadCase{"bad_entity",
                "- id: bad\n  triggers:\n    - trigger: state\n      entity_id: Sensor X\n" +
                    std::string(turn_off_action),
                4, 18, "triggers[0].entity_id", "is not an entity id"},
        BadCase{"wrong_domain",
                "- id: bad\n" + trig +
                    "  actions:\n    - action: light.turn_off\n"
                    "      target: {entity_id: cover.blinds}\n",
                5, 27, "actions[0].target.entity_id", "is not a light entity"},
        BadCase{"unknown_service",
                "- id: bad\n" + trig +
                    "  actions:\n    - action: light.turn_of\n      target: {entity_id: light.x}\n",
                4, 15, "actions[0].action", "unknown service 'light.turn_of'"},
        BadCase{"not_a_number",
                "- id: bad\n  triggers:\n    - trigger: numeric_state\n      entity_id: sensor.x\n"
                "      above: high\n" +
                    std::string(turn_off_action),
                5, 14, "triggers[0].above", "expected a number"},
        BadCase{"above_not_below",
                "- id: bad\n  triggers:\n    - trigger: numeric_state\n      entity_id: sensor.x\n"
                "      above: 30\n      below: 20\n" +
                    std::string(turn_off_action),
                5, 14, "triggers[0].above", "above must be less than below"},
        BadCase{"data_not_number",
                "- id: bad\n" + trig +
                    "  actions:\n    - action: light.turn_on\n      target: {entity_id: light.x}\n"
                    "      data: {brightness: high}\n",
                6, 26, "actions[0].data.brightness", "expected a number"},
        BadCase{"unknown_mode", "- id: bad\n  mode: sometimes\n" + trig + turn_off_action, 2, 9,
                "mode", "unknown mode"},
        BadCase{"bad_max", "- id: bad\n  mode: queued\n  max: 0\n" + trig + turn_off_action, 3, 8,
                "max", "positive whole number"},
        BadCase{"no_triggers", "- id: bad\n" + std::string(turn_off_action), 1, 3, "triggers",
                "at least one trigger"},
        BadCase{"no_actions", "- id: bad\n" + trig, 1, 3, "actions", "at least one action"},
        BadCase{"sun",
                "- id: bad\n  triggers:\n    - trigger: sun\n      event: sunset\n" +
                    std::string(turn_off_action),
                3, 16, "triggers[0].trigger", "sun triggers are not supported"},
        BadCase{"unknown_trigger",
                "- id: bad\n  trigger:\n    - platform: mqtt\n      topic: x\n" +
                    std::string(turn_off_action),
                3, 17, "trigger[0].platform", "unknown trigger 'mqtt'"},
        BadCase{"template_condition",
                "- id: bad\n" + trig +
                    "  conditions:\n    - condition: template\n      value_template: x\n" +
                    turn_off_action,
                4, 18, "conditions[0].condition", "templates are not supported"},
        BadCase{"bad_weekday",
                "- id: bad\n" + trig +
                    "  conditions:\n    - condition: time\n      weekday: [mon, funday]\n" +
                    turn_off_action,
                5, 16, "conditions[0].weekday", "'funday' is not a weekday"},
        BadCase{"bad_time",
                "- id: bad\n" + trig +
                    "  conditions:\n    - condition: time\n      after: 25:00\n" + turn_off_action,
                5, 14, "conditions[0].after", "expected a time of day"},
        BadCase{"bad_watch_event",
                "- id: bad\n  triggers:\n    - trigger: watch\n      event: dozed_off\n" +
                    std::string(turn_off_action),
                4, 14, "triggers[0].event", "unknown watch event"},
        BadCase{"bad_pattern",
                "- id: bad\n  triggers:\n    - trigger: time_pattern\n      minutes: /0\n" +
                    std::string(turn_off_action),
                4, 16, "triggers[0].minutes", "expected \"*\""},
        BadCase{"nested_bad_key",
                "- id: bad\n" + trig +
                    "  actions:\n    - choose:\n        - conditions: []\n          sequence:\n"
                    "            - delay: 5\n              dellay: 6\n",
                8, 15, "actions[0].choose[0].sequence[0].dellay", "unknown key"},
        BadCase{"unsupported_action",
                "- id: bad\n" + trig + "  actions:\n    - repeat: {count: 2, sequence: []}\n", 4, 7,
                "actions[0].repeat", "not supported"},
        BadCase{"notify_without_message",
                "- id: bad\n" + trig + "  actions:\n    - action: notify.phone\n      data: {}\n",
                5, 13, "actions[0].data.message", "missing required key"},
        BadCase{"both_spellings",
                "- id: bad\n" + trig + "  trigger: [{platform: state, entity_id: sensor.y}]\n" +
                    turn_off_action,
                3, 3, "trigger", "not both"}),
    [](const ::testing::TestParamInfo<BadCase>& param_info) {
        return std::string(param_info.param.name);
    });

TEST(ConfigLoader, UnknownAreaIsCheckedAfterMerging) {
    // parse_home_config alone does not know the areas of other files; merging checks them.
    HomeConfig c = parse("- id: bad\n" + trig +
                         "  actions:\n    - action: light.turn_off\n"
                         "      target: {area_id: attic}\n");
    EXPECT_TRUE(c.problems.empty()) << problems_text(c);
    std::vector<HomeConfig> parts;
    parts.push_back(std::move(c));
    const HomeConfig merged = merge_home_configs(std::move(parts));
    EXPECT_TRUE(merged.automations.empty());
    const ConfigProblem p = only_problem(merged);
    EXPECT_EQ(p.message, "unknown area 'attic'");
    EXPECT_EQ(p.key, "actions[0].target.area_id");
    EXPECT_EQ(p.where.line, 4);
    EXPECT_EQ(p.item, "bad");
}

TEST(ConfigLoader, OneBadAutomationDoesNotStopTheOthers) {
    const HomeConfig c = parse("- id: good1\n" + trig + turn_off_action +
                               "- id: bad\n  mode: nope\n  triggers:\n    - trigger: state\n"
                               "      entity_id: sensor.x\n      for: never\n" +
                               turn_off_action + "- id: good2\n" + trig + turn_off_action +
                               "- id: good1\n" + trig + turn_off_action);
    ASSERT_EQ(c.automations.size(), 2U) << problems_text(c);
    EXPECT_EQ(c.automations[0].id, "good1");
    EXPECT_EQ(c.automations[1].id, "good2");
    ASSERT_EQ(c.problems.size(), 3U) << problems_text(c);
    EXPECT_EQ(c.problems[0].key, "mode");
    EXPECT_EQ(c.problems[0].where.line, 7);
    EXPECT_EQ(c.problems[1].key, "triggers[0].for");
    EXPECT_EQ(c.problems[1].where.line, 11);
    EXPECT_EQ(c.problems[2].message, "duplicate automation id 'good1' (the first one is kept)");
    EXPECT_EQ(c.problems[2].where.line, 20);
    EXPECT_EQ(c.problems[0].describe(),
              "test.yaml:7:9: bad: mode: unknown mode 'nope' (single, restart, queued, parallel)");
}

TEST(ConfigLoader, BadSceneAndAreaAreSkipped) {
    const HomeConfig c = parse(R"(
scenes:
  - id: ok
    entities: {light.a: "on"}
  - id: broken
    entities: {Light A: "on"}
areas:
  - id: Bed Room
  - id: kitchen
    entities: light.kitchen
)");
    ASSERT_EQ(c.scenes.size(), 1U);
    EXPECT_EQ(c.scenes[0].id, "ok");
    ASSERT_EQ(c.areas.size(), 1U);
    EXPECT_EQ(c.areas[0].id, "kitchen");
    ASSERT_EQ(c.problems.size(), 2U) << problems_text(c);
    EXPECT_EQ(c.problems[0].item, "broken");
    EXPECT_EQ(c.problems[0].where.line, 6);
    EXPECT_EQ(c.problems[1].item, "Bed Room");
    EXPECT_EQ(c.problems[1].where.line, 8);
}

TEST(ConfigLoader, SyntaxErrorIsOneProblemWithTheLine) {
    const HomeConfig c = parse("- id: a\n  triggers: [\n    - x: y\n  actions: {\n");
    const ConfigProblem p = only_problem(c);
    EXPECT_GT(p.where.line, 1);
    EXPECT_NE(p.message.find("YAML syntax error"), std::string::npos);
    EXPECT_TRUE(c.automations.empty());
}

TEST(ConfigLoader, HostileInputsAreProblemsNotCrashes) {
    std::string deep;
    for (int i = 0; i < 5000; ++i) {
        deep += "[";
    }
    EXPECT_FALSE(parse(deep).problems.empty());
    std::string nested = "- id: bad\n" + trig + "  actions:\n";
    std::string indent = "    ";
    for (int i = 0; i < 40; ++i) {
        nested += indent + "- if: []\n" + indent + "  then:\n";
        indent += "    ";
    }
    nested += indent + "- delay: 1\n";
    EXPECT_NE(problems_text(parse(nested)).find("nested too deeply"), std::string::npos);
    EXPECT_FALSE(parse("just text").problems.empty());
    EXPECT_TRUE(parse("").problems.empty());
    EXPECT_FALSE(parse("- 1\n- [2]\n").problems.empty());
    EXPECT_FALSE(parse("{automations: 5}").problems.empty());
}

TEST(ConfigLoader, AliasBombIsRefusedQuickly) {
    // Each level names the previous one ten times: 10^9 values if expanded.
    std::string bomb = "- id: bomb\n  triggers: [{trigger: state, entity_id: s.x}]\n"
                       "  actions:\n    - event: e\n      event_data:\n        a0: &a0 [x, x, x, "
                       "x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 9; ++i) {
        bomb += "        a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
        for (int j = 0; j < 10; ++j) {
            bomb += "*a" + std::to_string(i - 1) + (j < 9 ? ", " : "");
        }
        bomb += "]\n";
    }
    const HomeConfig c = parse(bomb);
    EXPECT_TRUE(c.automations.empty());
    EXPECT_NE(problems_text(c).find("too large or too repetitive"), std::string::npos)
        << problems_text(c);
}

TEST(ConfigLoader, FolderLoadMergesSortedFilesAndFindsCrossFileDuplicates) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("hearth_config_loader_" +
                      std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "b_automations.yaml")
        << "- id: one\n" + trig +
               "  actions:\n    - action: light.turn_off\n      target: {area_id: bedroom}\n"
               "- id: two\n" +
               trig + turn_off_action;
    std::ofstream(dir / "a_home.yaml")
        << "areas:\n  - id: bedroom\nautomations:\n  - id: two\n"
           "    triggers: [{trigger: state, entity_id: sensor.x}]\n"
           "    actions: [{action: light.turn_on, target: {entity_id: light.x}}]\n";
    std::ofstream(dir / "notes.txt") << "not yaml: [";
    const HomeConfig c = load_home_config(dir);
    std::filesystem::remove_all(dir);
    ASSERT_EQ(c.automations.size(), 2U) << problems_text(c);
    EXPECT_EQ(c.automations[0].id, "two");
    EXPECT_EQ(c.automations[0].where.file, (dir / "a_home.yaml").string());
    EXPECT_EQ(c.automations[1].id, "one");
    const ConfigProblem p = only_problem(c);
    EXPECT_EQ(p.where.file, (dir / "b_automations.yaml").string());
    EXPECT_NE(p.message.find("duplicate automation id 'two'"), std::string::npos);
}

TEST(ConfigLoader, UnreadableFileIsAProblem) {
    const HomeConfig c = load_home_config_file("/nonexistent/hearth/automations.yaml");
    EXPECT_EQ(only_problem(c).message, "cannot read the file");
}

TEST(ConfigLoader, ExampleConfigLoadsWithoutProblems) {
    const HomeConfig c =
        load_home_config(std::filesystem::path(HEARTH_SOURCE_DIR) / "examples/automations");
    EXPECT_TRUE(c.problems.empty()) << problems_text(c);
    EXPECT_GE(c.automations.size(), 4U);
    EXPECT_GE(c.scenes.size(), 1U);
    EXPECT_GE(c.areas.size(), 2U);
}

} // namespace
} // namespace hearth::hub::automation
