// HTTP handlers of the intake room: settings of forms and channels, and the public endpoints (form submissions
// with CORS / honeypot / rate limits / Idempotency-Key, the embed script, signed webhooks, Telegram updates).
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

#include "core/ids.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"
#include "intake/form_submission.hpp"
#include "intake/intake_service.hpp"
#include "intake/signature.hpp"
#include "intake/webhook_payloads.hpp"

namespace otdel::intake {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kMaxWebhookBytes = 64 * 1024;
constexpr std::size_t kMaxIdempotencyKey = 200;

json::value ParseOr(const std::string& text, json::value fallback) {
    json::error_code ec;
    json::value v = json::parse(text, ec);
    return ec ? fallback : v;
}

/// "https://crm.example.ru" as the caller reached us: Host header, https when a proxy says so.
std::string PublicBase(const Request& req) {
    std::string host(req.Header("host"));
    const bool ok = !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    });
    if (!ok) host = "127.0.0.1";
    const std::string scheme = req.Header("x-forwarded-proto") == "https" ? "https" : "http";
    return scheme + "://" + host;
}
std::string FormEndpoint(const std::string& base, const std::string& key) {
    return base + "/api/v1/public/forms/" + key + "/leads";
}
std::string ScriptUrl(const std::string& base, const std::string& key) {
    return base + "/api/v1/public/forms/" + key + "/embed.js";
}

json::object FormJson(const store::FormRow& f) {
    return json::object{{"id", f.id},
                        {"name", f.name},
                        {"public_key", f.public_key},
                        {"allowed_origins", ParseOr(f.allowed_origins, json::array())},
                        {"honeypot_field", f.honeypot_field},
                        {"rate_per_ip_per_min", f.rate_per_ip_per_min},
                        {"rate_per_key_per_min", f.rate_per_key_per_min},
                        {"campaign", f.campaign},
                        {"default_owner_user_id", http::OrNull(f.default_owner_user_id)},
                        {"success_url", f.success_url},
                        {"active", f.active},
                        {"created_at", f.created_at},
                        {"updated_at", f.updated_at}};
}

std::string HookPath(const store::ChannelRow& c) {
    if (c.kind == "telephony") return "/api/v1/public/hooks/telephony/" + c.public_token;
    if (c.kind == "telegram") return "/api/v1/public/hooks/telegram/" + c.public_token;
    if (c.kind == "webhook") return "/api/v1/public/hooks/generic/" + c.public_token;
    return {};
}

json::object ChannelJson(const store::ChannelRow& c) {
    const std::string path = HookPath(c);
    return json::object{{"id", c.id},
                        {"kind", c.kind},
                        {"name", c.name},
                        {"public_token", c.public_token},
                        {"hook_path", path.empty() ? json::value(nullptr) : json::value(path)},
                        {"config", ParseOr(c.config, json::object())},
                        {"has_secret", !c.secret.empty()},
                        {"poll_cursor", ParseOr(c.poll_cursor, json::object())},
                        {"default_owner_user_id", http::OrNull(c.default_owner_user_id)},
                        {"last_error", c.last_error},
                        {"last_polled_at", http::OrNull(c.last_polled_at)},
                        {"active", c.active},
                        {"created_at", c.created_at},
                        {"updated_at", c.updated_at}};
}

core::Result<Page> ReadPage(const Request& req) {
    auto p = http::ParsePage(req);
    if (!p) return p.take_error();
    return Page{p->after_id.value_or(0), p->limit};
}

json::object Without(const json::object& o, std::string_view name) {
    json::object out = o;
    out.erase(name);
    return out;
}

