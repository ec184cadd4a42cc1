#include "automation/engine.h"

namespace hearth::hub::automation {

struct AutomationEngine::Impl {
    Impl(Home& home_in, const Clock& clock_in, EngineOptions options_in)
        : home(home_in), clock(clock_in), options(options_in) {}
    Home& home;
    const Clock& clock;
    EngineOptions options;
    HomeConfig config;
};

AutomationEngine::AutomationEngine(Home& home, const Clock& clock, EngineOptions options)
    : m_impl(std::make_unique<Impl>(home, clock, options)) {}

AutomationEngine::~AutomationEngine() = default;

void AutomationEngine::load(HomeConfig config) {
    m_impl->config = std::move(config);
}

void AutomationEngine::on_state_changed(const StateChangedEvent& /*event*/) {}

void AutomationEngine::on_event(const std::string& /*event_type*/, const nlohmann::json& /*data*/,
                                TimestampMs /*time_ms*/) {}

void AutomationEngine::advance() {}

std::optional<TimestampMs> AutomationEngine::next_deadline() const {
    return std::nullopt;
}

tl::expected<void, std::string> AutomationEngine::apply_scene(const std::string& scene_id) {
    return tl::unexpected("unknown scene " + scene_id);
}

tl::expected<void, std::string>
AutomationEngine::create_scene(const std::string& scene_id,
                               const std::vector<std::string>& /*entity_ids*/) {
    return tl::unexpected("not yet: " + scene_id);
}

tl::expected<void, std::string> AutomationEngine::trigger(const std::string& automation_id,
                                                          bool /*skip_conditions*/) {
    return tl::unexpected("unknown automation " + automation_id);
}

tl::expected<void, std::string> AutomationEngine::set_enabled(const std::string& automation_id,
                                                              bool /*enabled*/) {
    return tl::unexpected("unknown automation " + automation_id);
}

std::vector<AutomationInfo> AutomationEngine::automations() const {
    return {};
}

std::vector<Scene> AutomationEngine::scenes() const {
    return m_impl->config.scenes;
}

std::vector<Trace> AutomationEngine::traces(const std::string& /*automation_id*/) const {
    return {};
}

const std::vector<ConfigProblem>& AutomationEngine::problems() const {
    return m_impl->config.problems;
}

} // namespace hearth::hub::automation
