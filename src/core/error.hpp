#pragma once
/// Expected failures as values: one ErrorCode enum for the whole product, mapped to HTTP in http/error_mapping.cpp.
#include <string>
#include <string_view>
#include <vector>

namespace otdel::core {

/// The one list of failure kinds. Each has a stable wire code (ErrorCodeName) and ru/en texts (messages.cpp).
enum class ErrorCode {
    kBadRequest,            // request cannot be understood (bad query parameter, bad header)
    kMalformedJson,         // body is not valid JSON
    kUnsupportedMediaType,  // body is not application/json where JSON is expected
    kValidation,            // JSON is fine, but fields are wrong: see field errors
    kUnauthenticated,       // no valid session or token
    kInvalidCredentials,    // wrong e-mail or password
    kSessionExpired,        // session timed out (idle or absolute)
    kForbidden,             // authenticated but not allowed
    kCsrfFailed,            // state-changing request without the session's CSRF token
    kNotFound,
    kMethodNotAllowed,
    kConflict,
    kPayloadTooLarge,
    kRateLimited,
    kUnavailable,  // shutting down or dependency down
    kInternal,
};

/// Stable machine code sent to clients, e.g. "validation_failed". Never changes once released.
std::string_view ErrorCodeName(ErrorCode code);

/// One wrong field in a request: `field` is a JSON pointer-ish path ("email", "items/2/qty"),
/// `code` a stable reason ("required", "too_long", "unknown_field", "wrong_type", "invalid", ...),
/// `param` an optional value used in the message (the limit, the expected type).
struct FieldError {
    std::string field;
    std::string code;
    std::string param;
};

struct Error {
    ErrorCode code = ErrorCode::kInternal;
    /// Optional catalog key for a more specific message than the code's default (see messages.cpp).
    std::string message_key;
    std::vector<FieldError> fields;
    /// For kRateLimited: seconds until the client may retry.
    int retry_after_s = 0;

    static Error Of(ErrorCode c, std::string key = {}) { return Error{c, std::move(key), {}, 0}; }
    static Error Field(std::string field, std::string reason, std::string param = {}) {
        return Error{
            ErrorCode::kValidation, {}, {FieldError{std::move(field), std::move(reason), std::move(param)}}, 0};
    }
    /// Whether one of the field errors is `field` with that reason code.
    bool HasField(std::string_view field, std::string_view code) const {
        for (const auto& f : fields)
            if (f.field == field && f.code == code) return true;
        return false;
    }
};

}  // namespace otdel::core
