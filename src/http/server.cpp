#include "http/server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "http/problem.hpp"
#include "http/router.hpp"

namespace otdel::http {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

class Session;

std::string Lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// What the access log needs once the response is written.
struct Exchange {
    std::string method;
    std::string path;
    std::string request_id;
    std::string ip;
    core::Id user_id = 0;
    std::chrono::steady_clock::time_point started;
    bool keep_alive = true;
    bool head = false;
    unsigned version = 11;
};

class SseSink final : public EventSink {
public:
    explicit SseSink(std::weak_ptr<Session> session) : session_(std::move(session)) {}
    bool Send(std::string_view event, std::string_view data) override;
    bool Closed() const override { return closed_.load(); }
    void OnClose(std::function<void()> cb) override {
        std::unique_lock lock(mu_);
        if (closed_) {
            lock.unlock();
            cb();
            return;
        }
        on_close_.push_back(std::move(cb));
    }
    void MarkClosed() {
        std::vector<std::function<void()>> cbs;
        {
            std::lock_guard lock(mu_);
            if (closed_.exchange(true)) return;
            cbs.swap(on_close_);
        }
        for (auto& cb : cbs) cb();
    }

private:
    std::weak_ptr<Session> session_;
    std::atomic<bool> closed_{false};
    std::mutex mu_;
    std::vector<std::function<void()>> on_close_;
};

}  // namespace

struct Server::Impl {
    Impl(ServerConfig c, const Dispatcher& d, const StaticFiles* f)
        : cfg(std::move(c)),
          dispatcher(d),
          files(f),
          acceptor(ioc),
          signals(ioc),
          workers(static_cast<std::size_t>(std::max(1, cfg.worker_threads))) {}

    void Accept();
    void BeginDrain();

    ServerConfig cfg;
    const Dispatcher& dispatcher;
    const StaticFiles* files;
    net::io_context ioc;
    tcp::acceptor acceptor;
    net::signal_set signals;
    net::thread_pool workers;
    std::atomic<bool> draining{false};
    std::mutex mu;
    std::condition_variable cv;
    bool stop_requested = false;
    std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
    std::vector<std::function<void()>> on_drain;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket&& socket, Server::Impl& srv)
        : srv_(srv), stream_(std::move(socket)), ping_(stream_.get_executor()) {
        beast::error_code ec;
        auto ep = stream_.socket().remote_endpoint(ec);
        if (!ec) ip_ = ep.address().to_string();
    }
    ~Session() {
        if (sink_) sink_->MarkClosed();
        std::lock_guard lock(srv_.mu);
        srv_.sessions.erase(this);
        srv_.cv.notify_all();
    }

    void Start() {
        {
            std::lock_guard lock(srv_.mu);
            srv_.sessions[this] = weak_from_this();
        }
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(true); });
    }

    /// On the session's strand: finish what is in flight, close what is idle or streaming.
    void Drain() {
        if (streaming_) return Close();
        if (!busy_ && buffer_.size() == 0 && !(parser_ && parser_->got_some())) return Close();
        close_after_ = true;
    }

    void QueueSse(std::string chunk) {
        if (closed_) return;
        sse_queue_.push_back(std::move(chunk));
        if (!sse_writing_) WriteNextSse();
    }

    net::any_io_executor executor() { return stream_.get_executor(); }

