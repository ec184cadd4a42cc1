#include "automation/engine.h"

// How runs work: a run is a stack of action-list cursors (Frame), stepped by step_run() until the
// list is done or an action must wait. Waiting (delay, wait_for_trigger timeout, `for:`, time
// triggers) is an entry in one ordered timer map; advance() pops due timers in time order and
// resumes their runs with the timer's due time as "now", so chained delays land exactly. Nothing
// blocks and there are no threads. Because actions call out to Home (which may feed state
// changes and events straight back in), every entry point is re-entrant: finished runs are only
// freed when the outermost call returns, and a chain depth stops automation loops.

#include <algorithm>
#include <deque>
#include <exception>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "automation/condition_eval.h"
#include "automation/engine_time.h"
#include "automation/scene_apply.h"
#include "automation/trigger_match.h"

namespace hearth::hub::automation {

namespace {

// Runs started by runs (events fired, services whose state changes trigger, automation.trigger)
// carry a depth; deeper than this is taken for a loop and stopped with a trace error.
constexpr int max_chain_depth = 8;
// Re-entrant calls (Home feeding changes back synchronously) nested deeper than this are
// dropped and counted, so a synchronous loop cannot overflow the stack.
constexpr int max_entry_depth = 64;
// Events fired by runs whose return through the hub's bus is awaited (per event type).
constexpr std::size_t max_pending_event_depths = 1024;
// Owners of `for:` timers: automations by index, wait_for_trigger steps by run id with this bit.
constexpr std::uint64_t wait_owner_bit = std::uint64_t{1} << 62;

using TimerKey = std::pair<TimestampMs, std::uint64_t>; // due time, sequence (ties in order)

enum class TimerKind { ForTrigger, Resume, WaitTimeout, TimeTrigger, WaitTime };

struct Timer {
    TimerKind kind = TimerKind::Resume;
    std::uint64_t owner = 0; // ForTrigger
    std::size_t automation = 0;
    std::size_t trigger_index = 0;
    std::string entity_id; // ForTrigger
    std::uint64_t run_id = 0;
    int seconds_of_day = -1; // TimeTrigger: -1 for a time pattern
};

struct ForKey {
    std::uint64_t owner = 0;
    std::size_t trigger_index = 0;
    std::string entity_id;
    friend bool operator<(const ForKey& a, const ForKey& b) {
        return std::tie(a.owner, a.trigger_index, a.entity_id) <
               std::tie(b.owner, b.trigger_index, b.entity_id);
    }
};

struct PendingFor {
    TimerKey timer;
    ForHold hold;
    nlohmann::json data;
};

struct Frame {
    const std::vector<Action>* actions = nullptr;
    std::size_t next = 0;
    std::string path;
};

struct Run {
    std::uint64_t id = 0;
    std::size_t automation = 0;
    std::shared_ptr<Trace> trace;
    std::vector<Frame> frames;
    int depth = 0;
    bool done = false;
    bool waiting = false;
    std::optional<TimerKey> timer;              // delay end or wait timeout
    const WaitForTriggerAction* wait = nullptr; // while in wait_for_trigger
    std::optional<std::size_t> open_step;       // the step being waited on
    std::vector<TimerKey> wait_time_timers;     // time/time_pattern triggers of the wait
};

struct Queued {
    std::shared_ptr<Trace> trace;
    int depth = 0;
};

struct AutomationState {
    Automation def;
    bool enabled = true;
    std::vector<std::uint64_t> runs;
    std::deque<Queued> queue;
    std::optional<TimestampMs> last_triggered_ms;
    std::size_t skipped = 0;
};

std::string action_kind(const Action& action) {
    struct Kind {
        std::string operator()(const ServiceAction& a) const { return a.domain + "." + a.service; }
        std::string operator()(const DelayAction& /*a*/) const { return "delay"; }
        std::string operator()(const WaitForTriggerAction& /*a*/) const {
            return "wait_for_trigger";
        }
        std::string operator()(const ChooseAction& /*a*/) const { return "choose"; }
        std::string operator()(const IfAction& /*a*/) const { return "if"; }
        std::string operator()(const ConditionAction& /*a*/) const { return "condition"; }
        std::string operator()(const NotifyAction& a) const { return "notify." + a.service; }
        std::string operator()(const FireEventAction& a) const { return "event " + a.event_type; }
    };
    return std::visit(Kind{}, action.kind);
}

std::string trigger_kind(const Trigger& trigger) {
    static constexpr const char* names[] = {"state",        "numeric_state", "time",
                                            "time_pattern", "event",         "sun"};
    return names[trigger.kind.index()];
}

const std::vector<std::string>* trigger_entities(const Trigger& trigger) {
    if (const auto* state = std::get_if<StateTrigger>(&trigger.kind)) {
        return &state->entity_ids;
    }
    if (const auto* numeric = std::get_if<NumericStateTrigger>(&trigger.kind)) {
        return &numeric->entity_ids;
    }
    return nullptr;
}

// Adds the entities of the state triggers of every wait_for_trigger in `actions`, nested ones
// included.
void add_waited_entities(const std::vector<Action>& actions, std::set<std::string>& out) {
    for (const Action& action : actions) {
        if (const auto* wait = std::get_if<WaitForTriggerAction>(&action.kind)) {
            for (const Trigger& trigger : wait->triggers) {
                if (const std::vector<std::string>* entities = trigger_entities(trigger)) {
                    out.insert(entities->begin(), entities->end());
                }
            }
        } else if (const auto* choose = std::get_if<ChooseAction>(&action.kind)) {
            for (const ChooseOption& option : choose->options) {
                add_waited_entities(option.sequence, out);
            }
            add_waited_entities(choose->default_sequence, out);
        } else if (const auto* branch = std::get_if<IfAction>(&action.kind)) {
            add_waited_entities(branch->then_sequence, out);
            add_waited_entities(branch->else_sequence, out);
        }
    }
}

std::string join(const std::vector<std::string>& values) {
    std::string out;
    for (const std::string& value : values) {
        out += out.empty() ? value : ", " + value;
    }
    return out;
}

std::string strip_prefix(const std::string& id, const std::string& domain) {
    const std::string prefix = domain + ".";
    return id.rfind(prefix, 0) == 0 ? id.substr(prefix.size()) : id;
}

} // namespace

struct AutomationEngine::Impl {
    Impl(Home& home_in, const Clock& clock_in, EngineOptions options_in)
        : home(home_in), clock(clock_in), options(options_in), local(options_in.utc_offset_s) {}

