// ClientsService and its store on SQLite and (with OTDEL_TEST_PG_DSN) PostgreSQL: cards with validation, custom
// fields, visibility by role (own / team / all / read_all), search in any phone spelling and letter case, merge
// keeping every phone, e-mail, event and audit row, the tx-level contract, handover on dismissal.
#include <gtest/gtest.h>

#include <memory>

#include "auth/auth_service.hpp"
#include "clients/clients_service.hpp"
#include "core/clock.hpp"
#include "db/testing/test_db.hpp"
#include "org/org_service.hpp"

namespace otdel::clients {
namespace {

constexpr core::Millis kStart = 1'751'360'400'000;  // 2025-07-01T09:00:00Z

std::vector<std::string> Fields(const core::Error& e) {
    std::vector<std::string> out;
    for (const auto& f : e.fields) out.push_back(f.field + ":" + f.code);
    return out;
}

class ClientsServiceTest : public ::testing::TestWithParam<db::Engine> {
protected:
    ClientsServiceTest() : tdb_(GetParam()), clock_(kStart) {}

    void SetUp() override {
        auth::AuthConfig c;
        c.argon2_t_cost = 1;
        c.argon2_m_cost_kib = 1024;
        auth_ = std::make_unique<auth::AuthService>(tdb_.db(), clock_, c);
        org_ = std::make_unique<org::OrgService>(tdb_.db(), clock_, *auth_, registry_);
        clients_ = std::make_unique<ClientsService>(tdb_.db(), clock_);
        registry_.Add(*clients_);
        auto ws = auth_->CreateWorkspace(auth::NewWorkspace{"Ромашка", "romashka"}, core::Actor::System(0));
        ASSERT_TRUE(ws.ok());
        ws_ = *ws;
        sys_ = core::Actor::System(ws_);
        for (const auto& r : *org_->ListRoles(sys_, false)) roles_[r.code] = r.id;
        org::DepartmentInput top;
        top.name = "Продажи";
        top.set_parent = true;
        sales_ = org_->CreateDepartment(sys_, top)->id;
        org::DepartmentInput team;
        team.name = "Команда Севера";
        team.set_parent = true;
        team.parent_id = sales_;
        north_ = org_->CreateDepartment(sys_, team)->id;
        org::DepartmentInput other;
        other.name = "Команда Юга";
        other.set_parent = true;
        other.parent_id = sales_;
        south_ = org_->CreateDepartment(sys_, other)->id;
        head_ = Person("head@r.ru", "head_of_sales", sales_);
        supervisor_ = Person("sup@r.ru", "supervisor", north_);
        seller_ = Person("anna@r.ru", "sales_manager", north_);
        other_ = Person("boris@r.ru", "sales_manager", south_);
        analyst_ = Person("ksenia@r.ru", "sales_analyst", sales_);
        org::DepartmentInput h;
        h.set_head = true;
        h.head_user_id = supervisor_.user_id;
        ASSERT_TRUE(org_->UpdateDepartment(sys_, north_, h).ok());
    }

    core::Actor Person(const std::string& email, const std::string& role, core::Id dept) {
        org::EmployeeInput in;
        in.new_user = auth::NewUser{ws_, email, email, "password-123", "ru", false};
        in.role_id = roles_.at(role);
        in.department_id = dept;
        auto e = org_->CreateEmployee(sys_, in);
        EXPECT_TRUE(e.ok());
        return core::Actor::SignedIn(core::ActorKind::kUser, ws_, e->employee.user_id, false, core::Lang::kRu, "t",
                                     "127.0.0.1", "c");
    }

    CompanyInput Company(const std::string& name, std::vector<std::string> phones = {},
                         std::vector<std::string> emails = {}) {
        CompanyInput in;
        in.name = name;
        in.legal_form = "ooo";
        std::vector<PointInput> points;
        for (auto& p : phones) points.push_back({"phone", "", p, false});
        for (auto& e : emails) points.push_back({"email", "", e, false});
        in.points = points;
        return in;
    }

    long long Count(const std::string& text) {
        long long n = 0;
        tdb_.db().Read([&](soci::session& sql) {
            sql << text, soci::into(n);
            return 0;
        });
        return n;
    }

