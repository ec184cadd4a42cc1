#pragma once

// The hub's HTTP and WebSocket server (Boost.Beast underneath; its headers stay in the .cpp).
// REST requests go to ApiRoutes; `/api/websocket` speaks a small event protocol modelled on
// Home Assistant's (auth, subscribe_events, get_states, call_service, ping), documented in
// docs/api.md. One I/O thread; a WebSocket client that falls behind by more than
// `max_queued_events` events is disconnected rather than letting memory grow.

#include <memory>
#include <string>

#include <tl/expected.hpp>

#include "api/routes.h"

namespace hearth::hub {

struct ApiServerOptions {
    std::string bind_address = "127.0.0.1";
    int port = 8123; // 0: pick a free port (see ApiServer::port)
    std::size_t max_queued_events = 10'000;
    std::size_t max_body_bytes = 32U << 20U; // activity files can be large
};

class ApiServer {
public:
    virtual ~ApiServer() = default;
    [[nodiscard]] virtual int port() const = 0;
    virtual void stop() = 0;
};

// `automations` (may be null) answers the automation routes and services (see ApiRoutes).
tl::expected<std::unique_ptr<ApiServer>, std::string>
start_api_server(Hub& hub, const TokenStore& tokens, const Clock& clock,
                 const ApiServerOptions& options,
                 automation::AutomationRunner* automations = nullptr);

} // namespace hearth::hub
