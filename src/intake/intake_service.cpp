#include "intake/intake_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

#include "auth/visibility.hpp"
#include "core/ids.hpp"
#include "events/audit.hpp"
#include "http/json.hpp"
#include "intake/signature.hpp"
#include "jobs/scheduler.hpp"

namespace otdel::intake {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr const char* kPruneJob = "intake.prune";
constexpr core::Millis kPruneEveryMs = 3600LL * 1000;
constexpr std::size_t kMaxOrigins = 20;
const std::vector<std::string_view> kChannelKinds = {"telephony", "telegram", "webhook", "imap"};

Error NotFound() {
    return Error::Of(ErrorCode::kNotFound);
}
Error Forbidden() {
    return Error::Of(ErrorCode::kForbidden, "intake.manage_forbidden");
}
Error Invalid(std::string field, std::string code, std::string param = {}) {
    return Error::Field(std::move(field), std::move(code), std::move(param));
}

json::array ParseOrigins(const std::string& text) {
    json::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_array()) return {};
    return v.as_array();
}

json::object FormAudit(const store::FormRow& f) {
    return json::object{{"name", f.name},
                        {"allowed_origins", ParseOrigins(f.allowed_origins)},
                        {"honeypot_field", f.honeypot_field},
                        {"rate_per_ip_per_min", f.rate_per_ip_per_min},
                        {"rate_per_key_per_min", f.rate_per_key_per_min},
                        {"campaign", f.campaign},
                        {"default_owner_user_id", http::OrNull(f.default_owner_user_id)},
                        {"success_url", f.success_url},
                        {"active", f.active}};
}

json::object ChannelAudit(const store::ChannelRow& c) {
    json::error_code ec;
    json::value config = json::parse(c.config, ec);
    return json::object{{"kind", c.kind},
                        {"name", c.name},
                        {"config", ec ? json::value(nullptr) : config},
                        {"default_owner_user_id", http::OrNull(c.default_owner_user_id)},
                        {"active", c.active}};
}

