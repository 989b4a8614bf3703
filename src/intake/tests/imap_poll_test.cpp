// The IMAP poller against a real Dovecot on loopback (scripts/dovecot-test), with the real lead intake, on SQLite
// and (with OTDEL_TEST_PG_DSN) PostgreSQL: new messages become leads; a known client's address lands on the contact's
// timeline; Russian charsets, attachments and broken MIME are handled; re-polls and a restart bring no duplicates;
// a reset UIDVALIDITY is re-read without duplicates; a wrong password is recorded; the job polls on the manual clock.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "auth/auth_service.hpp"
#include "clients/clients_service.hpp"
#include "core/clock.hpp"
#include "db/testing/test_db.hpp"
#include "intake/intake_service.hpp"
#include "jobs/scheduler.hpp"
#include "leads/lead_intake.hpp"
#include "mail_samples.hpp"

namespace otdel::intake {
namespace {

namespace fs = std::filesystem;
constexpr core::Millis kPollStart = 1'772'349'300'000;

int FreePort() {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
}

/// One Dovecot for the whole suite.
struct Dovecot {
    fs::path dir;
    int port = 0;
    bool running = false;
    std::string why_not;
    fs::path maildir() const { return dir / "home" / "sales" / "Maildir"; }
};
Dovecot& Server() {
    static Dovecot d;
    return d;
}

class ImapPollTest : public ::testing::TestWithParam<db::Engine> {
protected:
    static void SetUpTestSuite() {
        Dovecot& d = Server();
        if (d.running || !d.why_not.empty()) return;
        if (!fs::exists("/usr/sbin/dovecot") && std::system("command -v dovecot >/dev/null 2>&1") != 0) {
            d.why_not = "dovecot is not installed (apt-get install dovecot-imapd; scripts/bootstrap does it)";
            return;
        }
        d.dir = fs::temp_directory_path() / ("otdel-dovecot-" + std::to_string(::getpid()));
        d.port = FreePort();
        const std::string cmd = std::string(OTDEL_SOURCE_DIR) + "/scripts/dovecot-test start " + d.dir.string() + " " +
                                std::to_string(d.port) + " sales sales-secret >/dev/null";
        if (std::system(cmd.c_str()) != 0) {
            d.why_not = "scripts/dovecot-test could not start Dovecot (see " + (d.dir / "dovecot.log").string() + ")";
            return;
        }
        d.running = true;
    }
    static void TearDownTestSuite() {
        Dovecot& d = Server();
        if (!d.running) return;
        const std::string cmd = std::string(OTDEL_SOURCE_DIR) + "/scripts/dovecot-test stop " + d.dir.string();
        (void)std::system(cmd.c_str());
        std::error_code ec;
        fs::remove_all(d.dir, ec);
        d.running = false;
    }

    ImapPollTest() : tdb_(GetParam()), clock_(kPollStart) {}

    void SetUp() override {
        if (!Server().running) GTEST_FAIL() << Server().why_not;
        // An empty mailbox for each engine's run.
        for (const char* sub : {"new", "cur"})
            for (const auto& e : fs::directory_iterator(Server().maildir() / sub)) fs::remove(e.path());
        auth::AuthConfig c;
        c.argon2_t_cost = 1;
        c.argon2_m_cost_kib = 1024;
        auth_ = std::make_unique<auth::AuthService>(tdb_.db(), clock_, c);
        auto ws = auth_->CreateWorkspace(auth::NewWorkspace{"Ромашка", "romashka"}, core::Actor::System(0));
        ASSERT_TRUE(ws.ok());
        ws_ = *ws;
        clients_ = std::make_unique<clients::ClientsService>(tdb_.db(), clock_);
        clients::ContactInput maria;
        maria.first_name = "Мария";
        maria.last_name = "Соколова";
        maria.points = std::vector<clients::PointInput>{{"email", "work", "Maria@Client.Example", true}};
        auto contact = clients_->CreateContact(core::Actor::System(ws_), maria);
        ASSERT_TRUE(contact.ok());
        contact_id_ = contact->contact.id;
        intake_ = std::make_unique<leads::LeadIntake>(tdb_.db(), clock_);
        svc_ = MakeService();
        ChannelInput ch;
        ch.kind = "imap";
        ch.name = "Почта отдела продаж";
        ch.secret = "sales-secret";
        ch.config = R"({"host":"127.0.0.1","port":)" + std::to_string(Server().port) +
                    R"(,"tls":"none","user":"sales","poll_minutes":5})";
        auto created = svc_->CreateChannel(core::Actor::System(ws_), ch);
        ASSERT_TRUE(created.ok());
        channel_ = created->id;
    }

    std::unique_ptr<IntakeService> MakeService() {
        auto s = std::make_unique<IntakeService>(tdb_.db(), clock_, [this](std::span<const leads::IncomingLead> items) {
            return intake_->AcceptBatch(items);
        });
        s->SetTxSink(
            [this](soci::session& sql, const leads::IncomingLead& in) { return intake_->AcceptInTx(sql, in); });
        return s;
    }

    void Deliver(const std::string& raw) {
        static int n = 0;
        const fs::path tmp =
            Server().maildir() / "tmp" / ("otdel." + std::to_string(++n) + "." + std::to_string(::getpid()));
        {
            std::ofstream out(tmp, std::ios::binary);
            out << raw;
        }
        fs::rename(tmp, Server().maildir() / "new" / tmp.filename());
    }

    long long Count(const std::string& text) {
        long long n = 0;
        tdb_.db().Read([&](soci::session& sql) {
            sql << text, soci::into(n);
            return 0;
        });
        return n;
    }
    std::string Text(const std::string& text) {
        std::string s;
        tdb_.db().Read([&](soci::session& sql) {
            sql << text, soci::into(s);
            return 0;
        });
        return s;
    }

