// HTTP handlers of work calendars: parse with FieldReader, call CalendarService, answer JSON.
#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "http/json.hpp"
#include "http/problem.hpp"
#include "org/calendar_service.hpp"

namespace otdel::org {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

json::array IntervalsJson(const std::vector<Interval>& ivs) {
    json::array a;
    for (const auto& iv : ivs)
        a.push_back(json::object{{"start", FormatClock(iv.start)}, {"end", FormatClock(iv.end)}});
    return a;
}

json::object WeekJson(const WeekSchedule& week) {
    json::object o;
    for (int i = 0; i < 7; ++i) o[kWeekdayKeys[i]] = IntervalsJson(week[i]);
    return o;
}

json::object SettingsJson(const CalendarSettings& s) {
    json::object o{{"scope", CalendarScopeName(s.scope)},
                   {"scope_id", s.scope_id},
                   {"overridden", s.overridden},
                   {"time_zone", s.time_zone ? json::value(*s.time_zone) : json::value(nullptr)},
                   {"week", s.week ? json::value(WeekJson(*s.week)) : json::value(nullptr)},
                   {"holidays", s.holidays_inherit ? "workspace" : "none"},
                   {"updated_at", s.updated_at ? json::value(*s.updated_at) : json::value(nullptr)},
                   {"effective", json::object{{"time_zone", s.effective_time_zone},
                                              {"week", WeekJson(s.effective_week)},
                                              {"holidays", s.effective_holidays ? "workspace" : "none"}}}};
    return o;
}

json::object DayJson(const CalendarDay& d) {
    return json::object{
        {"id", d.id},     {"date", FormatDay(d.day)}, {"kind", DayKindName(d.kind)}, {"hours", IntervalsJson(d.hours)},
        {"name", d.name}, {"source", d.source},       {"updated_at", d.updated_at}};
}

// [{start: "HH:MM", end: "HH:MM"}, ...] at `field`; errors are reported at field/i/start etc.
std::optional<std::vector<Interval>> ReadIntervals(const json::value& v, const std::string& field,
                                                   http::FieldReader& f) {
    if (!v.is_array()) {
        f.AddError(field, "wrong_type", "array");
        return std::nullopt;
    }
    std::vector<Interval> out;
    bool ok = true;
    if (v.as_array().size() > 24) {
        f.AddError(field, "too_many", "24");
        return std::nullopt;
    }
    for (std::size_t i = 0; i < v.as_array().size(); ++i) {
        const auto& item = v.as_array()[i];
        const std::string at = field + "/" + std::to_string(i);
        if (!item.is_object()) {
            f.AddError(at, "wrong_type", "object");
            ok = false;
            continue;
        }
        std::optional<int> bounds[2];
        const char* names[2] = {"start", "end"};
        for (int k = 0; k < 2; ++k) {
            const auto* p = item.as_object().if_contains(names[k]);
            if (!p || p->is_null()) {
                f.AddError(at + "/" + names[k], "required");
            } else if (!p->is_string()) {
                f.AddError(at + "/" + names[k], "wrong_type", "string");
            } else if (!(bounds[k] = ParseClock(p->as_string()))) {
                f.AddError(at + "/" + names[k], "invalid_clock");
            }
        }
        for (const auto& [key, _] : item.as_object())
            if (key != "start" && key != "end") f.AddError(at + "/" + std::string(key), "unknown_field");
        if (!bounds[0] || !bounds[1]) {
            ok = false;
            continue;
        }
        if (*bounds[0] >= kMinutesPerDay) {
            f.AddError(at + "/start", "invalid_clock");
            ok = false;
            continue;
        }
        out.push_back(Interval{*bounds[0], *bounds[1]});
    }
    if (!ok) return std::nullopt;
    return out;
}

std::optional<WeekSchedule> ReadWeek(const json::object& o, http::FieldReader& f) {
    WeekSchedule week;
    bool ok = true;
    for (const auto& [key, value] : o) {
        auto it = std::find(kWeekdayKeys.begin(), kWeekdayKeys.end(), std::string_view(key));
        if (it == kWeekdayKeys.end()) {
            f.AddError("week/" + std::string(key), "unknown_field");
            ok = false;
            continue;
        }
        auto ivs = ReadIntervals(value, "week/" + std::string(key), f);
        if (!ivs) {
            ok = false;
            continue;
        }
        week[it - kWeekdayKeys.begin()] = std::move(*ivs);
    }
    if (!ok) return std::nullopt;
    return week;
}

// The settings body: {time_zone, week, holidays}. Null or missing time_zone/week means "inherit".
core::Result<CalendarSettingsInput> ReadSettings(const Request& req, bool workspace) {
    auto body = http::ParseJsonObject(req);
    if (!body) return body.take_error();
    http::FieldReader f(*body);
    CalendarSettingsInput in;
    in.time_zone = f.String("time_zone", {.required = workspace, .min_len = 1, .max_len = 64});
    if (in.time_zone && !IsKnownTimeZone(*in.time_zone)) f.AddError("time_zone", "invalid_time_zone", *in.time_zone);
    const json::object* week = f.Object("week", workspace);
    if (week) {
        in.week = ReadWeek(*week, f);
        if (in.week)
            for (const auto& e : ValidateWeek(*in.week, "week")) f.AddError(e.field, e.code, e.param);
    }
    auto holidays = f.Enum("holidays", false, {"workspace", "none"});
    if (workspace && holidays == "none") f.AddError("holidays", "not_one_of", "workspace");
    in.holidays_inherit = holidays.value_or("workspace") == "workspace";
    if (auto done = f.Finish(); !done) return done.take_error();
    return in;
}

core::Result<std::int64_t> QueryInt(const Request& req, const std::string& name, std::int64_t min, std::int64_t max,
                                    std::optional<std::int64_t> fallback) {
    auto raw = req.Query(name);
    if (!raw) {
        if (fallback) return *fallback;
        return core::Error::Field(name, "required");
    }
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), v);
    if (ec != std::errc() || ptr != raw->data() + raw->size() || raw->empty())
        return core::Error::Field(name, "wrong_type", "integer");
    if (v < min || v > max)
        return core::Error::Field(name, "out_of_range", std::to_string(min) + ".." + std::to_string(max));
    return v;
}

