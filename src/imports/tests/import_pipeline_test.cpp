// The import pipeline on SQLite and (with OTDEL_TEST_PG_DSN) PostgreSQL: dedupe against the base and inside the
// file, rejected rows with reasons, resume after a stop between batches ending like a clean run, dry runs writing
// nothing, contacts linked to companies, leads through lead intake, owners by e-mail and the right to assign.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "auth/auth_service.hpp"
#include "clients/clients_service.hpp"
#include "core/clock.hpp"
#include "db/testing/test_db.hpp"
#include "imports/import_service.hpp"
#include "leads/lead_intake.hpp"
#include "org/org_service.hpp"

namespace otdel::imports {
namespace {

namespace fs = std::filesystem;
constexpr core::Millis kStart = 1'751'360'400'000;  // 2025-07-01T09:00:00Z

// The member at `path` of a JSON object (throws when absent, failing the test).
boost::json::value At(const boost::json::value& v, std::initializer_list<const char*> path) {
    const boost::json::value* at = &v;
    for (const char* key : path) at = &at->as_object().at(key);
    return *at;
}

class ImportPipelineTest : public ::testing::TestWithParam<db::Engine> {
protected:
    ImportPipelineTest() : tdb_(GetParam()), clock_(kStart) {}

    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("otdel_imports_" + std::to_string(::getpid()) + "_" + std::string(db::EngineName(GetParam())));
        fs::remove_all(dir_);
        auth::AuthConfig c;
        c.argon2_t_cost = 1;
        c.argon2_m_cost_kib = 1024;
        auth_ = std::make_unique<auth::AuthService>(tdb_.db(), clock_, c);
        org_ = std::make_unique<org::OrgService>(tdb_.db(), clock_, *auth_, registry_);
        intake_ = std::make_unique<leads::LeadIntake>(tdb_.db(), clock_);
        ImportsConfig cfg;
        cfg.dir = dir_.string();
        cfg.batch_size = 4;
        imports_ = std::make_unique<ImportService>(tdb_.db(), clock_, *intake_, cfg);
        auto ws = auth_->CreateWorkspace(auth::NewWorkspace{"Ромашка", "romashka"}, core::Actor::System(0));
        ASSERT_TRUE(ws.ok());
        ws_ = *ws;
        sys_ = core::Actor::System(ws_);
        for (const auto& r : *org_->ListRoles(sys_, false)) roles_[r.code] = r.id;
        org::DepartmentInput top;
        top.name = "Продажи";
        top.set_parent = true;
        sales_ = org_->CreateDepartment(sys_, top)->id;
        admin_ = Person("admin@r.ru", "head_of_sales", true);
        seller_ = Person("anna@r.ru", "sales_manager", false);
    }
    void TearDown() override { fs::remove_all(dir_); }

    core::Actor Person(const std::string& email, const std::string& role, bool admin) {
        org::EmployeeInput in;
        in.new_user = auth::NewUser{ws_, email, email, "password-123", "ru", admin};
        in.role_id = roles_.at(role);
        in.department_id = sales_;
        auto e = org_->CreateEmployee(sys_, in);
        EXPECT_TRUE(e.ok());
        return core::Actor::SignedIn(core::ActorKind::kUser, ws_, e->employee.user_id, admin, core::Lang::kRu, "t",
                                     "127.0.0.1", "c");
    }

    long long Count(const std::string& text) {
        long long n = 0;
        tdb_.db().Read([&](soci::session& sql) {
            sql << text, soci::into(n);
            return 0;
        });
        return n;
    }

    std::vector<std::string> Texts(const std::string& text) {
        std::vector<std::string> out;
        tdb_.db().Read([&](soci::session& sql) {
            std::string v;
            soci::statement st = (sql.prepare << text, soci::into(v));
            st.execute();
            while (st.fetch()) out.push_back(v);
            return 0;
        });
        return out;
    }

    // Uploads and starts; returns the run id.
    core::Id Upload(const core::Actor& a, const std::string& entity, const std::string& csv, ColumnMap columns,
                    bool dry_run = false) {
        auto up = imports_->UploadFile(a, entity, "file.csv", "", csv);
        EXPECT_TRUE(up.ok()) << (up.ok() ? "" : core::ErrorCodeName(up.error().code));
        if (!up.ok()) return 0;
        StartInput in;
        in.columns = std::move(columns);
        in.dry_run = dry_run;
        auto started = imports_->Start(a, up->run.id, in);
        EXPECT_TRUE(started.ok());
        return up->run.id;
    }

    store::ImportRow Run(core::Id id, std::optional<int> stop_after = std::nullopt, int batch_size = 4) {
        RunOptions o;
        o.batch_size = batch_size;
        o.stop_after_batches = stop_after;
        auto r = imports_->RunNow(ws_, id, o);
        EXPECT_TRUE(r.ok());
        return r.ok() ? *r : store::ImportRow{};
    }