    testing::TestDatabase tdb_;
    core::ManualClock clock_;
    std::unique_ptr<auth::AuthService> auth_;
    std::unique_ptr<clients::ClientsService> clients_;
    std::unique_ptr<leads::LeadIntake> intake_;
    std::unique_ptr<IntakeService> svc_;
    core::Id ws_ = 0, channel_ = 0, contact_id_ = 0;
};

TEST_P(ImapPollTest, MessagesBecomeLeadsOrTimelineEventsOnceEach) {
    for (const auto* raw : {&samples::kUtf8, &samples::kCp1251, &samples::kKoi8, &samples::kMultipart,
                            &samples::kHtmlOnly, &samples::kBroken})
        Deliver(*raw);
    Deliver(
        "From: Maria <maria@client.example>\r\nSubject: Re: счёт\r\nMessage-ID: <m7@client.example>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nПришлите, пожалуйста, счёт.\r\n");

    PollReport r = svc_->PollMailbox(ws_, channel_);
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.fetched, 7);
    EXPECT_EQ(r.accepted, 7);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM leads WHERE channel = 'email'"), 6) << "the known client's mail is no lead";
    EXPECT_EQ(Count("SELECT COUNT(*) FROM timeline_events WHERE subject_type = 'contact' AND subject_id = " +
                    std::to_string(contact_id_) + " AND kind = 'email_in'"),
              1);
    EXPECT_NE(Text("SELECT request_text FROM leads WHERE external_ref = 'm2@example.ru'").find("шкаф-купе 2 метра"),
              std::string::npos);
    EXPECT_NE(Text("SELECT request_text FROM leads WHERE external_ref = 'm3@example.ru'").find("Перезвоните"),
              std::string::npos);
    EXPECT_EQ(Text("SELECT request_text FROM leads WHERE external_ref = 'm4@example.ru'").find("JVBER"),
              std::string::npos);
    EXPECT_NE(Text("SELECT request_text FROM leads WHERE external_ref LIKE 'uid:%'").find("8 912 555 66 77"),
              std::string::npos)
        << "broken MIME: a lead with the raw text";
    auto cursor = boost::json::parse(
        Text("SELECT CAST(poll_cursor AS TEXT) FROM intake_channels WHERE id = " + std::to_string(channel_)));
    EXPECT_GT(cursor.at("last_uid").as_int64(), 0);
    EXPECT_GT(cursor.at("uidvalidity").as_int64(), 0);

    // Nothing new: nothing fetched, nothing written.
    EXPECT_EQ(svc_->PollMailbox(ws_, channel_).fetched, 0);

    // A restart keeps the cursor (it is in the database): still nothing; a new letter from Ivan attaches to his lead.
    svc_.reset();
    svc_ = MakeService();
    EXPECT_EQ(svc_->PollMailbox(ws_, channel_).fetched, 0);
    Deliver(
        "From: ivan@example.ru\r\nSubject: ещё вопрос\r\nMessage-ID: <m8@example.ru>\r\n\r\nА фасады белые есть?\r\n");
    r = svc_->PollMailbox(ws_, channel_);
    EXPECT_EQ(r.fetched, 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM leads WHERE channel = 'email'"), 6);
    EXPECT_EQ(Count("SELECT repeat_count FROM leads WHERE external_ref = 'm1@example.ru'"), 1);

    // The server says the mailbox was rebuilt (another UIDVALIDITY): everything is read again, duplicates recognised.
    tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
        store::UpdatePollState(sql, ws_, channel_, R"({"uidvalidity":1,"last_uid":99})", "", clock_.NowMs());
        return core::Ok();
    });
    r = svc_->PollMailbox(ws_, channel_);
    EXPECT_EQ(r.fetched, 8);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM leads WHERE channel = 'email'"), 6);
    EXPECT_EQ(Count("SELECT repeat_count FROM leads WHERE external_ref = 'm1@example.ru'"), 1);
}

TEST_P(ImapPollTest, WrongPasswordIsRecordedAndTheJobBacksOff) {
    ChannelInput wrong;
    wrong.secret = "not-the-password";
    ASSERT_TRUE(svc_->UpdateChannel(core::Actor::System(ws_), channel_, wrong).ok());
    jobs::Scheduler scheduler(tdb_.db(), clock_);
    svc_->RegisterJobs(scheduler);
    EXPECT_GE(scheduler.RunDue(), 1);
    EXPECT_NE(Text("SELECT last_error FROM intake_channels WHERE id = " + std::to_string(channel_)), "");
    // Backed off to 2 × 5 minutes: nothing at +5 min, a new attempt at +10 min.
    clock_.Advance(5 * 60 * 1000);
    EXPECT_EQ(scheduler.RunDue(), 0);
    ChannelInput right;
    right.secret = "sales-secret";
    ASSERT_TRUE(svc_->UpdateChannel(core::Actor::System(ws_), channel_, right).ok());  // re-arms a poll now
    Deliver(samples::kUtf8);
    EXPECT_GE(scheduler.RunDue(), 1);
    EXPECT_EQ(Text("SELECT last_error FROM intake_channels WHERE id = " + std::to_string(channel_)), "");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM leads WHERE channel = 'email'"), 1);
    // And it keeps polling every 5 minutes of (manual) time.
    Deliver(samples::kCp1251);
    clock_.Advance(5 * 60 * 1000);
    EXPECT_GE(scheduler.RunDue(), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM leads WHERE channel = 'email'"), 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, ImapPollTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::intake
