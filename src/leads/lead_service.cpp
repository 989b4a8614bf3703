#include "leads/lead_service.hpp"

#include <boost/json.hpp>
#include <set>

#include "auth/account.hpp"
#include "auth/visibility.hpp"
#include "clients/normalize.hpp"
#include "events/audit.hpp"
#include "http/json.hpp"
#include "leads/lead_codec.hpp"
#include "leads/lead_store.hpp"
#include "org/work_calendar.hpp"

namespace otdel::leads {
namespace json = boost::json;
using auth::Action;
using core::Error;
using core::ErrorCode;

namespace {

Error NotFound() {
    return Error::Of(ErrorCode::kNotFound);
}

std::string TodayIn(soci::session& sql, core::Id ws, core::Millis now_ms) {
    return org::LocalDateText(store::WorkspaceTimeZone(sql, ws), now_ms);
}

core::Result<bool> RequireSignedIn(const core::Actor& a) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    return true;
}

std::optional<core::Id> ActorUser(const core::Actor& a) {
    return a.user_id ? std::optional<core::Id>(a.user_id) : std::nullopt;
}

// Normalises typed phones/e-mails; every bad one is a field error "phones/<i>" / "emails/<i>" (the i-th of its kind).
std::vector<LeadPoint> CheckPoints(const std::vector<PointInput>& in, std::vector<core::FieldError>& errors) {
    std::vector<LeadPoint> out;
    std::set<std::string> seen;
    bool first_phone = true, first_email = true;
    int phone_i = 0, email_i = 0;
    for (const auto& p : in) {
        if (p.kind == "phone") {
            const std::string field = "phones/" + std::to_string(phone_i++);
            auto n = clients::NormalizePhone(p.raw);
            if (!n) {
                errors.push_back({field, "invalid_phone", ""});
                continue;
            }
            if (!seen.insert("phone:" + n->e164).second) continue;
            out.push_back({0, "phone", p.label.empty() ? "mobile" : p.label, p.raw, n->e164, first_phone});
            first_phone = false;
        } else {
            const std::string field = "emails/" + std::to_string(email_i++);
            auto n = clients::NormalizeEmail(p.raw);
            if (!n) {
                errors.push_back({field, "invalid_email", ""});
                continue;
            }
            if (!seen.insert("email:" + *n).second) continue;
            out.push_back({0, "email", p.label.empty() ? "work" : p.label, p.raw, *n, first_email});
            first_email = false;
        }
    }
    return out;
}

bool ValidCustom(const std::string& text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    return !ec && v.is_object();
}

void ReplacePoints(soci::session& sql, Lead& l, const std::vector<LeadPoint>& points, core::Millis now) {
    long long ws = l.workspace_id, id = l.id;
    sql << "DELETE FROM contact_points WHERE workspace_id = :ws AND subject_type = 'lead' AND subject_id = :id",
        soci::use(ws, "ws"), soci::use(id, "id");
    for (const auto& p : points) store::InsertPoint(sql, l.workspace_id, l.id, p, now);
    l.points = store::SelectPoints(sql, l.workspace_id, l.id);
}

}  // namespace

