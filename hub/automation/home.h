#pragma once

// What automations act on: the home's current states, its devices' services, the event bus and
// notifications. The hub implements it; tests use a fake (hub/testing/fake_home.h).

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "core/entity.h"
#include "devices/device_adapter.h"

namespace hearth::hub::automation {

class Home {
public:
    virtual ~Home() = default;
    [[nodiscard]] virtual std::optional<EntityState> state(const std::string& entity_id) const = 0;
    [[nodiscard]] virtual std::vector<EntityState> states() const = 0;
    // Sends a device command (one entity per call). Errors: unknown entity, unsupported service.
    virtual tl::expected<void, std::string> call_service(const ServiceCall& call) = 0;
    // Puts an event on the hub's bus (stored, broadcast, and seen by event triggers).
    virtual void fire_event(const std::string& event_type, const nlohmann::json& data) = 0;
    // notify.<service>: logs the message and publishes it on hearth/notify/<service>.
    virtual void notify(const std::string& service, const nlohmann::json& message) = 0;
};

} // namespace hearth::hub::automation
