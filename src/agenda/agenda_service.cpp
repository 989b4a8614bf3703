#include "agenda/agenda_service.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "agenda/ical.hpp"
#include "auth/visibility.hpp"
#include "core/access.hpp"
#include "core/ids.hpp"
#include "events/audit.hpp"
#include "events/notifications.hpp"
#include "jobs/job_store.hpp"
#include "org/employee_store.hpp"
#include "org/work_calendar.hpp"

namespace otdel::agenda {
namespace json = boost::json;
using auth::Action;
using core::Error;
using core::ErrorCode;

namespace {

using core::kDay;
using core::kMinute;
constexpr core::Millis kSweepEvery = 10 * kMinute;
constexpr core::Millis kSweepHorizon = 2 * 60 * kMinute;
constexpr core::Millis kFeedPast = 30 * kDay;
constexpr core::Millis kFeedFuture = 180 * kDay;
constexpr core::Millis kTaskSlot = 30 * kMinute;
constexpr int kListLimit = 50;
constexpr int kOpenTaskLimit = 200;
constexpr std::size_t kMaxLiveFeeds = 10;
constexpr std::size_t kMaxFeedPeople = 500;
constexpr const char* kFeedObject = "calendar_feed";

using core::RequireSignedIn;

using core::NotFound;

// The caller's visibility, the workspace's zone and its calendar day now.
struct Context {
    std::string time_zone, today;
    auth::Visibility vis;
};

Context ContextOf(soci::session& sql, const core::Actor& a, core::Millis now) {
    std::string tz = org::store::WorkspaceTimeZone(sql, a.workspace_id);
    std::string today = org::LocalDateText(tz, now);
    auth::Visibility vis = auth::BuildVisibility(sql, a, today);
    return {std::move(tz), std::move(today), std::move(vis)};
}

PlanItem ItemOf(const activities::Activity& x) {
    PlanItem i;
    i.id = x.id;
    i.kind = x.kind;
    i.subject = x.subject;
    i.owner_user_id = x.owner_user_id.value_or(0);
    i.at = x.at;
    i.starts_at = x.starts_at;
    i.ends_at = x.ends_at;
    i.due_at = x.due_at;
    i.done = x.done;
    i.priority = x.task_priority.value_or("");
    i.place = x.meeting_place.value_or("");
    i.video_url = x.meeting_video_url.value_or("");
    i.call_direction = x.call_direction.value_or("");
    i.call_outcome = x.call_outcome.value_or("");
    if (x.call_duration_s) i.call_duration_s = static_cast<int>(*x.call_duration_s);
    i.has_recording = x.recording_file_id.has_value() || x.recording_url.has_value();
    i.company_id = x.company_id;
    i.contact_id = x.contact_id;
    i.lead_id = x.lead_id;
    i.deal_id = x.deal_id;
    return i;
}

std::vector<core::Id> Ids(const std::vector<store::Person>& people) {
    std::vector<core::Id> out;
    out.reserve(people.size());
    for (const auto& p : people) out.push_back(p.user_id);
    return out;
}

json::object FeedSnapshot(const store::Feed& f) {
    return json::object{{"user_id", f.user_id}, {"scope", f.scope}, {"token_hint", f.token_hint}};
}

bool IsHexToken(const std::string& t) {
    if (t.size() != 64) return false;
    for (char c : t)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace

// ---------------------------------------------------------------- daily plan

core::Result<DayPlan> AgendaService::Day(const core::Actor& a, std::optional<core::Id> user_id,
                                         const std::optional<std::string>& date) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<DayPlan> {
        const Context ctx = ContextOf(sql, a, now);
        const core::Id target = user_id.value_or(a.user_id);
        DayPlan plan;
        if (auto p = store::VisiblePerson(sql, ctx.vis, target)) {
            plan.person = *p;
        } else if (target == a.user_id) {
            // An administrator without a place in the tree still has a day of their own.
            auto me = store::ActiveUser(sql, a.workspace_id, a.user_id);
            if (!me) return NotFound();
            plan.person = {a.user_id, me->full_name};
        } else {
            return NotFound();
        }
        const auto window = LocalDayWindow(ctx.time_zone, date.value_or(ctx.today));
        if (!window) return Error{ErrorCode::kBadRequest, {}, {{"date", "invalid", "YYYY-MM-DD"}}, 0};
        plan.date = window->date;
        plan.time_zone = ctx.time_zone;
        plan.now = now;
        plan.day_start = window->start;
        plan.day_end = window->end;
        plan.has_team = ctx.vis.caller().unrestricted || ctx.vis.scope() == auth::Scope::kTeam ||
                        ctx.vis.scope() == auth::Scope::kAll || ctx.vis.scope() == auth::Scope::kReadAll;
        if (ctx.vis.Can(Action::kRead, "activity")) {
            std::vector<PlanItem> day, open;
            for (const auto& x : activities_.ListForPeopleInTx(sql, a.workspace_id, {target}, window->start,
                                                               window->end, {"meeting", "call", "task"}))
                day.push_back(ItemOf(x));
            for (const auto& x : activities_.OpenTasksInTx(sql, a.workspace_id, {target}, window->end, kOpenTaskLimit))
                open.push_back(ItemOf(x));
            plan.sections = ComposeDay(day, open, *window, now);
        }
        if (ctx.vis.Can(Action::kRead, "deal"))
            plan.idle_deals = store::IdleDeals(sql, ctx.vis, target, now, kListLimit);
        if (ctx.vis.Can(Action::kRead, "lead"))
            for (auto& c : store::RunningSla(sql, ctx.vis, target, kListLimit))
                plan.sla.push_back({c, SlaOf(c.deadline_at, now)});
        if (ctx.vis.Can(Action::kRead, "invoice"))
            plan.instalments = store::InstalmentsDue(sql, ctx.vis, target, window->date, kListLimit);
        PersonCounts& c = plan.counts;
        c.user_id = target;
        c.full_name = plan.person.full_name;
        c.meetings = static_cast<int>(plan.sections.meetings.size());
        c.calls = static_cast<int>(plan.sections.calls.size());
        c.tasks = static_cast<int>(plan.sections.tasks.size());
        c.overdue = static_cast<int>(plan.sections.overdue.size());
        c.idle_deals = static_cast<int>(plan.idle_deals.size());
        for (const auto& s : plan.sla) (s.view.breached ? c.sla_breached : c.sla_running) += 1;
        c.instalments_due = static_cast<int>(plan.instalments.size());
        return plan;
    });
}

core::Result<TeamPlan> AgendaService::Team(const core::Actor& a, const std::optional<std::string>& date) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<TeamPlan> {
        const Context ctx = ContextOf(sql, a, now);
        const auto window = LocalDayWindow(ctx.time_zone, date.value_or(ctx.today));
        if (!window) return Error{ErrorCode::kBadRequest, {}, {{"date", "invalid", "YYYY-MM-DD"}}, 0};
        TeamPlan team;
        team.date = window->date;
        team.now = now;
        const auto people = store::VisiblePeople(sql, ctx.vis);
        const auto counts =
            store::TeamCounts(sql, ctx.vis, store::CountWindow{window->start, window->end, now, window->date},
                              ctx.vis.Can(Action::kRead, "activity"), ctx.vis.Can(Action::kRead, "deal"),
                              ctx.vis.Can(Action::kRead, "lead"), ctx.vis.Can(Action::kRead, "invoice"));
        for (const auto& p : people) {
            PersonCounts row;
            if (auto it = counts.find(p.user_id); it != counts.end()) row = it->second;
            row.user_id = p.user_id;
            row.full_name = p.full_name;
            team.people.push_back(std::move(row));
        }
        RankTeam(team.people);
        team.totals = TeamTotals(team.people);
        return team;
    });
}