    Home& home;
    const Clock& clock;
    EngineOptions options;
    LocalClock local;

    std::vector<std::unique_ptr<AutomationState>> automations;
    std::unordered_map<std::string, std::size_t> automation_by_id;
    std::vector<Scene> config_scenes;
    std::map<std::string, Scene> captured_scenes;
    std::vector<Area> areas;
    std::vector<ConfigProblem> problems;
    std::map<std::string, bool> enabled_overrides; // set_enabled survives reloads

    // Trigger indexes: one state change or event touches only the automations watching it.
    std::unordered_map<std::string, std::vector<std::pair<std::size_t, std::size_t>>> state_index;
    std::unordered_map<std::string, std::vector<std::pair<std::size_t, std::size_t>>> event_index;

    std::map<TimerKey, Timer> timers;
    std::uint64_t timer_sequence = 0;
    std::map<ForKey, PendingFor> pending_for;

    std::map<std::uint64_t, std::unique_ptr<Run>> runs;
    std::vector<std::unique_ptr<Run>> finished; // freed when the outermost call returns
    std::vector<std::uint64_t> waiting;         // runs in wait_for_trigger
    std::uint64_t next_run_id = 1;

    std::map<std::string, std::deque<std::shared_ptr<Trace>>> history; // newest first

    std::optional<TimestampMs> virtual_now; // a timer's due time while it is handled
    int entry_depth = 0;
    int executing = 0;                 // step_run nesting
    int active_depth = 0;              // chain depth of the run executing
    std::optional<int> incoming_depth; // of the event being dispatched, if fired by a run
    std::map<std::string, std::deque<int>> fired_event_depths;
    std::uint64_t dropped_reentries = 0;

    struct EntryGuard {
        explicit EntryGuard(Impl& impl_in) : impl(impl_in) { ++impl.entry_depth; }
        ~EntryGuard() {
            if (--impl.entry_depth == 0) {
                impl.finished.clear();
            }
        }
        EntryGuard(const EntryGuard&) = delete;
        EntryGuard& operator=(const EntryGuard&) = delete;
        Impl& impl;
    };

    [[nodiscard]] TimestampMs now() const { return virtual_now.value_or(clock.now_ms()); }

    // ---- timers ---------------------------------------------------------------------------

    TimerKey schedule(TimestampMs due_ms, Timer timer) {
        const TimerKey key{due_ms, timer_sequence++};
        timers.emplace(key, std::move(timer));
        return key;
    }

    void schedule_time_trigger(std::size_t a, std::size_t t, int seconds_of_day,
                               TimestampMs after_ms) {
        const Trigger& trigger = automations[a]->def.triggers[t];
        std::optional<TimestampMs> due;
        if (seconds_of_day >= 0) {
            due = next_time_of_day(local, after_ms, seconds_of_day);
        } else if (const auto* pattern = std::get_if<TimePatternTrigger>(&trigger.kind)) {
            due = next_time_pattern(local, after_ms, *pattern);
        }
        if (due) {
            Timer timer;
            timer.kind = TimerKind::TimeTrigger;
            timer.automation = a;
            timer.trigger_index = t;
            timer.seconds_of_day = seconds_of_day;
            schedule(*due, std::move(timer));
        }
    }

    void cancel_for_owner(std::uint64_t owner) {
        auto it = pending_for.lower_bound(ForKey{owner, 0, {}});
        while (it != pending_for.end() && it->first.owner == owner) {
            timers.erase(it->second.timer);
            it = pending_for.erase(it);
        }
    }

    // ---- traces ---------------------------------------------------------------------------

    void store_trace(const std::shared_ptr<Trace>& trace) {
        auto& list = history[trace->automation_id];
        list.push_front(trace);
        while (list.size() > std::max<std::size_t>(options.traces_per_automation, 1)) {
            list.pop_back();
        }
    }

    void end_trace(Trace& trace, RunOutcome outcome) {
        trace.outcome = outcome;
        trace.end_ms = now();
    }

    // ---- triggers -------------------------------------------------------------------------

    // A state change seen by one state/numeric trigger of `owner`: keeps or drops a pending
    // `for:`, and returns the trigger data when it fires now.
    std::optional<nlohmann::json> check_state_change(std::uint64_t owner, std::size_t t,
                                                     const Trigger& trigger,
                                                     const StateChangedEvent& event) {
        const auto* state_trigger = std::get_if<StateTrigger>(&trigger.kind);
        const auto* numeric_trigger = std::get_if<NumericStateTrigger>(&trigger.kind);
        const std::optional<std::string>& attribute =
            state_trigger ? state_trigger->attribute : numeric_trigger->attribute;
        const std::optional<double> above =
            numeric_trigger ? numeric_trigger->above : std::optional<double>{};
        const std::optional<double> below =
            numeric_trigger ? numeric_trigger->below : std::optional<double>{};

        const ForKey key{owner, t, event.entity_id};
        auto pending = pending_for.find(key);
        if (pending != pending_for.end()) {
            const EntityState* current = event.new_state ? &*event.new_state : nullptr;
            if (!for_hold_satisfied(pending->second.hold, attribute, above, below, current)) {
                timers.erase(pending->second.timer);
                pending_for.erase(pending);
            }
        }

        const bool matched = state_trigger ? state_trigger_matches(*state_trigger, event)
                                           : numeric_trigger_matches(*numeric_trigger, event);
        if (!matched) {
            return std::nullopt;
        }
        nlohmann::json data = state_trigger_data(trigger, event);
        const std::optional<DurationMs> for_ms =
            state_trigger ? state_trigger->for_ms : numeric_trigger->for_ms;
        if (!for_ms || *for_ms <= 0) {
            return data;
        }
        pending = pending_for.find(key);
        if (pending != pending_for.end()) {
            timers.erase(pending->second.timer);
            pending_for.erase(pending);
        }
        data["for_ms"] = *for_ms;
        ForHold hold = state_trigger ? state_trigger_hold(*state_trigger, event)
                                     : ForHold{ForHold::Kind::InRange, std::nullopt};
        Timer timer;
        timer.kind = TimerKind::ForTrigger;
        timer.owner = owner;
        timer.trigger_index = t;
        timer.entity_id = event.entity_id;
        const TimestampMs start_ms = event.time_ms != 0 ? event.time_ms : now();
        const TimerKey timer_key = schedule(start_ms + *for_ms, std::move(timer));
        pending_for.emplace(key, PendingFor{timer_key, std::move(hold), std::move(data)});
        return std::nullopt;
    }

