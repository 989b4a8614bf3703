#pragma once
/// All time comes from a Clock. Production uses SystemClock; tests and demos use ManualClock.
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace otdel::core {

/// UTC Unix milliseconds: the one representation of an instant in the product (and in the database).
using Millis = std::int64_t;

/// Fixed durations in milliseconds (a calendar day in a time zone is not always kDay: use the zone's rules for that).
inline constexpr Millis kMinute = 60'000;
inline constexpr Millis kHour = 60 * kMinute;
inline constexpr Millis kDay = 24 * kHour;

class Clock {
public:
    virtual ~Clock() = default;
    virtual Millis NowMs() const = 0;
    virtual bool IsManual() const { return false; }
};

class SystemClock final : public Clock {
public:
    Millis NowMs() const override;
};

/// A clock that moves only when told to. Listeners (the job scheduler) are told after each move.
class ManualClock final : public Clock {
public:
    explicit ManualClock(Millis start) : now_(start) {}
    Millis NowMs() const override { return now_.load(); }
    bool IsManual() const override { return true; }

    void Advance(Millis delta);
    /// Moves to `at`; moving backwards is refused (returns false) because timers assume monotonic time.
    bool Set(Millis at);
    void OnChange(std::function<void()> listener);

private:
    void Notify();
    std::atomic<Millis> now_;
    std::mutex mu_;
    std::vector<std::function<void()>> listeners_;
};

}  // namespace otdel::core
