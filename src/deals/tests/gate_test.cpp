// The stage gate, idleness and stage validation as pure rules (DEAL-2, DEAL-10).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "deals/deal.hpp"

namespace otdel::deals {
namespace {

using core::kDay;

Stage Gated() {
    Stage s;
    s.id = 5;
    s.name = "Договор";
    s.kind = "open";
    s.probability = 90;
    s.required_fields = {"amount", "company.inn"};
    s.checklist = {{"c1", "Замер подписан"}, {"c2", "Предоплата"}};
    return s;
}

TEST(Gate, ListsEveryMissingFieldThenCustomThenChecklistInOrder) {
    GateFacts facts;
    facts.filled = {"company"};
    facts.ticked = {"c2"};
    const auto gaps = CheckGate(Gated(), facts, {"company.custom.budget"});
    ASSERT_EQ(gaps.size(), 4u);
    EXPECT_EQ(gaps[0].field, "amount");
    EXPECT_EQ(gaps[0].code, "gate_required");
    EXPECT_EQ(gaps[1].field, "company.inn");
    EXPECT_EQ(gaps[2].field, "company.custom.budget");
    EXPECT_EQ(gaps[3].field, "checklist/c1");
    EXPECT_EQ(gaps[3].code, "gate_unchecked");
    EXPECT_EQ(gaps[3].label, "Замер подписан");
}

TEST(Gate, OpensWhenEverythingIsThere) {
    GateFacts facts;
    facts.filled = {"amount", "company", "company.inn", "company.custom.budget"};
    facts.ticked = {"c1", "c2"};
    EXPECT_TRUE(CheckGate(Gated(), facts, {"company.custom.budget"}).empty());
}

TEST(Gate, AFieldRequiredTwiceIsNamedOnce) {
    const auto gaps = CheckGate(Gated(), GateFacts{}, {"amount"});
    EXPECT_EQ(std::count_if(gaps.begin(), gaps.end(), [](const GateGap& g) { return g.field == "amount"; }), 1);
}

TEST(Gate, LosingNeedsNothingButTheReason) {
    Stage lost = Gated();
    lost.kind = "lost";
    lost.probability = 0;
    EXPECT_TRUE(CheckGate(lost, GateFacts{}, {"company.custom.budget"}).empty());
}

TEST(Idle, CountsWholeDaysSinceTheLastActivityForOpenDealsOnly) {
    Stage s = Gated();
    s.idle_days = 7;
    const core::Millis last = 1'000'000'000'000;
    EXPECT_FALSE(IsIdle(s, "open", last, last + 7 * kDay - 1));
    EXPECT_TRUE(IsIdle(s, "open", last, last + 7 * kDay));
    EXPECT_FALSE(IsIdle(s, "won", last, last + 30 * kDay));
    s.idle_days.reset();
    EXPECT_FALSE(IsIdle(s, "open", last, last + 300 * kDay));
}

TEST(GateFields, KnowsBuiltinsAndCustomCodes) {
    EXPECT_TRUE(IsGateField("amount"));
    EXPECT_TRUE(IsGateField("contact.email"));
    EXPECT_TRUE(IsGateField("company.custom.budget_2"));
    EXPECT_FALSE(IsGateField("company.custom."));
    EXPECT_FALSE(IsGateField("company.custom.Budget"));
    EXPECT_FALSE(IsGateField("deal.custom.x"));
    EXPECT_FALSE(IsGateField("password_hash"));
    EXPECT_EQ(GateFieldLabel("company.inn", core::Lang::kRu), "ИНН компании");
    EXPECT_EQ(GateFieldLabel("company.inn", core::Lang::kEn), "Company INN");
}

TEST(StageValidation, RefusesWhatASettingsScreenCouldSendWrong) {
    Stage s = Gated();
    EXPECT_TRUE(ValidateStage(s).ok());
    s.name.clear();
    s.probability = 101;
    s.kind = "maybe";
    s.idle_days = 0;
    s.required_fields = {"amount", "amount", "salary"};
    s.checklist = {{"c1", ""}, {"c1", "x"}};
    auto r = ValidateStage(s);
    ASSERT_FALSE(r.ok());
    std::set<std::string> fields;
    for (const auto& e : r.error().fields) fields.insert(e.field + ":" + e.code);
    EXPECT_TRUE(fields.count("name:required"));
    EXPECT_TRUE(fields.count("probability:out_of_range"));
    EXPECT_TRUE(fields.count("kind:not_one_of"));
    EXPECT_TRUE(fields.count("idle_days:out_of_range"));
    EXPECT_TRUE(fields.count("required_fields/1:not_unique"));
    EXPECT_TRUE(fields.count("required_fields/2:invalid"));
    EXPECT_TRUE(fields.count("checklist/0/label:required"));
    EXPECT_TRUE(fields.count("checklist/1/code:not_unique"));
}

TEST(StageValidation, WonIsCertainAndLostIsNot) {
    Stage won;
    won.name = "Успешно";
    won.kind = "won";
    won.probability = 80;
    EXPECT_FALSE(ValidateStage(won).ok());
    won.probability = 100;
    EXPECT_TRUE(ValidateStage(won).ok());
    won.is_decision = true;
    EXPECT_FALSE(ValidateStage(won).ok()) << "the 72-hour window starts in an open stage";
}

TEST(PaymentWindow, StartsAtTheDecisionAndEndsWithTheDealOrAStepBack) {
    Stage decision = Gated();
    decision.position = 3;
    decision.is_decision = true;
    Stage contract = Gated();
    contract.position = 4;
    Stage measurement = Gated();
    measurement.position = 1;
    Stage won = Gated();
    won.kind = "won";
    EXPECT_EQ(PaymentWindowOnEntry(decision, false, 3), WindowChange::kStart);
    EXPECT_EQ(PaymentWindowOnEntry(decision, true, 3), WindowChange::kKeep) << "re-entering keeps the first window";
    EXPECT_EQ(PaymentWindowOnEntry(contract, true, 3), WindowChange::kKeep);
    EXPECT_EQ(PaymentWindowOnEntry(measurement, true, 3), WindowChange::kClear);
    EXPECT_EQ(PaymentWindowOnEntry(won, true, 3), WindowChange::kClear);
    EXPECT_EQ(PaymentWindowOnEntry(won, true, 3, true), WindowChange::kKeep) << "won, but its invoices are unpaid";
    EXPECT_EQ(PaymentWindowOnEntry(won, false, 3, true), WindowChange::kKeep);
    EXPECT_EQ(PaymentWindowOnEntry(measurement, false, std::nullopt), WindowChange::kKeep);
}

TEST(Checklist, GeneratedCodesSkipTakenOnes) {
    std::vector<ChecklistItem> items = {{"", "a"}, {"c2", "b"}, {"", "c"}};
    AssignChecklistCodes(items);
    EXPECT_EQ(items[0].code, "c1");
    EXPECT_EQ(items[1].code, "c2");
    EXPECT_EQ(items[2].code, "c3");
}

TEST(StandardStages, HaveOneWonOneLostAndADecisionStage) {
    const auto stages = StandardStages(core::Lang::kRu);
    int won = 0, lost = 0, decision = 0;
    for (const auto& s : stages) {
        EXPECT_TRUE(ValidateStage(s).ok()) << s.name;
        won += s.kind == "won";
        lost += s.kind == "lost";
        decision += s.is_decision;
    }
    EXPECT_EQ(won, 1);
    EXPECT_EQ(lost, 1);
    EXPECT_EQ(decision, 1);
    EXPECT_EQ(StandardStages(core::Lang::kEn)[0].name, "New request");
}

}  // namespace
}  // namespace otdel::deals
