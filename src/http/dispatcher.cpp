#include "http/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/ids.hpp"
#include "http/problem.hpp"

namespace otdel::http {

Response Dispatcher::Handle(Request& req) const {
    Response res;
    try {
        RouteMatch m = router_.Match(req.method, req.path, req.params);
        if (!m.route) {
            if (m.path_exists) {
                res = Problem(core::Error::Of(core::ErrorCode::kMethodNotAllowed), req.lang, req.request_id);
                std::string allow;
                for (const auto& a : m.allowed_methods) allow += (allow.empty() ? "" : ", ") + a;
                res.Header("Allow", allow);
            } else {
                res = Problem(core::Error::Of(core::ErrorCode::kNotFound), req.lang, req.request_id);
            }
        } else if (auto refused = guard_ ? guard_(req, *m.route) : std::nullopt) {
            res = std::move(*refused);
        } else {
            res = m.route->handler(req);
        }
    } catch (const std::exception& e) {
        spdlog::error("request {} {} {} failed: {}", req.request_id, req.method, req.path, e.what());
        res = Problem(core::Error::Of(core::ErrorCode::kInternal), req.lang, req.request_id);
    } catch (...) {
        spdlog::error("request {} {} {} failed with a non-standard exception", req.request_id, req.method, req.path);
        res = Problem(core::Error::Of(core::ErrorCode::kInternal), req.lang, req.request_id);
    }
    if (after_) after_(req, res);
    return res;
}

void ApplyCommonHeaders(Response& res, const std::string& request_id) {
    res.Header("X-Request-Id", request_id);
    res.Header("X-Content-Type-Options", "nosniff");
    res.Header("X-Frame-Options", "DENY");
    res.Header("Referrer-Policy", "same-origin");
    res.Header("Content-Security-Policy",
               "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
               "form-action 'self'; frame-ancestors 'none'");
    res.Header("Cross-Origin-Opener-Policy", "same-origin");
}

std::string ChooseRequestId(std::string_view supplied) {
    bool ok = !supplied.empty() && supplied.size() <= 64 &&
              std::all_of(supplied.begin(), supplied.end(),
                          [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.'; });
    return ok ? std::string(supplied) : core::RandomToken(8);
}

}  // namespace otdel::http