    std::vector<std::int64_t> RejectedRows(core::Id id) {
        std::vector<std::int64_t> out;
        tdb_.db().Read([&](soci::session& sql) {
            for (const auto& r : store::ListRejects(sql, ws_, id, 0, 1000)) out.push_back(r.row_no);
            return 0;
        });
        return out;
    }

    static const ColumnMap& CompanyColumns() {
        static const ColumnMap k = {{"Название", "name"}, {"ИНН", "inn"}, {"Телефон", "phone"}, {"Почта", "email"}};
        return k;
    }

    testing::TestDatabase tdb_;
    core::ManualClock clock_;
    fs::path dir_;
    org::HandoverRegistry registry_;
    std::unique_ptr<auth::AuthService> auth_;
    std::unique_ptr<org::OrgService> org_;
    std::unique_ptr<leads::LeadIntake> intake_;
    std::unique_ptr<ImportService> imports_;
    core::Id ws_ = 0, sales_ = 0;
    core::Actor sys_, admin_, seller_;
    std::map<std::string, core::Id> roles_;
};

const std::string kCompanies =
    "Название;ИНН;Телефон;Почта\n"
    "ООО Альфа;7707083893;+7 912 000-00-01;alfa@example.ru\n"  // 2: new
    "ООО Бета;;8 (912) 000-00-02;\n"                           // 3: new
    "Альфа (дубль в файле);;89120000001;\n"                    // 4: same phone as row 2 → merged
    "ООО Гамма;1234567890;;\n"                                 // 5: bad INN → rejected
    "ООО Старый клиент;;;old@example.ru\n"                     // 6: matches the base → merged
    "ООО Дельта;;+7 912 000 00 03;delta@example.ru\n"          // 7: new
    ";;+7 912 000 00 09;\n"                                    // 8: no name → rejected
    "ООО Эпсилон;;12;\n";                                      // 9: impossible phone → rejected

TEST_P(ImportPipelineTest, CompaniesWithDedupeAndRejects) {
    clients::CompanyInput old;
    old.name = "Старый клиент";
    old.points = std::vector<clients::PointInput>{{"email", "work", "OLD@example.ru", true}};
    ASSERT_TRUE(tdb_.db()
                    .InTx([&](soci::session& sql) {
                        auto r = clients::ClientsService::CreateCompanyInTx(sql, admin_, kStart, old);
                        return r.ok() ? core::Result<void>() : core::Result<void>(r.error());
                    })
                    .ok());

    const core::Id id = Upload(admin_, "company", kCompanies, CompanyColumns());
    const auto run = Run(id);
    EXPECT_EQ(run.status, "done");
    EXPECT_EQ(run.processed_rows, 8);
    EXPECT_EQ(run.created_rows, 3);
    EXPECT_EQ(run.merged_rows, 2);
    EXPECT_EQ(run.rejected_rows, 3);
    EXPECT_EQ(RejectedRows(id), (std::vector<std::int64_t>{5, 8, 9}));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM companies"), 4);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM timeline_events WHERE kind = 'import_merged'"), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'import.start'"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'import.finish'"), 1);
    // The imported records are audited per batch (8 rows in batches of 4): which ids were created and merged into.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'company.create'"), 1);  // the base's own
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'import.batch'"), 2);
    const auto batches =
        Texts("SELECT CAST(after_json AS TEXT) FROM audit_log WHERE action = 'import.batch' ORDER BY id");
    ASSERT_EQ(batches.size(), 2u);
    const auto first = boost::json::parse(batches[0]);
    EXPECT_EQ(At(first, {"rows"}), boost::json::parse("[2, 5]"));
    EXPECT_EQ(At(first, {"company", "created", "count"}), 2);
    EXPECT_EQ(At(first, {"company", "merged", "count"}), 1);
    const auto ids =
        Texts("SELECT CAST(id AS TEXT) FROM companies WHERE name IN ('ООО Альфа', 'ООО Бета') ORDER BY id");
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_EQ(At(first, {"company", "created", "ids"}), boost::json::parse("[[" + ids[0] + ", " + ids[1] + "]]"));
    EXPECT_EQ(At(first, {"company", "merged", "ids"}), boost::json::parse("[[" + ids[0] + ", " + ids[0] + "]]"));
    const auto second = boost::json::parse(batches[1]);
    EXPECT_EQ(At(second, {"created_rows"}), 1);
    EXPECT_EQ(At(second, {"merged_rows"}), 1);
    EXPECT_EQ(At(second, {"rejected_rows"}), 2);

    // The report names each reason in the reader's language and keeps the original cells, neutralised.
    auto report = imports_->ErrorReport(admin_, id, core::Lang::kEn);
    ASSERT_TRUE(report.ok());
    EXPECT_NE(report->find("5,inn: An INN has 10 or 12 digits"), std::string::npos) << *report;
    EXPECT_NE(report->find("'+7 912 000 00 09"), std::string::npos);
    EXPECT_NE(report->find("9,phone: This does not look like a phone number"), std::string::npos);
}