    int depth_for_new_run() const {
        if (incoming_depth) {
            return *incoming_depth;
        }
        return executing > 0 ? active_depth + 1 : 0;
    }

    // A trigger of automation `a` fired (t: its index; nullopt for a manual trigger).
    void fire(std::size_t a, std::optional<std::size_t> t, nlohmann::json data,
              bool skip_conditions = false) {
        AutomationState& state = *automations[a];
        if (!state.enabled && t) {
            return;
        }
        const TimestampMs start_ms = now();
        auto trace = std::make_shared<Trace>();
        trace->run_id = next_run_id++;
        trace->automation_id = state.def.id;
        trace->start_ms = start_ms;
        if (t) {
            const Trigger& trigger = state.def.triggers[*t];
            trace->trigger_id = trigger.id;
            trace->trigger_description = describe_trigger(trigger);
            trace->steps.push_back({"trigger/" + std::to_string(*t), trigger_kind(trigger), "fired",
                                    trace->trigger_description, start_ms, start_ms});
        } else {
            trace->trigger_id = "manual";
            trace->trigger_description = "manual trigger";
            trace->steps.push_back({"trigger", "manual", "fired", "", start_ms, start_ms});
        }
        trace->trigger_data = std::move(data);

        const int depth = depth_for_new_run();
        if (depth > max_chain_depth) {
            trace->steps.push_back({"trigger", "chain", "error",
                                    "started by a chain of more than " +
                                        std::to_string(max_chain_depth) +
                                        " automation runs (a loop?)",
                                    start_ms, start_ms});
            end_trace(*trace, RunOutcome::Error);
            store_trace(trace);
            return;
        }
        if (!skip_conditions) {
            ConditionContext context{home, start_ms, local, trace->trigger_id, trace->steps};
            if (!evaluate_conditions(state.def.conditions, "condition", context)) {
                end_trace(*trace, RunOutcome::ConditionFailed);
                store_trace(trace);
                return;
            }
        }

        const auto limit = static_cast<std::size_t>(std::max(state.def.max_runs, 1));
        switch (state.def.mode) {
        case Mode::Single:
            if (!state.runs.empty()) {
                skip(state, trace, "already running (mode single)");
                return;
            }
            break;
        case Mode::Restart:
            stop_all(state, "restarted by a new trigger (mode restart)");
            break;
        case Mode::Queued:
            if (!state.runs.empty()) {
                if (state.runs.size() + state.queue.size() >= limit) {
                    skip(state, trace,
                         "queue full (mode queued, max " + std::to_string(limit) + ")");
                    return;
                }
                trace->steps.push_back({"mode", "queued", "queued", "waiting for the current run",
                                        start_ms, start_ms});
                state.last_triggered_ms = start_ms;
                store_trace(trace);
                state.queue.push_back({trace, depth});
                return;
            }
            break;
        case Mode::Parallel:
            if (state.runs.size() >= limit) {
                skip(state, trace,
                     "max runs reached (mode parallel, max " + std::to_string(limit) + ")");
                return;
            }
            break;
        }
        state.last_triggered_ms = start_ms;
        store_trace(trace);
        start_run(a, trace, depth);
    }

    // Skipped runs are kept short (the trigger and the reason only) and consecutive ones are
    // folded into one trace, so a chatty trigger cannot push the real runs out of the history.
    void skip(AutomationState& state, const std::shared_ptr<Trace>& trace,
              const std::string& reason) {
        ++state.skipped;
        auto& list = history[trace->automation_id];
        std::size_t count = 1;
        if (!list.empty() && list.front()->outcome == RunOutcome::SkippedAlreadyRunning &&
            list.front()->trigger_data.contains("skipped_count")) {
            count = list.front()->trigger_data["skipped_count"].get<std::size_t>() + 1;
            list.pop_front();
        }
        trace->steps.resize(1);
        trace->steps.push_back(
            {"mode", "mode", "skipped",
             reason +
                 (count > 1 ? ", " + std::to_string(count) + " times in a row" : std::string()),
             trace->start_ms, trace->start_ms});
        trace->trigger_data["skipped_count"] = count;
        end_trace(*trace, RunOutcome::SkippedAlreadyRunning);
        store_trace(trace);
    }

    void on_state_changed(const StateChangedEvent& event) {
        auto it = state_index.find(event.entity_id);
        if (it != state_index.end()) {
            const auto watchers = it->second; // firing may re-enter and touch the index
            for (const auto& [a, t] : watchers) {
                if (a >= automations.size() || !automations[a]->enabled) {
                    continue;
                }
                const Trigger& trigger = automations[a]->def.triggers[t];
                if (auto data = check_state_change(a, t, trigger, event)) {
                    fire(a, t, std::move(*data));
                }
            }
        }
        for (const std::uint64_t run_id : std::vector<std::uint64_t>(waiting)) {
            Run* run = find_run(run_id);
            if (run == nullptr || run->wait == nullptr) {
                continue;
            }
            const auto& triggers = run->wait->triggers;
            for (std::size_t t = 0; t < triggers.size(); ++t) {
                const std::vector<std::string>* entities = trigger_entities(triggers[t]);
                if (entities == nullptr || std::find(entities->begin(), entities->end(),
                                                     event.entity_id) == entities->end()) {
                    continue;
                }
                if (auto data =
                        check_state_change(wait_owner_bit | run_id, t, triggers[t], event)) {
                    wait_satisfied(*run, triggers[t], *data);
                    break;
                }
            }
        }
    }

