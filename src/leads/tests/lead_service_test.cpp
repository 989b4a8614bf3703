// LeadService on both engines: visibility of leads by scope (own, team, all, read_all; by id 404 outside),
// manual entry with duplicate warnings or attach_to, statuses, convert in one transaction (a failure after the
// company insert leaves nothing), merge keeping points/events/audit, handover on dismissal.
#include <gtest/gtest.h>

#include "clients/clients_service.hpp"
#include "leads/lead_service.hpp"
#include "leads/tests/lead_fixture.hpp"

namespace otdel::leads {
namespace {

using testing::LeadsFixture;

class LeadServiceTest : public LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        clients_ = std::make_unique<clients::ClientsService>(tdb_.db(), clock_);
        leads_ = std::make_unique<LeadService>(tdb_.db(), clock_, *clients_, *intake_);
        registry_.Add(*leads_);
        sales_ = Dept("Продажи", std::nullopt);
        team_ = Dept("Команда А", sales_);
        other_ = Dept("Команда Б", sales_);
        seller1_ = Person("s1@kuhni.test", "key_account_manager", team_);
        seller2_ = Person("s2@kuhni.test", "key_account_manager", team_);
        outsider_ = Person("s3@kuhni.test", "key_account_manager", other_);
        supervisor_ = Person("sup@kuhni.test", "supervisor", team_);
        rop_ = Person("rop@kuhni.test", "head_of_sales", sales_);
        analyst_ = Person("an@kuhni.test", "sales_analyst", sales_);
        support_ = Person("sup2@kuhni.test", "support_specialist", sales_);
    }
    core::Id NewLead(const std::string& text, std::optional<core::Id> owner, const std::string& phone = {}) {
        IncomingLead in = Form(text, phone.empty() ? std::vector<std::string>{} : std::vector<std::string>{phone});
        in.default_owner_user_id = owner;
        auto r = intake_->Accept(in);
        EXPECT_TRUE(r.ok());
        return r.ok() ? *r->lead_id : 0;
    }
    std::set<core::Id> Visible(core::Id user) {
        LeadQuery q;
        q.limit = 200;
        auto page = leads_->List(As(user), q);
        EXPECT_TRUE(page.ok());
        std::set<core::Id> ids;
        if (page.ok())
            for (const auto& l : page->items) ids.insert(l.id);
        return ids;
    }

    std::unique_ptr<clients::ClientsService> clients_;
    std::unique_ptr<LeadService> leads_;
    core::Id sales_ = 0, team_ = 0, other_ = 0, seller1_ = 0, seller2_ = 0, outsider_ = 0, supervisor_ = 0, rop_ = 0,
             analyst_ = 0, support_ = 0;
};

TEST_P(LeadServiceTest, VisibilityByScope) {
    const core::Id a = NewLead("Кухня", seller1_);
    const core::Id b = NewLead("Шкаф", seller2_);
    const core::Id c = NewLead("Стол", outsider_);
    const core::Id pool = NewLead("Комод", std::nullopt);
    EXPECT_EQ(Visible(seller1_), (std::set<core::Id>{a}));
    EXPECT_EQ(Visible(supervisor_), (std::set<core::Id>{a, b})) << "team: the subtree of the supervisor's team";
    EXPECT_EQ(Visible(rop_), (std::set<core::Id>{a, b, c, pool})) << "all";
    EXPECT_EQ(Visible(analyst_), (std::set<core::Id>{a, b, c, pool})) << "read_all";

    // By id: outside visibility is 404, never 403.
    EXPECT_TRUE(leads_->Get(As(seller1_), a).ok());
    auto hidden = leads_->Get(As(seller1_), b);
    ASSERT_FALSE(hidden.ok());
    EXPECT_EQ(hidden.error().code, core::ErrorCode::kNotFound);
    auto status = leads_->SetStatus(As(seller1_), b, "in_work", std::nullopt, "");
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, core::ErrorCode::kNotFound);
    // read_all reads but never writes.
    auto write = leads_->SetStatus(As(analyst_), a, "in_work", std::nullopt, "");
    ASSERT_FALSE(write.ok());
    EXPECT_EQ(write.error().code, core::ErrorCode::kNotFound);
    // A role without lead rights sees no inbox and cannot create.
    auto list = leads_->List(As(support_), LeadQuery{});
    ASSERT_FALSE(list.ok());
    EXPECT_EQ(list.error().code, core::ErrorCode::kForbidden);
    LeadInput in;
    in.request_text = "Кухня";
    auto created = leads_->Create(As(support_), in, std::nullopt);
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().code, core::ErrorCode::kForbidden);
}

