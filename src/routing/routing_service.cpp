#include "routing/routing_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "auth/visibility.hpp"
#include "events/audit.hpp"
#include "events/notifications.hpp"
#include "jobs/job_store.hpp"
#include "leads/lead.hpp"
#include "org/work_calendar.hpp"

namespace otdel::routing {
namespace json = boost::json;
using auth::Action;
using core::Error;
using core::ErrorCode;

namespace {

using core::kMinute;
constexpr core::Millis kQueueRetryFallback = 60 * kMinute;

std::string SlaKey(core::Id assignment_id) {
    return "sla:" + std::to_string(assignment_id);
}
std::string QueueKey(core::Id lead_id) {
    return "queue:" + std::to_string(lead_id);
}
std::string LeadLink(core::Id lead_id) {
    return "/leads?lead=" + std::to_string(lead_id);
}

core::Result<void> MayManage(const auth::Visibility& vis) {
    if (vis.caller().unrestricted) return core::Ok();
    if (vis.scope() == auth::Scope::kAll && vis.Can(Action::kAssign, "lead")) return core::Ok();
    return Error::Of(ErrorCode::kForbidden);
}

core::Result<void> MayView(const auth::Visibility& vis) {
    if (vis.caller().unrestricted || vis.Can(Action::kAssign, "lead")) return core::Ok();
    return Error::Of(ErrorCode::kForbidden);
}

core::Result<void> SignedIn(const core::Actor& a) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    return core::Ok();
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Decisions

json::object DecisionJson(const Decision& d, const std::map<core::Id, std::string>& names) {
    auto name_of = [&](core::Id id, const std::string& known) -> json::value {
        if (!known.empty()) return json::value(known);
        auto it = names.find(id);
        return it != names.end() ? json::value(it->second) : json::value(nullptr);
    };
    json::array skipped;
    for (const auto& s : d.skipped) {
        const json::value name = name_of(s.user_id, s.name);
        skipped.push_back(json::object{{"user_id", s.user_id},
                                       {"name", name.is_string() ? name : json::value("")},
                                       {"reason", s.reason},
                                       {"param", s.param}});
    }
    json::array unmatched;
    for (int p : d.unmatched_positions) unmatched.emplace_back(p);
    return json::object{{"rule_id", d.rule_id ? json::value(*d.rule_id) : nullptr},
                        {"rule_position", d.rule_position},
                        {"rule_name", d.rule_name},
                        {"strategy", d.rule_id ? json::value(StrategyName(d.strategy)) : json::value(nullptr)},
                        {"user_id", d.user_id ? json::value(*d.user_id) : nullptr},
                        {"user_name", d.user_id ? name_of(*d.user_id, "") : json::value(nullptr)},
                        {"queued", d.rule_id && !d.user_id},
                        {"skipped", std::move(skipped)},
                        {"unmatched_positions", std::move(unmatched)},
                        {"text", Explain(d, names)}};
}

Decision RoutingService::DecideIn(soci::session& sql, core::Id ws, const LeadFacts& facts, core::Millis now,
                                  const std::vector<core::Id>& exclude, std::optional<core::Id> only_rule,
                                  std::map<core::Id, std::string>* names) {
    auto view = inputs_.Open(sql, ws);
    return DecideWith(view, facts, now, exclude, only_rule, names).decision;
}

RoutingService::Decided RoutingService::DecideWith(InputsCache::View& view, const LeadFacts& facts, core::Millis now,
                                                   const std::vector<core::Id>& exclude,
                                                   std::optional<core::Id> only_rule,
                                                   std::map<core::Id, std::string>* names) {
    soci::session& sql = view.session();
    const core::Id ws = view.workspace_id();
    Decided out;
    Decision& d = out.decision;
    const Rule* rule = nullptr;
    std::shared_ptr<const std::vector<Rule>> rules;
    std::optional<Rule> one;
    if (only_rule) {
        // A running clock follows its rule even when deleted since: read by id, deleted ones included.
        one = store::GetRule(sql, ws, *only_rule, true);
        if (one) rule = &*one;
    } else {
        rules = view.Rules();
        rule = FirstMatch(*rules, facts, &d.unmatched_positions);
    }
    if (!rule) return out;
    out.rule = *rule;
    d.rule_id = rule->id;
    d.rule_position = rule->position;
    d.rule_name = rule->name;
    d.strategy = rule->strategy;

    const auto people = view.Pool(*rule);
    const auto absent = view.AbsentOn(view.Today(now));
    // Open leads matter to the least-loaded strategy and to a cap only; the count is read for them alone.
    std::map<core::Id, int> open;
    if (rule->strategy == Strategy::kLeastLoaded || rule->max_open_per_person) {
        std::vector<core::Id> ids;
        for (const auto& p : *people) ids.push_back(p.user_id);
        open = store::OpenLeads(sql, ws, ids);
    }
    const auto counters =
        rule->strategy == Strategy::kWeighted ? store::Counters(sql, ws, rule->id) : std::map<core::Id, std::int64_t>{};
    std::map<core::Id, int> weights;
    for (const auto& m : rule->members) weights[m.user_id] = m.weight;

    std::vector<Candidate> candidates;
    candidates.reserve(people->size());
    for (const auto& p : *people) {
        Candidate c;
        c.user_id = p.user_id;
        c.name = p.name;
        c.employed = p.employed;
        if (auto it = absent->find(p.user_id); it != absent->end()) c.absence_kind = it->second;
        if (auto it = open.find(p.user_id); it != open.end()) c.open_leads = it->second;
        c.weight = weights.contains(p.user_id) ? weights[p.user_id] : 1;
        c.assigned_by_rule = counters.contains(p.user_id) ? counters.at(p.user_id) : 0;
        if (names) (*names)[p.user_id] = p.name;
        candidates.push_back(std::move(c));
    }
    // Calendars are read only for the people the strategy would pick, best first, until one is at work.
    const WorkingNow at_work = [&](const Candidate& c) {
        auto cal = view.CalendarOf(c.user_id, now);
        return cal && org::IsWorking(*cal, now);
    };
    Pick pick = Choose(*rule, candidates, store::LastUser(sql, ws, rule->id), exclude, at_work);
    d.user_id = pick.user_id;
    d.skipped = std::move(pick.skipped);
    return out;
}

namespace {

// The person's SLA calendar (their hours and holidays, absences left out), when it can be composed.
std::optional<org::WorkCalendar> SlaCalendarOf(soci::session& sql, core::Id ws, core::Id user, core::Millis from) {
    auto cal = org::CalendarService::CalendarOfIn(sql, ws, user, from);
    if (!cal) return std::nullopt;
    auto sla = SlaCalendar(*cal);
    if (!sla) return std::nullopt;
    return *sla;
}

// Working time left on a running clock in `sla` (wall-clock time without one).
std::optional<std::int64_t> Remaining(const store::LeadRouting& r, const org::WorkCalendar* sla, core::Millis now) {
    if (!r.deadline_at || r.state != "running") return std::nullopt;
    if (sla) return RemainingWorkingMs(*sla, now, *r.deadline_at);
    return *r.deadline_at - now;
}

}  // namespace

std::optional<core::Millis> RoutingService::DeadlineFor(InputsCache::View& view, core::Id user, core::Millis from,
                                                        int minutes) {
    if (auto sla = view.SlaCalendarOf(user, from)) {
        if (auto d = Deadline(*sla, from, minutes)) return *d;
    }
    // A calendar without working time: count wall-clock minutes rather than never breach.
    return from + minutes * kMinute;
}

std::optional<std::int64_t> RoutingService::RemainingMs(soci::session& sql, core::Id ws, const store::LeadRouting& r,
                                                        std::optional<core::Id> assignee, core::Millis now) {
    if (!r.deadline_at || r.state != "running") return std::nullopt;
    const auto sla = assignee ? SlaCalendarOf(sql, ws, *assignee, now) : std::nullopt;
    return Remaining(r, sla ? &*sla : nullptr, now);
}

std::optional<core::Id> RoutingService::HeadOf(InputsCache::View& view, const Rule& rule) {
    return view.HeadOf(rule, [&] { return HeadOf(view.session(), view.workspace_id(), rule); });
}

std::optional<core::Id> RoutingService::HeadOf(soci::session& sql, core::Id ws, const Rule& rule,
                                               const std::vector<core::Id>& not_these) {
    auto excluded = [&](core::Id id) { return std::find(not_these.begin(), not_these.end(), id) != not_these.end(); };
    if (rule.head_user_id && !excluded(*rule.head_user_id)) return rule.head_user_id;
    if (rule.department_id)
        if (auto h = store::DepartmentHead(sql, ws, *rule.department_id, not_these)) return h;
    for (const auto& m : rule.members) {
        auto p = store::PersonOf(sql, ws, m.user_id);
        if (p && p->department_id)
            if (auto h = store::DepartmentHead(sql, ws, *p->department_id, not_these)) return h;
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------------------------
// The flow

void RoutingService::OnNewLead(soci::session& sql, core::Id ws, core::Id lead_id) {
    auto lead = store::GetLead(sql, ws, lead_id);
    if (!lead) return;
    RouteIn(sql, ws, *lead, clock_.NowMs());
}

void RoutingService::RouteIn(soci::session& sql, core::Id ws, const store::LeadRow& lead, core::Millis now) {
    auto view = inputs_.Open(sql, ws);
    std::map<core::Id, std::string> names;
    Decided decided = DecideWith(view, lead.facts, now, {}, std::nullopt, &names);
    const Decision& d = decided.decision;
    if (!d.rule_id) return;  // no rule: the channel's default owner (or nobody) stays
    // The matched rule as the decision read it (the same row store::GetRule would read in this transaction).
    const Rule& rule = *decided.rule;
    store::LeadRouting routing;
    if (auto prev = store::GetLeadRouting(sql, ws, lead.id)) routing = *prev;
    routing.lead_id = lead.id;
    if (d.user_id) {
        AssignIn(view, lead, rule, d, names, "routed", routing, now);
    } else {
        QueueIn(view, lead, rule, d, routing, now);
    }
    events::WriteAudit(sql, core::Actor::System(ws), now,
                       {"lead.route", "lead", lead.id, std::nullopt, DecisionJson(d, names)});
}

core::Id RoutingService::AssignIn(InputsCache::View& view, const store::LeadRow& lead, const Rule& rule,
                                  const Decision& d, const std::map<core::Id, std::string>& names,
                                  const std::string& reason, store::LeadRouting routing, core::Millis now) {
    soci::session& sql = view.session();
    const core::Id ws = view.workspace_id();
    const core::Id user = *d.user_id;
    const auto deadline = DeadlineFor(view, user, now, rule.sla_minutes);
    store::Assignment a;
    a.lead_id = lead.id;
    a.user_id = user;
    a.rule_id = rule.id;
    a.reason = reason;
    a.explanation = json::serialize(DecisionJson(d, names));
    a.assigned_at = now;
    a.deadline_at = deadline;
    a.id = store::InsertAssignment(sql, ws, a);
    store::SetLeadOwner(sql, ws, lead.id, user, now);
    store::BumpCounter(sql, ws, rule.id, user);
    store::SetLastUser(sql, ws, rule.id, user);

    routing.lead_id = lead.id;
    routing.rule_id = rule.id;
    routing.state = "running";
    routing.assignment_id = a.id;
    routing.deadline_at = deadline;
    routing.sla_minutes = rule.sla_minutes;
    if (!routing.first_assigned_at) routing.first_assigned_at = now;
    routing.updated_at = now;
    store::PutLeadRouting(sql, ws, routing);

    jobs::JobSpec spec;
    spec.workspace_id = ws;
    spec.kind = kSlaJob;
    spec.payload = json::object{{"lead_id", lead.id}, {"assignment_id", a.id}};
    spec.run_at = deadline.value_or(now);
    spec.dedupe_key = SlaKey(a.id);
    jobs::JobStore::Schedule(sql, spec, now);

    events::Notify(sql, ws, user, reason == "reassigned" ? "routing.reassigned_to_you" : "routing.assigned",
                   json::object{{"lead_id", lead.id},
                                {"title", lead.title},
                                {"deadline_at", deadline ? json::value(*deadline) : nullptr},
                                {"sla_minutes", rule.sla_minutes},
                                {"rule", rule.name}},
                   LeadLink(lead.id), now);
    return a.id;
}

void RoutingService::QueueIn(InputsCache::View& view, const store::LeadRow& lead, const Rule& rule, const Decision& d,
                             store::LeadRouting routing, core::Millis now) {
    soci::session& sql = view.session();
    const core::Id ws = view.workspace_id();
    store::Assignment a;
    a.lead_id = lead.id;
    a.rule_id = rule.id;
    a.reason = "queued";
    a.explanation = json::serialize(DecisionJson(d, {}));
    a.assigned_at = now;
    a.id = store::InsertAssignment(sql, ws, a);
    routing.lead_id = lead.id;
    routing.rule_id = rule.id;
    routing.state = "queued";
    routing.assignment_id = a.id;
    routing.deadline_at.reset();
    routing.sla_minutes = rule.sla_minutes;
    routing.updated_at = now;
    store::PutLeadRouting(sql, ws, routing);

    // Try again when the first person of the pool starts work (or in an hour when nobody ever does).
    core::Millis retry = now + kQueueRetryFallback;
    for (const auto& p : *view.Pool(rule)) {
        if (!p.employed) continue;
        auto cal = view.CalendarOf(p.user_id, now + kMinute);
        if (!cal) continue;
        if (auto next = org::NextWorkingMoment(*cal, now + kMinute)) retry = std::min(retry, *next);
    }
    jobs::JobSpec spec;
    spec.workspace_id = ws;
    spec.kind = kQueueJob;
    spec.payload = json::object{{"lead_id", lead.id}, {"assignment_id", a.id}};
    spec.run_at = std::max(retry, now + kMinute);
    spec.dedupe_key = QueueKey(lead.id);
    jobs::JobStore::CancelPending(sql, ws, kQueueJob, QueueKey(lead.id), now);
    jobs::JobStore::Schedule(sql, spec, now);

    if (auto head = HeadOf(view, rule))
        events::Notify(sql, ws, *head, "routing.queued",
                       json::object{{"lead_id", lead.id}, {"title", lead.title}, {"rule", rule.name}},
                       LeadLink(lead.id), now);
}

void RoutingService::EscalateIn(soci::session& sql, core::Id ws, const store::LeadRow& lead, const Rule& rule,
                                std::optional<core::Id> from_user, store::LeadRouting routing, core::Millis now) {
    std::vector<core::Id> involved;
    if (from_user) involved.push_back(*from_user);
    const auto head = HeadOf(sql, ws, rule, involved);
    store::Assignment a;
    a.lead_id = lead.id;
    a.user_id = head ? head : from_user;
    a.rule_id = rule.id;
    a.reason = "escalated";
    a.explanation = json::serialize(json::object{{"breaches", routing.breaches},
                                                 {"reassignments", routing.reassignments},
                                                 {"from_user_id", from_user ? json::value(*from_user) : nullptr}});
    a.assigned_at = now;
    a.id = store::InsertAssignment(sql, ws, a);
    if (head) store::SetLeadOwner(sql, ws, lead.id, *head, now);
    routing.state = "escalated";
    routing.assignment_id = a.id;
    routing.deadline_at.reset();
    routing.updated_at = now;
    store::PutLeadRouting(sql, ws, routing);
    const json::object params{{"lead_id", lead.id}, {"title", lead.title}, {"breaches", routing.breaches}};
    if (head) events::Notify(sql, ws, *head, "routing.escalated", params, LeadLink(lead.id), now);
    if (from_user && from_user != head)
        events::Notify(sql, ws, *from_user, "routing.taken_away", params, LeadLink(lead.id), now);
    events::WriteAudit(
        sql, core::Actor::System(ws), now,
        {"lead.sla_escalate", "lead", lead.id,
         json::object{{"owner_user_id", from_user ? json::value(*from_user) : nullptr}},
         json::object{{"owner_user_id", head ? json::value(*head) : nullptr}, {"breaches", routing.breaches}}});
}

void RoutingService::CancelIn(soci::session& sql, core::Id ws, core::Id lead_id, const std::string& reason,
                              core::Millis now) {
    auto r = store::GetLeadRouting(sql, ws, lead_id);
    if (!r || (r->state != "running" && r->state != "queued")) return;
    if (r->assignment_id) {
        if (auto a = store::GetAssignment(sql, ws, *r->assignment_id)) {
            a->ended_at = now;
            a->end_reason = reason;
            store::UpdateAssignment(sql, ws, *a);
        }
        jobs::JobStore::CancelPending(sql, ws, kSlaJob, SlaKey(*r->assignment_id), now);
    }
    jobs::JobStore::CancelPending(sql, ws, kQueueJob, QueueKey(lead_id), now);
    r->state = "cancelled";
    r->updated_at = now;
    store::PutLeadRouting(sql, ws, *r);
}

bool RoutingService::RecordResponse(soci::session& sql, core::Id ws, core::Id lead_id, core::Millis at,
                                    const std::string& kind) {
    auto r = store::GetLeadRouting(sql, ws, lead_id);
    if (!r || r->state != "running" || !r->assignment_id) return false;
    auto a = store::GetAssignment(sql, ws, *r->assignment_id);
    if (!a) return false;
    a->responded_at = at;
    if (a->user_id) {
        if (auto sla = SlaCalendarOf(sql, ws, *a->user_id, a->assigned_at))
            a->response_working_ms = org::WorkingMillisBetween(*sla, a->assigned_at, at);
    }
    if (!a->response_working_ms) a->response_working_ms = std::max<core::Millis>(0, at - a->assigned_at);
    a->ended_at = at;
    a->end_reason = "responded";
    store::UpdateAssignment(sql, ws, *a);
    jobs::JobStore::CancelPending(sql, ws, kSlaJob, SlaKey(a->id), at);
    r->state = "responded";
    r->first_response_at = at;
    r->first_response_kind = kind;
    r->updated_at = at;
    store::PutLeadRouting(sql, ws, *r);
    events::WriteAudit(sql, core::Actor::System(ws), at,
                       {"lead.first_response", "lead", lead_id, std::nullopt,
                        json::object{{"kind", kind},
                                     {"user_id", a->user_id ? json::value(*a->user_id) : nullptr},
                                     {"working_ms", *a->response_working_ms},
                                     {"within_sla", !a->deadline_at || at <= *a->deadline_at}}});
    return true;
}

void RoutingService::OnLeadEvent(soci::session& sql, const leads::Lead& lead, leads::LeadEvent event,
                                 const core::Actor& by, core::Millis now) {
    const core::Id ws = lead.workspace_id;
    switch (event) {
        case leads::LeadEvent::kStatusChanged: {
            const auto statuses = store::ResponseStatuses(sql, ws);
            if (std::find(statuses.begin(), statuses.end(), lead.status) != statuses.end()) {
                RecordResponse(sql, ws, lead.id, now, "status:" + lead.status);
            } else if (!leads::IsOpenStatus(lead.status)) {
                CancelIn(sql, ws, lead.id, "closed", now);
            }
            break;
        }
        case leads::LeadEvent::kConverted: CancelIn(sql, ws, lead.id, "closed", now); break;
        case leads::LeadEvent::kDeleted:
        case leads::LeadEvent::kMerged: CancelIn(sql, ws, lead.id, "closed", now); break;
        case leads::LeadEvent::kOwnerChanged:
        case leads::LeadEvent::kHandedOver: {
            CancelIn(sql, ws, lead.id, "moved", now);
            if (!lead.owner_user_id) {
                // Back to the pool: the rules route it again.
                if (auto row = store::GetLead(sql, ws, lead.id)) RouteIn(sql, ws, *row, now);
                break;
            }
            if (auto r = store::GetLeadRouting(sql, ws, lead.id)) {
                store::Assignment a;
                a.lead_id = lead.id;
                a.user_id = lead.owner_user_id;
                a.rule_id = r->rule_id;
                a.reason = "manual";
                a.explanation = json::serialize(json::object{{"by_user_id", by.user_id}});
                a.assigned_at = now;
                r->assignment_id = store::InsertAssignment(sql, ws, a);
                r->updated_at = now;
                store::PutLeadRouting(sql, ws, *r);
            }
            break;
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Timers

namespace {

// (lead, assignment) of a routing timer; nullopt for a malformed payload (nothing to do, nothing to retry).
std::optional<std::pair<core::Id, core::Id>> TimerOf(const json::object& p) {
    const json::value* lead = p.if_contains("lead_id");
    const json::value* asg = p.if_contains("assignment_id");
    if (!lead || !asg || !lead->is_int64() || !asg->is_int64()) return std::nullopt;
    return std::pair{lead->as_int64(), asg->as_int64()};
}

}  // namespace

core::Result<void> RoutingService::HandleSla(const jobs::JobContext& ctx) {
    const core::Id ws = ctx.job.workspace_id;
    const auto timer = TimerOf(ctx.job.payload);
    if (!timer) return core::Ok();
    const auto [lead_id, asg_id] = *timer;
    calendars_.EnsureBuiltinYears(ws);
    return Committed(db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const core::Millis now = clock_.NowMs();
        auto r = store::GetLeadRouting(sql, ws, lead_id);
        // Answered, moved, reassigned or escalated since: this deadline no longer exists.
        if (!r || r->state != "running" || r->assignment_id != asg_id) return core::Ok();
        auto lead = store::GetLead(sql, ws, lead_id);
        if (!lead || lead->deleted || !leads::IsOpenStatus(lead->status)) {
            CancelIn(sql, ws, lead_id, "closed", now);
            return core::Ok();
        }
        auto a = store::GetAssignment(sql, ws, asg_id);
        if (!a) return core::Ok();
        a->breached_at = now;
        a->ended_at = now;
        a->end_reason = "breached";
        store::UpdateAssignment(sql, ws, *a);
        r->breaches += 1;
        auto rule = r->rule_id ? store::GetRule(sql, ws, *r->rule_id, true) : std::nullopt;
        if (!rule) {
            r->state = "escalated";
            r->updated_at = now;
            store::PutLeadRouting(sql, ws, *r);
            return core::Ok();
        }
        const std::optional<core::Id> from = a->user_id;
        const json::object breach{{"lead_id", lead_id},
                                  {"title", lead->title},
                                  {"from_user_id", from ? json::value(*from) : nullptr},
                                  {"breaches", r->breaches}};
        if (OnBreach(r->reassignments, rule->escalate_after) == BreachAction::kReassign) {
            std::vector<core::Id> exclude;
            if (from) exclude.push_back(*from);
            std::map<core::Id, std::string> names;
            auto view = inputs_.Open(sql, ws);
            Decision d = DecideWith(view, lead->facts, now, exclude, rule->id, &names).decision;
            if (d.user_id) {
                r->reassignments += 1;
                AssignIn(view, *lead, *rule, d, names, "reassigned", *r, now);
                json::object params = breach;
                params["to_user_id"] = *d.user_id;
                params["to_name"] = names[*d.user_id];
                if (from) events::Notify(sql, ws, *from, "routing.taken_away", params, LeadLink(lead_id), now);
                std::vector<core::Id> involved{*d.user_id};
                if (from) involved.push_back(*from);
                if (auto head = HeadOf(sql, ws, *rule, involved))
                    events::Notify(sql, ws, *head, "routing.breach", params, LeadLink(lead_id), now);
                events::WriteAudit(
                    sql, core::Actor::System(ws), now,
                    {"lead.sla_breach", "lead", lead_id,
                     json::object{{"owner_user_id", from ? json::value(*from) : nullptr}}, DecisionJson(d, names)});
                return core::Ok();
            }
        }
        EscalateIn(sql, ws, *lead, *rule, from, *r, now);
        return core::Ok();
    }));
}

core::Result<void> RoutingService::HandleQueue(const jobs::JobContext& ctx) {
    const core::Id ws = ctx.job.workspace_id;
    const auto timer = TimerOf(ctx.job.payload);
    if (!timer) return core::Ok();
    const auto [lead_id, asg_id] = *timer;
    calendars_.EnsureBuiltinYears(ws);
    auto done = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const core::Millis now = clock_.NowMs();
        auto r = store::GetLeadRouting(sql, ws, lead_id);
        if (!r || r->state != "queued" || r->assignment_id != asg_id || !r->rule_id) return core::Ok();
        auto lead = store::GetLead(sql, ws, lead_id);
        if (!lead || lead->deleted || !leads::IsOpenStatus(lead->status)) {
            CancelIn(sql, ws, lead_id, "closed", now);
            return core::Ok();
        }
        auto rule = store::GetRule(sql, ws, *r->rule_id, true);
        if (!rule) return core::Ok();
        std::map<core::Id, std::string> names;
        auto view = inputs_.Open(sql, ws);
        Decision d = DecideWith(view, lead->facts, now, {}, rule->id, &names).decision;
        if (!d.user_id) {
            QueueIn(view, *lead, *rule, d, *r, now);
            return core::Ok();
        }
        if (auto a = store::GetAssignment(sql, ws, asg_id)) {
            a->ended_at = now;
            a->end_reason = "routed";
            store::UpdateAssignment(sql, ws, *a);
        }
        AssignIn(view, *lead, *rule, d, names, "from_queue", *r, now);
        events::WriteAudit(sql, core::Actor::System(ws), now,
                           {"lead.route", "lead", lead_id, std::nullopt, DecisionJson(d, names)});
        return core::Ok();
    });
    return Committed(std::move(done));
}

void RoutingService::AttachScheduler(jobs::Scheduler& scheduler) {
    scheduler.Register(kSlaJob, [this](const jobs::JobContext& ctx) { return HandleSla(ctx); });
    scheduler.Register(kQueueJob, [this](const jobs::JobContext& ctx) { return HandleQueue(ctx); });
    scheduler.Register(kCoverageJob, [this](const jobs::JobContext& ctx) { return HandleCoverage(ctx); });
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

core::Result<void> RoutingService::CheckRule(soci::session& sql, core::Id ws, const Rule& r) {
    std::vector<core::FieldError> errs = ValidateRule(r);
    if (r.department_id && !store::DepartmentExists(sql, ws, *r.department_id))
        errs.push_back({"department_id", "not_found", std::to_string(*r.department_id)});
    for (std::size_t i = 0; i < r.members.size(); ++i) {
        auto p = store::PersonOf(sql, ws, r.members[i].user_id);
        if (!p || !p->employed)
            errs.push_back(
                {"members/" + std::to_string(i) + "/user_id", "not_employee", std::to_string(r.members[i].user_id)});
    }
    if (r.head_user_id) {
        auto p = store::PersonOf(sql, ws, *r.head_user_id);
        if (!p || !p->employed) errs.push_back({"head_user_id", "not_employee", std::to_string(*r.head_user_id)});
    }
    if (errs.empty() && r.active && r.department_id && r.members.empty()) {
        bool anyone = false;
        for (const auto& p : store::PoolPeople(sql, ws, r)) anyone = anyone || p.employed;
        if (!anyone) errs.push_back({"department_id", "pool_never_eligible", ""});
    }
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, errs, 0};
    return core::Ok();
}

namespace {

json::object RuleSnapshot(const Rule& r) {
    json::array members;
    for (const auto& m : r.members) members.push_back(json::object{{"user_id", m.user_id}, {"weight", m.weight}});
    return json::object{{"name", r.name},
                        {"position", r.position},
                        {"active", r.active},
                        {"when", json::parse(store::ConditionsJson(r.when))},
                        {"department_id", r.department_id ? json::value(*r.department_id) : nullptr},
                        {"members", std::move(members)},
                        {"strategy", StrategyName(r.strategy)},
                        {"sla_minutes", r.sla_minutes},
                        {"assign_off_shift", r.assign_off_shift},
                        {"escalate_after", r.escalate_after}};
}

}  // namespace

core::Result<std::vector<Rule>> RoutingService::ListRules(const core::Actor& a) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<Rule>> {
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, a.workspace_id, clock_.NowMs()));
        OTDEL_TRY_VOID(MayView(vis));
        return store::ListRules(sql, a.workspace_id);
    });
}

