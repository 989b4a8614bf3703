#include "billing/sms.hpp"

#include <spdlog/spdlog.h>

namespace otdel::billing {

core::Result<void> LoggingSmsSender::Send(const std::string& phone, const std::string& text) {
    spdlog::info("sms (logging provider) to {}: {}", phone, text);
    std::lock_guard lock(mu_);
    sent_.push_back({phone, text});
    if (sent_.size() > 100) sent_.pop_front();
    return core::Ok();
}

std::vector<LoggingSmsSender::Sent> LoggingSmsSender::sent() const {
    std::lock_guard lock(mu_);
    return {sent_.begin(), sent_.end()};
}

}  // namespace otdel::billing