TEST_P(ImportPipelineTest, ResumeAfterAStopEndsLikeACleanRun) {
    std::string csv = "Название;Телефон\n";
    for (int i = 0; i < 23; ++i) {
        csv += "Компания " + std::to_string(i) + ";+7 913 000 00 " + (i < 10 ? "0" : "") + std::to_string(i) + "\n";
        if (i % 7 == 3)
            csv += "Дубль " + std::to_string(i) + ";8913000 00 " + (i < 10 ? "0" : "") + std::to_string(i) + "\n";
        if (i % 9 == 4) csv += "Плохой;+7 1\n";
    }
    const ColumnMap cols = {{"Название", "name"}, {"Телефон", "phone"}};
    const core::Id id = Upload(admin_, "company", csv, cols);
    auto part = Run(id, 2);  // stops (as if killed) after two committed batches
    EXPECT_EQ(part.status, "running");
    EXPECT_EQ(part.processed_rows, 8);
    auto done = Run(id);
    EXPECT_EQ(done.status, "done");
    EXPECT_EQ(done.processed_rows, 23 + 3 + 3);
    EXPECT_EQ(done.created_rows, 23);
    EXPECT_EQ(done.merged_rows, 3);
    EXPECT_EQ(done.rejected_rows, 3);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM companies"), 23);
    EXPECT_EQ(Count("SELECT COUNT(DISTINCT name) FROM companies"), 23);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM import_rejects"), 3);

    // A clean run of the same file in the same base merges everything it would have created.
    const core::Id again = Upload(admin_, "company", csv, cols);
    auto second = Run(again);
    EXPECT_EQ(second.created_rows, 0);
    EXPECT_EQ(second.merged_rows, 26);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM companies"), 23);
}

TEST_P(ImportPipelineTest, DealsResumeAfterAStopWithTheirHistoryAndNoDoubles) {
    // 11 rows: open deals, won and lost ones with dates and reasons, one unknown stage; batches of 4.
    std::string csv = "Сделка;Этап;Сумма;Компания;Создана;Закрыта;Причина\n";
    for (int i = 0; i < 11; ++i) {
        const std::string stage = i == 5       ? "Монтаж на Луне"
                                  : i % 3 == 0 ? "Успешно"
                                  : i % 3 == 1 ? "Замер"
                                               : "Проиграна";
        csv += "Сделка " + std::to_string(i) + ";" + stage + ";" + std::to_string(1000 * (i + 1)) + ";Клиент " +
               std::to_string(i % 4) + ";0" + std::to_string(1 + i % 9) + ".03.2025;" +
               (i % 3 == 1 ? "" : "2" + std::to_string(i % 9) + ".03.2025") + ";" + (i % 3 == 2 ? "Дорого" : "") + "\n";
    }
    const ColumnMap cols = {{"Сделка", "title"},          {"Этап", "stage"},         {"Сумма", "amount"},
                            {"Компания", "company_name"}, {"Создана", "created_at"}, {"Закрыта", "closed_at"},
                            {"Причина", "loss_reason"}};
    const core::Id id = Upload(admin_, "deal", csv, cols);
    auto part = Run(id, 1);  // stops (as if killed) after the first committed batch
    EXPECT_EQ(part.status, "running");
    EXPECT_EQ(part.processed_rows, 4);
    auto done = Run(id);
    EXPECT_EQ(done.status, "done");
    EXPECT_EQ(done.processed_rows, 11);
    EXPECT_EQ(done.created_rows, 10);
    EXPECT_EQ(done.rejected_rows, 1);
    EXPECT_EQ(RejectedRows(id), (std::vector<std::int64_t>{7}));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deals"), 10);
    EXPECT_EQ(Count("SELECT COUNT(DISTINCT title) FROM deals"), 10);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM companies"), 4);  // found again by name in later rows and batches
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deals WHERE status <> 'open' AND closed_at IS NULL"), 0);
    // An open deal enters its stage once; a closed one the first stage, then won or lost at its close date.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deal_stage_history"), 4 + 2 * 6);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id "
                    "WHERE d.status <> 'open' AND h.from_stage_id IS NOT NULL AND h.at <> d.closed_at"),
              0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deals WHERE status = 'lost' AND loss_reason_id IS NULL"), 0);
    // The board's rollup stays exact.
    EXPECT_EQ(Count("SELECT COALESCE(SUM(deals), 0) FROM deal_totals"), 10);
    EXPECT_EQ(Count("SELECT COALESCE(SUM(amount_minor), 0) FROM deal_totals"),
              Count("SELECT SUM(amount_minor) FROM deals"));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'import.batch'"), 3);
}

