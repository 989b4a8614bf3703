#include "org/calendar_service.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "events/audit.hpp"
#include "org/calendar_production.hpp"
#include "org/calendar_store.hpp"

namespace otdel::org {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

Error AdminOnly() {
    return Error::Of(ErrorCode::kForbidden, "auth.admin_only");
}

// Stored form of a week: one "HH:MM-HH:MM,..." text per weekday.
std::array<std::string, 7> WeekToText(const WeekSchedule& week) {
    std::array<std::string, 7> out;
    for (int i = 0; i < 7; ++i) out[i] = FormatIntervalList(week[i]);
    return out;
}

WeekSchedule WeekFromText(const std::array<std::string, 7>& days) {
    WeekSchedule week;
    for (int i = 0; i < 7; ++i) {
        auto ivs = ParseIntervalList(days[i]);
        if (!ivs) {
            spdlog::warn("work calendar: unreadable stored hours '{}' ignored", days[i]);
            continue;
        }
        week[i] = std::move(*ivs);
    }
    return week;
}

CalendarLayer LayerOf(const calendar_store::CalendarRow& row) {
    CalendarLayer layer;
    layer.time_zone = row.time_zone;
    if (row.week_set) layer.week = WeekFromText(row.days);
    if (row.holidays == "none") layer.exceptions = std::vector<DayException>{};
    return layer;
}

json::value SettingsAudit(const calendar_store::CalendarRow& row) {
    json::object week;
    for (int i = 0; i < 7; ++i) week[kWeekdayKeys[i]] = row.days[i];
    return json::object{{"scope", row.scope},
                        {"scope_id", row.scope_id},
                        {"time_zone", row.time_zone ? json::value(*row.time_zone) : json::value(nullptr)},
                        {"week", row.week_set ? json::value(std::move(week)) : json::value(nullptr)},
                        {"holidays", row.holidays}};
}

json::value DayAudit(const calendar_store::DayRow& d) {
    return json::object{{"date", d.day}, {"kind", d.kind}, {"hours", d.hours}, {"name", d.name}, {"source", d.source}};
}

std::optional<CalendarDay> DayOf(const calendar_store::DayRow& r) {
    auto day = ParseDay(r.day);
    auto kind = ParseDayKind(r.kind);
    auto hours = ParseIntervalList(r.hours);
    if (!day || !kind || !hours) return std::nullopt;
    return CalendarDay{r.id, *day, *kind, std::move(*hours), r.name, r.source, r.updated_at};
}

std::vector<DayException> ExceptionsOf(const std::vector<calendar_store::DayRow>& rows) {
    std::vector<DayException> out;
    for (const auto& r : rows) {
        if (auto d = DayOf(r)) {
            out.push_back({d->day, d->kind, d->hours});
        } else {
            spdlog::warn("work calendar: unreadable stored day {} ignored", r.day);
        }
    }
    return out;
}

// "/1/4/9/" → {1, 4, 9}.
std::vector<core::Id> PathIds(const std::string& path) {
    std::vector<core::Id> ids;
    core::Id cur = 0;
    bool any = false;
    for (char c : path) {
        if (c >= '0' && c <= '9') {
            cur = cur * 10 + (c - '0');
            any = true;
        } else if (any) {
            ids.push_back(cur);
            cur = 0;
            any = false;
        }
    }
    if (any) ids.push_back(cur);
    return ids;
}

// The workspace layer: its row, or Mon–Fri 09:00–18:00 in the workspace's own time zone.
CalendarLayer WorkspaceLayer(soci::session& sql, core::Id ws, const std::vector<calendar_store::DayRow>& days) {
    CalendarLayer layer;
    layer.time_zone = calendar_store::SelectWorkspaceTimeZone(sql, ws).value_or(std::string(kDefaultTimeZone));
    if (!IsKnownTimeZone(*layer.time_zone)) layer.time_zone = std::string(kDefaultTimeZone);
    layer.week = DefaultWeek();
    if (auto row = calendar_store::SelectCalendar(sql, ws, "workspace", 0)) {
        if (row->time_zone) layer.time_zone = row->time_zone;
        if (row->week_set) layer.week = WeekFromText(row->days);
    }
    layer.exceptions = ExceptionsOf(days);
    return layer;
}

// Layers from the workspace down to (and including) the given department.
void AddDepartmentLayers(soci::session& sql, core::Id ws, const std::string& path, std::vector<CalendarLayer>& out) {
    for (const auto& row : calendar_store::SelectDepartmentCalendars(sql, ws, PathIds(path)))
        out.push_back(LayerOf(row));
}

std::string UtcDayBefore(core::Millis at, int days_before) {
    const auto day = static_cast<int>((at >= 0 ? at : at - 86'399'999) / 86'400'000);
    return FormatDay(Day{day - days_before});
}

}  // namespace