// ---------------------------------------------------------------- calendar

CalendarEvent AgendaService::EventOf(const activities::Activity& act) const {
    CalendarEvent e;
    e.id = act.id;
    e.kind = act.kind;
    e.subject = act.subject;
    e.place = act.meeting_place.value_or("");
    e.video_url = act.meeting_video_url.value_or("");
    e.owner_user_id = act.owner_user_id;
    e.owner_name = act.owner_name;
    e.deal_id = act.deal_id;
    e.company_id = act.company_id;
    e.lead_id = act.lead_id;
    e.done = act.done;
    if (act.kind == "meeting") {
        e.start = act.starts_at.value_or(act.at);
        e.end = act.ends_at.value_or(e.start + kTaskSlot);
    } else {
        e.start = act.due_at.value_or(act.at);
        e.end = e.start + kTaskSlot;
    }
    return e;
}

core::Result<std::vector<CalendarEvent>> AgendaService::Events(const core::Actor& a, core::Millis from, core::Millis to,
                                                               std::optional<core::Id> user_id, bool team) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    if (to <= from || to - from > kMaxRangeMs)
        return Error{ErrorCode::kBadRequest, {}, {{"to", "out_of_range", "≤ 42 d"}}, 0};
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<CalendarEvent>> {
        const Context ctx = ContextOf(sql, a, now);
        std::vector<core::Id> people;
        if (team) {
            people = Ids(store::VisiblePeople(sql, ctx.vis));
        } else if (user_id && *user_id != a.user_id) {
            if (!store::VisiblePerson(sql, ctx.vis, *user_id)) return NotFound();
            people = {*user_id};
        } else {
            people = {a.user_id};
        }
        std::vector<CalendarEvent> out;
        if (!ctx.vis.Can(Action::kRead, "activity") || people.empty()) return out;
        const bool may_update = ctx.vis.Can(Action::kUpdate, "activity");
        std::map<core::Id, bool> in_scope;
        std::set<core::Id> seen;
        for (const auto& act :
             activities_.ListForPeopleInTx(sql, a.workspace_id, people, from, to, {"meeting", "task"})) {
            if (act.kind == "task" && !act.due_at) continue;
            if (!seen.insert(act.id).second) continue;
            CalendarEvent e = EventOf(act);
            if (act.kind == "meeting" && !act.done && may_update && act.owner_user_id) {
                const core::Id owner = *act.owner_user_id;
                auto it = in_scope.find(owner);
                if (it == in_scope.end())
                    it = in_scope.emplace(owner, owner == a.user_id || activities_.InScopeInTx(sql, ctx.vis, owner))
                             .first;
                e.editable = it->second;
            }
            out.push_back(std::move(e));
        }
        return out;
    });
}

