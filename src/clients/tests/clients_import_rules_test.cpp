// The pure rules of filling a matched record from an import row: empty fields take the row's values, non-empty
// ones never change; new phones/e-mails are added (primary only for a kind the record has none of) up to the cap.
#include <gtest/gtest.h>

#include "clients/clients_import.hpp"

namespace otdel::clients {
namespace {

ContactPoint Point(const std::string& kind, const std::string& value, bool primary = false) {
    ContactPoint p;
    p.kind = kind;
    p.value = value;
    p.raw = value;
    p.label = kind == "phone" ? "mobile" : "work";
    p.is_primary = primary;
    return p;
}

TEST(ImportFill, EmptyContactFieldsTakeTheRowsValuesAndFilledOnesStay) {
    Contact record;
    record.last_name = "Петров";
    record.first_name = "Иван";
    record.full_name = "Петров Иван";
    Contact row;
    row.last_name = "Петрова";
    row.first_name = "Иван";
    row.middle_name = "Сергеевич";
    row.birthday = "1985-03-07";
    row.notes = "из выставки";
    const auto filled = FillEmptyFields(record, row);
    EXPECT_EQ(filled, (std::vector<std::string>{"middle_name", "birthday", "notes"}));
    EXPECT_EQ(record.last_name, "Петров");
    EXPECT_EQ(record.full_name, "Петров Иван Сергеевич");
    EXPECT_EQ(record.birthday, "1985-03-07");
    // A second fill from the same row changes nothing.
    EXPECT_TRUE(FillEmptyFields(record, row).empty());
}

TEST(ImportFill, CompanyRequisitesFillOnlyWhenAbsent) {
    Company record;
    record.name = "ООО Вега";
    record.website = "vega.ru";
    Company row;
    row.name = "Вега";
    row.inn = "7707083893";
    row.website = "other.ru";
    row.legal_form = "ooo";
    EXPECT_EQ(FillEmptyFields(record, row), (std::vector<std::string>{"legal_form", "inn"}));
    EXPECT_EQ(record.name, "ООО Вега");
    EXPECT_EQ(record.website, "vega.ru");
    EXPECT_EQ(record.inn, "7707083893");
    row.inn = "7736050003";
    EXPECT_TRUE(FillEmptyFields(record, row).empty());
    EXPECT_EQ(record.inn, "7707083893");
    Company blank_inn;
    blank_inn.inn = "";  // stored empty counts as a gap
    EXPECT_EQ(FillEmptyFields(blank_inn, row), (std::vector<std::string>{"legal_form", "inn", "website"}));
}

TEST(ImportFill, NewPointsAreTheOnesTheRecordLacks) {
    const std::vector<ContactPoint> record = {Point("phone", "+79160000001", true)};
    const std::vector<ContactPoint> row = {Point("phone", "+79160000001", true), Point("phone", "+79160000002", true),
                                           Point("email", "a@b.ru", false), Point("email", "c@d.ru", true),
                                           Point("phone", "+79160000002")};
    const auto add = NewPoints(record, row);
    ASSERT_EQ(add.size(), 3u);
    EXPECT_EQ(add[0].value, "+79160000002");
    EXPECT_FALSE(add[0].is_primary);  // the record has a primary phone
    EXPECT_EQ(add[1].value, "a@b.ru");
    EXPECT_TRUE(add[1].is_primary);  // its first e-mail
    EXPECT_FALSE(add[2].is_primary);
    EXPECT_TRUE(NewPoints(row, row).empty());
}

TEST(ImportFill, NewPointsStopAtTheCap) {
    std::vector<ContactPoint> record;
    for (std::size_t i = 0; i + 1 < kMaxPoints; ++i)
        record.push_back(Point("phone", "+7916000000" + std::to_string(i)));
    const auto add = NewPoints(record, {Point("email", "a@b.ru"), Point("email", "c@d.ru")});
    ASSERT_EQ(add.size(), 1u);
    EXPECT_EQ(add[0].value, "a@b.ru");
}

TEST(ImportFill, CustomValuesFillAbsentOrEmptyCodes) {
    CustomValue text;
    text.type = CustomValue::Type::kString;
    text.text = "опт";
    CustomValue empty;
    empty.type = CustomValue::Type::kString;
    CustomValue kept;
    kept.type = CustomValue::Type::kString;
    kept.text = "розница";
    const std::map<std::string, CustomValue> record = {{"segment", kept}, {"channel", empty}};
    const std::map<std::string, CustomValue> row = {
        {"segment", text}, {"channel", text}, {"region", text}, {"note", empty}};
    const auto add = NewCustomValues(record, row);
    ASSERT_EQ(add.size(), 2u);
    EXPECT_EQ(add.at("channel").text, "опт");
    EXPECT_EQ(add.at("region").text, "опт");
}

}  // namespace
}  // namespace otdel::clients
