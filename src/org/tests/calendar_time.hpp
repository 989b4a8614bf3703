#pragma once
/// Instants the calendar tests write by hand: a UTC or a Moscow wall-clock moment as Unix milliseconds.
#include "core/clock.hpp"
#include "org/work_calendar.hpp"

namespace otdel::org::test_support {

inline core::Millis Utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
    return static_cast<core::Millis>(MakeDay(y, mo, d).days) * core::kDay + h * core::kHour + mi * core::kMinute;
}

/// Moscow is UTC+3 all year (no DST since 2014).
inline core::Millis Msk(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
    return Utc(y, mo, d, h, mi) - 3 * core::kHour;
}

}  // namespace otdel::org::test_support