core::Result<Rule> RoutingService::GetRule(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<Rule> {
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, a.workspace_id, clock_.NowMs()));
        OTDEL_TRY_VOID(MayView(vis));
        auto r = store::GetRule(sql, a.workspace_id, id);
        if (!r) return Error::Of(ErrorCode::kNotFound);
        return *r;
    });
}

core::Result<Rule> RoutingService::CreateRule(const core::Actor& a, Rule rule) {
    OTDEL_TRY_VOID(SignedIn(a));
    calendars_.EnsureBuiltinYears(a.workspace_id);
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Rule> {
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, a.workspace_id, now));
        OTDEL_TRY_VOID(MayManage(vis));
        if (store::CountRules(sql, a.workspace_id) >= kMaxRules)
            return Error::Field("rules", "too_many", std::to_string(kMaxRules));
        OTDEL_TRY_VOID(CheckRule(sql, a.workspace_id, rule));
        rule.position = 0;
        const core::Id id = store::InsertRule(sql, a.workspace_id, rule, now);
        ScheduleCoverage(sql, a.workspace_id, now, now);
        auto saved = store::GetRule(sql, a.workspace_id, id);
        events::WriteAudit(sql, a, now,
                           {"routing_rule.create", "routing_rule", id, std::nullopt, RuleSnapshot(*saved)});
        return *saved;
    });
}

