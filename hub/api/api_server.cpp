#include "api/api_server.h"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <set>
#include <thread>

#include "common/iso8601.h"

namespace hearth::hub {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using json = nlohmann::json;

class Server;

std::string iso(TimestampMs ms) {
    return formats::format_iso8601(formats::UtcTime::from_unix_ms(ms));
}

json state_or_null(const std::optional<EntityState>& s) {
    return s ? state_to_json(*s) : json(nullptr);
}

class WsSession : public std::enable_shared_from_this<WsSession> {
public:
    WsSession(tcp::socket socket, Server& server, bool authenticated)
        : m_ws(std::move(socket)), m_server(server), m_authenticated(authenticated) {}

    void start(http::request<http::string_body> upgrade);
    void deliver(const std::shared_ptr<const std::string>& text, int subscription_id);
    [[nodiscard]] int subscription() const { return m_subscription; }
    void close();

private:
    void read();
    void on_message(const std::string& text);
    void send(json message);
    void send_raw(std::shared_ptr<const std::string> text);
    void write_next();

    websocket::stream<tcp::socket> m_ws;
    Server& m_server;
    bool m_authenticated;
    int m_subscription = 0; // id of the subscribe_events request, 0 when not subscribed
    beast::flat_buffer m_buffer;
    std::deque<std::shared_ptr<const std::string>> m_queue;
    bool m_writing = false;
    bool m_closed = false;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket socket, Server& server)
        : m_stream(std::move(socket)), m_server(server) {}
    void start() { read(); }

private:
    void read();
    void on_read(beast::error_code ec);
    void write(http::response<http::string_body> response, bool keep_alive);

    beast::tcp_stream m_stream;
    Server& m_server;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
};

class Server final : public ApiServer {
public:
    Server(Hub& hub, const TokenStore& tokens, const Clock& clock, ApiServerOptions options,
           automation::AutomationRunner* automations)
        : m_routes(hub, tokens, clock, automations), m_hub(hub), m_options(std::move(options)),
          m_acceptor(m_io) {}

    ~Server() override { stop(); }
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    tl::expected<void, std::string> start() {
        beast::error_code ec;
        const auto address = net::ip::make_address(m_options.bind_address, ec);
        if (ec) {
            return tl::unexpected("api: bad bind address " + m_options.bind_address);
        }
        const tcp::endpoint endpoint(address, static_cast<unsigned short>(m_options.port));
        m_acceptor.open(endpoint.protocol(), ec);
        if (!ec) {
            m_acceptor.set_option(net::socket_base::reuse_address(true), ec);
        }
        if (!ec) {
            m_acceptor.bind(endpoint, ec);
        }
        if (!ec) {
            m_acceptor.listen(net::socket_base::max_listen_connections, ec);
        }
        if (ec) {
            return tl::unexpected("api: cannot listen on " + m_options.bind_address + ":" +
                                  std::to_string(m_options.port) + ": " + ec.message());
        }
        m_port = m_acceptor.local_endpoint().port();
        m_listener = m_hub.subscribe([this](const StateChangedEvent& e) { on_event(e); });
        accept();
        m_thread = std::thread([this] { m_io.run(); });
        return {};
    }

    [[nodiscard]] int port() const override { return m_port; }

    void stop() override {
        if (m_stopped.exchange(true)) {
            return;
        }
        if (m_listener != 0) {
            m_hub.unsubscribe(m_listener);
        }
        net::post(m_io, [this] {
            beast::error_code ec;
            m_acceptor.close(ec);
            for (const auto& weak : m_ws_sessions) {
                if (auto s = weak.lock()) {
                    s->close();
                }
            }
        });
        m_io.stop();
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }

