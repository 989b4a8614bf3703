#pragma once
/// What the agenda room's two handler files share: optional values as JSON and id query parameters.
#include <boost/json.hpp>

#include <optional>
#include <string>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "http/message.hpp"

namespace otdel::agenda::api {

template <class T>
boost::json::value Opt(const std::optional<T>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

/// A positive id or "me" (the caller) in the query parameter `name`; unset when absent, 400 when malformed.
core::Result<std::optional<core::Id>> IdParam(const http::Request& req, const std::string& name);

}  // namespace otdel::agenda::api