bool IsFieldName(std::string_view s) {
    return !s.empty() && s.size() <= 50 && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

bool IsHttpUrl(std::string_view s) {
    auto u = boost::urls::parse_absolute_uri(boost::core::string_view(s.data(), s.size()));
    if (!u) return false;
    return (u->scheme() == "https" || u->scheme() == "http") && !u->host().empty();
}

bool UserInWorkspace(soci::session& sql, core::Id ws, core::Id user_id) {
    long long w = ws, id = user_id, found = 0;
    sql << "SELECT id FROM users WHERE workspace_id = :ws AND id = :id", soci::use(w, "ws"), soci::use(id, "id"),
        soci::into(found);
    return sql.got_data();
}

/// Checks and fills a form row from the input; field errors collected in `errs`.
void ApplyForm(soci::session& sql, core::Id ws, const FormInput& in, store::FormRow& f,
               std::vector<core::FieldError>& errs) {
    if (in.name) f.name = *in.name;
    if (in.allowed_origins) {
        json::array arr;
        if (in.allowed_origins->size() > kMaxOrigins) {
            errs.push_back({"allowed_origins", "too_many", std::to_string(kMaxOrigins)});
        } else {
            for (std::size_t i = 0; i < in.allowed_origins->size(); ++i) {
                auto o = NormalizeOrigin((*in.allowed_origins)[i]);
                if (!o) {
                    errs.push_back({"allowed_origins/" + std::to_string(i), "invalid_origin", ""});
                    continue;
                }
                if (std::find(arr.begin(), arr.end(), json::value(*o)) == arr.end()) arr.emplace_back(*o);
            }
        }
        f.allowed_origins = json::serialize(arr);
    }
    if (in.honeypot_field) {
        if (!IsFieldName(*in.honeypot_field))
            errs.push_back({"honeypot_field", "invalid", ""});
        else
            f.honeypot_field = *in.honeypot_field;
    }
    if (in.rate_per_ip_per_min) f.rate_per_ip_per_min = *in.rate_per_ip_per_min;
    if (in.rate_per_key_per_min) f.rate_per_key_per_min = *in.rate_per_key_per_min;
    if (in.campaign) f.campaign = *in.campaign;
    if (in.set_owner) {
        if (in.default_owner_user_id && !UserInWorkspace(sql, ws, *in.default_owner_user_id))
            errs.push_back({"default_owner_user_id", "invalid", ""});
        f.default_owner_user_id = in.default_owner_user_id;
    }
    if (in.success_url) {
        if (!in.success_url->empty() && !IsHttpUrl(*in.success_url))
            errs.push_back({"success_url", "invalid_url", ""});
        else
            f.success_url = *in.success_url;
    }
    if (in.active) f.active = *in.active;
}

/// Kind-specific configuration: IMAP needs its server; the webhooks take a few plain labels.
std::optional<std::string> CheckConfig(const std::string& kind, const std::string& text,
                                       std::vector<core::FieldError>& errs) {
    json::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) {
        errs.push_back({"config", "wrong_type", "object"});
        return std::nullopt;
    }
    json::object& o = v.as_object();
    if (kind == "imap") {
        json::object out;
        auto str = [&](const char* k, bool required, std::size_t max) -> std::string {
            auto it = o.find(k);
            if (it == o.end() || it->value().is_null()) {
                if (required) errs.push_back({std::string("config/") + k, "required", ""});
                return {};
            }
            if (!it->value().is_string() || it->value().as_string().size() > max) {
                errs.push_back({std::string("config/") + k, "invalid", ""});
                return {};
            }
            return std::string(it->value().as_string());
        };
        auto num = [&](const char* k, std::int64_t def, std::int64_t lo, std::int64_t hi) -> std::int64_t {
            auto it = o.find(k);
            if (it == o.end() || it->value().is_null()) return def;
            if (!it->value().is_int64() || it->value().as_int64() < lo || it->value().as_int64() > hi) {
                errs.push_back(
                    {std::string("config/") + k, "out_of_range", std::to_string(lo) + ".." + std::to_string(hi)});
                return def;
            }
            return it->value().as_int64();
        };
        for (const auto& [k, _] : o) {
            static const std::vector<std::string_view> known = {"host", "port",   "tls",
                                                                "user", "folder", "poll_minutes"};
            if (std::find(known.begin(), known.end(), std::string_view(k)) == known.end())
                errs.push_back({"config/" + std::string(k), "unknown_field", ""});
        }
        out["host"] = str("host", true, 255);
        std::string tls = str("tls", false, 10);
        if (tls.empty()) tls = "tls";
        if (tls != "none" && tls != "starttls" && tls != "tls")
            errs.push_back({"config/tls", "not_one_of", "none, starttls, tls"});
        out["tls"] = tls;
        out["port"] = num("port", tls == "tls" ? 993 : 143, 1, 65535);
        out["user"] = str("user", true, 255);
        std::string folder = str("folder", false, 255);
        out["folder"] = folder.empty() ? "INBOX" : folder;
        out["poll_minutes"] = num("poll_minutes", 5, 1, 1440);
        return json::serialize(out);
    }
    if (o.size() > 10) errs.push_back({"config", "too_many", "10"});
    for (const auto& [k, val] : o)
        if (!val.is_string() || val.as_string().size() > 200)
            errs.push_back({"config/" + std::string(k), "wrong_type", "string"});
    return json::serialize(o);
}

bool ValidSecret(const std::string& kind, const std::string& s) {
    if (kind == "telegram")  // Telegram's secret_token: 1-256 of A-Z, a-z, 0-9, _ and -
        return !s.empty() && s.size() <= 256 && std::all_of(s.begin(), s.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
        });
    if (kind == "imap") return !s.empty() && s.size() <= 1000;
    return s.size() >= 16 && s.size() <= 1000;  // HMAC keys: long enough to resist guessing
}

}  // namespace

