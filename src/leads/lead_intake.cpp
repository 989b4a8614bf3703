#include "leads/lead_intake.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "auth/account.hpp"
#include "auth/visibility.hpp"
#include "clients/clients_service.hpp"
#include "clients/normalize.hpp"
#include "events/audit.hpp"
#include "leads/lead_codec.hpp"
#include "leads/lead_store.hpp"

namespace otdel::leads {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

bool In(const std::vector<std::string>& list, const std::string& v) {
    return std::find(list.begin(), list.end(), v) != list.end();
}

// What a channel's item becomes once its phones, e-mails and INN are normalised. Nothing is lost: what cannot
// be normalised is kept in the request text.
struct Normalised {
    std::vector<LeadPoint> points;
    std::vector<std::string> phones_e164, emails;
    std::optional<std::string> inn;
    std::string request_text;
};

Normalised Normalise(const IncomingLead& in) {
    Normalised n;
    std::vector<std::string> unparsed;
    std::set<std::string> seen;
    for (const auto& raw : in.phones) {
        if (raw.find_first_not_of(" \t") == std::string::npos) continue;
        if (auto p = clients::NormalizePhone(raw)) {
            if (!seen.insert("phone:" + p->e164).second) continue;
            n.points.push_back(LeadPoint{0, "phone", "mobile", raw, p->e164, n.phones_e164.empty()});
            n.phones_e164.push_back(p->e164);
        } else {
            unparsed.push_back("тел.: " + raw);
        }
    }
    for (const auto& raw : in.emails) {
        if (raw.find_first_not_of(" \t") == std::string::npos) continue;
        if (auto e = clients::NormalizeEmail(raw)) {
            if (!seen.insert("email:" + *e).second) continue;
            n.points.push_back(LeadPoint{0, "email", "work", raw, *e, n.emails.empty()});
            n.emails.push_back(*e);
        } else {
            unparsed.push_back("e-mail: " + raw);
        }
    }
    if (!in.inn.empty()) {
        const std::string digits = clients::DigitsOnly(in.inn);
        if (clients::IsValidInn(digits)) {
            n.inn = digits;
        } else {
            unparsed.push_back("ИНН: " + in.inn);
        }
    }
    n.request_text = in.request_text;
    if (!unparsed.empty()) {
        std::string note = "[не распознано / not recognised] ";
        for (std::size_t i = 0; i < unparsed.size(); ++i) note += (i ? "; " : "") + unparsed[i];
        n.request_text += (n.request_text.empty() ? "" : "\n\n") + note;
    }
    return n;
}

std::string EventSummary(const IncomingLead& in, const std::string& text) {
    std::string s = text.empty() ? in.title : text;
    if (s.empty()) s = in.contact_name;
    const std::size_t max = 300;
    if (s.size() > max) {
        std::size_t cut = max;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
        s = s.substr(0, cut) + "…";
    }
    return s;
}

std::string EventPayload(const IncomingLead& in, const Normalised& n) {
    json::object p = in.payload;
    if (!in.contact_name.empty()) p["contact_name"] = in.contact_name;
    if (!in.company_name.empty()) p["company_name"] = in.company_name;
    if (!n.request_text.empty()) p["request_text"] = n.request_text;
    if (!n.phones_e164.empty()) p["phones"] = json::value_from(n.phones_e164);
    if (!n.emails.empty()) p["emails"] = json::value_from(n.emails);
    if (in.intake_form_id) p["intake_form_id"] = *in.intake_form_id;
    if (in.intake_channel_id) p["intake_channel_id"] = *in.intake_channel_id;
    return json::serialize(p);
}

core::Actor IntakeActor(const IncomingLead& in) {
    core::Actor a = core::Actor::System(in.workspace_id);
    a.request_id = in.request_id.empty() ? "intake:" + in.channel : in.request_id;
    a.ip = in.ip;
    return a;
}

}  // namespace

std::string_view IntakeKindName(IntakeKind k) {
    switch (k) {
        case IntakeKind::kCreatedLead: return "created_lead";
        case IntakeKind::kAttachedToLead: return "attached_to_lead";
        case IntakeKind::kAttachedToClient: return "attached_to_client";
        case IntakeKind::kDuplicateDelivery: return "duplicate_delivery";
    }
    return "created_lead";
}