std::string EncodeLeadCursor(int score, core::Id id) {
    // One integer keeps the cursor opaque and short: ids stay far below 10^15.
    return http::EncodeCursor(static_cast<std::int64_t>(score) * 1'000'000'000'000'000LL + id);
}

std::optional<std::pair<int, core::Id>> DecodeLeadCursor(const std::string& cursor) {
    auto v = http::DecodeCursor(cursor);
    if (!v || *v < 0) return std::nullopt;
    const int score = static_cast<int>(*v / 1'000'000'000'000'000LL);
    const core::Id id = *v % 1'000'000'000'000'000LL;
    if (score > 100 || id <= 0) return std::nullopt;
    return std::pair{score, id};
}

LeadService::LeadService(db::Database& db, const core::Clock& clock, clients::ClientsService& clients,
                         LeadIntake& intake)
    : db_(db), clock_(clock), clients_(clients), intake_(intake) {}

core::Result<LeadPage> LeadService::List(const core::Actor& a, const LeadQuery& q) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    store::ListFilter f;
    if (q.statuses.empty()) {
        f.statuses = {"new", "in_work", "qualified"};
    } else if (!(q.statuses.size() == 1 && q.statuses[0] == "all")) {
        for (const auto& s : q.statuses) {
            const auto& all = Statuses();
            if (std::find(all.begin(), all.end(), s) == all.end())
                return Error{ErrorCode::kBadRequest,
                             {},
                             {{"status", "not_one_of", "new, in_work, qualified, converted, junk, all"}},
                             0};
            f.statuses.push_back(s);
        }
    }
    if (q.channel) {
        const auto& all = Channels();
        if (std::find(all.begin(), all.end(), *q.channel) == all.end())
            return Error{ErrorCode::kBadRequest,
                         {},
                         {{"channel", "not_one_of", "form, email, phone, telegram, webhook, manual, import"}},
                         0};
        f.channel = q.channel;
    }
    if (q.owner) {
        if (*q.owner == "none") {
            f.owner_none = true;
        } else if (*q.owner == "me") {
            f.owner_user_id = a.user_id;
        } else {
            try {
                std::size_t used = 0;
                long long v = std::stoll(*q.owner, &used);
                if (used != q.owner->size() || v < 1) throw std::invalid_argument("owner");
                f.owner_user_id = v;
            } catch (...) {
                return Error{ErrorCode::kBadRequest, {}, {{"owner", "invalid", ""}}, 0};
            }
        }
    }
    f.form_id = q.form_id;
    f.created_from = q.created_from;
    f.created_to = q.created_to;
    f.deleted = q.deleted;
    if (q.q && !q.q->empty()) {
        const std::string folded = FoldText(*q.q);
        if (auto p = clients::NormalizePhone(*q.q); p && clients::DigitsOnly(*q.q).size() >= 7) {
            // The search document holds every spelling of the phone without '+'.
            f.q_text = p->e164.substr(1);
        } else {
            f.q_text = folded;
        }
    }
    std::optional<store::ListAfter> after;
    if (q.cursor) {
        auto c = DecodeLeadCursor(*q.cursor);
        if (!c) return Error{ErrorCode::kBadRequest, {}, {{"cursor", "invalid", ""}}, 0};
        after = store::ListAfter{c->first, c->second};
    }
    return db_.Read([&](soci::session& sql) -> core::Result<LeadPage> {
        const auth::Visibility vis = auth::BuildVisibility(sql, a, TodayIn(sql, a.workspace_id, clock_.NowMs()));
        if (!vis.Can(Action::kRead, "lead")) return Error::Of(ErrorCode::kForbidden);
        const auth::Predicate visible = vis.Read("l");
        LeadPage page;
        page.items = store::ListLeads(sql, f, after, q.limit + 1, visible);
        if (static_cast<int>(page.items.size()) > q.limit) {
            page.items.resize(q.limit);
            page.next_cursor = EncodeLeadCursor(page.items.back().priority_score, page.items.back().id);
        }
        for (auto& l : page.items) {
            l.points = store::SelectPoints(sql, l.workspace_id, l.id);
            l.sla = store::SelectSla(sql, l.workspace_id, l.id);
        }
        return page;
    });
}

core::Result<Lead> LeadService::Get(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<Lead> {
        const auth::Visibility vis = auth::BuildVisibility(sql, a, TodayIn(sql, a.workspace_id, clock_.NowMs()));
        if (!vis.Can(Action::kRead, "lead")) return NotFound();
        const auth::Predicate visible = vis.Read("l");
        auto l = store::SelectLead(sql, id, visible, true);
        if (!l) return NotFound();
        l->sla = store::SelectSla(sql, l->workspace_id, l->id);
        return *l;
    });
}

