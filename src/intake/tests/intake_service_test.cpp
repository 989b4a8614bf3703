// IntakeService on SQLite and (with OTDEL_TEST_PG_DSN) PostgreSQL, with a fake lead sink: who may change settings,
// origin normalisation, secrets never leaking into the audit log, the replay guard and its pruning, and the
// Idempotency-Key answers written with the group commit.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <memory>
#include <thread>

#include "auth/auth_service.hpp"
#include "core/clock.hpp"
#include "db/testing/test_db.hpp"
#include "intake/intake_service.hpp"
#include "org/org_service.hpp"

namespace otdel::intake {
namespace {

constexpr core::Millis kStart = 1'772'349'300'000;  // 2026-03-01T07:15:00Z

class IntakeServiceTest : public ::testing::TestWithParam<db::Engine> {
protected:
    IntakeServiceTest() : tdb_(GetParam()), clock_(kStart) {}

    void SetUp() override {
        auth::AuthConfig c;
        c.argon2_t_cost = 1;
        c.argon2_m_cost_kib = 1024;
        auth_ = std::make_unique<auth::AuthService>(tdb_.db(), clock_, c);
        org_ = std::make_unique<org::OrgService>(tdb_.db(), clock_, *auth_, registry_);
        auto ws = auth_->CreateWorkspace(auth::NewWorkspace{"Ромашка", "romashka"}, core::Actor::System(0));
        ASSERT_TRUE(ws.ok());
        ws_ = *ws;
        sys_ = core::Actor::System(ws_);
        auto roles = org_->ListRoles(sys_, false);
        ASSERT_TRUE(roles.ok());
        std::map<std::string, core::Id> ids;
        for (const auto& r : *roles) ids[r.code] = r.id;
        org::DepartmentInput d;
        d.name = "Продажи";
        d.set_parent = true;
        auto dept = org_->CreateDepartment(sys_, d);
        ASSERT_TRUE(dept.ok());
        head_ = Person("head@r.ru", ids.at("head_of_sales"), dept->id);
        seller_ = Person("seller@r.ru", ids.at("retail_consultant"), dept->id);
        svc_ = std::make_unique<IntakeService>(tdb_.db(), clock_, [this](std::span<const leads::IncomingLead> items) {
            std::vector<core::Result<leads::IntakeOutcome>> out;
            std::lock_guard lock(mu_);
            for (const auto& in : items) {
                received_.push_back(in);
                if (in.request_text == "poison") {
                    out.emplace_back(core::Error::Field("request_text", "invalid"));
                    continue;
                }
                leads::IntakeOutcome o;
                o.lead_id = static_cast<core::Id>(received_.size());
                out.emplace_back(o);
            }
            return out;
        });
    }

    core::Actor Person(const std::string& email, core::Id role, core::Id dept) {
        org::EmployeeInput in;
        in.new_user = auth::NewUser{ws_, email, email, "password-123", "ru", false};
        in.role_id = role;
        in.department_id = dept;
        auto e = org_->CreateEmployee(sys_, in);
        EXPECT_TRUE(e.ok());
        return core::Actor::SignedIn(core::ActorKind::kUser, ws_, e.ok() ? e->employee.user_id : 0, false,
                                     core::Lang::kRu, "rid", "127.0.0.1", "s");
    }

    long long Count(const std::string& text) {
        long long n = 0;
        tdb_.db().Read([&](soci::session& sql) {
            sql << text, soci::into(n);
            return 0;
        });
        return n;
    }

