// The recording fetch: one HTTP(S) GET with Boost.Beast, a size cap and a deadline (the host is allow-listed by the
// caller). TLS peers are verified against the system's trust store.
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include "activities/activities_service.hpp"

namespace otdel::activities {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

namespace {

template <class Stream>
core::Result<std::string> Get(Stream& stream, const bhttp::request<bhttp::empty_body>& req, std::size_t max_bytes) {
    bhttp::write(stream, req);
    beast::flat_buffer buf;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(max_bytes);
    bhttp::read(stream, buf, parser);
    if (parser.get().result() != bhttp::status::ok)
        return core::Error::Of(core::ErrorCode::kUnavailable, "activities.recording_fetch_failed");
    return std::move(parser.get().body());
}

}  // namespace

core::Result<std::string> HttpFetch(const std::string& url_text, std::size_t max_bytes) {
    auto url = boost::urls::parse_uri(url_text);
    if (!url) return core::Error::Of(core::ErrorCode::kUnavailable, "activities.recording_fetch_failed");
    const bool tls = url->scheme() == "https";
    const std::string host(url->host());
    const std::string port = url->has_port() ? std::string(url->port()) : (tls ? "443" : "80");
    std::string target(url->encoded_target());
    if (target.empty()) target = "/";
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, host);
    req.set(bhttp::field::user_agent, "otdel");
    try {
        asio::io_context io;
        asio::ip::tcp::resolver resolver(io);
        const auto endpoints = resolver.resolve(host, port);
        const auto deadline = std::chrono::seconds(60);
        if (!tls) {
            beast::tcp_stream stream(io);
            stream.expires_after(deadline);
            stream.connect(endpoints);
            return Get(stream, req, max_bytes);
        }
        asio::ssl::context ctx(asio::ssl::context::tls_client);
        ctx.set_default_verify_paths();
        ctx.set_verify_mode(asio::ssl::verify_peer);
        beast::ssl_stream<beast::tcp_stream> stream(io, ctx);
        if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()))
            return core::Error::Of(core::ErrorCode::kUnavailable, "activities.recording_fetch_failed");
        stream.set_verify_callback(asio::ssl::host_name_verification(host));
        beast::get_lowest_layer(stream).expires_after(deadline);
        beast::get_lowest_layer(stream).connect(endpoints);
        stream.handshake(asio::ssl::stream_base::client);
        return Get(stream, req, max_bytes);
    } catch (const std::exception& e) {
        spdlog::warn("activities: fetching a recording from {} failed: {}", host, e.what());
        return core::Error::Of(core::ErrorCode::kUnavailable, "activities.recording_fetch_failed");
    }
}

}  // namespace otdel::activities
