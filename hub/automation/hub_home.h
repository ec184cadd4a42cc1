#pragma once

// The automation engine's Home over the running hub: states and service calls go to the Hub,
// fired events onto its bus (stored and broadcast), notifications to the log and to MQTT
// (JSON on hearth/notify/<service>).
//
// Threading: call from a thread that holds none of the hub's locks (the AutomationRunner's
// thread or an API thread), never from inside a hub listener.

#include <string>

#include "automation/home.h"

namespace hearth::hub {
class Hub;
}

namespace hearth::hub::automation {

class HubHome final : public Home {
public:
    explicit HubHome(Hub& hub, std::string notify_base = "hearth/notify")
        : m_hub(hub), m_notify_base(std::move(notify_base)) {}

    [[nodiscard]] std::optional<EntityState> state(const std::string& entity_id) const override;
    [[nodiscard]] std::vector<EntityState> states() const override;
    tl::expected<void, std::string> call_service(const ServiceCall& call) override;
    void fire_event(const std::string& event_type, const nlohmann::json& data) override;
    void notify(const std::string& service, const nlohmann::json& message) override;

private:
    Hub& m_hub;
    std::string m_notify_base;
};

} // namespace hearth::hub::automation
