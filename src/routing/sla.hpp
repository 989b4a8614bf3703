#pragma once
/// First-response SLA (LEAD-5), free slots for the two-tier hand-off and pool coverage (LEAD-6) as pure maths
/// over work calendars. No SQL here.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "org/work_calendar.hpp"

namespace otdel::routing {

/// The calendar an SLA is counted in: the person's hours, holidays and short days, but NOT their absences. An
/// absence that starts while the clock runs must not stretch the deadline over the vacation: the lead breaches
/// on time and goes to someone who is there.
core::Result<org::WorkCalendar> SlaCalendar(const org::WorkCalendar& person);

/// assigned_at + `minutes` working minutes of `sla_calendar` (counting from the next working moment when the
/// lead arrives off-shift: a Friday 17:30 lead with 60 minutes is due Monday 09:30).
core::Result<core::Millis> Deadline(const org::WorkCalendar& sla_calendar, core::Millis assigned_at, int minutes);

enum class BreachAction { kReassign, kEscalate };
/// After `reassignments` automatic reassignments, is the next breach reassigned again or escalated to the head?
BreachAction OnBreach(int reassignments, int escalate_after);

/// Working milliseconds left until the deadline (negative once overdue: the overdue part in wall-clock time).
std::int64_t RemainingWorkingMs(const org::WorkCalendar& sla_calendar, core::Millis now, core::Millis deadline);

/// A [start, end) span of time.
struct Span {
    core::Millis start = 0, end = 0;
    bool operator==(const Span&) const = default;
};

/// Free meeting slots of one person in [from, to): `minutes` long, starting on a `step_minutes` grid inside their
/// working intervals (absences and holidays included), not overlapping `busy` (existing meetings, sorted or not),
/// at most `limit` of them.
std::vector<Span> FreeSlots(const org::WorkCalendar& person, const std::vector<Span>& busy, core::Millis from,
                            core::Millis to, int minutes, int step_minutes, std::size_t limit);

/// Whether [start, start + minutes) lies inside one working interval of the person and is free of `busy`.
bool SlotIsFree(const org::WorkCalendar& person, const std::vector<Span>& busy, core::Millis start, int minutes);

/// Business days (the workspace calendar has work) from `first` (inclusive, `days` of them) on which fewer than
/// `minimum` of the given people work at all (their own hours, holidays and absences).
struct CoverageGap {
    org::Day day;
    int on_duty = 0;
};
std::vector<CoverageGap> CoverageGaps(const std::vector<org::WorkCalendar>& people, const org::WorkCalendar& workspace,
                                      org::Day first, int days, int minimum);

}  // namespace otdel::routing
