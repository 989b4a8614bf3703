#pragma once
/// LiveHub: the open UI connections (SSE) per user, so events reach the browser at once.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/ids.hpp"
#include "http/message.hpp"

namespace otdel::events {

class LiveHub {
public:
    /// Registers a stream for a user; it is removed automatically when the connection closes.
    void Attach(core::Id workspace_id, core::Id user_id, std::shared_ptr<http::EventSink> sink);
    /// Sends an event to every open stream of the user. Returns the number of streams reached.
    int Publish(core::Id workspace_id, core::Id user_id, const std::string& event, const std::string& data);
    std::size_t connections() const;

private:
    using Key = std::pair<core::Id, core::Id>;
    mutable std::mutex mu_;
    std::multimap<Key, std::weak_ptr<http::EventSink>> sinks_;
};

}  // namespace otdel::events
