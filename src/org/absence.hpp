#pragma once
/// Absences (vacation, sick leave, business trip, day off) with a substitute, and the pure rules: conflicts when
/// recording one, and who actually receives a person's work on a given day.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace otdel::org {

struct Absence {
    core::Id workspace_id = 0, id = 0, user_id = 0;
    std::string kind;                // vacation | sick_leave | business_trip | day_off
    std::string starts_on, ends_on;  // YYYY-MM-DD, inclusive, workspace time zone
    std::optional<core::Id> substitute_user_id;
    std::string note;
    std::optional<core::Millis> cancelled_at;
    core::Millis created_at = 0;

    bool Covers(const std::string& day) const { return !cancelled_at && starts_on <= day && day <= ends_on; }
};

inline constexpr int kMaxAbsenceDays = 366;
inline constexpr std::size_t kMaxAbsenceNoteLength = 1000;

/// A real calendar date written YYYY-MM-DD.
bool IsValidDate(const std::string& s);
/// The day after / the number of days from a to b (b - a); both valid dates.
std::string NextDay(const std::string& day);
int DaysBetween(const std::string& a, const std::string& b);
/// Two inclusive ranges share at least one day.
inline bool RangesOverlap(const std::string& a1, const std::string& a2, const std::string& b1, const std::string& b2) {
    return a1 <= b2 && b1 <= a2;
}

/// Whether a substitute must be named: every kind except a day off (one day; new work goes to routing).
bool SubstituteRequired(const std::string& kind);

/// Checks a new absence against the others of the workspace (only non-cancelled ones count) and returns the
/// first problem: 422 field errors for bad input, 409 with org.absence_overlap, org.substitute_loop or
/// org.substitute_absent for conflicts. Dismissed people are checked by the service.
std::optional<core::Error> CheckNewAbsence(const Absence& candidate, const std::vector<Absence>& others);

/// Who receives `user_id`'s work on `day`: the user when present, else their substitute (following a chain of
/// absent substitutes). nullopt when the chain ends in an absence without a substitute or loops: the work goes
/// to routing.
std::optional<core::Id> EffectiveAssignee(core::Id user_id, const std::string& day, const std::vector<Absence>& all);
bool IsAbsent(core::Id user_id, const std::string& day, const std::vector<Absence>& all);

}  // namespace otdel::org