core::Result<Rule> RoutingService::UpdateRule(const core::Actor& a, core::Id id, Rule rule) {
    OTDEL_TRY_VOID(SignedIn(a));
    calendars_.EnsureBuiltinYears(a.workspace_id);
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Rule> {
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, a.workspace_id, now));
        OTDEL_TRY_VOID(MayManage(vis));
        auto before = store::GetRule(sql, a.workspace_id, id);
        if (!before) return Error::Of(ErrorCode::kNotFound);
        rule.id = id;
        rule.position = before->position;
        OTDEL_TRY_VOID(CheckRule(sql, a.workspace_id, rule));
        store::UpdateRule(sql, a.workspace_id, rule, now);
        auto saved = store::GetRule(sql, a.workspace_id, id);
        events::WriteAudit(sql, a, now,
                           {"routing_rule.update", "routing_rule", id, RuleSnapshot(*before), RuleSnapshot(*saved)});
        return *saved;
    });
}

core::Result<void> RoutingService::DeleteRule(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, a.workspace_id, now));
        OTDEL_TRY_VOID(MayManage(vis));
        auto before = store::GetRule(sql, a.workspace_id, id);
        if (!before) return Error::Of(ErrorCode::kNotFound);
        store::DeleteRule(sql, a.workspace_id, id, now);
        events::WriteAudit(sql, a, now,
                           {"routing_rule.delete", "routing_rule", id, RuleSnapshot(*before), std::nullopt});
        return core::Ok();
    });
}