    void on_event(const std::string& event_type, const nlohmann::json& data) {
        auto& depths = fired_event_depths[event_type];
        if (!depths.empty()) {
            incoming_depth = depths.front();
            depths.pop_front();
        }
        auto it = event_index.find(event_type);
        if (it != event_index.end()) {
            const auto watchers = it->second;
            for (const auto& [a, t] : watchers) {
                if (a >= automations.size() || !automations[a]->enabled) {
                    continue;
                }
                const Trigger& trigger = automations[a]->def.triggers[t];
                const auto& wanted = std::get<EventTrigger>(trigger.kind);
                if (event_data_matches(wanted.event_data, data)) {
                    fire(a, t,
                         {{"platform", "event"},
                          {"id", trigger.id},
                          {"event_type", event_type},
                          {"data", data}});
                }
            }
        }
        for (const std::uint64_t run_id : std::vector<std::uint64_t>(waiting)) {
            Run* run = find_run(run_id);
            if (run == nullptr || run->wait == nullptr) {
                continue;
            }
            for (const Trigger& trigger : run->wait->triggers) {
                const auto* wanted = std::get_if<EventTrigger>(&trigger.kind);
                if (wanted != nullptr && wanted->event_type == event_type &&
                    event_data_matches(wanted->event_data, data)) {
                    wait_satisfied(*run, trigger,
                                   {{"platform", "event"},
                                    {"id", trigger.id},
                                    {"event_type", event_type},
                                    {"data", data}});
                    break;
                }
            }
        }
        incoming_depth.reset();
    }

    // ---- runs -----------------------------------------------------------------------------

    Run* find_run(std::uint64_t run_id) {
        auto it = runs.find(run_id);
        return it == runs.end() || it->second->done ? nullptr : it->second.get();
    }

    void start_run(std::size_t a, const std::shared_ptr<Trace>& trace, int depth) {
        auto run = std::make_unique<Run>();
        run->id = trace->run_id;
        run->automation = a;
        run->trace = trace;
        run->depth = depth;
        run->frames.push_back({&automations[a]->def.actions, 0, "action"});
        Run& ref = *run;
        automations[a]->runs.push_back(run->id);
        runs.emplace(run->id, std::move(run));
        step_run(ref);
    }

    std::size_t open_step(Run& run, std::string path, std::string kind, std::string result) {
        const TimestampMs t = now();
        run.trace->steps.push_back({std::move(path), std::move(kind), std::move(result), "", t, t});
        return run.trace->steps.size() - 1;
    }

    void close_step(Run& run, std::size_t index, std::string result, std::string detail = {}) {
        TraceStep& step = run.trace->steps[index];
        step.result = std::move(result);
        if (!detail.empty()) {
            step.detail = std::move(detail);
        }
        step.end_ms = now();
    }

    void step_run(Run& run) {
        const int saved_depth = active_depth;
        const std::optional<int> saved_incoming = incoming_depth;
        incoming_depth.reset();
        ++executing;
        while (!run.done && !run.waiting && !run.frames.empty()) {
            Frame& frame = run.frames.back();
            if (frame.next >= frame.actions->size()) {
                run.frames.pop_back();
                continue;
            }
            const Action& action = (*frame.actions)[frame.next];
            const std::string path = frame.path + "/" + std::to_string(frame.next);
            ++frame.next;
            active_depth = run.depth;
            execute(run, action, path);
        }
        --executing;
        active_depth = saved_depth;
        incoming_depth = saved_incoming;
        if (!run.done && !run.waiting && run.frames.empty()) {
            finish(run, RunOutcome::Finished, {});
        }
    }

