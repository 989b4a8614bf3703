// The intake entry point on both engines: a new lead, a repeat request attached to an open lead by a phone in
// another spelling, a known client (request → linked lead; call → the client's timeline only), a redelivery,
// impossible contact data kept as text, and batches where one item is bad.
#include <gtest/gtest.h>

#include "clients/clients_service.hpp"
#include "leads/lead_store.hpp"
#include "leads/tests/lead_fixture.hpp"

namespace otdel::leads {
namespace {

using testing::LeadsFixture;

class LeadIntakeTest : public LeadsFixture {
protected:
    std::optional<Lead> Load(core::Id id) {
        return tdb_.db().Read([&](soci::session& sql) {
            const auth::Visibility vis(
                auth::Caller{ws_, 0, true, auth::Scope::kAll, "", auth::PermissionSet::Everything()}, "2026-03-02");
            const auth::Predicate p = vis.Read("l");
            return store::SelectLead(sql, id, p, true);
        });
    }
    core::Id Company(const std::string& name, const std::string& phone, const std::string& inn = {}) {
        return tdb_.db()
            .InTx([&](soci::session& sql) -> core::Result<core::Id> {
                clients::CompanyInput in;
                in.name = name;
                if (!inn.empty()) {
                    in.set_inn = true;
                    in.inn = inn;
                }
                in.points = std::vector<clients::PointInput>{{"phone", "work", phone, true}};
                auto c = clients::ClientsService::CreateCompanyInTx(sql, sys_, clock_.NowMs(), in);
                if (!c) return c.take_error();
                return c->company.id;
            })
            .value();
    }
};

TEST_P(LeadIntakeTest, NewLeadIsScoredWithPointsAuditAndSearchDoc) {
    IncomingLead in = Form("Нужна кухня, бюджет 300 тыс, до 15 марта", {"8 912 345-67-89"}, {"Ivan@Example.RU"});
    in.contact_name = "Иван Петров";
    in.utm_source = "yandex";
    auto r = intake_->Accept(in);
    ASSERT_TRUE(r.ok()) << r.error().message_key;
    EXPECT_EQ(r->kind, IntakeKind::kCreatedLead);
    auto l = Load(*r->lead_id);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->status, "new");
    EXPECT_EQ(l->channel, "form");
    EXPECT_EQ(l->utm_source, "yandex");
    EXPECT_EQ(l->title, "Нужна кухня, бюджет 300 тыс, до 15 марта");
    EXPECT_EQ(l->priority_score, 25 + 20 + 15 + 10 + 5);
    ASSERT_EQ(l->points.size(), 2u);
    EXPECT_EQ(l->points[0].value, "+79123456789");
    EXPECT_EQ(l->points[0].raw, "8 912 345-67-89");
    EXPECT_EQ(l->points[1].value, "ivan@example.ru");
    EXPECT_FALSE(l->owner_user_id);
    EXPECT_EQ(
        Count("SELECT COUNT(*) FROM audit_log WHERE action = 'lead.create' AND object_id = " + std::to_string(l->id)),
        1);
    EXPECT_EQ(
        Count("SELECT COUNT(*) FROM search_docs WHERE subject_type = 'lead' AND subject_id = " + std::to_string(l->id)),
        1);
}

TEST_P(LeadIntakeTest, RepeatRequestByPhoneInAnotherSpellingAttachesToTheOpenLead) {
    auto first = intake_->Accept(Form("Сколько стоит шкаф?", {"8 (912) 345-67-89"}));
    ASSERT_TRUE(first.ok());
    const int before = Load(*first->lead_id)->priority_score;
    clock_.Advance(60'000);
    IncomingLead again = Form("Шкаф-купе 2 метра, бюджет 90 000 руб", {"+7 912 345 67 89"}, {"petrov@mail.ru"});
    again.channel = "telegram";
    auto second = intake_->Accept(again);
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->kind, IntakeKind::kAttachedToLead);
    EXPECT_EQ(second->lead_id, first->lead_id);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM leads"), 1);
    auto l = Load(*first->lead_id);
    EXPECT_EQ(l->repeat_count, 1);
    EXPECT_EQ(l->last_request_at, clock_.NowMs());
    EXPECT_GT(l->priority_score, before) << "re-scored with the new, concrete request";
    EXPECT_EQ(l->points.size(), 2u) << "the new e-mail is added, the same phone is not doubled";
    EXPECT_EQ(Count("SELECT COUNT(*) FROM timeline_events WHERE subject_type = 'lead' AND kind = 'repeat_request' "
                    "AND channel = 'telegram'"),
              1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'lead.repeat_request'"), 1);
}

TEST_P(LeadIntakeTest, ClosedLeadsDoNotTakeRepeats) {
    auto first = intake_->Accept(Form("Кухня", {"+79123456789"}));
    ASSERT_TRUE(first.ok());
    tdb_.db().InTx([&](soci::session& sql) {
        sql << "UPDATE leads SET status = 'junk', junk_reason = 'spam'";
        return core::Result<bool>(true);
    });
    auto second = intake_->Accept(Form("Кухня снова", {"89123456789"}));
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->kind, IntakeKind::kCreatedLead);
    EXPECT_NE(second->lead_id, first->lead_id);
}

TEST_P(LeadIntakeTest, KnownClientGetsALinkedLeadForARequestAndTheTimelineForACall) {
    const core::Id company = Company("ООО «Ромашка»", "+7 495 123-45-67");
    IncomingLead req = Form("Нужны столешницы в офисную кухню", {"8 495 1234567"});
    auto r = intake_->Accept(req);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->kind, IntakeKind::kCreatedLead);
    EXPECT_EQ(r->company_id, company);
    EXPECT_EQ(Load(*r->lead_id)->company_id, company);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM timeline_events WHERE subject_type = 'company' AND kind = 'lead_created'"),
              1);

    // The open lead now holds the phone too; close it, then a call lands on the client card only.
    tdb_.db().InTx([&](soci::session& sql) {
        sql << "UPDATE leads SET status = 'junk', junk_reason = 'duplicate'";
        return core::Result<bool>(true);
    });
    IncomingLead call;
    call.workspace_id = ws_;
    call.channel = "phone";
    call.event_kind = "call_in";
    call.external_ref = "call-1";
    call.phones = {"+74951234567"};
    call.payload = {{"duration_s", 95}, {"recording_url", "https://pbx.example/rec/1.mp3"}};
    auto c = intake_->Accept(call);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->kind, IntakeKind::kAttachedToClient);
    EXPECT_EQ(c->company_id, company);
    EXPECT_FALSE(c->lead_id);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM leads"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM timeline_events WHERE subject_type = 'company' AND kind = 'call_in'"), 1);
    // The same call delivered again is recognised.
    auto again = intake_->Accept(call);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->kind, IntakeKind::kDuplicateDelivery);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM timeline_events WHERE kind = 'call_in'"), 1);
}

