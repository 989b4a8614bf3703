#include "documents/documents_service.hpp"

#include <boost/json.hpp>

#include "auth/visibility.hpp"
#include "catalog/catalog_store.hpp"
#include "core/access.hpp"
#include "db/database.hpp"
#include "documents/documents_access.hpp"
#include "events/audit.hpp"
#include "org/employee_store.hpp"
#include "org/work_calendar.hpp"

namespace otdel::documents {
namespace json = boost::json;
using auth::Action;
using core::Error;
using core::ErrorCode;

namespace access {

core::Result<void> SignedIn(const core::Actor& a) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    return core::Ok();
}

auth::Visibility VisibilityOf(soci::session& sql, const core::Actor& a, core::Millis now) {
    return auth::BuildVisibility(sql, a, org::store::WorkspaceToday(sql, a.workspace_id, now));
}

core::Result<void> MayConfigure(const auth::Visibility& vis) {
    if (vis.caller().unrestricted || vis.Can(Action::kUpdate, "org")) return core::Ok();
    return Error::Of(ErrorCode::kForbidden);
}

core::Result<void> MayReadSettings(const auth::Visibility& vis) {
    if (vis.Can(Action::kRead, "document") || MayConfigure(vis)) return core::Ok();
    return Error::Of(ErrorCode::kForbidden);
}

// The deal behind a deal-scoped call: 404 when the caller cannot read it; 403 when the role lacks `action` on
// documents; for a write, 403 when the deal is visible but not the caller's to change, 409 when it is deleted.
core::Result<store::DealFacts> DealFor(soci::session& sql, const auth::Visibility& vis, core::Id deal_id, Action action,
                                       const char* object) {
    if (!vis.Can(Action::kRead, "deal")) return Error::Of(ErrorCode::kNotFound);
    const auth::Predicate readable = vis.Read("d");
    auto deal = store::SelectDeal(sql, deal_id, readable);
    if (!deal) return Error::Of(ErrorCode::kNotFound);
    if (!vis.Can(action, object)) return Error::Of(ErrorCode::kForbidden);
    if (auth::IsWrite(action)) {
        const auth::Predicate writable = vis.Write("d");
        if (!store::SelectDeal(sql, deal_id, writable))
            return Error::Of(ErrorCode::kForbidden, "documents.write_forbidden");
        if (deal->deleted) return Error::Of(ErrorCode::kConflict, "documents.deal_deleted");
    }
    return *deal;
}

}  // namespace access