    void execute(Run& run, const Action& action, const std::string& path) {
        if (!action.enabled) {
            const std::size_t step = open_step(run, path, action_kind(action), "skipped");
            close_step(run, step, "skipped", "disabled (enabled: false)");
            return;
        }
        if (const auto* service = std::get_if<ServiceAction>(&action.kind)) {
            run_service(run, *service, path);
        } else if (const auto* delay = std::get_if<DelayAction>(&action.kind)) {
            const std::size_t step = open_step(run, path, "delay", "waiting");
            run.trace->steps[step].detail = std::to_string(delay->duration_ms) + " ms";
            if (delay->duration_ms <= 0) {
                close_step(run, step, "done");
                return;
            }
            Timer timer;
            timer.kind = TimerKind::Resume;
            timer.run_id = run.id;
            run.timer = schedule(now() + delay->duration_ms, std::move(timer));
            run.open_step = step;
            run.waiting = true;
        } else if (const auto* wait = std::get_if<WaitForTriggerAction>(&action.kind)) {
            const std::size_t step = open_step(run, path, "wait_for_trigger", "waiting");
            run.open_step = step;
            run.wait = wait;
            run.waiting = true;
            waiting.push_back(run.id);
            schedule_wait_times(run);
            if (wait->timeout_ms) {
                Timer timer;
                timer.kind = TimerKind::WaitTimeout;
                timer.run_id = run.id;
                run.timer =
                    schedule(now() + std::max<DurationMs>(*wait->timeout_ms, 0), std::move(timer));
            }
        } else if (const auto* choose = std::get_if<ChooseAction>(&action.kind)) {
            const std::size_t step = open_step(run, path, "choose", "");
            for (std::size_t i = 0; i < choose->options.size(); ++i) {
                const std::string option_path = path + "/choose/" + std::to_string(i);
                ConditionContext context{home, now(), local, run.trace->trigger_id,
                                         run.trace->steps};
                if (evaluate_conditions(choose->options[i].conditions, option_path + "/conditions",
                                        context)) {
                    close_step(run, step, "option " + std::to_string(i));
                    run.frames.push_back(
                        {&choose->options[i].sequence, 0, option_path + "/sequence"});
                    return;
                }
            }
            close_step(run, step, choose->default_sequence.empty() ? "no option" : "default");
            run.frames.push_back({&choose->default_sequence, 0, path + "/default"});
        } else if (const auto* branch = std::get_if<IfAction>(&action.kind)) {
            const std::size_t step = open_step(run, path, "if", "");
            ConditionContext context{home, now(), local, run.trace->trigger_id, run.trace->steps};
            const bool passed = evaluate_conditions(branch->conditions, path + "/if", context);
            close_step(run, step, passed ? "then" : "else");
            run.frames.push_back(passed ? Frame{&branch->then_sequence, 0, path + "/then"}
                                        : Frame{&branch->else_sequence, 0, path + "/else"});
        } else if (const auto* condition = std::get_if<ConditionAction>(&action.kind)) {
            ConditionContext context{home, now(), local, run.trace->trigger_id, run.trace->steps};
            if (!evaluate_condition(condition->condition, path, context)) {
                finish(run, RunOutcome::ConditionFailed, {});
            }
        } else if (const auto* notify = std::get_if<NotifyAction>(&action.kind)) {
            const std::size_t step = open_step(run, path, "notify." + notify->service, "");
            nlohmann::json message = {
                {"message", notify->message}, {"title", notify->title}, {"data", notify->data}};
            try {
                home.notify(notify->service, message);
                close_step(run, step, "done", notify->message);
            } catch (const std::exception& error) {
                close_step(run, step, "error", error.what());
                finish(run, RunOutcome::Error, {});
            }
        } else if (const auto* event = std::get_if<FireEventAction>(&action.kind)) {
            const std::size_t step = open_step(run, path, "event", "");
            run.trace->steps[step].detail = event->event_type;
            if (run.depth >= max_chain_depth) {
                close_step(run, step, "error",
                           "not fired: " + event->event_type +
                               " would start a chain of more than " +
                               std::to_string(max_chain_depth) + " automation runs (a loop?)");
                finish(run, RunOutcome::Error, {});
                return;
            }
            auto& depths = fired_event_depths[event->event_type];
            if (depths.size() >= max_pending_event_depths) {
                depths.pop_front(); // the bus lost some; do not grow without bound
            }
            depths.push_back(run.depth + 1);
            const std::size_t pushed = depths.size();
            try {
                home.fire_event(event->event_type, event->event_data);
                close_step(run, step, "done");
            } catch (const std::exception& error) {
                if (fired_event_depths[event->event_type].size() == pushed) {
                    fired_event_depths[event->event_type].pop_back();
                }
                close_step(run, step, "error", error.what());
                finish(run, RunOutcome::Error, {});
            }
        }
    }

    std::vector<std::string> resolve_targets(const Target& target, const std::string& domain) {
        std::vector<std::string> out;
        std::unordered_set<std::string> seen;
        auto add = [&](const std::string& entity_id) {
            if (seen.insert(entity_id).second) {
                out.push_back(entity_id);
            }
        };
        for (const std::string& entity_id : target.entity_ids) {
            add(entity_id);
        }
        if (target.area_ids.empty()) {
            return out;
        }
        const std::string prefix = domain + ".";
        auto in_domain = [&](const std::string& entity_id) {
            return domain == "homeassistant" || entity_id.rfind(prefix, 0) == 0;
        };
        const std::vector<EntityState> states = home.states();
        for (const std::string& area_id : target.area_ids) {
            for (const Area& area : areas) {
                if (area.id != area_id) {
                    continue;
                }
                for (const std::string& entity_id : area.entity_ids) {
                    if (in_domain(entity_id)) {
                        add(entity_id);
                    }
                }
            }
            for (const EntityState& state : states) {
                if (!in_domain(state.entity_id) || !state.attributes.is_object()) {
                    continue;
                }
                auto it = state.attributes.find("area_id");
                if (it != state.attributes.end() && it->is_string() &&
                    it->get<std::string>() == area_id) {
                    add(state.entity_id);
                }
            }
        }
        return out;
    }

    std::optional<std::size_t> automation_for_entity(const std::string& entity_id) const {
        const std::string id = strip_prefix(entity_id, "automation");
        if (auto it = automation_by_id.find(id); it != automation_by_id.end()) {
            return it->second;
        }
        for (std::size_t a = 0; a < automations.size(); ++a) {
            if (!automations[a]->def.alias.empty() && slugify(automations[a]->def.alias) == id) {
                return a;
            }
        }
        return std::nullopt;
    }

    // The services the engine answers itself; nullopt when `service` is a device service.
    std::optional<std::vector<std::string>> engine_service(const ServiceAction& service,
                                                           std::vector<std::string>& reached) {
        std::vector<std::string> errors;
        if (service.domain == "scene" && service.service == "turn_on") {
            for (const std::string& entity_id : service.target.entity_ids) {
                auto applied = apply_scene(strip_prefix(entity_id, "scene"));
                if (applied) {
                    reached.push_back(entity_id);
                } else {
                    errors.push_back(applied.error());
                }
            }
            return errors;
        }
        if (service.domain == "scene" && service.service == "create") {
            const std::string scene_id = service.data.value("scene_id", std::string());
            std::vector<std::string> entity_ids;
            if (auto it = service.data.find("snapshot_entities");
                it != service.data.end() && it->is_array()) {
                for (const auto& entity_id : *it) {
                    if (entity_id.is_string()) {
                        entity_ids.push_back(entity_id.get<std::string>());
                    }
                }
            }
            auto created = create_scene(scene_id, entity_ids);
            if (created) {
                reached.push_back("scene." + scene_id);
            } else {
                errors.push_back(created.error());
            }
            return errors;
        }
        if (service.domain == "automation" &&
            (service.service == "trigger" || service.service == "turn_on" ||
             service.service == "turn_off")) {
            for (const std::string& entity_id : service.target.entity_ids) {
                const std::optional<std::size_t> a = automation_for_entity(entity_id);
                if (!a) {
                    errors.push_back("unknown automation " + entity_id);
                    continue;
                }
                reached.push_back(entity_id);
                if (service.service == "trigger") {
                    fire(*a, std::nullopt, {{"platform", "automation.trigger"}},
                         service.data.value("skip_condition", true));
                } else {
                    set_enabled(*a, service.service == "turn_on");
                }
            }
            return errors;
        }
        return std::nullopt;
    }

