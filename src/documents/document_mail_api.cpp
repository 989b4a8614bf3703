// HTTP handlers of sending proposals and invoices by e-mail: parse with FieldReader, call DocumentMailService, answer
// JSON.
#include <boost/json.hpp>

#include "core/messages.hpp"
#include "documents/document_mail_service.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace otdel::documents {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

json::object EmailJson(const DocumentEmail& e, core::Lang lang) {
    json::value error_text = nullptr;
    if (e.last_error)
        error_text =
            json::value(core::ErrorMessage(core::Error::Of(core::ErrorCode::kUnavailable, *e.last_error), lang));
    return json::object{{"id", e.id},
                        {"deal_id", e.deal_id},
                        {"kind", e.kind},
                        {"proposal_id", http::OrNull(e.proposal_id)},
                        {"invoice_id", http::OrNull(e.invoice_id)},
                        {"to", json::value_from(e.to)},
                        {"cc", json::value_from(e.cc)},
                        {"subject", e.subject},
                        {"body", e.body},
                        {"lang", e.lang},
                        {"file_name", e.file_name},
                        {"file_size", e.file_size},
                        {"from_address", e.from_address},
                        {"message_id", e.message_id},
                        {"status", e.status},
                        {"attempts", e.attempts},
                        {"last_error", http::OrNull(e.last_error)},
                        {"last_error_text", std::move(error_text)},
                        {"activity_id", http::OrNull(e.activity_id)},
                        {"created_by", http::OrNull(e.created_by)},
                        {"created_by_name", e.created_by_name},
                        {"created_at", e.created_at},
                        {"sent_at", http::OrNull(e.sent_at)}};
}

json::object TemplateJson(const MailTemplate& t) {
    return json::object{{"kind", t.kind}, {"lang", t.lang},     {"subject", t.subject},
                        {"body", t.body}, {"custom", t.custom}, {"updated_at", http::OrNull(t.updated_at)}};
}

// A list of addresses (field errors per item); empty when absent.
std::vector<std::string> Addresses(const json::object& body, http::FieldReader& f, const char* name) {
    std::vector<std::string> out;
    auto it = body.find(name);
    if (it == body.end()) return out;
    f.Known(name);
    if (!it->value().is_array()) {
        f.AddError(name, "wrong_type", "array");
        return out;
    }
    const auto& arr = it->value().as_array();
    if (arr.size() > kMaxMailRecipients) f.AddError(name, "too_many", std::to_string(kMaxMailRecipients));
    for (std::size_t i = 0; i < arr.size() && i <= kMaxMailRecipients; ++i) {
        if (!arr[i].is_string() || arr[i].as_string().size() > 320) {
            f.AddError(std::string(name) + "/" + std::to_string(i), "invalid_email", "");
            continue;
        }
        out.emplace_back(arr[i].as_string());
    }
    return out;
}

core::Lang LangParam(const Request& req) {
    const auto q = req.Query("lang");
    if (q == "en") return core::Lang::kEn;
    if (q == "ru") return core::Lang::kRu;
    return req.lang;
}

}  // namespace

void DocumentMailService::Register(http::Router& router) {
    for (const std::string kind : {"proposal", "invoice"}) {
        const std::string base = "/api/v1/" + kind + "s/{id}/";
        router.Get(base + "email-draft", Access::kUser, [this, kind](Request& req) {
            auto id = http::PathId(req);
            if (!id) return http::Problem(req, id.error());
            auto r = Draft(req.actor, kind, *id, LangParam(req));
            if (!r) return http::Problem(req, r.error());
            return http::Json(json::object{{"to", json::value_from(r->to)},
                                           {"cc", json::value_from(r->cc)},
                                           {"subject", r->subject},
                                           {"body", r->body},
                                           {"lang", r->lang},
                                           {"file_name", r->file_name},
                                           {"from_address", r->from_address}});
        });
        router.Get(base + "emails", Access::kUser, [this, kind](Request& req) {
            auto id = http::PathId(req);
            if (!id) return http::Problem(req, id.error());
            auto r = History(req.actor, kind, *id);
            if (!r) return http::Problem(req, r.error());
            json::array items;
            for (const auto& e : *r) items.push_back(EmailJson(e, req.lang));
            return http::Json(json::object{{"items", std::move(items)}});
        });
        router.Post(base + "emails", Access::kUser, [this, kind](Request& req) {
            auto id = http::PathId(req);
            if (!id) return http::Problem(req, id.error());
            auto body = http::ParseJsonObject(req);
            if (!body) return http::Problem(req, body.error());
            http::FieldReader f(*body);
            MailSendInput in;
            in.to = Addresses(*body, f, "to");
            in.cc = Addresses(*body, f, "cc");
            in.subject = f.String("subject", {false, 0, 4 * kMaxMailSubject});
            in.body = f.String("body", {false, 0, 4 * kMaxMailBody});
            in.lang = req.lang;
            if (auto lang = f.Enum("lang", false, {"ru", "en"})) in.lang = core::ParseLang(*lang);
            if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
            auto r = Send(req.actor, kind, *id, in);
            if (!r) return http::Problem(req, r.error());
            return http::Json(202, EmailJson(*r, req.lang));
        });
    }
    router.Post("/api/v1/document-emails/{id}/retry", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Retry(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(202, EmailJson(*r, req.lang));
    });
    router.Get("/api/v1/document-mail-templates", Access::kUser, [this](Request& req) {
        auto r = Templates(req.actor);
        if (!r) return http::Problem(req, r.error());
        json::array items, names;
        for (const auto& t : *r) items.push_back(TemplateJson(t));
        for (const auto& n : MailPlaceholderNames()) names.emplace_back(n);
        return http::Json(json::object{{"items", std::move(items)}, {"placeholders", std::move(names)}});
    });
    router.Put("/api/v1/document-mail-templates/{kind}/{lang}", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        MailTemplate t;
        t.kind = req.params["kind"];
        t.lang = req.params["lang"];
        const bool reset = f.Bool("reset", false).value_or(false);
        t.subject = f.String("subject", {!reset, 0, 4 * kMaxMailSubject}).value_or("");
        t.body = f.String("body", {!reset, 0, 4 * kMaxMailBody}).value_or("");
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = PutTemplate(req.actor, t, reset);
        if (!r) return http::Problem(req, r.error());
        return http::Json(TemplateJson(*r));
    });
}

}  // namespace otdel::documents