    std::vector<std::string> Found(const core::Actor& a, const std::string& q) {
        auto r = clients_->Search(a, q, true, true, true, 20);
        EXPECT_TRUE(r.ok());
        std::vector<std::string> out;
        if (r.ok())
            for (const auto& h : *r) out.push_back(h.title);
        std::sort(out.begin(), out.end());
        return out;
    }

    testing::TestDatabase tdb_;
    core::ManualClock clock_;
    org::HandoverRegistry registry_;
    std::unique_ptr<auth::AuthService> auth_;
    std::unique_ptr<org::OrgService> org_;
    std::unique_ptr<ClientsService> clients_;
    core::Id ws_ = 0, sales_ = 0, north_ = 0, south_ = 0;
    core::Actor sys_, head_, supervisor_, seller_, other_, analyst_;
    std::map<std::string, core::Id> roles_;
};

TEST_P(ClientsServiceTest, CreateValidatesRequisitesAndPointsAndWritesNothingOnError) {
    CompanyInput bad = Company("Кухни-Сити", {"8 912 345-67-89", "123"}, {"not-an-email"});
    bad.set_inn = true;
    bad.inn = "7707083894";
    bad.bank = BankDetails{"Сбербанк", "12345", "", ""};
    auto r = clients_->CreateCompany(seller_, bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(Fields(r.error()), (std::vector<std::string>{"inn:invalid_inn", "bank_details/bik:invalid_bik",
                                                           "phones/1:invalid_phone", "emails/0:invalid_email"}));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM companies"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM contact_points"), 0);

    CompanyInput ok =
        Company("Кухни-Сити", {"8 912 345-67-89", "+7 (912) 345-67-89", "+7 495 123 45 67"}, {"Info@Kuhni.RU"});
    ok.set_inn = true;
    ok.inn = "77-07 083893";
    auto card = clients_->CreateCompany(seller_, ok);
    ASSERT_TRUE(card.ok()) << (card.ok() ? "" : Fields(card.error()).front());
    EXPECT_EQ(card->company.inn, std::optional<std::string>("7707083893"));
    EXPECT_EQ(card->company.owner_user_id, std::optional<core::Id>(seller_.user_id));  // owner defaults to creator
    ASSERT_EQ(card->points.size(), 3u);  // the same phone twice is one point
    EXPECT_EQ(card->points[0].value, "+79123456789");
    EXPECT_TRUE(card->points[0].is_primary);
    EXPECT_EQ(card->points[2].value, "info@kuhni.ru");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'company.create'"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM search_docs WHERE subject_type = 'company'"), 1);
}

