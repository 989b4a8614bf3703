#pragma once
/// What the agenda room's two handler files share: optional values as JSON and id query parameters.
#include <boost/json.hpp>

#include <optional>
#include <string>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "http/json.hpp"
#include "http/message.hpp"

namespace otdel::agenda::api {

using http::OrNull;

/// A positive id or "me" (the caller) in the query parameter `name`; unset when absent, 400 when malformed.
core::Result<std::optional<core::Id>> IdParam(const http::Request& req, const std::string& name);

}  // namespace otdel::agenda::api
