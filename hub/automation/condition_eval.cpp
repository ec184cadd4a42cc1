#include "automation/condition_eval.h"

#include <algorithm>
#include <cstdio>

#include "automation/trigger_match.h"

namespace hearth::hub::automation {

namespace {

std::string clock_text(int seconds_of_day) {
    char text[16];
    std::snprintf(text, sizeof text, "%02d:%02d:%02d", seconds_of_day / 3600,
                  (seconds_of_day / 60) % 60, seconds_of_day % 60);
    return text;
}

struct Outcome {
    bool passed = false;
    std::string kind;
    std::string detail;
};

Outcome check_state(const StateCondition& c, ConditionContext& context) {
    Outcome out{true, "state", {}};
    for (const std::string& entity_id : c.entity_ids) {
        const std::optional<EntityState> current = context.home.state(entity_id);
        const EntityState* state = current ? &*current : nullptr;
        const std::optional<std::string> value = entity_value(state, c.attribute);
        out.detail += (out.detail.empty() ? "" : ", ") + entity_id + " is " +
                      (value ? "'" + *value + "'" : std::string("absent"));
        bool ok = value && (c.state.empty() ||
                            std::find(c.state.begin(), c.state.end(), *value) != c.state.end());
        if (ok && c.for_ms && state != nullptr) {
            // The state's age counts from its last change; an attribute's from the last update
            // (the hub does not track per-attribute times), which is conservative.
            const TimestampMs since = c.attribute ? state->last_updated_ms : state->last_changed_ms;
            const TimestampMs age_ms = context.now_ms - since;
            out.detail += " for " + std::to_string(age_ms / 1000) + " s";
            ok = age_ms >= *c.for_ms;
        }
        out.passed = out.passed && ok;
    }
    return out;
}

Outcome check_numeric(const NumericStateCondition& c, ConditionContext& context) {
    Outcome out{true, "numeric_state", {}};
    for (const std::string& entity_id : c.entity_ids) {
        const std::optional<EntityState> current = context.home.state(entity_id);
        const std::optional<double> value =
            numeric_value(current ? &*current : nullptr, c.attribute);
        out.detail +=
            (out.detail.empty() ? "" : ", ") + entity_id + " is " +
            (value ? value_text(nlohmann::json(*value)).value_or("") : std::string("not numeric"));
        out.passed = out.passed && in_range(value, c.above, c.below);
    }
    return out;
}

Outcome check_time(const TimeCondition& c, ConditionContext& context) {
    const LocalTime now = context.local.at(context.now_ms);
    Outcome out{true, "time", "local " + clock_text(now.seconds_of_day)};
    const int sod = now.seconds_of_day;
    if (c.after_seconds_of_day && c.before_seconds_of_day) {
        const int after = *c.after_seconds_of_day;
        const int before = *c.before_seconds_of_day;
        out.passed = after <= before ? (sod >= after && sod < before)
                                     : (sod >= after || sod < before); // wraps midnight
    } else if (c.after_seconds_of_day) {
        out.passed = sod >= *c.after_seconds_of_day;
    } else if (c.before_seconds_of_day) {
        out.passed = sod < *c.before_seconds_of_day;
    }
    if ((c.weekdays & (1U << static_cast<unsigned>(now.weekday))) == 0) {
        out.passed = false;
        out.detail += ", weekday " + std::to_string(now.weekday + 1) + " not allowed";
    }
    return out;
}

} // namespace

bool evaluate_condition(const Condition& condition, const std::string& path,
                        ConditionContext& context) {
    const std::size_t step_index = context.steps.size();
    context.steps.push_back({path, "", "", "", context.now_ms, context.now_ms});
    Outcome outcome;
    if (const auto* state = std::get_if<StateCondition>(&condition.kind)) {
        outcome = check_state(*state, context);
    } else if (const auto* numeric = std::get_if<NumericStateCondition>(&condition.kind)) {
        outcome = check_numeric(*numeric, context);
    } else if (const auto* time = std::get_if<TimeCondition>(&condition.kind)) {
        outcome = check_time(*time, context);
    } else if (const auto* all = std::get_if<AndCondition>(&condition.kind)) {
        outcome = {evaluate_conditions(all->conditions, path + "/conditions", context), "and", ""};
    } else if (const auto* any = std::get_if<OrCondition>(&condition.kind)) {
        outcome = {false, "or", ""};
        for (std::size_t i = 0; i < any->conditions.size() && !outcome.passed; ++i) {
            outcome.passed = evaluate_condition(any->conditions[i],
                                                path + "/conditions/" + std::to_string(i), context);
        }
    } else if (const auto* none = std::get_if<NotCondition>(&condition.kind)) {
        outcome = {true, "not", ""};
        for (std::size_t i = 0; i < none->conditions.size() && outcome.passed; ++i) {
            outcome.passed = !evaluate_condition(
                none->conditions[i], path + "/conditions/" + std::to_string(i), context);
        }
    } else if (const auto* by_trigger = std::get_if<TriggerCondition>(&condition.kind)) {
        const auto& ids = by_trigger->ids;
        outcome = {std::find(ids.begin(), ids.end(), context.trigger_id) != ids.end(), "trigger",
                   "trigger id '" + context.trigger_id + "'"};
    }
    TraceStep& step = context.steps[step_index];
    step.kind = outcome.kind;
    step.result = outcome.passed ? "passed" : "failed";
    step.detail = outcome.detail;
    return outcome.passed;
}

bool evaluate_conditions(const std::vector<Condition>& conditions, const std::string& path_prefix,
                         ConditionContext& context) {
    for (std::size_t i = 0; i < conditions.size(); ++i) {
        if (!evaluate_condition(conditions[i], path_prefix + "/" + std::to_string(i), context)) {
            return false;
        }
    }
    return true;
}

} // namespace hearth::hub::automation
