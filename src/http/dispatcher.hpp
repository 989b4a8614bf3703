#pragma once
/// Dispatcher: the transport-free heart of the server (Beast's handle_request kept apart from sessions):
/// route → guard → handler, every failure mapped to problem+json, never an exception out.
#include <functional>
#include <optional>

#include "http/router.hpp"

namespace otdel::http {

/// Runs before the handler on the worker thread: authenticates, enforces the route's Access and CSRF,
/// may set req.actor / req.lang. Returns a response to stop the request (401/403/429).
using Guard = std::function<std::optional<Response>(Request&, const Route&)>;

/// Runs after the handler (or the guard's refusal): lets auth/ add Set-Cookie etc. Optional.
using AfterHook = std::function<void(const Request&, Response&)>;

class Dispatcher {
public:
    Dispatcher(const Router& router, Guard guard, AfterHook after = {})
        : router_(router), guard_(std::move(guard)), after_(std::move(after)) {}

    /// Blocking (handlers touch the database): call from a worker thread.
    Response Handle(Request& req) const;

private:
    const Router& router_;
    Guard guard_;
    AfterHook after_;
};

/// Headers every response carries: security headers and the request id.
void ApplyCommonHeaders(Response& res, const std::string& request_id);

/// Picks the request id: a client-supplied X-Request-Id when it is short and safe, else a new random one.
std::string ChooseRequestId(std::string_view supplied);

}  // namespace otdel::http
