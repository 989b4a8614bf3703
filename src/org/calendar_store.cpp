#include "org/calendar_store.hpp"

namespace otdel::org::calendar_store {
namespace {

constexpr const char* kSelectCalendar =
    "SELECT id, scope, scope_id, time_zone, week_set, mon, tue, wed, thu, fri, sat, sun, holidays, created_at, "
    "updated_at FROM work_calendars WHERE workspace_id = :ws AND scope = :scope AND scope_id = :sid";
constexpr const char* kUpsertCalendar =
    "INSERT INTO work_calendars (workspace_id, scope, scope_id, time_zone, week_set, mon, tue, wed, thu, fri, sat, "
    "sun, holidays, created_at, updated_at) VALUES (:ws, :scope, :sid, :tz, :week_set, :mon, :tue, :wed, :thu, "
    ":fri, :sat, :sun, :holidays, :created, :updated) "
    "ON CONFLICT (workspace_id, scope, scope_id) DO UPDATE SET time_zone = excluded.time_zone, "
    "week_set = excluded.week_set, mon = excluded.mon, tue = excluded.tue, wed = excluded.wed, thu = excluded.thu, "
    "fri = excluded.fri, sat = excluded.sat, sun = excluded.sun, holidays = excluded.holidays, "
    "updated_at = excluded.updated_at";
constexpr const char* kDeleteCalendar =
    "DELETE FROM work_calendars WHERE workspace_id = :ws AND scope = :scope AND scope_id = :sid";

constexpr const char* kSelectDaysBetween =
    "SELECT id, day, kind, hours, name, source, created_at, updated_at FROM calendar_days "
    "WHERE workspace_id = :ws AND day >= :first AND day <= :last ORDER BY day";
constexpr const char* kSelectDay =
    "SELECT id, day, kind, hours, name, source, created_at, updated_at FROM calendar_days "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kSelectDayByDate =
    "SELECT id, day, kind, hours, name, source, created_at, updated_at FROM calendar_days "
    "WHERE workspace_id = :ws AND day = :day";
constexpr const char* kInsertDay =
    "INSERT INTO calendar_days (workspace_id, day, kind, hours, name, source, created_at, updated_at) "
    "VALUES (:ws, :day, :kind, :hours, :name, :source, :created, :updated) RETURNING id";
constexpr const char* kInsertDayIfAbsent =
    "INSERT INTO calendar_days (workspace_id, day, kind, hours, name, source, created_at, updated_at) "
    "VALUES (:ws, :day, :kind, :hours, :name, :source, :created, :updated) "
    "ON CONFLICT (workspace_id, day) DO NOTHING";
constexpr const char* kUpdateDay =
    "UPDATE calendar_days SET day = :day, kind = :kind, hours = :hours, name = :name, updated_at = :now "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDeleteDay = "DELETE FROM calendar_days WHERE workspace_id = :ws AND id = :id";

constexpr const char* kSelectYears =
    "SELECT year, official, source, loaded_at FROM calendar_years WHERE workspace_id = :ws ORDER BY year";
constexpr const char* kSelectYear =
    "SELECT year, official, source, loaded_at FROM calendar_years WHERE workspace_id = :ws AND year = :year";
constexpr const char* kInsertYear =
    "INSERT INTO calendar_years (workspace_id, year, official, source, loaded_at) "
    "VALUES (:ws, :year, :official, :source, :at)";

constexpr const char* kSelectWorkspaceTimeZone = "SELECT time_zone FROM workspaces WHERE id = :ws";
constexpr const char* kUserExists = "SELECT id FROM users WHERE workspace_id = :ws AND id = :id";
constexpr const char* kSelectDepartmentPath = "SELECT path FROM departments WHERE workspace_id = :ws AND id = :id";
constexpr const char* kSelectEmployeeDepartmentPath =
    "SELECT d.path FROM employees e JOIN departments d ON d.workspace_id = e.workspace_id AND d.id = e.department_id "
    "WHERE e.workspace_id = :ws AND e.user_id = :uid";
constexpr const char* kSelectAbsences =
    "SELECT starts_on, ends_on FROM absences WHERE workspace_id = :ws AND user_id = :uid AND cancelled_at IS NULL "
    "AND ends_on >= :from ORDER BY starts_on";

// Output columns of a work_calendars row, in the order of kSelectCalendar.
struct CalendarInto {
    long long id = 0, scope_id = 0, created = 0, updated = 0;
    int week_set = 0;
    std::string scope, tz, holidays;
    soci::indicator tz_ind = soci::i_null;
    std::array<std::string, 7> days;

