// Real sockets on 127.0.0.1 with an ephemeral port: the server as a browser or an integration sees it.
#include "http/server.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <zlib.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "core/ids.hpp"
#include "http/json.hpp"
#include "http/tests/gunzip.hpp"

namespace otdel::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
namespace fs = std::filesystem;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

using ClientResponse = bhttp::response<bhttp::string_body>;

using otdel::http::testing::Gunzip;

/// A blocking HTTP/1.1 client on one connection; every read and write gives up after 5 s so a bug fails, not hangs.
class Client {
public:
    explicit Client(std::uint16_t port) : socket_(ioc_) {
        socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
        timeval tv{5, 0};
        setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }

    static bhttp::request<bhttp::string_body> Get(std::string target) {
        bhttp::request<bhttp::string_body> req{bhttp::verb::get, target, 11};
        req.set(bhttp::field::host, "127.0.0.1");
        return req;
    }

    void Write(bhttp::request<bhttp::string_body> req) {
        req.prepare_payload();
        bhttp::write(socket_, req);
    }
    void WriteRaw(std::string_view bytes) { net::write(socket_, net::buffer(bytes)); }

    ClientResponse Read() {
        ClientResponse res;
        bhttp::read(socket_, buffer_, res);
        return res;
    }
    ClientResponse Send(bhttp::request<bhttp::string_body> req) {
        Write(std::move(req));
        return Read();
    }
    /// True when the server has closed the connection (the next read sees end of stream or a reset).
    bool ServerClosed() {
        beast::error_code ec;
        char c;
        if (buffer_.size() > 0) return false;
        socket_.read_some(net::buffer(&c, 1), ec);
        return ec == net::error::eof || ec == net::error::connection_reset;
    }
    std::string ReadUntil(std::string_view delim) {
        net::read_until(socket_, net::dynamic_buffer(raw_), delim);
        auto pos = raw_.find(delim) + delim.size();
        std::string out = raw_.substr(0, pos);
        raw_.erase(0, pos);
        return out;
    }
    void Close() {
        beast::error_code ec;
        socket_.shutdown(tcp::socket::shutdown_both, ec);
        socket_.close(ec);
    }
    tcp::socket& socket() { return socket_; }

private:
    net::io_context ioc_;
    tcp::socket socket_;
    beast::flat_buffer buffer_;
    std::string raw_;
};

bool ConnectionRefused(std::uint16_t port) {
    net::io_context ioc;
    tcp::socket s(ioc);
    beast::error_code ec;
    s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
    return ec == net::error::connection_refused;
}

class ServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        router.Get("/api/ping", Access::kPublic, [](Request& req) {
            return Json(json::object{{"pong", true}, {"request_id", req.request_id}});
        });
        router.Post("/api/echo", Access::kPublic, [](Request& req) {
            return Json(json::object{{"bytes", req.body.size()}});
        });
        router.Get("/api/slow", Access::kPublic, [this](Request&) {
            slow_started.set_value();
            std::this_thread::sleep_for(500ms);
            return Json(json::object{{"slow", true}});
        });
        router.Get("/api/hold", Access::kPublic, [this](Request&) {
            hold_started.set_value();
            hold_release.wait_for(5s);
            return Json(json::object{{"held", true}});
        });
        router.Get("/api/live", Access::kPublic, [this](Request&) {
            Response res;
            res.content_type = "text/event-stream";
            res.stream = [this](std::shared_ptr<EventSink> sink) { sink_promise.set_value(std::move(sink)); };
            return res;
        });

        static_root = fs::temp_directory_path() / ("otdel_srv_" + core::RandomToken(6));
        fs::create_directories(static_root / "assets");
        std::ofstream(static_root / "index.html") << "<!doctype html><div id=root></div>";
        for (int i = 0; i < 300; ++i) app_js += "console.log('строка " + std::to_string(i) + "');\n";
        std::ofstream(static_root / "assets" / "app-1a2b.js") << app_js;
        files = StaticFiles::Load(static_root.string());
    }

    void TearDown() override {
        StopServer();
        fs::remove_all(static_root);
    }

    void StartServer(ServerConfig cfg = {}) {
        cfg.host = "127.0.0.1";
        cfg.port = 0;
        cfg.access_log = false;
        cfg.shutdown_grace_ms = 5000;
        dispatcher = std::make_unique<Dispatcher>(router, Guard{});
        server = std::make_unique<Server>(cfg, *dispatcher, files.get());
        server->Listen();
        port = server->port();
        run_done = std::async(std::launch::async, [this] { server->Run(false); });
    }

    /// Stops the server and waits (bounded) for Run() to return. Returns false when it did not.
    bool StopServer() {
        if (!server) return true;
        server->Stop();
        bool returned = run_done.wait_for(10s) == std::future_status::ready;
        if (!returned) {
            ADD_FAILURE() << "Server::Run did not return after Stop()";
            (void)server.release();  // still running: leak it rather than destroy it under its threads
            (void)dispatcher.release();
            return false;
        }
        server.reset();
        return true;
    }

    Router router;
    std::unique_ptr<Dispatcher> dispatcher;
    std::unique_ptr<StaticFiles> files;
    std::unique_ptr<Server> server;
    std::future<void> run_done;
    std::uint16_t port = 0;
    fs::path static_root;
    std::string app_js;
    std::promise<void> slow_started, hold_started;
    std::promise<void> hold_release_promise;
    std::shared_future<void> hold_release = hold_release_promise.get_future().share();
    std::promise<std::shared_ptr<EventSink>> sink_promise;
};

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
    StartServer();
    Client c(port);
    auto first = c.Send(Client::Get("/api/ping"));
    auto second = c.Send(Client::Get("/api/ping"));
    EXPECT_EQ(first.result_int(), 200);
    EXPECT_EQ(second.result_int(), 200);
    EXPECT_TRUE(first.keep_alive());
    EXPECT_EQ(json::parse(second.body()).at("pong").as_bool(), true);
}

