#include "routing/sla.hpp"

#include <algorithm>

namespace otdel::routing {

namespace {
using core::kMinute;
}

core::Result<org::WorkCalendar> SlaCalendar(const org::WorkCalendar& person) {
    org::CalendarSpec spec = person.spec();
    spec.absences.clear();
    return org::WorkCalendar::Make(std::move(spec));
}

core::Result<core::Millis> Deadline(const org::WorkCalendar& sla_calendar, core::Millis assigned_at, int minutes) {
    if (minutes < 1) return core::Error::Field("sla_minutes", "out_of_range", "1");
    return org::AddWorkingMinutes(sla_calendar, assigned_at, minutes);
}

BreachAction OnBreach(int reassignments, int escalate_after) {
    return reassignments < escalate_after ? BreachAction::kReassign : BreachAction::kEscalate;
}

std::int64_t RemainingWorkingMs(const org::WorkCalendar& sla_calendar, core::Millis now, core::Millis deadline) {
    if (now >= deadline) return -(now - deadline);
    return org::WorkingMillisBetween(sla_calendar, now, deadline);
}

namespace {

bool Overlaps(const std::vector<Span>& busy, core::Millis s, core::Millis e) {
    return std::any_of(busy.begin(), busy.end(), [&](const Span& b) { return b.start < e && s < b.end; });
}

}  // namespace

bool SlotIsFree(const org::WorkCalendar& person, const std::vector<Span>& busy, core::Millis start, int minutes) {
    if (minutes < 1) return false;
    const core::Millis end = start + minutes * kMinute;
    const org::Day d = person.LocalDay(start);
    // The interval may have started the previous local day (an overnight shift).
    for (org::Day day : {org::Day{d.days - 1}, d}) {
        for (const auto& [s, e] : person.WorkOn(day))
            if (s <= start && end <= e) return !Overlaps(busy, start, end);
    }
    return false;
}

std::vector<Span> FreeSlots(const org::WorkCalendar& person, const std::vector<Span>& busy, core::Millis from,
                            core::Millis to, int minutes, int step_minutes, std::size_t limit) {
    std::vector<Span> out;
    if (minutes < 1 || step_minutes < 1 || to <= from) return out;
    const core::Millis len = minutes * kMinute, step = step_minutes * kMinute;
    const org::Day first = person.LocalDay(from), last = person.LocalDay(to);
    for (int dd = first.days - 1; dd <= last.days && out.size() < limit; ++dd) {
        for (const auto& [s, e] : person.WorkOn(org::Day{dd})) {
            // Slots start on the step grid counted from the interval's start.
            core::Millis t = s;
            if (t < from) t = s + ((from - s + step - 1) / step) * step;
            for (; t + len <= e && t + len <= to && out.size() < limit; t += step)
                if (!Overlaps(busy, t, t + len)) out.push_back({t, t + len});
        }
    }
    return out;
}

std::vector<CoverageGap> CoverageGaps(const std::vector<org::WorkCalendar>& people, const org::WorkCalendar& workspace,
                                      org::Day first, int days, int minimum) {
    std::vector<CoverageGap> out;
    for (int i = 0; i < days; ++i) {
        const org::Day d{first.days + i};
        if (workspace.WorkOn(d).empty()) continue;
        int on_duty = 0;
        for (const auto& p : people)
            if (!p.WorkOn(d).empty()) ++on_duty;
        if (on_duty < minimum) out.push_back({d, on_duty});
    }
    return out;
}

}  // namespace otdel::routing
