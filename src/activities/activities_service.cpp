#include "activities/activities_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <set>

#include "clients/clients_service.hpp"
#include "clients/normalize.hpp"
#include "core/access.hpp"
#include "events/audit.hpp"
#include "events/notifications.hpp"
#include "intake/mail_message.hpp"
#include "jobs/job_store.hpp"
#include "org/employee.hpp"
#include "org/employee_store.hpp"

namespace otdel::activities {
namespace json = boost::json;
using auth::Action;
using core::Error;
using core::ErrorCode;

namespace {

constexpr int kMaxPage = 200;

using core::NotFound;

Error Fields(std::vector<core::FieldError> f) {
    return Error{ErrorCode::kValidation, {}, std::move(f), 0};
}

core::Result<void> SignedIn(const core::Actor& a) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    return core::Ok();
}

// Keyset cursor "<at>.<id>" in hex, opaque to clients.
std::string EncodeCursor(const store::Cursor& c) {
    const std::string raw = std::to_string(c.at) + "." + std::to_string(c.id);
    std::string out;
    static const char* hex = "0123456789abcdef";
    for (unsigned char ch : raw) {
        out += hex[ch >> 4];
        out += hex[ch & 15];
    }
    return out;
}

std::optional<store::Cursor> DecodeCursor(const std::string& s) {
    if (s.size() % 2 != 0 || s.size() > 80) return std::nullopt;
    std::string raw;
    for (std::size_t i = 0; i < s.size(); i += 2) {
        auto nib = [](char c) -> int {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            return -1;
        };
        const int hi = nib(s[i]), lo = nib(s[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        raw += static_cast<char>(hi * 16 + lo);
    }
    store::Cursor c;
    long long at = 0, id = 0;
    char tail = 0;
    if (std::sscanf(raw.c_str(), "%lld.%lld%c", &at, &id, &tail) != 2) return std::nullopt;
    c.at = at;
    c.id = id;
    return c;
}

Error BadCursor() {
    return Error{ErrorCode::kBadRequest, {}, {{"cursor", "invalid", ""}}, 0};
}

json::object Snapshot(const Activity& a) {
    json::object o{{"kind", a.kind}, {"subject", a.subject}, {"at", a.at}, {"done", a.done}, {"source", a.source}};
    if (a.owner_user_id) o["owner_user_id"] = *a.owner_user_id;
    if (a.company_id) o["company_id"] = *a.company_id;
    if (a.contact_id) o["contact_id"] = *a.contact_id;
    if (a.lead_id) o["lead_id"] = *a.lead_id;
    if (a.deal_id) o["deal_id"] = *a.deal_id;
    if (a.starts_at) o["starts_at"] = *a.starts_at;
    if (a.ends_at) o["ends_at"] = *a.ends_at;
    if (a.due_at) o["due_at"] = *a.due_at;
    if (a.call_outcome) o["outcome"] = *a.call_outcome;
    if (a.task_priority) o["priority"] = *a.task_priority;
    if (a.email_status) o["email_status"] = *a.email_status;
    if (a.sms_status) o["sms_status"] = *a.sms_status;
    if (a.deleted_at) o["deleted_at"] = *a.deleted_at;
    return o;
}

std::string ActivityLink(const Activity& a) {
    if (a.deal_id) return "/deals/" + std::to_string(*a.deal_id);
    if (a.lead_id) return "/leads/" + std::to_string(*a.lead_id);
    if (a.company_id) return "/clients/companies/" + std::to_string(*a.company_id);
    if (a.contact_id) return "/clients/contacts/" + std::to_string(*a.contact_id);
    return "/tasks";
}

// Outbound contact that answers a lead: what routing may count as the first response.
bool IsContact(const Activity& a) {
    if (a.kind == "call") return a.call_direction.value_or("") == "out" || a.call_outcome.value_or("") == "answered";
    if (a.kind == "email") return a.email_direction.value_or("out") == "out" && a.email_status.value_or("") == "sent";
    if (a.kind == "sms") return a.sms_status.value_or("") == "sent";
    return a.kind == "meeting" || a.kind == "note" || a.kind == "task";
}

}  // namespace

ActivitiesService::ActivitiesService(db::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {
    mailer_factory_ = [](const store::EmailAccount& acc) -> std::unique_ptr<mail::Mailer> {
        return std::make_unique<mail::SmtpMailer>(
            mail::SmtpConfig{acc.smtp_url, acc.from_address, acc.smtp_user, acc.smtp_password, acc.require_tls, 20});
    };
    fetcher_ = HttpFetch;
}

auth::Visibility ActivitiesService::Vis(soci::session& sql, const core::Actor& a) const {
    return auth::BuildVisibility(sql, a, org::store::WorkspaceToday(sql, a.workspace_id, clock_.NowMs()));
}

bool ActivitiesService::CanReadInTx(soci::session& sql, const auth::Visibility& vis, const Activity& act) {
    if (!vis.Can(Action::kRead, "activity")) return false;
    if (vis.caller().unrestricted || vis.scope() == auth::Scope::kAll || vis.scope() == auth::Scope::kReadAll)
        return true;
    if (act.owner_user_id && *act.owner_user_id == vis.caller().user_id) return true;
    if (act.created_by && *act.created_by == vis.caller().user_id) return true;
    for (const auto& p : act.participants)
        if (p.user_id && *p.user_id == vis.caller().user_id) return true;
    if (act.owner_user_id) {
        const auth::Predicate people = vis.Read("e", "user_id");
        if (store::PersonVisible(sql, *act.owner_user_id, people)) return true;
    }
    const auth::Predicate rec = vis.Read("r");
    if (act.deal_id && store::RecordVisible(sql, "deal", *act.deal_id, rec)) return true;
    if (act.lead_id && store::RecordVisible(sql, "lead", *act.lead_id, rec)) return true;
    if (act.company_id && store::RecordVisible(sql, "company", *act.company_id, rec)) return true;
    if (act.contact_id && store::RecordVisible(sql, "contact", *act.contact_id, rec)) return true;
    return false;
}

bool ActivitiesService::CanWrite(soci::session& sql, const auth::Visibility& vis, const Activity& act) const {
    if (!vis.Can(Action::kUpdate, "activity")) return false;
    if (vis.caller().unrestricted || vis.scope() == auth::Scope::kAll) return true;
    const core::Id me = vis.caller().user_id;
    if ((act.owner_user_id && *act.owner_user_id == me) || (act.created_by && *act.created_by == me)) return true;
    if (act.owner_user_id) {
        const auth::Predicate people = vis.Write("e", "user_id");
        if (store::PersonVisible(sql, *act.owner_user_id, people)) return true;
    }
    return false;
}

std::vector<core::Id> ActivitiesService::VisiblePeopleInTx(soci::session& sql, const auth::Visibility& vis) {
    const auth::Predicate people = vis.Read("e", "user_id");
    return store::VisiblePeople(sql, people);
}

bool ActivitiesService::InScopeInTx(soci::session& sql, const auth::Visibility& vis, core::Id user_id) {
    if (user_id == vis.caller().user_id && vis.scope() != auth::Scope::kNone) return true;
    const auth::Predicate people = vis.Write("e", "user_id");
    return store::PersonVisible(sql, user_id, people);
}

std::optional<Activity> ActivitiesService::GetInTx(soci::session& sql, core::Id ws, core::Id id) {
    return store::SelectActivity(sql, ws, id);
}

std::vector<Activity> ActivitiesService::ListForPeopleInTx(soci::session& sql, core::Id ws,
                                                           const std::vector<core::Id>& users, core::Millis from,
                                                           core::Millis to, const std::vector<std::string>& kinds) {
    return store::ListForPeople(sql, ws, users, from, to, kinds);
}

std::vector<Activity> ActivitiesService::OpenTasksInTx(soci::session& sql, core::Id ws,
                                                       const std::vector<core::Id>& users,
                                                       std::optional<core::Millis> due_before, int limit) {
    return store::OpenTasksOf(sql, ws, users, due_before, limit);
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

void ActivitiesService::Apply(const ActivityInput& in, Activity& act, std::vector<core::FieldError>& errors) const {
    if (in.subject) act.subject = *in.subject;
    if (in.body) act.body = *in.body;
    if (in.owner_user_id) act.owner_user_id = *in.owner_user_id;
    if (in.starts_at) act.starts_at = *in.starts_at;
    if (in.ends_at) act.ends_at = *in.ends_at;
    if (in.set_due) act.due_at = in.due_at;
    if (in.mentions) act.mentions = *in.mentions;
    if (act.kind == "call") {
        if (in.direction) act.call_direction = *in.direction;
        if (in.outcome) act.call_outcome = *in.outcome;
        if (in.duration_s) act.call_duration_s = *in.duration_s;
        if (in.phone) {
            if (auto p = clients::NormalizePhone(*in.phone))
                act.call_phone = p->e164;
            else
                act.call_phone = *in.phone;  // Validate names it
        }
        if (in.recording_url) act.recording_url = in.recording_url->empty() ? std::nullopt : in.recording_url;
        if (in.at) act.starts_at = *in.at;
        if (act.starts_at && act.call_duration_s) act.ends_at = *act.starts_at + *act.call_duration_s * 1000;
    } else if (act.kind == "meeting") {
        if (in.place) act.meeting_place = *in.place;
        if (in.video_url) act.meeting_video_url = in.video_url->empty() ? std::nullopt : in.video_url;
        if (in.result) act.meeting_result = *in.result;
        if (in.participants) act.participants = *in.participants;
    } else if (act.kind == "task") {
        if (in.priority) act.task_priority = *in.priority;
        if (!act.task_priority) act.task_priority = "normal";
        if (in.checklist) {
            std::vector<ChecklistItem> items;
            for (std::size_t i = 0; i < in.checklist->size(); ++i) {
                ChecklistItem c;
                c.position = static_cast<int>(i);
                c.text = (*in.checklist)[i];
                // Keep the ticks of items whose text is unchanged.
                for (const auto& old : act.checklist)
                    if (old.text == c.text) {
                        c.done = old.done;
                        c.done_at = old.done_at;
                        c.done_by = old.done_by;
                    }
                items.push_back(std::move(c));
            }
            act.checklist = std::move(items);
        }
    } else if (act.kind == "email") {
        if (in.to) act.email_to = *in.to;
        if (in.cc) act.email_cc = *in.cc;
    } else if (act.kind == "sms") {
        if (in.phone) {
            if (auto p = clients::NormalizePhone(*in.phone))
                act.sms_phone = p->e164;
            else
                act.sms_phone = *in.phone;
        }
    }
    if (act.kind != "call" && act.kind != "meeting" && in.at && act.kind != "task") act.at = *in.at;
    for (auto& e : Validate(act)) errors.push_back(std::move(e));
}

core::Result<Activity> ActivitiesService::Create(const core::Actor& a, const ActivityInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    Activity act;
    act.workspace_id = a.workspace_id;
    act.kind = in.kind.value_or("");
    act.created_by = a.user_id ? std::optional<core::Id>(a.user_id) : std::nullopt;
    act.owner_user_id = act.created_by;
    act.created_at = now;
    act.updated_at = now;
    act.at = now;
    act.source = "manual";
    std::vector<core::FieldError> errors;
    const std::string record_type = in.record_type.value_or("");
    if (std::find(RecordTypes().begin(), RecordTypes().end(), record_type) == RecordTypes().end())
        errors.push_back({"record_type", in.record_type ? "not_one_of" : "required", "company, contact, lead, deal"});
    if (!in.record_id) errors.push_back({"record_id", "required", ""});
    if (act.kind == "email") {
        act.email_direction = "out";
        act.email_status = "queued";
        act.done = true;
    }
    if (act.kind == "sms") act.done = true;
    if (act.kind == "call" || act.kind == "note") act.done = true;
    if (act.kind == "call") act.starts_at = now;
    if (in.done) act.done = *in.done;

    auto created = db_.InTx([&](soci::session& sql) -> core::Result<Activity> {
        const auth::Visibility vis = Vis(sql, a);
        if (!vis.Can(Action::kCreate, "activity")) return Error::Of(ErrorCode::kForbidden);
        if (errors.empty()) {
            const auth::Predicate rec = vis.Read("r");
            if (!store::RecordVisible(sql, record_type, *in.record_id, rec))
                errors.push_back({"record_id", "invalid", ""});
            else if (auto facts = store::FactsOf(sql, a.workspace_id, record_type, *in.record_id)) {
                // The record and the client it belongs to: one timeline read per card.
                if (record_type == "deal") act.deal_id = *in.record_id;
                if (record_type == "lead") act.lead_id = *in.record_id;
                act.company_id = facts->company_id;
                act.contact_id = facts->contact_id;
            }
        }
        if (in.template_id && (act.kind == "email" || act.kind == "sms")) {
            auto t = store::SelectTemplate(sql, a.workspace_id, *in.template_id);
            if (!t || t->archived_at) {
                errors.push_back({"template_id", "invalid", ""});
            } else {
                act.template_id = t->id;
                const auto values = PlaceholderValues(sql, act);
                if (!in.subject) act.subject = RenderTemplate(t->subject, values);
                if (!in.body) act.body = RenderTemplate(t->body, values);
            }
        }
        Apply(in, act, errors);
        if (act.kind == "task" && act.owner_user_id && *act.owner_user_id != a.user_id &&
            !InScopeInTx(sql, vis, *act.owner_user_id))
            errors.push_back({"assignee_user_id", "outside_subtree", ""});
        if (act.kind == "email" && act.owner_user_id && errors.empty() &&
            !store::AccountFor(sql, a.workspace_id, *act.owner_user_id))
            return Error::Of(ErrorCode::kValidation, "activities.no_email_account");
        if (act.kind == "email" && errors.empty()) {
            auto acc = store::AccountFor(sql, a.workspace_id, *act.owner_user_id);
            act.email_account_id = acc->id;
            act.email_from = acc->from_address;
        }
        if (act.kind == "sms" && !sms_ && errors.empty()) return Error::Of(ErrorCode::kUnavailable);
        if (!act.mentions.empty()) {
            auto active = store::ActiveUsers(sql, a.workspace_id, act.mentions);
            if (active.size() != std::set<core::Id>(act.mentions.begin(), act.mentions.end()).size())
                errors.push_back({"mentions", "invalid", ""});
            act.mentions = active;
        }
        if (!errors.empty()) return Fields(std::move(errors));
        if (act.kind == "task" && act.done) {
            act.done_at = now;
            act.done_by = act.created_by;
        }
        act.at = TimelineAt(act, in.at.value_or(act.at));
        act.id = store::InsertActivity(sql, act);
        if (act.kind == "meeting") store::ReplaceParticipants(sql, act);
        if (act.kind == "task") store::ReplaceChecklist(sql, act);
        events::WriteAudit(sql, a, now, {"activity.create", "activity", act.id, std::nullopt, Snapshot(act)});
        AfterWrite(sql, act, act.mentions, a, now);
        return *store::SelectActivity(sql, a.workspace_id, act.id);
    });
    if (!created) return created;
    Activity out = std::move(*created);
    if (out.kind == "email") SendEmail(a, out);
    if (out.kind == "sms") SendSms(a, out);
    if (after_commit_) after_commit_();
    return out;
}

void ActivitiesService::AfterWrite(soci::session& sql, const Activity& act, const std::vector<core::Id>& new_mentions,
                                   const core::Actor& by, core::Millis now) {
    const core::Id ws = act.workspace_id;
    if (!new_mentions.empty()) {
        store::InsertMentions(sql, ws, act.id, new_mentions, now);
        std::string author;
        if (by.user_id)
            if (auto u = store::UserOf(sql, ws, by.user_id)) author = u->full_name;
        for (core::Id uid : new_mentions) {
            if (uid == by.user_id) continue;
            events::Notify(
                sql, ws, uid, "activities.mentioned",
                json::object{
                    {"activity_id", act.id}, {"kind", act.kind}, {"author", author}, {"text", act.body.substr(0, 200)}},
                ActivityLink(act), now);
        }
    }
    if (act.kind == "task" && act.owner_user_id && act.created_by && *act.owner_user_id != *act.created_by &&
        !act.done) {
        // A task set by someone else (a manager): the assignee hears of it.
        events::Notify(sql, ws, *act.owner_user_id, "activities.task_assigned",
                       json::object{{"activity_id", act.id}, {"subject", act.subject}}, "/tasks", now);
    }
    if (act.lead_id && first_response_ && IsContact(act)) {
        const Settings s = store::SelectSettings(sql, ws);
        if (std::find(s.first_response_kinds.begin(), s.first_response_kinds.end(), act.kind) !=
            s.first_response_kinds.end())
            first_response_(sql, ws, *act.lead_id, std::min(act.created_at, now), act.kind);
    }
    if (act.deal_id) store::TouchDeal(sql, ws, *act.deal_id, now);
    ScheduleEscalation(sql, act, now);
    if (act.kind == "meeting" && meeting_hook_ && act.starts_at && !act.done)
        meeting_hook_(sql, ws, act.id, *act.starts_at, now);
}

void ActivitiesService::ScheduleEscalation(soci::session& sql, const Activity& act, core::Millis now) {
    if (act.kind != "task") return;
    const std::string key = "task:" + std::to_string(act.id);
    jobs::JobStore::CancelPending(sql, act.workspace_id, kEscalationJob, key, now);
    if (act.escalated_at) return;
    const Settings s = store::SelectSettings(sql, act.workspace_id);
    auto at = EscalationAt(act, s.escalation_delay_minutes);
    if (!at) return;
    jobs::JobSpec spec;
    spec.workspace_id = act.workspace_id;
    spec.kind = kEscalationJob;
    spec.payload = json::object{{"activity_id", act.id}};
    spec.run_at = std::max(*at, now);
    spec.dedupe_key = key;
    spec.max_attempts = 5;
    jobs::JobStore::Schedule(sql, spec, now);
}

core::Result<Activity> ActivitiesService::Update(const core::Actor& a, core::Id id, const ActivityInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<Activity> {
        const auth::Visibility vis = Vis(sql, a);
        auto found = store::SelectActivity(sql, a.workspace_id, id);
        if (!found || found->deleted_at || !CanReadInTx(sql, vis, *found)) return NotFound();
        if (!CanWrite(sql, vis, *found)) return Error::Of(ErrorCode::kForbidden, "activities.write_forbidden");
        Activity act = *found;
        const json::object before = Snapshot(act);
        std::vector<core::FieldError> errors;
        const std::vector<core::Id> old_mentions = act.mentions;
        const auto old_owner = act.owner_user_id;
        Apply(in, act, errors);
        if (act.kind == "task" && act.owner_user_id != old_owner && act.owner_user_id &&
            *act.owner_user_id != a.user_id && !InScopeInTx(sql, vis, *act.owner_user_id))
            errors.push_back({"assignee_user_id", "outside_subtree", ""});
        if (act.kind == "email" && (in.to || in.cc || in.subject || in.body) && act.email_status != "queued")
            errors.push_back({"kind", "invalid", ""});  // a sent e-mail is history
        std::vector<core::Id> added;
        if (in.mentions) {
            auto active = store::ActiveUsers(sql, a.workspace_id, act.mentions);
            if (active.size() != std::set<core::Id>(act.mentions.begin(), act.mentions.end()).size())
                errors.push_back({"mentions", "invalid", ""});
            for (core::Id u : active)
                if (std::find(old_mentions.begin(), old_mentions.end(), u) == old_mentions.end()) added.push_back(u);
        }
        if (!errors.empty()) return Fields(std::move(errors));
        if (in.done && *in.done != found->done) {
            act.done = *in.done;
            act.done_at = act.done ? std::optional<core::Millis>(now) : std::nullopt;
            act.done_by = act.done ? std::optional<core::Id>(a.user_id) : std::nullopt;
        }
        if (in.set_due || in.owner_user_id) act.escalated_at.reset(), act.escalated_to.reset();
        act.at = TimelineAt(act, act.at);
        act.updated_at = now;
        store::UpdateActivity(sql, act);
        if (act.kind == "meeting" && in.participants) store::ReplaceParticipants(sql, act);
        if (act.kind == "task" && in.checklist) store::ReplaceChecklist(sql, act);
        events::WriteAudit(sql, a, now,
                           {in.done && *in.done && !found->done ? "activity.complete" : "activity.update", "activity",
                            act.id, before, Snapshot(act)});
        AfterWrite(sql, act, added, a, now);
        return *store::SelectActivity(sql, a.workspace_id, act.id);
    });
    if (r && after_commit_) after_commit_();
    return r;
}

core::Result<Activity> ActivitiesService::SetChecklistItem(const core::Actor& a, core::Id id, core::Id item_id,
                                                           bool done) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Activity> {
        const auth::Visibility vis = Vis(sql, a);
        auto act = store::SelectActivity(sql, a.workspace_id, id);
        if (!act || act->deleted_at || act->kind != "task" || !CanReadInTx(sql, vis, *act)) return NotFound();
        if (!CanWrite(sql, vis, *act)) return Error::Of(ErrorCode::kForbidden, "activities.write_forbidden");
        bool found = false;
        for (auto& c : act->checklist) {
            if (c.id != item_id) continue;
            found = true;
            if (c.done == done) break;
            c.done = done;
            c.done_at = done ? std::optional<core::Millis>(now) : std::nullopt;
            c.done_by = done ? std::optional<core::Id>(a.user_id) : std::nullopt;
        }
        if (!found) return NotFound();
        store::ReplaceChecklist(sql, *act);
        act->updated_at = now;
        store::UpdateActivity(sql, *act);
        events::WriteAudit(
            sql, a, now,
            {"activity.checklist", "activity", id, std::nullopt, json::object{{"item_id", item_id}, {"done", done}}});
        return *store::SelectActivity(sql, a.workspace_id, id);
    });
}

core::Result<Activity> ActivitiesService::Delete(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Activity> {
        const auth::Visibility vis = Vis(sql, a);
        auto act = store::SelectActivity(sql, a.workspace_id, id);
        if (!act || act->deleted_at || !CanReadInTx(sql, vis, *act)) return NotFound();
        if (!vis.Can(Action::kDelete, "activity") && !(act->created_by && *act->created_by == a.user_id))
            return Error::Of(ErrorCode::kForbidden, "activities.write_forbidden");
        if (!CanWrite(sql, vis, *act)) return Error::Of(ErrorCode::kForbidden, "activities.write_forbidden");
        const json::object before = Snapshot(*act);
        act->deleted_at = now;
        act->updated_at = now;
        store::UpdateActivity(sql, *act);
        jobs::JobStore::CancelPending(sql, a.workspace_id, kEscalationJob, "task:" + std::to_string(id), now);
        events::WriteAudit(sql, a, now, {"activity.delete", "activity", id, before, Snapshot(*act)});
        return *act;
    });
}