    testing::TestDatabase tdb_;
    core::ManualClock clock_;
    org::HandoverRegistry registry_;
    std::unique_ptr<auth::AuthService> auth_;
    std::unique_ptr<org::OrgService> org_;
    std::unique_ptr<IntakeService> svc_;
    core::Id ws_ = 0;
    core::Actor sys_, head_, seller_;
    std::mutex mu_;
    std::vector<leads::IncomingLead> received_;
};

TEST_P(IntakeServiceTest, FormSettingsByHeadNotBySeller) {
    FormInput in;
    in.name = "Заявка с сайта";
    in.allowed_origins = std::vector<std::string>{"HTTPS://Shop.Example.ru:443/", "http://localhost:5173"};
    auto f = svc_->CreateForm(head_, in);
    ASSERT_TRUE(f.ok()) << f.error().message_key;
    EXPECT_EQ(f->allowed_origins, R"(["https://shop.example.ru","http://localhost:5173"])");
    EXPECT_EQ(f->public_key.size(), 33u);
    EXPECT_EQ(svc_->CreateForm(seller_, in).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(svc_->GetForm(seller_, f->id).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(svc_->ListForms(seller_, {}).error().code, core::ErrorCode::kForbidden);

    FormInput bad;
    bad.allowed_origins = std::vector<std::string>{"https://a.ru/path", "ftp://b.ru", "https://ok.ru"};
    bad.success_url = "javascript:alert(1)";
    bad.honeypot_field = "has space";
    auto refused = svc_->UpdateForm(head_, f->id, bad);
    ASSERT_FALSE(refused.ok());
    ASSERT_EQ(refused.error().fields.size(), 4u)
        << refused.error().fields[0].field << refused.error().fields[1].field << refused.error().fields[2].field;
    EXPECT_EQ(boost::json::parse(svc_->GetForm(head_, f->id)->allowed_origins), boost::json::parse(f->allowed_origins))
        << "nothing half-written";

    auto rotated = svc_->RotateFormKey(head_, f->id);
    ASSERT_TRUE(rotated.ok());
    EXPECT_NE(rotated->public_key, f->public_key);
    EXPECT_FALSE(svc_->ActiveFormByKey(f->public_key));
    EXPECT_TRUE(svc_->ActiveFormByKey(rotated->public_key));
    FormInput off;
    off.active = false;
    ASSERT_TRUE(svc_->UpdateForm(head_, f->id, off).ok());
    EXPECT_FALSE(svc_->ActiveFormByKey(rotated->public_key)) << "an inactive form takes nothing";
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE object_type = 'intake_form'"), 3);
    ASSERT_TRUE(svc_->DeleteForm(head_, f->id).ok());
    EXPECT_EQ(svc_->GetForm(head_, f->id).error().code, core::ErrorCode::kNotFound);
}

TEST_P(IntakeServiceTest, ChannelSecretsAreCheckedAndNeverAudited) {
    ChannelInput in;
    in.kind = "telephony";
    in.name = "АТС";
    in.secret = "short";
    auto refused = svc_->CreateChannel(head_, in);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().fields[0].code, "invalid_secret");
    in.secret = "a-very-long-shared-secret-0001";
    auto c = svc_->CreateChannel(head_, in);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(svc_->ActiveChannelByToken(c->public_token, "telephony")->secret, "a-very-long-shared-secret-0001");
    EXPECT_FALSE(svc_->ActiveChannelByToken(c->public_token, "telegram")) << "a token works for its own kind only";
    ChannelInput change;
    change.kind = "imap";
    EXPECT_EQ(svc_->UpdateChannel(head_, c->id, change).error().fields[0].code, "immutable");
    ChannelInput rotate;
    rotate.secret = "another-long-shared-secret-02";
    ASSERT_TRUE(svc_->UpdateChannel(head_, c->id, rotate).ok());
    EXPECT_EQ(
        Count("SELECT COUNT(*) FROM audit_log WHERE object_type = 'intake_channel' AND "
              "(CAST(after_json AS TEXT) LIKE '%shared-secret%' OR CAST(before_json AS TEXT) LIKE '%shared-secret%')"),
        0);
    EXPECT_EQ(svc_->CreateChannel(seller_, in).error().code, core::ErrorCode::kForbidden);

    ChannelInput imap;
    imap.kind = "imap";
    imap.name = "Почта";
    imap.secret = "pw";
    imap.config = R"({"host":"127.0.0.1","port":10143,"tls":"none","user":"sales"})";
    auto m = svc_->CreateChannel(head_, imap);
    ASSERT_TRUE(m.ok()) << (m.ok() ? "" : m.error().fields[0].field);
    EXPECT_EQ(m->config,
              R"({"host":"127.0.0.1","tls":"none","port":10143,"user":"sales","folder":"INBOX","poll_minutes":5})");
    imap.config = R"({"port":0,"tls":"ssl","extra":1})";
    auto bad = svc_->CreateChannel(head_, imap);
    ASSERT_FALSE(bad.ok());
    EXPECT_GE(bad.error().fields.size(), 4u);
}

TEST_P(IntakeServiceTest, ReplayGuardAndPrune) {
    EXPECT_TRUE(svc_->RecordNonce(ws_, 7, "evt-1"));
    EXPECT_FALSE(svc_->RecordNonce(ws_, 7, "evt-1"));
    EXPECT_TRUE(svc_->RecordNonce(ws_, 8, "evt-1")) << "nonces are per channel";
    svc_->ForgetNonce(ws_, 7, "evt-1");
    EXPECT_TRUE(svc_->RecordNonce(ws_, 7, "evt-1"));
    clock_.Advance(11 * 60 * 1000);
    svc_->Prune(clock_.NowMs());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM intake_replay"), 0);
}

TEST_P(IntakeServiceTest, GroupCommitStoresIdempotentAnswersOfAcceptedItemsOnly) {
    std::vector<std::thread> threads;
    // Not vector<bool>: its elements share words, so ten threads writing their own element would race.
    std::vector<char> ok(10, 0);
    for (int i = 0; i < 10; ++i)
        threads.emplace_back([&, i] {
            PendingLead p;
            p.lead.workspace_id = ws_;
            p.lead.channel = "form";
            p.lead.request_text = i == 3 ? "poison" : "кухня";
            p.idempotency = IdempotencyRecord{"form:1", "k" + std::to_string(i), "h", 201, R"({"accepted":true})"};
            ok[static_cast<std::size_t>(i)] = svc_->Submit(std::move(p)).ok() ? 1 : 0;
        });
    for (auto& t : threads) t.join();
    for (int i = 0; i < 10; ++i) EXPECT_EQ(ok[static_cast<std::size_t>(i)] != 0, i != 3) << "item " << i;
    EXPECT_EQ(received_.size(), 10u);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM idempotency_keys"), 9);
    auto a = svc_->StoredAnswer(ws_, "form:1", "k5");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->status, 201);
    EXPECT_EQ(a->response, R"({"accepted":true})");
    EXPECT_FALSE(svc_->StoredAnswer(ws_, "form:1", "k3"));
    EXPECT_FALSE(svc_->StoredAnswer(ws_, "form:2", "k5")) << "keys are per scope";
    clock_.Advance(25LL * 3600 * 1000);
    svc_->Prune(clock_.NowMs());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM idempotency_keys"), 0);
    svc_->Stop();
    PendingLead late;
    late.lead.workspace_id = ws_;
    EXPECT_EQ(svc_->Submit(late).error().code, core::ErrorCode::kUnavailable);
}

INSTANTIATE_TEST_SUITE_P(Engines, IntakeServiceTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::intake