    void run_service(Run& run, const ServiceAction& service, const std::string& path) {
        const std::size_t step = open_step(run, path, service.domain + "." + service.service, "");
        std::vector<std::string> reached;
        std::vector<std::string> errors;
        try {
            if (auto handled = engine_service(service, reached)) {
                errors = std::move(*handled);
            } else {
                std::vector<std::string> entity_ids =
                    resolve_targets(service.target, service.domain);
                if (entity_ids.empty() && service.target.area_ids.empty()) {
                    entity_ids.emplace_back(); // a service without a target
                }
                // Every target gets its call even when one fails (the other lights still go
                // off); the run then stops with the errors.
                for (const std::string& entity_id : entity_ids) {
                    auto result = home.call_service(
                        ServiceCall{service.domain, service.service, entity_id, service.data});
                    if (result) {
                        reached.push_back(entity_id);
                    } else {
                        errors.push_back((entity_id.empty() ? "" : entity_id + ": ") +
                                         result.error());
                    }
                }
            }
        } catch (const std::exception& error) {
            errors.emplace_back(error.what());
        }
        if (run.done) {
            // Stopped meanwhile (a restart triggered by this very call): record what the call
            // did, but the run's outcome stays.
            close_step(run, step, errors.empty() ? "done" : "error",
                       errors.empty() ? join(reached) : join(errors));
            return;
        }
        if (!errors.empty()) {
            close_step(run, step, "error", join(errors));
            finish(run, RunOutcome::Error, {});
            return;
        }
        close_step(run, step, "done", reached.empty() ? "no entities in target" : join(reached));
    }

    void wait_satisfied(Run& run, const Trigger& trigger, const nlohmann::json& data) {
        if (run.timer) {
            timers.erase(*run.timer);
            run.timer.reset();
        }
        end_wait(run);
        if (run.open_step) {
            close_step(run, *run.open_step, "triggered",
                       describe_trigger(trigger) +
                           (data.contains("entity_id")
                                ? " (" + data["entity_id"].get<std::string>() + ")"
                                : std::string()));
            run.open_step.reset();
        }
        run.waiting = false;
        step_run(run);
    }

    // Time and time_pattern triggers inside wait_for_trigger: a timer per time, cancelled when
    // the wait ends.
    void schedule_wait_times(Run& run) {
        const TimestampMs now_ms = now();
        for (std::size_t t = 0; t < run.wait->triggers.size(); ++t) {
            const Trigger& trigger = run.wait->triggers[t];
            std::vector<TimestampMs> due;
            if (const auto* time = std::get_if<TimeTrigger>(&trigger.kind)) {
                for (const int seconds_of_day : time->at_seconds_of_day) {
                    due.push_back(next_time_of_day(local, now_ms, seconds_of_day));
                }
            } else if (const auto* pattern = std::get_if<TimePatternTrigger>(&trigger.kind)) {
                if (auto next = next_time_pattern(local, now_ms, *pattern)) {
                    due.push_back(*next);
                }
            }
            for (const TimestampMs due_ms : due) {
                Timer timer;
                timer.kind = TimerKind::WaitTime;
                timer.run_id = run.id;
                timer.trigger_index = t;
                run.wait_time_timers.push_back(schedule(due_ms, std::move(timer)));
            }
        }
    }

    void end_wait(Run& run) {
        for (const TimerKey& key : run.wait_time_timers) {
            timers.erase(key);
        }
        run.wait_time_timers.clear();
        if (run.wait != nullptr) {
            cancel_for_owner(wait_owner_bit | run.id);
            run.wait = nullptr;
        }
        waiting.erase(std::remove(waiting.begin(), waiting.end(), run.id), waiting.end());
    }

    void finish(Run& run, RunOutcome outcome, const std::string& reason) {
        if (run.done) {
            return;
        }
        run.done = true;
        if (run.timer) {
            timers.erase(*run.timer);
            run.timer.reset();
        }
        end_wait(run);
        if (run.open_step) {
            close_step(run, *run.open_step, "stopped", reason);
            run.open_step.reset();
        } else if (outcome == RunOutcome::Stopped) {
            const TimestampMs t = now();
            run.trace->steps.push_back({"stop", "stop", "stopped", reason, t, t});
        }
        end_trace(*run.trace, outcome);

        AutomationState& state = *automations[run.automation];
        state.runs.erase(std::remove(state.runs.begin(), state.runs.end(), run.id),
                         state.runs.end());
        auto it = runs.find(run.id);
        if (it != runs.end()) {
            finished.push_back(std::move(it->second));
            runs.erase(it);
        }
        if (outcome != RunOutcome::Stopped && !state.queue.empty() && state.enabled) {
            Queued next = std::move(state.queue.front());
            state.queue.pop_front();
            start_run(run.automation, next.trace, next.depth);
        }
    }

    void stop_all(AutomationState& state, const std::string& reason) {
        for (Queued& queued : state.queue) {
            queued.trace->steps.push_back({"stop", "stop", "stopped", reason, now(), now()});
            end_trace(*queued.trace, RunOutcome::Stopped);
        }
        state.queue.clear();
        for (const std::uint64_t run_id : std::vector<std::uint64_t>(state.runs)) {
            auto it = runs.find(run_id);
            if (it != runs.end()) {
                finish(*it->second, RunOutcome::Stopped, reason);
            }
        }
    }

    void set_enabled(std::size_t a, bool enabled) {
        AutomationState& state = *automations[a];
        enabled_overrides[state.def.id] = enabled;
        if (state.enabled == enabled) {
            return;
        }
        state.enabled = enabled;
        if (!enabled) {
            stop_all(state, "automation turned off");
            cancel_for_owner(a);
        }
    }

    // ---- timers firing --------------------------------------------------------------------