core::Result<Activity> ActivitiesService::Get(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<Activity> {
        const auth::Visibility vis = Vis(sql, a);
        auto act = store::SelectActivity(sql, a.workspace_id, id);
        if (!act || act->deleted_at || !CanReadInTx(sql, vis, *act)) return NotFound();
        return *act;
    });
}

core::Result<ActivityPage> ActivitiesService::Timeline(const core::Actor& a, const std::string& record_type,
                                                       core::Id record_id, const std::optional<std::string>& kind,
                                                       const std::optional<std::string>& cursor, int limit) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (std::find(RecordTypes().begin(), RecordTypes().end(), record_type) == RecordTypes().end()) return NotFound();
    if (kind && std::find(Kinds().begin(), Kinds().end(), *kind) == Kinds().end())
        return Error{ErrorCode::kBadRequest, {}, {{"kind", "not_one_of", "call, meeting, task, email, sms, note"}}, 0};
    std::optional<store::Cursor> before;
    if (cursor) {
        before = DecodeCursor(*cursor);
        if (!before) return BadCursor();
    }
    limit = std::clamp(limit, 1, kMaxPage);
    return db_.Read([&](soci::session& sql) -> core::Result<ActivityPage> {
        const auth::Visibility vis = Vis(sql, a);
        if (!vis.Can(Action::kRead, "activity")) return NotFound();
        const auth::Predicate rec = vis.Read("r");
        if (!store::RecordVisible(sql, record_type, record_id, rec)) return NotFound();
        ActivityPage page;
        page.items = store::ListByRecord(sql, a.workspace_id, record_type, record_id, before, kind, limit + 1);
        if (static_cast<int>(page.items.size()) > limit) {
            page.items.resize(limit);
            page.next_cursor = EncodeCursor({page.items.back().at, page.items.back().id});
        }
        return page;
    });
}

