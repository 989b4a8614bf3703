#pragma once
/// The checks every service call starts with, and the one refusal it gives for what the caller may not see.
#include "core/actor.hpp"
#include "core/error.hpp"
#include "core/result.hpp"

namespace otdel::core {

/// A signed-in user or an API token is acting (not an anonymous request).
inline Result<void> RequireSignedIn(const Actor& a) {
    if (!a.authenticated()) return Error::Of(ErrorCode::kUnauthenticated);
    return Ok();
}

/// Missing and invisible records are refused alike, so the answer does not tell one from the other.
inline Error NotFound() {
    return Error::Of(ErrorCode::kNotFound);
}

}  // namespace otdel::core
