#include "events/live_hub.hpp"

namespace otdel::events {

void LiveHub::Attach(core::Id workspace_id, core::Id user_id, std::shared_ptr<http::EventSink> sink) {
    Key key{workspace_id, user_id};
    std::weak_ptr<http::EventSink> weak = sink;
    {
        std::lock_guard lock(mu_);
        sinks_.emplace(key, weak);
    }
    sink->OnClose([this, key, raw = sink.get()] {
        std::lock_guard lock(mu_);
        auto [b, e] = sinks_.equal_range(key);
        for (auto it = b; it != e;) {
            auto s = it->second.lock();
            if (!s || s.get() == raw)
                it = sinks_.erase(it);
            else
                ++it;
        }
    });
}

int LiveHub::Publish(core::Id workspace_id, core::Id user_id, const std::string& event, const std::string& data) {
    std::vector<std::shared_ptr<http::EventSink>> targets;
    {
        std::lock_guard lock(mu_);
        auto [b, e] = sinks_.equal_range(Key{workspace_id, user_id});
        for (auto it = b; it != e; ++it)
            if (auto s = it->second.lock()) targets.push_back(std::move(s));
    }
    int reached = 0;
    for (auto& s : targets) reached += s->Send(event, data) ? 1 : 0;
    return reached;
}

std::size_t LiveHub::connections() const {
    std::lock_guard lock(mu_);
    return sinks_.size();
}

}  // namespace otdel::events