core::Result<ActivityPage> ActivitiesService::Tasks(const core::Actor& a, const TaskQuery& q) {
    OTDEL_TRY_VOID(SignedIn(a));
    std::optional<store::Cursor> after;
    if (q.cursor) {
        after = DecodeCursor(*q.cursor);
        if (!after) return BadCursor();
    }
    const int limit = std::clamp(q.limit, 1, kMaxPage);
    return db_.Read([&](soci::session& sql) -> core::Result<ActivityPage> {
        const auth::Visibility vis = Vis(sql, a);
        if (!vis.Can(Action::kRead, "activity")) return Error::Of(ErrorCode::kForbidden);
        store::TaskFilter f;
        f.status = q.status;
        if (q.overdue_only) f.due_before = clock_.NowMs();
        if (q.scope == "mine") {
            f.owners = {a.user_id};
        } else if (q.scope != "team") {
            char* end = nullptr;
            const long long uid = std::strtoll(q.scope.c_str(), &end, 10);
            if (q.scope.empty() || *end != '\0' || uid < 1)
                return Error{ErrorCode::kBadRequest, {}, {{"scope", "not_one_of", "mine, team, <user id>"}}, 0};
            if (!InScopeInTx(sql, vis, uid) && !store::PersonVisible(sql, uid, vis.Read("e", "user_id")))
                return NotFound();
            f.owners = {uid};
        }
        // Team: every assignee the caller sees by the org tree.
        const auth::Predicate visible = vis.Read("a");
        ActivityPage page;
        page.items = store::ListTasks(sql, f, visible, after, limit + 1);
        if (static_cast<int>(page.items.size()) > limit) {
            page.items.resize(limit);
            const Activity& last = page.items.back();
            const core::Millis key =
                q.status == "done" ? last.done_at.value_or(0) : last.due_at.value_or(9000000000000000LL);
            page.next_cursor = EncodeCursor({key, last.id});
        }
        return page;
    });
}