TEST_P(ImportPipelineTest, ReimportingADealFileUpdatesOrSkipsByItsIdAndLinksTheContacts) {
    // First the clients: two contacts of ООО Альфа (phones and e-mails as people type them).
    const std::string contacts =
        "ФИО;Телефон;Почта;Компания\n"
        "Иван Петров;+7 914 000 00 01;ivan@alfa.ru;ООО Альфа\n"
        "Мария Сидорова;;maria@alfa.ru;ООО Альфа\n";
    Run(Upload(admin_, "contact", contacts,
               {{"ФИО", "full_name"}, {"Телефон", "phone"}, {"Почта", "email"}, {"Компания", "company_name"}}));
    ASSERT_EQ(Count("SELECT COUNT(*) FROM contacts"), 2);
    const ColumnMap cols = {{"ID", "external_id"},        {"Сделка", "title"},         {"Сумма", "amount"},
                            {"Компания", "company_name"}, {"Контакт", "contact_name"}, {"Телефон", "contact_phone"},
                            {"Почта", "contact_email"}};
    const std::string file =
        "ID;Сделка;Сумма;Компания;Контакт;Телефон;Почта\n"
        "A-1;Кухня;1000;ООО Альфа;;8 (914) 000-00-01;\n"  // the contact by phone, another spelling
        "A-2;Шкаф;2000;ООО Альфа;;;MARIA@alfa.ru\n"       // by e-mail, another case
        "A-3;Стол;3000;ООО Альфа;мария сидорова;;\n"      // by name among the company's contacts
        "A-4;Полка;4000;ООО Альфа;Пётр Неизвестный;;\n"   // nobody of that name: refused, not invented
        "A-5;Стул;5000;ООО Альфа;;;\n";                   // no contact: fine
    auto first = Run(Upload(admin_, "deal", file, cols));
    EXPECT_EQ(first.created_rows, 4);
    EXPECT_EQ(first.rejected_rows, 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deals"), 4);
    const auto contact_of = [&](const std::string& title) {
        return Texts(
            "SELECT COALESCE(p.full_name, '') FROM deals d LEFT JOIN contacts p ON p.id = d.contact_id "
            "WHERE d.title = '" +
            title + "'");
    };
    EXPECT_EQ(contact_of("Кухня"), std::vector<std::string>{"Иван Петров"});
    EXPECT_EQ(contact_of("Шкаф"), std::vector<std::string>{"Мария Сидорова"});
    EXPECT_EQ(contact_of("Стол"), std::vector<std::string>{"Мария Сидорова"});
    EXPECT_EQ(contact_of("Стул"), std::vector<std::string>{""});

    // The same file again: nothing doubles; the unchanged rows are skipped (counted as merged), the refused one is
    // refused again.
    auto again = Run(Upload(admin_, "deal", file, cols));
    EXPECT_EQ(again.created_rows, 0);
    EXPECT_EQ(again.merged_rows, 4);
    EXPECT_EQ(again.rejected_rows, 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deals"), 4);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deal_stage_history"), 4);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'deal.import_update'"), 0);

    // A changed amount and a new row: one updated (audited, the rollup follows), one created.
    const std::string changed =
        "ID;Сделка;Сумма;Компания;Контакт;Телефон;Почта\n"
        "A-1;Кухня угловая;1500;ООО Альфа;;;\n"
        "A-6;Диван;600;ООО Альфа;;;\n";
    auto third = Run(Upload(admin_, "deal", changed, cols));
    EXPECT_EQ(third.created_rows, 1);
    EXPECT_EQ(third.merged_rows, 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deals"), 5);
    EXPECT_EQ(Count("SELECT amount_minor FROM deals WHERE external_id = 'A-1'"), 150000);
    EXPECT_EQ(Texts("SELECT title FROM deals WHERE external_id = 'A-1'"), std::vector<std::string>{"Кухня угловая"});
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'deal.import_update'"), 1);
    EXPECT_EQ(Count("SELECT COALESCE(SUM(amount_minor), 0) FROM deal_totals"),
              Count("SELECT SUM(amount_minor) FROM deals"));
}

TEST_P(ImportPipelineTest, DryRunWritesOnlyTheReport) {
    const long long audit_before = Count("SELECT COUNT(*) FROM audit_log");
    const core::Id id = Upload(admin_, "company", kCompanies, CompanyColumns(), true);
    const long long audit_after_start = Count("SELECT COUNT(*) FROM audit_log");
    const auto run = Run(id);
    EXPECT_EQ(run.status, "done");
    EXPECT_TRUE(run.dry_run);
    EXPECT_EQ(run.created_rows, 4);  // row 6 has no twin in an empty base
    EXPECT_EQ(run.merged_rows, 1);   // row 4 repeats row 2 inside the same batch
    EXPECT_EQ(run.rejected_rows, 3);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM companies"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM contact_points"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM search_docs"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM import_rejects"), 3);
    // Only the import's own start and finish rows join the audit log.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log") - audit_after_start, 2);
    EXPECT_GE(audit_after_start, audit_before);
}

