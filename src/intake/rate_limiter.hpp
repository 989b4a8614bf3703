#pragma once
/// Token buckets for public endpoints (per client IP, per form key): in memory, per process, thread-safe.
/// Time is passed in (Clock milliseconds), so tests step it exactly.
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"

namespace otdel::intake {

class RateLimiter {
public:
    /// At most `max_keys` buckets are kept; beyond that, full (idle) buckets are swept, and if none is full the
    /// request is refused rather than growing memory without bound under a flood of distinct keys.
    explicit RateLimiter(std::size_t max_keys = 100'000) : max_keys_(max_keys) {}

    /// Takes one token from the bucket `key` holding up to `per_minute` tokens and refilling `per_minute` a minute.
    /// Returns 0 when taken, else the whole seconds (>= 1) until a token is available. per_minute <= 0 refuses.
    int Take(std::string_view key, int per_minute, core::Millis now);

    std::size_t size() const;

private:
    struct Bucket {
        double tokens = 0;
        core::Millis at = 0;
        int per_minute = 0;
    };
    void SweepLocked(core::Millis now);

    std::size_t max_keys_;
    mutable std::mutex mu_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace otdel::intake