core::Result<std::vector<Rule>> RoutingService::Reorder(const core::Actor& a, const std::vector<core::Id>& ids) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<std::vector<Rule>> {
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, a.workspace_id, now));
        OTDEL_TRY_VOID(MayManage(vis));
        auto rules = store::ListRules(sql, a.workspace_id);
        std::set<core::Id> have, given(ids.begin(), ids.end());
        for (const auto& r : rules) have.insert(r.id);
        if (given.size() != ids.size() || given != have) return Error::Field("ids", "must_list_every_rule");
        json::array before;
        for (const auto& r : rules) before.emplace_back(r.id);
        store::SetPositions(sql, a.workspace_id, ids, now);
        json::array after;
        for (auto id : ids) after.emplace_back(id);
        events::WriteAudit(sql, a, now,
                           {"routing_rule.reorder", "routing_rule", std::nullopt, json::object{{"ids", before}},
                            json::object{{"ids", after}}});
        return store::ListRules(sql, a.workspace_id);
    });
}

core::Result<Simulation> RoutingService::Simulate(const core::Actor& a, const LeadFacts& facts) {
    OTDEL_TRY_VOID(SignedIn(a));
    calendars_.EnsureBuiltinYears(a.workspace_id);
    return db_.Read([&](soci::session& sql) -> core::Result<Simulation> {
        const core::Millis now = clock_.NowMs();
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, a.workspace_id, now));
        OTDEL_TRY_VOID(MayView(vis));
        Simulation s;
        auto view = inputs_.Open(sql, a.workspace_id);
        Decided decided = DecideWith(view, facts, now, {}, std::nullopt, &s.names);
        s.decision = std::move(decided.decision);
        if (s.decision.user_id && decided.rule)
            s.deadline_at = DeadlineFor(view, *s.decision.user_id, now, decided.rule->sla_minutes);
        s.explanation = Explain(s.decision, s.names);
        return s;
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Views

core::Result<std::vector<store::Clock>> RoutingService::Board(const core::Actor& a, int limit) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<store::Clock>> {
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, a.workspace_id, clock_.NowMs()));
        if (!vis.Can(Action::kRead, "lead")) return Error::Of(ErrorCode::kForbidden);
        const auth::Predicate visible = vis.Read("l");
        auto clocks = store::OpenClocks(sql, visible, limit);
        // One SLA calendar per owner, however many of their clocks are on the board.
        const core::Millis now = clock_.NowMs();
        std::map<core::Id, std::optional<org::WorkCalendar>> calendars;
        for (auto& c : clocks) {
            const org::WorkCalendar* sla = nullptr;
            if (c.owner_user_id) {
                auto it = calendars.find(*c.owner_user_id);
                if (it == calendars.end())
                    it = calendars.emplace(*c.owner_user_id, SlaCalendarOf(sql, a.workspace_id, *c.owner_user_id, now))
                             .first;
                if (it->second) sla = &*it->second;
            }
            c.remaining_working_ms = Remaining(c.routing, sla, now);
        }
        return clocks;
    });
}

