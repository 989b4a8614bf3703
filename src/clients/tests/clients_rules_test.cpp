// Pure rules of the clients room: requisites by legal form, custom-field values, merge planning, search tokens.
#include <gtest/gtest.h>

#include "clients/clients.hpp"

namespace otdel::clients {
namespace {

CustomValue Str(std::string s) {
    CustomValue v;
    v.type = CustomValue::Type::kString;
    v.text = std::move(s);
    return v;
}
CustomValue Int(std::int64_t n) {
    CustomValue v;
    v.type = CustomValue::Type::kInteger;
    v.integer = n;
    return v;
}
CustomValue List(std::vector<std::string> s) {
    CustomValue v;
    v.type = CustomValue::Type::kStrings;
    v.strings = std::move(s);
    return v;
}

std::vector<std::string> Codes(const std::vector<core::FieldError>& errs) {
    std::vector<std::string> out;
    for (const auto& e : errs) out.push_back(e.field + ":" + e.code);
    return out;
}

TEST(Requisites, InnLengthFollowsTheLegalForm) {
    Company c;
    c.name = "x";
    c.legal_form = "ooo";
    c.inn = "7707083893";  // Sberbank: valid 10-digit INN
    EXPECT_TRUE(CheckRequisites(c).empty());
    c.legal_form = "ip";
    EXPECT_EQ(Codes(CheckRequisites(c)), std::vector<std::string>{"inn:inn_for_ip"});
    c.inn = "500100732259";  // valid 12-digit INN
    EXPECT_TRUE(CheckRequisites(c).empty());
    c.legal_form = "ooo";
    EXPECT_EQ(Codes(CheckRequisites(c)), std::vector<std::string>{"inn:inn_for_org"});
    c.inn = "7707083894";
    EXPECT_EQ(Codes(CheckRequisites(c)), std::vector<std::string>{"inn:invalid_inn"});
}

TEST(Requisites, AccountNeedsAMatchingBik) {
    Company c;
    c.name = "x";
    c.bank.account = "40702810900000000001";
    EXPECT_EQ(Codes(CheckRequisites(c)), std::vector<std::string>{"bank_details/bik:required"});
    c.bank.bik = "12345";
    EXPECT_EQ(Codes(CheckRequisites(c)), std::vector<std::string>{"bank_details/bik:invalid_bik"});
    c.bank.bik = "044525225";
    // The control key (the 9th digit) admits exactly one value for the rest of the number.
    int valid = 0;
    std::string wrong;
    for (char d = '0'; d <= '9'; ++d) {
        c.bank.account = std::string("40702810") + d + "38000000001";
        if (CheckRequisites(c).empty()) {
            ++valid;
        } else {
            wrong = c.bank.account;
        }
    }
    EXPECT_EQ(valid, 1);
    c.bank.account = wrong;
    EXPECT_EQ(Codes(CheckRequisites(c)), std::vector<std::string>{"bank_details/account:invalid_account"});
}

TEST(Birthday, FullDatesAndDaysWithoutYear) {
    EXPECT_TRUE(IsValidBirthday("1985-03-17"));
    EXPECT_TRUE(IsValidBirthday("02-29"));
    EXPECT_TRUE(IsValidBirthday("--12-31"));
    EXPECT_FALSE(IsValidBirthday("1985-02-29"));
    EXPECT_FALSE(IsValidBirthday("13-01"));
    EXPECT_FALSE(IsValidBirthday("вчера"));
}

std::vector<CustomField> Fields() {
    CustomField text;
    text.code = "source";
    text.kind = FieldKind::kText;
    CustomField budget;
    budget.code = "budget";
    budget.kind = FieldKind::kMoney;
    budget.required = true;
    CustomField style;
    style.code = "style";
    style.kind = FieldKind::kChoice;
    style.options = {{"modern", "Модерн", "Modern"}, {"classic", "Классика", "Classic"}};
    CustomField rooms;
    rooms.code = "rooms";
    rooms.kind = FieldKind::kMultiChoice;
    rooms.options = {{"kitchen", "Кухня", "Kitchen"}, {"hall", "Прихожая", "Hall"}};
    CustomField due;
    due.code = "due";
    due.kind = FieldKind::kDate;
    CustomField old;
    old.code = "old";
    old.required = true;
    old.archived_at = 1;
    CustomField later;
    later.code = "later";
    later.required = true;
    later.required_from_stage_id = 5;
    return {text, budget, style, rooms, due, old, later};
}

TEST(CustomValues, EachKindChecksItsShape) {
    const auto fields = Fields();
    std::map<std::string, CustomValue> ok{{"source", Str("выставка")},
                                          {"budget", Int(35000000)},
                                          {"style", Str("modern")},
                                          {"rooms", List({"kitchen", "hall"})},
                                          {"due", Str("2026-12-01")}};
    EXPECT_TRUE(CheckCustomValues(fields, ok, true).empty());

    std::map<std::string, CustomValue> bad{{"source", Int(5)},         {"budget", Str("много")},
                                           {"style", Str("loft")},     {"rooms", List({"kitchen", "kitchen"})},
                                           {"due", Str("2026-02-30")}, {"nope", Str("x")}};
    EXPECT_EQ(
        Codes(CheckCustomValues(fields, bad, false)),
        (std::vector<std::string>{"custom/budget:wrong_type", "custom/due:invalid_date", "custom/nope:unknown_field",
                                  "custom/rooms:duplicate", "custom/source:wrong_type", "custom/style:not_an_option"}));
}

TEST(CustomValues, RequiredSkipsArchivedAndStageBoundFields) {
    const auto fields = Fields();
    EXPECT_EQ(Codes(CheckCustomValues(fields, {}, true)), std::vector<std::string>{"custom/budget:required"});
    EXPECT_TRUE(CheckCustomValues(fields, {}, false).empty());
    // A value of an archived field is not known any more.
    EXPECT_EQ(Codes(CheckCustomValues(fields, {{"budget", Int(1)}, {"old", Str("x")}}, true)),
              std::vector<std::string>{"custom/old:unknown_field"});
    EXPECT_EQ(Codes(CheckCustomValues(fields, {{"budget", Int(-1)}}, true)),
              std::vector<std::string>{"custom/budget:out_of_range"});
}

TEST(FieldDefinition, ChoiceNeedsDistinctOptions) {
    CustomField f;
    f.entity = "company";
    f.code = "Style";
    f.kind = FieldKind::kChoice;
    EXPECT_EQ(Codes(CheckFieldDefinition(f)), (std::vector<std::string>{"code:invalid_code", "options:out_of_range"}));
    f.code = "style";
    f.options = {{"a", "А", "A"}, {"a", "Б", "B"}};
    EXPECT_EQ(Codes(CheckFieldDefinition(f)), std::vector<std::string>{"options/1/value:duplicate"});
    f.kind = FieldKind::kText;
    f.options.clear();
    EXPECT_TRUE(CheckFieldDefinition(f).empty());
}

TEST(MergePlan, KeepsEveryDistinctPointAndFillsGaps) {
    std::vector<ContactPoint> s{{1, "phone", "mobile", "8 912 345-67-89", "+79123456789", true},
                                {2, "email", "work", "a@x.ru", "a@x.ru", true}};
    std::vector<ContactPoint> m{{3, "phone", "work", "+7 912 345 67 89", "+79123456789", true},
                                {4, "phone", "work", "+7 495 123 45 67", "+74951234567", false},
                                {5, "email", "work", "b@x.ru", "b@x.ru", true}};
    const MergePlan plan =
        PlanMerge(s, m, {"vip", "кухня"}, {"кухня", "опт"}, {{"style", "\"modern\""}, {"budget", "null"}},
                  {{"style", "\"classic\""}, {"budget", "100"}, {"source", "\"сайт\""}});
    EXPECT_EQ(plan.move_points, (std::vector<core::Id>{4, 5}));
    EXPECT_EQ(plan.drop_points, (std::vector<core::Id>{3}));
    EXPECT_EQ(plan.tags, (std::vector<std::string>{"vip", "кухня", "опт"}));
    EXPECT_EQ(plan.custom.at("style"), "\"modern\"");  // the survivor wins
    EXPECT_EQ(plan.custom.at("budget"), "100");        // an empty value is a gap
    EXPECT_EQ(plan.custom.at("source"), "\"сайт\"");
}

TEST(SearchTokens, FoldCaseInEveryScriptAndSplitOnPunctuation) {
    EXPECT_EQ(SearchTokens("ООО «Ёлка-Палка» Ivan@Mail.RU"),
              (std::vector<std::string>{"ооо", "ёлка", "палка", "ivan", "mail", "ru"}));
    EXPECT_EQ(SearchTokens("+7 (912) 345"), (std::vector<std::string>{"7", "912", "345"}));
    EXPECT_TRUE(SearchTokens(" -- ").empty());
    EXPECT_EQ(FullName("Иванов", "Пётр", ""), "Иванов Пётр");
}

TEST(SearchTokens, KeepsEveryScriptsLettersAndDropsWhatIsNotALetterOrDigit) {
    // Greek final sigma folds to σ, the German ß to ss; a letter outside the BMP (a surrogate pair in UTF-16) stays
    // one letter of its token; an emoji, a broken UTF-8 byte and a lone surrogate's bytes split tokens.
    EXPECT_EQ(SearchTokens("ΣΟΦΟΣ Straße 𐐀bc😀Дом"), (std::vector<std::string>{"σοφοσ", "strasse", "𐐨bc", "дом"}));
    EXPECT_EQ(SearchTokens("ab\xff\xfe"
                           "cd \xed\xa0\x80"
                           "ef"),
              (std::vector<std::string>{"ab", "cd", "ef"}));
    EXPECT_EQ(SearchTokens("Ёж1 ёж2"), (std::vector<std::string>{"ёж1", "ёж2"}));
}

}  // namespace
}  // namespace otdel::clients