private:
    void Read(bool first) {
        if (srv_.draining || close_after_) return Close();
        parser_.emplace();
        parser_->body_limit(srv_.cfg.body_limit);
        parser_->header_limit(static_cast<std::uint32_t>(srv_.cfg.header_limit));
        stream_.expires_after(std::chrono::milliseconds(first ? srv_.cfg.read_timeout_ms : srv_.cfg.keep_alive_ms));
        if (srv_.cfg.body_limit_routes.empty()) {
            bhttp::async_read(stream_, buffer_, *parser_,
                              [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
            return;
        }
        // Some routes (file uploads) take larger bodies: read the header first, then choose the limit. Beast checks a
        // Content-Length against the limit as the header completes, so the header is read under the largest limit and
        // the request's own is applied to its Content-Length here (and to a chunked body as it arrives).
        std::uint64_t largest = srv_.cfg.body_limit;
        for (const auto& [route, limit] : srv_.cfg.body_limit_routes) largest = std::max<std::uint64_t>(largest, limit);
        parser_->body_limit(largest);
        bhttp::async_read_header(
            stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec) return self->OnRead(ec);
                const std::uint64_t limit = self->BodyLimitFor(self->parser_->get());
                if (auto length = self->parser_->content_length(); length && *length > limit)
                    return self->OnRead(bhttp::error::body_limit);
                self->parser_->body_limit(limit);
                bhttp::async_read(self->stream_, self->buffer_, *self->parser_,
                                  [self](beast::error_code ec2, std::size_t) { self->OnRead(ec2); });
            });
    }

    std::uint64_t BodyLimitFor(const bhttp::request<bhttp::string_body>& h) const {
        const std::string_view target(h.target().data(), h.target().size());
        const std::string_view path = target.substr(0, target.find('?'));
        for (const auto& [route, limit] : srv_.cfg.body_limit_routes) {
            const auto space = route.find(' ');
            if (h.method_string() == std::string_view(route).substr(0, space) &&
                PatternMatches(std::string_view(route).substr(space + 1), path))
                return limit;
        }
        return srv_.cfg.body_limit;
    }

    void OnRead(beast::error_code ec) {
        if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
            ec == net::error::connection_reset || ec == net::error::eof) {
            return Close();
        }
        Exchange ex;
        ex.ip = ip_;
        ex.started = std::chrono::steady_clock::now();
        if (ec) {
            // The request could not be read whole: answer precisely, then close (the stream is out of sync).
            ex.keep_alive = false;
            ex.request_id = ChooseRequestId({});
            core::Error err = core::Error::Of(core::ErrorCode::kBadRequest);
            if (ec == bhttp::error::body_limit) err = core::Error::Of(core::ErrorCode::kPayloadTooLarge);
            if (ec == bhttp::error::header_limit) err.message_key = "http.header_too_large";
            core::Lang lang = core::Lang::kRu;
            if (parser_ && parser_->is_header_done()) {
                const auto& h = parser_->get();
                lang = core::ParseLang(std::string_view(h[bhttp::field::accept_language]));
                ex.method = std::string(h.method_string());
                ex.path = std::string(h.target());
            }
            Response res = Problem(err, lang, ex.request_id);
            // The client may still be sending the rest: drain it after the answer, or the reset that
            // closing with unread data causes can destroy the answer before the client reads it.
            linger_ = true;
            return Send(std::move(ex), std::move(res));
        }
        Handle(parser_->release(), std::move(ex));
    }

    void Handle(bhttp::request<bhttp::string_body>&& breq, Exchange ex) {
        Request req;
        req.method = std::string(breq.method_string());
        req.remote_ip = ip_;
        for (const auto& f : breq) req.headers[Lower(f.name_string())] = std::string(f.value());
        req.request_id = ChooseRequestId(req.Header("x-request-id"));
        req.lang = core::ParseLang(req.Header("accept-language"));
        ex.method = req.method;
        ex.request_id = req.request_id;
        ex.keep_alive = breq.keep_alive();
        ex.version = breq.version();
        ex.head = breq.method() == bhttp::verb::head;

        auto url = boost::urls::parse_origin_form(std::string_view(breq.target()));
        if (!url) {
            ex.path = std::string(breq.target());
            return Send(std::move(ex),
                        Problem(core::Error::Of(core::ErrorCode::kBadRequest), req.lang, req.request_id));
        }
        req.path = url->path();
        for (auto p : url->params()) req.query.emplace(p.key, p.value);
        ex.path = req.path;
        req.body = std::move(breq.body());

        const bool api = req.path.rfind("/api/", 0) == 0;
        if (srv_.cfg.bench_endpoints && req.path == "/bench/static") {
            Response res;
            res.content_type = "text/plain";
            res.body = "ok";
            return Send(std::move(ex), std::move(res));
        }
        if (api || (srv_.cfg.bench_endpoints && req.path == "/bench/worker")) {
            busy_ = true;
            // Handlers block on the database: run them on the worker pool, then come back to this strand.
            net::post(srv_.workers, [self = shared_from_this(), req = std::move(req), ex = std::move(ex),
                                     guard = net::make_work_guard(srv_.ioc)]() mutable {
                Response res;
                if (req.path == "/bench/worker") {
                    res.content_type = "text/plain";
                    res.body = "ok";
                } else {
                    res = self->srv_.dispatcher.Handle(req);
                }
                ex.user_id = req.actor.user_id;
                net::post(self->executor(), [self, ex = std::move(ex), res = std::move(res)]() mutable {
                    self->Send(std::move(ex), std::move(res));
                });
            });
            return;
        }
        Send(std::move(ex), ServeStatic(req));
    }

    Response ServeStatic(const Request& req) {
        if (req.method != "GET" && req.method != "HEAD") {
            Response r = Problem(core::Error::Of(core::ErrorCode::kMethodNotAllowed), req.lang, req.request_id);
            r.Header("Allow", "GET, HEAD");
            return r;
        }
        const Asset* a = srv_.files ? srv_.files->Resolve(req.path) : nullptr;
        if (!a) return Problem(core::Error::Of(core::ErrorCode::kNotFound), req.lang, req.request_id);
        Response r;
        r.content_type = a->content_type;
        r.Header("ETag", a->etag);
        r.Header("Cache-Control", a->immutable ? "public, max-age=31536000, immutable" : "no-cache");
        r.Header("Vary", "Accept-Encoding");
        if (req.Header("if-none-match") == a->etag) {
            r.status = 304;
            r.content_type.clear();
            return r;
        }
        if (!a->gzip.empty() && req.Header("accept-encoding").find("gzip") != std::string_view::npos) {
            r.Header("Content-Encoding", "gzip");
            r.body = a->gzip;
        } else {
            r.body = a->body;
        }
        return r;
    }

    void Send(Exchange ex, Response res) {
        ApplyCommonHeaders(res, ex.request_id);
        if (res.stream && res.status == 200) return StartStream(std::move(ex), std::move(res));
        auto msg =
            std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(res.status), ex.version);
        msg->set(bhttp::field::server, "otdel");
        if (!res.content_type.empty()) msg->set(bhttp::field::content_type, res.content_type);
        for (auto& [k, v] : res.headers) msg->insert(k, v);
        const bool keep = ex.keep_alive && !srv_.draining && !close_after_;
        msg->keep_alive(keep);
        const std::size_t size = res.body.size();
        if (!ex.head) msg->body() = std::move(res.body);
        msg->prepare_payload();
        if (ex.head && res.status != 304) msg->content_length(size);
        stream_.expires_after(std::chrono::milliseconds(srv_.cfg.write_timeout_ms));
        bhttp::async_write(
            stream_, *msg,
            [self = shared_from_this(), msg, ex = std::move(ex), keep](beast::error_code ec, std::size_t n) {
                self->busy_ = false;
                self->Log(ex, msg->result_int(), n);
                if (!ec && self->linger_) return self->LingerThenClose();
                if (ec || !keep) return self->Close();
                self->Read(false);
            });
    }

    void StartStream(Exchange ex, Response res) {
        streaming_ = true;
        busy_ = false;
        stream_.expires_never();
        std::string head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
            "Cache-Control: no-cache, no-store\r\nX-Accel-Buffering: no\r\nConnection: close\r\n";
        for (auto& [k, v] : res.headers) head += k + ": " + v + "\r\n";
        head += "\r\n: connected\n\n";
        Log(ex, 200, 0);
        sink_ = std::make_shared<SseSink>(weak_from_this());
        QueueSse(std::move(head));
        // Any byte or error from the client ends the stream (EventSource never sends).
        stream_.async_read_some(net::buffer(discard_),
                                [self = shared_from_this()](beast::error_code, std::size_t) { self->Close(); });
        Ping();
        // Subscribe last: events sent from now on queue behind the headers.
        res.stream(sink_);
    }

    void Ping() {
        ping_.expires_after(std::chrono::milliseconds(srv_.cfg.sse_ping_ms));
        ping_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec || self->closed_) return;
            self->QueueSse("event: ping\ndata: {}\n\n");
            self->Ping();
        });
    }

    void WriteNextSse() {
        if (sse_queue_.empty() || closed_) {
            sse_writing_ = false;
            return;
        }
        sse_writing_ = true;
        auto chunk = std::make_shared<std::string>(std::move(sse_queue_.front()));
        sse_queue_.pop_front();
        net::async_write(stream_.socket(), net::buffer(*chunk),
                         [self = shared_from_this(), chunk](beast::error_code ec, std::size_t) {
                             if (ec) return self->Close();
                             self->WriteNextSse();
                         });
    }

    void Log(const Exchange& ex, unsigned status, std::size_t bytes) {
        if (!srv_.cfg.access_log) return;
        auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - ex.started).count();
        spdlog::info("{} \"{} {}\" {} {}B {:.1f}ms rid={} user={}", ex.ip, ex.method, ex.path, status, bytes, ms,
                     ex.request_id, ex.user_id);
    }

    /// Half-closes and discards what the client still sends (bounded in time and bytes), then closes.
    void LingerThenClose() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream_.expires_after(std::chrono::seconds(2));
        DiscardSome(0);
    }

    void DiscardSome(std::size_t total) {
        // Up to 64 MiB (and the 2 s timer): more than the largest upload limit (recordings, 25 MiB), so a client that
        // declared a body just over a route's limit can finish sending it and read the 413 — closing earlier makes
        // its write fail (EPIPE) before it reads the answer. The timer still ends slow or endless senders.
        constexpr std::size_t kMaxDiscard = 64 << 20;
        if (total > kMaxDiscard) return Close();
        stream_.async_read_some(net::buffer(discard_),
                                [self = shared_from_this(), total](beast::error_code ec, std::size_t n) {
                                    if (ec) return self->Close();
                                    self->DiscardSome(total + n);
                                });
    }

    void Close() {
        if (closed_) return;
        closed_ = true;
        ping_.cancel();
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream_.close();
        if (sink_) sink_->MarkClosed();
    }

    Server::Impl& srv_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    net::steady_timer ping_;
    std::string ip_;
    bool busy_ = false;
    bool close_after_ = false;
    bool streaming_ = false;
    bool closed_ = false;
    bool linger_ = false;
    std::shared_ptr<SseSink> sink_;
    std::deque<std::string> sse_queue_;
    bool sse_writing_ = false;
    char discard_[16384];
};

