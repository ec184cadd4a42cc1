// Modes (single, restart, queued, parallel), interleaved runs, reload and turning off.

#include <gtest/gtest.h>

#include "automation/engine.h"
#include "testing/fake_home.h"

namespace hearth::hub::automation {
namespace {

using testing::FakeHome;

constexpr TimestampMs start_ms = 1'704'067'200'000;
constexpr DurationMs second_ms = 1000;

class EngineMode : public ::testing::Test {
protected:
    EngineMode() : home(clock), engine(home, clock, EngineOptions{0, 20}) {
        home.attach(&engine);
        home.set("light.a", "off");
        home.set("light.b", "off");
        home.set("sensor.go", "0");
    }
    // on: light.a, wait 10 s, then light.b.
    void load(Mode mode, int max_runs = 10) {
        Automation automation = testing::make_automation(
            "a", {testing::state_trigger("sensor.go")},
            {testing::service("light.turn_on", {"light.a"}), testing::delay(10 * second_ms),
             testing::service("light.turn_on", {"light.b"})},
            mode);
        automation.max_runs = max_runs;
        engine.load(testing::with_automations({automation}));
    }
    void go() { home.set("sensor.go", std::to_string(++m_count)); }
    void wait_ms(DurationMs ms) {
        clock.advance_ms(ms);
        engine.advance();
    }
    std::size_t count(const std::string& text) const {
        const auto texts = home.call_texts();
        return static_cast<std::size_t>(std::count(texts.begin(), texts.end(), text));
    }
    std::size_t outcomes(RunOutcome outcome) const {
        std::size_t n = 0;
        for (const Trace& trace : engine.traces("a")) {
            n += trace.outcome == outcome ? 1 : 0;
        }
        return n;
    }