TEST_P(LeadServiceTest, InboxIsSortedByPriorityThenNewestWithAStableCursor) {
    const core::Id vague = NewLead("Сколько стоит?", seller1_);
    const core::Id hot = NewLead("Кухня 3 метра, бюджет 300 тыс, срочно", seller1_, "+79001110001");
    const core::Id mid1 = NewLead("Нужен шкаф", seller1_);
    const core::Id mid2 = NewLead("Нужен стол", seller1_);
    std::vector<core::Id> seen;
    LeadQuery q;
    q.limit = 2;
    for (int i = 0; i < 3; ++i) {
        auto page = leads_->List(As(seller1_), q);
        ASSERT_TRUE(page.ok());
        for (const auto& l : page->items) seen.push_back(l.id);
        if (!page->next_cursor) break;
        q.cursor = page->next_cursor;
    }
    EXPECT_EQ(seen, (std::vector<core::Id>{hot, mid2, mid1, vague}));
    q = LeadQuery{};
    q.q = "ШКАФ";
    auto found = leads_->List(As(seller1_), q);
    ASSERT_TRUE(found.ok());
    ASSERT_EQ(found->items.size(), 1u);
    EXPECT_EQ(found->items[0].id, mid1);
    q.q = "8 (900) 111-00-01";
    found = leads_->List(As(seller1_), q);
    ASSERT_TRUE(found.ok());
    ASSERT_EQ(found->items.size(), 1u);
    EXPECT_EQ(found->items[0].id, hot);
}

TEST_P(LeadServiceTest, ManualEntryWarnsAboutDuplicatesOrAttaches) {
    const core::Id first = NewLead("Кухня", seller1_, "+79001112233");
    LeadInput in;
    in.request_text = "Перезвонить по кухне";
    in.points = std::vector<PointInput>{{"phone", "8 900 111-22-33", ""}};
    auto r = leads_->Create(As(seller1_), in, std::nullopt);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->attached);
    EXPECT_NE(r->lead.id, first);
    ASSERT_EQ(r->duplicates.size(), 1u);
    EXPECT_EQ(r->duplicates[0].type, "lead");
    EXPECT_EQ(r->duplicates[0].id, first);
    EXPECT_TRUE(r->duplicates[0].visible);
    EXPECT_EQ(r->lead.owner_user_id, seller1_);

    auto attached = leads_->Create(As(seller1_), in, first);
    ASSERT_TRUE(attached.ok());
    EXPECT_TRUE(attached->attached);
    EXPECT_EQ(attached->lead.id, first);
    EXPECT_EQ(attached->lead.repeat_count, 1);

    LeadInput bad;
    bad.points = std::vector<PointInput>{{"phone", "12", ""}, {"email", "a@", ""}};
    bad.inn = "1234567890";
    auto refused = leads_->Create(As(seller1_), bad, std::nullopt);
    ASSERT_FALSE(refused.ok());
    std::set<std::string> fields;
    for (const auto& f : refused.error().fields) fields.insert(f.field + ":" + f.code);
    EXPECT_EQ(fields, (std::set<std::string>{"phones/0:invalid_phone", "emails/0:invalid_email", "inn:invalid_inn"}));
}

TEST_P(LeadServiceTest, StatusesFollowTheTable) {
    const core::Id id = NewLead("Кухня", seller1_);
    EXPECT_TRUE(leads_->SetStatus(As(seller1_), id, "in_work", std::nullopt, "").ok());
    auto junk = leads_->SetStatus(As(seller1_), id, "junk", std::nullopt, "");
    ASSERT_FALSE(junk.ok());
    EXPECT_EQ(junk.error().code, core::ErrorCode::kValidation);
    auto ok = leads_->SetStatus(As(seller1_), id, "junk", std::string("spam"), "реклама");
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->junk_reason, "spam");
    EXPECT_EQ(ok->junk_comment, "реклама");
    auto reopened = leads_->SetStatus(As(seller1_), id, "new", std::nullopt, "");
    ASSERT_TRUE(reopened.ok());
    EXPECT_FALSE(reopened->junk_reason);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'lead.status'"), 3);
}