std::optional<std::string> NormalizeOrigin(std::string_view text) {
    auto u = boost::urls::parse_absolute_uri(boost::core::string_view(text.data(), text.size()));
    if (!u) return std::nullopt;
    std::string scheme(u->scheme());
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != "http" && scheme != "https") return std::nullopt;
    if (u->has_userinfo() || u->has_query() || u->has_fragment()) return std::nullopt;
    if (!u->encoded_path().empty() && u->encoded_path() != "/") return std::nullopt;
    std::string host(u->encoded_host());
    if (host.empty()) return std::nullopt;
    for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string out = scheme + "://" + host;
    if (u->has_port()) {
        const std::string port(u->port());
        if (port.empty() || port.size() > 5) return std::nullopt;
        const bool default_port = (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
        if (!default_port) out += ":" + port;
    }
    return out;
}

IntakeService::IntakeService(db::Database& db, const core::Clock& clock, LeadSink sink, IntakeOptions options)
    : db_(db), clock_(clock), sink_(std::move(sink)), options_(options) {
    batcher_ = std::make_unique<GroupCommitter<PendingLead, leads::IntakeOutcome>>(
        [this](std::vector<PendingLead>& items) -> core::Result<std::vector<core::Result<leads::IntakeOutcome>>> {
            return CommitBatch(items);
        },
        options_.batcher);
}

IntakeService::~IntakeService() {
    Stop();
}

void IntakeService::Stop() {
    if (!batcher_ || stopped_.exchange(true)) return;
    batcher_->Stop();
    const BatcherStats st = batcher_->stats();
    if (st.items > 0) {
        spdlog::info("intake group commit: {} items in {} transactions (largest {}, {} retried one by one)", st.items,
                     st.batches, st.largest_batch, st.fallbacks);
        if (db_.engine() == db::Engine::kSqlite) {
            const auto q = db_.write_queue_stats();
            spdlog::info("database write queue: {} write transactions, {} waited for another (mean {} us, max {} us)",
                         q.transactions, q.waited, q.waited ? q.wait_us / q.waited : 0, q.max_wait_us);
        }
    }
}

bool IntakeService::CanManage(soci::session& sql, const core::Actor& a) {
    if (a.kind == core::ActorKind::kSystem) return true;
    if (!a.authenticated()) return false;
    if (a.is_admin) return true;
    // Settings are for roles holding "org" update (heads of sales and leaders in the seeded catalog).
    const auth::Visibility vis = auth::BuildVisibility(sql, a, "1970-01-01");
    return vis.Can(auth::Action::kUpdate, "org");
}

// --- forms ------------------------------------------------------------------------------------------------------

core::Result<std::vector<store::FormRow>> IntakeService::ListForms(const core::Actor& a, Page page) {
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<store::FormRow>> {
        if (!CanManage(sql, a)) return Forbidden();
        return store::ListForms(sql, a.workspace_id, page.after_id, page.limit);
    });
}

core::Result<store::FormRow> IntakeService::GetForm(const core::Actor& a, core::Id id) {
    return db_.Read([&](soci::session& sql) -> core::Result<store::FormRow> {
        if (!CanManage(sql, a)) return Forbidden();
        auto f = store::SelectForm(sql, a.workspace_id, id);
        if (!f) return NotFound();
        return *f;
    });
}

core::Result<store::FormRow> IntakeService::CreateForm(const core::Actor& a, const FormInput& in) {
    return db_.InTx([&](soci::session& sql) -> core::Result<store::FormRow> {
        if (!CanManage(sql, a)) return Forbidden();
        store::FormRow f;
        f.workspace_id = a.workspace_id;
        std::vector<core::FieldError> errs;
        ApplyForm(sql, a.workspace_id, in, f, errs);
        if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
        f.public_key = "f" + core::RandomToken(16);
        f.created_at = f.updated_at = clock_.NowMs();
        f.id = store::InsertForm(sql, f);
        events::WriteAudit(sql, a, f.created_at,
                           {"intake_form.create", "intake_form", f.id, std::nullopt, FormAudit(f)});
        return f;
    });
}