std::string_view CalendarScopeName(CalendarScope s) {
    switch (s) {
        case CalendarScope::kWorkspace: return "workspace";
        case CalendarScope::kDepartment: return "department";
        case CalendarScope::kEmployee: return "employee";
    }
    return "workspace";
}

void CalendarService::EnsureBuiltinYears(core::Id ws) {
    {
        std::lock_guard lock(mu_);
        if (loaded_.count(ws)) return;
    }
    try {
        auto done = db_.InTx([&](soci::session& sql) -> core::Result<void> {
            std::set<int> have;
            for (const auto& y : calendar_store::SelectYears(sql, ws)) have.insert(y.year);
            const core::Millis now = clock_.NowMs();
            for (const auto& year : RussianProductionCalendar()) {
                if (have.count(year.year)) continue;
                calendar_store::InsertYear(
                    sql, ws, calendar_store::YearRow{year.year, year.official, std::string(year.source), now});
                int inserted = 0;
                for (const auto& d : year.days) {
                    calendar_store::DayRow row;
                    row.day = std::string(d.date);
                    row.kind = std::string(DayKindName(d.kind));
                    row.name = std::string(d.name);
                    row.source = "builtin";
                    if (calendar_store::InsertDayIfAbsent(sql, ws, row, now)) ++inserted;
                }
                events::WriteAudit(sql, core::Actor::System(ws), now,
                                   {"calendar_year.load", "calendar_year", year.year, std::nullopt,
                                    json::object{{"year", year.year},
                                                 {"official", year.official},
                                                 {"source", year.source},
                                                 {"days", inserted}}});
            }
            return core::Ok();
        });
        (void)done;
    } catch (const std::exception& e) {
        // Another request loaded the same year at the same moment: its rows are there, which is all we need.
        if (!db::IsUniqueViolation(e)) throw;
    }
    std::lock_guard lock(mu_);
    loaded_.insert(ws);
}

core::Result<CalendarSettings> CalendarService::GetSettings(const core::Actor& actor, CalendarScope scope,
                                                            core::Id scope_id) {
    const core::Id ws = actor.workspace_id;
    EnsureBuiltinYears(ws);
    return db_.Read([&](soci::session& sql) -> core::Result<CalendarSettings> {
        auto days = calendar_store::SelectAllDays(sql, ws);
        std::vector<CalendarLayer> layers{WorkspaceLayer(sql, ws, days)};
        std::optional<std::string> path;
        if (scope == CalendarScope::kDepartment) {
            path = calendar_store::SelectDepartmentPath(sql, ws, scope_id);
            if (!path) return Error::Of(ErrorCode::kNotFound);
        } else if (scope == CalendarScope::kEmployee) {
            if (!calendar_store::UserExists(sql, ws, scope_id)) return Error::Of(ErrorCode::kNotFound);
            path = calendar_store::SelectEmployeeDepartmentPath(sql, ws, scope_id);
        } else {
            scope_id = 0;
        }
        if (path) AddDepartmentLayers(sql, ws, *path, layers);
        CalendarSettings out;
        out.scope = scope;
        out.scope_id = scope_id;
        auto row = calendar_store::SelectCalendar(sql, ws, std::string(CalendarScopeName(scope)), scope_id);
        if (scope == CalendarScope::kEmployee && row) layers.push_back(LayerOf(*row));
        if (row) {
            out.overridden = true;
            out.time_zone = row->time_zone;
            if (row->week_set) out.week = WeekFromText(row->days);
            out.holidays_inherit = row->holidays != "none";
            out.updated_at = row->updated_at;
        }
        auto spec = Compose(layers);
        out.effective_time_zone = spec.time_zone;
        out.effective_week = spec.week;
        // Holidays apply unless some layer switched them off (the workspace layer always carries its days).
        bool holidays = true;
        for (std::size_t i = 1; i < layers.size(); ++i)
            if (layers[i].exceptions) holidays = false;
        out.effective_holidays = holidays;
        if (scope == CalendarScope::kWorkspace) {
            out.time_zone = spec.time_zone;
            out.week = spec.week;
            out.holidays_inherit = true;
        }
        return out;
    });
}