core::Result<RoutingService::LeadView> RoutingService::LeadRouting(const core::Actor& a, core::Id lead_id) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<LeadView> {
        const core::Millis now = clock_.NowMs();
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, a.workspace_id, now));
        if (!vis.Can(Action::kRead, "lead")) return Error::Of(ErrorCode::kNotFound);
        const auth::Predicate visible = vis.Read("l");
        if (!store::LeadVisible(sql, lead_id, visible)) return Error::Of(ErrorCode::kNotFound);
        LeadView v;
        v.routing = store::GetLeadRouting(sql, a.workspace_id, lead_id);
        v.assignments = store::LeadAssignments(sql, a.workspace_id, lead_id);
        v.meetings = store::LeadMeetings(sql, a.workspace_id, lead_id);
        if (v.routing) {
            auto lead = store::GetLead(sql, a.workspace_id, lead_id);
            v.remaining_working_ms =
                RemainingMs(sql, a.workspace_id, *v.routing, lead ? lead->owner_user_id : std::nullopt, now);
        }
        return v;
    });
}

std::vector<CoverageReport> RoutingService::CoverageIn(soci::session& sql, core::Id ws, core::Millis now) {
    std::vector<CoverageReport> out;
    auto ws_cal = org::CalendarService::WorkspaceCalendarIn(sql, ws);
    const auto first = org::ParseDay(store::WorkspaceToday(sql, ws, now));
    if (!ws_cal || !first) return out;
    for (const auto& rule : store::ListRules(sql, ws)) {
        if (!rule.active) continue;
        CoverageReport c;
        c.rule_id = rule.id;
        c.rule_name = rule.name;
        c.department_id = rule.department_id;
        std::vector<store::Person> people;
        if (!rule.members.empty()) {
            for (const auto& p : store::PoolPeople(sql, ws, rule))
                if (p.employed && std::find(kLeadManagerRoles.begin(), kLeadManagerRoles.end(), p.role_code) !=
                                      kLeadManagerRoles.end())
                    people.push_back(p);
        } else if (rule.department_id) {
            people = store::PeopleWithRoles(sql, ws, *rule.department_id, kLeadManagerRoles);
        }
        if (people.empty()) continue;  // not a lead desk
        std::vector<org::WorkCalendar> cals;
        for (const auto& p : people)
            if (auto cal = org::CalendarService::CalendarOfIn(sql, ws, p.user_id, now)) cals.push_back(*cal);
        c.lead_managers = static_cast<int>(people.size());
        c.gaps = CoverageGaps(cals, *ws_cal, *first, 7, 2);
        out.push_back(std::move(c));
    }
    return out;
}