core::Result<Activity> ActivitiesService::UploadRecording(const core::Actor& a, core::Id id,
                                                          const std::string& file_name, const std::string& bytes) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (bytes.size() > kMaxRecordingBytes)
        return Error::Of(ErrorCode::kPayloadTooLarge, "activities.recording_too_big");
    if (bytes.empty()) return Error::Field("recording", "required");
    const auto type = SniffAudio(bytes);
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Activity> {
        const auth::Visibility vis = Vis(sql, a);
        auto act = store::SelectActivity(sql, a.workspace_id, id);
        if (!act || act->deleted_at || !CanReadInTx(sql, vis, *act)) return NotFound();
        if (!CanWrite(sql, vis, *act)) return Error::Of(ErrorCode::kForbidden, "activities.write_forbidden");
        if (act->kind != "call" && act->kind != "meeting") return Error::Field("kind", "invalid");
        if (!type) return Error::Field("recording", "not_audio");
        const json::object before = Snapshot(*act);
        act->recording_file_id =
            store::InsertFile(sql, a.workspace_id, *type, file_name.substr(0, 200), bytes, a.user_id, now);
        act->updated_at = now;
        store::UpdateActivity(sql, *act);
        events::WriteAudit(
            sql, a, now,
            {"activity.recording", "activity", id, before,
             json::object{
                 {"file_id", *act->recording_file_id}, {"content_type", *type}, {"size_bytes", bytes.size()}}});
        return *act;
    });
}

