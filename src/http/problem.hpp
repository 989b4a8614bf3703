#pragma once
/// Errors on the wire: application/problem+json (RFC 9457) with stable code and localised texts.
#include "core/error.hpp"
#include "core/lang.hpp"
#include "http/message.hpp"

namespace otdel::http {

/// The one mapping from ErrorCode to HTTP status.
int StatusFor(core::ErrorCode code);

Response Problem(const core::Error& error, core::Lang lang, const std::string& request_id);
/// The same in the caller's language and with the request's id: what a handler returns on failure.
inline Response Problem(const Request& req, const core::Error& error) {
    return Problem(error, req.lang, req.request_id);
}

}  // namespace otdel::http
