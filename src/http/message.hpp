#pragma once
/// Transport-neutral request and response: what handlers see. No Beast types here.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/actor.hpp"
#include "core/lang.hpp"

namespace otdel::http {

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string path;    // decoded path without the query
    std::multimap<std::string, std::string> query;
    /// Header names are lower-case.
    std::unordered_map<std::string, std::string> headers;
    std::string body;
    /// Path parameters of the matched route ("id" -> "42").
    std::unordered_map<std::string, std::string> params;
    std::string remote_ip;
    std::string request_id;
    /// Language for messages: the signed-in user's locale, else Accept-Language, else Russian.
    core::Lang lang = core::Lang::kRu;
    /// Filled by the auth guard for routes that need a signed-in caller.
    core::Actor actor;

    std::string_view Header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string_view{} : std::string_view(it->second);
    }
    std::optional<std::string> Query(const std::string& name) const {
        auto it = query.find(name);
        if (it == query.end()) return std::nullopt;
        return it->second;
    }
    /// Value of one cookie from the Cookie header.
    std::optional<std::string> Cookie(std::string_view name) const;
};

/// A live Server-Sent Events connection. Thread-safe; Send() after the client left returns false.
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual bool Send(std::string_view event, std::string_view data) = 0;
    virtual bool Closed() const = 0;
    /// Runs once when the connection ends (client gone, server draining).
    virtual void OnClose(std::function<void()> callback) = 0;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    /// When set, the response is an event stream: headers are sent, then this runs with the sink.
    std::function<void(std::shared_ptr<EventSink>)> stream;

    Response& Header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
    /// The first header of that name (exact spelling), empty when there is none.
    std::string HeaderValue(std::string_view name) const {
        for (const auto& [k, v] : headers)
            if (k == name) return v;
        return {};
    }
    static Response NoContent() {
        Response r;
        r.status = 204;
        r.content_type.clear();
        return r;
    }
};

}  // namespace otdel::http