core::Result<FileBody> ActivitiesService::Recording(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<FileBody> {
        const auth::Visibility vis = Vis(sql, a);
        auto act = store::SelectActivity(sql, a.workspace_id, id);
        if (!act || act->deleted_at || !CanReadInTx(sql, vis, *act) || !act->recording_file_id) return NotFound();
        auto f = store::SelectFile(sql, a.workspace_id, *act->recording_file_id);
        if (!f) return NotFound();
        return FileBody{f->content_type, f->file_name, f->sha256, std::move(f->bytes)};
    });
}

core::Result<Activity> ActivitiesService::ImportEmail(const core::Actor& a, const std::string& raw) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (raw.size() > kMaxEmailBytes) return Error::Of(ErrorCode::kPayloadTooLarge);
    const intake::MailMessage m = intake::ParseMail(raw);
    if (raw.empty() || !m.parsed || m.from_email.empty()) return Error::Field("message", "broken_mime");
    const core::Millis now = clock_.NowMs();
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<Activity> {
        const auth::Visibility vis = Vis(sql, a);
        if (!vis.Can(Action::kCreate, "activity")) return Error::Of(ErrorCode::kForbidden);
        if (!m.message_id.empty())
            if (auto id = store::ActivityByRef(sql, a.workspace_id, "import", m.message_id)) {
                auto act = store::SelectActivity(sql, a.workspace_id, *id);
                if (act && CanReadInTx(sql, vis, *act)) return *act;
            }
        // An open lead first (the request in work), then the company, then the person.
        std::optional<clients::store::Match> best;
        const auth::Predicate rec = vis.Read("r");
        auto rank = [](const std::string& t) { return t == "lead" ? 0 : t == "company" ? 1 : 2; };
        for (const auto& match : clients::ClientsService::FindByContactPoints(sql, a.workspace_id, {}, {m.from_email}))
            if ((!best || rank(match.type) < rank(best->type)) && store::RecordVisible(sql, match.type, match.id, rec))
                best = match;
        if (!best) return Error::Field("message", "unknown_sender", m.from_email);
        Activity act;
        act.workspace_id = a.workspace_id;
        act.kind = "email";
        act.source = "import";
        act.created_by = a.user_id;
        act.owner_user_id = a.user_id;
        if (auto facts = store::FactsOf(sql, a.workspace_id, best->type, best->id)) {
            act.company_id = facts->company_id;
            act.contact_id = facts->contact_id;
        }
        if (best->type == "lead") act.lead_id = best->id;
        act.email_direction = "in";
        act.email_status = "received";
        act.email_from = m.from_name.empty() ? m.from_email : m.from_name + " <" + m.from_email + ">";
        if (!m.message_id.empty()) {
            act.email_message_id = m.message_id;
            act.external_ref = m.message_id;
        }
        act.subject = m.subject.substr(0, 4 * kMaxSubject);
        act.body = m.text.substr(0, 4 * kMaxBody);
        act.done = true;
        act.at = m.date > 0 ? m.date : now;
        act.created_at = now;
        act.updated_at = now;
        act.id = store::InsertActivity(sql, act);
        events::WriteAudit(sql, a, now, {"activity.create", "activity", act.id, std::nullopt, Snapshot(act)});
        if (act.deal_id) store::TouchDeal(sql, a.workspace_id, *act.deal_id, now);
        return *store::SelectActivity(sql, a.workspace_id, act.id);
    });
    return r;
}

std::map<std::string, std::string> ActivitiesService::PlaceholderValues(soci::session& sql, const Activity& act) {
    std::map<std::string, std::string> v;
    const core::Id ws = act.workspace_id;
    if (act.company_id) v["client.name"] = store::CompanyName(sql, ws, *act.company_id);
    if (act.contact_id) {
        const std::string name = store::ContactName(sql, ws, *act.contact_id);
        v["contact.name"] = name;
        // "Фамилия Имя Отчество": the first name is the second word when there are three.
        std::vector<std::string> words;
        std::size_t i = 0;
        while (i < name.size()) {
            const std::size_t sp = name.find(' ', i);
            words.push_back(name.substr(i, sp == std::string::npos ? std::string::npos : sp - i));
            if (sp == std::string::npos) break;
            i = sp + 1;
        }
        v["contact.first_name"] = words.size() >= 2 ? words[1] : name;
        if (!act.company_id) v["client.name"] = name;
    }
    if (act.deal_id)
        if (auto f = store::FactsOf(sql, ws, "deal", *act.deal_id)) v["deal.title"] = f->title;
    if (act.owner_user_id)
        if (auto u = store::UserOf(sql, ws, *act.owner_user_id)) {
            v["user.name"] = u->full_name;
            v["user.email"] = u->email;
        }
    v["today"] = org::store::WorkspaceToday(sql, ws, clock_.NowMs());
    return v;
}

