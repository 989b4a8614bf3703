// HTTP handlers of the documents room: parse with FieldReader (files as raw bodies), call DocumentsService, answer
// JSON or the file's bytes.
#include <boost/json.hpp>

#include "documents/documents_service.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace otdel::documents {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

using http::OrNull;

json::object RequisitesJson(const Requisites& r) {
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
                        {"has_logo", r.logo_file_id.has_value()},
                        {"updated_at", OrNull(r.updated_at)}};
}

json::object TemplateJson(const ProposalTemplate& t) {
    return json::object{{"id", t.id},
                        {"name", t.name},
                        {"intro_text", t.intro_text},
                        {"terms_text", t.terms_text},
                        {"validity_days", t.validity_days},
                        {"archived_at", OrNull(t.archived_at)},
                        {"created_at", t.created_at},
                        {"updated_at", t.updated_at}};
}

json::object ProposalJson(const Proposal& p) {
    return json::object{{"id", p.id},
                        {"deal_id", p.deal_id},
                        {"version", p.version},
                        {"number", ProposalNumber(p.deal_id, p.version)},
                        {"template_id", OrNull(p.template_id)},
                        {"title", p.title},
                        {"intro_text", p.intro_text},
                        {"terms_text", p.terms_text},
                        {"valid_until", p.valid_until},
                        {"total_minor", p.total_minor},
                        {"currency", p.currency},
                        {"line_count", p.line_count},
                        {"lines_source", p.lines_source},
                        {"status", p.status},
                        {"sent_at", OrNull(p.sent_at)},
                        {"file_size", p.file_size},
                        {"pdf_url", "/api/v1/proposals/" + std::to_string(p.id) + "/pdf"},
                        {"created_by", OrNull(p.created_by)},
                        {"created_by_name", p.created_by_name},
                        {"created_at", p.created_at},
                        {"updated_at", p.updated_at}};
}

json::object ContractJson(const Contract& c) {
    json::value file = nullptr;
    if (c.file_id)
        file = json::object{{"name", c.file_name},
                            {"size_bytes", c.file_size},
                            {"content_type", c.file_type},
                            {"url", "/api/v1/contracts/" + std::to_string(c.id) + "/file"}};
    return json::object{{"id", c.id},
                        {"deal_id", c.deal_id},
                        {"kind", c.kind},
                        {"number", c.number},
                        {"signed_on", OrNull(c.signed_on)},
                        {"valid_from", OrNull(c.valid_from)},
                        {"valid_to", OrNull(c.valid_to)},
                        {"terms", c.terms},
                        {"status", c.status},
                        {"file", std::move(file)},
                        {"created_by", OrNull(c.created_by)},
                        {"created_at", c.created_at},
                        {"updated_at", c.updated_at},
                        {"deleted_at", OrNull(c.deleted_at)}};
}

// A file's bytes: inline (opens in the browser) unless ?download=true; the name in RFC 5987 form for Cyrillic.
Response File(const Request& req, Download d) {
    Response res;
    res.content_type = d.content_type;
    res.body = std::move(d.bytes);
    const bool download = req.Query("download").value_or("") == "true";
    res.Header("Content-Disposition",
               ContentDisposition(download ? "attachment" : "inline", d.file_name, d.ascii_name));
    res.Header("Cache-Control", "private, no-cache");
    res.Header("ETag", "\"" + d.sha256 + "\"");
    return res;
}

// Requisites as PUT sends them: every field a string, an absent one empty.
core::Result<Requisites> ReadRequisites(const json::object& body) {
    http::FieldReader f(body);
    Requisites r;
    PdfRequisites& o = r.org;
    // Lengths in ValidateRequisites, so every wrong field is told at once.
    const http::FieldReader::StrOpts any{false, 0, 10 * kMaxRequisite};
    const std::pair<const char*, std::string*> fields[] = {{"legal_name", &o.legal_name},
                                                           {"inn", &o.inn},
                                                           {"kpp", &o.kpp},
                                                           {"ogrn", &o.ogrn},
                                                           {"address", &o.address},
                                                           {"bank_name", &o.bank_name},
                                                           {"bik", &o.bik},
                                                           {"account", &o.account},
                                                           {"corr_account", &o.corr_account},
                                                           {"phone", &o.phone},
                                                           {"email", &o.email},
                                                           {"website", &o.website},
                                                           {"signer_title", &r.signer_title},
                                                           {"signer_name", &r.signer_name}};
    for (const auto& [name, slot] : fields) *slot = f.String(name, any).value_or("");
    OTDEL_TRY_VOID(f.Finish());
    return r;
}

core::Result<TemplateInput> ReadTemplate(const json::object& body, bool create) {
    http::FieldReader f(body);
    TemplateInput in;
    in.name = f.String("name", {create, 0, 10 * kMaxTemplateName});
    in.intro_text = f.String("intro_text", {false, 0, 4 * kMaxIntro, false});
    in.terms_text = f.String("terms_text", {false, 0, 4 * kMaxTerms, false});
    if (auto d = f.Int("validity_days", false, INT32_MIN, INT32_MAX)) in.validity_days = static_cast<int>(*d);
    if (!create) in.archived = f.Bool("archived", false);
    OTDEL_TRY_VOID(f.Finish());
    return in;
}