core::Result<CreateOutcome> LeadService::Create(const core::Actor& a, const LeadInput& in,
                                                std::optional<core::Id> attach_to) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    std::vector<core::FieldError> errors;
    std::vector<LeadPoint> points = in.points ? CheckPoints(*in.points, errors) : std::vector<LeadPoint>{};
    std::optional<std::string> inn;
    if (in.inn && !in.inn->empty()) {
        const std::string digits = clients::DigitsOnly(*in.inn);
        if (!clients::IsValidInn(digits) || digits.size() != in.inn->size()) {
            errors.push_back({"inn", "invalid_inn", ""});
        } else {
            inn = digits;
        }
    }
    if (in.custom && !ValidCustom(*in.custom)) errors.push_back({"custom", "wrong_type", "object"});
    const bool blank = points.empty() && !in.request_text.value_or("").size() && !in.contact_name.value_or("").size() &&
                       !in.company_name.value_or("").size() && !in.title.value_or("").size();
    if (blank && errors.empty()) errors.push_back({"request_text", "lead_empty", ""});
    if (!errors.empty()) return Error{ErrorCode::kValidation, {}, errors, 0};

    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<CreateOutcome> {
        const auth::Visibility vis = auth::BuildVisibility(sql, a, TodayIn(sql, a.workspace_id, now));
        if (!vis.Can(Action::kCreate, "lead")) return Error::Of(ErrorCode::kForbidden);
        const core::Id ws = a.workspace_id;
        std::optional<core::Id> owner = ActorUser(a);
        if (in.set_owner) {
            owner = in.owner_user_id;
            if (owner && !store::UserActive(sql, ws, *owner)) return Error::Field("owner_user_id", "invalid");
            if (owner != ActorUser(a) && !vis.Can(Action::kAssign, "lead")) return Error::Of(ErrorCode::kForbidden);
        }

        // Duplicates: open leads, companies and contacts with the same phone / e-mail / INN.
        CreateOutcome out;
        std::vector<std::string> phones, emails;
        for (const auto& p : points) (p.kind == "phone" ? phones : emails).push_back(p.value);
        std::vector<clients::store::Match> matches =
            clients::ClientsService::FindByContactPoints(sql, ws, phones, emails);
        if (inn)
            for (auto& m : clients::ClientsService::FindCompanyByInn(sql, ws, *inn)) matches.push_back(std::move(m));
        const auth::Predicate lead_read = vis.Read("l");
        std::set<std::pair<std::string, core::Id>> seen;
        for (const auto& m : matches) {
            if (!seen.insert({m.type, m.id}).second) continue;
            Duplicate d{m.type, m.id, "", m.match, m.value, false};
            if (m.type == "lead") {
                d.visible = store::SelectLead(sql, m.id, lead_read).has_value();
            } else {
                d.visible = vis.Can(Action::kRead, "client") &&
                            (vis.scope() == auth::Scope::kAll || vis.scope() == auth::Scope::kReadAll ||
                             vis.caller().unrestricted || (m.owner_user_id && *m.owner_user_id == a.user_id));
            }
            if (d.visible) d.title = m.title;
            out.duplicates.push_back(std::move(d));
        }

        if (attach_to) {
            const auth::Predicate write = vis.Write("l");
            const auth::Predicate write_upd = vis.Write("leads");
            auto target = store::SelectLead(sql, *attach_to, write);
            if (!target) return Error::Field("attach_to", "invalid");
            if (!IsOpenStatus(target->status)) return Error::Of(ErrorCode::kConflict, "leads.not_open");
            Lead l = *target;
            const json::object before = LeadSnapshot(l);
            const std::string text = in.request_text.value_or("");
            json::object payload{{"request_text", text}, {"contact_name", in.contact_name.value_or("")}};
            clients::ClientsService::AddTimelineEvent(sql, ws, "lead", l.id, "repeat_request", "manual",
                                                      text.empty() ? in.contact_name.value_or("") : text,
                                                      json::serialize(payload), std::nullopt, now, ActorUser(a));
            std::set<std::string> have;
            for (const auto& p : l.points) have.insert(p.kind + ":" + p.value);
            for (auto p : points)
                if (!have.contains(p.kind + ":" + p.value)) {
                    p.is_primary = false;
                    store::InsertPoint(sql, ws, l.id, p, now);
                }
            l.points = store::SelectPoints(sql, ws, l.id);
            l.repeat_count += 1;
            l.last_request_at = now;
            l.updated_at = now;
            Rescore(l, DefaultVocabulary(), text);
            store::UpdateLead(sql, l, write_upd);
            events::WriteAudit(sql, a, now,
                               {"lead.repeat_request", "lead", l.id, before,
                                json::object{{"repeat_count", l.repeat_count}, {"channel", "manual"}}});
            WriteSearchDoc(sql, l, now);
            out.lead = l;
            out.attached = true;
            return out;
        }

        Lead l;
        l.workspace_id = ws;
        l.channel = in.channel.value_or("manual");
        l.request_text = in.request_text.value_or("");
        l.contact_name = in.contact_name.value_or("");
        l.company_name = in.company_name.value_or("");
        l.product = in.product.value_or("");
        l.region = in.region.value_or("");
        l.campaign = in.campaign.value_or("");
        l.inn = inn;
        l.custom = in.custom.value_or("{}");
        l.owner_user_id = owner;
        l.created_by = ActorUser(a);
        l.points = points;
        l.title = in.title && !in.title->empty() ? *in.title
                                                 : MakeTitle(l.request_text, l.contact_name, l.company_name,
                                                             points.empty() ? std::string() : points.front().raw);
        l.last_request_at = now;
        l.created_at = now;
        l.updated_at = now;
        Rescore(l, DefaultVocabulary());
        l.id = store::InsertLead(sql, l);
        for (const auto& p : points) store::InsertPoint(sql, ws, l.id, p, now);
        l.points = store::SelectPoints(sql, ws, l.id);
        events::WriteAudit(sql, a, now, {"lead.create", "lead", l.id, std::nullopt, LeadSnapshot(l)});
        WriteSearchDoc(sql, l, now);
        out.duplicates.erase(std::remove_if(out.duplicates.begin(), out.duplicates.end(),
                                            [&](const Duplicate& d) { return d.type == "lead" && d.id == l.id; }),
                             out.duplicates.end());
        out.lead = l;
        return out;
    });
}