namespace {

using access::MayConfigure;
using access::MayReadSettings;
using access::SignedIn;
using access::VisibilityOf;

constexpr const char* kObject = "document";
/// Generating a proposal renders outside the write transaction; a version taken meanwhile renders again.
constexpr int kRenderAttempts = 3;

using core::NotFound;

std::optional<core::Id> ActorUser(const core::Actor& a) {
    return a.user_id ? std::optional<core::Id>(a.user_id) : std::nullopt;
}

core::Result<store::DealFacts> DealFor(soci::session& sql, const auth::Visibility& vis, core::Id deal_id,
                                       Action action) {
    return access::DealFor(sql, vis, deal_id, action, kObject);
}

json::value OptJson(const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}
json::value OptJson(const std::optional<core::Id>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::object RequisitesSnapshot(const Requisites& r) {
    const PdfRequisites& o = r.org;
    return json::object{{"legal_name", o.legal_name},
                        {"inn", o.inn},
                        {"kpp", o.kpp},
                        {"ogrn", o.ogrn},
                        {"address", o.address},
                        {"bank_name", o.bank_name},
                        {"bik", o.bik},
                        {"account", o.account},
                        {"corr_account", o.corr_account},
                        {"phone", o.phone},
                        {"email", o.email},
                        {"website", o.website},
                        {"signer_title", r.signer_title},
                        {"signer_name", r.signer_name},
                        {"logo_file_id", OptJson(r.logo_file_id)}};
}

json::object TemplateSnapshot(const ProposalTemplate& t) {
    return json::object{{"name", t.name},
                        {"intro_text", t.intro_text},
                        {"terms_text", t.terms_text},
                        {"validity_days", t.validity_days},
                        {"archived_at", t.archived_at ? json::value(*t.archived_at) : json::value(nullptr)}};
}

json::object ProposalSnapshot(const Proposal& p) {
    return json::object{
        {"deal_id", p.deal_id},   {"version", p.version},         {"template_id", OptJson(p.template_id)},
        {"title", p.title},       {"valid_until", p.valid_until}, {"total_minor", p.total_minor},
        {"currency", p.currency}, {"line_count", p.line_count},   {"lines_source", p.lines_source},
        {"status", p.status},     {"file_id", p.file_id}};
}

json::object ContractSnapshot(const Contract& c) {
    return json::object{{"deal_id", c.deal_id},
                        {"kind", c.kind},
                        {"number", c.number},
                        {"signed_on", OptJson(c.signed_on)},
                        {"valid_from", OptJson(c.valid_from)},
                        {"valid_to", OptJson(c.valid_to)},
                        {"terms", c.terms},
                        {"status", c.status},
                        {"file_id", OptJson(c.file_id)},
                        {"file_name", c.file_name},
                        {"deleted_at", c.deleted_at ? json::value(*c.deleted_at) : json::value(nullptr)}};
}

void Audit(soci::session& sql, const core::Actor& a, core::Millis now, std::string action, const char* type,
           std::optional<core::Id> id, std::optional<json::value> before, std::optional<json::value> after) {
    events::WriteAudit(sql, a, now, {std::move(action), type, id, std::move(before), std::move(after)});
}

Error NumberTaken() {
    return Error{ErrorCode::kConflict, "documents.contract_number_taken", {{"number", "not_unique", ""}}, 0};
}

// The built-in texts of a proposal made without a template.
ProposalTemplate BuiltinTemplate(core::Lang lang) {
    ProposalTemplate t;
    t.validity_days = 14;
    if (lang == core::Lang::kEn) {
        t.intro_text =
            "Dear {{client.name}},\n\nthank you for your interest. Please find below our offer for "
            "\"{{deal.title}}\".";
        t.terms_text = "The offer is valid until {{valid_until}}.\nYour manager: {{owner.name}}, {{owner.email}}.";
    } else {
        t.intro_text =
            "Уважаемый клиент {{client.name}}!\n\nБлагодарим за интерес к нашей компании. Предлагаем "
            "вам «{{deal.title}}» на следующих условиях.";
        t.terms_text = "Предложение действительно до {{valid_until}}.\nВаш менеджер: {{owner.name}}, {{owner.email}}.";
    }
    return t;
}

}  // namespace

// ---- settings ----

core::Result<Requisites> DocumentsService::GetRequisites(const core::Actor& a) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<Requisites> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        OTDEL_TRY_VOID(MayReadSettings(vis));
        return store::SelectRequisites(sql, a.workspace_id).value_or(Requisites{});
    });
}

core::Result<Requisites> DocumentsService::SetRequisites(const core::Actor& a, const Requisites& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    OTDEL_TRY_VOID(ValidateRequisites(in));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Requisites> {
        const auto vis = VisibilityOf(sql, a, now);
        OTDEL_TRY_VOID(MayConfigure(vis));
        const auto before = store::SelectRequisites(sql, a.workspace_id);
        store::UpsertRequisites(sql, a.workspace_id, in, ActorUser(a), now);
        auto after = store::SelectRequisites(sql, a.workspace_id);
        Audit(sql, a, now, "document_settings.update", "document_settings", a.workspace_id,
              before ? std::optional<json::value>(RequisitesSnapshot(*before)) : std::nullopt,
              RequisitesSnapshot(*after));
        return *after;
    });
}

core::Result<Requisites> DocumentsService::SetLogo(const core::Actor& a, const std::string& png) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (png.empty()) return Error::Field("logo", "required");
    OTDEL_TRY_VOID(ValidateLogo(png));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Requisites> {
        const auto vis = VisibilityOf(sql, a, now);
        OTDEL_TRY_VOID(MayConfigure(vis));
        const auto before = store::SelectRequisites(sql, a.workspace_id).value_or(Requisites{});
        const core::Id file = store::InsertFile(sql, a.workspace_id, "image/png", png, now);
        store::SetLogo(sql, a.workspace_id, file, ActorUser(a), now);
        if (before.logo_file_id) store::DeleteFile(sql, a.workspace_id, *before.logo_file_id);
        auto after = store::SelectRequisites(sql, a.workspace_id);
        Audit(sql, a, now, "document_settings.logo_set", "document_settings", a.workspace_id,
              json::object{{"logo_file_id", OptJson(before.logo_file_id)}},
              json::object{{"logo_file_id", file}, {"size_bytes", png.size()}});
        return *after;
    });
}

