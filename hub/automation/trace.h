#pragma once

// What one automation run did: what triggered it, which conditions passed, what each action did
// and how long it took. Kept in memory (the most recent runs per automation) and served by the
// API (/api/traces).

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"

namespace hearth::hub::automation {

struct TraceStep {
    std::string path;   // "trigger/0", "condition/1", "action/2", "action/3/then/0"
    std::string kind;   // "state", "time", "light.turn_off", "delay", "wait_for_trigger"...
    std::string result; // "passed", "failed", "done", "error", "timeout", "stopped"...
    std::string detail; // e.g. the error text, or which entities a service reached
    TimestampMs start_ms = 0;
    TimestampMs end_ms = 0;
};

enum class RunOutcome {
    Running,               // still in progress (waiting in a delay or wait_for_trigger)
    Finished,              // every action ran
    ConditionFailed,       // a condition stopped it before (or during) the actions
    Error,                 // an action failed; the run stopped there
    Stopped,               // mode restart, a reload, or the automation turned off
    SkippedAlreadyRunning, // mode single, or queued/parallel at max
};

struct Trace {
    std::uint64_t run_id = 0;
    std::string automation_id;
    std::string trigger_id;
    std::string trigger_description; // "state of sensor.watch_sleep_stage from wake to light"
    nlohmann::json trigger_data = nlohmann::json::object(); // entity, from/to states, event data
    TimestampMs start_ms = 0;
    std::optional<TimestampMs> end_ms;
    RunOutcome outcome = RunOutcome::Running;
    std::vector<TraceStep> steps;
};

const char* to_string(RunOutcome outcome);
nlohmann::json to_json(const Trace& trace);

} // namespace hearth::hub::automation
