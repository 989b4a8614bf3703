#include "notify/notify_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "events/audit.hpp"
#include "events/notifications.hpp"
#include "jobs/job_store.hpp"
#include "notify/notify_store.hpp"

namespace otdel::notify {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

core::Result<void> SignedInUser(const core::Actor& a) {
    if (!a.authenticated() || a.user_id == 0) return Error::Of(ErrorCode::kUnauthenticated);
    return core::Ok();
}

std::map<std::string, std::string> Params(const std::string& text) {
    std::map<std::string, std::string> out;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return out;
    for (const auto& [k, x] : v.as_object()) {
        if (x.is_string()) {
            out[std::string(k)] = std::string(x.as_string());
        } else if (!x.is_null()) {
            out[std::string(k)] = json::serialize(x);
        }
    }
    return out;
}

}  // namespace

bool NotifyService::Configured(ChannelKind k) const {
    return k == ChannelKind::kEmail ? mailer_ != nullptr : telegram_ != nullptr && telegram_->configured();
}

core::Result<void> NotifyService::SendOn(ChannelKind k, const std::string& target, const Message& m) {
    if (!Configured(k)) return Error::Of(ErrorCode::kUnavailable, "notify.channel_off");
    if (k == ChannelKind::kEmail) return mailer_->Send({target, m.subject, m.body});
    return telegram_->Send(target, m.subject + "\n\n" + m.body);
}

void NotifyService::Attach(events::OutboxDispatcher& outbox, jobs::Scheduler& scheduler) {
    scheduler_ = &scheduler;
    outbox.Subscribe(events::kNotificationTopic, [this](const events::OutboxEvent& ev) {
        // Never throws: a failure here must not make the outbox redeliver the browser's event.
        try {
            if (!ev.payload.is_object()) return;
            const auto& o = ev.payload.as_object();
            const json::value* id = o.if_contains("id");
            const json::value* uid = o.if_contains("user_id");
            const json::value* kind = o.if_contains("kind");
            if (!id || !uid || !kind || !id->is_number() || !uid->is_number() || !kind->is_string()) return;
            OnNotification(ev.workspace_id, id->to_number<core::Id>(), uid->to_number<core::Id>(),
                           std::string(kind->as_string()));
        } catch (const std::exception& e) {
            spdlog::warn("notify: scheduling deliveries failed: {}", e.what());
        }
    });
    scheduler.Register(kDeliverJob, [this](const jobs::JobContext& ctx) { return Deliver(ctx); });
}

void NotifyService::OnNotification(core::Id ws, core::Id notification_id, core::Id user_id, const std::string& kind) {
    // Most people have no e-mail or Telegram copy for most kinds: find that out with a read, and take SQLite's write
    // lock (a transaction per notification, competing with the intake writer) only when there is a copy to plan.
    const bool any = db_.Read([&](soci::session& sql) {
        for (const auto& c : store::ListChannels(sql, ws, user_id))
            if (Wants(c, kind) && Configured(c.kind)) return true;
        return false;
    });
    if (!any) return;
    bool scheduled = false;
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const core::Millis now = clock_.NowMs();
        for (const auto& c : store::ListChannels(sql, ws, user_id)) {
            if (!Wants(c, kind) || !Configured(c.kind)) continue;
            if (!store::ClaimDelivery(sql, ws, notification_id, c.kind, now)) continue;
            jobs::JobSpec spec;
            spec.workspace_id = ws;
            spec.kind = kDeliverJob;
            spec.payload = json::object{{"notification_id", notification_id}, {"channel", ChannelName(c.kind)}};
            spec.run_at = now;
            spec.max_attempts = 8;
            spec.dedupe_key = "n:" + std::to_string(notification_id) + ":" + std::string(ChannelName(c.kind));
            jobs::JobStore::Schedule(sql, spec, now);
            scheduled = true;
        }
        return core::Ok();
    });
    if (r && scheduled && scheduler_) scheduler_->Wake();
}

