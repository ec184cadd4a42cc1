#pragma once

// Runs the AutomationEngine inside the hub: one thread owns the engine and feeds it, in order,
// the state changes and events the hub's listeners queue, and otherwise sleeps on a condition
// variable until the engine's next deadline (a `for:`, a delay, a time trigger) or new input.
//
// Threading: the hub's listeners only push into a bounded queue (they run on the hub's
// processing thread, which may hold the hub's state lock, so they never block and never touch
// the engine; a full queue drops the input and counts it). The engine runs under the runner's
// engine lock, on the runner thread or on the thread of a public call (reload, trigger,
// apply_scene...), never while a hub lock is held, so its calls back into the hub
// (Home::call_service -> Hub::call_service) cannot deadlock. Every public call is thread-safe.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "automation/engine.h"
#include "automation/home.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/state_machine.h"

namespace hearth::hub {
class Hub;
}

namespace hearth::hub::automation {

struct RunnerOptions {
    EngineOptions engine;
    std::size_t queue_capacity = 100'000; // inputs waiting for the runner thread
};

struct ReloadResult {
    std::size_t automations = 0;
    std::size_t scenes = 0;
    std::vector<ConfigProblem> problems;
};

// The answer to a service call the runner handles itself (scene.*, automation.*).
struct RunnerServiceResult {
    bool handled = false; // false: not one of the runner's services, send it to the devices
    tl::expected<nlohmann::json, std::string> result = nlohmann::json::object();
};

// Problems as the API shows them: file, line, column, key, item, message and the one-line text.
nlohmann::json problems_to_json(const std::vector<ConfigProblem>& problems);

class AutomationRunner {
public:
    // Starts the runner thread. `home` and `clock` must outlive the runner. Nothing is loaded
    // until load() or reload().
    AutomationRunner(Home& home, const Clock& clock, RunnerOptions options = {});
    ~AutomationRunner();
    AutomationRunner(const AutomationRunner&) = delete;
    AutomationRunner& operator=(const AutomationRunner&) = delete;

    // Subscribes to the hub's state changes and events (device events and fired ones); undone
    // by detach() or the destructor. The hub must outlive the attachment.
    void attach(Hub& hub);
    void detach();
    // Stops the thread (runs in progress stay where they are). Idempotent.
    void stop();

    // Queues inputs for the runner thread (what the hub's listeners call). Never blocks; false
    // when the queue is full (the input is dropped, counted and logged once). A state change of
    // an entity that no loaded automation watches is not queued (true): the hub's ingest does
    // not pay for the runner thread.
    bool push_state_changed(const StateChangedEvent& event);
    bool push_event(const std::string& event_type, const nlohmann::json& data, TimestampMs time_ms);
    // Makes the thread look at the clock again (after a ManualClock moved, in tests).
    void wake();
    // Waits until everything queued before this call has been fed to the engine and the timers
    // due at the clock's now have fired. For tests and orderly shutdown.
    void sync();

    // The file or folder reload() reads.
    void set_config_path(std::filesystem::path path);
    [[nodiscard]] std::optional<std::filesystem::path> config_path() const;
    // Reads the config path (the YAML is parsed on the calling thread) and loads it. Problems
    // are logged, each the first time it appears. Without a config path: an empty config.
    ReloadResult reload();
    ReloadResult load(HomeConfig config);

    [[nodiscard]] std::vector<AutomationInfo> automations() const;
    [[nodiscard]] std::vector<Scene> scenes() const;
    [[nodiscard]] std::vector<Trace> traces(const std::string& automation_id = {}) const;
    [[nodiscard]] std::optional<Trace> trace(std::uint64_t run_id) const;
    [[nodiscard]] std::vector<ConfigProblem> problems() const;

    tl::expected<void, std::string> apply_scene(const std::string& scene_id);
    tl::expected<void, std::string> create_scene(const std::string& scene_id,
                                                 const std::vector<std::string>& entity_ids);
    tl::expected<void, std::string> trigger(const std::string& automation_id, bool skip_conditions);
    tl::expected<void, std::string> set_enabled(const std::string& automation_id, bool enabled);

    // scene.turn_on ({"entity_id": "scene.x" or a list}), scene.apply is not supported,
    // scene.create ({"scene_id", "snapshot_entities"}), automation.trigger ({"entity_id",
    // "skip_condition"}), automation.turn_on / turn_off, automation.reload. `data` is the call's
    // JSON body; other domains are not handled.
    RunnerServiceResult call_service(const std::string& domain, const std::string& service,
                                     const nlohmann::json& data);

    [[nodiscard]] std::uint64_t inputs_dropped() const;

private:
    struct FiredEvent {
        std::string event_type;
        nlohmann::json data;
        TimestampMs time_ms = 0;
    };
    using Input = std::variant<StateChangedEvent, FiredEvent>;

    bool push(Input input);
    void run();
    // After anything touched the engine (engine lock held): the new deadline for the thread.
    void after_engine_call();
    void log_new_problems(const std::vector<ConfigProblem>& problems);
    template <class F> auto with_engine(F&& f) const;

    Home& m_home;
    const Clock& m_clock;
    RunnerOptions m_options;

    mutable std::mutex m_engine_mutex; // guards m_engine and m_logged_problems
    std::unique_ptr<AutomationEngine> m_engine;
    std::set<std::string> m_logged_problems;

    mutable std::mutex m_queue_mutex; // guards everything below
    std::condition_variable m_wake_cv;
    std::condition_variable m_done_cv;
    std::deque<Input> m_inputs;
    std::uint64_t m_pushed = 0;
    std::uint64_t m_processed = 0;
    std::uint64_t m_wake_requests = 0;
    std::uint64_t m_wakes_served = 0;
    std::uint64_t m_dropped = 0;
    std::optional<TimestampMs> m_next_deadline_ms;
    std::set<std::string> m_watched; // AutomationEngine::watched_entities() of the loaded config
    bool m_stopping = false;
    std::optional<std::filesystem::path> m_config_path;
    Hub* m_hub = nullptr;
    int m_state_token = 0;
    int m_event_token = 0;

    ProblemCounter m_problem_log;
    std::thread m_thread;
};

} // namespace hearth::hub::automation