core::Result<CalendarSettings> CalendarService::PutSettings(const core::Actor& actor, CalendarScope scope,
                                                            core::Id scope_id, const CalendarSettingsInput& input) {
    if (!actor.is_admin) return AdminOnly();
    std::vector<core::FieldError> errors;
    if (input.time_zone && !IsKnownTimeZone(*input.time_zone))
        errors.push_back({"time_zone", "invalid_time_zone", *input.time_zone});
    if (input.week) {
        auto e = ValidateWeek(*input.week, "week");
        errors.insert(errors.end(), e.begin(), e.end());
    }
    if (scope == CalendarScope::kWorkspace) {
        if (!input.time_zone && errors.empty()) errors.push_back({"time_zone", "required", {}});
        if (!input.week) errors.push_back({"week", "required", {}});
        if (!input.holidays_inherit) errors.push_back({"holidays", "invalid", {}});
        scope_id = 0;
    }
    if (!errors.empty()) return Error{ErrorCode::kValidation, {}, std::move(errors), 0};

    const core::Id ws = actor.workspace_id;
    auto done = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        if (scope == CalendarScope::kDepartment && !calendar_store::SelectDepartmentPath(sql, ws, scope_id))
            return Error::Of(ErrorCode::kNotFound);
        if (scope == CalendarScope::kEmployee && !calendar_store::UserExists(sql, ws, scope_id))
            return Error::Of(ErrorCode::kNotFound);
        const std::string scope_name(CalendarScopeName(scope));
        auto before = calendar_store::SelectCalendar(sql, ws, scope_name, scope_id);
        calendar_store::CalendarRow row;
        row.scope = scope_name;
        row.scope_id = scope_id;
        row.time_zone = input.time_zone;
        row.week_set = input.week.has_value();
        if (input.week) row.days = WeekToText(*input.week);
        row.holidays = input.holidays_inherit ? "inherit" : "none";
        const core::Millis now = clock_.NowMs();
        auto after = calendar_store::UpsertCalendar(sql, ws, row, now);
        events::WriteAudit(
            sql, actor, now,
            {before ? "work_calendar.update" : "work_calendar.create", "work_calendar", after.id,
             before ? std::optional<json::value>(SettingsAudit(*before)) : std::nullopt, SettingsAudit(after)});
        return core::Ok();
    });
    if (!done) return done.take_error();
    return GetSettings(actor, scope, scope_id);
}

core::Result<void> CalendarService::DeleteOverride(const core::Actor& actor, CalendarScope scope, core::Id scope_id) {
    if (!actor.is_admin) return AdminOnly();
    if (scope == CalendarScope::kWorkspace) return Error::Of(ErrorCode::kMethodNotAllowed);
    const core::Id ws = actor.workspace_id;
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const std::string scope_name(CalendarScopeName(scope));
        auto before = calendar_store::SelectCalendar(sql, ws, scope_name, scope_id);
        if (!before) return Error::Of(ErrorCode::kNotFound);
        calendar_store::DeleteCalendar(sql, ws, scope_name, scope_id);
        events::WriteAudit(sql, actor, clock_.NowMs(),
                           {"work_calendar.delete", "work_calendar", before->id, SettingsAudit(*before), std::nullopt});
        return core::Ok();
    });
}

