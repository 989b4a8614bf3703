// The IMAP mailbox poller: a durable job per channel fetches new messages, hands each to lead intake with the
// cursor in the same transaction, records failures on the channel and backs off, and reschedules itself.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <algorithm>

#include "intake/imap_fetcher.hpp"
#include "intake/intake_service.hpp"
#include "intake/mail_message.hpp"
#include "jobs/scheduler.hpp"

namespace otdel::intake {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxPerPoll = 200;
constexpr core::Millis kMaxBackoffMs = 3600LL * 1000;

std::uint32_t U32(const json::object& o, std::string_view k) {
    auto it = o.find(k);
    if (it == o.end()) return 0;
    if (it->value().is_int64() && it->value().as_int64() >= 0)
        return static_cast<std::uint32_t>(it->value().as_int64());
    if (it->value().is_uint64()) return static_cast<std::uint32_t>(it->value().as_uint64());
    return 0;
}

json::object ParseObj(const std::string& text) {
    json::error_code ec;
    json::value v = json::parse(text, ec);
    return !ec && v.is_object() ? v.as_object() : json::object{};
}

leads::IncomingLead FromMail(const store::ChannelRow& ch, const MailMessage& m, std::uint32_t uidvalidity,
                             std::uint32_t uid) {
    leads::IncomingLead in;
    in.workspace_id = ch.workspace_id;
    in.channel = "email";
    in.intake_channel_id = ch.id;
    in.external_ref =
        !m.message_id.empty() ? m.message_id : "uid:" + std::to_string(uidvalidity) + ":" + std::to_string(uid);
    in.occurred_at = m.date;
    in.contact_name = m.from_name;
    if (!m.from_email.empty()) in.emails.push_back(m.from_email);
    in.title = m.subject;
    in.request_text = m.subject.empty() ? m.text : (m.text.empty() ? m.subject : m.subject + "\n\n" + m.text);
    if (in.request_text.size() > leads::kMaxRequestText) in.request_text.resize(leads::kMaxRequestText);
    // Keep the title a title: one line, bounded.
    in.title = in.title.substr(0, in.title.find('\n'));
    if (in.title.size() > 300) in.title.clear();
    in.event_kind = "email_in";
    in.default_owner_user_id = ch.default_owner_user_id;
    in.payload = json::object{{"subject", m.subject},
                              {"message_id", m.message_id},
                              {"from", m.from_email},
                              {"uid", uid},
                              {"mime_ok", m.parsed}};
    in.request_id = "intake:imap:" + std::to_string(ch.id);
    return in;
}

}  // namespace

