// The runner's plumbing: inputs reach the engine in order on its thread, timers fire when the
// clock reaches them (a test clock moved by hand, no sleeps), the scene/automation services and
// reloads from a file. The engine's own behaviour is tested in engine_*_test.cpp.

#include "automation/runner.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include <gtest/gtest.h>

#include "automation/config_loader.h"

namespace hearth::hub::automation {
namespace {

using json = nlohmann::json;

// ManualClock is not thread-safe; the runner thread reads the clock while the test moves it.
class SharedManualClock final : public Clock {
public:
    explicit SharedManualClock(TimestampMs start_ms) : m_now_ms(start_ms) {}
    [[nodiscard]] TimestampMs now_ms() const override { return m_now_ms.load(); }
    void advance_ms(TimestampMs delta_ms) { m_now_ms += delta_ms; }

private:
    std::atomic<TimestampMs> m_now_ms;
};

// A Home that records service calls; thread-safe because the runner calls it from its thread.
class RecordingHome final : public Home {
public:
    explicit RecordingHome(const Clock& clock) : m_clock(clock) {}

    // Sets a state and returns the change the hub would broadcast.
    StateChangedEvent set(const std::string& entity_id, const std::string& state) {
        std::lock_guard lock(m_mutex);
        StateChangedEvent e;
        e.entity_id = entity_id;
        if (auto it = m_states.find(entity_id); it != m_states.end()) {
            e.old_state = it->second;
        }
        EntityState s{entity_id, state, json::object(), m_clock.now_ms(), m_clock.now_ms()};
        m_states[entity_id] = s;
        e.new_state = s;
        e.time_ms = m_clock.now_ms();
        return e;
    }

    [[nodiscard]] std::optional<EntityState> state(const std::string& entity_id) const override {
        std::lock_guard lock(m_mutex);
        auto it = m_states.find(entity_id);
        return it == m_states.end() ? std::nullopt : std::optional<EntityState>(it->second);
    }
    [[nodiscard]] std::vector<EntityState> states() const override {
        std::lock_guard lock(m_mutex);
        std::vector<EntityState> out;
        for (const auto& [id, s] : m_states) {
            out.push_back(s);
        }
        return out;
    }
    tl::expected<void, std::string> call_service(const ServiceCall& call) override {
        std::lock_guard lock(m_mutex);
        if (!m_states.contains(call.entity_id)) {
            return tl::unexpected("unknown entity " + call.entity_id);
        }
        m_calls.push_back(call.domain + "." + call.service + " " + call.entity_id +
                          (call.data.empty() ? "" : " " + call.data.dump()));
        return {};
    }
    void fire_event(const std::string& event_type, const nlohmann::json&) override {
        std::lock_guard lock(m_mutex);
        m_events.push_back(event_type);
    }
    void notify(const std::string& service, const nlohmann::json&) override {
        std::lock_guard lock(m_mutex);
        m_events.push_back("notify." + service);
    }

    std::vector<std::string> calls() const {
        std::lock_guard lock(m_mutex);
        return m_calls;
    }

private:
    const Clock& m_clock;
    mutable std::mutex m_mutex;
    std::map<std::string, EntityState> m_states;
    std::vector<std::string> m_calls;
    std::vector<std::string> m_events;
};

constexpr TimestampMs start_ms = 1'764'111'000'000; // 2025-11-25 22:50:00 UTC

const char* const config_yaml = R"(
areas:
  - id: bedroom
    name: Bedroom
    entities: [light.bedroom_light]
scenes:
  - id: night
    name: Night
    entities:
      light.bedroom_light: "off"
      light.hall: { state: "on", brightness: 20 }
automations:
  - id: asleep
    alias: Lights off when asleep
    triggers:
      - trigger: state
        entity_id: sensor.watch_sleep_stage
        from: wake
    actions:
      - action: light.turn_off
        target: { area_id: bedroom }
  - id: motion
    alias: Hall light after motion
    triggers:
      - trigger: state
        entity_id: binary_sensor.hall_motion
        to: "on"
        for: "00:05:00"
    actions:
      - action: light.turn_on
        target: { entity_id: light.hall }
  - id: on_event
    triggers:
      - trigger: event
        event_type: fell_asleep
    actions:
      - action: light.turn_off
        target: { entity_id: light.hall }
)";

class RunnerTest : public ::testing::Test {
protected:
    RunnerTest() {
        m_home.set("light.bedroom_light", "on");
        m_home.set("light.hall", "off");
        m_home.set("binary_sensor.hall_motion", "off");
        m_home.set("sensor.watch_sleep_stage", "wake");
    }

    void load_example() {
        const ReloadResult r = m_runner.load(parse_home_config(config_yaml, "home.yaml"));
        ASSERT_TRUE(r.problems.empty()) << r.problems.front().describe();
        ASSERT_EQ(r.automations, 3U);
    }

