#include "auth/login_limiter.hpp"

#include <algorithm>

namespace otdel::auth {
namespace {

// Memory stays bounded under a spray of random e-mails: every so many failures, windows that have
// fully expired are dropped.
constexpr std::size_t kSweepEvery = 1024;

std::string IpKey(std::string_view ip) {
    return "ip:" + std::string(ip);
}
std::string EmailKey(std::string_view email) {
    return "email:" + std::string(email);
}

}  // namespace

LoginLimiter::LoginLimiter(const core::Clock& clock, LoginLimits limits) : clock_(clock), limits_(limits) {
    limits_.max_failures_per_email = std::max(1, limits_.max_failures_per_email);
    limits_.max_failures_per_ip = std::max(1, limits_.max_failures_per_ip);
    limits_.window_seconds = std::max(1, limits_.window_seconds);
}

int LoginLimiter::RetryAfterLocked(const std::string& key, int max, core::Millis now) const {
    auto it = failures_.find(key);
    if (it == failures_.end()) return 0;
    const core::Millis window_ms = static_cast<core::Millis>(limits_.window_seconds) * 1000;
    const Window& w = it->second;
    // Failures still inside the window, oldest first; the window keeps at most `max` entries.
    auto first_live = std::upper_bound(w.begin(), w.end(), now - window_ms);
    auto live = static_cast<int>(w.end() - first_live);
    if (live < max) return 0;
    // Blocked until the oldest live failure leaves the window.
    core::Millis wait_ms = *first_live + window_ms - now;
    return static_cast<int>(std::max<core::Millis>(1, (wait_ms + 999) / 1000));
}

int LoginLimiter::RetryAfterSeconds(std::string_view ip, std::string_view email) const {
    const core::Millis now = clock_.NowMs();
    std::lock_guard lock(mu_);
    int wait = 0;
    if (!ip.empty()) wait = std::max(wait, RetryAfterLocked(IpKey(ip), limits_.max_failures_per_ip, now));
    if (!email.empty()) wait = std::max(wait, RetryAfterLocked(EmailKey(email), limits_.max_failures_per_email, now));
    return wait;
}

void LoginLimiter::RecordLocked(const std::string& key, int max, core::Millis now) {
    Window& w = failures_[key];
    const core::Millis window_ms = static_cast<core::Millis>(limits_.window_seconds) * 1000;
    while (!w.empty() && w.front() <= now - window_ms) w.pop_front();
    w.push_back(now);
    while (static_cast<int>(w.size()) > max) w.pop_front();
}

void LoginLimiter::RecordFailure(std::string_view ip, std::string_view email) {
    const core::Millis now = clock_.NowMs();
    std::lock_guard lock(mu_);
    if (!ip.empty()) RecordLocked(IpKey(ip), limits_.max_failures_per_ip, now);
    if (!email.empty()) RecordLocked(EmailKey(email), limits_.max_failures_per_email, now);
    if (++records_since_sweep_ >= kSweepEvery) SweepLocked(now);
}

void LoginLimiter::ClearEmail(std::string_view email) {
    std::lock_guard lock(mu_);
    failures_.erase(EmailKey(email));
}

void LoginLimiter::SweepLocked(core::Millis now) {
    records_since_sweep_ = 0;
    const core::Millis window_ms = static_cast<core::Millis>(limits_.window_seconds) * 1000;
    for (auto it = failures_.begin(); it != failures_.end();) {
        if (it->second.empty() || it->second.back() <= now - window_ms) {
            it = failures_.erase(it);
        } else {
            ++it;
        }
    }
}

std::size_t LoginLimiter::tracked_keys() const {
    std::lock_guard lock(mu_);
    return failures_.size();
}

}  // namespace otdel::auth