core::Result<void> ValidateIncoming(const IncomingLead& in) {
    Error e{ErrorCode::kValidation, {}, {}, 0};
    auto len = [&](const std::string& field, const std::string& v, std::size_t max) {
        if (auth::CharLength(v) > max) e.fields.push_back({field, "too_long", std::to_string(max)});
    };
    if (in.workspace_id <= 0) e.fields.push_back({"workspace_id", "required", ""});
    if (!In(Channels(), in.channel))
        e.fields.push_back({"channel", "not_one_of", "form, email, phone, telegram, webhook, manual, import"});
    if (!In(EventKinds(), in.event_kind))
        e.fields.push_back(
            {"event_kind", "not_one_of", "request, call_missed, call_in, call_finished, email_in, message_in"});
    len("request_text", in.request_text, kMaxRequestText);
    len("contact_name", in.contact_name, kMaxName);
    len("company_name", in.company_name, kMaxName);
    len("title", in.title, kMaxName);
    len("inn", in.inn, 40);
    for (const auto* f : {&in.campaign, &in.utm_source, &in.utm_medium, &in.utm_campaign, &in.utm_content, &in.utm_term,
                          &in.referrer, &in.region, &in.product})
        if (auth::CharLength(*f) > kMaxShort) e.fields.push_back({"campaign", "too_long", std::to_string(kMaxShort)});
    if (in.external_ref) len("external_ref", *in.external_ref, kMaxShort);
    if (in.phones.size() > kMaxPoints) e.fields.push_back({"phones", "too_many", std::to_string(kMaxPoints)});
    if (in.emails.size() > kMaxPoints) e.fields.push_back({"emails", "too_many", std::to_string(kMaxPoints)});
    for (std::size_t i = 0; i < in.phones.size(); ++i) len("phones/" + std::to_string(i), in.phones[i], 100);
    for (std::size_t i = 0; i < in.emails.size(); ++i) len("emails/" + std::to_string(i), in.emails[i], 320);
    auto blank = [](const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; };
    const bool any_point = std::any_of(in.phones.begin(), in.phones.end(), [&](auto& s) { return !blank(s); }) ||
                           std::any_of(in.emails.begin(), in.emails.end(), [&](auto& s) { return !blank(s); });
    if (!any_point && blank(in.request_text) && blank(in.contact_name) && blank(in.company_name) && blank(in.title))
        e.fields.push_back({"request_text", "lead_empty", ""});
    if (!e.fields.empty()) return e;
    return core::Ok();
}