core::Result<Lead> LeadService::Update(const core::Actor& a, core::Id id, const LeadInput& in) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    std::vector<core::FieldError> errors;
    std::optional<std::vector<LeadPoint>> points;
    if (in.points) points = CheckPoints(*in.points, errors);
    std::optional<std::string> inn;
    if (in.set_inn && in.inn && !in.inn->empty()) {
        const std::string digits = clients::DigitsOnly(*in.inn);
        if (!clients::IsValidInn(digits) || digits.size() != in.inn->size()) {
            errors.push_back({"inn", "invalid_inn", ""});
        } else {
            inn = digits;
        }
    }
    if (in.custom && !ValidCustom(*in.custom)) errors.push_back({"custom", "wrong_type", "object"});
    if (in.title && in.title->empty()) errors.push_back({"title", "required", ""});
    if (!errors.empty()) return Error{ErrorCode::kValidation, {}, errors, 0};
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Lead> {
        const auth::Visibility vis = auth::BuildVisibility(sql, a, TodayIn(sql, a.workspace_id, now));
        if (!vis.Can(Action::kUpdate, "lead")) return NotFound();
        const auth::Predicate write = vis.Write("l");
        const auth::Predicate write_upd = vis.Write("leads");
        auto found = store::SelectLead(sql, id, write);
        if (!found || found->merged_into_id) return NotFound();
        Lead l = *found;
        bool owner_changed = false;
        const json::object before = LeadSnapshot(l);
        if (in.title) l.title = *in.title;
        if (in.request_text) l.request_text = *in.request_text;
        if (in.contact_name) l.contact_name = *in.contact_name;
        if (in.company_name) l.company_name = *in.company_name;
        if (in.product) l.product = *in.product;
        if (in.region) l.region = *in.region;
        if (in.campaign) l.campaign = *in.campaign;
        if (in.custom) l.custom = *in.custom;
        if (in.set_inn) l.inn = inn;
        if (in.set_owner && in.owner_user_id != l.owner_user_id) {
            if (!vis.Can(Action::kAssign, "lead")) return Error::Of(ErrorCode::kForbidden);
            if (in.owner_user_id && !store::UserActive(sql, a.workspace_id, *in.owner_user_id))
                return Error::Field("owner_user_id", "invalid");
            l.owner_user_id = in.owner_user_id;
            owner_changed = true;
        }
        if (points) {
            std::vector<LeadPoint> next;
            for (const auto& p : l.points)
                if ((p.kind == "phone" && !in.set_phones) || (p.kind == "email" && !in.set_emails)) next.push_back(p);
            for (const auto& p : *points) next.push_back(p);
            ReplacePoints(sql, l, next, now);
        }
        l.updated_at = now;
        Rescore(l, DefaultVocabulary());
        if (!store::UpdateLead(sql, l, write_upd)) return NotFound();
        events::WriteAudit(sql, a, now, {"lead.update", "lead", l.id, before, LeadSnapshot(l)});
        WriteSearchDoc(sql, l, now);
        if (owner_changed) Emit(sql, l, LeadEvent::kOwnerChanged, a, now);
        return l;
    });
}