TEST_F(ServerTest, BodyOverTheLimitIs413ProblemJson) {
    ServerConfig cfg;
    cfg.body_limit = 1024;
    StartServer(cfg);
    Client c(port);
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/echo", 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.set(bhttp::field::content_type, "application/json");
    req.body() = std::string(4096, 'x');
    auto res = c.Send(std::move(req));
    EXPECT_EQ(res.result_int(), 413);
    EXPECT_EQ(res[bhttp::field::content_type], "application/problem+json");
    EXPECT_EQ(json::parse(res.body()).at("code").as_string(), "payload_too_large");
}

TEST_F(ServerTest, MultiMegabyteUploadOverTheDefaultLimitStillGets413) {
    StartServer();  // default limit: 1 MiB
    Client c(port);
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/echo", 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.set(bhttp::field::content_type, "application/json");
    req.body() = std::string(3 << 20, 'x');
    auto res = c.Send(std::move(req));
    EXPECT_EQ(res.result_int(), 413);
    EXPECT_EQ(res[bhttp::field::content_type], "application/problem+json");
    EXPECT_EQ(json::parse(res.body()).at("code").as_string(), "payload_too_large");
}

TEST_F(ServerTest, BodyWithinTheLimitReachesTheHandler) {
    ServerConfig cfg;
    cfg.body_limit = 1024;
    StartServer(cfg);
    Client c(port);
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/echo", 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.body() = std::string(1024, 'x');
    auto res = c.Send(std::move(req));
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(json::parse(res.body()).at("bytes").as_int64(), 1024);
}

TEST_F(ServerTest, ARouteLimitWithAParameterTakesLargerBodiesOnlyOnThatRoute) {
    ServerConfig cfg;
    cfg.body_limit = 1024;
    cfg.body_limit_routes.emplace_back("PUT /api/things/{id}/file", 8192);
    StartServer(cfg);
    auto put = [&](const char* target) {
        Client c(port);
        bhttp::request<bhttp::string_body> req{bhttp::verb::put, target, 11};
        req.set(bhttp::field::host, "127.0.0.1");
        req.body() = std::string(4096, 'x');
        return c.Send(std::move(req)).result_int();
    };
    EXPECT_EQ(put("/api/things/7/file"), 404);  // read whole, then no such route
    EXPECT_EQ(put("/api/things/7/other"), 413);
    EXPECT_EQ(put("/api/things/7/file/x"), 413);
    EXPECT_EQ(put("/api/things//file"), 413);
}