TEST_P(ImportPipelineTest, ContactsLinkToCompaniesWithTheBitrixMapping) {
    const std::string csv =
        "Имя,Фамилия,Отчество,Мобильный телефон,Рабочий e-mail,Компания,Должность,Дата рождения\n"
        "Иван,Петров,Сергеевич,+7 914 000 00 01,ivan@alfa.ru,ООО Альфа,Директор,07.03.1985\n"
        "Мария,Сидорова,,+7 914 000 00 02,,ООО Альфа,Бухгалтер,\n"
        "Пётр,Иванов,,+7 (914) 000-00-01,,,,\n"  // Иван's phone → merged
        "Олег,,,,,,,31.02.1990\n";               // impossible date → rejected
    auto list = imports_->ListMappings(admin_, "contact");
    ASSERT_TRUE(list.ok());
    std::optional<core::Id> bitrix;
    for (const auto& m : *list)
        if (m.name == "Bitrix24" && m.builtin) bitrix = m.id;
    ASSERT_TRUE(bitrix);
    auto up = imports_->UploadFile(admin_, "contact", "bitrix.csv", "", csv);
    ASSERT_TRUE(up.ok());
    EXPECT_EQ(up->suggested.at("Мобильный телефон"), "phone_mobile");
    StartInput in;
    in.mapping_id = *bitrix;
    ASSERT_TRUE(imports_->Start(admin_, up->run.id, in).ok());
    auto run = Run(up->run.id);
    EXPECT_EQ(run.created_rows, 2);
    EXPECT_EQ(run.merged_rows, 1);
    EXPECT_EQ(run.rejected_rows, 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM companies WHERE name = 'ООО Альфа'"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM company_contacts"), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM contacts WHERE birthday = '1985-03-07' AND middle_name = 'Сергеевич'"), 1);
    // A ready mapping is read-only.
    auto changed = imports_->UpdateMapping(admin_, *bitrix, std::string("Мой"), std::nullopt);
    ASSERT_FALSE(changed.ok());
    EXPECT_EQ(changed.error().code, core::ErrorCode::kConflict);
}

// Companies and contacts of a batch are written set-based at its end, with ids handed out as rows arrive: links to
// a company created earlier in the batch, a row filling a contact created earlier in the batch (written first) and
// a duplicate found through a phone of a record already flushed all end as a row-by-row write would.
TEST_P(ImportPipelineTest, ABatchWrittenSetBasedKeepsLinksFillsAndDuplicates) {
    const std::string csv =
        "ФИО;Телефон;Почта;Компания;Должность;ДР\n"
        "Петров Иван;+7 915 000 00 01;ivan@a.ru;ООО Альфа;Директор;\n"  // 2: new, new company
        "Сидорова Мария;+7 915 000 00 02;;ООО Альфа;Бухгалтер;\n"       // 3: new, same company
        "Петров Иван;;IVAN@A.RU;;;07.03.1985\n"                         // 4: fills row 2's birthday
        "Козлов Олег;+7 915 000 00 03, 8 915 000 00 04;;ООО Бета;;\n"   // 5: two phones
        "Козлова Ольга;8 (915) 000-00-04;;;;\n"                         // 6: row 5's second phone
        "Без телефона;12;;;;\n";                                        // 7: rejected
    const ColumnMap cols = {{"ФИО", "full_name"},         {"Телефон", "phone"},      {"Почта", "email"},
                            {"Компания", "company_name"}, {"Должность", "position"}, {"ДР", "birthday"}};
    const core::Id id = Upload(admin_, "contact", csv, cols);
    const auto run = Run(id, std::nullopt, 1000);
    EXPECT_EQ(run.status, "done");
    EXPECT_EQ(run.created_rows, 3);
    EXPECT_EQ(run.merged_rows, 2);
    EXPECT_EQ(run.rejected_rows, 1);
    EXPECT_EQ(Texts("SELECT full_name FROM contacts ORDER BY id"),
              (std::vector<std::string>{"Петров Иван", "Сидорова Мария", "Козлов Олег"}));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM contacts WHERE full_name = 'Петров Иван' AND birthday = '1985-03-07'"), 1);
    EXPECT_EQ(Texts("SELECT name FROM companies ORDER BY id"), (std::vector<std::string>{"ООО Альфа", "ООО Бета"}));
    EXPECT_EQ(Texts("SELECT co.name || '/' || ct.full_name || '/' || l.position FROM company_contacts l "
                    "JOIN companies co ON co.id = l.company_id JOIN contacts ct ON ct.id = l.contact_id "
                    "ORDER BY ct.id"),
              (std::vector<std::string>{"ООО Альфа/Петров Иван/Директор", "ООО Альфа/Сидорова Мария/Бухгалтер",
                                        "ООО Бета/Козлов Олег/"}));
    EXPECT_EQ(Texts("SELECT c.full_name || ':' || p.kind || ':' || p.value || ':' || CAST(p.is_primary AS TEXT) "
                    "FROM contact_points p JOIN contacts c ON c.id = p.subject_id AND p.subject_type = 'contact' "
                    "ORDER BY c.id, p.kind DESC, p.value"),
              (std::vector<std::string>{"Петров Иван:phone:+79150000001:1", "Петров Иван:email:ivan@a.ru:1",
                                        "Сидорова Мария:phone:+79150000002:1", "Козлов Олег:phone:+79150000003:1",
                                        "Козлов Олег:phone:+79150000004:0"}));
    // Every new record has its search document (the filled one refreshed), and the merge is on the timeline.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM search_docs"), 5);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM search_docs d JOIN contacts c ON c.id = d.subject_id AND "
                    "d.subject_type = 'contact' WHERE d.title = c.full_name"),
              3);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM timeline_events WHERE kind = 'import_merged'"), 2);
    // A second run of the same file creates nothing: every row finds its record.
    const core::Id again = Upload(admin_, "contact", csv, cols);
    const auto second = Run(again, std::nullopt, 1000);
    EXPECT_EQ(second.created_rows, 0);
    EXPECT_EQ(second.merged_rows, 5);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM contacts"), 3);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM companies"), 2);
}