    CalendarRow Row() const {
        CalendarRow r;
        r.id = id;
        r.scope = scope;
        r.scope_id = scope_id;
        if (tz_ind == soci::i_ok) r.time_zone = tz;
        r.week_set = week_set != 0;
        r.days = days;
        r.holidays = holidays;
        r.created_at = created;
        r.updated_at = updated;
        return r;
    }
};

struct DayInto {
    long long id = 0, created = 0, updated = 0;
    DayRow row;
    DayRow Row() const {
        DayRow r = row;
        r.id = id;
        r.created_at = created;
        r.updated_at = updated;
        return r;
    }
};

}  // namespace

std::optional<CalendarRow> SelectCalendar(soci::session& sql, core::Id ws, const std::string& scope,
                                          core::Id scope_id) {
    long long w = ws, sid = scope_id;
    CalendarInto c;
    sql << kSelectCalendar, soci::use(w, "ws"), soci::use(scope, "scope"), soci::use(sid, "sid"), soci::into(c.id),
        soci::into(c.scope), soci::into(c.scope_id), soci::into(c.tz, c.tz_ind), soci::into(c.week_set),
        soci::into(c.days[0]), soci::into(c.days[1]), soci::into(c.days[2]), soci::into(c.days[3]),
        soci::into(c.days[4]), soci::into(c.days[5]), soci::into(c.days[6]), soci::into(c.holidays),
        soci::into(c.created), soci::into(c.updated);
    if (!sql.got_data()) return std::nullopt;
    return c.Row();
}

CalendarRow UpsertCalendar(soci::session& sql, core::Id ws, const CalendarRow& row, core::Millis now) {
    long long w = ws, sid = row.scope_id, at = now;
    int week_set = row.week_set ? 1 : 0;
    std::string tz = row.time_zone.value_or("");
    soci::indicator tz_ind = row.time_zone ? soci::i_ok : soci::i_null;
    sql << kUpsertCalendar, soci::use(w, "ws"), soci::use(row.scope, "scope"), soci::use(sid, "sid"),
        soci::use(tz, tz_ind, "tz"), soci::use(week_set, "week_set"), soci::use(row.days[0], "mon"),
        soci::use(row.days[1], "tue"), soci::use(row.days[2], "wed"), soci::use(row.days[3], "thu"),
        soci::use(row.days[4], "fri"), soci::use(row.days[5], "sat"), soci::use(row.days[6], "sun"),
        soci::use(row.holidays, "holidays"), soci::use(at, "created"), soci::use(at, "updated");
    return *SelectCalendar(sql, ws, row.scope, row.scope_id);
}

bool DeleteCalendar(soci::session& sql, core::Id ws, const std::string& scope, core::Id scope_id) {
    long long w = ws, sid = scope_id;
    soci::statement st =
        (sql.prepare << kDeleteCalendar, soci::use(w, "ws"), soci::use(scope, "scope"), soci::use(sid, "sid"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

namespace {
std::vector<DayRow> SelectDaysBetween(soci::session& sql, core::Id ws, const std::string& first,
                                      const std::string& last) {
    long long w = ws;
    DayInto d;
    soci::statement st =
        (sql.prepare << kSelectDaysBetween, soci::use(w, "ws"), soci::use(first, "first"), soci::use(last, "last"),
         soci::into(d.id), soci::into(d.row.day), soci::into(d.row.kind), soci::into(d.row.hours),
         soci::into(d.row.name), soci::into(d.row.source), soci::into(d.created), soci::into(d.updated));
    st.execute();
    std::vector<DayRow> out;
    while (st.fetch()) out.push_back(d.Row());
    return out;
}
}  // namespace

std::vector<DayRow> SelectDaysOfYear(soci::session& sql, core::Id ws, int year) {
    const std::string y = std::to_string(year);
    return SelectDaysBetween(sql, ws, y + "-01-01", y + "-12-31");
}

std::vector<DayRow> SelectAllDays(soci::session& sql, core::Id ws) {
    return SelectDaysBetween(sql, ws, "0000-00-00", "9999-99-99");
}

std::optional<DayRow> SelectDay(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, key = id;
    DayInto d;
    sql << kSelectDay, soci::use(w, "ws"), soci::use(key, "id"), soci::into(d.id), soci::into(d.row.day),
        soci::into(d.row.kind), soci::into(d.row.hours), soci::into(d.row.name), soci::into(d.row.source),
        soci::into(d.created), soci::into(d.updated);
    if (!sql.got_data()) return std::nullopt;
    return d.Row();
}

std::optional<DayRow> SelectDayByDate(soci::session& sql, core::Id ws, const std::string& day) {
    long long w = ws;
    DayInto d;
    sql << kSelectDayByDate, soci::use(w, "ws"), soci::use(day, "day"), soci::into(d.id), soci::into(d.row.day),
        soci::into(d.row.kind), soci::into(d.row.hours), soci::into(d.row.name), soci::into(d.row.source),
        soci::into(d.created), soci::into(d.updated);
    if (!sql.got_data()) return std::nullopt;
    return d.Row();
}

DayRow InsertDay(soci::session& sql, core::Id ws, const DayRow& row, core::Millis now) {
    long long w = ws, at = now, id = 0;
    sql << kInsertDay, soci::use(w, "ws"), soci::use(row.day, "day"), soci::use(row.kind, "kind"),
        soci::use(row.hours, "hours"), soci::use(row.name, "name"), soci::use(row.source, "source"),
        soci::use(at, "created"), soci::use(at, "updated"), soci::into(id);
    DayRow out = row;
    out.id = id;
    out.created_at = out.updated_at = now;
    return out;
}

bool InsertDayIfAbsent(soci::session& sql, core::Id ws, const DayRow& row, core::Millis now) {
    long long w = ws, at = now;
    soci::statement st = (sql.prepare << kInsertDayIfAbsent, soci::use(w, "ws"), soci::use(row.day, "day"),
                          soci::use(row.kind, "kind"), soci::use(row.hours, "hours"), soci::use(row.name, "name"),
                          soci::use(row.source, "source"), soci::use(at, "created"), soci::use(at, "updated"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

void UpdateDay(soci::session& sql, core::Id ws, const DayRow& row, core::Millis now) {
    long long w = ws, key = row.id, at = now;
    sql << kUpdateDay, soci::use(row.day, "day"), soci::use(row.kind, "kind"), soci::use(row.hours, "hours"),
        soci::use(row.name, "name"), soci::use(at, "now"), soci::use(w, "ws"), soci::use(key, "id");
}

bool DeleteDay(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, key = id;
    soci::statement st = (sql.prepare << kDeleteDay, soci::use(w, "ws"), soci::use(key, "id"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

std::vector<YearRow> SelectYears(soci::session& sql, core::Id ws) {
    long long w = ws, at = 0;
    int year = 0, official = 0;
    std::string source;
    soci::statement st = (sql.prepare << kSelectYears, soci::use(w, "ws"), soci::into(year), soci::into(official),
                          soci::into(source), soci::into(at));
    st.execute();
    std::vector<YearRow> out;
    while (st.fetch()) out.push_back(YearRow{year, official != 0, source, at});
    return out;
}

std::optional<YearRow> SelectYear(soci::session& sql, core::Id ws, int year) {
    long long w = ws, at = 0;
    int y = year, out_year = 0, official = 0;
    std::string source;
    sql << kSelectYear, soci::use(w, "ws"), soci::use(y, "year"), soci::into(out_year), soci::into(official),
        soci::into(source), soci::into(at);
    if (!sql.got_data()) return std::nullopt;
    return YearRow{out_year, official != 0, source, at};
}

void InsertYear(soci::session& sql, core::Id ws, const YearRow& row) {
    long long w = ws, at = row.loaded_at;
    int year = row.year, official = row.official ? 1 : 0;
    sql << kInsertYear, soci::use(w, "ws"), soci::use(year, "year"), soci::use(official, "official"),
        soci::use(row.source, "source"), soci::use(at, "at");
}

std::optional<std::string> SelectWorkspaceTimeZone(soci::session& sql, core::Id ws) {
    long long w = ws;
    std::string tz;
    sql << kSelectWorkspaceTimeZone, soci::use(w, "ws"), soci::into(tz);
    if (!sql.got_data()) return std::nullopt;
    return tz;
}

bool UserExists(soci::session& sql, core::Id ws, core::Id user_id) {
    long long w = ws, key = user_id, out = 0;
    sql << kUserExists, soci::use(w, "ws"), soci::use(key, "id"), soci::into(out);
    return sql.got_data();
}

std::optional<std::string> SelectDepartmentPath(soci::session& sql, core::Id ws, core::Id department_id) {
    long long w = ws, key = department_id;
    std::string path;
    sql << kSelectDepartmentPath, soci::use(w, "ws"), soci::use(key, "id"), soci::into(path);
    if (!sql.got_data()) return std::nullopt;
    return path;
}

std::optional<std::string> SelectEmployeeDepartmentPath(soci::session& sql, core::Id ws, core::Id user_id) {
    long long w = ws, key = user_id;
    std::string path;
    sql << kSelectEmployeeDepartmentPath, soci::use(w, "ws"), soci::use(key, "uid"), soci::into(path);
    if (!sql.got_data()) return std::nullopt;
    return path;
}

std::vector<CalendarRow> SelectDepartmentCalendars(soci::session& sql, core::Id ws, const std::vector<core::Id>& ids) {
    std::vector<CalendarRow> out;
    for (core::Id id : ids)
        if (auto row = SelectCalendar(sql, ws, "department", id)) out.push_back(std::move(*row));
    return out;
}

std::vector<AbsenceRange> SelectAbsences(soci::session& sql, core::Id ws, core::Id user_id,
                                         const std::string& from_day) {
    long long w = ws, key = user_id;
    std::string starts, ends;
    soci::statement st = (sql.prepare << kSelectAbsences, soci::use(w, "ws"), soci::use(key, "uid"),
                          soci::use(from_day, "from"), soci::into(starts), soci::into(ends));
    st.execute();
    std::vector<AbsenceRange> out;
    while (st.fetch()) out.push_back({starts, ends});
    return out;
}

}  // namespace otdel::org::calendar_store