    ManualClock clock{start_ms};
    FakeHome home;
    AutomationEngine engine;

private:
    int m_count = 0;
};

TEST_F(EngineMode, SingleSkipsWhileRunningAndFoldsTheSkips) {
    load(Mode::Single);
    go();
    wait_ms(2 * second_ms);
    go();
    go();
    go();
    EXPECT_EQ(count("light.turn_on light.a"), 1U);
    EXPECT_EQ(engine.automations()[0].skipped, 3U);
    std::vector<Trace> traces = engine.traces("a");
    ASSERT_EQ(traces.size(), 2U); // one running, one folded trace for the three skips
    EXPECT_EQ(traces[0].outcome, RunOutcome::SkippedAlreadyRunning);
    EXPECT_EQ(traces[0].steps.size(), 2U);
    EXPECT_NE(traces[0].steps[1].detail.find("3 times"), std::string::npos);
    wait_ms(8 * second_ms);
    EXPECT_EQ(count("light.turn_on light.b"), 1U);
    go();
    EXPECT_EQ(count("light.turn_on light.a"), 2U);
}

TEST_F(EngineMode, RestartStopsTheRunningOne) {
    load(Mode::Restart);
    go();
    wait_ms(5 * second_ms);
    go();
    wait_ms(5 * second_ms);
    EXPECT_EQ(count("light.turn_on light.b"), 0U); // the first run never got there
    wait_ms(5 * second_ms);
    EXPECT_EQ(count("light.turn_on light.b"), 1U);
    EXPECT_EQ(home.call_times_ms.back(), start_ms + 15 * second_ms);
    const std::vector<Trace> traces = engine.traces("a");
    ASSERT_EQ(traces.size(), 2U);
    EXPECT_EQ(traces[0].outcome, RunOutcome::Finished);
    EXPECT_EQ(traces[1].outcome, RunOutcome::Stopped);
    EXPECT_EQ(traces[1].steps.back().result, "stopped");
}

TEST_F(EngineMode, QueuedRunsOneAfterAnotherUpToMax) {
    load(Mode::Queued, 3);
    go();
    go();
    go();
    go(); // running 1 + queued 2 = max 3: skipped
    EXPECT_EQ(engine.automations()[0].queued, 2U);
    EXPECT_EQ(outcomes(RunOutcome::SkippedAlreadyRunning), 1U);
    EXPECT_EQ(count("light.turn_on light.a"), 1U);
    wait_ms(10 * second_ms);
    EXPECT_EQ(count("light.turn_on light.b"), 1U);
    EXPECT_EQ(count("light.turn_on light.a"), 2U); // the next one started right away
    wait_ms(10 * second_ms);
    wait_ms(10 * second_ms);
    EXPECT_EQ(count("light.turn_on light.b"), 3U);
    EXPECT_EQ(outcomes(RunOutcome::Finished), 3U);
    EXPECT_EQ(home.call_times_ms.back(), start_ms + 30 * second_ms);
}

TEST_F(EngineMode, ParallelInterleavesUpToMax) {
    load(Mode::Parallel, 2);
    go();
    wait_ms(3 * second_ms);
    go();
    go(); // max 2 running
    EXPECT_EQ(count("light.turn_on light.a"), 2U);
    EXPECT_EQ(engine.automations()[0].running, 2U);
    wait_ms(7 * second_ms);
    EXPECT_EQ(count("light.turn_on light.b"), 1U);
    EXPECT_EQ(home.call_times_ms.back(), start_ms + 10 * second_ms);
    wait_ms(3 * second_ms);
    EXPECT_EQ(count("light.turn_on light.b"), 2U);
    EXPECT_EQ(home.call_times_ms.back(), start_ms + 13 * second_ms);
    EXPECT_EQ(outcomes(RunOutcome::Finished), 2U);
    EXPECT_EQ(outcomes(RunOutcome::SkippedAlreadyRunning), 1U);
}

TEST_F(EngineMode, RunsOfManyAutomationsInterleaveInTimeOrder) {
    std::vector<Automation> automations;
    for (int i = 0; i < 3; ++i) {
        const std::string light = "light.l" + std::to_string(i);
        home.set(light, "off");
        automations.push_back(testing::make_automation(
            "a" + std::to_string(i), {testing::state_trigger("sensor.go")},
            {testing::delay((3 - i) * second_ms), testing::service("light.turn_on", {light}),
             testing::delay(5 * second_ms), testing::service("light.turn_off", {light})}));
    }
    engine.load(testing::with_automations(std::move(automations)));
    go();
    for (int i = 0; i < 60; ++i) {
        wait_ms(second_ms);
    }
    EXPECT_EQ(home.call_texts(),
              (std::vector<std::string>{"light.turn_on light.l2", "light.turn_on light.l1",
                                        "light.turn_on light.l0", "light.turn_off light.l2",
                                        "light.turn_off light.l1", "light.turn_off light.l0"}));
    EXPECT_EQ(home.call_times_ms[3], start_ms + 6 * second_ms);
}

TEST_F(EngineMode, ReloadStopsRunsAndDropsForTimers) {
    load(Mode::Single);
    home.set("sensor.motion", "on");
    Automation waiting = testing::make_automation(
        "held", {testing::state_trigger("sensor.motion", {"off"}, {}, 60 * second_ms)},
        {testing::service("light.turn_off", {"light.a"})});
    Automation runner = testing::make_automation(
        "a", {testing::state_trigger("sensor.go")},
        {testing::delay(10 * second_ms), testing::service("light.turn_on", {"light.b"})});
    engine.load(testing::with_automations({waiting, runner}));
    home.set("sensor.motion", "off");
    go();
    engine.load(testing::with_automations({waiting, runner}));
    EXPECT_EQ(engine.next_deadline(), std::nullopt);
    wait_ms(120 * second_ms);
    EXPECT_TRUE(home.calls.empty());
    const std::vector<Trace> traces = engine.traces("a");
    ASSERT_EQ(traces.size(), 1U);
    EXPECT_EQ(traces[0].outcome, RunOutcome::Stopped);
    EXPECT_EQ(traces[0].steps.back().detail, "configuration reloaded");
}

TEST_F(EngineMode, TurningOffStopsRunsAndSurvivesReload) {
    load(Mode::Single);
    go();
    ASSERT_TRUE(engine.set_enabled("a", false));
    wait_ms(20 * second_ms);
    EXPECT_EQ(count("light.turn_on light.b"), 0U);
    EXPECT_EQ(outcomes(RunOutcome::Stopped), 1U);
    load(Mode::Single);
    EXPECT_FALSE(engine.automations()[0].enabled);
    go();
    EXPECT_EQ(count("light.turn_on light.a"), 1U);
}

TEST_F(EngineMode, RestartTriggeredByItsOwnServiceCall) {
    // light.a turning on re-triggers the automation synchronously (ChangeState): the running
    // run is stopped from inside its own service call and must not be touched afterwards.
    home.set_service_effect(FakeHome::ServiceEffect::ChangeState);
    engine.load(testing::with_automations({testing::make_automation(
        "a", {testing::state_trigger("light.a"), testing::state_trigger("sensor.go")},
        {testing::service("light.toggle", {"light.a"}), testing::delay(10 * second_ms)},
        Mode::Restart)}));
    go();
    wait_ms(20 * second_ms);
    // Each toggle re-triggers; the chain depth limit ends it.
    EXPECT_LE(home.calls.size(), 10U);
    EXPECT_GE(outcomes(RunOutcome::Stopped), 1U);
    EXPECT_EQ(engine.automations()[0].running, 0U);
}

} // namespace
} // namespace hearth::hub::automation
