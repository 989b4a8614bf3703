// The catalog's pure rules: a line's amount rounded half up (exact at the extremes), VAT inside an amount, the
// suggested discount of each scheme kind with its explanation, the price list a deal takes, the limit check and what
// saving lines does to the discount approval.
#include <gtest/gtest.h>

#include "catalog/catalog.hpp"

namespace otdel::catalog {
namespace {

TEST(LineAmount, RoundsHalfUpToWholeKopecks) {
    EXPECT_EQ(LineAmount(1'000, 10'000, 0), 10'000);
    // 1.5 × 333.33 ₽ × 0.9 = 449.9955 ₽ → 450.00 ₽.
    EXPECT_EQ(LineAmount(1'500, 33'333, 1'000), 45'000);
    // 0.001 × 0.05 ₽ = 0.00005 ₽ → 0; 0.5 kopeck → 1 kopeck (half up), 0.499 → 0.
    EXPECT_EQ(LineAmount(1, 50, 0), 0);
    EXPECT_EQ(LineAmount(500, 1, 0), 1);
    EXPECT_EQ(LineAmount(499, 1, 0), 0);
    EXPECT_EQ(LineAmount(1'000, 1, 5'000), 1);  // half a kopeck after a 50 % discount
    EXPECT_EQ(LineAmount(3'000, 33'333, 1'000), 89'999);
    EXPECT_EQ(LineAmount(7'000, 99'999, 10'000), 0) << "100 % off is free";
}

TEST(LineAmount, IsExactAtTheLimitsWithoutOverflow) {
    // A million units at 10^15 kopecks would not fit 64 bits before dividing; the rule works in 128 bits.
    EXPECT_EQ(LineAmount(kMaxQuantityMilli, 1'000'000'000'000, 0), 1'000'000'000'000'000'000LL);
    DealLine l;
    l.name = "Кухня";
    l.quantity_milli = kMaxQuantityMilli;
    l.unit_price_minor = kMaxMoney;
    EXPECT_EQ(ValidateLine(l).front().field, "amount_minor") << "the amount does not fit";
}

TEST(VatIncluded, IsTheShareOfTheRateInsideThePrice) {
    EXPECT_EQ(VatIncluded(12'000, 2'000), 2'000);
    EXPECT_EQ(VatIncluded(100, 2'000), 17);  // 16.67 → 17
    EXPECT_EQ(VatIncluded(100, 0), 0);
}

TEST(ValidateLine, NamesEveryWrongField) {
    DealLine l;
    l.quantity_milli = -1;
    l.unit_price_minor = -5;
    l.discount_bp = 10'001;
    l.vat_rate_bp = -1;
    auto errs = ValidateLine(l, "lines/0/");
    std::vector<std::string> fields;
    for (const auto& e : errs) fields.push_back(e.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"lines/0/name", "lines/0/quantity_milli", "lines/0/unit_price_minor",
                                                "lines/0/discount_bp", "lines/0/vat_rate_bp"}));
    l = DealLine{};
    l.name = "Мойка";
    l.quantity_milli = 0;
    EXPECT_EQ(ValidateLine(l).at(0).code, "out_of_range") << "zero is not a quantity";
}

DiscountScheme Volume(core::Id id, std::vector<Tier> tiers) {
    DiscountScheme s;
    s.id = id;
    s.name = "Опт";
    s.kind = "volume";
    s.tiers = std::move(tiers);
    return s;
}

DiscountScheme Segment(core::Id id, const std::string& segment, int bp) {
    DiscountScheme s;
    s.id = id;
    s.name = "Дилерам";
    s.kind = "segment";
    s.client_segment = segment;
    s.discount_bp = bp;
    return s;
}

DiscountScheme Promo(core::Id id, const std::string& from, const std::string& to, int bp) {
    DiscountScheme s;
    s.id = id;
    s.name = "Весна";
    s.kind = "promotion";
    s.valid_from = from;
    s.valid_to = to;
    s.discount_bp = bp;
    return s;
}

TEST(SuggestDiscount, VolumeTakesTheHighestTierReached) {
    const std::vector<DiscountScheme> schemes{Volume(1, {{10'000, 300}, {25'000, 500}, {50'000, 800}})};
    EXPECT_EQ(SuggestDiscount(schemes, {std::nullopt, 9'999}, {}, "2027-03-01").discount_bp, 0);
    EXPECT_EQ(SuggestDiscount(schemes, {std::nullopt, 10'000}, {}, "2027-03-01").discount_bp, 300);
    auto s = SuggestDiscount(schemes, {std::nullopt, 30'000}, {}, "2027-03-01");
    EXPECT_EQ(s.discount_bp, 500);
    EXPECT_EQ(s.tier->min_quantity_milli, 25'000);
    EXPECT_EQ(Explain(s, "пог. м", core::Lang::kRu), "Скидка за объём «Опт»: от 25 пог. м — 5 %");
    EXPECT_NE(Explain(s, "m", core::Lang::kEn).find("from 25 m — 5 %"), std::string::npos);
}

TEST(SuggestDiscount, SegmentNeedsTheClientsTagAndPromotionItsDates) {
    const std::vector<DiscountScheme> schemes{Segment(1, "дилер", 1'500), Promo(2, "2027-03-01", "2027-03-31", 1'000)};
    EXPECT_EQ(SuggestDiscount(schemes, {1, 1'000}, {"дилер"}, "2027-02-28").discount_bp, 1'500);
    EXPECT_EQ(SuggestDiscount(schemes, {1, 1'000}, {"дизайнер"}, "2027-02-28").discount_bp, 0);
    auto in = SuggestDiscount(schemes, {1, 1'000}, {}, "2027-03-31");
    EXPECT_EQ(in.discount_bp, 1'000) << "the last day counts";
    EXPECT_EQ(Explain(in, "шт", core::Lang::kRu), "Акция «Весна» до 2027-03-31: 10 %");
    EXPECT_EQ(SuggestDiscount(schemes, {1, 1'000}, {}, "2027-04-01").discount_bp, 0);
    // Schemes do not add up: the larger wins.
    auto both = SuggestDiscount(schemes, {1, 1'000}, {"дилер"}, "2027-03-10");
    EXPECT_EQ(both.discount_bp, 1'500);
    EXPECT_EQ(both.kind, "segment");
}

TEST(SuggestDiscount, SkipsPausedArchivedAndOtherProductsSchemes) {
    auto paused = Segment(1, "опт", 900);
    paused.active = false;
    auto archived = Segment(2, "опт", 800);
    archived.archived_at = 1;
    auto other = Segment(3, "опт", 700);
    other.product_id = 99;
    auto mine = Segment(4, "опт", 200);
    mine.product_id = 5;
    const std::vector<DiscountScheme> schemes{paused, archived, other, mine};
    const auto s = SuggestDiscount(schemes, {5, 1'000}, {"опт"}, "2027-01-01");
    EXPECT_EQ(s.discount_bp, 200);
    EXPECT_EQ(*s.scheme_id, 4);
    EXPECT_EQ(Explain(SuggestDiscount({}, {5, 1'000}, {}, "2027-01-01"), "", core::Lang::kRu), "");
}

TEST(PercentAndQuantityText, ReadLikePeopleWriteThem) {
    EXPECT_EQ(PercentText(1'250), "12.5 %");
    EXPECT_EQ(PercentText(1'005), "10.05 %");
    EXPECT_EQ(PercentText(500), "5 %");
    EXPECT_EQ(QuantityText(1'500), "1.5");
    EXPECT_EQ(QuantityText(2'005), "2.005");
    EXPECT_EQ(QuantityText(10'000), "10");
}

TEST(ChoosePriceList, TheClientsSegmentThenTheDefaultThenAnyGeneralList) {
    auto list = [](core::Id id, const char* cur, const char* seg, bool def) {
        PriceList p;
        p.id = id;
        p.currency = cur;
        p.client_segment = seg;
        p.is_default = def;
        return p;
    };
    const std::vector<PriceList> lists{list(1, "RUB", "", false), list(2, "RUB", "", true),
                                       list(3, "RUB", "дилер", false), list(4, "EUR", "", false)};
    EXPECT_EQ(ChoosePriceList(lists, "RUB", {"дилер"})->id, 3);
    EXPECT_EQ(ChoosePriceList(lists, "RUB", {"дизайнер"})->id, 2);
    EXPECT_EQ(ChoosePriceList(lists, "EUR", {"дилер"})->id, 4);
    EXPECT_FALSE(ChoosePriceList(lists, "USD", {}).has_value());
}

TEST(DiscountLimit, DecidersHaveNoneOthersTenPercent) {
    EXPECT_FALSE(DefaultDiscountLimit(true).has_value());
    EXPECT_EQ(DefaultDiscountLimit(false), 1'000);
    EXPECT_TRUE(WithinLimit(1'000, 1'000));
    EXPECT_FALSE(WithinLimit(1'001, 1'000));
    EXPECT_TRUE(WithinLimit(10'000, std::nullopt));
}

Approval Row(core::Id id, ApprovalStatus status, int bp, std::optional<int> limit = 1'000) {
    Approval a;
    a.id = id;
    a.status = status;
    a.discount_bp = bp;
    a.limit_bp = limit;
    return a;
}

TEST(Approval, AboveTheLimitAsksAndAPendingRequestFollowsTheDeal) {
    using K = ApprovalChange::Kind;
    const ApprovalState none;
    EXPECT_EQ(OnLinesSaved({800}, 800, 1'000, none).kind, K::kNone) << "within the limit";
    auto asked = OnLinesSaved({1'500}, 1'500, 1'000, none);
    EXPECT_EQ(asked.kind, K::kRequest);
    EXPECT_EQ(asked.discount_bp, 1'500);
    EXPECT_EQ(OnLinesSaved({1'500}, 1'500, std::nullopt, none).kind, K::kNone) << "the head has no limit";
    const ApprovalState pending = StateOf({Row(1, ApprovalStatus::kPending, 1'500)});
    EXPECT_TRUE(BlocksClosing(pending));
    auto raised = OnLinesSaved({2'000}, 2'000, 1'000, pending);
    EXPECT_EQ(raised.kind, K::kRaise);
    EXPECT_EQ(raised.discount_bp, 2'000);
    EXPECT_EQ(OnLinesSaved({1'200}, 1'500, 1'000, pending).kind, K::kNone) << "the request already covers it";
    EXPECT_EQ(OnLinesSaved({800}, 800, 1'000, pending).kind, K::kWithdraw) << "back within the limit";
    EXPECT_EQ(OnLinesSaved({}, 0, 1'000, pending).kind, K::kWithdraw) << "the line went away";
}

TEST(Approval, ApprovedCoversUpToItsPercentAndRejectedBlocksUntilLoweredOrAskedAgain) {
    using K = ApprovalChange::Kind;
    const ApprovalState approved = StateOf({Row(1, ApprovalStatus::kApproved, 1'500)});
    EXPECT_FALSE(BlocksClosing(approved));
    EXPECT_EQ(approved.approved_bp, 1'500);
    EXPECT_EQ(OnLinesSaved({1'400}, 1'400, 1'000, approved).kind, K::kNone);
    EXPECT_EQ(OnLinesSaved({1'600}, 1'600, 1'000, approved).kind, K::kRequest);
    const ApprovalState rejected =
        StateOf({Row(1, ApprovalStatus::kApproved, 1'200), Row(2, ApprovalStatus::kRejected, 2'000)});
    EXPECT_TRUE(BlocksClosing(rejected));
    EXPECT_EQ(rejected.current->id, 2);
    EXPECT_EQ(OnLinesSaved({1'100}, 1'100, 1'000, rejected).kind, K::kWithdraw) << "within the approved 12 %";
    EXPECT_EQ(OnLinesSaved({1'800}, 1'800, 1'000, rejected).kind, K::kRequest) << "a new percent asks again";
    EXPECT_TRUE(MayRequest(2'000, 1'000, rejected));
    EXPECT_FALSE(MayRequest(2'000, 1'000, StateOf({Row(3, ApprovalStatus::kPending, 2'000)})));
    EXPECT_FALSE(MayRequest(900, 1'000, rejected));
    // A withdrawn row is history: the state is the one before it.
    const ApprovalState withdrawn =
        StateOf({Row(1, ApprovalStatus::kApproved, 1'200), Row(2, ApprovalStatus::kWithdrawn, 2'000)});
    EXPECT_EQ(withdrawn.current->id, 1);
    EXPECT_FALSE(BlocksClosing(withdrawn));
}

TEST(ValidateScheme, KindRulesAndDates) {
    auto v = Volume(0, {{5'000, 300}, {5'000, 500}});
    v.name = "x";
    EXPECT_EQ(ValidateScheme(v).at(0).code, "not_ascending");
    auto p = Promo(0, "2027-03-10", "2027-03-01", 500);
    EXPECT_EQ(ValidateScheme(p).at(0).field, "valid_to");
    auto s = Segment(0, "", 500);
    EXPECT_EQ(ValidateScheme(s).at(0).field, "client_segment");
    s.kind = "lottery";
    EXPECT_EQ(ValidateScheme(s).at(0).code, "not_one_of");
}

}  // namespace
}  // namespace otdel::catalog
