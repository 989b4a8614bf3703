#pragma once
/// HTTP/1.1 server on Boost.Beast. I/O threads only parse and write; handlers run on a worker pool,
/// so blocking database work never stalls a socket. Static UI files are answered on the I/O thread.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/dispatcher.hpp"
#include "http/static_files.hpp"

namespace otdel::http {

struct ServerConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    int io_threads = 2;
    int worker_threads = 64;
    std::size_t body_limit = 1 << 20;  // bytes
    /// Routes with their own body limit, as "METHOD /path" → bytes (file uploads), where a "{name}" segment matches any
    /// one segment (as in the router); others use body_limit.
    std::vector<std::pair<std::string, std::size_t>> body_limit_routes;
    std::size_t header_limit = 16 << 10;  // bytes
    int read_timeout_ms = 30'000;         // one whole request (headers + body) must arrive within this
    int write_timeout_ms = 30'000;
    int keep_alive_ms = 60'000;  // idle connection is closed after this
    int shutdown_grace_ms = 15'000;
    int sse_ping_ms = 25'000;
    /// Adds GET /bench/static (constant string on the I/O thread) and GET /bench/worker (through the pool).
    bool bench_endpoints = false;
    bool access_log = true;
};

class Server {
public:
    Server(ServerConfig config, const Dispatcher& dispatcher, const StaticFiles* static_files);
    ~Server();

    /// Binds and listens; throws std::runtime_error when the address is taken.
    void Listen();
    /// The bound port (useful with port 0).
    std::uint16_t port() const;
    /// Serves until Stop() (or SIGTERM/SIGINT when `handle_signals`), then drains: stops accepting,
    /// lets in-flight requests finish and closes idle and streaming connections. Returns when done.
    void Run(bool handle_signals = true);
    /// Starts the graceful drain. Thread-safe.
    void Stop();
    /// Called once when the drain starts (e.g. to stop the job scheduler).
    void OnDrain(std::function<void()> cb);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace otdel::http