TEST_P(LeadIntakeTest, KnownInnLinksTheCompany) {
    const core::Id company = Company("ПАО Сбербанк", "+74955005550", "7707083893");
    IncomingLead in = Form("Мебель для отделения");
    in.inn = "7707083893";
    auto r = intake_->Accept(in);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->company_id, company);
}

TEST_P(LeadIntakeTest, DuplicateDeliveryWritesNothing) {
    IncomingLead in = Form("Кухня", {"+79001112233"});
    in.channel = "webhook";
    in.external_ref = "order-77";
    auto a = intake_->Accept(in);
    auto b = intake_->Accept(in);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(b->kind, IntakeKind::kDuplicateDelivery);
    EXPECT_EQ(b->lead_id, a->lead_id);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM leads"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE object_type = 'lead'"), 1);
}

TEST_P(LeadIntakeTest, ImpossiblePhoneAndBadInnAreKeptAsTextNeverDropped) {
    IncomingLead in = Form("Перезвоните", {"12"}, {"not-an-email"});
    in.inn = "1234567890";
    auto r = intake_->Accept(in);
    ASSERT_TRUE(r.ok());
    auto l = Load(*r->lead_id);
    EXPECT_TRUE(l->points.empty());
    EXPECT_FALSE(l->inn);
    EXPECT_NE(l->request_text.find("12"), std::string::npos);
    EXPECT_NE(l->request_text.find("not-an-email"), std::string::npos);
    EXPECT_NE(l->request_text.find("ИНН: 1234567890"), std::string::npos);
}