core::Result<CalendarYearInfo> CalendarService::ListDays(const core::Actor& actor, int year) {
    const core::Id ws = actor.workspace_id;
    EnsureBuiltinYears(ws);
    return db_.Read([&](soci::session& sql) -> core::Result<CalendarYearInfo> {
        CalendarYearInfo info;
        info.year = year;
        if (auto y = calendar_store::SelectYear(sql, ws, year)) {
            info.builtin = true;
            info.official = y->official;
            info.source = y->source;
        }
        for (const auto& r : calendar_store::SelectDaysOfYear(sql, ws, year))
            if (auto d = DayOf(r)) info.days.push_back(std::move(*d));
        return info;
    });
}

namespace {
std::vector<core::FieldError> ValidateDay(DayKind kind, const std::vector<Interval>& hours) {
    if (kind == DayKind::kHoliday && !hours.empty()) return {{"hours", "hours_not_allowed", {}}};
    return ValidateIntervals(hours, "hours");
}
}  // namespace

core::Result<CalendarDay> CalendarService::AddDay(const core::Actor& actor, const NewCalendarDay& day) {
    if (!actor.is_admin) return AdminOnly();
    if (auto e = ValidateDay(day.kind, day.hours); !e.empty()) return Error{ErrorCode::kValidation, {}, e, 0};
    const core::Id ws = actor.workspace_id;
    EnsureBuiltinYears(ws);
    try {
        return db_.InTx([&](soci::session& sql) -> core::Result<CalendarDay> {
            if (calendar_store::SelectDayByDate(sql, ws, FormatDay(day.day)))
                return Error::Of(ErrorCode::kConflict, "calendar.day_exists");
            calendar_store::DayRow row;
            row.day = FormatDay(day.day);
            row.kind = std::string(DayKindName(day.kind));
            row.hours = FormatIntervalList(day.hours);
            row.name = day.name;
            row.source = "manual";
            const core::Millis now = clock_.NowMs();
            auto stored = calendar_store::InsertDay(sql, ws, row, now);
            events::WriteAudit(sql, actor, now,
                               {"calendar_day.create", "calendar_day", stored.id, std::nullopt, DayAudit(stored)});
            return *DayOf(stored);
        });
    } catch (const std::exception& e) {
        if (db::IsUniqueViolation(e)) return Error::Of(ErrorCode::kConflict, "calendar.day_exists");
        throw;
    }
}

core::Result<CalendarDay> CalendarService::ChangeDay(const core::Actor& actor, core::Id id,
                                                     const CalendarDayPatch& patch) {
    if (!actor.is_admin) return AdminOnly();
    const core::Id ws = actor.workspace_id;
    EnsureBuiltinYears(ws);
    try {
        return db_.InTx([&](soci::session& sql) -> core::Result<CalendarDay> {
            auto before = calendar_store::SelectDay(sql, ws, id);
            if (!before) return Error::Of(ErrorCode::kNotFound);
            auto current = DayOf(*before);
            if (!current) return Error::Of(ErrorCode::kInternal);
            CalendarDay next = *current;
            if (patch.day) next.day = *patch.day;
            if (patch.kind) next.kind = *patch.kind;
            if (patch.hours) next.hours = *patch.hours;
            // A day that becomes a holiday loses its hours unless the caller sent some (then it is an error).
            if (patch.kind == DayKind::kHoliday && !patch.hours) next.hours.clear();
            if (patch.name) next.name = *patch.name;
            if (auto e = ValidateDay(next.kind, next.hours); !e.empty()) return Error{ErrorCode::kValidation, {}, e, 0};
            if (next.day != current->day && calendar_store::SelectDayByDate(sql, ws, FormatDay(next.day)))
                return Error::Of(ErrorCode::kConflict, "calendar.day_exists");
            calendar_store::DayRow row = *before;
            row.day = FormatDay(next.day);
            row.kind = std::string(DayKindName(next.kind));
            row.hours = FormatIntervalList(next.hours);
            row.name = next.name;
            const core::Millis now = clock_.NowMs();
            calendar_store::UpdateDay(sql, ws, row, now);
            row.updated_at = now;
            events::WriteAudit(sql, actor, now,
                               {"calendar_day.update", "calendar_day", id, DayAudit(*before), DayAudit(row)});
            return *DayOf(row);
        });
    } catch (const std::exception& e) {
        if (db::IsUniqueViolation(e)) return Error::Of(ErrorCode::kConflict, "calendar.day_exists");
        throw;
    }
}