core::Result<Lead> LeadService::Delete(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Lead> {
        const auth::Visibility vis = auth::BuildVisibility(sql, a, TodayIn(sql, a.workspace_id, now));
        if (!vis.Can(Action::kDelete, "lead")) return NotFound();
        const auth::Predicate write = vis.Write("l");
        const auth::Predicate write_upd = vis.Write("leads");
        auto found = store::SelectLead(sql, id, write);
        if (!found) return NotFound();
        Lead l = *found;
        l.deleted_at = now;
        l.updated_at = now;
        if (!store::UpdateLead(sql, l, write_upd)) return NotFound();
        events::WriteAudit(sql, a, now, {"lead.delete", "lead", l.id, std::nullopt, std::nullopt});
        Emit(sql, l, LeadEvent::kDeleted, a, now);
        clients::ClientsService::RemoveSearchDoc(sql, a.workspace_id, "lead", l.id);
        return l;
    });
}

core::Result<Lead> LeadService::Restore(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Lead> {
        const auth::Visibility vis = auth::BuildVisibility(sql, a, TodayIn(sql, a.workspace_id, now));
        if (!vis.Can(Action::kDelete, "lead")) return NotFound();
        const auth::Predicate write = vis.Write("l");
        const auth::Predicate write_upd = vis.Write("leads");
        auto found = store::SelectLead(sql, id, write, true);
        if (!found) return NotFound();
        if (!found->deleted_at || found->merged_into_id)
            return Error{ErrorCode::kConflict, {}, {{"id", "not_archived", ""}}, 0};
        Lead l = *found;
        l.deleted_at.reset();
        l.updated_at = now;
        if (!store::UpdateLead(sql, l, write_upd)) return NotFound();
        events::WriteAudit(sql, a, now, {"lead.restore", "lead", l.id, std::nullopt, std::nullopt});
        WriteSearchDoc(sql, l, now);
        return l;
    });
}

