#include "automation/trace.h"

namespace hearth::hub::automation {

const char* to_string(RunOutcome outcome) {
    switch (outcome) {
    case RunOutcome::Running:
        return "running";
    case RunOutcome::Finished:
        return "finished";
    case RunOutcome::ConditionFailed:
        return "condition_failed";
    case RunOutcome::Error:
        return "error";
    case RunOutcome::Stopped:
        return "stopped";
    case RunOutcome::SkippedAlreadyRunning:
        return "skipped_already_running";
    }
    return "unknown";
}

nlohmann::json to_json(const Trace& trace) {
    nlohmann::json steps = nlohmann::json::array();
    for (const TraceStep& step : trace.steps) {
        steps.push_back({{"path", step.path},
                         {"kind", step.kind},
                         {"result", step.result},
                         {"detail", step.detail},
                         {"start_ms", step.start_ms},
                         {"end_ms", step.end_ms},
                         {"duration_ms", step.end_ms - step.start_ms}});
    }
    nlohmann::json out = {{"run_id", trace.run_id},
                          {"automation_id", trace.automation_id},
                          {"trigger_id", trace.trigger_id},
                          {"trigger", trace.trigger_description},
                          {"trigger_data", trace.trigger_data},
                          {"start_ms", trace.start_ms},
                          {"outcome", to_string(trace.outcome)},
                          {"steps", std::move(steps)}};
    if (trace.end_ms) {
        out["end_ms"] = *trace.end_ms;
        out["duration_ms"] = *trace.end_ms - trace.start_ms;
    } else {
        out["end_ms"] = nullptr;
    }
    return out;
}

} // namespace hearth::hub::automation