core::Result<void> CalendarService::DeleteDay(const core::Actor& actor, core::Id id) {
    if (!actor.is_admin) return AdminOnly();
    const core::Id ws = actor.workspace_id;
    EnsureBuiltinYears(ws);
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        auto before = calendar_store::SelectDay(sql, ws, id);
        if (!before) return Error::Of(ErrorCode::kNotFound);
        calendar_store::DeleteDay(sql, ws, id);
        events::WriteAudit(sql, actor, clock_.NowMs(),
                           {"calendar_day.delete", "calendar_day", id, DayAudit(*before), std::nullopt});
        return core::Ok();
    });
}

core::Result<WorkCalendar> CalendarService::CalendarOf(core::Id ws, core::Id user_id, core::Millis from) {
    EnsureBuiltinYears(ws);
    return db_.Read([&](soci::session& sql) { return CalendarOfIn(sql, ws, user_id, from); });
}

core::Result<WorkCalendar> CalendarService::CalendarOfIn(soci::session& sql, core::Id ws, core::Id user_id,
                                                         core::Millis from) {
    if (!calendar_store::UserExists(sql, ws, user_id)) return Error::Of(ErrorCode::kNotFound);
    std::vector<CalendarLayer> layers{WorkspaceLayer(sql, ws, calendar_store::SelectAllDays(sql, ws))};
    if (auto path = calendar_store::SelectEmployeeDepartmentPath(sql, ws, user_id))
        AddDepartmentLayers(sql, ws, *path, layers);
    if (auto row = calendar_store::SelectCalendar(sql, ws, "employee", user_id)) layers.push_back(LayerOf(*row));
    CalendarSpec spec = Compose(layers);
    // Absence days are local dates; two days of margin cover any time zone's offset from UTC.
    for (const auto& a : calendar_store::SelectAbsences(sql, ws, user_id, UtcDayBefore(from, 2))) {
        auto first = ParseDay(a.starts_on);
        auto last = ParseDay(a.ends_on);
        if (first && last && *first <= *last) spec.absences.push_back({*first, *last});
    }
    return WorkCalendar::Make(std::move(spec));
}

core::Result<WorkCalendar> CalendarService::WorkspaceCalendarIn(soci::session& sql, core::Id ws) {
    return WorkCalendar::Make(Compose({WorkspaceLayer(sql, ws, calendar_store::SelectAllDays(sql, ws))}));
}

core::Result<WorkingAnswer> CalendarService::IsWorkingAt(const core::Actor& actor, core::Id user_id, core::Millis at) {
    auto cal = CalendarOf(actor.workspace_id, user_id, at);
    if (!cal) return cal.take_error();
    WorkingAnswer out;
    out.time_zone = cal->spec().time_zone;
    out.working = IsWorking(*cal, at);
    if (!out.working) {
        if (auto next = NextWorkingMoment(*cal, at)) out.next_working_at = *next;
    }
    return out;
}

core::Result<core::Millis> CalendarService::AddWorkingMinutesFor(const core::Actor& actor, core::Id user_id,
                                                                 core::Millis from, std::int64_t minutes) {
    auto cal = CalendarOf(actor.workspace_id, user_id, from);
    if (!cal) return cal.take_error();
    return AddWorkingMinutes(*cal, from, minutes);
}

}  // namespace otdel::org
