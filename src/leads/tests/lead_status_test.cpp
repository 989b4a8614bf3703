// Status transitions of a lead (pure): the table, junk reasons, converted only by convert; and default titles.
#include <gtest/gtest.h>

#include "leads/lead.hpp"

namespace otdel::leads {
namespace {

struct Move {
    const char* from;
    const char* to;
    std::optional<std::string> reason;
    core::ErrorCode expect;  // kInternal means "allowed"
    const char* key;
};

constexpr core::ErrorCode kOk = core::ErrorCode::kInternal;

TEST(LeadStatus, TransitionTable) {
    const std::vector<Move> moves = {
        {"new", "in_work", std::nullopt, kOk, ""},
        {"new", "qualified", std::nullopt, kOk, ""},
        {"in_work", "qualified", std::nullopt, kOk, ""},
        {"in_work", "new", std::nullopt, kOk, ""},
        {"qualified", "in_work", std::nullopt, kOk, ""},
        {"new", "junk", "spam", kOk, ""},
        {"qualified", "junk", "not_our_product", kOk, ""},
        {"junk", "new", std::nullopt, kOk, ""},
        {"qualified", "new", std::nullopt, core::ErrorCode::kConflict, "leads.transition_not_allowed"},
        {"junk", "in_work", std::nullopt, core::ErrorCode::kConflict, "leads.transition_not_allowed"},
        {"new", "new", std::nullopt, core::ErrorCode::kConflict, "leads.same_status"},
        {"new", "converted", std::nullopt, core::ErrorCode::kConflict, "leads.convert_only"},
        {"converted", "new", std::nullopt, core::ErrorCode::kConflict, "leads.already_converted"},
        {"converted", "junk", "spam", core::ErrorCode::kConflict, "leads.already_converted"},
        {"new", "junk", std::nullopt, core::ErrorCode::kValidation, ""},
        {"new", "junk", "boring", core::ErrorCode::kValidation, ""},
        {"new", "in_work", "spam", core::ErrorCode::kValidation, ""},
        {"new", "lost", std::nullopt, core::ErrorCode::kValidation, ""},
    };
    for (const auto& m : moves) {
        auto r = CheckTransition(m.from, m.to, m.reason);
        const std::string what = std::string(m.from) + " -> " + m.to;
        if (m.expect == kOk) {
            EXPECT_TRUE(r.ok()) << what;
            continue;
        }
        ASSERT_FALSE(r.ok()) << what;
        EXPECT_EQ(r.error().code, m.expect) << what;
        if (*m.key) {
            EXPECT_EQ(r.error().message_key, m.key) << what;
        }
    }
}

TEST(LeadStatus, JunkWithoutReasonNamesTheField) {
    auto r = CheckTransition("new", "junk", std::nullopt);
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "junk_reason");
    EXPECT_EQ(r.error().fields[0].code, "required");
}

TEST(LeadStatus, OpenStatuses) {
    EXPECT_TRUE(IsOpenStatus("new"));
    EXPECT_TRUE(IsOpenStatus("in_work"));
    EXPECT_TRUE(IsOpenStatus("qualified"));
    EXPECT_FALSE(IsOpenStatus("junk"));
    EXPECT_FALSE(IsOpenStatus("converted"));
}

TEST(LeadTitle, FromTheRequestElseTheContact) {
    EXPECT_EQ(MakeTitle("Нужна кухня\nещё текст", "", "", ""), "Нужна кухня");
    const std::string long_text =
        "Здравствуйте, хотим заказать угловую кухню с островом и встроенной техникой в новую квартиру на Ленинском";
    const std::string t = MakeTitle(long_text, "", "", "");
    EXPECT_LT(t.size(), long_text.size());
    EXPECT_EQ(t.substr(t.size() - 3), "…");
    EXPECT_EQ(MakeTitle("  ", "Иван", "", "+79001112233"), "Иван");
    EXPECT_EQ(MakeTitle("", "", "", "+79001112233"), "+79001112233");
    EXPECT_EQ(MakeTitle("", "", "", ""), "Заявка");
}

}  // namespace
}  // namespace otdel::leads
