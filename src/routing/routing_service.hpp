#pragma once
/// RoutingService (LEAD-4 … LEAD-7): routes every new lead by the workspace's rules, runs its first-response SLA
/// clock as a durable job, reassigns on a breach and escalates to the head after too many, and books the two-tier
/// hand-off meeting. It plugs into the intake (LeadIntake::SetRoutingHook) and the lead's life
/// (LeadService::SetLifecycleHook); both call it inside their own transaction.
///
/// Timers are rows of the jobs table ("routing.sla" at the deadline, "routing.queue" to retry a queued lead): a
/// restart loses none, and a handler that finds the clock already moved on (answered, reassigned, cancelled)
/// does nothing, so no deadline fires twice.
#include <soci/soci.h>

#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "jobs/scheduler.hpp"
#include "leads/lead_service.hpp"
#include "org/calendar_service.hpp"
#include "routing/routing.hpp"
#include "routing/routing_cache.hpp"
#include "routing/routing_store.hpp"

namespace otdel::routing {

inline constexpr const char* kSlaJob = "routing.sla";
inline constexpr const char* kQueueJob = "routing.queue";
/// Once a day per workspace: tells each lead-desk pool's head about the coming week's coverage gaps.
inline constexpr const char* kCoverageJob = "routing.coverage";

/// A decision as JSON — the simulator's answer, the audit row and each assignment's stored explanation: rule,
/// strategy, who got it (or queued), everyone skipped and why, the rules that did not match, and the English text.
boost::json::object DecisionJson(const Decision& d, const std::map<core::Id, std::string>& names);

/// The simulator's answer: the decision with people's names.
struct Simulation {
    Decision decision;
    std::map<core::Id, std::string> names;
    std::optional<core::Millis> deadline_at;
    std::string explanation;
};

/// One person's free slots for the hand-off.
struct HostSlots {
    core::Id user_id = 0;
    std::string name;
    std::vector<Span> slots;
};

struct BookInput {
    core::Id host_user_id = 0;
    core::Millis starts_at = 0;
    int minutes = 60;
    std::string place, note;
};

struct CoverageReport {
    core::Id rule_id = 0;
    std::string rule_name;
    std::optional<core::Id> department_id;
    int lead_managers = 0;
    std::vector<CoverageGap> gaps;
};

class RoutingService {
public:
    RoutingService(db::Database& db, const core::Clock& clock, org::CalendarService& calendars)
        : db_(db), clock_(clock), calendars_(calendars) {}

    // ---- hooks (inside the caller's transaction) ----
    /// A new lead from intake: route it by the rules (no rule matched: it keeps the channel's default owner).
    void OnNewLead(soci::session& sql, core::Id ws, core::Id lead_id);
    void OnLeadEvent(soci::session& sql, const leads::Lead& lead, leads::LeadEvent event, const core::Actor& by,
                     core::Millis now);
    /// The first response to a lead (a logged call, a sent e-mail or message, a status the workspace counts):
    /// stops the clock and records the working time it took. Returns whether a running clock was stopped.
    bool RecordResponse(soci::session& sql, core::Id ws, core::Id lead_id, core::Millis at, const std::string& kind);

    /// Registers the job handlers.
    void AttachScheduler(jobs::Scheduler& scheduler);
    /// Called after each of the service's own transactions that wrote notifications commits (the outbox's Kick,
    /// so they reach the browser at once instead of at the dispatcher's next poll).
    void SetAfterCommit(std::function<void()> f) { after_commit_ = std::move(f); }
    /// The hand-off's deal (LEAD-6): called inside the booking's transaction with the lead, the host who takes the
    /// client over and the booking person; returns the deal created for the host (the deals room plugs in here).
    using HandoffDealHook = std::function<core::Id(soci::session& sql, core::Id ws, core::Id lead_id, core::Id host,
                                                   const core::Actor& by, core::Millis now)>;
    void SetHandoffDealHook(HandoffDealHook f) { handoff_deal_ = std::move(f); }
    /// /api/v1/routing/…, /api/v1/leads/{id}/routing, /api/v1/leads/{id}/handoff…
    void Register(http::Router& router);

    // ---- API ----
    core::Result<std::vector<Rule>> ListRules(const core::Actor& a);
    core::Result<Rule> GetRule(const core::Actor& a, core::Id id);
    core::Result<Rule> CreateRule(const core::Actor& a, Rule rule);
    core::Result<Rule> UpdateRule(const core::Actor& a, core::Id id, Rule rule);
    core::Result<void> DeleteRule(const core::Actor& a, core::Id id);
    core::Result<std::vector<Rule>> Reorder(const core::Actor& a, const std::vector<core::Id>& ids);
    core::Result<Simulation> Simulate(const core::Actor& a, const LeadFacts& facts);
    core::Result<std::vector<store::Clock>> Board(const core::Actor& a, int limit);
    core::Result<std::vector<CoverageReport>> Coverage(const core::Actor& a);
    core::Result<std::vector<HostSlots>> Slots(const core::Actor& a, core::Id lead_id, core::Millis from, int days,
                                               int minutes, std::optional<core::Id> department_id);
    core::Result<store::Meeting> Book(const core::Actor& a, core::Id lead_id, const BookInput& in);
    /// POST /leads/{id}/first-response: a contact the person logged; false when no clock was running.
    core::Result<bool> RecordFirstResponse(const core::Actor& a, core::Id lead_id, const std::string& kind);
    core::Result<std::vector<std::string>> ResponseStatuses(const core::Actor& a);
    core::Result<std::vector<std::string>> PutResponseStatuses(const core::Actor& a,
                                                               const std::vector<std::string>& statuses);
    core::Result<std::vector<store::PersonFacts>> Facts(const core::Actor& a, core::Millis from, core::Millis to);

