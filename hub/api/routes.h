#pragma once

// The REST API, as plain request -> response logic (no sockets), so it is tested directly; the
// HTTP server (http_server.h) only moves bytes. Every route needs a bearer token. Documented in
// docs/api.md.

#include <string>

#include <nlohmann/json.hpp>

#include "api/tokens.h"
#include "daemon/hub.h"

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

class ApiRoutes {
public:
    ApiRoutes(Hub& hub, const TokenStore& tokens, const Clock& clock)
        : m_hub(hub), m_tokens(tokens), m_clock(clock) {}

    ApiResponse handle(const ApiRequest& request) const;
    [[nodiscard]] bool authorized(const std::string& authorization) const;

private:
    Hub& m_hub;
    const TokenStore& m_tokens;
    const Clock& m_clock;
};

// An entity state as the API shows it (REST and WebSocket): ISO 8601 UTC times.
nlohmann::json state_to_json(const EntityState& state);

// Splits "/a/b?x=1&y=%20" into a path and decoded query parameters.
struct ParsedTarget {
    std::string path;
    std::map<std::string, std::string> query;
};
ParsedTarget parse_target(const std::string& target);

} // namespace hearth::hub
