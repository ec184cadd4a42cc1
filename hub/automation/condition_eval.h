#pragma once

// Evaluates conditions against the home's current states and the local time, recording every
// evaluated condition as a trace step (passed/failed) so a trace shows why a run went on or not.

#include <string>
#include <vector>

#include "automation/engine_time.h"
#include "automation/home.h"
#include "automation/model.h"
#include "automation/trace.h"

namespace hearth::hub::automation {

struct ConditionContext {
    const Home& home;
    TimestampMs now_ms = 0;
    const LocalClock& local;
    const std::string& trigger_id; // of the run, for `condition: trigger`
    std::vector<TraceStep>& steps; // evaluated conditions are appended here
};

// One condition; `path` names it in the trace ("condition/0", "action/2/if/1").
bool evaluate_condition(const Condition& condition, const std::string& path,
                        ConditionContext& context);

// All must pass; stops at the first failure (as Home Assistant does). Paths are
// `path_prefix` + "/" + index.
bool evaluate_conditions(const std::vector<Condition>& conditions, const std::string& path_prefix,
                         ConditionContext& context);

} // namespace hearth::hub::automation