core::Result<Lead> LeadService::SetStatus(const core::Actor& a, core::Id id, const std::string& status,
                                          const std::optional<std::string>& junk_reason, const std::string& comment) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Lead> {
        const auth::Visibility vis = auth::BuildVisibility(sql, a, TodayIn(sql, a.workspace_id, now));
        if (!vis.Can(Action::kUpdate, "lead")) return NotFound();
        const auth::Predicate write = vis.Write("l");
        const auth::Predicate write_upd = vis.Write("leads");
        auto found = store::SelectLead(sql, id, write);
        if (!found || found->merged_into_id) return NotFound();
        Lead l = *found;
        OTDEL_TRY_VOID(CheckTransition(l.status, status, junk_reason));
        const json::object before{{"status", l.status},
                                  {"junk_reason", l.junk_reason ? json::value(*l.junk_reason) : nullptr}};
        l.status = status;
        l.junk_reason = status == "junk" ? junk_reason : std::nullopt;
        l.junk_comment = status == "junk" ? comment : "";
        l.updated_at = now;
        if (!store::UpdateLead(sql, l, write_upd)) return NotFound();
        events::WriteAudit(sql, a, now,
                           {"lead.status", "lead", l.id, before,
                            json::object{{"status", l.status},
                                         {"junk_reason", l.junk_reason ? json::value(*l.junk_reason) : nullptr},
                                         {"comment", comment}}});
        Emit(sql, l, LeadEvent::kStatusChanged, a, now);
        return l;
    });
}

core::Result<clients::ClientsService::TimelinePage> LeadService::Timeline(const core::Actor& a, core::Id id,
                                                                          std::optional<std::string> cursor,
                                                                          int limit) {
    auto l = Get(a, id);
    if (!l) return l.take_error();
    return clients_.Timeline(a, "lead", id, std::move(cursor), limit, true);
}