FormInput ReadForm(const json::object& body, http::FieldReader& f, bool create) {
    FormInput in;
    in.name = f.String("name", {.required = create, .min_len = 1, .max_len = 200});
    if (auto it = body.find("allowed_origins"); it != body.end()) {
        if (!it->value().is_array()) {
            f.AddError("allowed_origins", "wrong_type", "array of strings");
        } else {
            std::vector<std::string> origins;
            for (const auto& v : it->value().as_array()) {
                if (!v.is_string()) {
                    f.AddError("allowed_origins", "wrong_type", "array of strings");
                    break;
                }
                origins.emplace_back(v.as_string());
            }
            in.allowed_origins = std::move(origins);
        }
    }
    in.honeypot_field = f.String("honeypot_field", {.min_len = 1, .max_len = 50});
    if (auto v = f.Int("rate_per_ip_per_min", false, 1, 100'000)) in.rate_per_ip_per_min = static_cast<int>(*v);
    if (auto v = f.Int("rate_per_key_per_min", false, 1, 1'000'000)) in.rate_per_key_per_min = static_cast<int>(*v);
    in.campaign = f.String("campaign", {.max_len = 200});
    in.set_owner = f.Has("default_owner_user_id");
    if (auto v = f.Int("default_owner_user_id", false, 1, INT64_MAX)) in.default_owner_user_id = *v;
    in.success_url = f.String("success_url", {.max_len = 2000});
    in.active = f.Bool("active", false);
    return in;
}

ChannelInput ReadChannel(http::FieldReader& f, bool create) {
    ChannelInput in;
    if (create || f.Has("kind")) in.kind = f.Enum("kind", create, {"telephony", "telegram", "webhook", "imap"});
    in.name = f.String("name", {.required = create, .min_len = 1, .max_len = 200});
    in.secret = f.String("secret", {.max_len = 1000, .trim = false});
    if (const json::object* cfg = f.Object("config", false)) in.config = json::serialize(*cfg);
    in.set_owner = f.Has("default_owner_user_id");
    if (auto v = f.Int("default_owner_user_id", false, 1, INT64_MAX)) in.default_owner_user_id = *v;
    in.active = f.Bool("active", false);
    return in;
}

/// Echoes an allowed Origin (and says the answer depends on it); nothing for others.
void Cors(Response& r, const std::string& origin, bool allowed) {
    r.Header("Vary", "Origin");
    if (!allowed || origin.empty()) return;
    r.Header("Access-Control-Allow-Origin", origin);
    r.Header("Access-Control-Expose-Headers", "Retry-After, Idempotency-Replayed");
}

bool OriginAllowed(const store::FormRow& f, const std::string& origin) {
    if (origin.empty()) return false;
    auto normalized = NormalizeOrigin(origin);
    if (!normalized) return false;
    json::value list = ParseOr(f.allowed_origins, json::array());
    if (!list.is_array()) return false;
    for (const auto& v : list.as_array())
        if (v.is_string() && v.as_string() == *normalized) return true;
    return false;
}

Error RateLimited(int seconds) {
    Error e = Error::Of(ErrorCode::kRateLimited, "intake.rate_limited");
    e.retry_after_s = seconds;
    return e;
}

bool WellFormedIdempotencyKey(std::string_view k) {
    return !k.empty() && k.size() <= kMaxIdempotencyKey &&
           std::all_of(k.begin(), k.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

json::object CustomJson(const std::vector<std::pair<std::string, std::string>>& kv) {
    json::object o;
    for (const auto& [k, v] : kv) o[k] = v;
    return o;
}

leads::IncomingLead FromForm(const store::FormRow& f, const FormSubmission& s, const Request& req) {
    leads::IncomingLead in;
    in.workspace_id = f.workspace_id;
    in.channel = "form";
    in.intake_form_id = f.id;
    in.contact_name = s.name;
    in.company_name = s.company;
    in.inn = s.inn;
    if (!s.phone.empty()) in.phones.push_back(s.phone);
    if (!s.email.empty()) in.emails.push_back(s.email);
    in.request_text = s.message;
    in.campaign = f.campaign;
    in.utm_source = s.utm_source;
    in.utm_medium = s.utm_medium;
    in.utm_campaign = s.utm_campaign;
    in.utm_content = s.utm_content;
    in.utm_term = s.utm_term;
    in.referrer = !s.referrer.empty() ? s.referrer : std::string(req.Header("referer")).substr(0, 2000);
    in.region = s.region;
    in.product = s.product;
    in.custom = CustomJson(s.custom);
    in.default_owner_user_id = f.default_owner_user_id;
    in.event_kind = "request";
    in.payload = json::object{{"page_url", s.page_url}, {"consent", s.consent}};
    in.request_id = req.request_id;
    in.ip = req.actor.ip;
    return in;
}

/// The plain HTML form post of a page without our script: it wants to land somewhere, not read JSON.
bool WantsRedirect(const Request& req, const store::FormRow& f) {
    if (f.success_url.empty()) return false;
    const std::string_view ct = req.Header("content-type");
    return ct.rfind("application/x-www-form-urlencoded", 0) == 0 &&
           req.Header("accept").find("text/html") != std::string_view::npos;
}

Response Accepted(int status, const std::string& receipt) {
    return http::Json(status, json::object{{"accepted", true}, {"receipt", receipt}});
}

std::string_view OutcomeName(leads::IntakeKind k) {
    switch (k) {
        case leads::IntakeKind::kCreatedLead: return "created_lead";
        case leads::IntakeKind::kAttachedToLead: return "attached_to_lead";
        case leads::IntakeKind::kAttachedToClient: return "attached_to_client";
        case leads::IntakeKind::kDuplicateDelivery: return "duplicate_delivery";
    }
    return "created_lead";
}

Response HookAnswer(const leads::IntakeOutcome& o) {
    return http::Json(200, json::object{{"accepted", true}, {"outcome", OutcomeName(o.kind)}});
}

/// Checks X-Otdel-Timestamp / X-Otdel-Signature of a signed webhook against the channel's secret.
std::optional<Error> CheckSigned(const Request& req, const store::ChannelRow& c, core::Millis now) {
    const std::string ts(req.Header("x-otdel-timestamp"));
    const std::string sig(req.Header("x-otdel-signature"));
    auto at = ParseTimestamp(ts);
    if (!at || sig.empty() || !VerifyHmac(c.secret, ts, req.body, sig))
        return Error::Of(ErrorCode::kUnauthenticated, "intake.signature_invalid");
    if (!FreshTimestamp(*at, now)) return Error::Of(ErrorCode::kUnauthenticated, "intake.signature_expired");
    return std::nullopt;
}

}  // namespace

void IntakeService::Register(http::Router& router) {
    // --- forms (settings)
    router.Get("/api/v1/intake/forms", Access::kUser, [this](Request& req) {
        auto page = ReadPage(req);
        if (!page) return http::Problem(req, page.error());
        auto list = ListForms(req.actor, *page);
        if (!list) return http::Problem(req, list.error());
        json::array items;
        for (const auto& f : *list) items.push_back(FormJson(f));
        json::value next = static_cast<int>(list->size()) == page->limit && !list->empty()
                               ? json::value(http::EncodeCursor(list->back().id))
                               : json::value(nullptr);
        return http::Json(json::object{{"items", std::move(items)}, {"next_cursor", next}});
    });
    router.Post("/api/v1/intake/forms", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        json::object rest = Without(*body, "allowed_origins");
        http::FieldReader f(rest);
        FormInput in = ReadForm(*body, f, true);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto form = CreateForm(req.actor, in);
        if (!form) return http::Problem(req, form.error());
        return http::Json(201, FormJson(*form));
    });
    router.Get("/api/v1/intake/forms/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto form = GetForm(req.actor, *id);
        if (!form) return http::Problem(req, form.error());
        return http::Json(FormJson(*form));
    });
    router.Patch("/api/v1/intake/forms/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        json::object rest = Without(*body, "allowed_origins");
        http::FieldReader f(rest);
        FormInput in = ReadForm(*body, f, false);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto form = UpdateForm(req.actor, *id, in);
        if (!form) return http::Problem(req, form.error());
        return http::Json(FormJson(*form));
    });
    router.Delete("/api/v1/intake/forms/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto done = DeleteForm(req.actor, *id);
        if (!done) return http::Problem(req, done.error());
        return Response::NoContent();
    });
    router.Post("/api/v1/intake/forms/{id}/rotate-key", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto form = RotateFormKey(req.actor, *id);
        if (!form) return http::Problem(req, form.error());
        return http::Json(FormJson(*form));
    });
    router.Get("/api/v1/intake/forms/{id}/snippet", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto form = GetForm(req.actor, *id);
        if (!form) return http::Problem(req, form.error());
        const std::string base = PublicBase(req);
        const std::string endpoint = FormEndpoint(base, form->public_key);
        const std::string script = ScriptUrl(base, form->public_key);
        return http::Json(json::object{{"html", EmbedSnippet(endpoint, script, form->public_key, form->honeypot_field)},
                                       {"script_url", script},
                                       {"endpoint_url", endpoint}});
    });

    // --- channels (settings)
    router.Get("/api/v1/intake/channels", Access::kUser, [this](Request& req) {
        auto page = ReadPage(req);
        if (!page) return http::Problem(req, page.error());
        auto list = ListChannels(req.actor, *page);
        if (!list) return http::Problem(req, list.error());
        json::array items;
        for (const auto& c : *list) items.push_back(ChannelJson(c));
        json::value next = static_cast<int>(list->size()) == page->limit && !list->empty()
                               ? json::value(http::EncodeCursor(list->back().id))
                               : json::value(nullptr);
        return http::Json(json::object{{"items", std::move(items)}, {"next_cursor", next}});
    });
    router.Post("/api/v1/intake/channels", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        ChannelInput in = ReadChannel(f, true);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto c = CreateChannel(req.actor, in);
        if (!c) return http::Problem(req, c.error());
        return http::Json(201, ChannelJson(*c));
    });
    router.Get("/api/v1/intake/channels/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto c = GetChannel(req.actor, *id);
        if (!c) return http::Problem(req, c.error());
        return http::Json(ChannelJson(*c));
    });
    router.Patch("/api/v1/intake/channels/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        ChannelInput in = ReadChannel(f, false);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto c = UpdateChannel(req.actor, *id, in);
        if (!c) return http::Problem(req, c.error());
        return http::Json(ChannelJson(*c));
    });
    router.Delete("/api/v1/intake/channels/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto done = DeleteChannel(req.actor, *id);
        if (!done) return http::Problem(req, done.error());
        return Response::NoContent();
    });

    // --- public: website forms
    router.Add("OPTIONS", "/api/v1/public/forms/{key}/leads", Access::kPublic, [this](Request& req) {
        auto form = ActiveFormByKey(req.params["key"]);
        if (!form) return http::Problem(req, Error::Of(ErrorCode::kNotFound));
        const std::string origin(req.Header("origin"));
        Response r = Response::NoContent();
        const bool allowed = OriginAllowed(*form, origin);
        Cors(r, origin, allowed);
        if (allowed) {
            r.Header("Access-Control-Allow-Methods", "POST");
            r.Header("Access-Control-Allow-Headers", "Content-Type, Idempotency-Key, Accept-Language");
            r.Header("Access-Control-Max-Age", "600");
        }
        return r;
    });
    router.Post("/api/v1/public/forms/{key}/leads", Access::kPublic, [this](Request& req) {
        auto form = ActiveFormByKey(req.params["key"]);
        if (!form) return http::Problem(req, Error::Of(ErrorCode::kNotFound));
        const std::string origin(req.Header("origin"));
        const bool allowed = OriginAllowed(*form, origin);
        auto answer = [&](Response r) {
            Cors(r, origin, allowed);
            return r;
        };
        auto fail = [&](const Error& e) { return answer(http::Problem(req, e)); };
        // A browser on a site not on the list: refuse before doing any work. Server-to-server posts carry no Origin.
        if (!origin.empty() && !allowed) return fail(Error::Of(ErrorCode::kForbidden, "intake.origin_not_allowed"));
        if (req.body.size() > kMaxFormBodyBytes) return fail(Error::Of(ErrorCode::kPayloadTooLarge));
        const core::Millis now = clock_.NowMs();
        const std::string fid = std::to_string(form->id);
        if (int wait = limiter_.Take("ip|" + fid + "|" + req.actor.ip, form->rate_per_ip_per_min, now))
            return fail(RateLimited(wait));
        if (int wait = limiter_.Take("key|" + fid, form->rate_per_key_per_min, now)) return fail(RateLimited(wait));

        const std::string idem(req.Header("idempotency-key"));
        if (!idem.empty() && !WellFormedIdempotencyKey(idem))
            return fail(Error{ErrorCode::kBadRequest, {}, {{"Idempotency-Key", "invalid", ""}}, 0});
        auto parsed = ParseFormSubmission(req.Header("content-type"), req.body, form->honeypot_field);
        if (!parsed) return fail(parsed.error());
        if (parsed->honeypot_filled) {
            spdlog::info("intake: form {} honeypot filled from {} (rid={}): dropped", form->id, req.actor.ip,
                         req.request_id);
            return answer(Accepted(200, core::RandomToken(12)));
        }

        const std::string scope = "form:" + fid;
        const std::string hash = core::Sha256Hex(std::string(req.Header("content-type")) + "\n" + req.body);
        std::optional<IdempotencyRecord> record;
        std::string receipt = core::RandomToken(12);
        if (!idem.empty()) {
            if (auto stored = StoredAnswer(form->workspace_id, scope, idem)) {
                if (stored->request_hash != hash)
                    return fail(Error::Of(ErrorCode::kValidation, "intake.idempotency_mismatch"));
                Response r;
                r.status = stored->status;
                r.body = stored->response;
                r.Header("Idempotency-Replayed", "true");
                return answer(std::move(r));
            }
            // The same key always yields the same receipt, so a concurrent twin answers identically.
            receipt = core::Sha256Hex(scope + ":" + idem).substr(0, 24);
            record = IdempotencyRecord{scope, idem, hash, 201, ""};
            record->response = json::serialize(json::object{{"accepted", true}, {"receipt", receipt}});
        }
        PendingLead item{FromForm(*form, *parsed, req), record};
        if (!idem.empty()) item.lead.external_ref = "idem:" + idem;
        item.lead.payload["receipt"] = receipt;
        auto outcome = Submit(std::move(item));
        if (!outcome) return fail(outcome.error());
        if (WantsRedirect(req, *form)) {
            Response r;
            r.status = 303;
            r.content_type.clear();
            r.Header("Location", form->success_url);
            return answer(std::move(r));
        }
        return answer(Accepted(201, receipt));
    });
    router.Get("/api/v1/public/forms/{key}/embed.js", Access::kPublic, [this](Request& req) {
        auto form = ActiveFormByKey(req.params["key"]);
        if (!form) return http::Problem(req, Error::Of(ErrorCode::kNotFound));
        const std::string base = PublicBase(req);
        Response r;
        r.content_type = "text/javascript; charset=utf-8";
        r.body = EmbedScript(FormEndpoint(base, form->public_key), form->public_key, form->honeypot_field);
        r.Header("Cache-Control", "public, max-age=300");
        r.Header("Cross-Origin-Resource-Policy", "cross-origin");
        return r;
    });

    // --- public: signed webhooks
    router.Post("/api/v1/public/hooks/telephony/{token}", Access::kPublic, [this](Request& req) {
        auto ch = ActiveChannelByToken(req.params["token"], "telephony");
        if (!ch) return http::Problem(req, Error::Of(ErrorCode::kNotFound));
        if (req.body.size() > kMaxWebhookBytes) return http::Problem(req, Error::Of(ErrorCode::kPayloadTooLarge));
        if (auto bad = CheckSigned(req, *ch, clock_.NowMs())) return http::Problem(req, *bad);
        auto ev = ParseCallEvent(req.body);
        if (!ev) return http::Problem(req, ev.error());
        if (!RecordNonce(ch->workspace_id, ch->id, ev->event_id))
            return http::Problem(req, Error::Of(ErrorCode::kConflict, "intake.replayed"));
        leads::IncomingLead in;
        in.workspace_id = ch->workspace_id;
        in.channel = "phone";
        in.intake_channel_id = ch->id;
        in.external_ref = ev->event_id;
        in.occurred_at = ev->started_at;
        in.phones.push_back(ev->from);
        in.event_kind = ev->type == "missed" ? "call_missed" : ev->type == "incoming" ? "call_in" : "call_finished";
        in.default_owner_user_id = ch->default_owner_user_id;
        in.payload = json::object{{"type", ev->type},
                                  {"from", ev->from},
                                  {"to", ev->to},
                                  {"duration_s", ev->duration_s},
                                  {"started_at", ev->started_at},
                                  {"recording_url", ev->recording_url}};
        in.request_id = req.request_id;
        in.ip = req.actor.ip;
        auto outcome = Submit(PendingLead{std::move(in), std::nullopt});
        if (!outcome) {
            ForgetNonce(ch->workspace_id, ch->id, ev->event_id);  // the sender's retry must get through
            return http::Problem(req, outcome.error());
        }
        return HookAnswer(*outcome);
    });
    router.Post("/api/v1/public/hooks/generic/{token}", Access::kPublic, [this](Request& req) {
        auto ch = ActiveChannelByToken(req.params["token"], "webhook");
        if (!ch) return http::Problem(req, Error::Of(ErrorCode::kNotFound));
        if (req.body.size() > kMaxWebhookBytes) return http::Problem(req, Error::Of(ErrorCode::kPayloadTooLarge));
        if (auto bad = CheckSigned(req, *ch, clock_.NowMs())) return http::Problem(req, *bad);
        auto g = ParseGenericLead(req.body);
        if (!g) return http::Problem(req, g.error());
        const std::string nonce = std::string(req.Header("x-otdel-timestamp")) + ":" + g->external_id;
        if (!RecordNonce(ch->workspace_id, ch->id, nonce))
            return http::Problem(req, Error::Of(ErrorCode::kConflict, "intake.replayed"));
        leads::IncomingLead in;
        in.workspace_id = ch->workspace_id;
        in.channel = "webhook";
        in.intake_channel_id = ch->id;
        in.external_ref = (g->source.empty() ? "" : g->source + ":") + g->external_id;
        in.occurred_at = g->occurred_at;
        in.contact_name = g->name;
        in.company_name = g->company;
        in.phones = g->phones;
        in.emails = g->emails;
        in.request_text = g->message;
        in.product = g->product;
        in.region = g->region;
        for (const auto& [k, v] : g->utm) {
            if (k == "source") in.utm_source = v;
            if (k == "medium") in.utm_medium = v;
            if (k == "campaign") in.utm_campaign = v;
            if (k == "content") in.utm_content = v;
            if (k == "term") in.utm_term = v;
        }
        in.campaign = g->source;
        in.custom = CustomJson(g->custom);
        in.default_owner_user_id = ch->default_owner_user_id;
        in.payload = json::object{{"source", g->source}, {"external_id", g->external_id}};
        in.request_id = req.request_id;
        in.ip = req.actor.ip;
        auto outcome = Submit(PendingLead{std::move(in), std::nullopt});
        if (!outcome) {
            ForgetNonce(ch->workspace_id, ch->id, nonce);
            return http::Problem(req, outcome.error());
        }
        return HookAnswer(*outcome);
    });
    router.Post("/api/v1/public/hooks/telegram/{token}", Access::kPublic, [this](Request& req) {
        auto ch = ActiveChannelByToken(req.params["token"], "telegram");
        if (!ch) return http::Problem(req, Error::Of(ErrorCode::kNotFound));
        if (!SecretMatches(ch->secret, req.Header("x-telegram-bot-api-secret-token")))
            return http::Problem(req, Error::Of(ErrorCode::kUnauthenticated, "intake.telegram_secret"));
        if (req.body.size() > kMaxWebhookBytes) return http::Problem(req, Error::Of(ErrorCode::kPayloadTooLarge));
        auto update = ParseTelegramUpdate(req.body);
        if (!update) return http::Problem(req, update.error());
        if (!update->has_value()) return http::Json(200, json::object{{"accepted", false}, {"outcome", "ignored"}});
        const TelegramMessage& m = **update;
        leads::IncomingLead in;
        in.workspace_id = ch->workspace_id;
        in.channel = "telegram";
        in.intake_channel_id = ch->id;
        in.external_ref = std::to_string(m.update_id);
        in.occurred_at = m.date;
        in.contact_name = m.DisplayName();
        if (!m.contact_phone.empty()) in.phones.push_back(m.contact_phone);
        in.request_text = m.text;
        in.event_kind = "message_in";
        in.default_owner_user_id = ch->default_owner_user_id;
        in.payload = json::object{
            {"chat_id", m.chat_id}, {"message_id", m.message_id}, {"username", m.username}, {"edited", m.edited}};
        in.request_id = req.request_id;
        in.ip = req.actor.ip;
        auto outcome = Submit(PendingLead{std::move(in), std::nullopt});
        // Telegram redelivers anything but a 2xx for a day: an update we cannot use is answered and dropped.
        if (!outcome && outcome.error().code == ErrorCode::kValidation) {
            spdlog::warn("intake: telegram channel {} update {} not usable: dropped", ch->id, m.update_id);
            return http::Json(200, json::object{{"accepted", false}, {"outcome", "ignored"}});
        }
        if (!outcome) return http::Problem(req, outcome.error());
        return HookAnswer(*outcome);
    });
}

}  // namespace otdel::intake