    SharedManualClock m_clock{start_ms};
    RecordingHome m_home{m_clock};
    AutomationRunner m_runner{m_home, m_clock, RunnerOptions{{0, 10}, 1000}};
};

TEST_F(RunnerTest, StateChangesReachTheEngineOnItsThread) {
    load_example();
    m_clock.advance_ms(10 * 60 * 1000);
    ASSERT_TRUE(m_runner.push_state_changed(m_home.set("sensor.watch_sleep_stage", "light")));
    m_runner.sync();
    EXPECT_EQ(m_home.calls(), std::vector<std::string>{"light.turn_off light.bedroom_light"});
    const auto traces = m_runner.traces("asleep");
    ASSERT_EQ(traces.size(), 1U);
    EXPECT_EQ(traces[0].outcome, RunOutcome::Finished);
    ASSERT_TRUE(m_runner.trace(traces[0].run_id).has_value());
    EXPECT_EQ(m_runner.trace(traces[0].run_id)->automation_id, "asleep");
    EXPECT_FALSE(m_runner.trace(traces[0].run_id + 1000).has_value());
}

TEST_F(RunnerTest, ForDurationFiresWhenTheClockReachesItsDeadline) {
    load_example();
    ASSERT_TRUE(m_runner.push_state_changed(m_home.set("binary_sensor.hall_motion", "on")));
    m_runner.sync();
    EXPECT_TRUE(m_home.calls().empty());
    m_clock.advance_ms(4 * 60 * 1000);
    m_runner.sync();
    EXPECT_TRUE(m_home.calls().empty());
    m_clock.advance_ms(60 * 1000);
    m_runner.sync();
    EXPECT_EQ(m_home.calls(), std::vector<std::string>{"light.turn_on light.hall"});
}

TEST_F(RunnerTest, EventsAreFedInOrder) {
    load_example();
    ASSERT_TRUE(m_runner.push_event("fell_asleep", {{"watch", "watch"}}, m_clock.now_ms()));
    ASSERT_TRUE(m_runner.push_state_changed(m_home.set("sensor.watch_sleep_stage", "deep")));
    m_runner.sync();
    EXPECT_EQ(m_home.calls(), (std::vector<std::string>{"light.turn_off light.hall",
                                                        "light.turn_off light.bedroom_light"}));
}

TEST_F(RunnerTest, AnswersSceneAndAutomationServices) {
    load_example();
    auto not_ours = m_runner.call_service("light", "turn_on", {{"entity_id", "light.hall"}});
    EXPECT_FALSE(not_ours.handled);

    auto scene = m_runner.call_service("scene", "turn_on", {{"entity_id", "scene.night"}});
    ASSERT_TRUE(scene.handled);
    ASSERT_TRUE(scene.result.has_value()) << scene.result.error();
    const auto calls = m_home.calls();
    ASSERT_EQ(calls.size(), 2U);
    EXPECT_EQ(calls[0], "light.turn_off light.bedroom_light");
    EXPECT_EQ(calls[1].rfind("light.turn_on light.hall", 0), 0U) << calls[1];

    auto unknown = m_runner.call_service("scene", "turn_on", {{"entity_id", "scene.nowhere"}});
    ASSERT_TRUE(unknown.handled);
    EXPECT_FALSE(unknown.result.has_value());
    EXPECT_FALSE(m_runner.call_service("scene", "turn_on", json::object()).result.has_value());

    auto off =
        m_runner.call_service("automation", "turn_off", {{"entity_id", "automation.asleep"}});
    ASSERT_TRUE(off.result.has_value()) << off.result.error();
    ASSERT_TRUE(m_runner.push_state_changed(m_home.set("sensor.watch_sleep_stage", "light")));
    m_runner.sync();
    EXPECT_EQ(m_home.calls().size(), 2U); // turned off: no run
    for (const auto& a : m_runner.automations()) {
        EXPECT_EQ(a.enabled, a.id != "asleep") << a.id;
    }

    ASSERT_TRUE(m_runner.call_service("automation", "turn_on", {{"entity_id", "automation.asleep"}})
                    .result.has_value());
    auto manual =
        m_runner.call_service("automation", "trigger", {{"entity_id", "automation.asleep"}});
    ASSERT_TRUE(manual.result.has_value()) << manual.result.error();
    m_runner.sync();
    EXPECT_EQ(m_home.calls().back(), "light.turn_off light.bedroom_light");

    auto created = m_runner.call_service(
        "scene", "create",
        {{"scene_id", "before"}, {"snapshot_entities", {"light.hall", "light.bedroom_light"}}});
    ASSERT_TRUE(created.result.has_value()) << created.result.error();
    bool found = false;
    for (const auto& s : m_runner.scenes()) {
        if (s.id == "before") {
            found = true;
            EXPECT_EQ(s.entities.size(), 2U);
        }
    }
    EXPECT_TRUE(found);
    EXPECT_FALSE(
        m_runner.call_service("automation", "explode", {{"entity_id", "automation.asleep"}})
            .result.has_value());
}

TEST_F(RunnerTest, ReloadReadsTheConfigPathAndReportsProblemsWithLines) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("hearth-runner-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "automations.yaml";
    {
        std::ofstream out(file);
        out << "- id: good\n"
               "  triggers:\n"
               "    - trigger: state\n"
               "      entity_id: binary_sensor.hall_motion\n"
               "      to: \"on\"\n"
               "  actions:\n"
               "    - action: light.turn_on\n"
               "      target: { entity_id: light.hall }\n"
               "- id: bad\n"
               "  triggers:\n"
               "    - trigger: state\n"
               "      entity_id: binary_sensor.hall_motion\n"
               "      for: \"soon\"\n"
               "  actions:\n"
               "    - action: light.turn_on\n"
               "      target: { entity_id: light.hall }\n";
    }
    m_runner.set_config_path(file);
    const ReloadResult r = m_runner.reload();
    ASSERT_EQ(m_runner.automations().size(), 1U);
    EXPECT_EQ(m_runner.automations()[0].id, "good");
    ASSERT_FALSE(r.problems.empty());
    EXPECT_EQ(r.problems[0].item, "bad");
    EXPECT_EQ(r.problems[0].where.line, 13);
    EXPECT_NE(r.problems[0].where.file.find("automations.yaml"), std::string::npos);
    EXPECT_EQ(m_runner.problems().size(), r.problems.size());

    // The reload service reads the file again, and the loaded automations run.
    {
        std::ofstream out(file);
        out << "- id: only\n"
               "  triggers: [{ trigger: state, entity_id: binary_sensor.hall_motion }]\n"
               "  actions: [{ action: light.turn_on, target: { entity_id: light.hall } }]\n";
    }
    auto reloaded = m_runner.call_service("automation", "reload", json::object());
    ASSERT_TRUE(reloaded.result.has_value());
    EXPECT_TRUE((*reloaded.result)["problems"].empty());
    ASSERT_EQ(m_runner.automations().size(), 1U);
    EXPECT_EQ(m_runner.automations()[0].id, "only");
    ASSERT_TRUE(m_runner.push_state_changed(m_home.set("binary_sensor.hall_motion", "on")));
    m_runner.sync();
    EXPECT_EQ(m_home.calls(), std::vector<std::string>{"light.turn_on light.hall"});
    std::filesystem::remove_all(dir);
}

TEST(RunnerQueue, AFullQueueDropsInsteadOfBlocking) {
    SharedManualClock clock(start_ms);
    RecordingHome home(clock);
    AutomationRunner runner(home, clock, RunnerOptions{{0, 10}, 0});
    runner.load(parse_home_config(R"(
- id: a
  triggers: [{ trigger: state, entity_id: light.a }]
  actions: [{ action: light.turn_on, target: { entity_id: light.b } }]
)",
                                  "a.yaml"));
    EXPECT_FALSE(runner.push_event("fell_asleep", json::object(), start_ms));
    EXPECT_FALSE(runner.push_state_changed(home.set("light.a", "on")));
    EXPECT_EQ(runner.inputs_dropped(), 2U);
    runner.sync(); // nothing queued: returns at once
}