core::Result<ConvertOutcome> LeadService::Convert(const core::Actor& a, core::Id id, const ConvertInput& in) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    if (in.company_id && in.company)
        return Error{ErrorCode::kValidation, {}, {{"company", "either_or", "company, company_id"}}, 0};
    if (in.contact_id && in.contact)
        return Error{ErrorCode::kValidation, {}, {{"contact", "either_or", "contact, contact_id"}}, 0};
    if (!in.company_id && !in.company && !in.contact_id && !in.contact)
        return Error{ErrorCode::kValidation, {}, {{"company", "required", ""}}, 0};
    // Linking an existing client needs the caller to see it (the clients room answers 404 otherwise).
    if (in.company_id) {
        auto c = clients_.GetCompany(a, *in.company_id);
        if (!c) return Error::Field("company_id", "invalid");
    }
    if (in.contact_id) {
        auto c = clients_.GetContact(a, *in.contact_id);
        if (!c) return Error::Field("contact_id", "invalid");
    }
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<ConvertOutcome> {
        const core::Id ws = a.workspace_id;
        const auth::Visibility vis = auth::BuildVisibility(sql, a, TodayIn(sql, ws, now));
        if (!vis.Can(Action::kUpdate, "lead")) return NotFound();
        const auth::Predicate write = vis.Write("l");
        const auth::Predicate write_upd = vis.Write("leads");
        auto found = store::SelectLead(sql, id, write);
        if (!found || found->merged_into_id) return NotFound();
        Lead l = *found;
        if (l.status == "converted") return Error::Of(ErrorCode::kConflict, "leads.already_converted");
        if (!IsOpenStatus(l.status)) return Error::Of(ErrorCode::kConflict, "leads.not_open");
        if ((in.company || in.contact) && !vis.Can(Action::kCreate, "client")) return Error::Of(ErrorCode::kForbidden);
        const json::object before = LeadSnapshot(l);
        const std::optional<core::Id> owner = l.owner_user_id ? l.owner_user_id : ActorUser(a);

        std::vector<clients::PointInput> points;
        for (const auto& p : l.points) points.push_back({p.kind, p.label, p.raw, p.is_primary});
        std::optional<core::Id> company_id = in.company_id, contact_id = in.contact_id;
        if (in.company) {
            clients::CompanyInput c = *in.company;
            if (!c.name || c.name->empty()) c.name = l.company_name.empty() ? l.title : l.company_name;
            if (!c.set_inn && l.inn) {
                c.set_inn = true;
                c.inn = l.inn;
            }
            if (!c.points && !in.contact) c.points = points;
            if (!c.set_owner) {
                c.set_owner = true;
                c.owner_user_id = owner;
            }
            c.source_lead_id = l.id;
            auto card = clients::ClientsService::CreateCompanyInTx(sql, a, now, c);
            if (!card) {
                Error e = card.take_error();
                for (auto& f : e.fields) f.field = "company/" + f.field;
                return e;
            }
            company_id = card->company.id;
            if (after_company_created_for_test) after_company_created_for_test();
        }
        if (in.contact) {
            clients::ContactInput c = *in.contact;
            if (!c.last_name && !c.first_name && !c.middle_name) {
                std::vector<std::string> parts;
                std::string cur;
                for (char ch : l.contact_name + " ") {
                    if (ch == ' ') {
                        if (!cur.empty()) parts.push_back(cur);
                        cur.clear();
                    } else {
                        cur += ch;
                    }
                }
                // "Петров Иван Сергеевич" (three parts) is last-first-middle; "Иван Петров" is first-last.
                if (parts.size() >= 3) {
                    c.last_name = parts[0];
                    c.first_name = parts[1];
                    c.middle_name = parts[2];
                } else if (parts.size() == 2) {
                    c.first_name = parts[0];
                    c.last_name = parts[1];
                } else {
                    c.first_name = parts.empty() ? l.title : parts[0];
                }
            }
            if (!c.points) c.points = points;
            if (!c.set_owner) {
                c.set_owner = true;
                c.owner_user_id = owner;
            }
            c.source_lead_id = l.id;
            auto card = clients::ClientsService::CreateContactInTx(sql, a, now, c);
            if (!card) {
                Error e = card.take_error();
                for (auto& f : e.fields) f.field = "contact/" + f.field;
                return e;
            }
            contact_id = card->contact.id;
        }
        if (company_id && contact_id) {
            clients::Link link;
            link.company_id = *company_id;
            link.contact_id = *contact_id;
            link.is_primary = true;
            link.position = in.position;
            auto linked = clients::ClientsService::LinkContact(sql, a, now, link);
            if (!linked) return linked.take_error();
        }
        l.status = "converted";
        l.converted_at = now;
        l.converted_company_id = company_id;
        l.converted_contact_id = contact_id;
        if (company_id) l.company_id = company_id;
        if (contact_id) l.contact_id = contact_id;
        l.updated_at = now;
        if (!store::UpdateLead(sql, l, write_upd)) return NotFound();
        events::WriteAudit(sql, a, now, {"lead.convert", "lead", l.id, before, LeadSnapshot(l)});
        Emit(sql, l, LeadEvent::kConverted, a, now);
        // The client card shows where it came from: an event naming the lead.
        const std::string type = company_id ? "company" : "contact";
        const core::Id card_id = company_id ? *company_id : *contact_id;
        clients::ClientsService::AddTimelineEvent(
            sql, ws, type, card_id, "converted_from_lead", "system", "#" + std::to_string(l.id) + " " + l.title,
            json::serialize(json::object{{"lead_id", l.id}, {"request_text", l.request_text}}), std::nullopt, now,
            ActorUser(a));
        WriteSearchDoc(sql, l, now);
        return ConvertOutcome{l, company_id, contact_id};
    });
}

