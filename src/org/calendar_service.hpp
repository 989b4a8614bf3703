#pragma once
/// CalendarService: the workspace calendar, department and employee overrides, dated exceptions (holidays,
/// transferred working days, short days) with the built-in Russian production calendar loaded lazily, and the
/// composed calendar of a person — what routing and every SLA ask: "is P working at T", "T + N working minutes".
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "org/work_calendar.hpp"

namespace otdel::org {

enum class CalendarScope { kWorkspace, kDepartment, kEmployee };
std::string_view CalendarScopeName(CalendarScope s);

/// What a caller sends to set one scope's calendar. For the workspace both fields are required; for an override
/// an unset field inherits from the less specific layer.
struct CalendarSettingsInput {
    std::optional<std::string> time_zone;
    std::optional<WeekSchedule> week;
    bool holidays_inherit = true;  // false: public holidays and other dated exceptions do not apply
};

/// The stored settings of one scope with the effective result of all layers for it.
struct CalendarSettings {
    CalendarScope scope = CalendarScope::kWorkspace;
    core::Id scope_id = 0;
    bool overridden = false;  // a row exists for this scope
    std::optional<std::string> time_zone;
    std::optional<WeekSchedule> week;
    bool holidays_inherit = true;
    // Effective values after layering (for departments: workspace ← ancestors ← this one).
    std::string effective_time_zone;
    WeekSchedule effective_week;
    bool effective_holidays = true;
    std::optional<core::Millis> updated_at;
};

struct CalendarDay {
    core::Id id = 0;
    Day day;
    DayKind kind = DayKind::kHoliday;
    std::vector<Interval> hours;
    std::string name;
    std::string source;  // "builtin" | "manual"
    core::Millis updated_at = 0;
};

struct CalendarYearInfo {
    int year = 0;
    bool builtin = false;  // a year of the production calendar was loaded into the workspace
    bool official = false;
    std::string source;
    std::vector<CalendarDay> days;
};

struct NewCalendarDay {
    Day day;
    DayKind kind = DayKind::kHoliday;
    std::vector<Interval> hours;
    std::string name;
};

struct CalendarDayPatch {
    std::optional<Day> day;
    std::optional<DayKind> kind;
    std::optional<std::vector<Interval>> hours;
    std::optional<std::string> name;
};

struct WorkingAnswer {
    bool working = false;
    std::optional<core::Millis> next_working_at;  // the next working moment when not working now
    std::string time_zone;
};

inline constexpr std::size_t kMaxDayNameLength = 200;

class CalendarService {
public:
    CalendarService(db::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

    /// Adds the /api/v1/calendars/* routes (calendar_api.cpp).
    void Register(http::Router& router);

    core::Result<CalendarSettings> GetSettings(const core::Actor& actor, CalendarScope scope, core::Id scope_id);
    /// Administrators only. Validates the zone and the week; writes an audit row with before/after.
    core::Result<CalendarSettings> PutSettings(const core::Actor& actor, CalendarScope scope, core::Id scope_id,
                                               const CalendarSettingsInput& input);
    /// Removes a department/employee override (administrators only); the workspace calendar cannot be removed.
    core::Result<void> DeleteOverride(const core::Actor& actor, CalendarScope scope, core::Id scope_id);

    core::Result<CalendarYearInfo> ListDays(const core::Actor& actor, int year);
    core::Result<CalendarDay> AddDay(const core::Actor& actor, const NewCalendarDay& day);
    core::Result<CalendarDay> ChangeDay(const core::Actor& actor, core::Id id, const CalendarDayPatch& patch);
    core::Result<void> DeleteDay(const core::Actor& actor, core::Id id);

    /// The composed calendar of a person (workspace ← department ancestors ← employee, holidays, absences that end
    /// on or after `from`). For routing and SLA timers. kNotFound when the user is not in the workspace.
    core::Result<WorkCalendar> CalendarOf(core::Id workspace_id, core::Id user_id, core::Millis from);
    /// The same inside the caller's session (an open transaction), without loading built-in years first: callers
    /// inside a write transaction call EnsureBuiltinYears beforehand (it writes in its own transaction).
    static core::Result<WorkCalendar> CalendarOfIn(soci::session& sql, core::Id workspace_id, core::Id user_id,
                                                   core::Millis from);
    /// The workspace layer alone (its hours and holidays): which days are business days.
    static core::Result<WorkCalendar> WorkspaceCalendarIn(soci::session& sql, core::Id workspace_id);

    core::Result<WorkingAnswer> IsWorkingAt(const core::Actor& actor, core::Id user_id, core::Millis at);
    core::Result<core::Millis> AddWorkingMinutesFor(const core::Actor& actor, core::Id user_id, core::Millis from,
                                                    std::int64_t minutes);

    /// Loads the built-in production-calendar years the workspace has not loaded yet (idempotent; done lazily by
    /// every calendar read, public so a seed or a test can force it).
    void EnsureBuiltinYears(core::Id workspace_id);

private:
    db::Database& db_;
    const core::Clock& clock_;
    std::mutex mu_;
    std::set<core::Id> loaded_;  // workspaces whose built-in years are known to be loaded in this process
};

}  // namespace otdel::org
