#pragma once
/// Reads of the daily plan (ACT-2) beside the activities room's own: who is in the caller's team, the per-person counts
/// of a head's team in a few grouped queries, and a person's idle deals, running SLA clocks and instalments due. Every
/// query carries the visibility predicate (on the person for team counts, on the record for lists).
#include <soci/soci.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agenda/plan.hpp"
#include "auth/visibility.hpp"

namespace otdel::agenda::store {

struct Person {
    core::Id user_id = 0;
    std::string full_name;
};

/// Active employees whose records the caller may read (the caller, their subtree, everyone), by name.
std::vector<Person> VisiblePeople(soci::session& sql, const auth::Visibility& vis);
/// One of them, when visible.
std::optional<Person> VisiblePerson(soci::session& sql, const auth::Visibility& vis, core::Id user_id);

/// What the counts are about: the local day, the instant and the calendar day of the workspace.
struct CountWindow {
    core::Millis start = 0, end = 0, now = 0;
    std::string today;
};
/// Every visible person's counts for the day (people with nothing to count are absent from the map).
std::map<core::Id, PersonCounts> TeamCounts(soci::session& sql, const auth::Visibility& vis, const CountWindow& w,
                                            bool activities, bool deals, bool leads, bool invoices);

struct IdleDeal {
    core::Id id = 0;
    std::string title, stage_name, company_name, currency;
    long long amount_minor = 0;
    core::Millis last_activity_at = 0;
    int idle_days = 0;
};
/// The person's open deals idle in their stage (DEAL-10), longest idle first.
std::vector<IdleDeal> IdleDeals(soci::session& sql, const auth::Visibility& vis, core::Id user_id, core::Millis now,
                                int limit);

struct SlaClock {
    core::Id lead_id = 0;
    std::string title, contact_name, company_name;
    core::Millis deadline_at = 0;
};
/// The person's leads whose first-response clock runs, nearest deadline first.
std::vector<SlaClock> RunningSla(soci::session& sql, const auth::Visibility& vis, core::Id user_id, int limit);

struct InstalmentDue {
    core::Id invoice_id = 0, deal_id = 0;
    std::string number, deal_title, payer_name, due_date, currency;
    long long outstanding_minor = 0;
};
/// Issued invoices of the person's deals with money due by `today` and not paid in full, oldest due first.
std::vector<InstalmentDue> InstalmentsDue(soci::session& sql, const auth::Visibility& vis, core::Id user_id,
                                          const std::string& today, int limit);

}  // namespace otdel::agenda::store