LeadIntake::LeadIntake(db::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

core::Result<IntakeOutcome> LeadIntake::Accept(const IncomingLead& in) {
    OTDEL_TRY_VOID(ValidateIncoming(in));
    return db_.InTx([&](soci::session& sql) { return AcceptInTx(sql, in); });
}

std::vector<core::Result<IntakeOutcome>> LeadIntake::AcceptBatch(std::span<const IncomingLead> items) {
    std::vector<core::Result<IntakeOutcome>> results;
    results.reserve(items.size());
    std::vector<std::size_t> valid;
    for (std::size_t i = 0; i < items.size(); ++i) {
        auto v = ValidateIncoming(items[i]);
        if (v) {
            valid.push_back(i);
            results.emplace_back(Error::Of(ErrorCode::kInternal));  // replaced below
        } else {
            results.emplace_back(v.take_error());
        }
    }
    if (valid.empty()) return results;
    try {
        auto done = db_.InTx([&](soci::session& sql) -> core::Result<bool> {
            auto writer = std::make_unique<store::LeadWriter>(sql);
            // The batch's search documents go in after its last item, new ones by multi-row INSERTs: SQLite's FTS5
            // writes a segment at the end of every statement, so one statement per lead was a segment per lead.
            // Still in this transaction, so a lead and its document commit together; a failed item's are dropped.
            std::vector<clients::ClientsService::SearchDocInput> docs;
            for (std::size_t i : valid) {
                const std::size_t mark = docs.size();
                sql << "SAVEPOINT lead_item";
                try {
                    auto r = AcceptOne(sql, items[i], writer.get(), &docs);
                    if (r && inbound_ && items[i].event_kind != "request") inbound_(sql, items[i], *r);
                    if (r) {
                        sql << "RELEASE SAVEPOINT lead_item";
                    } else {
                        sql << "ROLLBACK TO SAVEPOINT lead_item";
                        sql << "RELEASE SAVEPOINT lead_item";
                        docs.resize(mark);
                    }
                    results[i] = std::move(r);
                } catch (const std::exception& e) {
                    spdlog::error("lead intake: item {} of a batch failed: {}", i, e.what());
                    sql << "ROLLBACK TO SAVEPOINT lead_item";
                    sql << "RELEASE SAVEPOINT lead_item";
                    docs.resize(mark);
                    results[i] = Error::Of(ErrorCode::kInternal);
                    // A statement that failed may keep its state (SOCI's PostgreSQL backend does): prepare afresh.
                    writer = std::make_unique<store::LeadWriter>(sql);
                }
            }
            clients::ClientsService::UpsertSearchDocs(sql, docs);
            return true;
        });
        (void)done;
    } catch (const std::exception& e) {
        // The transaction itself failed (commit, lost connection): nothing of it is stored; try one by one.
        spdlog::warn("lead intake: a batch of {} failed ({}); storing its items one by one", valid.size(), e.what());
        fallbacks_.fetch_add(1);
        for (std::size_t i : valid) {
            try {
                results[i] = db_.InTx([&](soci::session& sql) { return AcceptInTx(sql, items[i]); });
            } catch (const std::exception& one) {
                spdlog::error("lead intake: item failed alone: {}", one.what());
                results[i] = Error::Of(ErrorCode::kInternal);
            }
        }
    }
    return results;
}

core::Result<IntakeOutcome> LeadIntake::AcceptInTx(soci::session& sql, const IncomingLead& in) {
    auto r = AcceptOne(sql, in, nullptr, nullptr);
    if (r && inbound_ && in.event_kind != "request") inbound_(sql, in, *r);
    return r;
}

core::Result<IntakeOutcome> LeadIntake::AcceptOne(soci::session& sql, const IncomingLead& in, store::LeadWriter* writer,
                                                  std::vector<clients::ClientsService::SearchDocInput>* docs) {
    const core::Millis now = clock_.NowMs();
    const core::Millis at = in.occurred_at > 0 ? in.occurred_at : now;
    const core::Id ws = in.workspace_id;
    const core::Actor actor = IntakeActor(in);
    const auth::Visibility vis(auth::Caller{ws, 0, true, auth::Scope::kAll, "", auth::PermissionSet::Everything()},
                               "1970-01-01");

    // 1. A redelivery of what is stored already.
    if (in.external_ref && !in.external_ref->empty()) {
        if (auto id = store::LeadByExternalRef(sql, ws, in.channel, *in.external_ref))
            return IntakeOutcome{IntakeKind::kDuplicateDelivery, *id, std::nullopt, std::nullopt};
        if (store::TimelineRefExists(sql, ws, in.channel, *in.external_ref))
            return IntakeOutcome{IntakeKind::kDuplicateDelivery, std::nullopt, std::nullopt, std::nullopt};
    }

    const Normalised n = Normalise(in);
    const std::string payload = EventPayload(in, n);
    const std::string summary = EventSummary(in, n.request_text);

    // 2. One lookup per phone / e-mail finds open leads, companies and contacts holding it. An open lead (the
    //    oldest) takes the repeat request.
    const std::vector<clients::store::Match> matches =
        clients::ClientsService::FindByContactPoints(sql, ws, n.phones_e164, n.emails);
    std::optional<core::Id> open_id;
    for (const auto& m : matches)
        if (m.type == "lead" && (!open_id || m.id < *open_id)) open_id = m.id;
    if (open_id) {
        const auth::Predicate all = vis.Write("l");
        const auth::Predicate all_update = vis.Write("leads");
        auto found = store::SelectLead(sql, *open_id, all);
        if (found) {
            Lead l = *found;
            const json::object before = LeadSnapshot(l);
            const std::string kind = in.event_kind == "request" ? "repeat_request" : in.event_kind;
            clients::ClientsService::AddTimelineEvent(sql, ws, "lead", l.id, kind, in.channel, summary, payload,
                                                      in.external_ref, at);
            std::set<std::string> have;
            for (const auto& p : l.points) have.insert(p.kind + ":" + p.value);
            for (auto p : n.points) {
                if (have.contains(p.kind + ":" + p.value)) continue;
                p.is_primary = false;
                if (writer) {
                    writer->InsertPoint(ws, l.id, p, now);
                } else {
                    store::InsertPoint(sql, ws, l.id, p, now);
                }
            }
            if (l.contact_name.empty()) l.contact_name = in.contact_name;
            if (l.company_name.empty()) l.company_name = in.company_name;
            if (!l.inn && n.inn) l.inn = n.inn;
            if (l.product.empty()) l.product = in.product;
            l.points = store::SelectPoints(sql, ws, l.id);
            l.repeat_count += 1;
            l.last_request_at = std::max(l.last_request_at, at);
            l.updated_at = now;
            Rescore(l, vocabulary_, n.request_text);
            store::UpdateLead(sql, l, all_update);
            events::WriteAudit(sql, actor, now,
                               {"lead.repeat_request", "lead", l.id, before,
                                json::object{{"repeat_count", l.repeat_count},
                                             {"priority_score", l.priority_score},
                                             {"channel", in.channel},
                                             {"event_kind", in.event_kind}}});
            if (docs) {
                docs->push_back(SearchDocOf(l, now));
            } else {
                WriteSearchDoc(sql, l, now);
            }
            return IntakeOutcome{IntakeKind::kAttachedToLead, l.id, l.company_id, l.contact_id};
        }
    }

    // 3. A known client: by phone / e-mail, then by INN.
    std::optional<core::Id> company_id, contact_id;
    for (const auto& m : matches) {
        if (m.type == "company" && !company_id) company_id = m.id;
        if (m.type == "contact" && !contact_id) contact_id = m.id;
    }
    if (!company_id && n.inn) {
        for (const auto& m : clients::ClientsService::FindCompanyByInn(sql, ws, *n.inn))
            if (m.type == "company") {
                company_id = m.id;
                break;
            }
    }
    const bool known = company_id || contact_id;
    if (known && in.event_kind != "request") {
        const std::string type = company_id ? "company" : "contact";
        const core::Id id = company_id ? *company_id : *contact_id;
        clients::ClientsService::AddTimelineEvent(sql, ws, type, id, in.event_kind, in.channel, summary, payload,
                                                  in.external_ref, at);
        events::WriteAudit(sql, actor, now,
                           {"client.intake_event", type, id, std::nullopt,
                            json::object{{"event_kind", in.event_kind}, {"channel", in.channel}}});
        return IntakeOutcome{IntakeKind::kAttachedToClient, std::nullopt, company_id, contact_id};
    }

    // 4. A new lead (linked to the known client, if any).
    Lead l;
    l.workspace_id = ws;
    l.channel = in.channel;
    l.request_text = n.request_text;
    l.contact_name = in.contact_name;
    l.company_name = in.company_name;
    l.inn = n.inn;
    l.intake_form_id = in.intake_form_id;
    l.intake_channel_id = in.intake_channel_id;
    if (in.external_ref && !in.external_ref->empty()) l.external_ref = in.external_ref;
    l.campaign = in.campaign;
    l.utm_source = in.utm_source;
    l.utm_medium = in.utm_medium;
    l.utm_campaign = in.utm_campaign;
    l.utm_content = in.utm_content;
    l.utm_term = in.utm_term;
    l.referrer = in.referrer;
    l.region = in.region;
    l.product = in.product;
    l.custom = json::serialize(in.custom);
    l.owner_user_id = in.default_owner_user_id;
    l.company_id = company_id;
    l.contact_id = contact_id;
    l.points = n.points;
    l.title = in.title.empty() ? MakeTitle(n.request_text, in.contact_name, in.company_name,
                                           n.points.empty() ? std::string() : n.points.front().raw)
                               : in.title;
    if (in.event_kind == "call_missed" && in.title.empty())
        l.title = "Пропущенный звонок: " + (n.points.empty() ? std::string("номер скрыт") : n.points.front().value);
    l.last_request_at = at;
    l.created_at = now;
    l.updated_at = now;
    Rescore(l, vocabulary_);
    l.id = writer ? writer->InsertLead(l) : store::InsertLead(sql, l);
    for (const auto& p : l.points) {
        if (writer) {
            writer->InsertPoint(ws, l.id, p, now);
        } else {
            store::InsertPoint(sql, ws, l.id, p, now);
        }
    }
    if (in.event_kind != "request")
        clients::ClientsService::AddTimelineEvent(sql, ws, "lead", l.id, in.event_kind, in.channel, summary, payload,
                                                  std::nullopt, at);
    if (known) {
        const std::string type = company_id ? "company" : "contact";
        const core::Id id = company_id ? *company_id : *contact_id;
        clients::ClientsService::AddTimelineEvent(sql, ws, type, id, "lead_created", in.channel,
                                                  "#" + std::to_string(l.id) + " " + l.title,
                                                  json::serialize(json::object{{"lead_id", l.id}}), std::nullopt, at);
    }
    // Imported rows are history or a migration, not fresh requests: they keep the owner the file gives.
    if (routing_ && in.channel != "import") {
        routing_(sql, ws, l.id);
        if (writer) {
            writer->ReadOwner(ws, l.id, l.owner_user_id);
        } else {
            const auth::Predicate all = vis.Read("l");
            if (auto routed = store::SelectLead(sql, l.id, all)) l.owner_user_id = routed->owner_user_id;
        }
    }
    events::WriteAudit(sql, actor, now, {"lead.create", "lead", l.id, std::nullopt, LeadSnapshot(l)});
    if (docs) {
        docs->push_back(SearchDocOf(l, now));
    } else {
        WriteSearchDoc(sql, l, now);
    }
    return IntakeOutcome{IntakeKind::kCreatedLead, l.id, company_id, contact_id};
}

}  // namespace otdel::leads