core::Result<store::FormRow> IntakeService::UpdateForm(const core::Actor& a, core::Id id, const FormInput& in) {
    return db_.InTx([&](soci::session& sql) -> core::Result<store::FormRow> {
        if (!CanManage(sql, a)) return Forbidden();
        auto f = store::SelectForm(sql, a.workspace_id, id);
        if (!f) return NotFound();
        const json::object before = FormAudit(*f);
        std::vector<core::FieldError> errs;
        ApplyForm(sql, a.workspace_id, in, *f, errs);
        if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
        f->updated_at = clock_.NowMs();
        store::UpdateForm(sql, *f);
        events::WriteAudit(sql, a, f->updated_at, {"intake_form.update", "intake_form", f->id, before, FormAudit(*f)});
        return *f;
    });
}

core::Result<void> IntakeService::DeleteForm(const core::Actor& a, core::Id id) {
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        if (!CanManage(sql, a)) return Forbidden();
        auto f = store::SelectForm(sql, a.workspace_id, id);
        if (!f || !store::DeleteForm(sql, a.workspace_id, id)) return NotFound();
        events::WriteAudit(sql, a, clock_.NowMs(),
                           {"intake_form.delete", "intake_form", id, FormAudit(*f), std::nullopt});
        return core::Ok();
    });
}

core::Result<store::FormRow> IntakeService::RotateFormKey(const core::Actor& a, core::Id id) {
    return db_.InTx([&](soci::session& sql) -> core::Result<store::FormRow> {
        if (!CanManage(sql, a)) return Forbidden();
        auto f = store::SelectForm(sql, a.workspace_id, id);
        if (!f) return NotFound();
        f->public_key = "f" + core::RandomToken(16);
        f->updated_at = clock_.NowMs();
        store::UpdateForm(sql, *f);
        events::WriteAudit(sql, a, f->updated_at,
                           {"intake_form.rotate_key", "intake_form", f->id, std::nullopt, std::nullopt});
        return *f;
    });
}

// --- channels ---------------------------------------------------------------------------------------------------

core::Result<std::vector<store::ChannelRow>> IntakeService::ListChannels(const core::Actor& a, Page page) {
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<store::ChannelRow>> {
        if (!CanManage(sql, a)) return Forbidden();
        return store::ListChannels(sql, a.workspace_id, page.after_id, page.limit);
    });
}

core::Result<store::ChannelRow> IntakeService::GetChannel(const core::Actor& a, core::Id id) {
    return db_.Read([&](soci::session& sql) -> core::Result<store::ChannelRow> {
        if (!CanManage(sql, a)) return Forbidden();
        auto c = store::SelectChannel(sql, a.workspace_id, id);
        if (!c) return NotFound();
        return *c;
    });
}

core::Result<store::ChannelRow> IntakeService::CreateChannel(const core::Actor& a, const ChannelInput& in) {
    auto created = db_.InTx([&](soci::session& sql) -> core::Result<store::ChannelRow> {
        if (!CanManage(sql, a)) return Forbidden();
        std::vector<core::FieldError> errs;
        store::ChannelRow c;
        c.workspace_id = a.workspace_id;
        c.kind = in.kind.value_or("");
        c.name = in.name.value_or("");
        if (std::find(kChannelKinds.begin(), kChannelKinds.end(), c.kind) == kChannelKinds.end()) {
            errs.push_back({"kind", "not_one_of", "telephony, telegram, webhook, imap"});
            return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
        }
        if (!in.secret || !ValidSecret(c.kind, *in.secret))
            errs.push_back({"secret", in.secret ? "invalid_secret" : "required", c.kind == "telegram" ? "1" : "16"});
        else
            c.secret = *in.secret;
        if (auto cfg = CheckConfig(c.kind, in.config.value_or("{}"), errs)) c.config = *cfg;
        if (in.set_owner) {
            if (in.default_owner_user_id && !UserInWorkspace(sql, a.workspace_id, *in.default_owner_user_id))
                errs.push_back({"default_owner_user_id", "invalid", ""});
            c.default_owner_user_id = in.default_owner_user_id;
        }
        if (in.active) c.active = *in.active;
        if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
        c.public_token = "c" + core::RandomToken(16);
        c.created_at = c.updated_at = clock_.NowMs();
        c.id = store::InsertChannel(sql, c);
        if (c.kind == "imap" && c.active) SchedulePoll(sql, c.workspace_id, c.id, c.created_at, 0);
        events::WriteAudit(sql, a, c.created_at,
                           {"intake_channel.create", "intake_channel", c.id, std::nullopt, ChannelAudit(c)});
        return c;
    });
    if (created && created->kind == "imap" && scheduler_) scheduler_->Wake();  // the first poll is due now
    return created;
}

