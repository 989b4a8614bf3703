#include "auth/account.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace otdel::auth {
namespace {

bool HasError(const std::vector<core::FieldError>& errs, const std::string& field, const std::string& code) {
    return std::any_of(errs.begin(), errs.end(), [&](const auto& e) { return e.field == field && e.code == code; });
}

TEST(Account, EmailIsTrimmedAndLowerCased) {
    EXPECT_EQ(NormalizeEmail("  Ivan.Petrov@Example.RU \t"), "ivan.petrov@example.ru");
}

TEST(Account, PlausibleEmails) {
    EXPECT_TRUE(IsPlausibleEmail("a@b.ru"));
    EXPECT_TRUE(IsPlausibleEmail("ivan+crm@sub.example.com"));
    for (const char* bad :
         {"", "a", "a@b", "@b.ru", "a@.ru", "a@b.", "a b@c.ru", "a@b@c.ru", "a@b..ru", "a@b.ru,c@d.ru"})
        EXPECT_FALSE(IsPlausibleEmail(bad)) << bad;
    EXPECT_FALSE(IsPlausibleEmail(std::string(250, 'a') + "@b.ru"));
}

TEST(Account, ValidUserPassesAndIsNormalised) {
    NewUser u{7, " Rop@Otdel.Demo ", "  Ольга Смирнова ", "long enough", "en", false};
    EXPECT_TRUE(ValidateUser(u, 8).empty());
    EXPECT_EQ(u.email, "rop@otdel.demo");
    EXPECT_EQ(u.full_name, "Ольга Смирнова");
}

TEST(Account, InvalidUserReportsEveryField) {
    NewUser u{0, "not-an-email", "", "short", "de", false};
    auto errs = ValidateUser(u, 8);
    EXPECT_TRUE(HasError(errs, "workspace_id", "invalid"));
    EXPECT_TRUE(HasError(errs, "email", "invalid_email"));
    EXPECT_TRUE(HasError(errs, "full_name", "required"));
    EXPECT_TRUE(HasError(errs, "password", "weak_password"));
    EXPECT_TRUE(HasError(errs, "locale", "not_one_of"));
    EXPECT_EQ(errs.size(), 5u);
}

TEST(Account, NameLengthCountsCharacters) {
    NewUser ok{1, "a@b.ru", std::string(), "password", "ru", false};
    for (int i = 0; i < 200; ++i) ok.full_name += "Я";
    EXPECT_TRUE(ValidateUser(ok, 8).empty());
    ok.full_name += "Я";
    EXPECT_TRUE(HasError(ValidateUser(ok, 8), "full_name", "too_long"));
}

TEST(Account, WorkspaceRules) {
    NewWorkspace ok{"  ООО Ромашка ", "romashka-2", "ru", "Europe/Moscow", "RUB"};
    EXPECT_TRUE(ValidateWorkspace(ok).empty());
    EXPECT_EQ(ok.name, "ООО Ромашка");
    NewWorkspace bad{"", "Bad Slug", "de", "Europe/../x y", "rub"};
    auto errs = ValidateWorkspace(bad);
    EXPECT_TRUE(HasError(errs, "name", "required"));
    EXPECT_TRUE(HasError(errs, "slug", "invalid"));
    EXPECT_TRUE(HasError(errs, "default_locale", "not_one_of"));
    EXPECT_TRUE(HasError(errs, "time_zone", "invalid"));
    EXPECT_TRUE(HasError(errs, "currency", "invalid"));
    NewWorkspace edge{"x", "-x", "en", "UTC", "USD"};
    EXPECT_TRUE(HasError(ValidateWorkspace(edge), "slug", "invalid"));
}

}  // namespace
}  // namespace otdel::auth
