// Notifications by e-mail and Telegram: channel rules and texts (pure), and delivery on each engine — once per
// notification and channel, in the recipient's language, retried on failure, never after the channel is off.
#include <gtest/gtest.h>

#include <memory>

#include "auth/auth_service.hpp"
#include "db/testing/test_db.hpp"
#include "events/notifications.hpp"
#include "jobs/scheduler.hpp"
#include "notify/notify_service.hpp"
#include "notify/notify_store.hpp"

namespace otdel::notify {
namespace {

TEST(NotifyChannel, ValidatesAndNormalisesTargets) {
    Channel e{ChannelKind::kEmail, "  Olga@Example.RU ", {"routing."}, true};
    auto ok = ValidateChannel(e);
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->target, "olga@example.ru");
    e.target = "not an address";
    ASSERT_FALSE(ValidateChannel(e).ok());
    EXPECT_EQ(ValidateChannel(e).error().fields.at(0).code, "invalid_email");
    Channel t{ChannelKind::kTelegram, "-100123456789", {}, true};
    EXPECT_TRUE(ValidateChannel(t).ok());
    t.target = "@olga";
    EXPECT_EQ(ValidateChannel(t).error().fields.at(0).code, "invalid_chat_id");
    t.target = "42";
    t.kinds = {"Routing!"};
    EXPECT_EQ(ValidateChannel(t).error().fields.at(0).field, "kinds/0");
}

TEST(NotifyChannel, KindsArePrefixesAndDisabledChannelsWantNothing) {
    Channel c{ChannelKind::kEmail, "a@b.ru", {"routing."}, true};
    EXPECT_TRUE(Wants(c, "routing.assigned"));
    EXPECT_FALSE(Wants(c, "security.api_token_created"));
    c.kinds = {};
    EXPECT_TRUE(Wants(c, "security.api_token_created"));
    c.enabled = false;
    EXPECT_FALSE(Wants(c, "routing.assigned"));
}

TEST(NotifyRender, TextsInBothLanguagesWithParametersAndALink) {
    const std::map<std::string, std::string> p = {{"title", "Кухня 3 м"}, {"sla_minutes", "60"}};
    auto ru = Render("routing.assigned", p, core::Lang::kRu, "/leads?lead=7", "https://crm.example.ru");
    EXPECT_EQ(ru.subject, "Новая заявка: Кухня 3 м");
    EXPECT_NE(ru.body.find("60 мин"), std::string::npos);
    EXPECT_NE(ru.body.find("https://crm.example.ru/leads?lead=7"), std::string::npos);
    auto en = Render("routing.assigned", p, core::Lang::kEn, "/leads?lead=7", "");
    EXPECT_EQ(en.subject, "New lead: Кухня 3 м");
    EXPECT_EQ(en.body.find("http"), std::string::npos) << "no base URL, no link";
    EXPECT_FALSE(Render("some.future_kind", {}, core::Lang::kRu, "", "").body.empty());
}

struct RecordingMailer final : mail::Mailer {
    std::vector<mail::OutgoingMail> sent;
    int fail_next = 0;
    core::Result<void> Send(const mail::OutgoingMail& m) override {
        if (fail_next > 0) {
            --fail_next;
            return core::Error::Of(core::ErrorCode::kUnavailable, "mail.send_failed");
        }
        sent.push_back(m);
        return core::Ok();
    }
};

struct RecordingTelegram final : TelegramSender {
    RecordingTelegram() : TelegramSender(TelegramConfig{"token", "http://127.0.0.1:1", 1}) {}
    std::vector<std::pair<std::string, std::string>> sent;
    core::Result<void> Send(const std::string& chat, const std::string& text) override {
        sent.emplace_back(chat, text);
        return core::Ok();
    }
};

constexpr core::Millis kT0 = 1'772'442'000'000;

class NotifyDelivery : public ::testing::TestWithParam<db::Engine> {
protected:
    NotifyDelivery() : tdb_(GetParam()), clock_(kT0) {}
    void SetUp() override {
        auth::AuthConfig c;
        c.argon2_t_cost = 1;
        c.argon2_m_cost_kib = 1024;
        auth_ = std::make_unique<auth::AuthService>(tdb_.db(), clock_, c);
        ws_ = *auth_->CreateWorkspace(auth::NewWorkspace{"W", "w"}, core::Actor::System(0));
        uid_ = *auth_->CreateUser(auth::NewUser{ws_, "olga@x.ru", "Ольга", "password-123", "en", false},
                                  core::Actor::System(ws_));
        me_ = core::Actor::SignedIn(core::ActorKind::kUser, ws_, uid_, false, core::Lang::kEn, "t", "", "");
        scheduler_ = std::make_unique<jobs::Scheduler>(tdb_.db(), clock_);
        service_ = std::make_unique<NotifyService>(tdb_.db(), clock_, &mail_, &tg_, NotifyConfig{"https://crm.x"});
        events::OutboxDispatcher outbox(tdb_.db(), clock_);
        service_->Attach(outbox, *scheduler_);
    }
    core::Id Notify(const std::string& kind) {
        core::Id id = 0;
        tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
            id = events::Notify(sql, ws_, uid_, kind, boost::json::object{{"title", "Kitchen"}, {"sla_minutes", 5}},
                                "/leads?lead=1", clock_.NowMs());
            return core::Ok();
        });
        return id;
    }

    ::otdel::testing::TestDatabase tdb_;
    core::ManualClock clock_;
    std::unique_ptr<auth::AuthService> auth_;
    core::Id ws_ = 0, uid_ = 0;
    core::Actor me_;
    RecordingMailer mail_;
    RecordingTelegram tg_;
    std::unique_ptr<jobs::Scheduler> scheduler_;
    std::unique_ptr<NotifyService> service_;
};