core::Result<CalendarEvent> AgendaService::Reschedule(const core::Actor& a, core::Id id, core::Millis starts_at,
                                                      core::Millis ends_at) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    auto errs = CheckMeetingTimes(starts_at, ends_at);
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    auto act = activities_.Get(a, id);
    if (!act) return act.take_error();
    if (act->kind != "meeting") return Error{ErrorCode::kValidation, "agenda.not_meeting", {{"id", "invalid", ""}}, 0};
    if (act->done) return Error::Of(ErrorCode::kConflict, "agenda.meeting_held");
    activities::ActivityInput patch;
    patch.starts_at = starts_at;
    patch.ends_at = ends_at;
    auto updated = activities_.Update(a, id, patch);
    if (!updated) return updated.take_error();
    const core::Millis now = clock_.NowMs();
    auto planned = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        OnMeetingInTx(sql, a.workspace_id, id, updated->starts_at.value_or(starts_at), now);
        return core::Ok();
    });
    // The meeting moved already; a reminder not planned now is planned by the next sweep.
    if (!planned) spdlog::warn("meeting {}: reminder not planned", id);
    CalendarEvent e = EventOf(*updated);
    e.editable = true;
    return e;
}

// ---------------------------------------------------------------- feeds

core::Result<std::vector<store::Feed>> AgendaService::Feeds(const core::Actor& a) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    return db_.Read([&](soci::session& sql) { return store::FeedsOf(sql, a.workspace_id, a.user_id); });
}

core::Result<FeedIssued> AgendaService::Issue(soci::session& sql, const core::Actor& a, const std::string& scope,
                                              core::Millis now) {
    FeedIssued out;
    out.token = core::RandomToken(32);
    const core::Id id = store::InsertFeed(sql, a.workspace_id, a.user_id, scope, core::Sha256Hex(out.token),
                                          out.token.substr(0, 6), now);
    out.feed = *store::SelectFeed(sql, a.workspace_id, a.user_id, id);
    events::WriteAudit(sql, a, now, {"calendar_feed.create", kFeedObject, id, std::nullopt, FeedSnapshot(out.feed)});
    return out;
}

core::Result<FeedIssued> AgendaService::CreateFeed(const core::Actor& a, const std::string& scope) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    if (scope != "user" && scope != "team") return Error::Field("scope", "not_one_of", "user, team");
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<FeedIssued> {
        std::size_t live = 0;
        for (const auto& f : store::FeedsOf(sql, a.workspace_id, a.user_id))
            if (!f.revoked_at) ++live;
        if (live >= kMaxLiveFeeds) return Error::Of(ErrorCode::kConflict, "agenda.too_many_feeds");
        return Issue(sql, a, scope, now);
    });
}