core::Result<std::pair<std::string, std::string>> ActivitiesService::Preview(const core::Actor& a, core::Id template_id,
                                                                             const std::string& record_type,
                                                                             core::Id record_id) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (std::find(RecordTypes().begin(), RecordTypes().end(), record_type) == RecordTypes().end()) return NotFound();
    return db_.Read([&](soci::session& sql) -> core::Result<std::pair<std::string, std::string>> {
        const auth::Visibility vis = Vis(sql, a);
        const auth::Predicate rec = vis.Read("r");
        if (!store::RecordVisible(sql, record_type, record_id, rec)) return NotFound();
        auto t = store::SelectTemplate(sql, a.workspace_id, template_id);
        if (!t) return NotFound();
        auto facts = store::FactsOf(sql, a.workspace_id, record_type, record_id);
        Activity act;
        act.workspace_id = a.workspace_id;
        act.owner_user_id = a.user_id;
        if (facts) {
            act.company_id = facts->company_id;
            act.contact_id = facts->contact_id;
        }
        if (record_type == "deal") act.deal_id = record_id;
        const auto values = PlaceholderValues(sql, act);
        return std::make_pair(RenderTemplate(t->subject, values), RenderTemplate(t->body, values));
    });
}

void ActivitiesService::SendEmail(const core::Actor& a, Activity& act) {
    std::optional<store::EmailAccount> acc = db_.Read(
        [&](soci::session& sql) { return store::SelectAccount(sql, act.workspace_id, *act.email_account_id); });
    core::Result<void> sent = Error::Of(ErrorCode::kUnavailable);
    if (acc && mailer_factory_) {
        auto mailer = mailer_factory_(*acc);
        std::string to, cc;
        for (const auto& t : act.email_to) to += (to.empty() ? "" : ", ") + t;
        for (const auto& c : act.email_cc) cc += (cc.empty() ? "" : ", ") + c;
        sent = mailer->Send(mail::OutgoingMail{to, act.subject, act.body, cc});
    }
    const core::Millis now = clock_.NowMs();
    db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const json::object before = Snapshot(act);
        act.email_status = sent ? "sent" : "failed";
        if (!sent) act.email_error = sent.error().message_key.empty() ? "smtp" : sent.error().message_key;
        act.at = now;
        act.updated_at = now;
        store::UpdateActivity(sql, act);
        events::WriteAudit(
            sql, a, now,
            {sent ? "activity.email_sent" : "activity.email_failed", "activity", act.id, before, Snapshot(act)});
        if (sent) AfterWrite(sql, act, {}, a, now);
        return core::Ok();
    });
}