    void handle_timer(const TimerKey& key, const Timer& timer) {
        switch (timer.kind) {
        case TimerKind::ForTrigger: {
            auto it = pending_for.find(ForKey{timer.owner, timer.trigger_index, timer.entity_id});
            if (it == pending_for.end() || it->second.timer != key) {
                return;
            }
            nlohmann::json data = std::move(it->second.data);
            pending_for.erase(it);
            if ((timer.owner & wait_owner_bit) != 0) {
                Run* run = find_run(timer.owner & ~wait_owner_bit);
                if (run != nullptr && run->wait != nullptr &&
                    timer.trigger_index < run->wait->triggers.size()) {
                    wait_satisfied(*run, run->wait->triggers[timer.trigger_index], data);
                }
            } else if (timer.owner < automations.size()) {
                fire(timer.owner, timer.trigger_index, std::move(data));
            }
            return;
        }
        case TimerKind::Resume: {
            Run* run = find_run(timer.run_id);
            if (run == nullptr || run->timer != key) {
                return;
            }
            run->timer.reset();
            if (run->open_step) {
                close_step(*run, *run->open_step, "done");
                run->open_step.reset();
            }
            run->waiting = false;
            step_run(*run);
            return;
        }
        case TimerKind::WaitTimeout: {
            Run* run = find_run(timer.run_id);
            if (run == nullptr || run->timer != key) {
                return;
            }
            run->timer.reset();
            const bool go_on = run->wait != nullptr && run->wait->continue_on_timeout;
            end_wait(*run);
            if (run->open_step) {
                close_step(*run, *run->open_step, "timeout",
                           go_on ? "continuing (continue_on_timeout)" : "run stopped");
                run->open_step.reset();
            }
            run->waiting = false;
            if (go_on) {
                step_run(*run);
            } else {
                // Home Assistant aborts the script here; it is not an error, so "stopped".
                finish(*run, RunOutcome::Stopped, "wait_for_trigger timed out");
            }
            return;
        }
        case TimerKind::WaitTime: {
            Run* run = find_run(timer.run_id);
            if (run == nullptr || run->wait == nullptr ||
                timer.trigger_index >= run->wait->triggers.size()) {
                return;
            }
            const Trigger& trigger = run->wait->triggers[timer.trigger_index];
            wait_satisfied(
                *run, trigger,
                {{"platform", trigger_kind(trigger)}, {"id", trigger.id}, {"now_ms", key.first}});
            return;
        }
        case TimerKind::TimeTrigger: {
            if (timer.automation >= automations.size()) {
                return;
            }
            schedule_time_trigger(timer.automation, timer.trigger_index, timer.seconds_of_day,
                                  key.first);
            const Trigger& trigger =
                automations[timer.automation]->def.triggers[timer.trigger_index];
            fire(timer.automation, timer.trigger_index,
                 {{"platform", timer.seconds_of_day >= 0 ? "time" : "time_pattern"},
                  {"id", trigger.id},
                  {"now_ms", key.first}});
            return;
        }
        }
    }

    // ---- loading --------------------------------------------------------------------------

    void load(HomeConfig config) {
        for (auto& state : automations) {
            stop_all(*state, "configuration reloaded");
        }
        timers.clear();
        pending_for.clear();
        waiting.clear();
        state_index.clear();
        event_index.clear();
        fired_event_depths.clear();
        automations.clear();
        automation_by_id.clear();

        problems = std::move(config.problems);
        config_scenes = std::move(config.scenes);
        areas = std::move(config.areas);
        std::set<std::string> loaded_ids;
        const TimestampMs now_ms = now();
        for (Automation& automation : config.automations) {
            const std::size_t a = automations.size();
            auto state = std::make_unique<AutomationState>();
            state->def = std::move(automation);
            auto override_it = enabled_overrides.find(state->def.id);
            state->enabled = override_it != enabled_overrides.end() ? override_it->second
                                                                    : state->def.initially_enabled;
            automation_by_id.emplace(state->def.id, a);
            loaded_ids.insert(state->def.id);
            automations.push_back(std::move(state));
            const auto& triggers = automations[a]->def.triggers;
            for (std::size_t t = 0; t < triggers.size(); ++t) {
                const Trigger& trigger = triggers[t];
                if (const std::vector<std::string>* entities = trigger_entities(trigger)) {
                    for (const std::string& entity_id : *entities) {
                        state_index[entity_id].emplace_back(a, t);
                    }
                } else if (const auto* event = std::get_if<EventTrigger>(&trigger.kind)) {
                    event_index[event->event_type].emplace_back(a, t);
                } else if (const auto* time = std::get_if<TimeTrigger>(&trigger.kind)) {
                    for (const int seconds_of_day : time->at_seconds_of_day) {
                        schedule_time_trigger(a, t, seconds_of_day, now_ms);
                    }
                } else if (std::holds_alternative<TimePatternTrigger>(trigger.kind)) {
                    schedule_time_trigger(a, t, -1, now_ms);
                } else if (std::holds_alternative<SunTrigger>(trigger.kind)) {
                    problems.push_back({trigger.where, "triggers[" + std::to_string(t) + "]",
                                        "sun triggers are not supported; this trigger never fires",
                                        automations[a]->def.id});
                }
            }
        }
        for (auto it = history.begin(); it != history.end();) {
            it = loaded_ids.count(it->first) != 0 ? std::next(it) : history.erase(it);
        }
    }

    // ---- scenes ---------------------------------------------------------------------------

    const Scene* find_scene(const std::string& scene_id) const {
        const std::string id = strip_prefix(scene_id, "scene");
        if (auto it = captured_scenes.find(id); it != captured_scenes.end()) {
            return &it->second;
        }
        for (const Scene& scene : config_scenes) {
            if (scene.id == id) {
                return &scene;
            }
        }
        return nullptr;
    }

    tl::expected<void, std::string> apply_scene(const std::string& scene_id) {
        const Scene* found = find_scene(scene_id);
        if (found == nullptr) {
            return tl::unexpected("unknown scene " + scene_id);
        }
        const Scene scene = *found; // a service call may re-enter and replace captured scenes
        std::vector<std::string> errors;
        for (const auto& [entity_id, desired] : scene.entities) {
            auto calls = scene_service_calls(entity_id, desired);
            if (!calls) {
                errors.push_back(calls.error());
                continue;
            }
            for (const ServiceCall& call : *calls) {
                try {
                    auto result = home.call_service(call);
                    if (!result) {
                        errors.push_back(entity_id + ": " + result.error());
                    }
                } catch (const std::exception& error) {
                    errors.push_back(entity_id + ": " + error.what());
                }
            }
        }
        if (!errors.empty()) {
            return tl::unexpected("scene " + scene.id + ": " + join(errors));
        }
        return {};
    }