core::Result<std::vector<CoverageReport>> RoutingService::Coverage(const core::Actor& a) {
    OTDEL_TRY_VOID(SignedIn(a));
    calendars_.EnsureBuiltinYears(a.workspace_id);
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<CoverageReport>> {
        const core::Millis now = clock_.NowMs();
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, a.workspace_id, now));
        OTDEL_TRY_VOID(MayView(vis));
        return CoverageIn(sql, a.workspace_id, now);
    });
}

void RoutingService::ScheduleCoverage(soci::session& sql, core::Id ws, core::Millis at, core::Millis now) {
    jobs::JobSpec spec;
    spec.workspace_id = ws;
    spec.kind = kCoverageJob;
    spec.run_at = at;
    spec.dedupe_key = "coverage";
    jobs::JobStore::Schedule(sql, spec, now);
}

core::Result<void> RoutingService::HandleCoverage(const jobs::JobContext& ctx) {
    const core::Id ws = ctx.job.workspace_id;
    calendars_.EnsureBuiltinYears(ws);
    return Committed(db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const core::Millis now = clock_.NowMs();
        const std::string today = store::WorkspaceToday(sql, ws, now);
        for (const auto& c : CoverageIn(sql, ws, now)) {
            if (c.gaps.empty()) continue;
            auto rule = store::GetRule(sql, ws, c.rule_id);
            if (!rule) continue;
            auto head = HeadOf(sql, ws, *rule);
            if (!head) continue;
            json::array days;
            for (const auto& g : c.gaps)
                days.push_back(json::object{{"day", org::FormatDay(g.day)}, {"on_duty", g.on_duty}});
            json::object params{
                {"rule", c.rule_name},   {"rule_id", c.rule_id},    {"first_day", org::FormatDay(c.gaps.front().day)},
                {"days", c.gaps.size()}, {"gaps", std::move(days)}, {"checked_on", today}};
            events::Notify(sql, ws, *head, "routing.coverage_low", params, "/leads/sla", now);
        }
        // Tomorrow, the same time of day.
        ScheduleCoverage(
            sql, ws,
            ctx.job.run_at + 24 * 60 * kMinute > now ? ctx.job.run_at + 24 * 60 * kMinute : now + 24 * 60 * kMinute,
            now);
        return core::Ok();
    }));
}