// Instants accepted by the query endpoints: 1970 … 2200, in UTC milliseconds.
constexpr std::int64_t kMaxInstant = 7'258'118'400'000;
// Up to a year of round-the-clock minutes.
constexpr std::int64_t kMaxQueryMinutes = 527'040;

}  // namespace

void CalendarService::Register(http::Router& router) {
    router.Get("/api/v1/calendars/workspace", Access::kUser, [this](Request& req) {
        auto s = GetSettings(req.actor, CalendarScope::kWorkspace, 0);
        if (!s) return http::Problem(req, s.error());
        return http::Json(SettingsJson(*s));
    });
    router.Put("/api/v1/calendars/workspace", Access::kAdmin, [this](Request& req) {
        auto in = ReadSettings(req, true);
        if (!in) return http::Problem(req, in.error());
        auto s = PutSettings(req.actor, CalendarScope::kWorkspace, 0, *in);
        if (!s) return http::Problem(req, s.error());
        return http::Json(SettingsJson(*s));
    });

    for (auto [path, scope] : {std::pair{"/api/v1/calendars/departments/{id}", CalendarScope::kDepartment},
                               std::pair{"/api/v1/calendars/employees/{id}", CalendarScope::kEmployee}}) {
        router.Get(path, Access::kUser, [this, scope = scope](Request& req) {
            auto id = http::PathId(req);
            if (!id) return http::Problem(req, id.error());
            auto s = GetSettings(req.actor, scope, *id);
            if (!s) return http::Problem(req, s.error());
            return http::Json(SettingsJson(*s));
        });
        router.Put(path, Access::kAdmin, [this, scope = scope](Request& req) {
            auto id = http::PathId(req);
            if (!id) return http::Problem(req, id.error());
            auto in = ReadSettings(req, false);
            if (!in) return http::Problem(req, in.error());
            auto s = PutSettings(req.actor, scope, *id, *in);
            if (!s) return http::Problem(req, s.error());
            return http::Json(SettingsJson(*s));
        });
        router.Delete(path, Access::kAdmin, [this, scope = scope](Request& req) {
            auto id = http::PathId(req);
            if (!id) return http::Problem(req, id.error());
            if (auto done = DeleteOverride(req.actor, scope, *id); !done) return http::Problem(req, done.error());
            return Response::NoContent();
        });
    }

    router.Get("/api/v1/calendars/days", Access::kUser, [this](Request& req) {
        auto year = QueryInt(req, "year", 2000, 2100, std::nullopt);
        if (!year) return http::Problem(req, year.error());
        auto info = ListDays(req.actor, static_cast<int>(*year));
        if (!info) return http::Problem(req, info.error());
        json::array items;
        for (const auto& d : info->days) items.push_back(DayJson(d));
        json::value source = info->builtin ? json::value(info->source) : json::value(nullptr);
        return http::Json(json::object{{"year", info->year},
                                       {"builtin", info->builtin},
                                       {"official", info->official},
                                       {"source", std::move(source)},
                                       {"items", std::move(items)}});
    });

    router.Post("/api/v1/calendars/days", Access::kAdmin, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        // "hours" is an array, which FieldReader does not read: it is taken out and read here.
        json::object rest = *body;
        rest.erase("hours");
        http::FieldReader f(rest);
        NewCalendarDay day;
        auto date = f.String("date", {.required = true, .max_len = 10});
        if (date) {
            if (auto d = ParseDay(*date)) {
                day.day = *d;
            } else {
                f.AddError("date", "invalid_date");
            }
        }
        auto kind = f.Enum("kind", true, {"holiday", "working", "short"});
        if (kind) day.kind = *ParseDayKind(*kind);
        day.name = f.String("name", {.max_len = kMaxDayNameLength}).value_or("");
        if (body->contains("hours") && !body->at("hours").is_null()) {
            if (auto ivs = ReadIntervals(body->at("hours"), "hours", f)) {
                for (const auto& e : ValidateIntervals(*ivs, "hours")) f.AddError(e.field, e.code, e.param);
                day.hours = std::move(*ivs);
            }
        }
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto created = AddDay(req.actor, day);
        if (!created) return http::Problem(req, created.error());
        return http::Json(201, DayJson(*created));
    });

    router.Patch("/api/v1/calendars/days/{id}", Access::kAdmin, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        json::object rest = *body;
        rest.erase("hours");
        http::FieldReader f(rest);
        CalendarDayPatch patch;
        if (auto date = f.String("date", {.min_len = 1, .max_len = 10})) {
            if (auto d = ParseDay(*date)) {
                patch.day = *d;
            } else {
                f.AddError("date", "invalid_date");
            }
        }
        if (auto kind = f.Enum("kind", false, {"holiday", "working", "short"})) patch.kind = ParseDayKind(*kind);
        patch.name = f.String("name", {.max_len = kMaxDayNameLength});
        if (body->contains("hours")) {
            const auto& v = body->at("hours");
            if (v.is_null()) {
                patch.hours = std::vector<Interval>{};
            } else if (auto ivs = ReadIntervals(v, "hours", f)) {
                for (const auto& e : ValidateIntervals(*ivs, "hours")) f.AddError(e.field, e.code, e.param);
                patch.hours = std::move(*ivs);
            }
        }
        if (!f.Has("date") && !f.Has("kind") && !f.Has("name") && !body->contains("hours"))
            f.AddError("kind", "required");
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto changed = ChangeDay(req.actor, *id, patch);
        if (!changed) return http::Problem(req, changed.error());
        return http::Json(DayJson(*changed));
    });

    router.Delete("/api/v1/calendars/days/{id}", Access::kAdmin, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        if (auto done = DeleteDay(req.actor, *id); !done) return http::Problem(req, done.error());
        return Response::NoContent();
    });

    router.Get("/api/v1/calendars/employees/{id}/working", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto at = QueryInt(req, "at", 0, kMaxInstant, clock_.NowMs());
        if (!at) return http::Problem(req, at.error());
        auto answer = IsWorkingAt(req.actor, *id, *at);
        if (!answer) return http::Problem(req, answer.error());
        return http::Json(json::object{
            {"user_id", *id},
            {"at", *at},
            {"working", answer->working},
            {"next_working_at", answer->next_working_at ? json::value(*answer->next_working_at) : json::value(nullptr)},
            {"time_zone", answer->time_zone}});
    });

    router.Get("/api/v1/calendars/employees/{id}/deadline", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto from = QueryInt(req, "from", 0, kMaxInstant, clock_.NowMs());
        if (!from) return http::Problem(req, from.error());
        auto minutes = QueryInt(req, "minutes", 0, kMaxQueryMinutes, std::nullopt);
        if (!minutes) return http::Problem(req, minutes.error());
        auto deadline = AddWorkingMinutesFor(req.actor, *id, *from, *minutes);
        if (!deadline) return http::Problem(req, deadline.error());
        return http::Json(
            json::object{{"user_id", *id}, {"from", *from}, {"minutes", *minutes}, {"deadline", *deadline}});
    });
}

}  // namespace otdel::org