bool SseSink::Send(std::string_view event, std::string_view data) {
    if (closed_) return false;
    auto s = session_.lock();
    if (!s) return false;
    std::string msg = "event: ";
    msg += event;
    msg += "\n";
    std::size_t pos = 0;
    while (pos <= data.size()) {
        auto nl = data.find('\n', pos);
        if (nl == std::string_view::npos) nl = data.size();
        msg += "data: ";
        msg += data.substr(pos, nl - pos);
        msg += "\n";
        pos = nl + 1;
    }
    msg += "\n";
    net::post(s->executor(), [s, msg = std::move(msg)]() mutable { s->QueueSse(std::move(msg)); });
    return true;
}

}  // namespace

void Server::Impl::Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (ec) {
            if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
            spdlog::warn("accept failed: {}", ec.message());
        } else if (!draining) {
            std::make_shared<Session>(std::move(socket), *this)->Start();
        }
        if (!draining) Accept();
    });
}

void Server::Impl::BeginDrain() {
    if (draining.exchange(true)) return;
    spdlog::info("shutting down: no new connections, finishing requests in flight");
    beast::error_code ec;
    acceptor.close(ec);
    signals.cancel(ec);
    std::vector<std::shared_ptr<Session>> live;
    {
        std::lock_guard lock(mu);
        for (auto& [p, w] : sessions)
            if (auto s = w.lock()) live.push_back(std::move(s));
        stop_requested = true;
    }
    for (auto& s : live) net::post(s->executor(), [s] { s->Drain(); });
    for (auto& cb : on_drain) cb();
    cv.notify_all();
}

