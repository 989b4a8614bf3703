#pragma once
/// SQL of work calendars: the calendar rows (workspace, department and employee scope), the dated exceptions, the
/// loaded production-calendar years, and the few facts of the org tables a person's calendar needs (department
/// path, absences). Every function runs in the caller's session/transaction and is scoped by workspace.
#include <soci/soci.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace otdel::org::calendar_store {

/// One work_calendars row, in its storage form (hours as "HH:MM-HH:MM,..." text per weekday).
struct CalendarRow {
    core::Id id = 0;
    std::string scope;  // "workspace" | "department" | "employee"
    core::Id scope_id = 0;
    std::optional<std::string> time_zone;
    bool week_set = false;
    std::array<std::string, 7> days;  // mon..sun
    std::string holidays = "inherit";
    core::Millis created_at = 0, updated_at = 0;
};

struct DayRow {
    core::Id id = 0;
    std::string day;  // YYYY-MM-DD
    std::string kind, hours, name, source;
    core::Millis created_at = 0, updated_at = 0;
};

struct YearRow {
    int year = 0;
    bool official = false;
    std::string source;
    core::Millis loaded_at = 0;
};

struct AbsenceRange {
    std::string starts_on, ends_on;
};

std::optional<CalendarRow> SelectCalendar(soci::session& sql, core::Id ws, const std::string& scope, core::Id scope_id);
/// Inserts or replaces the row of (scope, scope_id); returns it as stored.
CalendarRow UpsertCalendar(soci::session& sql, core::Id ws, const CalendarRow& row, core::Millis now);
bool DeleteCalendar(soci::session& sql, core::Id ws, const std::string& scope, core::Id scope_id);

std::vector<DayRow> SelectDaysOfYear(soci::session& sql, core::Id ws, int year);
std::vector<DayRow> SelectAllDays(soci::session& sql, core::Id ws);
std::optional<DayRow> SelectDay(soci::session& sql, core::Id ws, core::Id id);
std::optional<DayRow> SelectDayByDate(soci::session& sql, core::Id ws, const std::string& day);
DayRow InsertDay(soci::session& sql, core::Id ws, const DayRow& row, core::Millis now);
/// Inserts unless the date already has a row (an administrator's entry wins). True when inserted.
bool InsertDayIfAbsent(soci::session& sql, core::Id ws, const DayRow& row, core::Millis now);
void UpdateDay(soci::session& sql, core::Id ws, const DayRow& row, core::Millis now);
bool DeleteDay(soci::session& sql, core::Id ws, core::Id id);

std::vector<YearRow> SelectYears(soci::session& sql, core::Id ws);
std::optional<YearRow> SelectYear(soci::session& sql, core::Id ws, int year);
void InsertYear(soci::session& sql, core::Id ws, const YearRow& row);

/// The workspace's own time zone (workspaces.time_zone), the default of its calendar.
std::optional<std::string> SelectWorkspaceTimeZone(soci::session& sql, core::Id ws);
bool UserExists(soci::session& sql, core::Id ws, core::Id user_id);
/// The department's materialised path ("/1/4/9/"), when the department exists.
std::optional<std::string> SelectDepartmentPath(soci::session& sql, core::Id ws, core::Id department_id);
/// The path of the person's department, when they are an employee.
std::optional<std::string> SelectEmployeeDepartmentPath(soci::session& sql, core::Id ws, core::Id user_id);
/// Department-scope calendar rows of the given departments.
std::vector<CalendarRow> SelectDepartmentCalendars(soci::session& sql, core::Id ws, const std::vector<core::Id>& ids);
/// The person's absences that are not cancelled and end on or after `from_day`.
std::vector<AbsenceRange> SelectAbsences(soci::session& sql, core::Id ws, core::Id user_id,
                                         const std::string& from_day);

}  // namespace otdel::org::calendar_store