    const ApiRoutes& routes() const { return m_routes; }
    Hub& hub() { return m_hub; }
    const ApiServerOptions& options() const { return m_options; }
    void add_ws(const std::shared_ptr<WsSession>& s) { m_ws_sessions.insert(s); }
    void remove_ws(WsSession* s) {
        std::erase_if(m_ws_sessions, [s](const auto& weak) {
            auto locked = weak.lock();
            return !locked || locked.get() == s;
        });
    }

private:
    void accept() {
        m_acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
            if (ec) {
                return; // closed
            }
            // Events are small writes: without this, Nagle's algorithm holds them back
            // waiting for the client's delayed ACK.
            beast::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            std::make_shared<HttpSession>(std::move(socket), *this)->start();
            accept();
        });
    }

    // Runs on the hub's processing thread: serialise once, hand over to the I/O thread.
    void on_event(const StateChangedEvent& e) {
        json event = {{"event_type", "state_changed"},
                      {"time_fired", iso(e.time_ms)},
                      {"data",
                       {{"entity_id", e.entity_id},
                        {"old_state", state_or_null(e.old_state)},
                        {"new_state", state_or_null(e.new_state)}}}};
        auto body = std::make_shared<const json>(std::move(event));
        net::post(m_io, [this, body] {
            for (const auto& weak : m_ws_sessions) {
                if (auto s = weak.lock(); s && s->subscription() != 0) {
                    json message = {{"id", s->subscription()}, {"type", "event"}, {"event", *body}};
                    s->deliver(std::make_shared<const std::string>(message.dump()),
                               s->subscription());
                }
            }
        });
    }

    ApiRoutes m_routes;
    Hub& m_hub;
    ApiServerOptions m_options;
    net::io_context m_io{1};
    tcp::acceptor m_acceptor;
    std::thread m_thread;
    int m_port = 0;
    int m_listener = 0;
    std::atomic<bool> m_stopped{false};
    std::set<std::weak_ptr<WsSession>, std::owner_less<std::weak_ptr<WsSession>>> m_ws_sessions;
};

void HttpSession::read() {
    m_parser.emplace();
    m_parser->body_limit(m_server.options().max_body_bytes);
    m_stream.expires_after(std::chrono::seconds(60));
    http::async_read(
        m_stream, m_buffer, *m_parser,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void HttpSession::on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout) {
        beast::error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        return;
    }
    if (ec) {
        if (ec == http::error::body_limit) {
            http::response<http::string_body> res{http::status::payload_too_large, 11};
            res.set(http::field::content_type, "application/json");
            res.body() = json({{"error", "request body too large"}}).dump();
            res.prepare_payload();
            write(std::move(res), false);
        }
        return;
    }
    auto request = m_parser->release();
    const std::string authorization(request[http::field::authorization]);
    if (websocket::is_upgrade(request)) {
        if (request.target() != "/api/websocket") {
            return; // not a WebSocket endpoint: drop the connection
        }
        m_stream.expires_never();
        const bool authenticated = m_server.routes().authorized(authorization);
        auto session =
            std::make_shared<WsSession>(m_stream.release_socket(), m_server, authenticated);
        m_server.add_ws(session);
        session->start(std::move(request));
        return;
    }
    ApiRequest api{std::string(request.method_string()), std::string(request.target()),
                   authorization, request.body()};
    const ApiResponse out = m_server.routes().handle(api);
    http::response<http::string_body> res{static_cast<http::status>(out.status), request.version()};
    res.set(http::field::server, "hearth");
    res.set(http::field::content_type, "application/json");
    if (out.status == 401) {
        res.set(http::field::www_authenticate, "Bearer");
    }
    res.body() = out.body.dump();
    res.prepare_payload();
    write(std::move(res), request.keep_alive());
}

void HttpSession::write(http::response<http::string_body> response, bool keep_alive) {
    response.keep_alive(keep_alive);
    auto shared = std::make_shared<http::response<http::string_body>>(std::move(response));
    http::async_write(
        m_stream, *shared,
        [self = shared_from_this(), shared, keep_alive](beast::error_code ec, std::size_t) {
            if (ec || !keep_alive) {
                beast::error_code ignored;
                self->m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                return;
            }
            self->read();
        });
}

void WsSession::start(http::request<http::string_body> upgrade) {
    m_ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    m_ws.read_message_max(1U << 20U);
    auto request = std::make_shared<http::request<http::string_body>>(std::move(upgrade));
    m_ws.async_accept(*request, [self = shared_from_this(), request](beast::error_code ec) {
        if (ec) {
            self->m_server.remove_ws(self.get());
            return;
        }
        self->send(self->m_authenticated ? json{{"type", "auth_ok"}}
                                         : json{{"type", "auth_required"}});
        self->read();
    });
}

