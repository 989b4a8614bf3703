// Proposal templates: which placeholders a text may use, and how they are filled in.
#include <gtest/gtest.h>

#include "documents/documents.hpp"

namespace otdel::documents {
namespace {

const std::map<std::string, std::string> kValues = {{"client.name", "ООО «Ромашка»"},
                                                    {"deal.title", "Кухня «Прованс»"},
                                                    {"owner.name", "Дмитрий Кузнецов"},
                                                    {"valid_until", "31.12.2025"}};

TEST(Placeholders, FillsKnownNamesWithOrWithoutSpaces) {
    EXPECT_EQ(FillPlaceholders("Уважаемые {{client.name}}! Предлагаем «{{ deal.title }}» до {{valid_until}}.", kValues),
              "Уважаемые ООО «Ромашка»! Предлагаем «Кухня «Прованс»» до 31.12.2025.");
    EXPECT_EQ(FillPlaceholders("{{owner.name}}{{owner.name}}", kValues), "Дмитрий КузнецовДмитрий Кузнецов");
}

TEST(Placeholders, AKnownNameWithoutAValueBecomesEmpty) {
    EXPECT_EQ(FillPlaceholders("ИНН: {{client.inn}}.", kValues), "ИНН: .");
}

TEST(Placeholders, UnknownAndUnclosedStayAsWritten) {
    EXPECT_EQ(FillPlaceholders("{{client.fax}} и {{client.name", kValues), "{{client.fax}} и {{client.name");
    EXPECT_EQ(FillPlaceholders("{ {client.name} } {{}}", kValues), "{ {client.name} } {{}}");
}

TEST(Placeholders, ValuesAreNotExpandedAgain) {
    const std::map<std::string, std::string> tricky = {{"client.name", "{{deal.title}}"}, {"deal.title", "X"}};
    EXPECT_EQ(FillPlaceholders("{{client.name}} / {{deal.title}}", tricky), "{{deal.title}} / X");
}

TEST(Placeholders, TextWithoutPlaceholdersIsUnchanged) {
    EXPECT_EQ(FillPlaceholders("", kValues), "");
    EXPECT_EQ(FillPlaceholders("Просто текст } и {", kValues), "Просто текст } и {");
}

TEST(Placeholders, CheckNamesEveryUnknownOneAndAnUnclosedBrace) {
    EXPECT_TRUE(CheckPlaceholders("{{client.name}} {{ deal.title }} {{valid_until}} {{today}}").empty());
    const auto issues = CheckPlaceholders("{{client.nmae}} {{ deal.title }} {{owner.phone}} {{valid_until");
    ASSERT_EQ(issues.size(), 3u);
    EXPECT_EQ(issues[0].code, "unknown_placeholder");
    EXPECT_EQ(issues[0].name, "{{client.nmae}}");
    EXPECT_EQ(issues[1].name, "{{owner.phone}}");
    EXPECT_EQ(issues[2].code, "unclosed_placeholder");
}

TEST(Placeholders, EveryListedNameIsAccepted) {
    for (const auto& name : PlaceholderNames()) EXPECT_TRUE(CheckPlaceholders("{{" + name + "}}").empty()) << name;
}

TEST(TemplateValidation, UnknownPlaceholdersAreFieldErrorsOfTheirText) {
    ProposalTemplate t;
    t.name = "Стандартное КП";
    t.intro_text = "Здравствуйте, {{client.name}}!";
    t.terms_text = "Оплата до {{valid_untill}}";
    auto r = ValidateTemplate(t);
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "terms_text");
    EXPECT_EQ(r.error().fields[0].code, "unknown_placeholder");
    EXPECT_EQ(r.error().fields[0].param, "{{valid_untill}}");
}

TEST(TemplateValidation, NameAndValidityDays) {
    ProposalTemplate t;
    t.name = "  ";
    t.validity_days = 0;
    auto r = ValidateTemplate(t);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().fields.size(), 2u);
    t.name = "КП";
    t.validity_days = kMaxValidityDays;
    EXPECT_TRUE(ValidateTemplate(t));
}

}  // namespace
}  // namespace otdel::documents
