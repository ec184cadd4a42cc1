// Actions: services (per entity, area targets), delay, wait_for_trigger, choose, if, condition
// steps, notify, events (and the loop guard), disabled actions, errors, engine services.

#include <gtest/gtest.h>

#include "automation/engine.h"
#include "testing/fake_home.h"

namespace hearth::hub::automation {
namespace {

using testing::FakeHome;

constexpr TimestampMs start_ms = 1'704'067'200'000;
constexpr DurationMs second_ms = 1000;

class EngineAction : public ::testing::Test {
protected:
    EngineAction() : home(clock), engine(home, clock, EngineOptions{0, 10}) {
        home.attach(&engine);
        for (const char* light : {"light.a", "light.b", "light.c"}) {
            home.set(light, "off");
        }
        home.set("sensor.go", "0");
    }
    void load(std::vector<Action> actions, Mode mode = Mode::Single, std::vector<Area> areas = {}) {
        HomeConfig config = testing::with_automations({testing::make_automation(
            "a", {testing::state_trigger("sensor.go")}, std::move(actions), mode)});
        config.areas = std::move(areas);
        engine.load(std::move(config));
    }
    void go() { home.set("sensor.go", std::to_string(++m_count)); }
    Trace last_trace() { return engine.traces("a").at(0); }