core::Result<FeedIssued> AgendaService::RegenerateFeed(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<FeedIssued> {
        auto f = store::SelectFeed(sql, a.workspace_id, a.user_id, id);
        if (!f) return NotFound();
        if (f->revoked_at) return Error::Of(ErrorCode::kConflict, "agenda.feed_revoked");
        store::RevokeFeed(sql, a.workspace_id, id, now);
        events::WriteAudit(sql, a, now, {"calendar_feed.revoke", kFeedObject, id, FeedSnapshot(*f), std::nullopt});
        return Issue(sql, a, f->scope, now);
    });
}

core::Result<void> AgendaService::RevokeFeed(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        auto f = store::SelectFeed(sql, a.workspace_id, a.user_id, id);
        if (!f) return NotFound();
        if (store::RevokeFeed(sql, a.workspace_id, id, now))
            events::WriteAudit(sql, a, now, {"calendar_feed.revoke", kFeedObject, id, FeedSnapshot(*f), std::nullopt});
        return core::Ok();
    });
}

core::Result<std::string> AgendaService::FeedText(const std::string& token) {
    if (!IsHexToken(token)) return NotFound();
    const core::Millis now = clock_.NowMs();
    std::optional<store::Feed> used;
    auto text = db_.Read([&](soci::session& sql) -> core::Result<std::string> {
        auto f = store::FeedByTokenHash(sql, core::Sha256Hex(token));
        if (!f) return NotFound();
        auto owner = store::ActiveUser(sql, f->workspace_id, f->user_id);
        if (!owner) return NotFound();
        const core::Lang lang = owner->locale == "en" ? core::Lang::kEn : core::Lang::kRu;
        // The feed reads as its owner would: the same visibility, today.
        const core::Actor as = core::Actor::SignedIn(core::ActorKind::kApiToken, f->workspace_id, f->user_id,
                                                     owner->is_admin, lang, "", "", "feed:" + std::to_string(f->id));
        const Context ctx = ContextOf(sql, as, now);
        std::vector<core::Id> people{f->user_id};
        if (f->scope == "team") {
            people = Ids(store::VisiblePeople(sql, ctx.vis));
            if (people.size() > kMaxFeedPeople) people.resize(kMaxFeedPeople);
        }
        const auto [slug, ws_name] = store::WorkspaceNames(sql, f->workspace_id);
        FeedDocument doc;
        const bool en = lang == core::Lang::kEn;
        doc.name = (f->scope == "team" ? (en ? "Team of " : "Команда: ") : "") + owner->full_name + " · " + ws_name;
        doc.generated_at = now;
        if (ctx.vis.Can(Action::kRead, "activity")) {
            std::set<core::Id> seen;
            for (const auto& act : activities_.ListForPeopleInTx(sql, f->workspace_id, people, now - kFeedPast,
                                                                 now + kFeedFuture, {"meeting", "task"})) {
                if (act.kind == "task" && !act.due_at) continue;
                if (!seen.insert(act.id).second) continue;
                const CalendarEvent e = EventOf(act);
                FeedEvent fe;
                fe.uid = "activity-" + std::to_string(act.id) + "@" + slug + ".otdel";
                fe.start = e.start;
                fe.end = act.kind == "task" ? e.start : e.end;
                fe.category = act.kind == "meeting" ? "MEETING" : "TASK";
                fe.summary = act.kind == "task" ? std::string(en ? "Task: " : "Задача: ") + act.subject : act.subject;
                if (f->scope == "team" && act.owner_user_id != f->user_id && !act.owner_name.empty())
                    fe.summary += " — " + act.owner_name;
                fe.location = !e.place.empty() ? e.place : e.video_url;
                fe.description = act.body;
                if (!e.video_url.empty()) fe.description += (fe.description.empty() ? "" : "\n") + e.video_url;
                if (!public_url_.empty()) fe.url = public_url_ + "/calendar?activity=" + std::to_string(act.id);
                fe.done = act.done;
                fe.created_at = act.created_at;
                fe.updated_at = act.updated_at;
                if (act.kind == "meeting") fe.alarm_minutes = kReminderMinutes;
                doc.events.push_back(std::move(fe));
            }
        }
        used = f;
        return RenderFeed(doc);
    });
    if (text.ok() && used && (!used->last_used_at || now - *used->last_used_at >= 3'600'000)) {
        try {
            auto touched = db_.InTx([&](soci::session& sql) -> core::Result<void> {
                store::TouchFeed(sql, *used, now);
                return core::Ok();
            });
            (void)touched;
        } catch (const std::exception& e) {
            spdlog::warn("calendar feed {}: last use not recorded: {}", used->id, e.what());
        }
    }
    return text;
}