TEST_F(ServerTest, AnUploadOverTheDefaultLimitReachesItsRoutesHandler) {
    ServerConfig cfg;
    cfg.body_limit = 1024;
    cfg.body_limit_routes.emplace_back("POST /api/{what}", 3 << 20);
    StartServer(cfg);
    Client c(port);
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/echo", 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.body() = std::string(2 << 20, 'x');
    req.prepare_payload();
    auto res = c.Send(std::move(req));
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(json::parse(res.body()).at("bytes").as_int64(), 2 << 20);
}

TEST_F(ServerTest, GarbageBytesGet400AndTheConnectionIsClosed) {
    StartServer();
    Client c(port);
    c.WriteRaw(std::string("\x16\x03\x01\x02\x00 garbage\r\n\r\n", 19));
    auto res = c.Read();
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_EQ(res[bhttp::field::content_type], "application/problem+json");
    EXPECT_EQ(json::parse(res.body()).at("code").as_string(), "bad_request");
    EXPECT_TRUE(c.ServerClosed());
}

TEST_F(ServerTest, UnknownApiPathIsANotFoundProblem) {
    StartServer();
    Client c(port);
    auto res = c.Send(Client::Get("/api/nothing"));
    EXPECT_EQ(res.result_int(), 404);
    EXPECT_EQ(json::parse(res.body()).at("code").as_string(), "not_found");
}

TEST_F(ServerTest, StaticFileIsServedGzippedWhenTheClientAcceptsIt) {
    StartServer();
    Client c(port);
    auto req = Client::Get("/assets/app-1a2b.js");
    req.set(bhttp::field::accept_encoding, "gzip, deflate, br");
    auto res = c.Send(std::move(req));
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res[bhttp::field::content_encoding], "gzip");
    EXPECT_EQ(res[bhttp::field::vary], "Accept-Encoding");
    EXPECT_EQ(res[bhttp::field::cache_control], "public, max-age=31536000, immutable");
    EXPECT_EQ(Gunzip(res.body()), app_js);
}

TEST_F(ServerTest, StaticFileIsServedPlainWithoutAcceptEncoding) {
    StartServer();
    Client c(port);
    auto res = c.Send(Client::Get("/assets/app-1a2b.js"));
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res[bhttp::field::content_encoding], "");
    EXPECT_EQ(res.body(), app_js);
}

TEST_F(ServerTest, SpaRouteGetsIndexHtml) {
    StartServer();
    Client c(port);
    auto res = c.Send(Client::Get("/leads/42"));
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res[bhttp::field::content_type], "text/html; charset=utf-8");
    EXPECT_EQ(res[bhttp::field::cache_control], "no-cache");
}

TEST_F(ServerTest, MatchingEtagGets304) {
    StartServer();
    Client c(port);
    auto first = c.Send(Client::Get("/index.html"));
    auto req = Client::Get("/index.html");
    req.set(bhttp::field::if_none_match, first[bhttp::field::etag]);
    auto second = c.Send(std::move(req));
    EXPECT_EQ(second.result_int(), 304);
    EXPECT_TRUE(second.body().empty());
}

TEST_F(ServerTest, ResponsesCarrySecurityHeadersAndTheRequestId) {
    StartServer();
    Client c(port);
    auto req = Client::Get("/api/ping");
    req.set("X-Request-Id", "trace-123");
    auto api = c.Send(std::move(req));
    auto page = c.Send(Client::Get("/"));
    for (const auto* res : {&api, &page}) {
        EXPECT_NE(std::string((*res)["Content-Security-Policy"]).find("frame-ancestors 'none'"), std::string::npos);
        EXPECT_EQ((*res)["X-Content-Type-Options"], "nosniff");
        EXPECT_FALSE((*res)["X-Request-Id"].empty());
    }
    EXPECT_EQ(api["X-Request-Id"], "trace-123");
    EXPECT_EQ(json::parse(api.body()).at("request_id").as_string(), "trace-123");
}

TEST_F(ServerTest, GracefulShutdownLetsAnInFlightRequestFinish) {
    StartServer();
    Client c(port);
    c.Write(Client::Get("/api/slow"));
    ASSERT_EQ(slow_started.get_future().wait_for(5s), std::future_status::ready);
    server->Stop();
    auto res = c.Read();
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(json::parse(res.body()).at("slow").as_bool(), true);
    EXPECT_FALSE(res.keep_alive());
    EXPECT_EQ(run_done.wait_for(5s), std::future_status::ready);
}