TEST_P(LeadIntakeTest, MissedCallFromUnknownNumberBecomesALead) {
    IncomingLead call;
    call.workspace_id = ws_;
    call.channel = "phone";
    call.event_kind = "call_missed";
    call.external_ref = "c-9";
    call.phones = {"+7 916 000-11-22"};
    auto r = intake_->Accept(call);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->kind, IntakeKind::kCreatedLead);
    auto l = Load(*r->lead_id);
    EXPECT_EQ(l->title, "Пропущенный звонок: +79160001122");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM timeline_events WHERE subject_type = 'lead' AND kind = 'call_missed'"), 1);
}

TEST_P(LeadIntakeTest, ValidationNamesTheFields) {
    IncomingLead in;
    in.workspace_id = ws_;
    in.channel = "fax";
    in.event_kind = "visit";
    auto r = intake_->Accept(in);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
    std::set<std::string> fields;
    for (const auto& f : r.error().fields) fields.insert(f.field);
    EXPECT_EQ(fields, (std::set<std::string>{"channel", "event_kind", "request_text"}));
}

TEST_P(LeadIntakeTest, BatchWithOneInvalidItemCommitsTheRest) {
    std::vector<IncomingLead> items = {Form("Кухня", {"+79000000001"}), Form(""), Form("Шкаф", {"+79000000002"})};
    auto rs = intake_->AcceptBatch(items);
    ASSERT_EQ(rs.size(), 3u);
    EXPECT_TRUE(rs[0].ok());
    ASSERT_FALSE(rs[1].ok());
    EXPECT_EQ(rs[1].error().code, core::ErrorCode::kValidation);
    EXPECT_TRUE(rs[2].ok());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM leads"), 2);
    EXPECT_EQ(intake_->fallbacks(), 0u) << "one transaction for the batch, not the one-by-one fallback";
}

TEST_P(LeadIntakeTest, BatchItemFailingWhileWritingIsRolledBackAlone) {
    std::vector<IncomingLead> items = {Form("Кухня", {"+79000000001"}), Form("Шкаф", {"+79000000002"}),
                                       Form("Стол", {"+79000000003"})};
    items[1].default_owner_user_id = 987654;  // no such user: the foreign key refuses the row
    auto rs = intake_->AcceptBatch(items);
    ASSERT_EQ(rs.size(), 3u);
    EXPECT_TRUE(rs[0].ok());
    ASSERT_FALSE(rs[1].ok());
    EXPECT_EQ(rs[1].error().code, core::ErrorCode::kInternal);
    EXPECT_TRUE(rs[2].ok());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM leads"), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM contact_points WHERE value = '+79000000002'"), 0);
    EXPECT_EQ(intake_->fallbacks(), 0u) << "the bad item rolled back to its savepoint, the batch committed";
}

TEST_P(LeadIntakeTest, RepeatsInsideOneBatchAttachToTheLeadCreatedEarlierInIt) {
    std::vector<IncomingLead> items = {Form("Кухня", {"+79000000001"}), Form("Ещё вопрос", {"8 900 000-00-01"})};
    auto rs = intake_->AcceptBatch(items);
    ASSERT_TRUE(rs[0].ok() && rs[1].ok());
    EXPECT_EQ(rs[1]->kind, IntakeKind::kAttachedToLead);
    EXPECT_EQ(rs[1]->lead_id, rs[0]->lead_id);
    EXPECT_EQ(intake_->fallbacks(), 0u);
}

TEST_P(LeadIntakeTest, RoutingHookSeesTheNewLeadInsideTheTransaction) {
    const core::Id dept = Dept("Заявки", std::nullopt);
    const core::Id olga = Person("olga@kuhni.test", "lead_manager", dept);
    intake_->SetRoutingHook([&](soci::session& sql, core::Id ws, core::Id lead_id) {
        long long owner = olga, id = lead_id, w = ws;
        sql << "UPDATE leads SET owner_user_id = :o WHERE workspace_id = :ws AND id = :id", soci::use(owner, "o"),
            soci::use(w, "ws"), soci::use(id, "id");
    });
    auto r = intake_->Accept(Form("Кухня", {"+79000000009"}));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(Load(*r->lead_id)->owner_user_id, olga);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM search_docs WHERE owner_user_id = " + std::to_string(olga)), 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, LeadIntakeTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& i) { return otdel::testing::EngineParamName(i.param); });

}  // namespace
}  // namespace otdel::leads