TEST_P(NotifyDelivery, EachWantedNotificationIsSentOncePerChannelInTheRecipientsLanguage) {
    ASSERT_TRUE(service_->Put(me_, Channel{ChannelKind::kEmail, "Olga@X.ru", {"routing."}, true}).ok());
    ASSERT_TRUE(service_->Put(me_, Channel{ChannelKind::kTelegram, "123456", {"routing.assigned"}, true}).ok());
    const core::Id a = Notify("routing.assigned");
    const core::Id b = Notify("routing.breach");
    const core::Id c = Notify("security.api_token_created");
    for (core::Id id : {a, b, c}) {
        const std::string kind = id == a   ? "routing.assigned"
                                 : id == b ? "routing.breach"
                                           : "security.api_token_created";
        service_->OnNotification(ws_, id, uid_, kind);
        service_->OnNotification(ws_, id, uid_, kind);  // the outbox delivered twice
    }
    scheduler_->RunDue();
    ASSERT_EQ(mail_.sent.size(), 2u);
    EXPECT_EQ(mail_.sent[0].to, "olga@x.ru");
    EXPECT_EQ(mail_.sent[0].subject, "New lead: Kitchen");
    EXPECT_NE(mail_.sent[0].text.find("https://crm.x/leads?lead=1"), std::string::npos);
    ASSERT_EQ(tg_.sent.size(), 1u);
    EXPECT_EQ(tg_.sent[0].first, "123456");
    scheduler_->RunDue();
    EXPECT_EQ(mail_.sent.size(), 2u) << "nothing sent twice";
}

TEST_P(NotifyDelivery, AFailedSendIsRetriedWithBackOffAndSentOnce) {
    ASSERT_TRUE(service_->Put(me_, Channel{ChannelKind::kEmail, "olga@x.ru", {}, true}).ok());
    mail_.fail_next = 2;
    const core::Id id = Notify("routing.assigned");
    service_->OnNotification(ws_, id, uid_, "routing.assigned");
    scheduler_->RunDue();
    EXPECT_TRUE(mail_.sent.empty());
    clock_.Advance(30'000);
    scheduler_->RunDue();
    EXPECT_TRUE(mail_.sent.empty());
    clock_.Advance(60'000);
    scheduler_->RunDue();
    ASSERT_EQ(mail_.sent.size(), 1u);
    auto d = tdb_.db().Read([&](soci::session& sql) { return store::GetDelivery(sql, ws_, id, ChannelKind::kEmail); });
    ASSERT_TRUE(d);
    EXPECT_EQ(d->status, "sent");
    EXPECT_EQ(d->attempts, 3);
}

TEST_P(NotifyDelivery, ASwitchedOffChannelSendsNothingAndBadInputChangesNothing) {
    ASSERT_TRUE(service_->Put(me_, Channel{ChannelKind::kEmail, "olga@x.ru", {}, true}).ok());
    const core::Id id = Notify("routing.assigned");
    service_->OnNotification(ws_, id, uid_, "routing.assigned");
    ASSERT_TRUE(service_->Put(me_, Channel{ChannelKind::kEmail, "olga@x.ru", {}, false}).ok());
    scheduler_->RunDue();
    EXPECT_TRUE(mail_.sent.empty());
    auto bad = service_->Put(me_, Channel{ChannelKind::kEmail, "broken", {}, true});
    ASSERT_FALSE(bad.ok());
    auto list = service_->List(me_);
    ASSERT_TRUE(list.ok());
    EXPECT_EQ(list->at(0).channel.target, "olga@x.ru");
    EXPECT_FALSE(list->at(0).channel.enabled);
    EXPECT_TRUE(service_->Delete(me_, ChannelKind::kEmail).ok());
    EXPECT_EQ(service_->Delete(me_, ChannelKind::kEmail).error().code, core::ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Engines, NotifyDelivery, ::testing::ValuesIn(::otdel::testing::Engines()),
                         [](const auto& info) { return ::otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::notify
