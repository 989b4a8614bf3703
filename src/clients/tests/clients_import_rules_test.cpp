// The pure rules of filling a matched record from an import row: empty fields take the row's values, non-empty
// ones never change; new phones/e-mails are added (primary only for a kind the record has none of) up to the cap.
#include <gtest/gtest.h>

#include "clients/clients_import.hpp"
#include "clients/clients_write.hpp"
#include "clients/normalize.hpp"

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

// The import hands the writer the values its reading thread normalised (PointInput::value): the points come out
// exactly as when the writer reads the raw text itself, and the labels are still checked.
TEST(ImportPoints, AGivenValueIsTheReadingOfTheRawText) {
    const std::vector<std::string> phones = {"8 912 345-67-89",       "+7 (912) 345-67-80", "912-345-67-81",
                                             "8(912)3456782 доб. 12", "+1 650 253 0000",    "7 495 123 45 67"};
    std::vector<PointInput> read_here, given;
    for (const auto& raw : phones) {
        read_here.push_back({"phone", "work", raw, false});
        given.push_back({"phone", "work", raw, false, NormalizePhone(raw)->e164});
    }
    read_here.push_back({"email", "personal", " Ivan@Example.RU ", true});
    given.push_back({"email", "personal", " Ivan@Example.RU ", true, *NormalizeEmail(" Ivan@Example.RU ")});
    const auto a = detail::NormalizePointInputs(read_here), b = detail::NormalizePointInputs(given);
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(b.ok());
    ASSERT_EQ(a->size(), b->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
        EXPECT_EQ((*a)[i].kind, (*b)[i].kind);
        EXPECT_EQ((*a)[i].value, (*b)[i].value);
        EXPECT_EQ((*a)[i].raw, (*b)[i].raw);
        EXPECT_EQ((*a)[i].label, (*b)[i].label);
        EXPECT_EQ((*a)[i].is_primary, (*b)[i].is_primary);
    }
    given[0].label = "pager";
    EXPECT_FALSE(detail::NormalizePointInputs(given).ok());
}

// The search document of a record whose points were just read (id 0: the import's new records) is built from the
// values without reading the phones again; it must be the text the raw spellings give (stored points, id ≠ 0).
TEST(ImportPoints, TheSearchDocumentOfNewPointsIsTheOneTheirRawTextGives) {
    const std::vector<std::vector<std::string>> cases = {
        {"8 912 345-67-89"},
        {"+7 (912) 345-67-80", "8 912 345 67 80", "(495) 123-45-67"},
        {"+1 650 253 0000"},                       // another country: read from the raw text
        {"+7 912 000 00 01", "+44 20 7946 0958"},  // mixed
        {},
    };
    for (const auto& raws : cases) {
        std::vector<PointInput> in;
        for (const auto& raw : raws) in.push_back({"phone", "mobile", raw, false});
        in.push_back({"email", "work", "9123456789@Mail.RU", false});  // a token equal to a phone term
        auto fresh = detail::NormalizePointInputs(in);
        ASSERT_TRUE(fresh.ok());
        std::vector<ContactPoint> stored = *fresh;
        for (std::size_t i = 0; i < stored.size(); ++i) stored[i].id = static_cast<core::Id>(100 + i);
        Contact c;
        c.id = 7;
        c.last_name = "Петров";
        c.first_name = "Иван";
        c.full_name = "Петров Иван 79123456789";
        c.notes = "звонить +7 912 345-67-89 после обеда";
        Company co;
        co.id = 8;
        co.name = "ООО «Альфа»";
        co.inn = "7707083893";
        co.notes = c.notes;
        EXPECT_EQ(detail::ContactDoc(c, *fresh).body, detail::ContactDoc(c, stored).body);
        EXPECT_EQ(detail::CompanyDoc(co, *fresh).body, detail::CompanyDoc(co, stored).body);
        if (!raws.empty()) {
            const auto body = detail::ContactDoc(c, *fresh).body;
            const std::string national = NormalizePhone(raws.front())->national;
            EXPECT_NE(body.find(national), std::string::npos) << body;
        }
    }
}

}  // namespace
}  // namespace otdel::clients
