#pragma once
/// SMS to clients (the DEAL-7 reminders): what a provider implements, and the provider that only writes each
/// message to the log — the default until a workspace connects a real gateway, and what the demo and tests use.
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace otdel::billing {

class SmsSender {
public:
    virtual ~SmsSender() = default;
    /// `phone` in E.164 (+79161234567). kUnavailable with the provider's message on a failure (the job retries).
    virtual core::Result<void> Send(const std::string& phone, const std::string& text) = 0;
};

class LoggingSmsSender final : public SmsSender {
public:
    struct Sent {
        std::string phone, text;
    };
    core::Result<void> Send(const std::string& phone, const std::string& text) override;
    /// The last messages "sent" (at most 100), oldest first.
    std::vector<Sent> sent() const;

private:
    mutable std::mutex mu_;
    std::deque<Sent> sent_;
};

}  // namespace otdel::billing
