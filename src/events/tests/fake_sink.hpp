#pragma once
/// An in-memory EventSink: records what was sent and lets a test close the "connection".
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "http/message.hpp"

namespace otdel::events::test_support {

class FakeSink final : public http::EventSink {
public:
    bool Send(std::string_view event, std::string_view data) override {
        std::lock_guard lock(mu_);
        if (closed_) return false;
        sent_.emplace_back(std::string(event), std::string(data));
        return true;
    }
    bool Closed() const override {
        std::lock_guard lock(mu_);
        return closed_;
    }
    void OnClose(std::function<void()> callback) override {
        std::unique_lock lock(mu_);
        if (closed_) {
            lock.unlock();
            callback();
            return;
        }
        on_close_.push_back(std::move(callback));
    }
    /// The client went away: callbacks run once, later sends fail.
    void Close() {
        std::vector<std::function<void()>> cbs;
        {
            std::lock_guard lock(mu_);
            if (closed_) return;
            closed_ = true;
            cbs.swap(on_close_);
        }
        for (auto& cb : cbs) cb();
    }
    std::vector<std::pair<std::string, std::string>> sent() const {
        std::lock_guard lock(mu_);
        return sent_;
    }

private:
    mutable std::mutex mu_;
    bool closed_ = false;
    std::vector<std::pair<std::string, std::string>> sent_;
    std::vector<std::function<void()>> on_close_;
};

}  // namespace otdel::events::test_support
