// Pure routing rules: matching, the three strategies and their fairness, eligibility reasons, validation.
#include <gtest/gtest.h>

#include <map>

#include "routing/routing.hpp"

namespace otdel::routing {
namespace {

std::vector<Candidate> Three() {
    return {{1, "Иванова"}, {2, "Петров"}, {3, "Сидорова"}};
}

Rule RoundRobin() {
    Rule r;
    r.id = 7;
    r.position = 1;
    r.name = "Сайт";
    r.department_id = 1;
    r.strategy = Strategy::kRoundRobin;
    return r;
}

// Runs `n` leads through Choose, keeping the cursor and counters as the service does; returns leads per person.
std::map<core::Id, int> Deal(const Rule& rule, std::vector<Candidate>& people, int n, std::optional<core::Id>& cursor) {
    std::map<core::Id, int> got;
    for (int i = 0; i < n; ++i) {
        Pick p = Choose(rule, people, cursor);
        if (!p.user_id) continue;
        ++got[*p.user_id];
        cursor = p.user_id;
        for (auto& c : people)
            if (c.user_id == *p.user_id) {
                ++c.assigned_by_rule;
                ++c.open_leads;
            }
    }
    return got;
}

TEST(RoutingMatch, EmptyConditionsMatchEverything) {
    EXPECT_TRUE(Matches({}, LeadFacts{}));
}

TEST(RoutingMatch, EachConditionNarrowsAndListsAreAlternatives) {
    Conditions c;
    c.channels = {"form", "telegram"};
    c.regions = {"Москва"};
    c.products = {"кухн"};
    c.client_type = "new";
    c.min_priority = 40;
    c.custom = {{"budget_band", "high"}};
    LeadFacts l;
    l.channel = "telegram";
    l.region = "МОСКВА";
    l.product = "Кухня угловая";
    l.priority = 55;
    l.custom = {{"budget_band", "High"}};
    EXPECT_TRUE(Matches(c, l));
    auto with = [&](auto change) {
        LeadFacts x = l;
        change(x);
        return Matches(c, x);
    };
    EXPECT_FALSE(with([](LeadFacts& x) { x.channel = "phone"; }));
    EXPECT_FALSE(with([](LeadFacts& x) { x.region = "Казань"; }));
    EXPECT_FALSE(with([](LeadFacts& x) { x.product = "Шкаф-купе"; }));
    EXPECT_FALSE(with([](LeadFacts& x) { x.known_client = true; }));
    EXPECT_FALSE(with([](LeadFacts& x) { x.priority = 39; }));
    EXPECT_FALSE(with([](LeadFacts& x) { x.custom.clear(); }));
}

TEST(RoutingMatch, FormsAndKnownClients) {
    Conditions c;
    c.form_ids = {5};
    c.client_type = "known";
    LeadFacts l;
    l.form_id = 5;
    l.known_client = true;
    EXPECT_TRUE(Matches(c, l));
    l.form_id.reset();
    EXPECT_FALSE(Matches(c, l));
}

TEST(RoutingMatch, FirstActiveMatchingRuleByPositionWins) {
    Rule a = RoundRobin(), b = RoundRobin(), c = RoundRobin();
    a.id = 1, a.position = 1, a.when.channels = {"phone"};
    b.id = 2, b.position = 2, b.active = false;
    c.id = 3, c.position = 3;
    std::vector<int> unmatched;
    LeadFacts l;
    l.channel = "form";
    const Rule* r = FirstMatch({a, b, c}, l, &unmatched);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->id, 3);
    EXPECT_EQ(unmatched, std::vector<int>({1}));
    l.channel = "phone";
    EXPECT_EQ(FirstMatch({a, b, c}, l)->id, 1);
}

TEST(RoutingStrategy, RoundRobinGivesThreeHundredLeadsAsOneHundredEach) {
    auto people = Three();
    std::optional<core::Id> cursor;
    auto got = Deal(RoundRobin(), people, 300, cursor);
    EXPECT_EQ(got[1], 100);
    EXPECT_EQ(got[2], 100);
    EXPECT_EQ(got[3], 100);
}

TEST(RoutingStrategy, RoundRobinContinuesFromTheStoredCursorAfterARestart) {
    // The cursor is all the state: a restart that reloads it continues the rotation where it stopped.
    auto people = Three();
    std::optional<core::Id> cursor;
    auto first = Deal(RoundRobin(), people, 151, cursor);
    std::optional<core::Id> reloaded = cursor;  // what the database gives back
    auto second = Deal(RoundRobin(), people, 149, reloaded);
    for (core::Id id : {1, 2, 3}) EXPECT_EQ(first[id] + second[id], 100) << id;
}

TEST(RoutingStrategy, RoundRobinSkipsSomeoneAwayAndSharesFairlyAmongTheOthers) {
    auto people = Three();
    people[1].absence_kind = "vacation";
    std::optional<core::Id> cursor;
    auto away = Deal(RoundRobin(), people, 150, cursor);
    EXPECT_EQ(away[1], 75);
    EXPECT_EQ(away[2], 0);
    EXPECT_EQ(away[3], 75);
    people[1].absence_kind.reset();
    auto back = Deal(RoundRobin(), people, 150, cursor);
    EXPECT_EQ(back[1], 50);
    EXPECT_EQ(back[2], 50);
    EXPECT_EQ(back[3], 50);
}

TEST(RoutingStrategy, EveryIneligiblePersonIsListedWithTheReason) {
    auto people = Three();
    people.push_back({4, "Орлов"});
    people.push_back({5, "Лебедева"});
    people[0].absence_kind = "vacation";
    people[1].working_now = false;
    people[2].employed = false;
    people[3].open_leads = 10;
    Rule r = RoundRobin();
    r.max_open_per_person = 10;
    Pick p = Choose(r, people, std::nullopt);
    ASSERT_TRUE(p.user_id);
    EXPECT_EQ(*p.user_id, 5);
    ASSERT_EQ(p.skipped.size(), 4u);
    // First those ineligible without a calendar, then the off-shift one the rotation preferred to the pick.
    EXPECT_EQ(p.skipped[0].reason, "absent");
    EXPECT_EQ(p.skipped[0].param, "vacation");
    EXPECT_EQ(p.skipped[1].reason, "dismissed");
    EXPECT_EQ(p.skipped[2].reason, "at_cap");
    EXPECT_EQ(p.skipped[2].param, "10");
    EXPECT_EQ(p.skipped[3].reason, "off_shift");
    EXPECT_EQ(p.skipped[3].user_id, 2);
}

TEST(RoutingStrategy, CalendarsAreAskedOnlyUntilTheFirstPreferredPersonAtWork) {
    std::vector<Candidate> people;
    for (int i = 1; i <= 2000; ++i) people.push_back({i, "P" + std::to_string(i)});
    int asked = 0;
    const WorkingNow at_work = [&](const Candidate& c) {
        ++asked;
        return c.user_id != 11;  // number 11 is off shift
    };
    Pick p = Choose(RoundRobin(), people, 10, {}, at_work);
    EXPECT_EQ(p.user_id, std::optional<core::Id>(12));
    EXPECT_EQ(asked, 2);
    ASSERT_EQ(p.skipped.size(), 1u);
    EXPECT_EQ(p.skipped[0].reason, "off_shift");
    Rule least = RoundRobin();
    least.strategy = Strategy::kLeastLoaded;
    people[1499].open_leads = -1;  // the least loaded by far
    asked = 0;
    EXPECT_EQ(Choose(least, people, std::nullopt, {}, at_work).user_id, std::optional<core::Id>(1500));
    EXPECT_EQ(asked, 1);
}

TEST(RoutingStrategy, OffShiftPeopleGetLeadsOnlyWhenTheRuleSaysSo) {
    auto people = Three();
    for (auto& c : people) c.working_now = false;
    Rule r = RoundRobin();
    EXPECT_FALSE(Choose(r, people, std::nullopt).user_id);
    r.assign_off_shift = true;
    EXPECT_EQ(Choose(r, people, std::nullopt).user_id, std::optional<core::Id>(1));
}

TEST(RoutingStrategy, NobodyEligibleGivesNoPick) {
    auto people = Three();
    for (auto& c : people) c.absence_kind = "sick_leave";
    Pick p = Choose(RoundRobin(), people, std::nullopt);
    EXPECT_FALSE(p.user_id);
    EXPECT_EQ(p.skipped.size(), 3u);
    EXPECT_FALSE(Choose(RoundRobin(), {}, std::nullopt).user_id);
}

TEST(RoutingStrategy, ExcludedPersonIsSkippedOnABreach) {
    auto people = Three();
    Pick p = Choose(RoundRobin(), people, 1, {2});
    EXPECT_EQ(p.user_id, std::optional<core::Id>(3));
    EXPECT_EQ(p.skipped.front().reason, "excluded");
}

TEST(RoutingStrategy, LeastLoadedPicksTheFewestOpenLeadsAndRotatesOnTies) {
    auto people = Three();
    people[0].open_leads = 5;
    people[1].open_leads = 2;
    people[2].open_leads = 2;
    Rule r = RoundRobin();
    r.strategy = Strategy::kLeastLoaded;
    EXPECT_EQ(Choose(r, people, std::nullopt).user_id, std::optional<core::Id>(2));
    EXPECT_EQ(Choose(r, people, 2).user_id, std::optional<core::Id>(3));
    std::optional<core::Id> cursor;
    auto got = Deal(r, people, 9, cursor);
    // 5, 2, 2 + 9 = 18 open leads: six each.
    EXPECT_EQ(got[1], 1);
    EXPECT_EQ(got[2], 4);
    EXPECT_EQ(got[3], 4);
}

TEST(RoutingStrategy, WeightedSharesFollowTheWeightsExactly) {
    auto people = Three();
    people[0].weight = 3;
    people[1].weight = 2;
    people[2].weight = 1;
    Rule r = RoundRobin();
    r.strategy = Strategy::kWeighted;
    std::optional<core::Id> cursor;
    auto got = Deal(r, people, 600, cursor);
    EXPECT_EQ(got[1], 300);
    EXPECT_EQ(got[2], 200);
    EXPECT_EQ(got[3], 100);
}

TEST(RoutingRuleValidation, RejectsBadRulesWithTheField) {
    Rule r;
    r.sla_minutes = 0;
    r.escalate_after = -1;
    r.max_open_per_person = 0;
    r.members = {{5, 1}, {5, 0}};
    r.when.channels = {"pigeon"};
    r.when.min_priority = 80;
    r.when.max_priority = 20;
    std::map<std::string, std::string> codes;
    for (const auto& e : ValidateRule(r)) codes[e.field] = e.code;
    EXPECT_EQ(codes["name"], "required");
    EXPECT_EQ(codes["sla_minutes"], "out_of_range");
    EXPECT_EQ(codes["escalate_after"], "out_of_range");
    EXPECT_EQ(codes["max_open_per_person"], "out_of_range");
    EXPECT_EQ(codes["members/1/user_id"], "duplicate");
    EXPECT_EQ(codes["members/1/weight"], "out_of_range");
    EXPECT_EQ(codes["when/channels/0"], "not_one_of");
    EXPECT_EQ(codes["when/max_priority"], "invalid_range");
    Rule negative = RoundRobin();
    negative.sla_minutes = -5;
    EXPECT_EQ(ValidateRule(negative).size(), 1u);
    Rule no_pool = RoundRobin();
    no_pool.department_id.reset();
    ASSERT_EQ(ValidateRule(no_pool).size(), 1u);
    EXPECT_EQ(ValidateRule(no_pool)[0].code, "pool_empty");
    EXPECT_TRUE(ValidateRule(RoundRobin()).empty());
}

TEST(RoutingExplain, NamesTheRuleTheStrategyThePickAndWhoWasSkipped) {
    Decision d;
    d.rule_id = 7;
    d.rule_position = 3;
    d.rule_name = "Сайт";
    d.user_id = 2;
    d.skipped = {{1, "Иванова", "absent", "vacation"}};
    EXPECT_EQ(Explain(d, {{2, "Петров"}}), "rule 3 «Сайт», round_robin → Петров; skipped: Иванова (absent: vacation)");
    d.user_id.reset();
    EXPECT_NE(Explain(d, {}).find("queue"), std::string::npos);
    EXPECT_EQ(Explain(Decision{}, {}), "no rule matched");
}

}  // namespace
}  // namespace otdel::routing