// ---------------------------------------------------------------- reminders

void AgendaService::OnMeetingInTx(soci::session& sql, core::Id ws, core::Id activity_id, core::Millis starts_at,
                                  core::Millis now) {
    if (starts_at <= now) return;
    jobs::JobSpec spec;
    spec.workspace_id = ws;
    spec.kind = kReminderJob;
    spec.payload = json::object{{"activity_id", activity_id}, {"starts_at", starts_at}};
    spec.run_at = std::max(now, starts_at - kReminderMinutes * kMinute);
    // One pending job per meeting and start: a moved meeting gets a new one, the old one finds the start changed.
    spec.dedupe_key = "meeting:" + std::to_string(activity_id) + ":" + std::to_string(starts_at);
    jobs::JobStore::Schedule(sql, spec, now);
}

void AgendaService::AttachScheduler(jobs::Scheduler& scheduler) {
    scheduler.Register(kReminderJob, [this](const jobs::JobContext& ctx) { return HandleReminder(ctx); });
    scheduler.Register(kSweepJob, [this](const jobs::JobContext& ctx) { return HandleSweep(ctx); });
    jobs::JobSpec sweep;
    sweep.kind = kSweepJob;
    sweep.run_at = clock_.NowMs();
    sweep.dedupe_key = "sweep";
    scheduler.store().Schedule(sweep, clock_.NowMs());
}

core::Result<void> AgendaService::HandleReminder(const jobs::JobContext& ctx) {
    const core::Id ws = ctx.job.workspace_id;
    const auto* id = ctx.job.payload.if_contains("activity_id");
    const auto* starts = ctx.job.payload.if_contains("starts_at");
    if (!id || !id->is_int64() || !starts || !starts->is_int64()) return core::Ok();  // not ours to retry
    bool notified = false;
    auto done = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        auto act = activities_.GetInTx(sql, ws, id->as_int64());
        // Moved, held, deleted or already begun: this reminder no longer applies.
        if (!act || act->deleted_at || act->kind != "meeting" || act->done || act->starts_at != starts->as_int64() ||
            ctx.now >= starts->as_int64())
            return core::Ok();
        std::set<core::Id> people;
        if (act->owner_user_id) people.insert(*act->owner_user_id);
        for (const auto& p : act->participants)
            if (p.user_id) people.insert(*p.user_id);
        const long long minutes = (starts->as_int64() - ctx.now + kMinute - 1) / kMinute;
        for (core::Id uid : people) {
            if (!store::InsertReminder(sql, ws, act->id, uid, starts->as_int64(), ctx.now)) continue;
            events::Notify(sql, ws, uid, "agenda.meeting_reminder",
                           json::object{{"activity_id", act->id},
                                        {"subject", act->subject},
                                        {"starts_at", starts->as_int64()},
                                        {"minutes", minutes},
                                        {"place", act->meeting_place.value_or("")},
                                        {"video_url", act->meeting_video_url.value_or("")}},
                           "/calendar?activity=" + std::to_string(act->id), ctx.now);
            notified = true;
        }
        return core::Ok();
    });
    if (done.ok() && notified && after_commit_) after_commit_();
    return done;
}

core::Result<void> AgendaService::HandleSweep(const jobs::JobContext& ctx) {
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        for (const auto& m : store::UpcomingMeetings(sql, ctx.now, ctx.now + kSweepHorizon, 5'000))
            OnMeetingInTx(sql, m.workspace_id, m.activity_id, m.starts_at, ctx.now);
        jobs::JobSpec next;
        next.kind = kSweepJob;
        next.run_at = ctx.now + kSweepEvery;
        next.dedupe_key = "sweep";
        jobs::JobStore::Schedule(sql, next, ctx.now);
        return core::Ok();
    });
}

}  // namespace otdel::agenda