core::Result<Lead> LeadService::Merge(const core::Actor& a, core::Id id, core::Id merged_id) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    if (id == merged_id)
        return Error{ErrorCode::kValidation, "leads.merge_self", {{"merged_id", "same_person", ""}}, 0};
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Lead> {
        const core::Id ws = a.workspace_id;
        const auth::Visibility vis = auth::BuildVisibility(sql, a, TodayIn(sql, ws, now));
        if (!vis.Can(Action::kUpdate, "lead")) return NotFound();
        const auth::Predicate write = vis.Write("l");
        const auth::Predicate write_upd = vis.Write("leads");
        auto survivor = store::SelectLead(sql, id, write);
        if (!survivor || survivor->merged_into_id) return NotFound();
        auto absorbed = store::SelectLead(sql, merged_id, write);
        if (!absorbed || absorbed->merged_into_id) return Error::Field("merged_id", "invalid");
        if (absorbed->status == "converted") return Error::Of(ErrorCode::kConflict, "leads.already_converted");
        Lead s = *survivor;
        Lead m = *absorbed;
        const json::object before = LeadSnapshot(s);
        const json::object snapshot = LeadSnapshot(m);
        store::MovePoints(sql, ws, m.id, s.id);
        store::MoveTimeline(sql, ws, m.id, s.id);
        store::InsertMerge(sql, ws, s.id, m.id, ActorUser(a), json::serialize(snapshot), now);
        if (s.contact_name.empty()) s.contact_name = m.contact_name;
        if (s.company_name.empty()) s.company_name = m.company_name;
        if (!s.inn) s.inn = m.inn;
        if (s.product.empty()) s.product = m.product;
        if (!s.company_id) s.company_id = m.company_id;
        if (!s.contact_id) s.contact_id = m.contact_id;
        if (!m.request_text.empty())
            s.request_text +=
                (s.request_text.empty() ? "" : "\n\n") + ("#" + std::to_string(m.id) + ": ") + m.request_text;
        s.repeat_count += m.repeat_count + 1;
        s.last_request_at = std::max(s.last_request_at, m.last_request_at);
        s.points = store::SelectPoints(sql, ws, s.id);
        s.updated_at = now;
        Rescore(s, DefaultVocabulary());
        m.merged_into_id = s.id;
        m.deleted_at = now;
        m.updated_at = now;
        if (!store::UpdateLead(sql, m, write_upd) || !store::UpdateLead(sql, s, write_upd)) return NotFound();
        clients::ClientsService::AddTimelineEvent(
            sql, ws, "lead", s.id, "merged", "system", "#" + std::to_string(m.id) + " " + m.title,
            json::serialize(json::object{{"merged_id", m.id}}), std::nullopt, now, ActorUser(a));
        events::WriteAudit(sql, a, now, {"lead.merge", "lead", s.id, before, LeadSnapshot(s)});
        events::WriteAudit(sql, a, now,
                           {"lead.merged_into", "lead", m.id, snapshot, json::object{{"merged_into_id", s.id}}});
        Emit(sql, m, LeadEvent::kMerged, a, now);
        clients::ClientsService::RemoveSearchDoc(sql, ws, "lead", m.id);
        WriteSearchDoc(sql, s, now);
        return s;
    });
}

int LeadService::Handover(soci::session& sql, core::Id workspace_id, core::Id from_user_id,
                          std::optional<core::Id> to_user_id, const core::Actor& by, core::Millis now) {
    const auto ids = store::HandoverOpenLeads(sql, workspace_id, from_user_id, to_user_id, now);
    const auth::Visibility vis(
        auth::Caller{workspace_id, 0, true, auth::Scope::kAll, "", auth::PermissionSet::Everything()}, "1970-01-01");
    const auth::Predicate all = vis.Read("l");
    for (core::Id id : ids) {
        events::WriteAudit(sql, by, now,
                           {"lead.handover", "lead", id, json::object{{"owner_user_id", from_user_id}},
                            json::object{{"owner_user_id", to_user_id ? json::value(*to_user_id) : nullptr}}});
        if (auto l = store::SelectLead(sql, id, all)) {
            WriteSearchDoc(sql, *l, now);
            Emit(sql, *l, LeadEvent::kHandedOver, by, now);
        }
    }
    return static_cast<int>(ids.size());
}

void LeadService::Emit(soci::session& sql, const Lead& l, LeadEvent event, const core::Actor& by, core::Millis now) {
    if (lifecycle_) lifecycle_(sql, l, event, by, now);
}

}  // namespace otdel::leads