    tl::expected<void, std::string> create_scene(const std::string& scene_id,
                                                 const std::vector<std::string>& entity_ids) {
        const std::string id = strip_prefix(scene_id, "scene");
        if (id.empty()) {
            return tl::unexpected(std::string("a scene needs an id"));
        }
        Scene scene;
        scene.id = id;
        scene.name = id;
        for (const std::string& entity_id : entity_ids) {
            const std::optional<EntityState> state = home.state(entity_id);
            if (!state) {
                return tl::unexpected("scene " + id + ": unknown entity " + entity_id);
            }
            scene.entities[entity_id] = capture_scene_entity(*state);
        }
        captured_scenes[id] = std::move(scene);
        return {};
    }
};

AutomationEngine::AutomationEngine(Home& home, const Clock& clock, EngineOptions options)
    : m_impl(std::make_unique<Impl>(home, clock, options)) {}

AutomationEngine::~AutomationEngine() = default;

void AutomationEngine::load(HomeConfig config) {
    Impl::EntryGuard guard(*m_impl);
    m_impl->load(std::move(config));
}

void AutomationEngine::on_state_changed(const StateChangedEvent& event) {
    if (m_impl->entry_depth >= max_entry_depth) {
        ++m_impl->dropped_reentries;
        return;
    }
    Impl::EntryGuard guard(*m_impl);
    m_impl->on_state_changed(event);
}

void AutomationEngine::on_event(const std::string& event_type, const nlohmann::json& data,
                                TimestampMs /*time_ms*/) {
    if (m_impl->entry_depth >= max_entry_depth) {
        ++m_impl->dropped_reentries;
        return;
    }
    Impl::EntryGuard guard(*m_impl);
    m_impl->on_event(event_type, data);
}

void AutomationEngine::advance() {
    Impl::EntryGuard guard(*m_impl);
    const TimestampMs now_ms = m_impl->clock.now_ms();
    const std::optional<TimestampMs> outer_now = m_impl->virtual_now;
    while (!m_impl->timers.empty() && m_impl->timers.begin()->first.first <= now_ms) {
        auto node = m_impl->timers.extract(m_impl->timers.begin());
        m_impl->virtual_now = node.key().first;
        m_impl->handle_timer(node.key(), node.mapped());
    }
    m_impl->virtual_now = outer_now;
}

std::optional<TimestampMs> AutomationEngine::next_deadline() const {
    if (m_impl->timers.empty()) {
        return std::nullopt;
    }
    return m_impl->timers.begin()->first.first;
}

tl::expected<void, std::string> AutomationEngine::apply_scene(const std::string& scene_id) {
    Impl::EntryGuard guard(*m_impl);
    return m_impl->apply_scene(scene_id);
}

tl::expected<void, std::string>
AutomationEngine::create_scene(const std::string& scene_id,
                               const std::vector<std::string>& entity_ids) {
    return m_impl->create_scene(scene_id, entity_ids);
}

tl::expected<void, std::string> AutomationEngine::trigger(const std::string& automation_id,
                                                          bool skip_conditions) {
    Impl::EntryGuard guard(*m_impl);
    const std::optional<std::size_t> a = m_impl->automation_for_entity(automation_id);
    if (!a) {
        return tl::unexpected("unknown automation " + automation_id);
    }
    m_impl->fire(*a, std::nullopt, {{"platform", "manual"}}, skip_conditions);
    return {};
}

tl::expected<void, std::string> AutomationEngine::set_enabled(const std::string& automation_id,
                                                              bool enabled) {
    Impl::EntryGuard guard(*m_impl);
    const std::optional<std::size_t> a = m_impl->automation_for_entity(automation_id);
    if (!a) {
        return tl::unexpected("unknown automation " + automation_id);
    }
    m_impl->set_enabled(*a, enabled);
    return {};
}

std::set<std::string> AutomationEngine::watched_entities() const {
    std::set<std::string> out;
    for (const auto& [entity_id, watchers] : m_impl->state_index) {
        out.insert(entity_id);
    }
    for (const auto& automation : m_impl->automations) {
        add_waited_entities(automation->def.actions, out);
    }
    return out;
}

std::vector<AutomationInfo> AutomationEngine::automations() const {
    std::vector<AutomationInfo> out;
    out.reserve(m_impl->automations.size());
    for (const auto& state : m_impl->automations) {
        AutomationInfo info;
        info.id = state->def.id;
        info.alias = state->def.alias;
        info.mode = state->def.mode;
        info.enabled = state->enabled;
        info.running = state->runs.size();
        info.queued = state->queue.size();
        info.last_triggered_ms = state->last_triggered_ms;
        info.skipped = state->skipped;
        info.where = state->def.where;
        out.push_back(std::move(info));
    }
    return out;
}

std::vector<Scene> AutomationEngine::scenes() const {
    std::vector<Scene> out;
    for (const Scene& scene : m_impl->config_scenes) {
        if (m_impl->captured_scenes.count(scene.id) == 0) {
            out.push_back(scene);
        }
    }
    for (const auto& [id, scene] : m_impl->captured_scenes) {
        out.push_back(scene);
    }
    return out;
}

std::vector<Trace> AutomationEngine::traces(const std::string& automation_id) const {
    std::vector<Trace> out;
    for (const auto& [id, list] : m_impl->history) {
        if (!automation_id.empty() && id != automation_id) {
            continue;
        }
        for (const auto& trace : list) {
            out.push_back(*trace);
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Trace& a, const Trace& b) {
        return a.start_ms != b.start_ms ? a.start_ms > b.start_ms : a.run_id > b.run_id;
    });
    return out;
}

const std::vector<ConfigProblem>& AutomationEngine::problems() const {
    return m_impl->problems;
}

} // namespace hearth::hub::automation