TEST_P(ImportPipelineTest, ManyKeysInOneBatchFindTheBaseAndTheFileAcrossLookupChunks) {
    // 150 contacts with a phone and an e-mail each: the batch looks its keys up 64 at a time (two full chunks and a
    // partial one per kind). The second file repeats every row in other spellings plus 20 new people: each repeat
    // finds its record whichever chunk holds its key, and the new ones are created once.
    auto phone = [](int i, bool other_spelling) {
        char digits[8];
        std::snprintf(digits, sizeof digits, "%07d", 1000000 + i);
        const std::string d(digits);
        return other_spelling ? "8 (916) " + d.substr(0, 3) + "-" + d.substr(3, 2) + "-" + d.substr(5) : "+7916" + d;
    };
    auto file = [&](int from, int to, bool other_spelling) {
        std::string csv = "Фамилия;Имя;Телефон;Почта\n";
        for (int i = from; i < to; ++i) {
            const std::string mail = "person" + std::to_string(i) + "@example.ru";
            csv += "Иванов" + std::to_string(i) + ";Пётр;" + phone(i, other_spelling) + ";" +
                   (other_spelling && i % 2 ? std::string("PERSON") + std::to_string(i) + "@Example.RU" : mail) + "\n";
        }
        return csv;
    };
    const ColumnMap cols = {{"Фамилия", "last_name"}, {"Имя", "first_name"}, {"Телефон", "phone"}, {"Почта", "email"}};
    const auto first = Run(Upload(admin_, "contact", file(0, 150, false), cols), std::nullopt, 1000);
    EXPECT_EQ(first.status, "done");
    EXPECT_EQ(first.created_rows, 150);
    EXPECT_EQ(first.merged_rows, 0);
    const auto second = Run(Upload(admin_, "contact", file(0, 170, true), cols), std::nullopt, 1000);
    EXPECT_EQ(second.status, "done");
    EXPECT_EQ(second.created_rows, 20);
    EXPECT_EQ(second.merged_rows, 150);
    EXPECT_EQ(second.rejected_rows, 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM contacts"), 170);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM contact_points WHERE subject_type = 'contact'"), 340);
    EXPECT_EQ(Count("SELECT COUNT(DISTINCT value) FROM contact_points WHERE subject_type = 'contact'"), 340);
    // The search documents carry every spelling of the phone (the import builds them from the values it read).
    EXPECT_EQ(Count("SELECT COUNT(*) FROM search_docs WHERE subject_type = 'contact'"), 170);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM search_docs d JOIN contact_points p ON p.subject_type = d.subject_type AND "
                    "p.subject_id = d.subject_id AND p.kind = 'phone' WHERE d.body LIKE '%' || substr(p.value, 2) || "
                    "' 8' || substr(p.value, 3) || ' ' || substr(p.value, 3) || '%'"),
              170);
}

