#include "testing/api_client.h"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/beast/websocket.hpp>

namespace hearth::hub::testing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

tcp::endpoint loopback(int port) {
    return {net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)};
}

http::verb to_verb(HttpMethod method) {
    switch (method) {
    case HttpMethod::get:
        return http::verb::get;
    case HttpMethod::post:
        return http::verb::post;
    case HttpMethod::delete_:
        return http::verb::delete_;
    }
    return http::verb::unknown;
}

} // namespace

HttpReply http_request(int port, HttpMethod method, const std::string& target,
                       const std::string& token, const std::string& body) {
    net::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(loopback(port));
    http::request<http::string_body> req{to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!token.empty()) {
        req.set(http::field::authorization, "Bearer " + token);
    }
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return {static_cast<int>(res.result_int()), nlohmann::json::parse(res.body(), nullptr, false)};
}

std::optional<nlohmann::json> get_json(int port, const std::string& target,
                                       const std::string& token) {
    try {
        HttpReply reply = http_request(port, HttpMethod::get, target, token);
        if (reply.status != 200 || reply.body.is_discarded()) {
            return std::nullopt;
        }
        return std::move(reply.body);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

struct WebSocketClient::Session {
    net::io_context io;
    beast::websocket::stream<tcp::socket> ws{io};
};

WebSocketClient::WebSocketClient(int port, const std::string& path)
    : m_session(std::make_unique<Session>()) {
    m_session->ws.next_layer().connect(loopback(port));
    m_session->ws.handshake("127.0.0.1", path);
}

WebSocketClient::~WebSocketClient() = default;

void WebSocketClient::send(const nlohmann::json& message) {
    m_session->ws.write(net::buffer(message.dump()));
}

nlohmann::json WebSocketClient::receive() {
    beast::flat_buffer buffer;
    m_session->ws.read(buffer);
    return nlohmann::json::parse(beast::buffers_to_string(buffer.data()));
}

} // namespace hearth::hub::testing
