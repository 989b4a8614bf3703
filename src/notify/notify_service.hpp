#pragma once
/// NotifyService: carries a person's notifications to their e-mail and Telegram (LEAD-7, optional per user).
///
/// Every committed notification reaches it through the outbox (the same event the live browser channel gets); for
/// each enabled channel of the recipient that wants the kind it claims a delivery row — once per (notification,
/// channel), so a redelivered event sends nothing twice — and schedules a durable "notify.deliver" job, which
/// renders the text in the recipient's language and sends it, retrying with the scheduler's back-off.
#include <memory>
#include <string>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "events/outbox.hpp"
#include "http/router.hpp"
#include "jobs/scheduler.hpp"
#include "mail/smtp.hpp"
#include "notify/channel.hpp"
#include "notify/telegram.hpp"

namespace otdel::notify {

inline constexpr const char* kDeliverJob = "notify.deliver";

struct NotifyConfig {
    /// Where links in messages point, e.g. https://crm.example.ru; empty: no links.
    std::string base_url;
};

/// A channel as the API shows it: the person's settings and whether the server can send on it at all.
struct ChannelView {
    Channel channel;
    bool configured = false;
};

class NotifyService {
public:
    /// `mailer` / `telegram` may be null: that channel is off on this server.
    NotifyService(db::Database& db, const core::Clock& clock, mail::Mailer* mailer, TelegramSender* telegram,
                  NotifyConfig config)
        : db_(db), clock_(clock), mailer_(mailer), telegram_(telegram), config_(std::move(config)) {}

    void Attach(events::OutboxDispatcher& outbox, jobs::Scheduler& scheduler);
    /// GET/PUT/DELETE /api/v1/me/notification-channels[/{channel}], POST …/{channel}/test.
    void Register(http::Router& router);

    core::Result<std::vector<ChannelView>> List(const core::Actor& a);
    core::Result<ChannelView> Put(const core::Actor& a, Channel c);
    core::Result<void> Delete(const core::Actor& a, ChannelKind kind);
    /// Sends a test message on the channel now (the answer says whether it went).
    core::Result<void> SendTest(const core::Actor& a, ChannelKind kind);

    /// The outbox subscriber's work, public for tests: claims deliveries and schedules their jobs.
    void OnNotification(core::Id ws, core::Id notification_id, core::Id user_id, const std::string& kind);
    core::Result<void> Deliver(const jobs::JobContext& ctx);

private:
    bool Configured(ChannelKind k) const;
    core::Result<void> SendOn(ChannelKind k, const std::string& target, const Message& m);

    db::Database& db_;
    const core::Clock& clock_;
    mail::Mailer* mailer_;
    TelegramSender* telegram_;
    NotifyConfig config_;
    jobs::Scheduler* scheduler_ = nullptr;
};

}  // namespace otdel::notify