core::Result<store::ChannelRow> IntakeService::UpdateChannel(const core::Actor& a, core::Id id,
                                                             const ChannelInput& in) {
    auto updated = db_.InTx([&](soci::session& sql) -> core::Result<store::ChannelRow> {
        if (!CanManage(sql, a)) return Forbidden();
        auto c = store::SelectChannel(sql, a.workspace_id, id);
        if (!c) return NotFound();
        const json::object before = ChannelAudit(*c);
        std::vector<core::FieldError> errs;
        if (in.kind && *in.kind != c->kind) errs.push_back({"kind", "immutable", ""});
        if (in.name) c->name = *in.name;
        bool secret_changed = false;
        if (in.secret) {
            if (!ValidSecret(c->kind, *in.secret)) {
                errs.push_back({"secret", "invalid_secret", c->kind == "telegram" ? "1" : "16"});
            } else {
                secret_changed = c->secret != *in.secret;
                c->secret = *in.secret;
            }
        }
        if (in.config) {
            if (auto cfg = CheckConfig(c->kind, *in.config, errs)) {
                // A different mailbox starts from its own beginning.
                if (c->kind == "imap" && *cfg != c->config) c->poll_cursor = "{}";
                c->config = *cfg;
            }
        }
        if (in.set_owner) {
            if (in.default_owner_user_id && !UserInWorkspace(sql, a.workspace_id, *in.default_owner_user_id))
                errs.push_back({"default_owner_user_id", "invalid", ""});
            c->default_owner_user_id = in.default_owner_user_id;
        }
        if (in.active) c->active = *in.active;
        if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
        c->updated_at = clock_.NowMs();
        store::UpdateChannel(sql, *c);
        if (c->kind == "imap" && c->active) SchedulePoll(sql, c->workspace_id, c->id, c->updated_at, 0);
        json::object after = ChannelAudit(*c);
        if (secret_changed) after["secret_changed"] = true;
        events::WriteAudit(sql, a, c->updated_at, {"intake_channel.update", "intake_channel", c->id, before, after});
        return *c;
    });
    if (updated && updated->kind == "imap" && scheduler_) scheduler_->Wake();
    return updated;
}

core::Result<void> IntakeService::DeleteChannel(const core::Actor& a, core::Id id) {
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        if (!CanManage(sql, a)) return Forbidden();
        auto c = store::SelectChannel(sql, a.workspace_id, id);
        if (!c || !store::DeleteChannel(sql, a.workspace_id, id)) return NotFound();
        events::WriteAudit(sql, a, clock_.NowMs(),
                           {"intake_channel.delete", "intake_channel", id, ChannelAudit(*c), std::nullopt});
        return core::Ok();
    });
}

// --- public side ------------------------------------------------------------------------------------------------

std::optional<store::FormRow> IntakeService::ActiveFormByKey(const std::string& key) {
    if (key.empty() || key.size() > 100) return std::nullopt;
    auto f = db_.Read([&](soci::session& sql) { return store::SelectFormByKey(sql, key); });
    if (!f || !f->active) return std::nullopt;
    return f;
}

std::optional<store::ChannelRow> IntakeService::ActiveChannelByToken(const std::string& token, std::string_view kind) {
    if (token.empty() || token.size() > 100) return std::nullopt;
    auto c = db_.Read([&](soci::session& sql) { return store::SelectChannelByToken(sql, token); });
    if (!c || !c->active || c->kind != kind) return std::nullopt;
    return c;
}

std::optional<store::IdempotentAnswer> IntakeService::StoredAnswer(core::Id ws, const std::string& scope,
                                                                   const std::string& key) {
    return db_.Read([&](soci::session& sql) { return store::SelectIdempotent(sql, ws, scope, key); });
}