TEST(RunnerQueue, StateChangesNoAutomationWatchesAreNotQueued) {
    SharedManualClock clock(start_ms);
    RecordingHome home(clock);
    home.set("light.a", "off");
    home.set("light.b", "off");
    // A queue of one: a second queued input would be dropped and counted.
    AutomationRunner runner(home, clock, RunnerOptions{{0, 10}, 1});
    runner.load(parse_home_config(R"(
- id: a
  triggers: [{ trigger: event, event_type: go }]
  actions:
    - wait_for_trigger: [{ trigger: state, entity_id: light.a, to: "on" }]
    - action: light.turn_on
      target: { entity_id: light.b }
)",
                                  "a.yaml"));
    for (int i = 0; i < 100; ++i) {
        EXPECT_TRUE(runner.push_state_changed(home.set("sensor.other", std::to_string(i))));
    }
    EXPECT_EQ(runner.inputs_dropped(), 0U);
    // The entity of the wait is watched: the wait ends on its change.
    ASSERT_TRUE(runner.push_event("go", json::object(), start_ms));
    runner.sync();
    ASSERT_TRUE(runner.push_state_changed(home.set("light.a", "on")));
    runner.sync();
    EXPECT_EQ(home.calls(), std::vector<std::string>{"light.turn_on light.b"});
    EXPECT_EQ(runner.inputs_dropped(), 0U);
}

TEST(RunnerQueue, StopsWithRunsWaitingInADelay) {
    SharedManualClock clock(start_ms);
    RecordingHome home(clock);
    home.set("light.a", "off");
    auto runner = std::make_unique<AutomationRunner>(home, clock);
    runner->load(parse_home_config(R"(
- id: slow
  triggers: [{ trigger: event, event_type: go }]
  actions:
    - delay: "01:00:00"
    - action: light.turn_on
      target: { entity_id: light.a }
)",
                                   "slow.yaml"));
    ASSERT_TRUE(runner->push_event("go", json::object(), start_ms));
    runner->sync();
    ASSERT_EQ(runner->automations().at(0).running, 1U);
    runner.reset(); // must not wait for the hour
    EXPECT_TRUE(home.calls().empty());
}

} // namespace
} // namespace hearth::hub::automation