TEST_P(ImportPipelineTest, LeadsGoThroughIntakeAndAttachRepeats) {
    const std::string csv =
        "Имя,Телефон,Заявка\n"
        "Иван,+7 915 000 00 01,Нужен шкаф-купе 2 м\n"
        "Анна,+7 915 000 00 02,Кухня\n"
        "Иван снова,8 915 000 00 01,Ещё вопрос\n";
    const core::Id id =
        Upload(admin_, "lead", csv, {{"Имя", "contact_name"}, {"Телефон", "phone"}, {"Заявка", "request_text"}});
    auto run = Run(id);
    EXPECT_EQ(run.created_rows, 2);
    EXPECT_EQ(run.merged_rows, 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM leads WHERE channel = 'import'"), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM leads WHERE repeat_count = 1"), 1);
}

TEST_P(ImportPipelineTest, OwnersByEmailAndTheRightToAssign) {
    const std::string csv =
        "Название,Ответственный\n"
        "ООО Один,anna@r.ru\n"
        "ООО Два,nobody@r.ru\n"
        "ООО Три,\n";
    const ColumnMap cols = {{"Название", "name"}, {"Ответственный", "owner_email"}};
    auto run = Run(Upload(admin_, "company", csv, cols));
    EXPECT_EQ(run.created_rows, 2);
    EXPECT_EQ(run.rejected_rows, 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM companies c JOIN users u ON u.id = c.owner_user_id "
                    "WHERE c.name = 'ООО Один' AND u.email = 'anna@r.ru'"),
              1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM companies c JOIN users u ON u.id = c.owner_user_id "
                    "WHERE c.name = 'ООО Три' AND u.email = 'admin@r.ru'"),
              1);
    // A seller (scope own, no "assign") may import for herself but not give rows to others.
    const std::string csv2 = "Название,Ответственный\nООО Четыре,admin@r.ru\nООО Пять,anna@r.ru\n";
    auto mine = Run(Upload(seller_, "company", csv2, cols));
    EXPECT_EQ(mine.created_rows, 1);
    EXPECT_EQ(mine.rejected_rows, 1);
    // Her runs are hers: the administrator sees them, she does not see the administrator's.
    EXPECT_TRUE(imports_->Get(admin_, mine.id).ok());
    EXPECT_EQ(imports_->Get(seller_, run.id).error().code, core::ErrorCode::kNotFound);
}