TEST_P(LeadServiceTest, ConvertCreatesClientAndContactInOneTransactionOnce) {
    IncomingLead in = Form("Кухня в офис", {"+7 912 000-00-01"}, {"boss@romashka.ru"});
    in.contact_name = "Петров Иван Сергеевич";
    in.company_name = "Ромашка";
    in.inn = "7707083893";
    in.default_owner_user_id = seller1_;
    const core::Id id = *intake_->Accept(in)->lead_id;
    ConvertInput c;
    c.company = clients::CompanyInput{};
    c.contact = clients::ContactInput{};
    c.position = "Директор";
    auto r = leads_->Convert(As(seller1_), id, c);
    ASSERT_TRUE(r.ok()) << r.error().message_key << (r.error().fields.empty() ? "" : r.error().fields[0].field);
    EXPECT_EQ(r->lead.status, "converted");
    ASSERT_TRUE(r->company_id && r->contact_id);
    EXPECT_EQ(r->lead.converted_company_id, r->company_id);
    auto company = clients_->GetCompany(As(seller1_), *r->company_id);
    ASSERT_TRUE(company.ok());
    EXPECT_EQ(company->company.name, "Ромашка");
    EXPECT_EQ(company->company.inn, "7707083893");
    EXPECT_EQ(company->company.source_lead_id, id);
    EXPECT_EQ(company->company.owner_user_id, seller1_);
    auto contact = clients_->GetContact(As(seller1_), *r->contact_id);
    ASSERT_TRUE(contact.ok());
    EXPECT_EQ(contact->contact.last_name, "Петров");
    EXPECT_EQ(contact->points.size(), 2u) << "the lead's phone and e-mail";
    ASSERT_EQ(contact->companies.size(), 1u);
    EXPECT_EQ(contact->companies[0].link.position, "Директор");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM timeline_events WHERE subject_type = 'company' AND kind = "
                    "'converted_from_lead'"),
              1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'lead.convert'"), 1);

    auto again = leads_->Convert(As(seller1_), id, c);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM companies"), 1);
}

TEST_P(LeadServiceTest, ConvertFailingAfterTheCompanyInsertLeavesNothing) {
    const core::Id id = NewLead("Кухня", seller1_, "+79120000002");
    leads_->after_company_created_for_test = [] { throw std::runtime_error("injected failure"); };
    ConvertInput c;
    c.company = clients::CompanyInput{};
    c.company->name = "Ромашка";
    c.contact = clients::ContactInput{};
    EXPECT_THROW((void)leads_->Convert(As(seller1_), id, c), std::runtime_error);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM companies"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM contacts"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM contact_points WHERE subject_type <> 'lead'"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action IN ('company.create', 'lead.convert')"), 0);
    EXPECT_EQ(leads_->Get(As(seller1_), id)->status, "new");
}

TEST_P(LeadServiceTest, MergeKeepsEveryPointEventAndAuditRow) {
    const core::Id a = NewLead("Кухня", seller1_, "+79120000003");
    IncomingLead second = Form("Ещё и шкаф", {"+79120000004"}, {"x@y.ru"});
    second.default_owner_user_id = seller1_;
    const core::Id b = *intake_->Accept(second)->lead_id;
    // b gets a repeat request: a timeline event to move.
    ASSERT_EQ(intake_->Accept(Form("Повтор", {"+79120000004"}))->lead_id, b);
    auto r = leads_->Merge(As(seller1_), a, b);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->points.size(), 3u);
    EXPECT_EQ(r->repeat_count, 2);
    auto gone = leads_->Get(As(seller1_), b);
    ASSERT_TRUE(gone.ok());
    EXPECT_EQ(gone->merged_into_id, a);
    EXPECT_TRUE(gone->deleted_at);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM merges WHERE subject_type = 'lead'"), 1);
    EXPECT_EQ(
        Count("SELECT COUNT(*) FROM timeline_events WHERE subject_type = 'lead' AND subject_id = " + std::to_string(b)),
        0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE object_type = 'lead' AND object_id = " + std::to_string(b)),
              3)
        << "create, repeat_request and merged_into stay";
    auto timeline = leads_->Timeline(As(seller1_), a, std::nullopt, 50);
    ASSERT_TRUE(timeline.ok());
    bool repeat = false;
    for (const auto& t : timeline->items) repeat = repeat || t.kind == "repeat_request";
    EXPECT_TRUE(repeat) << "the absorbed lead's events show on the survivor";
    auto self = leads_->Merge(As(seller1_), a, a);
    EXPECT_FALSE(self.ok());
}

TEST_P(LeadServiceTest, DismissalHandsOpenLeadsToTheSuccessor) {
    const core::Id open1 = NewLead("Кухня", seller1_);
    const core::Id open2 = NewLead("Шкаф", seller1_);
    const core::Id closed = NewLead("Стол", seller1_);
    ASSERT_TRUE(leads_->SetStatus(sys_, closed, "junk", std::string("test"), "").ok());
    auto employees = org_->ListEmployees(sys_, org::EmployeeQuery{std::nullopt, seller1_, std::nullopt, {}, 10});
    ASSERT_TRUE(employees.ok());
    ASSERT_EQ(employees->items.size(), 1u);
    org::DismissInput d;
    d.handover = "user";
    d.to_user_id = seller2_;
    auto out = org_->DismissEmployee(sys_, employees->items[0].employee.id, d);
    ASSERT_TRUE(out.ok()) << out.error().message_key;
    EXPECT_EQ(Visible(seller2_), (std::set<core::Id>{open1, open2}));
    EXPECT_EQ(leads_->Get(sys_, closed)->owner_user_id, seller1_);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'lead.handover'"), 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, LeadServiceTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& i) { return otdel::testing::EngineParamName(i.param); });

}  // namespace
}  // namespace otdel::leads
