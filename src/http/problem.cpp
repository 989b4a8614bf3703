#include "http/problem.hpp"

#include <boost/json.hpp>

#include "core/messages.hpp"

namespace otdel::http {

int StatusFor(core::ErrorCode code) {
    using core::ErrorCode;
    switch (code) {
        case ErrorCode::kBadRequest:
        case ErrorCode::kMalformedJson: return 400;
        case ErrorCode::kUnauthenticated:
        case ErrorCode::kInvalidCredentials:
        case ErrorCode::kSessionExpired: return 401;
        case ErrorCode::kForbidden:
        case ErrorCode::kCsrfFailed: return 403;
        case ErrorCode::kNotFound: return 404;
        case ErrorCode::kMethodNotAllowed: return 405;
        case ErrorCode::kConflict: return 409;
        case ErrorCode::kPayloadTooLarge: return 413;
        case ErrorCode::kUnsupportedMediaType: return 415;
        case ErrorCode::kValidation: return 422;
        case ErrorCode::kRateLimited: return 429;
        case ErrorCode::kUnavailable: return 503;
        case ErrorCode::kInternal: return 500;
    }
    return 500;
}

Response Problem(const core::Error& error, core::Lang lang, const std::string& request_id) {
    namespace json = boost::json;
    const std::string code(core::ErrorCodeName(error.code));
    json::object o;
    o["type"] = "https://otdel.dev/problems/" + code;
    o["title"] = core::ErrorTitle(error.code, lang);
    o["status"] = StatusFor(error.code);
    o["code"] = code;
    o["detail"] = core::ErrorMessage(error, lang);
    o["request_id"] = request_id;
    if (!error.fields.empty()) {
        json::array errs;
        for (const auto& f : error.fields) {
            errs.push_back(
                json::object{{"field", f.field}, {"code", f.code}, {"message", core::FieldMessage(f, lang)}});
        }
        o["errors"] = std::move(errs);
    }
    Response r;
    r.status = StatusFor(error.code);
    r.content_type = "application/problem+json";
    r.body = json::serialize(o);
    if (error.code == core::ErrorCode::kRateLimited && error.retry_after_s > 0)
        r.Header("Retry-After", std::to_string(error.retry_after_s));
    if (error.code == core::ErrorCode::kUnauthenticated || error.code == core::ErrorCode::kSessionExpired)
        r.Header("WWW-Authenticate", "Bearer realm=\"otdel\"");
    return r;
}

}  // namespace otdel::http
