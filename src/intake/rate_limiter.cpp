#include "intake/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace otdel::intake {
namespace {

double Refilled(double tokens, core::Millis from, core::Millis to, int per_minute) {
    const double elapsed = static_cast<double>(std::max<core::Millis>(0, to - from));
    return std::min(static_cast<double>(per_minute), tokens + elapsed * per_minute / 60'000.0);
}

}  // namespace

int RateLimiter::Take(std::string_view key, int per_minute, core::Millis now) {
    if (per_minute <= 0) return 60;
    std::lock_guard lock(mu_);
    auto it = buckets_.find(std::string(key));
    if (it == buckets_.end()) {
        if (buckets_.size() >= max_keys_) SweepLocked(now);
        if (buckets_.size() >= max_keys_) return 1;
        it = buckets_.emplace(std::string(key), Bucket{static_cast<double>(per_minute), now, per_minute}).first;
    }
    Bucket& b = it->second;
    b.tokens = Refilled(b.tokens, b.at, now, per_minute);
    b.at = std::max(b.at, now);
    b.per_minute = per_minute;
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return 0;
    }
    const double ms_to_one = (1.0 - b.tokens) * 60'000.0 / per_minute;
    return std::max(1, static_cast<int>(std::ceil(ms_to_one / 1000.0)));
}

std::size_t RateLimiter::size() const {
    std::lock_guard lock(mu_);
    return buckets_.size();
}

void RateLimiter::SweepLocked(core::Millis now) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        const Bucket& b = it->second;
        if (Refilled(b.tokens, b.at, now, b.per_minute) >= b.per_minute)
            it = buckets_.erase(it);
        else
            ++it;
    }
}

}  // namespace otdel::intake