TEST_P(ClientsServiceTest, RequiredCustomFieldsAreEnforcedUntilArchived) {
    FieldInput f;
    f.entity = "company";
    f.code = "budget";
    f.label_ru = "Бюджет";
    f.label_en = "Budget";
    f.kind = "money";
    f.required = true;
    EXPECT_EQ(clients_->CreateField(seller_, f).error().code, core::ErrorCode::kForbidden);
    auto field = clients_->CreateField(head_, f);
    ASSERT_TRUE(field.ok());
    EXPECT_EQ(clients_->CreateField(head_, f).error().code, core::ErrorCode::kConflict);

    auto missing = clients_->CreateCompany(seller_, Company("Без бюджета"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(Fields(missing.error()), std::vector<std::string>{"custom/budget:required"});

    CompanyInput in = Company("С бюджетом");
    CustomValue v;
    v.type = CustomValue::Type::kString;
    v.text = "много";
    in.custom = std::map<std::string, CustomValue>{{"budget", v}};
    EXPECT_EQ(Fields(clients_->CreateCompany(seller_, in).error()),
              std::vector<std::string>{"custom/budget:wrong_type"});
    v.type = CustomValue::Type::kInteger;
    v.integer = 45'000'000;
    in.custom = std::map<std::string, CustomValue>{{"budget", v}};
    auto card = clients_->CreateCompany(seller_, in);
    ASSERT_TRUE(card.ok());
    EXPECT_EQ(card->company.custom_json, "{\"budget\":45000000}");

    // The tx-level create used by intake and import applies the same rules.
    auto tx = tdb_.db().InTx([&](soci::session& sql) {
        return ClientsService::CreateCompanyInTx(sql, sys_, clock_.NowMs(), Company("Импорт"));
    });
    EXPECT_EQ(Fields(tx.error()), std::vector<std::string>{"custom/budget:required"});

    ASSERT_TRUE(clients_->ArchiveField(head_, field->id).ok());
    EXPECT_TRUE(clients_->CreateCompany(seller_, Company("После архивации")).ok());
}

TEST_P(ClientsServiceTest, VisibilityFollowsTheTreeForCardsListsAndSearch) {
    auto mine = clients_->CreateCompany(seller_, Company("Северный свет", {"+7 912 000-00-01"}));
    auto theirs = clients_->CreateCompany(other_, Company("Южный ветер", {"+7 912 000-00-02"}));
    ASSERT_TRUE(mine.ok() && theirs.ok());
    const core::Id a = mine->company.id, b = theirs->company.id;

    // own: the seller sees only their company; by id the other does not exist.
    EXPECT_TRUE(clients_->GetCompany(seller_, a).ok());
    EXPECT_EQ(clients_->GetCompany(seller_, b).error().code, core::ErrorCode::kNotFound);
    CompanyInput rename;
    rename.name = "Чужая";
    EXPECT_EQ(clients_->UpdateCompany(seller_, b, rename).error().code, core::ErrorCode::kNotFound);
    ListQuery q;
    auto list = clients_->ListCompanies(seller_, q);
    ASSERT_EQ(list->items.size(), 1u);
    EXPECT_EQ(list->items[0].id, a);
    EXPECT_EQ(Found(seller_, "ветер"), std::vector<std::string>{});
    EXPECT_EQ(Found(seller_, "северный"), std::vector<std::string>{"Северный свет"});

    // team: the head of the northern team sees the seller's company, not the south's.
    EXPECT_TRUE(clients_->GetCompany(supervisor_, a).ok());
    EXPECT_EQ(clients_->GetCompany(supervisor_, b).error().code, core::ErrorCode::kNotFound);
    // all: the head of sales sees both.
    EXPECT_EQ(clients_->ListCompanies(head_, q)->items.size(), 2u);
    EXPECT_EQ(Found(head_, "912"), (std::vector<std::string>{"Северный свет", "Южный ветер"}));
    // read_all: the analyst reads everything and changes nothing.
    EXPECT_TRUE(clients_->GetCompany(analyst_, b).ok());
    EXPECT_EQ(clients_->UpdateCompany(analyst_, b, rename).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(clients_->CreateCompany(analyst_, Company("Нельзя")).error().code, core::ErrorCode::kForbidden);
    // A seller may not hand a record to someone else; the head may.
    CompanyInput give;
    give.set_owner = true;
    give.owner_user_id = other_.user_id;
    EXPECT_EQ(clients_->UpdateCompany(seller_, a, give).error().code, core::ErrorCode::kForbidden);
    ASSERT_TRUE(clients_->UpdateCompany(head_, a, give).ok());
    EXPECT_EQ(clients_->GetCompany(seller_, a).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(Found(other_, "северный"), std::vector<std::string>{"Северный свет"});

    // Contacts follow the same rules: own, team, all, read_all — cards, lists and search.
    ContactInput person;
    person.last_name = "Звонарёва";
    person.first_name = "Тамара";
    auto tamara = clients_->CreateContact(seller_, person);
    ASSERT_TRUE(tamara.ok());
    const core::Id t = tamara->contact.id;
    EXPECT_EQ(clients_->GetContact(other_, t).error().code, core::ErrorCode::kNotFound);
    EXPECT_TRUE(clients_->ListContacts(other_, ListQuery{})->items.empty());
    EXPECT_EQ(Found(other_, "звонарёва"), std::vector<std::string>{});
    EXPECT_TRUE(clients_->GetContact(supervisor_, t).ok());
    EXPECT_TRUE(clients_->GetContact(head_, t).ok());
    EXPECT_EQ(Found(analyst_, "звонарёва"), std::vector<std::string>{"Звонарёва Тамара"});
    ContactInput note;
    note.notes = "x";
    EXPECT_EQ(clients_->UpdateContact(analyst_, t, note).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(clients_->Timeline(other_, "contact", t, std::nullopt, 10).error().code, core::ErrorCode::kNotFound);
}

// A seller's page sorted by name (or id) is read as one ordered walk per owner the seller sees — their own rows
// and those of a colleague they substitute today — and the keyset pages still concatenate to exactly the visible,
// filtered rows in order; rows of owners not substituted never appear; a cancelled absence takes them away.
TEST_P(ClientsServiceTest, SellersSortedPagesMergeOwnAndDelegatedRowsInOrder) {
    struct Row {
        const char* name;
        const core::Actor* owner;
        bool wholesale;
    };
    const Row rows[] = {{"Альфа", &seller_, true},  {"Бета", &other_, true},      {"Вега", &supervisor_, true},
                        {"Гамма", &seller_, false}, {"Дельта", &other_, true},    {"Енисей", &seller_, true},
                        {"Жасмин", &other_, false}, {"Заря", &supervisor_, true}, {"Ирис", &other_, true},
                        {"Кедр", &seller_, true},   {"Лотос", &seller_, true},    {"Маяк", &other_, true}};
    for (const Row& r : rows) {
        CompanyInput in = Company(r.name);
        in.set_owner = true;
        in.owner_user_id = r.owner->user_id;
        if (r.wholesale) in.tags = std::vector<std::string>{"опт"};
        ASSERT_TRUE(clients_->CreateCompany(sys_, in).ok()) << r.name;
    }
    org::Absence away;
    away.user_id = other_.user_id;
    away.kind = "vacation";
    away.starts_on = away.ends_on = org_->Today(ws_);
    away.substitute_user_id = seller_.user_id;
    auto absence = org_->CreateAbsence(sys_, away);
    ASSERT_TRUE(absence.ok());

    auto pages = [&](const std::string& sort, int limit) {
        ListQuery q;
        q.filter.sort = sort;
        q.filter.tag = "опт";
        q.filter.limit = limit;
        std::vector<std::string> names;
        for (int guard = 0; guard < 20; ++guard) {
            auto page = clients_->ListCompanies(seller_, q);
            EXPECT_TRUE(page.ok());
            if (!page.ok()) break;
            for (const auto& c : page->items) names.push_back(c.name);
            if (!page->next_cursor) break;
            q.cursor = page->next_cursor;
        }
        return names;
    };
    const std::vector<std::string> by_name = {"Альфа", "Бета", "Дельта", "Енисей", "Ирис", "Кедр", "Лотос", "Маяк"};
    for (int limit : {1, 2, 3, 50}) {
        SCOPED_TRACE(limit);
        EXPECT_EQ(pages("name", limit), by_name);
        EXPECT_EQ(pages("-name", limit), std::vector<std::string>(by_name.rbegin(), by_name.rend()));
        EXPECT_EQ(pages("id", limit), by_name);  // created in name order
    }
    ASSERT_TRUE(org_->CancelAbsence(sys_, absence->id).ok());
    EXPECT_EQ(pages("name", 2), (std::vector<std::string>{"Альфа", "Енисей", "Кедр", "Лотос"}));
}

// The tag filter finds exactly the cards carrying the tag, whatever characters it holds (JSON escapes included),
// and never a card whose other tag merely contains it.
TEST_P(ClientsServiceTest, TagFilterMatchesWholeTagsWithAnyCharacters) {
    const std::vector<std::string> tags = {"опт", "a\"b", "back\\slash", "🙂 smile", "50%_off", "x"};
    for (std::size_t i = 0; i < tags.size(); ++i) {
        CompanyInput in = Company("Тег " + std::to_string(i));
        in.tags = std::vector<std::string>{tags[i], "другой"};
        ASSERT_TRUE(clients_->CreateCompany(sys_, in).ok()) << tags[i];
        CompanyInput near = Company("Похожий " + std::to_string(i));
        near.tags = std::vector<std::string>{"[" + tags[i] + "]", tags[i] + "s", "\"" + tags[i] + "\""};
        ASSERT_TRUE(clients_->CreateCompany(sys_, near).ok()) << tags[i];
    }
    for (std::size_t i = 0; i < tags.size(); ++i) {
        ListQuery q;
        q.filter.tag = tags[i];
        q.filter.sort = "name";
        auto page = clients_->ListCompanies(sys_, q);
        ASSERT_TRUE(page.ok()) << tags[i];
        std::vector<std::string> names;
        for (const auto& c : page->items) names.push_back(c.name);
        EXPECT_EQ(names, std::vector<std::string>{"Тег " + std::to_string(i)}) << tags[i];
    }
}

TEST_P(ClientsServiceTest, SearchFindsPhonesInAnySpellingAndIgnoresCase) {
    ContactInput c;
    c.last_name = "Ёлкина";
    c.first_name = "Ирина";
    c.points = std::vector<PointInput>{{"phone", "mobile", "8 (916) 555-12-34", false},
                                       {"email", "", "Irina.Elkina@Mail.ru", false}};
    c.notes = "Хочет кухню в стиле Loft";
    ASSERT_TRUE(clients_->CreateContact(seller_, c).ok());
    CompanyInput co = Company("ООО «Дом Мебели»");
    co.set_inn = true;
    co.inn = "7707083893";
    ASSERT_TRUE(clients_->CreateCompany(seller_, co).ok());
    for (const char* q : {"+7 916 555 12 34", "89165551234", "9165551234", "916 555", "(916) 555-12-34"})
        EXPECT_EQ(Found(seller_, q), std::vector<std::string>{"Ёлкина Ирина"}) << q;
    for (const char* q : {"ЁЛКИНА", "ёлки", "ирина ёлкина", "irina.elkina@mail.ru", "MAIL.RU", "loft", "ЛОФТ кухню"}) {
        const auto found = Found(seller_, q);
        if (std::string(q) == "ЛОФТ кухню") {
            EXPECT_TRUE(found.empty()) << q;  // every word must match
        } else {
            EXPECT_EQ(found, std::vector<std::string>{"Ёлкина Ирина"}) << q;
        }
    }
    EXPECT_EQ(Found(seller_, "7707083893"), std::vector<std::string>{"ООО «Дом Мебели»"});
    EXPECT_EQ(Found(seller_, "дом мебел"), std::vector<std::string>{"ООО «Дом Мебели»"});
    auto only_companies = clients_->Search(seller_, "ирина", true, false, false, 20);
    EXPECT_TRUE(only_companies->empty());
}

// Words longer than the FTS5 prefix indexes are matched through their first four characters and checked on the
// document (SQLite); a rare word behind a common beginning exceeds the work budget and is answered the exact way.
// Results are the same on both engines: newest first, visibility kept, every word a prefix.
TEST_P(ClientsServiceTest, LongWordsMatchAsPrefixesNewestFirstWithinVisibility) {
    std::vector<ClientsService::SearchDocInput> docs;
    core::Id id = 100000;
    auto add = [&](const core::Actor& owner, const std::string& title) {
        docs.push_back({ws_, "company", ++id, owner.user_id, title, "", {}, kStart});
    };
    add(seller_, "Ивантеевка Мебель");  // the oldest: behind 3,000 newer "иван…" documents
    add(seller_, "Café Müller");
    for (int i = 0; i < 3000; ++i) add(i % 2 ? seller_ : other_, "Иванов " + std::to_string(i));
    add(other_, "Ивантеевка Склад");  // not the seller's
    ASSERT_TRUE(tdb_.db()
                    .InTx([&](soci::session& sql) {
                        ClientsService::UpsertSearchDocs(sql, docs);
                        return core::Ok();
                    })
                    .ok());
    EXPECT_EQ(Found(seller_, "ивантеевка"), std::vector<std::string>{"Ивантеевка Мебель"});
    EXPECT_EQ(Found(seller_, "ИВАНТЕЕВ мебел"), std::vector<std::string>{"Ивантеевка Мебель"});
    EXPECT_EQ(Found(head_, "ивантеевка").size(), 2u);
    EXPECT_EQ(Found(seller_, "café müller"), std::vector<std::string>{"Café Müller"});
    if (tdb_.db().engine() == db::Engine::kSqlite)  // FTS5 folds Latin diacritics ('simple' on PostgreSQL does not)
        EXPECT_EQ(Found(seller_, "cafe muller"), std::vector<std::string>{"Café Müller"});
    auto page = clients_->Search(seller_, "иванов", true, true, true, 20);
    ASSERT_TRUE(page.ok());
    ASSERT_EQ(page->size(), 20u);
    for (std::size_t i = 0; i < page->size(); ++i)  // the seller's odd numbers, newest first
        EXPECT_EQ((*page)[i].title, "Иванов " + std::to_string(2999 - 2 * static_cast<int>(i)));
    EXPECT_TRUE(Found(seller_, "ивановx").empty());
}

TEST_P(ClientsServiceTest, MergeKeepsEveryPointEventAndAuditRow) {
    auto s = clients_->CreateCompany(seller_, Company("Кухни Плюс", {"+7 912 111-11-11"}, {"a@plus.ru"}));
    CompanyInput dup = Company("Кухни Плюс (дубль)", {"8 912 111 11 11", "+7 495 222-22-22"}, {"b@plus.ru"});
    dup.tags = std::vector<std::string>{"опт"};
    auto m = clients_->CreateCompany(seller_, dup);
    ASSERT_TRUE(s.ok() && m.ok());
    const core::Id survivor = s->company.id, merged = m->company.id;
    ContactInput person;
    person.first_name = "Олег";
    auto oleg = clients_->CreateContact(seller_, person);
    ASSERT_TRUE(clients_->PutLink(seller_, Link{merged, oleg->contact.id, "Закупщик", "decision_maker", false}).ok());
    auto ev = tdb_.db().InTx([&](soci::session& sql) -> core::Result<core::Id> {
        return ClientsService::AddTimelineEvent(sql, ws_, "company", merged, "call_in", "phone", "Входящий звонок",
                                                "{\"duration_s\":95}", std::string("call-1"), clock_.NowMs());
    });
    auto again = tdb_.db().InTx([&](soci::session& sql) -> core::Result<core::Id> {
        return ClientsService::AddTimelineEvent(sql, ws_, "company", merged, "call_in", "phone", "Входящий звонок",
                                                "{}", std::string("call-1"), clock_.NowMs());
    });
    EXPECT_EQ(*ev, *again);  // idempotent on the channel's id
    const long long audit_before = Count("SELECT COUNT(*) FROM audit_log");

    EXPECT_EQ(clients_->MergeCompanies(other_, survivor, merged).error().code, core::ErrorCode::kNotFound);
    clock_.Advance(1000);
    auto card = clients_->MergeCompanies(seller_, survivor, merged);
    ASSERT_TRUE(card.ok());
    std::vector<std::string> values;
    for (const auto& p : card->points) values.push_back(p.value);
    std::sort(values.begin(), values.end());
    EXPECT_EQ(values, (std::vector<std::string>{"+74952222222", "+79121111111", "a@plus.ru", "b@plus.ru"}));
    EXPECT_EQ(card->company.tags, std::vector<std::string>{"опт"});
    ASSERT_EQ(card->contacts.size(), 1u);
    EXPECT_EQ(card->contacts[0].link.decision_role, "decision_maker");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), audit_before + 2);  // nothing deleted, one row per record
    EXPECT_EQ(Count("SELECT COUNT(*) FROM merges WHERE survivor_id = " + std::to_string(survivor)), 1);

    auto gone = clients_->GetCompany(seller_, merged);
    ASSERT_TRUE(gone.ok());
    EXPECT_EQ(gone->company.merged_into_id, std::optional<core::Id>(survivor));
    EXPECT_TRUE(gone->company.deleted_at.has_value());
    EXPECT_EQ(Found(seller_, "дубль"), std::vector<std::string>{});

    auto tl = clients_->Timeline(seller_, "company", survivor, std::nullopt, 50);
    ASSERT_TRUE(tl.ok());
    std::set<std::string> kinds;
    for (const auto& it : tl->items) kinds.insert(it.kind);
    EXPECT_TRUE(kinds.count("company.merge") && kinds.count("call_in") && kinds.count("company.link_contact"));
    EXPECT_TRUE(kinds.count("company.merged_into"));  // the absorbed record's history comes along
    // Keyset: pages of 2 cover the same items without repeats.
    std::vector<core::Millis> seen;
    std::optional<std::string> cursor;
    int pages = 0;
    do {
        auto p = clients_->Timeline(seller_, "company", survivor, cursor, 2);
        ASSERT_TRUE(p.ok());
        for (const auto& it : p->items) seen.push_back(it.at);
        cursor = p->next_cursor;
    } while (cursor && ++pages < 50);
    EXPECT_EQ(seen.size(), tl->items.size());
}

TEST_P(ClientsServiceTest, DedupeLookupsAndGroupsSeeEveryLiveRecord) {
    ASSERT_TRUE(clients_->CreateCompany(seller_, Company("Альфа", {"+7 912 300-00-00"})).ok());
    ASSERT_TRUE(clients_->CreateCompany(other_, Company("Альфа-2", {"8 912 300 00 00"})).ok());
    auto found = tdb_.db().Read([&](soci::session& sql) {
        return ClientsService::FindByContactPoints(sql, ws_, {"9123000000"}, {"nobody@x.ru"});
    });
    EXPECT_EQ(found.size(), 2u);
    DuplicateCheck check;
    check.phones = {"+79123000000"};
    auto hits = clients_->CheckDuplicates(seller_, check);
    ASSERT_EQ(hits->size(), 2u);
    int visible = 0;
    for (const auto& h : *hits) visible += h.visible ? 1 : 0;
    EXPECT_EQ(visible, 1);  // the other seller's company is reported without its data
    auto groups = clients_->DuplicateGroups(head_, "company");
    ASSERT_EQ(groups->size(), 1u);
    EXPECT_EQ((*groups)[0].ids.size(), 2u);
    EXPECT_TRUE(clients_->DuplicateGroups(seller_, "company")->empty());
}

TEST_P(ClientsServiceTest, ListsPageByNameWithAStableCursor) {
    for (const char* n : {"Вега", "Альфа", "Гамма", "Бета", "Дельта"})
        ASSERT_TRUE(clients_->CreateCompany(seller_, Company(n)).ok());
    ListQuery q;
    q.filter.sort = "name";
    q.filter.limit = 2;
    std::vector<std::string> names;
    for (int i = 0; i < 5; ++i) {
        auto page = clients_->ListCompanies(seller_, q);
        ASSERT_TRUE(page.ok());
        for (const auto& c : page->items) names.push_back(c.name);
        if (!page->next_cursor) break;
        q.cursor = page->next_cursor;
    }
    EXPECT_EQ(names, (std::vector<std::string>{"Альфа", "Бета", "Вега", "Гамма", "Дельта"}));
    ListQuery prefix;
    prefix.filter.q = "га";
    auto g = clients_->ListCompanies(seller_, prefix);
    ASSERT_EQ(g->items.size(), 1u);
    EXPECT_EQ(g->items[0].name, "Гамма");
    ListQuery bad;
    bad.cursor = "zz";
    EXPECT_EQ(clients_->ListCompanies(seller_, bad).error().code, core::ErrorCode::kBadRequest);
}

TEST_P(ClientsServiceTest, DeleteAndRestoreNeedTheDeleteRight) {
    auto c = clients_->CreateCompany(seller_, Company("Корзина"));
    EXPECT_EQ(clients_->DeleteCompany(seller_, c->company.id).error().code, core::ErrorCode::kForbidden);
    ASSERT_TRUE(clients_->DeleteCompany(head_, c->company.id).ok());
    EXPECT_TRUE(clients_->ListCompanies(head_, ListQuery{})->items.empty());
    EXPECT_EQ(Found(head_, "корзина"), std::vector<std::string>{});
    ASSERT_TRUE(clients_->RestoreCompany(head_, c->company.id).ok());
    EXPECT_EQ(Found(head_, "корзина"), std::vector<std::string>{"Корзина"});
}

TEST_P(ClientsServiceTest, DismissalHandsCompaniesAndContactsToTheSuccessor) {
    ASSERT_TRUE(clients_->CreateCompany(seller_, Company("Передаваемая")).ok());
    ContactInput p;
    p.first_name = "Вера";
    ASSERT_TRUE(clients_->CreateContact(seller_, p).ok());
    auto e = org_->ListEmployees(sys_, org::EmployeeQuery{std::nullopt, seller_.user_id});
    org::DismissInput d;
    d.handover = "user";
    d.to_user_id = other_.user_id;
    auto out = org_->DismissEmployee(sys_, e->items[0].employee.id, d);
    ASSERT_TRUE(out.ok());
    ASSERT_EQ(out->moved.size(), 1u);
    EXPECT_EQ(out->moved[0], (std::pair<std::string, int>{"client", 2}));
    EXPECT_EQ(Found(other_, "передаваемая"), std::vector<std::string>{"Передаваемая"});
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action IN ('company.handover', 'contact.handover')"), 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, ClientsServiceTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::clients