void ActivitiesService::SendSms(const core::Actor& a, Activity& act) {
    auto sent = sms_->Send(*act.sms_phone, act.body);
    const core::Millis now = clock_.NowMs();
    db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const json::object before = Snapshot(act);
        act.sms_status = sent ? "sent" : "failed";
        if (!sent) act.sms_error = sent.error().message_key.empty() ? "provider" : sent.error().message_key;
        act.updated_at = now;
        store::UpdateActivity(sql, act);
        events::WriteAudit(
            sql, a, now,
            {sent ? "activity.sms_sent" : "activity.sms_failed", "activity", act.id, before, Snapshot(act)});
        if (sent) AfterWrite(sql, act, {}, a, now);
        return core::Ok();
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Jobs

void ActivitiesService::AttachScheduler(jobs::Scheduler& scheduler) {
    scheduler.Register(kEscalationJob, [this](const jobs::JobContext& ctx) { return HandleEscalation(ctx); });
    scheduler.Register(kFetchRecordingJob, [this](const jobs::JobContext& ctx) { return HandleFetchRecording(ctx); });
}

core::Result<void> ActivitiesService::HandleEscalation(const jobs::JobContext& ctx) {
    const core::Id ws = ctx.job.workspace_id;
    const json::object& p = ctx.job.payload;
    const auto* id = p.if_contains("activity_id");
    if (!id || !id->is_int64()) return core::Ok();
    bool notified = false;
    db_.InTx([&](soci::session& sql) -> core::Result<void> {
        auto act = store::SelectActivity(sql, ws, id->as_int64());
        if (!act || act->kind != "task" || act->done || act->deleted_at || act->escalated_at || !act->owner_user_id)
            return core::Ok();
        const Settings s = store::SelectSettings(sql, ws);
        auto due = EscalationAt(*act, s.escalation_delay_minutes);
        if (!due || *due > ctx.now) {  // moved later since the job was set: wait for the new time
            ScheduleEscalation(sql, *act, ctx.now);
            return core::Ok();
        }
        const org::OrgSnapshot snap = org::store::LoadSnapshot(sql, ws);
        const auto manager = org::EffectiveManager(snap, *act->owner_user_id);
        const json::object before = Snapshot(*act);
        act->escalated_at = ctx.now;
        act->escalated_to = manager;
        act->updated_at = ctx.now;
        store::UpdateActivity(sql, *act);
        events::WriteAudit(sql, core::Actor::System(ws), ctx.now,
                           {"activity.escalate", "activity", act->id, before,
                            json::object{{"escalated_to", manager ? json::value(*manager) : json::value(nullptr)},
                                         {"escalated_at", ctx.now}}});
        std::string assignee;
        if (auto u = store::UserOf(sql, ws, *act->owner_user_id)) assignee = u->full_name;
        const json::object params{
            {"activity_id", act->id}, {"subject", act->subject}, {"assignee", assignee}, {"due_at", *act->due_at}};
        if (manager)
            events::Notify(sql, ws, *manager, "activities.task_escalated", params, "/tasks?scope=team", ctx.now);
        events::Notify(sql, ws, *act->owner_user_id, "activities.task_overdue", params, "/tasks", ctx.now);
        notified = true;
        return core::Ok();
    });
    if (notified && after_commit_) after_commit_();
    return core::Ok();
}

core::Result<void> ActivitiesService::HandleFetchRecording(const jobs::JobContext& ctx) {
    const core::Id ws = ctx.job.workspace_id;
    const auto* id = ctx.job.payload.if_contains("activity_id");
    if (!id || !id->is_int64()) return core::Ok();
    auto act = db_.Read([&](soci::session& sql) { return store::SelectActivity(sql, ws, id->as_int64()); });
    if (!act || act->recording_file_id || !act->recording_url) return core::Ok();
    const Settings s = db_.Read([&](soci::session& sql) { return store::SelectSettings(sql, ws); });
    // The allow-list is read again: a host removed since the call came in is not fetched.
    if (!RecordingHostAllowed(*act->recording_url, s.recording_hosts) || !fetcher_) return core::Ok();
    auto bytes = fetcher_(*act->recording_url, kMaxRecordingBytes);
    if (!bytes) return bytes.error();  // the scheduler retries with back-off
    const auto type = SniffAudio(*bytes);
    db_.InTx([&](soci::session& sql) -> core::Result<void> {
        auto fresh = store::SelectActivity(sql, ws, act->id);
        if (!fresh || fresh->recording_file_id) return core::Ok();
        if (!type) {
            spdlog::warn("activities: recording of activity {} from {} is not audio; kept as a URL", act->id,
                         *act->recording_url);
            return core::Ok();
        }
        const std::string name = "call-" + std::to_string(act->id);
        fresh->recording_file_id = store::InsertFile(sql, ws, *type, name, *bytes, std::nullopt, ctx.now);
        fresh->updated_at = ctx.now;
        store::UpdateActivity(sql, *fresh);
        events::WriteAudit(sql, core::Actor::System(ws), ctx.now,
                           {"activity.recording", "activity", act->id, std::nullopt,
                            json::object{{"file_id", *fresh->recording_file_id}, {"url", *act->recording_url}}});
        return core::Ok();
    });
    return core::Ok();
}

// ---------------------------------------------------------------------------------------------------------------
// Intake

void ActivitiesService::OnInboundInTx(soci::session& sql, const leads::IncomingLead& in,
                                      const leads::IntakeOutcome& out) {
    const bool call = in.event_kind.rfind("call_", 0) == 0;
    const bool email = in.event_kind == "email_in";
    if ((!call && !email) || out.kind == leads::IntakeKind::kDuplicateDelivery) return;
    if (!out.lead_id && !out.company_id && !out.contact_id) return;
    const core::Id ws = in.workspace_id;
    const core::Millis now = clock_.NowMs();
    const std::string source = call ? "telephony" : "imap";
    if (in.external_ref && !in.external_ref->empty() && store::ActivityByRef(sql, ws, source, *in.external_ref)) return;
    Activity act;
    act.workspace_id = ws;
    act.kind = call ? "call" : "email";
    act.source = source;
    if (in.external_ref && !in.external_ref->empty()) act.external_ref = in.external_ref;
    act.lead_id = out.lead_id;
    act.company_id = out.company_id;
    act.contact_id = out.contact_id;
    act.at = in.occurred_at > 0 ? in.occurred_at : now;
    act.created_at = now;
    act.updated_at = now;
    act.done = true;
    // Whose it is: the lead's or the client's owner (routing has already run for a new lead).
    const std::string rec_type = out.lead_id ? "lead" : (out.company_id ? "company" : "contact");
    const core::Id rec_id = out.lead_id ? *out.lead_id : (out.company_id ? *out.company_id : *out.contact_id);
    if (auto facts = store::FactsOf(sql, ws, rec_type, rec_id)) act.owner_user_id = facts->owner_user_id;
    auto str = [&](const char* key) -> std::optional<std::string> {
        if (auto* v = in.payload.if_contains(key); v && v->is_string()) return std::string(v->as_string());
        return std::nullopt;
    };
    auto num = [&](const char* key) -> std::optional<long long> {
        if (auto* v = in.payload.if_contains(key)) {
            if (v->is_int64()) return v->as_int64();
            if (v->is_double()) return static_cast<long long>(v->as_double());
        }
        return std::nullopt;
    };
    if (call) {
        act.call_direction = str("direction").value_or("in") == "out" ? "out" : "in";
        act.call_outcome = in.event_kind == "call_missed" ? "missed" : "answered";
        if (auto o = str("outcome");
            o && std::find(CallOutcomes().begin(), CallOutcomes().end(), *o) != CallOutcomes().end())
            act.call_outcome = *o;
        act.call_duration_s = num("duration_s");
        if (!act.call_duration_s) act.call_duration_s = num("duration");
        if (act.call_duration_s) act.call_duration_s = std::clamp<long long>(*act.call_duration_s, 0, kMaxCallSeconds);
        if (!in.phones.empty()) {
            auto p = clients::NormalizePhone(in.phones.front());
            act.call_phone = p ? p->e164 : in.phones.front();
        }
        act.starts_at = act.at;
        if (act.call_duration_s) act.ends_at = act.at + *act.call_duration_s * 1000;
        act.recording_url = str("recording_url");
        if (act.recording_url && (act.recording_url->empty() || act.recording_url->size() > kMaxUrl))
            act.recording_url.reset();
        act.subject = in.event_kind == "call_missed" ? "Пропущенный звонок" : "Входящий звонок";
        act.body = in.request_text.substr(0, kMaxBody);
    } else {
        act.email_direction = "in";
        act.email_status = "received";
        if (!in.emails.empty()) act.email_from = in.emails.front();
        act.email_message_id = in.external_ref;
        act.subject = str("subject").value_or(in.title).substr(0, kMaxSubject * 2);
        act.body = in.request_text.substr(0, kMaxBody);
    }
    act.id = store::InsertActivity(sql, act);
    events::WriteAudit(sql, core::Actor::System(ws), now,
                       {"activity.create", "activity", act.id, std::nullopt, Snapshot(act)});
    if (act.recording_url) {
        const Settings s = store::SelectSettings(sql, ws);
        if (RecordingHostAllowed(*act.recording_url, s.recording_hosts)) {
            jobs::JobSpec spec;
            spec.workspace_id = ws;
            spec.kind = kFetchRecordingJob;
            spec.payload = json::object{{"activity_id", act.id}};
            spec.run_at = now;
            spec.dedupe_key = "activity:" + std::to_string(act.id);
            spec.max_attempts = 6;
            jobs::JobStore::Schedule(sql, spec, now);
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Settings

core::Result<void> ActivitiesService::CanManageSettings(soci::session& sql, const core::Actor& a) const {
    OTDEL_TRY_VOID(SignedIn(a));
    const auth::Visibility vis = Vis(sql, a);
    if (vis.caller().unrestricted || vis.Can(Action::kUpdate, "org")) return core::Ok();
    return Error::Of(ErrorCode::kForbidden);
}

core::Result<Settings> ActivitiesService::GetSettings(const core::Actor& a) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<Settings> {
        const auth::Visibility vis = Vis(sql, a);
        if (vis.scope() == auth::Scope::kNone && !vis.caller().unrestricted) return Error::Of(ErrorCode::kForbidden);
        return store::SelectSettings(sql, a.workspace_id);
    });
}

core::Result<Settings> ActivitiesService::PutSettings(const core::Actor& a, const Settings& s) {
    std::vector<core::FieldError> errors;
    for (std::size_t i = 0; i < s.first_response_kinds.size(); ++i)
        if (std::find(Kinds().begin(), Kinds().end(), s.first_response_kinds[i]) == Kinds().end())
            errors.push_back(
                {"first_response_kinds/" + std::to_string(i), "not_one_of", "call, meeting, task, email, sms, note"});
    if (s.escalation_delay_minutes < 0 || s.escalation_delay_minutes > 60 * 24 * 30)
        errors.push_back({"escalation_delay_minutes", "out_of_range", "0..43200"});
    if (s.recording_hosts.size() > 20) errors.push_back({"recording_hosts", "too_many", "20"});
    for (std::size_t i = 0; i < s.recording_hosts.size(); ++i) {
        const auto& h = s.recording_hosts[i];
        const bool ok = !h.empty() && h.size() <= 253 && std::all_of(h.begin(), h.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
        });
        if (!ok) errors.push_back({"recording_hosts/" + std::to_string(i), "invalid", ""});
    }
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Settings> {
        OTDEL_TRY_VOID(CanManageSettings(sql, a));
        if (!errors.empty()) return Fields(errors);
        const Settings before = store::SelectSettings(sql, a.workspace_id);
        store::UpsertSettings(sql, a.workspace_id, s, now);
        auto arr = [](const std::vector<std::string>& v) {
            json::array out;
            for (const auto& x : v) out.emplace_back(x);
            return out;
        };
        events::WriteAudit(sql, a, now,
                           {"activity_settings.update", "workspace", a.workspace_id,
                            json::object{{"first_response_kinds", arr(before.first_response_kinds)},
                                         {"escalation_delay_minutes", before.escalation_delay_minutes},
                                         {"recording_hosts", arr(before.recording_hosts)}},
                            json::object{{"first_response_kinds", arr(s.first_response_kinds)},
                                         {"escalation_delay_minutes", s.escalation_delay_minutes},
                                         {"recording_hosts", arr(s.recording_hosts)}}});
        return store::SelectSettings(sql, a.workspace_id);
    });
}