core::Result<std::vector<HostSlots>> RoutingService::Slots(const core::Actor& a, core::Id lead_id, core::Millis from,
                                                           int days, int minutes,
                                                           std::optional<core::Id> department_id) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (minutes < 15 || minutes > 480) return Error::Field("minutes", "out_of_range", "15–480");
    if (days < 1 || days > 31) return Error::Field("days", "out_of_range", "1–31");
    calendars_.EnsureBuiltinYears(a.workspace_id);
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<HostSlots>> {
        const core::Millis now = clock_.NowMs();
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, a.workspace_id, now));
        const auth::Predicate visible = vis.Read("l");
        if (!store::LeadVisible(sql, lead_id, visible)) return Error::Of(ErrorCode::kNotFound);
        std::vector<store::Person> hosts;
        if (department_id) {
            if (!store::DepartmentExists(sql, a.workspace_id, *department_id))
                return Error::Field("department_id", "not_found");
            hosts = store::PeopleWithRoles(sql, a.workspace_id, *department_id, kHostRoles);
        } else {
            // The whole organisation: every top-level department's subtree.
            long long ws = a.workspace_id, dept = 0;
            soci::statement st = (sql.prepare << "SELECT id FROM departments WHERE workspace_id = :ws AND "
                                                 "parent_id IS NULL AND archived_at IS NULL ORDER BY id",
                                  soci::into(dept), soci::use(ws, "ws"));
            st.execute(false);
            std::vector<core::Id> roots;
            while (st.fetch()) roots.push_back(dept);
            for (core::Id r : roots)
                for (auto& p : store::PeopleWithRoles(sql, a.workspace_id, r, kHostRoles)) hosts.push_back(p);
        }
        const core::Millis start = std::max(from, now);
        const core::Millis end = start + static_cast<core::Millis>(days) * 24 * 60 * kMinute;
        std::vector<HostSlots> out;
        for (const auto& h : hosts) {
            auto cal = org::CalendarService::CalendarOfIn(sql, a.workspace_id, h.user_id, start);
            if (!cal) continue;
            HostSlots s{h.user_id, h.name, {}};
            s.slots = FreeSlots(*cal, store::BusySpans(sql, a.workspace_id, h.user_id, start, end), start, end, minutes,
                                30, 40);
            out.push_back(std::move(s));
        }
        return out;
    });
}

