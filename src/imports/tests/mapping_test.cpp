// Mapping: suggestions from header names, the ready Bitrix24/amoCRM mappings, row checks and report escaping.
#include <gtest/gtest.h>

#include <set>

#include "imports/mapping.hpp"

namespace otdel::imports {
namespace {

TEST(Mapping, SuggestsFieldsFromRussianAndEnglishHeaders) {
    auto m = SuggestMapping(Entity::kContact, {"ID", "Фамилия", "Имя", "Отчество", "Мобильный телефон",
                                               "Рабочий e-mail", "Компания", "Должность", "Дата рождения", "Цвет"});
    EXPECT_EQ(m["Фамилия"], "last_name");
    EXPECT_EQ(m["Имя"], "first_name");
    EXPECT_EQ(m["Отчество"], "middle_name");
    EXPECT_EQ(m["Мобильный телефон"], "phone_mobile");
    EXPECT_EQ(m["Рабочий e-mail"], "email_work");
    EXPECT_EQ(m["Компания"], "company_name");
    EXPECT_EQ(m["Должность"], "position");
    EXPECT_EQ(m["Дата рождения"], "birthday");
    EXPECT_FALSE(m.count("ID"));
    EXPECT_FALSE(m.count("Цвет"));

    auto c = SuggestMapping(Entity::kCompany, {"Company name", "E-Mail", "ИНН", "Phone", "Телефон клиента"});
    EXPECT_EQ(c["Company name"], "name");
    EXPECT_EQ(c["E-Mail"], "email");
    EXPECT_EQ(c["ИНН"], "inn");
    EXPECT_EQ(c["Phone"], "phone");
    EXPECT_EQ(c["Телефон клиента"], "phone");  // phones may take several columns
}

TEST(Mapping, SuggestGivesASingleFieldToOneHeader) {
    auto m = SuggestMapping(Entity::kCompany, {"Название", "Наименование"});
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m.begin()->second, "name");
}

TEST(Mapping, BuiltinMappingsAreValidForTheirEntity) {
    int bitrix = 0, amo = 0;
    for (const auto& b : BuiltinMappings()) {
        EXPECT_TRUE(CheckMapping(b.entity, b.columns).empty()) << b.name << " " << EntityName(b.entity);
        bitrix += b.name == "Bitrix24";
        amo += b.name == "amoCRM";
    }
    EXPECT_EQ(bitrix, 4);  // contacts, companies, leads, deals
    EXPECT_EQ(amo, 4);
    auto errs = CheckMapping(Entity::kCompany, {{"A", "name"}, {"B", "name"}, {"C", "colour"}, {"D", "custom.size"}});
    ASSERT_EQ(errs.size(), 1u);
    EXPECT_EQ(errs[0].field, "columns/C");
}

TEST(Mapping, ResolvesHeadersIgnoringCaseAndPunctuation) {
    auto cols = ResolveColumns({{"Рабочий e-mail", "email_work"}}, {"рабочий E-MAIL ", "x"});
    EXPECT_EQ(cols, (std::vector<std::string>{"email_work", ""}));
}

TEST(Mapping, ContactRowIsSplitNormalisedAndChecked) {
    std::vector<core::FieldError> reasons;
    auto r = MapRow(
        Entity::kContact, {"full_name", "phone_mobile", "email", "birthday"},
        {"Иванова Мария Петровна", "8 (912) 345-67-89; +7 912 345 67 89", " Maria@Example.RU ", "07.03.1985"}, reasons);
    EXPECT_TRUE(reasons.empty());
    EXPECT_EQ(r.First("last_name"), "Иванова");
    EXPECT_EQ(r.First("first_name"), "Мария");
    EXPECT_EQ(r.First("middle_name"), "Петровна");
    EXPECT_EQ(r.First("birthday"), "1985-03-07");
    ASSERT_EQ(r.points.size(), 2u);  // the same phone twice is one point
    EXPECT_EQ(r.points[0].value, "+79123456789");
    EXPECT_EQ(r.points[0].label, "mobile");
    EXPECT_EQ(r.points[1].value, "maria@example.ru");
}

TEST(Mapping, BadRowsCollectEveryReason) {
    std::vector<core::FieldError> reasons;
    MapRow(Entity::kCompany, {"name", "inn", "phone", "email"}, {"", "1234567890", "12", "nope"}, reasons);
    std::set<std::string> codes;
    for (const auto& e : reasons) codes.insert(e.field + ":" + e.code);
    EXPECT_EQ(codes, (std::set<std::string>{"name:required", "inn:invalid_inn", "phone:invalid_phone",
                                            "email:invalid_email"}));
    reasons.clear();
    MapRow(Entity::kContact, {"first_name", "birthday"}, {"Олег", "31.02.1990"}, reasons);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_EQ(reasons[0].code, "invalid_date");
    reasons.clear();
    MapRow(Entity::kLead, {"utm_source"}, {"yandex"}, reasons);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_EQ(reasons[0].code, "required");
}

TEST(Mapping, ValidInnKeepsDigits) {
    std::vector<core::FieldError> reasons;
    auto r = MapRow(Entity::kCompany, {"name", "inn"}, {"ООО Ромашка", "77-07 083893"}, reasons);
    EXPECT_TRUE(reasons.empty());
    EXPECT_EQ(r.First("inn"), "7707083893");
}

TEST(ErrorReport, CellsThatSpreadsheetsWouldRunAreNeutralised) {
    EXPECT_EQ(NeutraliseCell("=CMD|' /C calc'!A0"), "'=CMD|' /C calc'!A0");
    EXPECT_EQ(NeutraliseCell("+7 912"), "'+7 912");
    EXPECT_EQ(NeutraliseCell("-1"), "'-1");
    EXPECT_EQ(NeutraliseCell("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(NeutraliseCell("Иван"), "Иван");
    EXPECT_EQ(CsvLine({"a", "b,c", "say \"hi\"", "x\ny"}), "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\"\r\n");
}

}  // namespace
}  // namespace otdel::imports