Server::Server(ServerConfig config, const Dispatcher& dispatcher, const StaticFiles* static_files)
    : impl_(std::make_unique<Impl>(std::move(config), dispatcher, static_files)) {}

Server::~Server() = default;

void Server::Listen() {
    auto addr = net::ip::make_address(impl_->cfg.host);
    tcp::endpoint ep(addr, impl_->cfg.port);
    impl_->acceptor.open(ep.protocol());
    impl_->acceptor.set_option(net::socket_base::reuse_address(true));
    beast::error_code ec;
    impl_->acceptor.bind(ep, ec);
    if (ec)
        throw std::runtime_error("cannot listen on " + impl_->cfg.host + ":" + std::to_string(impl_->cfg.port) + ": " +
                                 ec.message());
    impl_->acceptor.listen(net::socket_base::max_listen_connections);
}

std::uint16_t Server::port() const {
    return impl_->acceptor.local_endpoint().port();
}

void Server::OnDrain(std::function<void()> cb) {
    impl_->on_drain.push_back(std::move(cb));
}

void Server::Stop() {
    net::post(impl_->ioc, [impl = impl_.get()] { impl->BeginDrain(); });
}

void Server::Run(bool handle_signals) {
    Impl& s = *impl_;
    if (handle_signals) {
        s.signals.add(SIGINT);
        s.signals.add(SIGTERM);
        s.signals.async_wait([&s](beast::error_code ec, int sig) {
            if (ec) return;
            spdlog::info("received signal {}", sig);
            s.BeginDrain();
        });
    }
    s.Accept();
    auto guard = net::make_work_guard(s.ioc);
    std::vector<std::thread> threads;
    for (int i = 0; i < std::max(1, s.cfg.io_threads); ++i) threads.emplace_back([&s] { s.ioc.run(); });

    {
        std::unique_lock lock(s.mu);
        s.cv.wait(lock, [&] { return s.stop_requested; });
        // Drain: wait until every connection has finished (or the grace period ends).
        s.cv.wait_for(lock, std::chrono::milliseconds(s.cfg.shutdown_grace_ms), [&] { return s.sessions.empty(); });
        if (!s.sessions.empty()) spdlog::warn("{} connections still open after the grace period", s.sessions.size());
    }
    guard.reset();
    s.ioc.stop();
    for (auto& t : threads) t.join();
    s.workers.join();
    spdlog::info("server stopped");
}

}  // namespace otdel::http