core::Result<std::vector<store::EmailAccount>> ActivitiesService::Accounts(const core::Actor& a) {
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<store::EmailAccount>> {
        OTDEL_TRY_VOID(CanManageSettings(sql, a));
        return store::SelectAccounts(sql, a.workspace_id);
    });
}

core::Result<store::EmailAccount> ActivitiesService::SaveAccount(const core::Actor& a, std::optional<core::Id> id,
                                                                 const store::EmailAccount& in) {
    std::vector<core::FieldError> errors;
    if (in.from_address.empty()) errors.push_back({"from_address", "required", ""});
    const bool smtp = in.smtp_url.rfind("smtp://", 0) == 0 || in.smtp_url.rfind("smtps://", 0) == 0;
    if (!smtp) errors.push_back({"smtp_url", "invalid", "smtp://host:port"});
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<store::EmailAccount> {
        OTDEL_TRY_VOID(CanManageSettings(sql, a));
        if (in.user_id && store::ActiveUsers(sql, a.workspace_id, {*in.user_id}).empty())
            errors.push_back({"user_id", "invalid", ""});
        if (!errors.empty()) return Fields(errors);
        store::EmailAccount acc = in;
        if (id) {
            auto old = store::SelectAccount(sql, a.workspace_id, *id);
            if (!old) return NotFound();
            acc.id = *id;
            acc.user_id = old->user_id;
            if (acc.smtp_password.empty()) acc.smtp_password = old->smtp_password;  // not sent back: kept
            store::UpdateAccount(sql, a.workspace_id, acc, now);
        } else {
            acc.id = store::InsertAccount(sql, a.workspace_id, acc, now);
        }
        events::WriteAudit(
            sql, a, now,
            {id ? "email_account.update" : "email_account.create", "email_account", acc.id, std::nullopt,
             json::object{{"from_address", acc.from_address}, {"smtp_url", acc.smtp_url}, {"active", acc.active}}});
        return *store::SelectAccount(sql, a.workspace_id, acc.id);
    });
}

core::Result<std::vector<store::Template>> ActivitiesService::Templates(const core::Actor& a, bool include_archived) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<store::Template>> {
        const auth::Visibility vis = Vis(sql, a);
        if (!vis.Can(Action::kRead, "activity")) return Error::Of(ErrorCode::kForbidden);
        return store::SelectTemplates(sql, a.workspace_id, include_archived);
    });
}

core::Result<store::Template> ActivitiesService::SaveTemplate(const core::Actor& a, std::optional<core::Id> id,
                                                              const store::Template& in) {
    std::vector<core::FieldError> errors;
    if (in.name.empty()) errors.push_back({"name", "required", ""});
    if (in.body.empty()) errors.push_back({"body", "required", ""});
    if (in.channel != "email" && in.channel != "sms") errors.push_back({"channel", "not_one_of", "email, sms"});
    if (in.channel == "email" && in.subject.empty()) errors.push_back({"subject", "required", ""});
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<store::Template> {
        OTDEL_TRY_VOID(CanManageSettings(sql, a));
        if (!errors.empty()) return Fields(errors);
        store::Template t = in;
        if (t.archived_at) t.archived_at = now;
        if (id) {
            auto old = store::SelectTemplate(sql, a.workspace_id, *id);
            if (!old) return NotFound();
            t.id = *id;
            store::UpdateTemplate(sql, a.workspace_id, t, now);
        } else {
            t.id = store::InsertTemplate(sql, a.workspace_id, t, a.user_id, now);
        }
        events::WriteAudit(sql, a, now,
                           {id ? "template.update" : "template.create", "activity_template", t.id, std::nullopt,
                            json::object{{"name", t.name}, {"channel", t.channel}}});
        return *store::SelectTemplate(sql, a.workspace_id, t.id);
    });
}

}  // namespace otdel::activities
