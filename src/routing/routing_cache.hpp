#pragma once
/// A per-workspace, in-process cache of what routing reads for every lead and what changes rarely: the rule set
/// with its pools, the people of each pool, the workspace's time zone, who is absent on a day, each person's
/// composed work calendar and SLA calendar, and whom a rule's alerts go to. Without it routing one lead compiled
/// and ran some forty statements (a calendar alone is six reads, per candidate), three quarters of the intake
/// writer's time.
///
/// Correctness does not depend on finding every writer. Migration 0015 puts triggers on every table these inputs
/// come from (rules, members, users, employees, roles, departments, work calendars, calendar days, absences, the
/// workspace's time zone); they change the workspace's token in routing_input_tokens in the same transaction as the
/// change. Open() reads the token inside the caller's transaction (one prepared point read) and hands out the
/// inputs cached under that token, or a fresh, empty set when the token differs, which then fills from the same
/// session as it is asked. So a lead always sees exactly what the uncached reads would have given in its
/// transaction, whoever made the change: the API, the seed, an import, a test's own SQL, another process on the same
/// database. Tokens are random (SQLite) or from a sequence (PostgreSQL), never reused by a rolled-back change.
///
/// Values are immutable once stored; an Inputs set is never changed after its token is replaced, so what a caller
/// holds stays valid. Thread-safe: the intake writer, the job scheduler and API threads share one cache.
#include <soci/soci.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "org/work_calendar.hpp"
#include "routing/routing.hpp"
#include "routing/routing_store.hpp"

namespace otdel::routing {

/// The workspace's token as the session sees it (0 before the first change since migration 0015).
long long InputToken(soci::session& sql, core::Id ws);

class InputsCache {
public:
    struct Entry;

    /// One routing call's window on the cache: the workspace's inputs as of the token read by Open, read from
    /// `sql` when not cached yet. Cheap to copy; use it only inside the transaction it was opened in.
    class View {
    public:
        core::Id workspace_id() const { return ws_; }
        soci::session& session() const { return *sql_; }
        long long token() const;

        /// Live rules by position (ListRules).
        std::shared_ptr<const std::vector<Rule>> Rules();
        /// The pool of `rule` (PoolPeople), keyed by the rule's id.
        std::shared_ptr<const std::vector<store::Person>> Pool(const Rule& rule);
        /// The workspace's calendar day at `now` (WorkspaceToday).
        std::string Today(core::Millis now);
        /// Who is absent on `day` (YYYY-MM-DD) with the kind of absence, for everyone in the workspace; AbsencesOn
        /// is this narrowed to a pool.
        std::shared_ptr<const std::map<core::Id, std::string>> AbsentOn(const std::string& day);
        /// The person's composed calendar for instants from `from` on (CalendarService::CalendarOfIn); null when it
        /// cannot be composed. Keyed by the person and the UTC day of `from`, which is all the read depends on.
        std::shared_ptr<const org::WorkCalendar> CalendarOf(core::Id user, core::Millis from);
        /// SlaCalendar() of CalendarOf(user, from); null when either cannot be made.
        std::shared_ptr<const org::WorkCalendar> SlaCalendarOf(core::Id user, core::Millis from);
        /// Whom a rule's alerts go to when nobody is excluded: `compute` is asked once per token and rule.
        std::optional<core::Id> HeadOf(const Rule& rule, const std::function<std::optional<core::Id>()>& compute);

    private:
        friend class InputsCache;
        View(soci::session& sql, core::Id ws, std::shared_ptr<Entry> entry)
            : sql_(&sql), ws_(ws), entry_(std::move(entry)) {}
        soci::session* sql_;
        core::Id ws_;
        std::shared_ptr<Entry> entry_;
    };

    InputsCache() = default;
    InputsCache(const InputsCache&) = delete;
    InputsCache& operator=(const InputsCache&) = delete;

    /// Reads the workspace's token in `sql` and returns the view of the inputs cached under it.
    View Open(soci::session& sql, core::Id ws);

    /// How many times Open found a different token than the one cached (a change, or the first use): for tests.
    std::uint64_t reloads() const;

private:
    mutable std::mutex mu_;
    std::map<core::Id, std::shared_ptr<Entry>> by_workspace_;
    std::uint64_t reloads_ = 0;
};

}  // namespace otdel::routing
