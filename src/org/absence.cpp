#include "org/absence.hpp"

#include <date/date.h>

#include <set>
#include <sstream>

namespace otdel::org {
namespace {

std::optional<date::sys_days> Parse(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i == 4 || i == 7) continue;
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
    }
    const int y = std::stoi(s.substr(0, 4));
    const unsigned m = static_cast<unsigned>(std::stoi(s.substr(5, 2)));
    const unsigned d = static_cast<unsigned>(std::stoi(s.substr(8, 2)));
    date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok() || y < 1900) return std::nullopt;
    return date::sys_days{ymd};
}

std::string Format(date::sys_days d) {
    return date::format("%F", d);
}

const Absence* AbsenceOn(core::Id user, const std::string& day, const std::vector<Absence>& all) {
    for (const auto& a : all)
        if (a.user_id == user && a.Covers(day)) return &a;
    return nullptr;
}

core::Error Conflict(std::string key, std::string field) {
    return core::Error{
        core::ErrorCode::kConflict, std::move(key), {core::FieldError{std::move(field), "conflict", ""}}, 0};
}

}  // namespace

bool IsValidDate(const std::string& s) {
    return Parse(s).has_value();
}

std::string NextDay(const std::string& day) {
    return Format(*Parse(day) + date::days{1});
}

int DaysBetween(const std::string& a, const std::string& b) {
    return static_cast<int>((*Parse(b) - *Parse(a)).count());
}

bool SubstituteRequired(const std::string& kind) {
    return kind != "day_off";
}

std::optional<core::Error> CheckNewAbsence(const Absence& c, const std::vector<Absence>& others) {
    std::vector<core::FieldError> errs;
    if (c.kind != "vacation" && c.kind != "sick_leave" && c.kind != "business_trip" && c.kind != "day_off")
        errs.push_back({"kind", "not_one_of", "vacation, sick_leave, business_trip, day_off"});
    const bool start_ok = IsValidDate(c.starts_on), end_ok = IsValidDate(c.ends_on);
    if (!start_ok) errs.push_back({"starts_on", "invalid_date", ""});
    if (!end_ok) errs.push_back({"ends_on", "invalid_date", ""});
    if (start_ok && end_ok) {
        const int days = DaysBetween(c.starts_on, c.ends_on);
        if (days < 0) errs.push_back({"ends_on", "before_start", ""});
        if (days >= kMaxAbsenceDays) errs.push_back({"ends_on", "out_of_range", std::to_string(kMaxAbsenceDays)});
    }
    if (c.substitute_user_id && *c.substitute_user_id == c.user_id)
        errs.push_back({"substitute_user_id", "same_person", ""});
    if (!c.substitute_user_id && SubstituteRequired(c.kind)) errs.push_back({"substitute_user_id", "required", ""});
    if (c.note.size() > kMaxAbsenceNoteLength * 4) errs.push_back({"note", "too_long", "1000"});
    if (!errs.empty()) return core::Error{core::ErrorCode::kValidation, {}, std::move(errs), 0};

    for (const auto& o : others) {
        if (o.cancelled_at || o.id == c.id) continue;
        if (o.user_id == c.user_id && RangesOverlap(o.starts_on, o.ends_on, c.starts_on, c.ends_on))
            return Conflict("org.absence_overlap", "starts_on");
    }
    if (!c.substitute_user_id) return std::nullopt;
    // A loop: on some day of the new absence the substitute's own chain of substitutes leads back to the person.
    // (It implies the substitute is absent, but it is the clearer message, so it is checked first.)
    for (std::string day = c.starts_on; day <= c.ends_on; day = NextDay(day)) {
        std::set<core::Id> seen{c.user_id};
        core::Id cur = *c.substitute_user_id;
        while (const Absence* a = AbsenceOn(cur, day, others)) {
            if (!a->substitute_user_id) break;
            cur = *a->substitute_user_id;
            if (cur == c.user_id) return Conflict("org.substitute_loop", "substitute_user_id");
            if (!seen.insert(cur).second) break;
        }
    }
    for (const auto& o : others) {
        if (o.cancelled_at) continue;
        if (o.user_id == *c.substitute_user_id && RangesOverlap(o.starts_on, o.ends_on, c.starts_on, c.ends_on))
            return Conflict("org.substitute_absent", "substitute_user_id");
    }
    return std::nullopt;
}

std::optional<core::Id> EffectiveAssignee(core::Id user_id, const std::string& day, const std::vector<Absence>& all) {
    std::set<core::Id> seen;
    core::Id cur = user_id;
    while (seen.insert(cur).second) {
        const Absence* a = AbsenceOn(cur, day, all);
        if (!a) return cur;
        if (!a->substitute_user_id) return std::nullopt;
        cur = *a->substitute_user_id;
    }
    return std::nullopt;  // a loop: nobody in it is present
}

bool IsAbsent(core::Id user_id, const std::string& day, const std::vector<Absence>& all) {
    return AbsenceOn(user_id, day, all) != nullptr;
}

}  // namespace otdel::org