    ManualClock clock{start_ms};
    FakeHome home;
    AutomationEngine engine;

private:
    int m_count = 0;
};

Action wait_for(std::vector<Trigger> triggers, std::optional<DurationMs> timeout_ms,
                bool continue_on_timeout) {
    return Action{
        WaitForTriggerAction{std::move(triggers), timeout_ms, continue_on_timeout}, "", true, {}};
}

TEST_F(EngineAction, ServiceCallsEveryTargetWithData) {
    load({testing::service("light.turn_on", {"light.a", "light.b"}, {{"brightness", 128}})});
    go();
    ASSERT_EQ(home.calls.size(), 2U);
    EXPECT_EQ(home.calls[0].entity_id, "light.a");
    EXPECT_EQ(home.calls[1].entity_id, "light.b");
    EXPECT_EQ(home.calls[1].data["brightness"], 128);
    EXPECT_EQ(last_trace().steps.back().detail, "light.a, light.b");
}

TEST_F(EngineAction, AreaTargetReachesOnlyTheServicesDomain) {
    home.set("cover.bedroom_blinds", "open");
    home.set("light.lamp", "on", {{"area_id", "bedroom"}});
    home.set("light.hall", "on", {{"area_id", "hall"}});
    load({testing::area_service("light.turn_off", {"bedroom"})}, Mode::Single,
         {Area{"bedroom", "Bedroom", {"light.a", "cover.bedroom_blinds"}}});
    go();
    EXPECT_EQ(home.call_texts(),
              (std::vector<std::string>{"light.turn_off light.a", "light.turn_off light.lamp"}));
}

TEST_F(EngineAction, DelayThenActionAtTheExactTime) {
    load({testing::service("light.turn_on", {"light.a"}), testing::delay(30 * second_ms),
          testing::service("light.turn_off", {"light.a"})});
    go();
    ASSERT_EQ(home.calls.size(), 1U);
    EXPECT_EQ(engine.next_deadline(), start_ms + 30 * second_ms);
    EXPECT_EQ(engine.automations()[0].running, 1U);
    EXPECT_EQ(last_trace().outcome, RunOutcome::Running);
    clock.advance_ms(30 * second_ms - 1);
    engine.advance();
    EXPECT_EQ(home.calls.size(), 1U);
    clock.advance_ms(1);
    engine.advance();
    ASSERT_EQ(home.calls.size(), 2U);
    EXPECT_EQ(home.call_times_ms[1], start_ms + 30 * second_ms);
    const Trace trace = last_trace();
    EXPECT_EQ(trace.outcome, RunOutcome::Finished);
    EXPECT_EQ(trace.steps[2].kind, "delay");
    EXPECT_EQ(trace.steps[2].end_ms - trace.steps[2].start_ms, 30 * second_ms);
    EXPECT_EQ(trace.end_ms, start_ms + 30 * second_ms);
    EXPECT_EQ(engine.next_deadline(), std::nullopt);
}

TEST_F(EngineAction, ChainedDelaysLandOnTheirDueTimesInOneAdvance) {
    load({testing::delay(10 * second_ms), testing::service("light.turn_on", {"light.a"}),
          testing::delay(10 * second_ms), testing::service("light.turn_on", {"light.b"})});
    go();
    clock.advance_ms(60 * second_ms);
    engine.advance();
    ASSERT_EQ(home.calls.size(), 2U);
    EXPECT_EQ(home.call_times_ms.size(), 2U);
    EXPECT_EQ(last_trace().steps[4].start_ms, start_ms + 20 * second_ms);
}

TEST_F(EngineAction, WaitForTriggerSatisfied) {
    home.set("binary_sensor.door", "open");
    load({wait_for({testing::state_trigger("binary_sensor.door", {"closed"})}, 60 * second_ms,
                   false),
          testing::service("light.turn_off", {"light.a"})});
    go();
    EXPECT_TRUE(home.calls.empty());
    clock.advance_ms(20 * second_ms);
    engine.advance();
    home.set("binary_sensor.door", "closed");
    ASSERT_EQ(home.calls.size(), 1U);
    const Trace trace = last_trace();
    EXPECT_EQ(trace.outcome, RunOutcome::Finished);
    EXPECT_EQ(trace.steps[1].kind, "wait_for_trigger");
    EXPECT_EQ(trace.steps[1].result, "triggered");
    EXPECT_EQ(trace.steps[1].end_ms - trace.steps[1].start_ms, 20 * second_ms);
    EXPECT_EQ(engine.next_deadline(), std::nullopt); // the timeout was cancelled
}

TEST_F(EngineAction, WaitForEventTrigger) {
    load({wait_for({testing::event_trigger("woke_up", {{"source", "watch"}})}, std::nullopt, true),
          testing::service("light.turn_on", {"light.a"})});
    go();
    engine.on_event("woke_up", {{"source", "phone"}}, clock.now_ms());
    EXPECT_TRUE(home.calls.empty());
    engine.on_event("woke_up", {{"source", "watch"}}, clock.now_ms());
    EXPECT_EQ(home.calls.size(), 1U);
}

TEST_F(EngineAction, WaitForTimeTrigger) {
    // 00:00:00 local now; wait until 00:05 (time) or the next 2-minute mark (time pattern).
    TimePatternTrigger every_two_minutes;
    every_two_minutes.hours = {TimePatternField::Kind::Any, 0};
    every_two_minutes.minutes = {TimePatternField::Kind::Every, 2};
    every_two_minutes.seconds = {TimePatternField::Kind::Exact, 0};
    load({wait_for(
              {Trigger{TimeTrigger{{5 * 60}}, "at", {}}, Trigger{every_two_minutes, "pattern", {}}},
              std::nullopt, true),
          testing::service("light.turn_on", {"light.a"})});
    go();
    clock.advance_ms(119 * second_ms);
    engine.advance();
    EXPECT_TRUE(home.calls.empty());
    clock.advance_ms(second_ms);
    engine.advance();
    ASSERT_EQ(home.calls.size(), 1U);
    EXPECT_EQ(engine.next_deadline(), std::nullopt); // the 00:05 timer went with the wait
    EXPECT_EQ(last_trace().steps[1].result, "triggered");
}

TEST_F(EngineAction, WaitForTriggerTimeoutContinues) {
    home.set("binary_sensor.door", "open");
    load(
        {wait_for({testing::state_trigger("binary_sensor.door", {"closed"})}, 60 * second_ms, true),
         testing::service("light.turn_off", {"light.a"})});
    go();
    clock.advance_ms(60 * second_ms);
    engine.advance();
    ASSERT_EQ(home.calls.size(), 1U);
    EXPECT_EQ(home.call_times_ms[0], start_ms + 60 * second_ms);
    const Trace trace = last_trace();
    EXPECT_EQ(trace.steps[1].result, "timeout");
    EXPECT_EQ(trace.outcome, RunOutcome::Finished);
    home.set("binary_sensor.door", "closed"); // no longer waited for
    EXPECT_EQ(home.calls.size(), 1U);
}

TEST_F(EngineAction, WaitForTriggerTimeoutStops) {
    home.set("binary_sensor.door", "open");
    load({wait_for({testing::state_trigger("binary_sensor.door", {"closed"})}, 60 * second_ms,
                   false),
          testing::service("light.turn_off", {"light.a"})});
    go();
    clock.advance_ms(61 * second_ms);
    engine.advance();
    EXPECT_TRUE(home.calls.empty());
    const Trace trace = last_trace();
    EXPECT_EQ(trace.steps[1].result, "timeout");
    EXPECT_EQ(trace.outcome, RunOutcome::Stopped);
    EXPECT_EQ(engine.automations()[0].running, 0U);
}

TEST_F(EngineAction, ChooseFirstPassingOptionElseDefault) {
    home.set("sensor.mode", "night");
    ChooseAction choose;
    choose.options.push_back({{testing::state_condition("sensor.mode", {"day"})},
                              {testing::service("light.turn_on", {"light.a"})}});
    choose.options.push_back({{testing::state_condition("sensor.mode", {"night"})},
                              {testing::service("light.turn_on", {"light.b"})}});
    choose.options.push_back({{testing::state_condition("sensor.mode", {"night"})},
                              {testing::service("light.turn_on", {"light.c"})}});
    choose.default_sequence = {testing::service("light.turn_off", {"light.a"})};
    load({Action{choose, "", true, {}}}, Mode::Parallel);
    go();
    EXPECT_EQ(home.call_texts(), (std::vector<std::string>{"light.turn_on light.b"}));
    Trace trace = last_trace();
    EXPECT_EQ(trace.steps[1].result, "option 1");
    EXPECT_EQ(trace.steps.back().path, "action/0/choose/1/sequence/0");

    home.set("sensor.mode", "away");
    go();
    EXPECT_EQ(home.call_texts().back(), "light.turn_off light.a");
    trace = last_trace();
    EXPECT_EQ(trace.steps.back().path, "action/0/default/0");
}

TEST_F(EngineAction, IfThenElse) {
    home.set("sensor.lux", "5");
    IfAction branch{{testing::numeric_condition("sensor.lux", std::nullopt, 10.0)},
                    {testing::service("light.turn_on", {"light.a"})},
                    {testing::service("light.turn_off", {"light.a"})}};
    load({Action{branch, "", true, {}}}, Mode::Parallel);
    go();
    home.set("sensor.lux", "500");
    go();
    EXPECT_EQ(home.call_texts(),
              (std::vector<std::string>{"light.turn_on light.a", "light.turn_off light.a"}));
    EXPECT_EQ(last_trace().steps.back().path, "action/0/else/0");
}

TEST_F(EngineAction, ConditionStepEndsTheRun) {
    home.set("person.me", "home");
    load({testing::service("light.turn_on", {"light.a"}),
          Action{ConditionAction{testing::state_condition("person.me", {"away"})}, "", true, {}},
          testing::service("light.turn_on", {"light.b"})});
    go();
    EXPECT_EQ(home.call_texts(), (std::vector<std::string>{"light.turn_on light.a"}));
    EXPECT_EQ(last_trace().outcome, RunOutcome::ConditionFailed);
}

TEST_F(EngineAction, NotifyAndFireEvent) {
    load(
        {Action{NotifyAction{"phone", "Good night", "Hearth", {{"priority", "low"}}}, "", true, {}},
         testing::fire_event_action("bedtime", {{"room", "bedroom"}})});
    go();
    ASSERT_EQ(home.notifications.size(), 1U);
    EXPECT_EQ(home.notifications[0].first, "phone");
    EXPECT_EQ(home.notifications[0].second["message"], "Good night");
    EXPECT_EQ(home.notifications[0].second["title"], "Hearth");
    EXPECT_EQ(home.notifications[0].second["data"]["priority"], "low");
    ASSERT_EQ(home.events.size(), 1U);
    EXPECT_EQ(home.events[0].first, "bedtime");
    EXPECT_EQ(home.events[0].second["room"], "bedroom");
}

TEST_F(EngineAction, FiredEventTriggersAnotherAutomation) {
    home.set_event_delivery(FakeHome::EventDelivery::ToEngine);
    HomeConfig config = testing::with_automations(
        {testing::make_automation("first", {testing::state_trigger("sensor.go")},
                                  {testing::fire_event_action("bedtime")}),
         testing::make_automation("second", {testing::event_trigger("bedtime")},
                                  {testing::service("light.turn_off", {"light.a"})})});
    engine.load(std::move(config));
    go();
    EXPECT_EQ(home.call_texts(), (std::vector<std::string>{"light.turn_off light.a"}));
    EXPECT_EQ(engine.traces("second").at(0).outcome, RunOutcome::Finished);
}

TEST_F(EngineAction, EventLoopIsStoppedByTheDepthLimit) {
    home.set_event_delivery(FakeHome::EventDelivery::ToEngine);
    Automation loop =
        testing::make_automation("loop", {testing::event_trigger("ping")},
                                 {testing::fire_event_action("ping")}, Mode::Parallel);
    loop.max_runs = 100;
    engine.load(testing::with_automations({loop}));
    engine.on_event("ping", nlohmann::json::object(), clock.now_ms());
    EXPECT_EQ(home.events.size(), 8U);
    const std::vector<Trace> traces = engine.traces("loop");
    ASSERT_FALSE(traces.empty());
    bool saw_error = false;
    for (const Trace& trace : traces) {
        if (trace.outcome == RunOutcome::Error) {
            saw_error = true;
            EXPECT_NE(trace.steps.back().detail.find("chain"), std::string::npos);
        }
    }
    EXPECT_TRUE(saw_error);
}

TEST_F(EngineAction, DisabledActionIsSkipped) {
    Action off = testing::service("light.turn_off", {"light.a"});
    off.enabled = false;
    load({off, testing::service("light.turn_on", {"light.b"})});
    go();
    EXPECT_EQ(home.call_texts(), (std::vector<std::string>{"light.turn_on light.b"}));
    EXPECT_EQ(last_trace().steps[1].result, "skipped");
}

TEST_F(EngineAction, ServiceErrorStopsTheRun) {
    home.fail_service("light.b", "light.b does not support set_cover_position");
    load({testing::service("light.turn_on", {"light.a", "light.b"}),
          testing::service("light.turn_on", {"light.c"})});
    go();
    EXPECT_EQ(home.call_texts(),
              (std::vector<std::string>{"light.turn_on light.a", "light.turn_on light.b"}));
    const Trace trace = last_trace();
    EXPECT_EQ(trace.outcome, RunOutcome::Error);
    EXPECT_EQ(trace.steps.back().result, "error");
    EXPECT_NE(trace.steps.back().detail.find("does not support"), std::string::npos);
    EXPECT_EQ(engine.automations()[0].running, 0U);
}

TEST_F(EngineAction, UnknownEntityIsAnError) {
    load({testing::service("light.turn_on", {"light.nowhere"})});
    go();
    EXPECT_EQ(last_trace().outcome, RunOutcome::Error);
}

TEST_F(EngineAction, AutomationServices) {
    HomeConfig config = testing::with_automations(
        {testing::make_automation("switcher", {testing::state_trigger("sensor.go")},
                                  {testing::service("automation.turn_off", {"automation.target"}),
                                   testing::service("automation.trigger", {"automation.other"})}),
         testing::make_automation("target", {testing::state_trigger("sensor.go")},
                                  {testing::service("light.turn_on", {"light.a"})}),
         testing::make_automation("other", {testing::event_trigger("never")},
                                  {testing::service("light.turn_on", {"light.b"})})});
    engine.load(std::move(config));
    go();
    // "switcher" turned "target" off before the same change reached it, and ran "other".
    EXPECT_EQ(home.call_texts(), (std::vector<std::string>{"light.turn_on light.b"}));
    EXPECT_FALSE(engine.automations()[1].enabled);
    EXPECT_EQ(engine.traces("other").at(0).trigger_id, "manual");
}

TEST_F(EngineAction, ManualTriggerWithAndWithoutConditions) {
    home.set("person.me", "home");
    engine.load(testing::with_automations({testing::make_automation(
        "a", {testing::event_trigger("never")}, {testing::service("light.turn_on", {"light.a"})},
        Mode::Parallel, {testing::state_condition("person.me", {"away"})})}));
    ASSERT_TRUE(engine.trigger("a", false));
    EXPECT_TRUE(home.calls.empty());
    ASSERT_TRUE(engine.trigger("automation.a", true));
    EXPECT_EQ(home.calls.size(), 1U);
    EXPECT_FALSE(engine.trigger("missing", true));
}

TEST_F(EngineAction, TraceJsonHasStepsAndOutcome) {
    load({testing::service("light.turn_on", {"light.a"})});
    go();
    const nlohmann::json json = to_json(last_trace());
    EXPECT_EQ(json["automation_id"], "a");
    EXPECT_EQ(json["outcome"], "finished");
    ASSERT_EQ(json["steps"].size(), 2U);
    EXPECT_EQ(json["steps"][1]["kind"], "light.turn_on");
    EXPECT_EQ(json["steps"][1]["result"], "done");
    EXPECT_EQ(json["trigger_data"]["entity_id"], "sensor.go");
}

TEST_F(EngineAction, TracesKeepTheNewestRuns) {
    AutomationEngine small(home, clock, EngineOptions{0, 3});
    home.attach(&small);
    small.load(testing::with_automations(
        {testing::make_automation("a", {testing::state_trigger("sensor.go")},
                                  {testing::service("light.turn_on", {"light.a"})})}));
    for (int i = 0; i < 5; ++i) {
        clock.advance_ms(1000);
        go();
    }
    const std::vector<Trace> traces = small.traces("a");
    ASSERT_EQ(traces.size(), 3U);
    EXPECT_GT(traces[0].start_ms, traces[1].start_ms);
    EXPECT_EQ(traces[0].start_ms, clock.now_ms());
}

} // namespace
} // namespace hearth::hub::automation
