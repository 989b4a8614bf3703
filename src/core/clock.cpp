#include "core/clock.hpp"

#include <chrono>

namespace otdel::core {

Millis SystemClock::NowMs() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void ManualClock::Advance(Millis delta) {
    if (delta < 0) return;
    now_.fetch_add(delta);
    Notify();
}

bool ManualClock::Set(Millis at) {
    Millis cur = now_.load();
    while (at >= cur) {
        if (now_.compare_exchange_weak(cur, at)) {
            Notify();
            return true;
        }
    }
    return false;
}

void ManualClock::OnChange(std::function<void()> listener) {
    std::lock_guard lock(mu_);
    listeners_.push_back(std::move(listener));
}

void ManualClock::Notify() {
    std::vector<std::function<void()>> copy;
    {
        std::lock_guard lock(mu_);
        copy = listeners_;
    }
    for (auto& l : copy) l();
}

}  // namespace otdel::core
