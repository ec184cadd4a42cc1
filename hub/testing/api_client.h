#pragma once

// A blocking client of the hub's API for tests: one HTTP request per call, and a WebSocket
// session. Loopback only. Test-only; kept in one file so that the tests do not each compile
// Boost.Beast.

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace hearth::hub::testing {

enum class HttpMethod { get, post, delete_ };

struct HttpReply {
    int status = 0;
    nlohmann::json body; // discarded (is_discarded()) when the body is not JSON
};

// Sends one request to 127.0.0.1:port, with `Authorization: Bearer token` unless token is
// empty, and reads the whole reply. Throws on a network error.
HttpReply http_request(int port, HttpMethod method, const std::string& target,
                       const std::string& token, const std::string& body = "");

// GET for polling a hub that may be starting, restarting or busy: the body when the answer is
// 200 and JSON; nullopt on a network error, another status or a body that is not JSON.
std::optional<nlohmann::json> get_json(int port, const std::string& target,
                                       const std::string& token);

// A WebSocket connected to ws://127.0.0.1:port/path. Throws on a network error.
class WebSocketClient {
public:
    WebSocketClient(int port, const std::string& path);
    ~WebSocketClient();
    WebSocketClient(const WebSocketClient&) = delete;
    WebSocketClient& operator=(const WebSocketClient&) = delete;

    void send(const nlohmann::json& message);
    // The next message, parsed as JSON (blocks until one arrives).
    nlohmann::json receive();

private:
    struct Session;
    std::unique_ptr<Session> m_session;
};

} // namespace hearth::hub::testing
