// Scoring a review on the workspace's checklist (ACT-3): weighted marks, "not applicable", rounding; the checklist's
// own checks; comments inside the recording; nobody reviews themself.
#include <gtest/gtest.h>

#include "agenda/review.hpp"

namespace otdel::agenda {
namespace {

Mark M(int weight, std::optional<int> mark) {
    Mark m;
    m.weight = weight;
    m.mark = mark;
    return m;
}

TEST(ReviewScore, WeightsEachMarkAgainstTheFullMarkOfTheMarkedCriteria) {
    // 10·2 + 25·1 + 20·0 = 45 of (10 + 25 + 20)·2 = 110 → 40.909…% → 4091 bp.
    EXPECT_EQ(ScoreBp({M(10, 2), M(25, 1), M(20, 0)}), 4091);
    EXPECT_EQ(ScoreBp({M(10, 2), M(90, 2)}), 10'000);
    EXPECT_EQ(ScoreBp({M(10, 0), M(90, 0)}), 0);
}

TEST(ReviewScore, NotApplicableLeavesTheCriterionOutOfTheDenominator) {
    EXPECT_EQ(ScoreBp({M(50, 2), M(50, std::nullopt)}), 10'000);
    EXPECT_EQ(ScoreBp({M(50, std::nullopt)}), std::nullopt);
    EXPECT_EQ(ScoreBp({}), std::nullopt);
}

TEST(ReviewScore, RoundsHalfUp) {
    // 1 of 8 → 1250 exactly; 1 of 6 → 1666.67 → 1667; 1 of 3·2=6 with weights 1,1,1 and one partly → 1667.
    EXPECT_EQ(ScoreBp({M(4, 1)}), 5'000);
    EXPECT_EQ(ScoreBp({M(1, 1), M(1, 0), M(1, 0)}), 1'667);
    EXPECT_EQ(AverageBp({5'000, 5'001}), 5'001);
    EXPECT_EQ(AverageBp({1, 2, 2}), 2);
    EXPECT_EQ(AverageBp({}), std::nullopt);
}

TEST(ReviewChecklist, DefaultIsValidAndBilingual) {
    const auto items = DefaultCriteria();
    EXPECT_GE(items.size(), 5u);
    EXPECT_TRUE(ValidateCriteria(items).empty());
    int total = 0;
    for (const auto& c : items) total += c.weight;
    EXPECT_EQ(total, 100);
    EXPECT_EQ(items[0].code, "greeting");
    EXPECT_EQ(items[4].code, "next_step");
}

TEST(ReviewChecklist, NamesEveryWrongField) {
    std::vector<Criterion> items = DefaultCriteria();
    items[1].code = "greeting";  // duplicate
    items[2].weight = 0;
    items[3].label_en = "";
    items[4].code = "Next step";
    const auto errs = ValidateCriteria(items);
    ASSERT_EQ(errs.size(), 4u);
    EXPECT_EQ(errs[0].field, "items/1/code");
    EXPECT_EQ(errs[0].code, "duplicate");
    EXPECT_EQ(errs[1].field, "items/2/weight");
    EXPECT_EQ(errs[1].code, "out_of_range");
    EXPECT_EQ(errs[2].field, "items/3/label_en");
    EXPECT_EQ(errs[2].code, "required");
    EXPECT_EQ(errs[3].field, "items/4/code");
    EXPECT_EQ(ValidateCriteria({}).at(0).field, "items");
}

TEST(ReviewComment, MustFallInsideTheRecording) {
    EXPECT_TRUE(ValidateComment(0, "Хорошее начало", 95, "").empty());
    EXPECT_TRUE(ValidateComment(95, "Конец", 95, "").empty());
    EXPECT_TRUE(ValidateComment(std::nullopt, "Про звонок в целом", 95, "").empty());
    EXPECT_TRUE(ValidateComment(4000, "Длительность неизвестна", std::nullopt, "").empty());
    auto late = ValidateComment(96, "Поздно", 95, "comments/0/");
    ASSERT_EQ(late.size(), 1u);
    EXPECT_EQ(late[0].field, "comments/0/at_second");
    EXPECT_EQ(late[0].param, "0–95");
    auto both = ValidateComment(-1, "", 95, "");
    ASSERT_EQ(both.size(), 2u);
    EXPECT_EQ(both[1].field, "body");
    EXPECT_EQ(ValidateComment(1, std::string(kMaxComment + 1, 'a'), 95, "").at(0).code, "too_long");
    // Characters, not bytes: 2000 Cyrillic letters are fine.
    std::string cyr;
    for (std::size_t i = 0; i < kMaxComment; ++i) cyr += "ж";
    EXPECT_TRUE(ValidateComment(1, cyr, 95, "").empty());
}

TEST(ReviewTarget, OnlyCallsAndMeetingsOfSomeoneElse) {
    EXPECT_EQ(CheckReviewTarget(1, 2, "call"), ReviewRefusal::kNone);
    EXPECT_EQ(CheckReviewTarget(1, 2, "meeting"), ReviewRefusal::kNone);
    EXPECT_EQ(CheckReviewTarget(2, 2, "call"), ReviewRefusal::kSelf);
    EXPECT_EQ(CheckReviewTarget(1, 2, "task"), ReviewRefusal::kWrongKind);
    EXPECT_EQ(CheckReviewTarget(1, 2, "email"), ReviewRefusal::kWrongKind);
}

}  // namespace
}  // namespace otdel::agenda