core::Result<store::Meeting> RoutingService::Book(const core::Actor& a, core::Id lead_id, const BookInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    std::vector<core::FieldError> errs;
    if (in.host_user_id <= 0) errs.push_back({"host_user_id", "required", ""});
    if (in.minutes < 15 || in.minutes > 480) errs.push_back({"minutes", "out_of_range", "15–480"});
    if (in.place.size() > 500) errs.push_back({"place", "too_long", "500"});
    if (in.note.size() > 2000) errs.push_back({"note", "too_long", "2000"});
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, errs, 0};
    calendars_.EnsureBuiltinYears(a.workspace_id);
    const core::Millis now = clock_.NowMs();
    return Committed(db_.InTx([&](soci::session& sql) -> core::Result<store::Meeting> {
        const core::Id ws = a.workspace_id;
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, ws, now));
        if (!vis.Can(Action::kUpdate, "lead")) return Error::Of(ErrorCode::kNotFound);
        const auth::Predicate writable = vis.Write("l");
        if (!store::LeadVisible(sql, lead_id, writable)) return Error::Of(ErrorCode::kNotFound);
        auto lead = store::GetLead(sql, ws, lead_id);
        if (!lead || lead->deleted || !leads::IsOpenStatus(lead->status))
            return Error::Of(ErrorCode::kConflict, "leads.not_open");
        auto host = store::PersonOf(sql, ws, in.host_user_id);
        if (!host || !host->employed ||
            std::find(kHostRoles.begin(), kHostRoles.end(), host->role_code) == kHostRoles.end())
            return Error::Field("host_user_id", "not_a_host");
        if (in.starts_at < now) return Error::Field("starts_at", "in_the_past");
        const core::Millis end = in.starts_at + in.minutes * kMinute;
        auto cal = org::CalendarService::CalendarOfIn(sql, ws, in.host_user_id, in.starts_at);
        if (!cal) return cal.take_error();
        const auto busy = store::BusySpans(sql, ws, in.host_user_id, in.starts_at, end);
        if (!busy.empty()) return Error::Of(ErrorCode::kConflict, "routing.slot_taken");
        if (!SlotIsFree(*cal, busy, in.starts_at, in.minutes))
            return Error::Of(ErrorCode::kConflict, "routing.slot_outside_hours");
        store::Meeting m;
        m.lead_id = lead_id;
        m.booked_by_user_id = a.user_id;
        m.host_user_id = in.host_user_id;
        m.starts_at = in.starts_at;
        m.ends_at = end;
        m.place = in.place;
        m.note = in.note;
        m.created_at = now;
        m.id = store::InsertMeeting(sql, ws, m);
        // The designer takes the client over: the deal is theirs from the first meeting on.
        if (handoff_deal_) {
            m.deal_id = handoff_deal_(sql, ws, lead_id, in.host_user_id, a, now);
            store::SetMeetingDeal(sql, ws, m.id, *m.deal_id);
        }
        // Booking the meeting is a contact with the client: it answers the SLA too.
        RecordResponse(sql, ws, lead_id, now, "meeting_booked");
        long long wsl = ws, lid = lead_id, nowl = now;
        sql << "UPDATE leads SET status = 'qualified', updated_at = :now WHERE workspace_id = :ws AND id = :id AND "
               "status IN ('new', 'in_work')",
            soci::use(nowl, "now"), soci::use(wsl, "ws"), soci::use(lid, "id");
        const json::object params{
            {"lead_id", lead_id},     {"title", lead->title},
            {"meeting_id", m.id},     {"starts_at", m.starts_at},
            {"ends_at", m.ends_at},   {"place", m.place},
            {"booked_by", a.user_id}, {"deal_id", m.deal_id ? json::value(*m.deal_id) : json::value(nullptr)}};
        events::Notify(sql, ws, in.host_user_id, "routing.meeting_booked", params, LeadLink(lead_id), now);
        events::WriteAudit(sql, a, now, {"lead.handoff", "lead", lead_id, std::nullopt, params});
        return m;
    }));
}

core::Result<bool> RoutingService::RecordFirstResponse(const core::Actor& a, core::Id lead_id,
                                                       const std::string& kind) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<bool> {
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, a.workspace_id, now));
        if (!vis.Can(Action::kUpdate, "lead")) return Error::Of(ErrorCode::kNotFound);
        const auth::Predicate writable = vis.Write("l");
        if (!store::LeadVisible(sql, lead_id, writable)) return Error::Of(ErrorCode::kNotFound);
        return RecordResponse(sql, a.workspace_id, lead_id, now, kind);
    });
}

core::Result<std::vector<std::string>> RoutingService::ResponseStatuses(const core::Actor& a) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<std::string>> {
        return store::ResponseStatuses(sql, a.workspace_id);
    });
}

core::Result<std::vector<std::string>> RoutingService::PutResponseStatuses(const core::Actor& a,
                                                                           const std::vector<std::string>& statuses) {
    OTDEL_TRY_VOID(SignedIn(a));
    for (std::size_t i = 0; i < statuses.size(); ++i)
        if (statuses[i] != "in_work" && statuses[i] != "qualified")
            return Error::Field("response_statuses/" + std::to_string(i), "not_one_of", "in_work, qualified");
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<std::vector<std::string>> {
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, a.workspace_id, now));
        OTDEL_TRY_VOID(MayManage(vis));
        json::array before, after;
        for (const auto& s : store::ResponseStatuses(sql, a.workspace_id)) before.emplace_back(s);
        for (const auto& s : statuses) after.emplace_back(s);
        store::PutResponseStatuses(sql, a.workspace_id, statuses, now);
        events::WriteAudit(sql, a, now,
                           {"routing_settings.update", "routing_settings", std::nullopt,
                            json::object{{"response_statuses", before}}, json::object{{"response_statuses", after}}});
        return store::ResponseStatuses(sql, a.workspace_id);
    });
}

core::Result<std::vector<store::PersonFacts>> RoutingService::Facts(const core::Actor& a, core::Millis from,
                                                                    core::Millis to) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (to <= from) return Error::Field("to", "invalid_range");
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<store::PersonFacts>> {
        const auto vis = auth::BuildVisibility(sql, a, store::WorkspaceToday(sql, a.workspace_id, clock_.NowMs()));
        if (!vis.Can(Action::kRead, "lead")) return Error::Of(ErrorCode::kForbidden);
        const auth::Predicate visible = vis.Read("l");
        return store::FactsByPerson(sql, visible, from, to);
    });
}

}  // namespace otdel::routing