PollReport IntakeService::PollMailbox(core::Id workspace_id, core::Id channel_id) {
    PollReport report;
    auto ch = db_.Read([&](soci::session& sql) { return store::SelectChannel(sql, workspace_id, channel_id); });
    if (!ch || ch->kind != "imap" || !ch->active) return report;
    const json::object cfg = ParseObj(ch->config);
    ImapConfig ic;
    ic.host = cfg.contains("host") && cfg.at("host").is_string() ? std::string(cfg.at("host").as_string()) : "";
    ic.port = static_cast<int>(U32(cfg, "port"));
    ic.tls = cfg.contains("tls") && cfg.at("tls").is_string() ? std::string(cfg.at("tls").as_string()) : "tls";
    ic.user = cfg.contains("user") && cfg.at("user").is_string() ? std::string(cfg.at("user").as_string()) : "";
    ic.folder =
        cfg.contains("folder") && cfg.at("folder").is_string() ? std::string(cfg.at("folder").as_string()) : "INBOX";
    ic.password = ch->secret;
    json::object cursor = ParseObj(ch->poll_cursor);
    const std::uint32_t known_validity = U32(cursor, "uidvalidity");
    const std::uint32_t last_uid = U32(cursor, "last_uid");

    std::string detail;
    auto fetched = FetchNewMail(ic, known_validity, last_uid, kMaxPerPoll, &detail);
    const core::Millis now = clock_.NowMs();
    if (!fetched) {
        report.error = detail.empty() ? "IMAP failure" : detail.substr(0, 500);
        spdlog::warn("intake: mailbox {} ({}@{}:{}) failed: {}", ch->id, ic.user, ic.host, ic.port, report.error);
        auto r = db_.InTx([&](soci::session& sql) -> core::Result<void> {
            store::UpdatePollState(sql, ch->workspace_id, ch->id, ch->poll_cursor, report.error, now);
            return core::Ok();
        });
        (void)r;
        return report;
    }
    report.fetched = static_cast<int>(fetched->messages.size());
    if (fetched->uidvalidity != known_validity && known_validity != 0)
        spdlog::warn(
            "intake: mailbox {} UIDVALIDITY changed {} -> {}: reading it again (Message-IDs keep duplicates "
            "out)",
            ch->id, known_validity, fetched->uidvalidity);
    std::uint32_t cursor_uid = fetched->uidvalidity == known_validity ? last_uid : 0;
    auto cursor_text = [&](std::uint32_t uid) {
        return json::serialize(json::object{{"uidvalidity", fetched->uidvalidity}, {"last_uid", uid}});
    };
    for (const FetchedMail& fm : fetched->messages) {
        const MailMessage mail = ParseMail(fm.raw);
        const leads::IncomingLead in = FromMail(*ch, mail, fetched->uidvalidity, fm.uid);
        bool accepted = false;
        try {
            auto done = db_.InTx([&](soci::session& sql) -> core::Result<void> {
                auto valid = leads::ValidateIncoming(in);
                if (valid) {
                    auto outcome =
                        tx_sink_ ? tx_sink_(sql, in)
                                 : core::Result<leads::IntakeOutcome>(core::Error::Of(core::ErrorCode::kUnavailable));
                    if (!outcome && outcome.error().code == core::ErrorCode::kUnavailable) return outcome.take_error();
                    accepted = outcome.ok();
                }
                // A message intake refuses is logged and passed over, or it would block the mailbox forever.
                if (!accepted) spdlog::warn("intake: mailbox {} message uid {} not accepted as a lead", ch->id, fm.uid);
                store::UpdatePollState(sql, ch->workspace_id, ch->id, cursor_text(fm.uid), "", now);
                return core::Ok();
            });
            if (!done) {
                report.error = "lead intake unavailable";
                break;
            }
        } catch (const std::exception& e) {
            // Unexpected (database) failure: stop here; the cursor stays before this message and it is retried.
            report.error = std::string("storing message uid ") + std::to_string(fm.uid) + ": " + e.what();
            spdlog::error("intake: mailbox {}: {}", ch->id, report.error);
            break;
        }
        cursor_uid = fm.uid;
        if (accepted)
            ++report.accepted;
        else
            ++report.skipped;
    }
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        store::UpdatePollState(sql, ch->workspace_id, ch->id, cursor_text(cursor_uid), report.error, now);
        return core::Ok();
    });
    (void)r;
    return report;
}

void IntakeService::RegisterPollJob(jobs::Scheduler& scheduler) {
    scheduler.Register(kImapPollJob, [this](const jobs::JobContext& ctx) -> core::Result<void> {
        const json::object& p = ctx.job.payload;
        const core::Id channel_id =
            p.contains("channel_id") && p.at("channel_id").is_int64() ? p.at("channel_id").as_int64() : 0;
        const int failures =
            p.contains("failures") && p.at("failures").is_int64() ? static_cast<int>(p.at("failures").as_int64()) : 0;
        auto ch =
            db_.Read([&](soci::session& sql) { return store::SelectChannel(sql, ctx.job.workspace_id, channel_id); });
        if (!ch || ch->kind != "imap" || !ch->active) return core::Ok();  // deleted or paused: stop polling
        const PollReport report = PollMailbox(ctx.job.workspace_id, channel_id);
        const json::object cfg = ParseObj(ch->config);
        const core::Millis every =
            static_cast<core::Millis>(std::max<std::uint32_t>(1, U32(cfg, "poll_minutes"))) * 60'000;
        core::Millis next = every;
        int next_failures = 0;
        if (!report.error.empty()) {
            next_failures = failures + 1;
            next = std::min<core::Millis>(kMaxBackoffMs, every * (1LL << std::min(next_failures, 6)));
        }
        return db_.InTx([&](soci::session& sql) -> core::Result<void> {
            SchedulePoll(sql, ctx.job.workspace_id, channel_id, ctx.now + next, next_failures);
            return core::Ok();
        });
    });
    // Mailboxes created before this start (or whose job was lost) get a poll now.
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        for (const auto& c : store::ListActiveImapChannels(sql))
            SchedulePoll(sql, c.workspace_id, c.id, clock_.NowMs(), 0);
        return core::Ok();
    });
    (void)r;
}

}  // namespace otdel::intake
