#include "core/error.hpp"

namespace otdel::core {

std::string_view ErrorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::kBadRequest: return "bad_request";
        case ErrorCode::kMalformedJson: return "malformed_json";
        case ErrorCode::kUnsupportedMediaType: return "unsupported_media_type";
        case ErrorCode::kValidation: return "validation_failed";
        case ErrorCode::kUnauthenticated: return "unauthenticated";
        case ErrorCode::kInvalidCredentials: return "invalid_credentials";
        case ErrorCode::kSessionExpired: return "session_expired";
        case ErrorCode::kForbidden: return "forbidden";
        case ErrorCode::kCsrfFailed: return "csrf_failed";
        case ErrorCode::kNotFound: return "not_found";
        case ErrorCode::kMethodNotAllowed: return "method_not_allowed";
        case ErrorCode::kConflict: return "conflict";
        case ErrorCode::kPayloadTooLarge: return "payload_too_large";
        case ErrorCode::kRateLimited: return "rate_limited";
        case ErrorCode::kUnavailable: return "unavailable";
        case ErrorCode::kInternal: return "internal_error";
    }
    return "internal_error";
}

}  // namespace otdel::core
