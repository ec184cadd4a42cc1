#include "automation/runner.h"

#include <algorithm>
#include <chrono>

#include "automation/config_loader.h"
#include "daemon/hub.h"

namespace hearth::hub::automation {

namespace {

using json = nlohmann::json;

// entity_id as Home Assistant sends it: one id, a list of ids, or a comma-separated text.
std::vector<std::string> entity_ids_of(const json& data, const std::string& key) {
    std::vector<std::string> out;
    auto add_text = [&](const std::string& text) {
        std::size_t start = 0;
        while (start <= text.size()) {
            const std::size_t comma = text.find(',', start);
            std::string part = text.substr(start, comma - start);
            part.erase(0, part.find_first_not_of(' '));
            part.erase(part.find_last_not_of(' ') + 1);
            if (!part.empty()) {
                out.push_back(part);
            }
            if (comma == std::string::npos) {
                break;
            }
            start = comma + 1;
        }
    };
    if (!data.is_object() || !data.contains(key)) {
        return out;
    }
    const json& value = data.at(key);
    if (value.is_string()) {
        add_text(value.get<std::string>());
    } else if (value.is_array()) {
        for (const auto& v : value) {
            if (v.is_string()) {
                add_text(v.get<std::string>());
            }
        }
    }
    return out;
}

// "scene.evening" -> "evening"; an id without the domain is taken as it is.
std::string object_id(const std::string& entity_id, const std::string& domain) {
    const std::string prefix = domain + ".";
    return entity_id.rfind(prefix, 0) == 0 ? entity_id.substr(prefix.size()) : entity_id;
}

} // namespace

json problems_to_json(const std::vector<ConfigProblem>& problems) {
    json out = json::array();
    for (const auto& p : problems) {
        out.push_back({{"file", p.where.file},
                       {"line", p.where.line},
                       {"column", p.where.column},
                       {"key", p.key},
                       {"item", p.item},
                       {"message", p.message},
                       {"text", p.describe()}});
    }
    return out;
}

template <class F> auto AutomationRunner::with_engine(F&& f) const {
    std::lock_guard lock(m_engine_mutex);
    return f(*m_engine);
}

AutomationRunner::AutomationRunner(Home& home, const Clock& clock, RunnerOptions options)
    : m_home(home), m_clock(clock), m_options(options),
      m_engine(std::make_unique<AutomationEngine>(home, clock, m_options.engine)) {
    m_thread = std::thread([this] { run(); });
}

AutomationRunner::~AutomationRunner() {
    detach();
    stop();
}

void AutomationRunner::attach(Hub& hub) {
    detach();
    const int state_token =
        hub.subscribe([this](const StateChangedEvent& e) { push_state_changed(e); });
    const int event_token = hub.subscribe_events(
        [this](const StoredEvent& e) { push_event(e.type, e.data, e.time_ms); });
    std::lock_guard lock(m_queue_mutex);
    m_hub = &hub;
    m_state_token = state_token;
    m_event_token = event_token;
}

void AutomationRunner::detach() {
    Hub* hub = nullptr;
    int state_token = 0;
    int event_token = 0;
    {
        std::lock_guard lock(m_queue_mutex);
        std::swap(hub, m_hub);
        std::swap(state_token, m_state_token);
        std::swap(event_token, m_event_token);
    }
    if (hub != nullptr) {
        hub->unsubscribe(state_token);
        hub->unsubscribe_events(event_token);
    }
}

void AutomationRunner::stop() {
    {
        std::lock_guard lock(m_queue_mutex);
        m_stopping = true;
    }
    m_wake_cv.notify_all();
    m_done_cv.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

bool AutomationRunner::push(Input input) {
    {
        std::lock_guard lock(m_queue_mutex);
        if (m_stopping) {
            return false;
        }
        if (m_inputs.size() >= m_options.queue_capacity) {
            ++m_dropped;
        } else {
            m_inputs.push_back(std::move(input));
            ++m_pushed;
            m_wake_cv.notify_one();
            return true;
        }
    }
    // Blocking here could stall the hub's processing thread (which holds the hub's state lock
    // that the runner needs to act), so an input that does not fit is dropped.
    m_problem_log.report("automation", "input queue full",
                         "the automation runner fell " + std::to_string(m_options.queue_capacity) +
                             " inputs behind; state changes and events are being dropped");
    return false;
}

bool AutomationRunner::push_state_changed(const StateChangedEvent& event) {
    {
        std::lock_guard lock(m_queue_mutex);
        if (m_watched.count(event.entity_id) == 0) {
            return true;
        }
    }
    return push(event);
}

bool AutomationRunner::push_event(const std::string& event_type, const nlohmann::json& data,
                                  TimestampMs time_ms) {
    return push(FiredEvent{event_type, data, time_ms});
}

void AutomationRunner::wake() {
    std::lock_guard lock(m_queue_mutex);
    ++m_wake_requests;
    m_wake_cv.notify_one();
}

void AutomationRunner::sync() {
    std::unique_lock lock(m_queue_mutex);
    const std::uint64_t pushed = m_pushed;
    const std::uint64_t wake = ++m_wake_requests;
    m_wake_cv.notify_one();
    m_done_cv.wait(lock,
                   [&] { return m_stopping || (m_processed >= pushed && m_wakes_served >= wake); });
}

void AutomationRunner::run() {
    std::unique_lock lock(m_queue_mutex);
    for (;;) {
        for (;;) {
            if (m_stopping) {
                return;
            }
            if (!m_inputs.empty() || m_wakes_served != m_wake_requests) {
                break;
            }
            if (!m_next_deadline_ms) {
                m_wake_cv.wait(lock);
                continue;
            }
            const TimestampMs now_ms = m_clock.now_ms();
            if (now_ms >= *m_next_deadline_ms) {
                break;
            }
            m_wake_cv.wait_for(lock, std::chrono::milliseconds(*m_next_deadline_ms - now_ms));
        }
        std::deque<Input> batch;
        batch.swap(m_inputs);
        const std::uint64_t wakes = m_wake_requests;
        lock.unlock();
        {
            std::lock_guard engine_lock(m_engine_mutex);
            // Timers due before these inputs arrived go first.
            m_engine->advance();
            for (const auto& input : batch) {
                if (const auto* change = std::get_if<StateChangedEvent>(&input)) {
                    m_engine->on_state_changed(*change);
                } else {
                    const auto& event = std::get<FiredEvent>(input);
                    m_engine->on_event(event.event_type, event.data, event.time_ms);
                }
            }
            m_engine->advance();
            after_engine_call();
        }
        lock.lock();
        m_processed += batch.size();
        m_wakes_served = std::max(m_wakes_served, wakes);
        m_done_cv.notify_all();
    }
}

void AutomationRunner::after_engine_call() {
    const std::optional<TimestampMs> deadline = m_engine->next_deadline();
    std::lock_guard lock(m_queue_mutex);
    m_next_deadline_ms = deadline;
    m_wake_cv.notify_one();
}

void AutomationRunner::set_config_path(std::filesystem::path path) {
    std::lock_guard lock(m_queue_mutex);
    m_config_path = std::move(path);
}

std::optional<std::filesystem::path> AutomationRunner::config_path() const {
    std::lock_guard lock(m_queue_mutex);
    return m_config_path;
}

ReloadResult AutomationRunner::reload() {
    const auto path = config_path();
    return load(path ? load_home_config(*path) : HomeConfig{});
}

ReloadResult AutomationRunner::load(HomeConfig config) {
    ReloadResult result;
    result.automations = config.automations.size();
    result.scenes = config.scenes.size();
    std::lock_guard lock(m_engine_mutex);
    m_engine->load(std::move(config));
    {
        std::set<std::string> watched = m_engine->watched_entities();
        std::lock_guard queue_lock(m_queue_mutex);
        m_watched.swap(watched);
    }
    result.problems = m_engine->problems();
    log_new_problems(result.problems);
    const auto path = config_path();
    log_line(LogLevel::Info, "automation",
             "loaded " + std::to_string(result.automations) + " automations and " +
                 std::to_string(result.scenes) + " scenes" +
                 (path ? " from " + path->string() : std::string()) + " (" +
                 std::to_string(result.problems.size()) + " problems)");
    after_engine_call();
    return result;
}

void AutomationRunner::log_new_problems(const std::vector<ConfigProblem>& problems) {
    // A problem is logged when it appears, not again at every reload that still has it.
    std::set<std::string> current;
    for (const auto& p : problems) {
        std::string text = p.describe();
        if (!m_logged_problems.contains(text)) {
            log_line(LogLevel::Warn, "automation", text);
        }
        current.insert(std::move(text));
    }
    m_logged_problems = std::move(current);
}

std::vector<AutomationInfo> AutomationRunner::automations() const {
    return with_engine([](const AutomationEngine& e) { return e.automations(); });
}

std::vector<Scene> AutomationRunner::scenes() const {
    return with_engine([](const AutomationEngine& e) { return e.scenes(); });
}

std::vector<Trace> AutomationRunner::traces(const std::string& automation_id) const {
    return with_engine([&](const AutomationEngine& e) { return e.traces(automation_id); });
}

std::optional<Trace> AutomationRunner::trace(std::uint64_t run_id) const {
    for (auto& t : traces()) {
        if (t.run_id == run_id) {
            return std::move(t);
        }
    }
    return std::nullopt;
}

std::vector<ConfigProblem> AutomationRunner::problems() const {
    return with_engine([](const AutomationEngine& e) { return e.problems(); });
}

tl::expected<void, std::string> AutomationRunner::apply_scene(const std::string& scene_id) {
    std::lock_guard lock(m_engine_mutex);
    auto r = m_engine->apply_scene(scene_id);
    after_engine_call();
    return r;
}

tl::expected<void, std::string>
AutomationRunner::create_scene(const std::string& scene_id,
                               const std::vector<std::string>& entity_ids) {
    std::lock_guard lock(m_engine_mutex);
    auto r = m_engine->create_scene(scene_id, entity_ids);
    after_engine_call();
    return r;
}

tl::expected<void, std::string> AutomationRunner::trigger(const std::string& automation_id,
                                                          bool skip_conditions) {
    std::lock_guard lock(m_engine_mutex);
    auto r = m_engine->trigger(automation_id, skip_conditions);
    after_engine_call();
    return r;
}

tl::expected<void, std::string> AutomationRunner::set_enabled(const std::string& automation_id,
                                                              bool enabled) {
    std::lock_guard lock(m_engine_mutex);
    auto r = m_engine->set_enabled(automation_id, enabled);
    after_engine_call();
    return r;
}

RunnerServiceResult AutomationRunner::call_service(const std::string& domain,
                                                   const std::string& service,
                                                   const nlohmann::json& data) {
    RunnerServiceResult out;
    if (domain != "scene" && domain != "automation") {
        return out;
    }
    out.handled = true;
    auto fail = [&](std::string message) {
        out.result = tl::unexpected(std::move(message));
        return out;
    };
    if (service == "reload") {
        const ReloadResult r = reload();
        out.result = json{{"automations", r.automations},
                          {"scenes", r.scenes},
                          {"problems", problems_to_json(r.problems)}};
        return out;
    }
    if (domain == "scene" && service == "create") {
        if (!data.is_object() || !data.contains("scene_id") || !data["scene_id"].is_string()) {
            return fail("scene_id (a string) is required");
        }
        const auto entities = entity_ids_of(data, "snapshot_entities");
        if (entities.empty()) {
            return fail("snapshot_entities (entity ids) is required");
        }
        if (auto r =
                create_scene(object_id(data["scene_id"].get<std::string>(), "scene"), entities);
            !r) {
            return fail(r.error());
        }
        return out;
    }
    const auto ids = entity_ids_of(data, "entity_id");
    if (ids.empty()) {
        return fail("entity_id is required");
    }
    for (const auto& id : ids) {
        tl::expected<void, std::string> r;
        if (domain == "scene" && service == "turn_on") {
            r = apply_scene(object_id(id, "scene"));
        } else if (domain == "automation" && service == "trigger") {
            // Home Assistant's default: a manual trigger skips the conditions.
            const bool skip = data.is_object() && data.contains("skip_condition") &&
                                      data["skip_condition"].is_boolean()
                                  ? data["skip_condition"].get<bool>()
                                  : true;
            r = trigger(object_id(id, "automation"), skip);
        } else if (domain == "automation" && (service == "turn_on" || service == "turn_off")) {
            r = set_enabled(object_id(id, "automation"), service == "turn_on");
        } else {
            return fail(domain + "." + service +
                        " is not a service (scene: turn_on, create, "
                        "reload; automation: trigger, turn_on, "
                        "turn_off, reload)");
        }
        if (!r) {
            return fail(r.error());
        }
    }
    return out;
}

std::uint64_t AutomationRunner::inputs_dropped() const {
    std::lock_guard lock(m_queue_mutex);
    return m_dropped;
}

} // namespace hearth::hub::automation