core::Result<Requisites> DocumentsService::RemoveLogo(const core::Actor& a) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Requisites> {
        const auto vis = VisibilityOf(sql, a, now);
        OTDEL_TRY_VOID(MayConfigure(vis));
        const auto before = store::SelectRequisites(sql, a.workspace_id);
        if (!before || !before->logo_file_id) return before.value_or(Requisites{});
        store::SetLogo(sql, a.workspace_id, std::nullopt, ActorUser(a), now);
        store::DeleteFile(sql, a.workspace_id, *before->logo_file_id);
        Audit(sql, a, now, "document_settings.logo_remove", "document_settings", a.workspace_id,
              json::object{{"logo_file_id", *before->logo_file_id}}, json::object{{"logo_file_id", nullptr}});
        return *store::SelectRequisites(sql, a.workspace_id);
    });
}

core::Result<Download> DocumentsService::Logo(const core::Actor& a) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<Download> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        OTDEL_TRY_VOID(MayReadSettings(vis));
        const auto r = store::SelectRequisites(sql, a.workspace_id);
        if (!r || !r->logo_file_id) return NotFound();
        auto file = store::SelectFile(sql, a.workspace_id, *r->logo_file_id);
        if (!file) return NotFound();
        return Download{file->content_type, "logo.png", "logo.png", file->sha256, std::move(file->bytes)};
    });
}

core::Result<std::vector<ProposalTemplate>> DocumentsService::ListTemplates(const core::Actor& a,
                                                                            bool include_archived) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<ProposalTemplate>> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        OTDEL_TRY_VOID(MayReadSettings(vis));
        return store::ListTemplates(sql, a.workspace_id, include_archived);
    });
}

core::Result<ProposalTemplate> DocumentsService::CreateTemplate(const core::Actor& a, const TemplateInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    ProposalTemplate t;
    t.name = in.name.value_or("");
    t.intro_text = in.intro_text.value_or("");
    t.terms_text = in.terms_text.value_or("");
    t.validity_days = in.validity_days.value_or(14);
    t.created_by = ActorUser(a);
    OTDEL_TRY_VOID(ValidateTemplate(t));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<ProposalTemplate> {
        const auto vis = VisibilityOf(sql, a, now);
        OTDEL_TRY_VOID(MayConfigure(vis));
        const core::Id id = store::InsertTemplate(sql, a.workspace_id, t, now);
        auto created = store::SelectTemplate(sql, a.workspace_id, id);
        Audit(sql, a, now, "proposal_template.create", "proposal_template", id, std::nullopt,
              TemplateSnapshot(*created));
        return *created;
    });
}

core::Result<ProposalTemplate> DocumentsService::UpdateTemplate(const core::Actor& a, core::Id id,
                                                                const TemplateInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<ProposalTemplate> {
        const auto vis = VisibilityOf(sql, a, now);
        OTDEL_TRY_VOID(MayConfigure(vis));
        auto t = store::SelectTemplate(sql, a.workspace_id, id);
        if (!t) return NotFound();
        const ProposalTemplate before = *t;
        if (in.name) t->name = *in.name;
        if (in.intro_text) t->intro_text = *in.intro_text;
        if (in.terms_text) t->terms_text = *in.terms_text;
        if (in.validity_days) t->validity_days = *in.validity_days;
        if (in.archived)
            t->archived_at =
                *in.archived ? std::optional<core::Millis>(before.archived_at.value_or(now)) : std::nullopt;
        OTDEL_TRY_VOID(ValidateTemplate(*t));
        store::UpdateTemplate(sql, a.workspace_id, *t, now);
        auto after = store::SelectTemplate(sql, a.workspace_id, id);
        const bool archived_now = after->archived_at && !before.archived_at;
        const bool restored_now = !after->archived_at && before.archived_at;
        Audit(sql, a, now,
              archived_now   ? "proposal_template.archive"
              : restored_now ? "proposal_template.restore"
                             : "proposal_template.update",
              "proposal_template", id, TemplateSnapshot(before), TemplateSnapshot(*after));
        return *after;
    });
}

// ---- proposals ----

core::Result<std::vector<Proposal>> DocumentsService::ListProposals(const core::Actor& a, core::Id deal_id) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<Proposal>> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        auto deal = DealFor(sql, vis, deal_id, Action::kRead);
        if (!deal) return deal.take_error();
        return store::ProposalsOfDeal(sql, a.workspace_id, deal_id);
    });
}