void WsSession::read() {
    m_ws.async_read(m_buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) {
            self->m_closed = true;
            self->m_server.remove_ws(self.get());
            return;
        }
        const std::string text = beast::buffers_to_string(self->m_buffer.data());
        self->m_buffer.consume(self->m_buffer.size());
        self->on_message(text);
        if (!self->m_closed) {
            self->read();
        }
    });
}

void WsSession::on_message(const std::string& text) {
    const json message = json::parse(text, nullptr, false);
    if (!message.is_object() || !message.contains("type") || !message["type"].is_string()) {
        send({{"type", "result"},
              {"success", false},
              {"error",
               {{"code", "invalid_format"}, {"message", "not a JSON object with a type"}}}});
        return;
    }
    const std::string type = message["type"].get<std::string>();
    if (!m_authenticated) {
        if (type == "auth" && message.contains("access_token") &&
            message["access_token"].is_string() &&
            m_server.routes().authorized("Bearer " + message["access_token"].get<std::string>())) {
            m_authenticated = true;
            send({{"type", "auth_ok"}});
        } else {
            send({{"type", "auth_invalid"}, {"message", "invalid access token"}});
            close();
        }
        return;
    }
    const json id = message.value("id", json(nullptr));
    auto result = [&](bool success, json payload) {
        json out = {{"id", id}, {"type", "result"}, {"success", success}};
        out[success ? "result" : "error"] = std::move(payload);
        send(std::move(out));
    };
    if (type == "subscribe_events") {
        const std::string event_type = message.value("event_type", "state_changed");
        if (event_type != "state_changed" || !id.is_number_integer()) {
            result(false, {{"code", "invalid_format"},
                           {"message", "only state_changed, with an integer id"}});
            return;
        }
        m_subscription = id.get<int>();
        result(true, nullptr);
    } else if (type == "unsubscribe_events") {
        m_subscription = 0;
        result(true, nullptr);
    } else if (type == "get_states") {
        json states = json::array();
        for (const auto& s : m_server.hub().states()) {
            states.push_back(state_or_null(s));
        }
        result(true, states);
    } else if (type == "call_service") {
        json data = message.value("service_data", json::object());
        if (!data.is_object()) {
            data = json::object();
        }
        if (message.contains("target") && message["target"].is_object() &&
            message["target"].contains("entity_id")) {
            data["entity_id"] = message["target"]["entity_id"];
        }
        auto r = m_server.routes().call_service(message.value("domain", ""),
                                                message.value("service", ""), data);
        if (r) {
            result(true, nullptr);
        } else {
            result(false, {{"code", "service_error"}, {"message", r.error()}});
        }
    } else if (type == "ping") {
        send({{"id", id}, {"type", "pong"}});
    } else {
        result(false, {{"code", "unknown_command"}, {"message", "unknown type " + type}});
    }
}

void WsSession::send(json message) {
    send_raw(std::make_shared<const std::string>(message.dump()));
}

void WsSession::deliver(const std::shared_ptr<const std::string>& text, int) {
    if (m_queue.size() >= m_server.options().max_queued_events) {
        close(); // a client this far behind would only grow the hub's memory
        return;
    }
    send_raw(text);
}

void WsSession::send_raw(std::shared_ptr<const std::string> text) {
    if (m_closed) {
        return;
    }
    m_queue.push_back(std::move(text));
    if (!m_writing) {
        write_next();
    }
}

void WsSession::write_next() {
    if (m_queue.empty() || m_closed) {
        m_writing = false;
        return;
    }
    m_writing = true;
    m_ws.text(true);
    m_ws.async_write(net::buffer(*m_queue.front()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) {
                             self->m_closed = true;
                             self->m_server.remove_ws(self.get());
                             return;
                         }
                         self->m_queue.pop_front();
                         self->write_next();
                     });
}

void WsSession::close() {
    if (m_closed) {
        return;
    }
    m_closed = true;
    m_ws.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {
        self->m_server.remove_ws(self.get());
    });
}

} // namespace

tl::expected<std::unique_ptr<ApiServer>, std::string>
start_api_server(Hub& hub, const TokenStore& tokens, const Clock& clock,
                 const ApiServerOptions& options, automation::AutomationRunner* automations) {
    auto server = std::make_unique<Server>(hub, tokens, clock, options, automations);
    if (auto r = server->start(); !r) {
        return tl::unexpected(r.error());
    }
    return std::unique_ptr<ApiServer>(std::move(server));
}

} // namespace hearth::hub
