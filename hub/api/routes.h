#pragma once

// The REST API, as plain request -> response logic (no sockets), so it is tested directly; the
// HTTP server (http_server.h) only moves bytes. Every route needs a bearer token. Documented in
// docs/api.md.

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/tokens.h"
#include "daemon/hub.h"

namespace hearth::hub::automation {
class AutomationRunner;
}

namespace hearth::hub {

struct ApiRequest {
    std::string method;        // "GET", "POST"
    std::string target;        // path and query, e.g. "/api/history?entity_id=light.a"
    std::string authorization; // the Authorization header, "Bearer <token>"
    std::string body;
};

struct ApiResponse {
    int status = 200;
    nlohmann::json body;
};

// Splits "/a/b?x=1&y=%20" into a path and decoded query parameters.
struct ParsedTarget {
    std::string path;
    std::map<std::string, std::string> query;
};
ParsedTarget parse_target(const std::string& target);

class ApiRoutes {
public:
    // `automations` (may be null: the automation routes then answer 503) answers the
    // /api/automations, /api/traces and /api/scenes routes and the scene.* and automation.*
    // services.
    ApiRoutes(Hub& hub, const TokenStore& tokens, const Clock& clock,
              automation::AutomationRunner* automations = nullptr)
        : m_hub(hub), m_tokens(tokens), m_clock(clock), m_automations(automations) {}

    ApiResponse handle(const ApiRequest& request) const;
    [[nodiscard]] bool authorized(const std::string& authorization) const;
    // A service call from REST or WebSocket: scene.* and automation.* go to the automation
    // runner, the rest to the device owning data["entity_id"]. The result JSON, or an error.
    [[nodiscard]] tl::expected<nlohmann::json, std::string>
    call_service(const std::string& domain, const std::string& service, nlohmann::json data) const;

private:
    [[nodiscard]] std::optional<ApiResponse> handle_automations(const ApiRequest& request,
                                                                const ParsedTarget& target) const;

    Hub& m_hub;
    const TokenStore& m_tokens;
    const Clock& m_clock;
    automation::AutomationRunner* m_automations;
};

// An entity state as the API shows it (REST and WebSocket): ISO 8601 UTC times.
nlohmann::json state_to_json(const EntityState& state);

} // namespace hearth::hub