// A row matching an existing record fills that record's empty fields and adds its new phones and e-mails; values
// the record holds are never overwritten; the change is audited (before/after) and the search document follows.
TEST_P(ImportPipelineTest, AMergedRowFillsTheRecordsGapsAndNeverOverwrites) {
    const auto base = tdb_.db().InTx([&](soci::session& sql) -> core::Result<std::pair<core::Id, core::Id>> {
        clients::ContactInput person;
        person.last_name = "Петров";
        person.first_name = "Иван";
        person.points = std::vector<clients::PointInput>{{"phone", "mobile", "+7 916 000 00 01", true}};
        auto contact = clients::ClientsService::CreateContactInTx(sql, admin_, kStart, person);
        clients::CompanyInput firm;
        firm.name = "ООО Вега";
        firm.points = std::vector<clients::PointInput>{{"phone", "work", "+7 916 000 00 09", true}};
        auto company = clients::ClientsService::CreateCompanyInTx(sql, admin_, kStart, firm);
        if (!contact || !company) return core::Error::Of(core::ErrorCode::kInternal);
        return std::pair{contact->contact.id, company->company.id};
    });
    ASSERT_TRUE(base.ok());
    const auto [contact_id, company_id] = *base;
    const std::string contact = std::to_string(contact_id), company = std::to_string(company_id);

    const std::string people =
        "Фамилия;Имя;Отчество;Телефон;Почта;ДР\n"
        "Петрова;Иван;Сергеевич;\"8 916 000 00 01, +7 916 000 00 02\";ivan@vega.ru;07.03.1985\n"  // fills
        "Сидоров;Пётр;;+7 916 000 00 02;;\n";  // the phone row 2 added → the same contact, nothing new
    auto run = Run(Upload(admin_, "contact", people,
                          {{"Фамилия", "last_name"},
                           {"Имя", "first_name"},
                           {"Отчество", "middle_name"},
                           {"Телефон", "phone"},
                           {"Почта", "email"},
                           {"ДР", "birthday"}}));
    EXPECT_EQ(run.created_rows, 0);
    EXPECT_EQ(run.merged_rows, 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM contacts"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM contacts WHERE last_name = 'Петров' AND middle_name = 'Сергеевич' "
                    "AND birthday = '1985-03-07' AND full_name = 'Петров Иван Сергеевич'"),
              1);
    EXPECT_EQ(Texts("SELECT value || ':' || CAST(is_primary AS TEXT) FROM contact_points WHERE subject_type = "
                    "'contact' AND subject_id = " +
                    contact + " ORDER BY id"),
              (std::vector<std::string>{"+79160000001:1", "+79160000002:0", "ivan@vega.ru:1"}));
    const auto updates = Texts(
        "SELECT CAST(before_json AS TEXT) || '|' || CAST(after_json AS TEXT) FROM audit_log WHERE action = "
        "'contact.update' AND object_id = " +
        contact);
    ASSERT_EQ(updates.size(), 1u);  // row 3 changed nothing, so it wrote no update
    const auto before = boost::json::parse(updates[0].substr(0, updates[0].find('|')));
    const auto after = boost::json::parse(updates[0].substr(updates[0].find('|') + 1));
    EXPECT_EQ(At(before, {"middle_name"}), boost::json::value(""));
    EXPECT_EQ(At(after, {"middle_name"}), boost::json::value("Сергеевич"));
    EXPECT_EQ(At(after, {"last_name"}), boost::json::value("Петров"));
    EXPECT_EQ(At(after, {"points"}).as_array().size(), 3u);
    const auto doc = Texts(
        "SELECT title || ' ' || body FROM search_docs WHERE subject_type = 'contact' AND "
        "subject_id = " +
        contact);
    ASSERT_EQ(doc.size(), 1u);
    EXPECT_NE(doc[0].find("Петров Иван Сергеевич"), std::string::npos) << doc[0];
    EXPECT_NE(doc[0].find("vega"), std::string::npos) << doc[0];
    EXPECT_NE(doc[0].find("89160000002"), std::string::npos) << doc[0];
    const auto events =
        Texts("SELECT CAST(payload AS TEXT) FROM timeline_events WHERE kind = 'import_merged' ORDER BY id");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(At(boost::json::parse(events[0]), {"filled"}), boost::json::parse(R"(["middle_name", "birthday"])"));
    EXPECT_EQ(At(boost::json::parse(events[0]), {"points_added"}), 2);
    EXPECT_EQ(At(boost::json::parse(events[1]), {"points_added"}), 0);

    // Companies: the INN and website fill an empty card; a second file's other INN does not replace it.
    const ColumnMap cols = {{"Название", "name"}, {"ИНН", "inn"}, {"Телефон", "phone"}, {"Сайт", "website"}};
    auto firm =
        Run(Upload(admin_, "company", "Название;ИНН;Телефон;Сайт\nВега;7707083893;+7 916 000 00 09;vega.ru\n", cols));
    EXPECT_EQ(firm.merged_rows, 1);
    auto again =
        Run(Upload(admin_, "company", "Название;ИНН;Телефон;Сайт\nВега;7736050003;8 916 000 00 09;other.ru\n", cols));
    EXPECT_EQ(again.merged_rows, 1);
    EXPECT_EQ(again.created_rows, 0);
    EXPECT_EQ(Texts("SELECT name || '|' || inn || '|' || website FROM companies"),
              (std::vector<std::string>{"ООО Вега|7707083893|vega.ru"}));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'company.update' AND object_id = " + company), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM search_docs WHERE subject_type = 'company' AND body LIKE '%7707083893%'"), 1);
}

TEST_P(ImportPipelineTest, UploadChecksTheFile) {
    auto empty = imports_->UploadFile(admin_, "company", "e.csv", "", "");
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().fields.at(0).code, "empty_file");
    auto fake = imports_->UploadFile(admin_, "company", "x.xlsx", "", std::string("PK\x03\x04garbage", 11));
    ASSERT_FALSE(fake.ok());
    EXPECT_EQ(fake.error().fields.at(0).code, "not_xlsx");
    auto entity = imports_->UploadFile(admin_, "invoices", "x.csv", "", "a\n1\n");
    ASSERT_FALSE(entity.ok());
    EXPECT_EQ(entity.error().fields.at(0).field, "entity");
    auto cp =
        imports_->UploadFile(admin_, "company", "cp.csv", "",
                             "\xCD\xE0\xE7\xE2\xE0\xED\xE8\xE5;\xC8\xCD\xCD\n\xCE\xCE\xCE \xC0\xEB\xFC\xF4\xE0;1\n");
    ASSERT_TRUE(cp.ok());
    EXPECT_EQ(cp->run.encoding, "cp1251");
    EXPECT_EQ(cp->run.delimiter, ";");
    EXPECT_EQ(cp->headers, (std::vector<std::string>{"Название", "ИНН"}));
    EXPECT_EQ(cp->suggested.at("Название"), "name");
    EXPECT_EQ(cp->preview.at(0).cells.at(0), "ООО Альфа");
}

INSTANTIATE_TEST_SUITE_P(Engines, ImportPipelineTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::imports