TEST_F(ServerTest, NewConnectionsAreRefusedWhileDraining) {
    StartServer();
    Client c(port);
    c.Write(Client::Get("/api/hold"));
    ASSERT_EQ(hold_started.get_future().wait_for(5s), std::future_status::ready);
    server->Stop();
    bool refused = false;
    for (auto deadline = std::chrono::steady_clock::now() + 3s;
         !refused && std::chrono::steady_clock::now() < deadline;) {
        refused = ConnectionRefused(port);
        if (!refused) std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(refused);
    EXPECT_NE(run_done.wait_for(0ms), std::future_status::ready) << "the drain must wait for the held request";
    hold_release_promise.set_value();
    EXPECT_EQ(c.Read().result_int(), 200);
}

TEST_F(ServerTest, AfterStopNewConnectionsAreRefused) {
    StartServer();
    const auto p = port;
    ASSERT_TRUE(StopServer());
    EXPECT_TRUE(ConnectionRefused(p));
}

TEST_F(ServerTest, IdleKeepAliveConnectionDoesNotHoldUpShutdown) {
    StartServer();
    Client c(port);
    EXPECT_EQ(c.Send(Client::Get("/api/ping")).result_int(), 200);
    server->Stop();
    EXPECT_EQ(run_done.wait_for(3s), std::future_status::ready);
    EXPECT_TRUE(c.ServerClosed());
}

class ServerSseTest : public ServerTest {
protected:
    /// Opens the stream and returns the sink the handler received.
    std::shared_ptr<EventSink> Open(Client& c) {
        c.Write(Client::Get("/api/live"));
        head = c.ReadUntil(": connected\n\n");
        auto f = sink_promise.get_future();
        if (f.wait_for(5s) != std::future_status::ready) return nullptr;
        return f.get();
    }
    std::string head;
};

TEST_F(ServerSseTest, StreamStartsWithEventStreamHeaders) {
    StartServer();
    Client c(port);
    ASSERT_NE(Open(c), nullptr);
    EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
    EXPECT_NE(head.find("Content-Type: text/event-stream"), std::string::npos) << head;
    EXPECT_NE(head.find("X-Request-Id: "), std::string::npos) << head;
}

TEST_F(ServerSseTest, EventsSentThroughTheSinkReachTheClient) {
    StartServer();
    Client c(port);
    auto sink = Open(c);
    ASSERT_NE(sink, nullptr);
    EXPECT_TRUE(sink->Send("notification", R"({"id":1})"));
    EXPECT_TRUE(sink->Send("notification", R"({"id":2})"));
    EXPECT_EQ(c.ReadUntil("\n\n"), "event: notification\ndata: {\"id\":1}\n\n");
    EXPECT_EQ(c.ReadUntil("\n\n"), "event: notification\ndata: {\"id\":2}\n\n");
}

TEST_F(ServerSseTest, MultiLineDataIsSentAsSeveralDataLines) {
    StartServer();
    Client c(port);
    auto sink = Open(c);
    ASSERT_NE(sink, nullptr);
    sink->Send("note", "line one\nline two");
    EXPECT_EQ(c.ReadUntil("\n\n"), "event: note\ndata: line one\ndata: line two\n\n");
}

TEST_F(ServerSseTest, OnCloseFiresWhenTheClientDisconnects) {
    StartServer();
    Client c(port);
    auto sink = Open(c);
    ASSERT_NE(sink, nullptr);
    std::promise<void> closed;
    sink->OnClose([&closed] { closed.set_value(); });
    EXPECT_FALSE(sink->Closed());
    c.Close();
    ASSERT_EQ(closed.get_future().wait_for(5s), std::future_status::ready);
    EXPECT_TRUE(sink->Closed());
    EXPECT_FALSE(sink->Send("notification", "{}"));
}

TEST_F(ServerSseTest, ShutdownClosesOpenStreams) {
    StartServer();
    Client c(port);
    auto sink = Open(c);
    ASSERT_NE(sink, nullptr);
    std::promise<void> closed;
    sink->OnClose([&closed] { closed.set_value(); });
    server->Stop();
    EXPECT_EQ(closed.get_future().wait_for(5s), std::future_status::ready);
    EXPECT_EQ(run_done.wait_for(5s), std::future_status::ready);
}

}  // namespace
}  // namespace otdel::http
