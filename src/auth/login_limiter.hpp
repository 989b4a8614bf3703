#pragma once
/// Brute-force protection for sign-in: an in-memory sliding window of failed attempts per client IP and per
/// e-mail. Pure (no I/O): time comes from the Clock. Thread-safe. State is per process, which is enough for
/// one binary; restarting the server forgets it (an attacker gains one window at most).
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"

namespace otdel::auth {

struct LoginLimits {
    int max_failures_per_email = 5;
    int max_failures_per_ip = 20;
    int window_seconds = 900;
};

class LoginLimiter {
public:
    LoginLimiter(const core::Clock& clock, LoginLimits limits);

    /// 0 when an attempt for (ip, email) may proceed; otherwise the seconds until it may (>= 1): the IP or the
    /// e-mail already has its maximum of failures within the window. An empty ip or email is not limited by it.
    int RetryAfterSeconds(std::string_view ip, std::string_view email) const;
    /// Counts one failed attempt against both the IP and the e-mail.
    void RecordFailure(std::string_view ip, std::string_view email);
    /// A successful sign-in forgets the e-mail's failures (the IP's stay: one office may host an attacker).
    void ClearEmail(std::string_view email);

    /// Keys currently tracked (for tests and metrics).
    std::size_t tracked_keys() const;

private:
    using Window = std::deque<core::Millis>;
    int RetryAfterLocked(const std::string& key, int max, core::Millis now) const;
    void RecordLocked(const std::string& key, int max, core::Millis now);
    void SweepLocked(core::Millis now);

    const core::Clock& clock_;
    LoginLimits limits_;
    mutable std::mutex mu_;
    std::unordered_map<std::string, Window> failures_;
    std::size_t records_since_sweep_ = 0;
};

}  // namespace otdel::auth
