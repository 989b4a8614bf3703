#include "notify/telegram.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <chrono>

namespace otdel::notify {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

namespace {

template <class Stream>
core::Result<void> Exchange(Stream& stream, const http::request<http::string_body>& req) {
    http::write(stream, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(stream, buf, res);
    boost::system::error_code ec;
    const json::value v = json::parse(res.body(), ec);
    const bool ok = res.result() == http::status::ok && !ec && v.is_object() && v.as_object().contains("ok") &&
                    v.as_object().at("ok").is_bool() && v.as_object().at("ok").as_bool();
    if (!ok) {
        spdlog::warn("telegram: sendMessage answered {}: {}", static_cast<int>(res.result_int()),
                     res.body().substr(0, 300));
        return core::Error::Of(core::ErrorCode::kUnavailable, "notify.telegram_refused");
    }
    return core::Ok();
}

}  // namespace

core::Result<void> TelegramSender::Send(const std::string& chat_id, const std::string& text) {
    if (config_.bot_token.empty()) return core::Error::Of(core::ErrorCode::kUnavailable, "notify.telegram_off");
    auto url = boost::urls::parse_uri(config_.api_base);
    if (!url) return core::Error::Of(core::ErrorCode::kUnavailable, "notify.telegram_bad_url");
    const bool tls = url->scheme() == "https";
    const std::string host(url->host());
    const std::string port = url->has_port() ? std::string(url->port()) : (tls ? "443" : "80");
    std::string base_path(url->path());
    if (!base_path.empty() && base_path.back() == '/') base_path.pop_back();

    http::request<http::string_body> req{http::verb::post, base_path + "/bot" + config_.bot_token + "/sendMessage", 11};
    req.set(http::field::host, host);
    req.set(http::field::content_type, "application/json");
    req.set(http::field::user_agent, "otdel");
    // chat ids are numbers; Telegram also accepts them as strings, which keeps 64-bit ids exact.
    req.body() =
        json::serialize(json::object{{"chat_id", chat_id}, {"text", text}, {"disable_web_page_preview", true}});
    req.prepare_payload();
    try {
        asio::io_context io;
        asio::ip::tcp::resolver resolver(io);
        const auto endpoints = resolver.resolve(host, port);
        const auto deadline = std::chrono::seconds(config_.timeout_s);
        if (!tls) {
            beast::tcp_stream stream(io);
            stream.expires_after(deadline);
            stream.connect(endpoints);
            auto r = Exchange(stream, req);
            boost::system::error_code ec;
            stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
            return r;
        }
        asio::ssl::context ctx(asio::ssl::context::tls_client);
        ctx.set_default_verify_paths();
        ctx.set_verify_mode(asio::ssl::verify_peer);
        beast::ssl_stream<beast::tcp_stream> stream(io, ctx);
        if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()))
            return core::Error::Of(core::ErrorCode::kUnavailable, "notify.telegram_tls");
        stream.set_verify_callback(asio::ssl::host_name_verification(host));
        beast::get_lowest_layer(stream).expires_after(deadline);
        beast::get_lowest_layer(stream).connect(endpoints);
        stream.handshake(asio::ssl::stream_base::client);
        auto r = Exchange(stream, req);
        boost::system::error_code ec;
        stream.shutdown(ec);
        return r;
    } catch (const std::exception& e) {
        spdlog::warn("telegram: sending failed: {}", e.what());
        return core::Error::Of(core::ErrorCode::kUnavailable, "notify.telegram_unreachable");
    }
}

}  // namespace otdel::notify