    struct LeadView {
        std::optional<store::LeadRouting> routing;
        std::vector<store::Assignment> assignments;
        std::vector<store::Meeting> meetings;
        std::optional<std::int64_t> remaining_working_ms;
    };
    core::Result<LeadView> LeadRouting(const core::Actor& a, core::Id lead_id);

    /// The decision for a lead right now (the whole rule set, or one rule), with the pool read from the database.
    Decision DecideIn(soci::session& sql, core::Id ws, const LeadFacts& facts, core::Millis now,
                      const std::vector<core::Id>& exclude, std::optional<core::Id> only_rule,
                      std::map<core::Id, std::string>* names = nullptr);

    /// The cache of rules, pools, calendars and absences routing reads for every lead (routing_cache.hpp).
    const InputsCache& inputs() const { return inputs_; }

    /// Remaining working time of a clock in the assignee's SLA calendar (nullopt without a deadline).
    std::optional<std::int64_t> RemainingMs(soci::session& sql, core::Id ws, const store::LeadRouting& r,
                                            std::optional<core::Id> assignee, core::Millis now);

private:
    core::Result<void> HandleSla(const jobs::JobContext& ctx);
    core::Result<void> HandleQueue(const jobs::JobContext& ctx);
    core::Result<void> HandleCoverage(const jobs::JobContext& ctx);
    /// Arms the workspace's daily coverage check (idempotent: one pending job per workspace).
    void ScheduleCoverage(soci::session& sql, core::Id ws, core::Millis at, core::Millis now);
    std::vector<CoverageReport> CoverageIn(soci::session& sql, core::Id ws, core::Millis now);

    /// A decision with the rule it was made by (unset when no rule matched).
    struct Decided {
        Decision decision;
        std::optional<Rule> rule;
    };
    /// DecideIn over the cached inputs of the view's workspace.
    Decided DecideWith(InputsCache::View& view, const LeadFacts& facts, core::Millis now,
                       const std::vector<core::Id>& exclude, std::optional<core::Id> only_rule,
                       std::map<core::Id, std::string>* names);
    void RouteIn(soci::session& sql, core::Id ws, const store::LeadRow& lead, core::Millis now);
    /// `names`: the pool's people as the decision read them (for the stored explanation).
    core::Id AssignIn(InputsCache::View& view, const store::LeadRow& lead, const Rule& rule, const Decision& d,
                      const std::map<core::Id, std::string>& names, const std::string& reason,
                      store::LeadRouting routing, core::Millis now);
    void QueueIn(InputsCache::View& view, const store::LeadRow& lead, const Rule& rule, const Decision& d,
                 store::LeadRouting routing, core::Millis now);
    void EscalateIn(soci::session& sql, core::Id ws, const store::LeadRow& lead, const Rule& rule,
                    std::optional<core::Id> from_user, store::LeadRouting routing, core::Millis now);
    void CancelIn(soci::session& sql, core::Id ws, core::Id lead_id, const std::string& reason, core::Millis now);
    /// Who is told about a breach, a queue or an escalation: the rule's head, else the pool department's head (up
    /// the tree), never one of `not_these` (the people the lead moves between).
    std::optional<core::Id> HeadOf(soci::session& sql, core::Id ws, const Rule& rule,
                                   const std::vector<core::Id>& not_these = {});
    /// The same with nobody excluded, cached per rule.
    std::optional<core::Id> HeadOf(InputsCache::View& view, const Rule& rule);
    std::optional<core::Millis> DeadlineFor(InputsCache::View& view, core::Id user, core::Millis from, int minutes);
    core::Result<void> CheckRule(soci::session& sql, core::Id ws, const Rule& r);

    db::Database& db_;
    const core::Clock& clock_;
    org::CalendarService& calendars_;
    std::function<void()> after_commit_;
    HandoffDealHook handoff_deal_;
    InputsCache inputs_;

    template <class R>
    R Committed(R r) {
        if (r && after_commit_) after_commit_();
        return r;
    }
};

/// The role codes that host hand-off meetings (designer-managers, measurers) and work leads (lead managers).
inline const std::vector<std::string> kHostRoles = {"designer_manager"};
inline const std::vector<std::string> kLeadManagerRoles = {"lead_manager"};

}  // namespace otdel::routing