core::Result<ContractInput> ReadContract(const json::object& body, bool create) {
    http::FieldReader f(body);
    ContractInput in;
    // Kinds, statuses, lengths and dates in ValidateContract, so every wrong field is told at once.
    in.kind = f.String("kind", {false, 0, 40});
    in.number = f.String("number", {create, 0, 4 * kMaxContractNumber});
    in.terms = f.String("terms", {false, 0, 4 * kMaxTerms, false});
    in.status = f.String("status", {false, 0, 40});
    auto date = [&](const char* name, bool& set, std::optional<std::string>& out) {
        if (!f.Has(name)) return;
        set = true;
        out = f.String(name, {false, 0, 40});
        if (out && out->empty()) out.reset();
    };
    date("signed_on", in.set_signed_on, in.signed_on);
    date("valid_from", in.set_valid_from, in.valid_from);
    date("valid_to", in.set_valid_to, in.valid_to);
    OTDEL_TRY_VOID(f.Finish());
    return in;
}

}  // namespace

void DocumentsService::Register(http::Router& router) {
    // ---- settings ----
    router.Get("/api/v1/document-settings", Access::kUser, [this](Request& req) {
        auto r = GetRequisites(req.actor);
        if (!r) return http::Problem(req, r.error());
        return http::Json(RequisitesJson(*r));
    });
    router.Put("/api/v1/document-settings", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadRequisites(*body);
        if (!in) return http::Problem(req, in.error());
        auto r = SetRequisites(req.actor, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(RequisitesJson(*r));
    });
    router.Get("/api/v1/document-settings/logo", Access::kUser, [this](Request& req) {
        auto r = Logo(req.actor);
        if (!r) return http::Problem(req, r.error());
        return File(req, std::move(*r));
    });
    router.Put("/api/v1/document-settings/logo", Access::kUser, [this](Request& req) {
        auto r = SetLogo(req.actor, req.body);
        if (!r) return http::Problem(req, r.error());
        return http::Json(RequisitesJson(*r));
    });
    router.Delete("/api/v1/document-settings/logo", Access::kUser, [this](Request& req) {
        auto r = RemoveLogo(req.actor);
        if (!r) return http::Problem(req, r.error());
        return http::Json(RequisitesJson(*r));
    });
    router.Get("/api/v1/proposal-templates", Access::kUser, [this](Request& req) {
        auto r = ListTemplates(req.actor, req.Query("archived").value_or("") == "true");
        if (!r) return http::Problem(req, r.error());
        json::array items, names;
        for (const auto& t : *r) items.push_back(TemplateJson(t));
        for (const auto& n : PlaceholderNames()) names.emplace_back(n);
        return http::Json(json::object{{"items", std::move(items)}, {"placeholders", std::move(names)}});
    });
    router.Post("/api/v1/proposal-templates", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadTemplate(*body, true);
        if (!in) return http::Problem(req, in.error());
        auto r = CreateTemplate(req.actor, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, TemplateJson(*r));
    });
    router.Patch("/api/v1/proposal-templates/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadTemplate(*body, false);
        if (!in) return http::Problem(req, in.error());
        auto r = UpdateTemplate(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(TemplateJson(*r));
    });

    // ---- proposals ----
    router.Get("/api/v1/deals/{id}/proposals", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = ListProposals(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& p : *r) items.push_back(ProposalJson(p));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Post("/api/v1/deals/{id}/proposals", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        ProposalRequest in;
        in.template_id = f.Int("template_id", false, 1, INT64_MAX);
        if (auto lang = f.Enum("lang", false, {"ru", "en"})) in.lang = core::ParseLang(*lang);
        in.valid_until = f.String("valid_until", {false, 0, 40});
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = GenerateProposal(req.actor, *id, in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, ProposalJson(*r));
    });
    router.Get("/api/v1/proposals/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = GetProposal(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ProposalJson(*r));
    });
    router.Patch("/api/v1/proposals/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto status = f.Enum("status", true, {"draft", "sent"});
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = SetProposalStatus(req.actor, *id, *status);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ProposalJson(*r));
    });
    router.Get("/api/v1/proposals/{id}/pdf", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = ProposalPdf(req.actor, *id, req.lang);
        if (!r) return http::Problem(req, r.error());
        return File(req, std::move(*r));
    });

    // ---- contracts ----
    router.Get("/api/v1/deals/{id}/contracts", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = ListContracts(req.actor, *id, req.Query("deleted").value_or("") == "true");
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& c : *r) items.push_back(ContractJson(c));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Post("/api/v1/deals/{id}/contracts", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadContract(*body, true);
        if (!in) return http::Problem(req, in.error());
        auto r = CreateContract(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, ContractJson(*r));
    });
    router.Get("/api/v1/contracts/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = GetContract(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ContractJson(*r));
    });
    router.Patch("/api/v1/contracts/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadContract(*body, false);
        if (!in) return http::Problem(req, in.error());
        auto r = UpdateContract(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ContractJson(*r));
    });
    router.Delete("/api/v1/contracts/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = DeleteContract(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ContractJson(*r));
    });
    router.Post("/api/v1/contracts/{id}/restore", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = RestoreContract(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ContractJson(*r));
    });
    router.Put("/api/v1/contracts/{id}/file", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = UploadContractFile(req.actor, *id, req.Query("file_name").value_or(""), req.body);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ContractJson(*r));
    });
    router.Get("/api/v1/contracts/{id}/file", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = ContractFile(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return File(req, std::move(*r));
    });
}

}  // namespace otdel::documents
