#include "automation/hub_home.h"

#include "core/log.h"
#include "daemon/hub.h"

namespace hearth::hub::automation {

std::optional<EntityState> HubHome::state(const std::string& entity_id) const {
    return m_hub.state(entity_id);
}

std::vector<EntityState> HubHome::states() const {
    return m_hub.states();
}

tl::expected<void, std::string> HubHome::call_service(const ServiceCall& call) {
    return m_hub.call_service(call);
}

void HubHome::fire_event(const std::string& event_type, const nlohmann::json& data) {
    m_hub.fire_event(event_type, data);
}

void HubHome::notify(const std::string& service, const nlohmann::json& message) {
    std::string text = message.is_object() ? message.value("message", std::string()) : "";
    if (message.is_object() && message.contains("title") && message["title"].is_string() &&
        !message["title"].get<std::string>().empty()) {
        text = message["title"].get<std::string>() + ": " + text;
    }
    log_line(LogLevel::Info, "notify." + service, text.empty() ? message.dump() : text);
    if (auto r = m_hub.publish(m_notify_base + "/" + service, message.dump(), MqttRetain::No); !r) {
        log_line(LogLevel::Warn, "notify." + service, r.error());
    }
}

} // namespace hearth::hub::automation