core::Result<void> NotifyService::Deliver(const jobs::JobContext& ctx) {
    const core::Id ws = ctx.job.workspace_id;
    const auto& p = ctx.job.payload;
    const json::value* nid_v = p.if_contains("notification_id");
    const json::value* ch_v = p.if_contains("channel");
    if (!nid_v || !ch_v || !nid_v->is_number() || !ch_v->is_string()) return core::Ok();
    const core::Id nid = nid_v->to_number<core::Id>();
    const auto kind = ParseChannel(ch_v->as_string());
    if (!kind) return core::Ok();
    // Read what to send outside the network call; the row decides whether it was already sent.
    std::optional<store::Stored> n;
    std::optional<Channel> channel;
    bool done = false;
    db_.Read([&](soci::session& sql) {
        auto d = store::GetDelivery(sql, ws, nid, *kind);
        done = !d || d->status == "sent";
        if (done) return 0;
        n = store::GetNotification(sql, ws, nid);
        if (n)
            for (auto& c : store::ListChannels(sql, ws, n->user_id))
                if (c.kind == *kind) channel = c;
        return 0;
    });
    if (done) return core::Ok();
    const core::Millis now = clock_.NowMs();
    if (!n || !channel || !channel->enabled) {
        // The person switched the channel off (or it vanished) before the job ran.
        db_.InTx([&](soci::session& sql) -> core::Result<void> {
            store::MarkDelivery(sql, ws, nid, *kind, "failed", "channel_off", std::nullopt);
            return core::Ok();
        });
        return core::Ok();
    }
    const Message m = Render(n->kind, Params(n->params), core::ParseLang(n->locale), n->link, config_.base_url);
    auto sent = SendOn(*kind, channel->target, m);
    const bool last = ctx.job.attempts >= ctx.job.max_attempts;
    db_.InTx([&](soci::session& sql) -> core::Result<void> {
        if (sent) {
            store::MarkDelivery(sql, ws, nid, *kind, "sent", "", now);
        } else {
            store::MarkDelivery(sql, ws, nid, *kind, last ? "failed" : "pending", sent.error().message_key,
                                std::nullopt);
        }
        return core::Ok();
    });
    return sent;
}

core::Result<std::vector<ChannelView>> NotifyService::List(const core::Actor& a) {
    OTDEL_TRY_VOID(SignedInUser(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<ChannelView>> {
        std::vector<ChannelView> out;
        auto have = store::ListChannels(sql, a.workspace_id, a.user_id);
        for (ChannelKind k : {ChannelKind::kEmail, ChannelKind::kTelegram}) {
            ChannelView v;
            v.configured = Configured(k);
            v.channel.kind = k;
            v.channel.enabled = false;
            v.channel.target = "";
            for (const auto& c : have)
                if (c.kind == k) v.channel = c;
            out.push_back(std::move(v));
        }
        return out;
    });
}

core::Result<ChannelView> NotifyService::Put(const core::Actor& a, Channel c) {
    OTDEL_TRY_VOID(SignedInUser(a));
    auto valid = ValidateChannel(std::move(c));
    if (!valid) return valid.take_error();
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<ChannelView> {
        json::object before;
        for (const auto& old : store::ListChannels(sql, a.workspace_id, a.user_id))
            if (old.kind == valid->kind) before = json::object{{"target", old.target}, {"enabled", old.enabled}};
        store::PutChannel(sql, a.workspace_id, a.user_id, *valid, now);
        events::WriteAudit(
            sql, a, now,
            {"notification_channel.put", "user", a.user_id,
             before.empty() ? std::nullopt : std::optional<json::value>(before),
             json::object{
                 {"channel", ChannelName(valid->kind)}, {"target", valid->target}, {"enabled", valid->enabled}}});
        return ChannelView{*valid, Configured(valid->kind)};
    });
}

core::Result<void> NotifyService::Delete(const core::Actor& a, ChannelKind kind) {
    OTDEL_TRY_VOID(SignedInUser(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        if (!store::DeleteChannel(sql, a.workspace_id, a.user_id, kind)) return Error::Of(ErrorCode::kNotFound);
        events::WriteAudit(sql, a, now,
                           {"notification_channel.delete", "user", a.user_id,
                            json::object{{"channel", ChannelName(kind)}}, std::nullopt});
        return core::Ok();
    });
}

core::Result<void> NotifyService::SendTest(const core::Actor& a, ChannelKind kind) {
    OTDEL_TRY_VOID(SignedInUser(a));
    std::optional<Channel> channel;
    db_.Read([&](soci::session& sql) {
        for (auto& c : store::ListChannels(sql, a.workspace_id, a.user_id))
            if (c.kind == kind) channel = c;
        return 0;
    });
    if (!channel) return Error::Of(ErrorCode::kNotFound);
    const bool en = a.lang == core::Lang::kEn;
    Message m{en ? "Otdel: test message" : "Отдел: проверка уведомлений",
              en ? "Notifications on this channel work." : "Уведомления по этому каналу работают."};
    return SendOn(kind, channel->target, m);
}

}  // namespace otdel::notify
