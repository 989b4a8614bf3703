#include "routing/routing_cache.hpp"

#include "db/prepared.hpp"
#include "org/calendar_service.hpp"
#include "routing/sla.hpp"

namespace otdel::routing {

namespace {

constexpr const char* kSelectToken = "SELECT token FROM routing_input_tokens WHERE workspace_id = :ws";

// Past these sizes a map of one token's inputs starts over (a long-running process sees new days every day).
constexpr std::size_t kMaxCalendars = 4096;
constexpr std::size_t kMaxDays = 64;

struct TokenQuery {
    long long ws = 0, token = 0;
    soci::statement st;
    explicit TokenQuery(soci::session& sql)
        : st((sql.prepare << kSelectToken, soci::into(token), soci::use(ws, "ws"))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

// The UTC day of an instant: CalendarOfIn reads the absences that end on or after two days before it, and nothing
// else it reads depends on the instant.
long long UtcDay(core::Millis at) {
    return (at >= 0 ? at : at - 86'399'999) / 86'400'000;
}

}  // namespace

long long InputToken(soci::session& sql, core::Id ws) {
    return db::WithPrepared<TokenQuery>(sql, [&](TokenQuery& q) {
        q.ws = ws;
        q.token = 0;
        return q.st.execute(true) ? q.token : 0LL;
    });
}

struct InputsCache::Entry {
    explicit Entry(long long t) : token(t) {}
    const long long token;
    std::mutex mu;
    std::shared_ptr<const std::vector<Rule>> rules;
    std::optional<std::string> time_zone;
    std::map<core::Id, std::shared_ptr<const std::vector<store::Person>>> pools;
    std::map<std::string, std::shared_ptr<const std::map<core::Id, std::string>>> absent;
    // Null values are cached too: "this person's calendar cannot be composed" is an answer.
    std::map<std::pair<core::Id, long long>, std::shared_ptr<const org::WorkCalendar>> calendars, sla;
    std::map<core::Id, std::optional<core::Id>> heads;
};

InputsCache::View InputsCache::Open(soci::session& sql, core::Id ws) {
    const long long token = InputToken(sql, ws);
    std::lock_guard lock(mu_);
    auto& entry = by_workspace_[ws];
    if (!entry || entry->token != token) {
        entry = std::make_shared<Entry>(token);
        ++reloads_;
    }
    return View(sql, ws, entry);
}

std::uint64_t InputsCache::reloads() const {
    std::lock_guard lock(mu_);
    return reloads_;
}

long long InputsCache::View::token() const {
    return entry_->token;
}

// Each getter looks under the entry's lock, reads the database without it (another thread may be reading the
// same thing; the first to store wins, and both read the same rows under the same token), then stores.

std::shared_ptr<const std::vector<Rule>> InputsCache::View::Rules() {
    {
        std::lock_guard lock(entry_->mu);
        if (entry_->rules) return entry_->rules;
    }
    auto rules = std::make_shared<const std::vector<Rule>>(store::ListRules(*sql_, ws_));
    std::lock_guard lock(entry_->mu);
    if (!entry_->rules) entry_->rules = std::move(rules);
    return entry_->rules;
}

std::shared_ptr<const std::vector<store::Person>> InputsCache::View::Pool(const Rule& rule) {
    {
        std::lock_guard lock(entry_->mu);
        if (auto it = entry_->pools.find(rule.id); it != entry_->pools.end()) return it->second;
    }
    auto people = std::make_shared<const std::vector<store::Person>>(store::PoolPeople(*sql_, ws_, rule));
    std::lock_guard lock(entry_->mu);
    return entry_->pools.emplace(rule.id, std::move(people)).first->second;
}

std::string InputsCache::View::Today(core::Millis now) {
    std::optional<std::string> tz;
    {
        std::lock_guard lock(entry_->mu);
        tz = entry_->time_zone;
    }
    if (!tz) {
        tz = store::WorkspaceTimeZone(*sql_, ws_);
        std::lock_guard lock(entry_->mu);
        entry_->time_zone = tz;
    }
    return org::LocalDateText(*tz, now);
}

std::shared_ptr<const std::map<core::Id, std::string>> InputsCache::View::AbsentOn(const std::string& day) {
    {
        std::lock_guard lock(entry_->mu);
        if (auto it = entry_->absent.find(day); it != entry_->absent.end()) return it->second;
    }
    auto absent = std::make_shared<const std::map<core::Id, std::string>>(store::AbsentOn(*sql_, ws_, day));
    std::lock_guard lock(entry_->mu);
    if (entry_->absent.size() >= kMaxDays) entry_->absent.clear();
    return entry_->absent.emplace(day, std::move(absent)).first->second;
}

std::shared_ptr<const org::WorkCalendar> InputsCache::View::CalendarOf(core::Id user, core::Millis from) {
    const std::pair<core::Id, long long> key{user, UtcDay(from)};
    {
        std::lock_guard lock(entry_->mu);
        if (auto it = entry_->calendars.find(key); it != entry_->calendars.end()) return it->second;
    }
    std::shared_ptr<const org::WorkCalendar> cal;
    if (auto made = org::CalendarService::CalendarOfIn(*sql_, ws_, user, from))
        cal = std::make_shared<const org::WorkCalendar>(std::move(*made));
    std::lock_guard lock(entry_->mu);
    if (entry_->calendars.size() >= kMaxCalendars) entry_->calendars.clear();
    return entry_->calendars.emplace(key, std::move(cal)).first->second;
}

std::shared_ptr<const org::WorkCalendar> InputsCache::View::SlaCalendarOf(core::Id user, core::Millis from) {
    const std::pair<core::Id, long long> key{user, UtcDay(from)};
    {
        std::lock_guard lock(entry_->mu);
        if (auto it = entry_->sla.find(key); it != entry_->sla.end()) return it->second;
    }
    std::shared_ptr<const org::WorkCalendar> sla;
    if (auto cal = CalendarOf(user, from))
        if (auto made = SlaCalendar(*cal)) sla = std::make_shared<const org::WorkCalendar>(std::move(*made));
    std::lock_guard lock(entry_->mu);
    if (entry_->sla.size() >= kMaxCalendars) entry_->sla.clear();
    return entry_->sla.emplace(key, std::move(sla)).first->second;
}

std::optional<core::Id> InputsCache::View::HeadOf(const Rule& rule,
                                                  const std::function<std::optional<core::Id>()>& compute) {
    {
        std::lock_guard lock(entry_->mu);
        if (auto it = entry_->heads.find(rule.id); it != entry_->heads.end()) return it->second;
    }
    const std::optional<core::Id> head = compute();
    std::lock_guard lock(entry_->mu);
    return entry_->heads.emplace(rule.id, head).first->second;
}

}  // namespace otdel::routing