bool IntakeService::RecordNonce(core::Id ws, core::Id channel_id, const std::string& nonce) {
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<bool> {
        return store::InsertReplay(sql, ws, channel_id, nonce, clock_.NowMs());
    });
    return r.ok() && *r;
}

void IntakeService::ForgetNonce(core::Id ws, core::Id channel_id, const std::string& nonce) {
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        store::DeleteReplay(sql, ws, channel_id, nonce);
        return core::Ok();
    });
    (void)r;
}

core::Result<leads::IntakeOutcome> IntakeService::Submit(PendingLead item) {
    return batcher_->Submit(std::move(item));
}

std::vector<core::Result<leads::IntakeOutcome>> IntakeService::CommitBatch(std::vector<PendingLead>& items) {
    std::vector<leads::IncomingLead> leads;
    leads.reserve(items.size());
    for (auto& p : items) leads.push_back(p.lead);
    auto results = sink_(std::span<const leads::IncomingLead>(leads));
    // Remember the answers of keyed submissions that went through, all in one more transaction. A crash between
    // the two commits is covered by the lead's external_ref: the retried key finds the lead and is a duplicate.
    bool any = false;
    for (std::size_t i = 0; i < items.size() && i < results.size(); ++i) any |= results[i].ok() && items[i].idempotency;
    if (any) {
        try {
            auto stored = db_.InTx([&](soci::session& sql) -> core::Result<void> {
                const core::Millis now = clock_.NowMs();
                for (std::size_t i = 0; i < items.size() && i < results.size(); ++i) {
                    if (!results[i].ok() || !items[i].idempotency) continue;
                    const IdempotencyRecord& r = *items[i].idempotency;
                    store::InsertIdempotent(sql, items[i].lead.workspace_id, r.scope, r.key,
                                            {r.request_hash, r.status, r.response}, now);
                }
                return core::Ok();
            });
            (void)stored;
        } catch (const std::exception& e) {
            spdlog::warn("intake: storing Idempotency-Key answers failed: {}", e.what());
        }
    }
    return results;
}

void IntakeService::SchedulePoll(soci::session& sql, core::Id ws, core::Id channel_id, core::Millis at, int failures) {
    jobs::JobSpec spec;
    spec.workspace_id = ws;
    spec.kind = kImapPollJob;
    spec.payload = json::object{{"channel_id", channel_id}, {"failures", failures}};
    spec.run_at = at;
    spec.dedupe_key = "imap:" + std::to_string(channel_id);
    jobs::JobStore::Schedule(sql, spec, clock_.NowMs());
    store::PullPendingJobForward(sql, ws, kImapPollJob, *spec.dedupe_key, at, json::serialize(spec.payload));
}

void IntakeService::Prune(core::Millis now) {
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const long long replays = store::PruneReplay(sql, now - 2 * kSignatureWindowMs);
        const long long keys = store::PruneIdempotent(sql, now - options_.idempotency_ttl_ms);
        if (replays + keys > 0) spdlog::info("intake prune: {} replay nonces, {} idempotency keys", replays, keys);
        return core::Ok();
    });
    (void)r;
}

void IntakeService::RegisterJobs(jobs::Scheduler& scheduler) {
    scheduler_ = &scheduler;
    RegisterPollJob(scheduler);
    scheduler.Register(kPruneJob, [this](const jobs::JobContext& ctx) -> core::Result<void> {
        Prune(ctx.now);
        return ctx.db.InTx([&](soci::session& sql) -> core::Result<void> {
            jobs::JobSpec next;
            next.kind = kPruneJob;
            next.run_at = ctx.now + kPruneEveryMs;
            next.dedupe_key = "intake.prune";
            jobs::JobStore::Schedule(sql, next, ctx.now);
            return core::Ok();
        });
    });
    jobs::JobSpec first;
    first.kind = kPruneJob;
    first.run_at = clock_.NowMs() + kPruneEveryMs;
    first.dedupe_key = "intake.prune";
    scheduler.store().Schedule(first, clock_.NowMs());
}

}  // namespace otdel::intake