core::Result<Proposal> DocumentsService::GenerateProposal(const core::Actor& a, core::Id deal_id,
                                                          const ProposalRequest& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (in.valid_until && !IsIsoDay(*in.valid_until)) return Error::Field("valid_until", "invalid_date");
    for (int attempt = 0; attempt < kRenderAttempts; ++attempt) {
        // Read everything the document shows, then render without holding the write lock.
        const core::Millis now = clock_.NowMs();
        std::optional<core::Id> template_id;
        auto facts = db_.Read([&](soci::session& sql) -> core::Result<ProposalFacts> {
            const auto vis = VisibilityOf(sql, a, now);
            auto deal = DealFor(sql, vis, deal_id, Action::kCreate);
            if (!deal) return deal.take_error();
            ProposalTemplate tpl = BuiltinTemplate(in.lang);
            if (in.template_id) {
                auto found = store::SelectTemplate(sql, a.workspace_id, *in.template_id);
                if (!found) return Error::Field("template_id", "invalid");
                if (found->archived_at) return Error::Field("template_id", "archived");
                tpl = *found;
                template_id = found->id;
            }
            ProposalFacts f;
            f.lang = in.lang;
            f.seller = store::SelectRequisites(sql, a.workspace_id).value_or(Requisites{});
            if (f.seller.logo_file_id)
                if (auto logo = store::SelectFile(sql, a.workspace_id, *f.seller.logo_file_id))
                    f.logo_png = std::move(logo->bytes);
            f.deal_id = deal_id;
            f.version = store::NextProposalVersion(sql, a.workspace_id, deal_id);
            f.deal_title = deal->title;
            f.client_name = !deal->company_name.empty() ? deal->company_name : deal->contact_name;
            f.client_inn = deal->company_inn;
            f.contact_name = deal->contact_name;
            f.owner_name = deal->owner_name;
            f.owner_email = deal->owner_email;
            f.currency = deal->currency;
            f.deal_amount_minor = deal->amount_minor;
            f.lines = catalog::ReadDealLines(sql, a.workspace_id, deal_id);
            f.today = org::store::WorkspaceToday(sql, a.workspace_id, now);
            f.valid_until = in.valid_until.value_or(AddDays(f.today, tpl.validity_days));
            if (f.valid_until < f.today) return Error::Field("valid_until", "in_the_past");
            f.intro_template = tpl.intro_text;
            f.terms_template = tpl.terms_text;
            if (f.lines.empty() && f.deal_amount_minor <= 0)
                return Error::Of(ErrorCode::kConflict, "documents.proposal_empty");
            return f;
        });
        if (!facts) return facts.take_error();
        ProposalDraft draft = BuildProposal(*facts);
        const std::string pdf = RenderPdf(draft.pdf);

        bool version_taken = false;
        auto saved = db_.InTx([&](soci::session& sql) -> core::Result<Proposal> {
            const auto vis = VisibilityOf(sql, a, now);
            auto deal = DealFor(sql, vis, deal_id, Action::kCreate);
            if (!deal) return deal.take_error();
            if (store::NextProposalVersion(sql, a.workspace_id, deal_id) != facts->version) {
                version_taken = true;
                return Error::Of(ErrorCode::kConflict);
            }
            Proposal p = draft.record;
            p.template_id = template_id;
            p.status = "draft";
            p.created_by = ActorUser(a);
            p.file_id = store::InsertFile(sql, a.workspace_id, "application/pdf", pdf, now);
            p.id = store::InsertProposal(sql, a.workspace_id, p, now);
            const auth::Predicate readable = vis.Read("d");
            auto created = store::SelectProposal(sql, p.id, readable);
            Audit(sql, a, now, "proposal.create", "proposal", p.id, std::nullopt, ProposalSnapshot(*created));
            return *created;
        });
        if (saved || !version_taken) return saved;
    }
    return Error::Of(ErrorCode::kConflict);
}

core::Result<Proposal> DocumentsService::GetProposal(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<Proposal> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        if (!vis.Can(Action::kRead, "deal") || !vis.Can(Action::kRead, kObject)) return NotFound();
        const auth::Predicate readable = vis.Read("d");
        auto p = store::SelectProposal(sql, id, readable);
        if (!p) return NotFound();
        return *p;
    });
}

core::Result<Proposal> DocumentsService::SetProposalStatus(const core::Actor& a, core::Id id,
                                                           const std::string& status) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Proposal> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kRead, "deal")) return NotFound();
        const auth::Predicate readable = vis.Read("d");
        auto p = store::SelectProposal(sql, id, readable);
        if (!p) return NotFound();
        OTDEL_TRY_VOID(DealFor(sql, vis, p->deal_id, Action::kUpdate));
        if (p->status == status) return *p;
        const Proposal before = *p;
        p->status = status;
        p->sent_at = status == "sent" ? std::optional<core::Millis>(now) : std::nullopt;
        const auth::Predicate writable = vis.Write("d");
        if (!store::UpdateProposalStatus(sql, *p, now, writable)) return NotFound();
        auto after = store::SelectProposal(sql, id, readable);
        Audit(sql, a, now, "proposal.status", "proposal", id, json::object{{"status", before.status}},
              json::object{{"status", after->status}});
        return *after;
    });
}

core::Result<Download> DocumentsService::ProposalPdf(const core::Actor& a, core::Id id, core::Lang lang) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<Download> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        if (!vis.Can(Action::kRead, "deal") || !vis.Can(Action::kRead, kObject)) return NotFound();
        const auth::Predicate readable = vis.Read("d");
        auto p = store::SelectProposal(sql, id, readable);
        if (!p) return NotFound();
        auto file = store::SelectFile(sql, a.workspace_id, p->file_id);
        if (!file) return NotFound();
        return Download{file->content_type, ProposalFileName(p->deal_id, p->version, lang),
                        ProposalAsciiFileName(p->deal_id, p->version), file->sha256, std::move(file->bytes)};
    });
}

// ---- contracts ----

core::Result<std::vector<Contract>> DocumentsService::ListContracts(const core::Actor& a, core::Id deal_id,
                                                                    bool include_deleted) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<Contract>> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        auto deal = DealFor(sql, vis, deal_id, Action::kRead);
        if (!deal) return deal.take_error();
        return store::ContractsOfDeal(sql, a.workspace_id, deal_id, include_deleted);
    });
}

core::Result<Contract> DocumentsService::CreateContract(const core::Actor& a, core::Id deal_id,
                                                        const ContractInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    Contract c;
    c.deal_id = deal_id;
    c.kind = in.kind.value_or("sale");
    c.number = in.number.value_or("");
    c.terms = in.terms.value_or("");
    c.status = in.status.value_or("draft");
    c.signed_on = in.signed_on;
    c.valid_from = in.valid_from;
    c.valid_to = in.valid_to;
    c.created_by = ActorUser(a);
    OTDEL_TRY_VOID(ValidateContract(c));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Contract> {
        const auto vis = VisibilityOf(sql, a, now);
        auto deal = DealFor(sql, vis, deal_id, Action::kCreate);
        if (!deal) return deal.take_error();
        if (store::ContractNumberTaken(sql, a.workspace_id, c.number, 0)) return NumberTaken();
        core::Id id = 0;
        try {
            id = store::InsertContract(sql, a.workspace_id, c, now);
        } catch (const std::exception& e) {
            if (db::IsUniqueViolation(e)) return NumberTaken();
            throw;
        }
        const auth::Predicate readable = vis.Read("d");
        auto created = store::SelectContract(sql, id, readable, false);
        Audit(sql, a, now, "contract.create", "contract", id, std::nullopt, ContractSnapshot(*created));
        return *created;
    });
}

core::Result<Contract> DocumentsService::GetContract(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<Contract> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        if (!vis.Can(Action::kRead, "deal") || !vis.Can(Action::kRead, kObject)) return NotFound();
        const auth::Predicate readable = vis.Read("d");
        auto c = store::SelectContract(sql, id, readable, true);
        if (!c) return NotFound();
        return *c;
    });
}

core::Result<Contract> DocumentsService::ChangeContract(const core::Actor& a, core::Id id, bool include_deleted,
                                                        Action action, const ContractEdit& edit) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Contract> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kRead, "deal")) return NotFound();
        const auth::Predicate readable = vis.Read("d");
        auto c = store::SelectContract(sql, id, readable, include_deleted);
        if (!c) return NotFound();
        OTDEL_TRY_VOID(DealFor(sql, vis, c->deal_id, action));
        const Contract before = *c;
        auto audit_action = edit(sql, *c);
        if (!audit_action) return audit_action.take_error();
        const auth::Predicate writable = vis.Write("d");
        try {
            if (!store::UpdateContract(sql, *c, now, writable)) return NotFound();
        } catch (const std::exception& e) {
            if (db::IsUniqueViolation(e)) return NumberTaken();
            throw;
        }
        // A replaced file is not kept: the audit row records which one it was.
        if (before.file_id && before.file_id != c->file_id) store::DeleteFile(sql, a.workspace_id, *before.file_id);
        auto after = store::SelectContract(sql, id, readable, true);
        Audit(sql, a, now, *audit_action, "contract", id, ContractSnapshot(before), ContractSnapshot(*after));
        return *after;
    });
}

core::Result<Contract> DocumentsService::UpdateContract(const core::Actor& a, core::Id id, const ContractInput& in) {
    return ChangeContract(a, id, false, Action::kUpdate,
                          [&](soci::session& sql, Contract& c) -> core::Result<std::string> {
                              const std::string from_status = c.status;
                              if (in.kind) c.kind = *in.kind;
                              if (in.number) c.number = *in.number;
                              if (in.terms) c.terms = *in.terms;
                              if (in.status) c.status = *in.status;
                              if (in.set_signed_on) c.signed_on = in.signed_on;
                              if (in.set_valid_from) c.valid_from = in.valid_from;
                              if (in.set_valid_to) c.valid_to = in.valid_to;
                              OTDEL_TRY_VOID(ValidateContract(c));
                              if (!ContractStatusAllowed(from_status, c.status))
                                  return Error::Field("status", "status_not_allowed", from_status + " → " + c.status);
                              if (in.number && store::ContractNumberTaken(sql, a.workspace_id, c.number, c.id))
                                  return NumberTaken();
                              return std::string("contract.update");
                          });
}

core::Result<Contract> DocumentsService::DeleteContract(const core::Actor& a, core::Id id) {
    const core::Millis now = clock_.NowMs();
    return ChangeContract(a, id, false, Action::kDelete, [&](soci::session&, Contract& c) -> core::Result<std::string> {
        c.deleted_at = now;
        return std::string("contract.delete");
    });
}

core::Result<Contract> DocumentsService::RestoreContract(const core::Actor& a, core::Id id) {
    return ChangeContract(a, id, true, Action::kDelete,
                          [&](soci::session& sql, Contract& c) -> core::Result<std::string> {
                              if (!c.deleted_at) return Error::Of(ErrorCode::kConflict, "documents.not_deleted");
                              if (store::ContractNumberTaken(sql, a.workspace_id, c.number, c.id)) return NumberTaken();
                              c.deleted_at.reset();
                              return std::string("contract.restore");
                          });
}

core::Result<Contract> DocumentsService::UploadContractFile(const core::Actor& a, core::Id id,
                                                            const std::string& file_name, const std::string& bytes) {
    if (bytes.size() > config_.max_file_bytes) return Error::Of(ErrorCode::kPayloadTooLarge, "documents.file_too_big");
    if (bytes.empty()) return Error::Field("file", "empty_file");
    const auto kind = SniffContractFile(bytes);
    if (!kind) return Error::Field("file", "not_pdf_or_docx");
    return ChangeContract(
        a, id, false, Action::kUpdate, [&](soci::session& sql, Contract& c) -> core::Result<std::string> {
            c.file_id = store::InsertFile(sql, a.workspace_id, kind->content_type, bytes, clock_.NowMs());
            c.file_name = CleanFileName(file_name, kind->ext, "contract-" + c.number);
            return std::string("contract.file");
        });
}

core::Result<Download> DocumentsService::ContractFile(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<Download> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        if (!vis.Can(Action::kRead, "deal") || !vis.Can(Action::kRead, kObject)) return NotFound();
        const auth::Predicate readable = vis.Read("d");
        auto c = store::SelectContract(sql, id, readable, true);
        if (!c || !c->file_id) return NotFound();
        auto file = store::SelectFile(sql, a.workspace_id, *c->file_id);
        if (!file) return NotFound();
        const std::string ext = c->file_name.substr(c->file_name.rfind('.') + 1);
        return Download{file->content_type, c->file_name, "contract-" + std::to_string(c->id) + "." + ext, file->sha256,
                        std::move(file->bytes)};
    });
}

}  // namespace otdel::documents
