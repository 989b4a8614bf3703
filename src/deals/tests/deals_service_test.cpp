// DealsService on both engines: default pipeline, visibility of deals by role (own, team, all, read_all, no
// rights), the stage gate on every path (move, create, update), loss reasons, the board's totals and idle flags,
// stage settings that keep a pipeline whole, the hand-off's deal, the dismissal handover. Audit rows checked.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "clients/clients_service.hpp"
#include "deals/deals_service.hpp"
#include "jobs/scheduler.hpp"

#include <random>
#include <thread>
#include "leads/tests/lead_fixture.hpp"

namespace otdel::deals {
namespace {

using core::kDay;
using leads::testing::LeadsFixture;

class DealsServiceTest : public LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        clients_ = std::make_unique<clients::ClientsService>(tdb_.db(), clock_);
        deals_ = std::make_unique<DealsService>(tdb_.db(), clock_);
        registry_.Add(*deals_);
        sales_ = Dept("Продажи", std::nullopt);
        team_ = Dept("Команда А", sales_);
        other_ = Dept("Команда Б", sales_);
        seller1_ = Person("s1@kuhni.test", "key_account_manager", team_);
        seller2_ = Person("s2@kuhni.test", "key_account_manager", team_);
        outsider_ = Person("s3@kuhni.test", "key_account_manager", other_);
        supervisor_ = Person("sup@kuhni.test", "supervisor", team_);
        rop_ = Person("rop@kuhni.test", "head_of_sales", sales_);
        analyst_ = Person("an@kuhni.test", "sales_analyst", sales_);
        support_ = Person("sup2@kuhni.test", "support_specialist", sales_);
        auto p = deals_->ListPipelines(As(rop_), false);
        ASSERT_TRUE(p.ok());
        pipeline_ = p->front();
    }
    core::Id NewDeal(core::Id owner, const std::string& title, std::int64_t amount = 0) {
        DealInput in;
        in.title = title;
        in.amount_minor = amount;
        auto d = deals_->Create(As(owner), in);
        EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message_key);
        return d.ok() ? d->id : 0;
    }
    core::Id NewDealAs(core::Id owner, const DealInput& in) {
        auto d = deals_->Create(As(owner), in);
        EXPECT_TRUE(d.ok());
        return d.ok() ? d->id : 0;
    }
    std::set<core::Id> Visible(core::Id user) {
        DealQuery q;
        q.status = "all";
        q.limit = 200;
        auto page = deals_->List(As(user), q);
        std::set<core::Id> ids;
        if (page.ok())
            for (const auto& d : page->items) ids.insert(d.id);
        return ids;
    }
    const Stage& StageAt(int position) { return pipeline_.stages.at(static_cast<std::size_t>(position)); }
    const Stage& Kind(const std::string& kind) {
        for (const auto& s : pipeline_.stages)
            if (s.kind == kind) return s;
        throw std::logic_error(kind);
    }
    core::Id Company(core::Id owner, const std::optional<std::string>& inn) {
        clients::CompanyInput in;
        in.name = "ООО Ромашка " + std::to_string(++companies_);
        if (inn) {
            in.set_inn = true;
            in.inn = inn;
        }
        auto c = clients_->CreateCompany(As(owner), in);
        EXPECT_TRUE(c.ok());
        return c.ok() ? c->company.id : 0;
    }

    std::unique_ptr<clients::ClientsService> clients_;
    std::unique_ptr<DealsService> deals_;
    Pipeline pipeline_;
    int companies_ = 0;
    core::Id sales_ = 0, team_ = 0, other_ = 0, seller1_ = 0, seller2_ = 0, outsider_ = 0, supervisor_ = 0, rop_ = 0,
             analyst_ = 0, support_ = 0;
};

TEST_P(DealsServiceTest, AWorkspaceGetsOneDefaultPipelineAndLossReasonsOnce) {
    EXPECT_EQ(pipeline_.stages.size(), 7u);
    EXPECT_TRUE(pipeline_.is_default);
    auto again = deals_->ListPipelines(As(seller1_), false);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->size(), 1u);
    auto reasons = deals_->ListLossReasons(As(seller1_), false);
    ASSERT_TRUE(reasons.ok());
    EXPECT_EQ(reasons->size(), StandardLossReasons().size());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM pipelines"), 1);
}

TEST_P(DealsServiceTest, VisibilityFollowsTheTree) {
    const core::Id a = NewDeal(seller1_, "Кухня");
    const core::Id b = NewDeal(seller2_, "Шкаф");
    const core::Id c = NewDeal(outsider_, "Стол");
    EXPECT_EQ(Visible(seller1_), (std::set<core::Id>{a}));
    EXPECT_EQ(Visible(supervisor_), (std::set<core::Id>{a, b}));
    EXPECT_EQ(Visible(rop_), (std::set<core::Id>{a, b, c}));
    EXPECT_EQ(Visible(analyst_), (std::set<core::Id>{a, b, c}));
    // By id outside visibility: 404, for reads and writes alike.
    EXPECT_EQ(deals_->Get(As(seller1_), b).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(deals_->MoveStage(As(seller1_), b, StageAt(1).id, std::nullopt, "").error().code,
              core::ErrorCode::kNotFound);
    // read_all reads, never writes.
    EXPECT_TRUE(deals_->Get(As(analyst_), a).ok());
    DealInput rename;
    rename.title = "Другое";
    EXPECT_EQ(deals_->Update(As(analyst_), a, rename).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(deals_->Get(As(seller1_), a)->title, "Кухня");
    // A role without deal rights sees no deals and creates none.
    EXPECT_EQ(deals_->List(As(support_), DealQuery{}).error().code, core::ErrorCode::kForbidden);
    DealInput in;
    in.title = "x";
    EXPECT_EQ(deals_->Create(As(support_), in).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deals"), 3);
}

TEST_P(DealsServiceTest, GivingADealAwayNeedsTheAssignRightAndStaysInsideTheSubtree) {
    const core::Id a = NewDeal(seller1_, "Кухня");
    DealInput give;
    give.set_owner = true;
    give.owner_user_id = seller2_;
    EXPECT_EQ(deals_->Update(As(seller1_), a, give).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(*deals_->Get(As(rop_), a)->owner_user_id, seller1_);
    auto moved = deals_->Update(As(rop_), a, give);
    ASSERT_TRUE(moved.ok());
    EXPECT_EQ(*moved->owner_user_id, seller2_);
    give.owner_user_id = 999999;
    auto bad = deals_->Update(As(rop_), a, give);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().fields.at(0).field, "owner_user_id");
}

TEST_P(DealsServiceTest, TheGateListsWhatIsMissingAndOpensWhenItIsThere) {
    const Stage& contract = StageAt(4);
    StagePatch gate;
    gate.required_fields = std::vector<std::string>{"amount", "company.inn"};
    gate.checklist = std::vector<ChecklistItem>{{"", "Замер подписан"}};
    auto gated = deals_->UpdateStage(As(rop_), contract.id, gate);
    ASSERT_TRUE(gated.ok());
    const std::string code = gated->checklist.at(0).code;
    const core::Id id = NewDeal(seller1_, "Кухня");

    auto refused = deals_->MoveStage(As(seller1_), id, contract.id, std::nullopt, "");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(refused.error().message_key, "deals.gate_blocked");
    ASSERT_EQ(refused.error().fields.size(), 3u);
    EXPECT_EQ(refused.error().fields[0].field, "amount");
    EXPECT_EQ(refused.error().fields[0].param, "Сумма сделки");
    EXPECT_EQ(refused.error().fields[1].field, "company.inn");
    EXPECT_EQ(refused.error().fields[2].field, "checklist/" + code);
    EXPECT_EQ(refused.error().fields[2].param, "Замер подписан");
    EXPECT_EQ(deals_->Get(As(seller1_), id)->stage_id, StageAt(0).id) << "nothing changed";

    DealInput fill;
    fill.amount_minor = 41'200'000;
    fill.set_company = true;
    fill.company_id = Company(seller1_, "7707083893");
    ASSERT_TRUE(deals_->Update(As(seller1_), id, fill).ok());
    ASSERT_TRUE(deals_->SetChecklist(As(seller1_), id, {{code, true}}).ok());
    auto moved = deals_->MoveStage(As(seller1_), id, contract.id, std::nullopt, "");
    ASSERT_TRUE(moved.ok()) << moved.error().message_key;
    EXPECT_EQ(moved->stage_id, contract.id);
    EXPECT_EQ(moved->status, "open");

    auto history = deals_->History(As(seller1_), id);
    ASSERT_TRUE(history.ok());
    ASSERT_EQ(history->size(), 2u);
    EXPECT_EQ(*history->at(1).from_stage_id, StageAt(0).id);
    EXPECT_EQ(history->at(1).to_stage_id, contract.id);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'deal.stage'"), 1);

    // While it stands there, the fields stay required (the gate holds for edits too).
    DealInput clear;
    clear.amount_minor = 0;
    auto cleared = deals_->Update(As(seller1_), id, clear);
    ASSERT_FALSE(cleared.ok());
    EXPECT_EQ(cleared.error().fields.at(0).field, "amount");
    EXPECT_EQ(deals_->Get(As(seller1_), id)->amount_minor, 41'200'000);
}

TEST_P(DealsServiceTest, CreatingStraightIntoAGatedStageIsCheckedToo) {
    StagePatch gate;
    gate.required_fields = std::vector<std::string>{"expected_close_date"};
    ASSERT_TRUE(deals_->UpdateStage(As(rop_), StageAt(2).id, gate).ok());
    DealInput in;
    in.title = "Кухня";
    in.stage_id = StageAt(2).id;
    auto r = deals_->Create(As(seller1_), in);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields.at(0).field, "expected_close_date");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deals"), 0);
    in.set_close = true;
    in.expected_close_date = "2026-04-01";
    EXPECT_TRUE(deals_->Create(As(seller1_), in).ok());
}

TEST_P(DealsServiceTest, ACustomFieldRequiredFromAStageGuardsThatStageAndLaterOnes) {
    ASSERT_TRUE(tdb_.db()
                    .InTx([&](soci::session& sql) -> core::Result<void> {
                        long long ws = ws_, stage = StageAt(2).id;
                        sql << "INSERT INTO custom_fields (workspace_id, entity, code, label_ru, label_en, kind, "
                               "required_from_stage_id, created_at, updated_at) VALUES (:ws, 'company', 'budget', "
                               "'Бюджет', 'Budget', 'text', :stage, 0, 0)",
                            soci::use(ws, "ws"), soci::use(stage, "stage");
                        return core::Ok();
                    })
                    .ok());
    const core::Id id = NewDeal(seller1_, "Кухня");
    EXPECT_TRUE(deals_->MoveStage(As(seller1_), id, StageAt(1).id, std::nullopt, "").ok());
    auto r = deals_->MoveStage(As(seller1_), id, StageAt(3).id, std::nullopt, "");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields.at(0).field, "company.custom.budget");
    EXPECT_EQ(r.error().fields.at(0).param, "Бюджет");
}

TEST_P(DealsServiceTest, LosingNeedsALiveReasonAndWinningClosesTheDeal) {
    const core::Id id = NewDeal(seller1_, "Кухня", 100);
    auto no_reason = deals_->MoveStage(As(seller1_), id, Kind("lost").id, std::nullopt, "");
    ASSERT_FALSE(no_reason.ok());
    EXPECT_EQ(no_reason.error().fields.at(0).field, "loss_reason_id");
    auto reasons = deals_->ListLossReasons(As(rop_), false);
    ASSERT_TRUE(deals_->UpdateLossReason(As(rop_), reasons->at(0).id, std::nullopt, std::nullopt, true).ok());
    auto archived = deals_->MoveStage(As(seller1_), id, Kind("lost").id, reasons->at(0).id, "");
    ASSERT_FALSE(archived.ok());
    EXPECT_EQ(archived.error().fields.at(0).code, "invalid");

    auto lost = deals_->MoveStage(As(seller1_), id, Kind("lost").id, reasons->at(1).id, "Дорого для них");
    ASSERT_TRUE(lost.ok());
    EXPECT_EQ(lost->status, "lost");
    EXPECT_EQ(*lost->loss_reason_id, reasons->at(1).id);
    EXPECT_TRUE(lost->closed_at.has_value());
    auto reopened = deals_->MoveStage(As(seller1_), id, StageAt(1).id, std::nullopt, "");
    ASSERT_TRUE(reopened.ok());
    EXPECT_EQ(reopened->status, "open");
    EXPECT_FALSE(reopened->closed_at.has_value());
    EXPECT_FALSE(reopened->loss_reason_id.has_value());
    auto won = deals_->MoveStage(As(seller1_), id, Kind("won").id, std::nullopt, "");
    ASSERT_TRUE(won.ok());
    EXPECT_EQ(won->status, "won");
}

TEST_P(DealsServiceTest, TheBoardCountsAndSumsPerStageAndFlagsIdleDeals) {
    NewDeal(seller1_, "Кухня 1", 10'000'00);
    NewDeal(seller1_, "Кухня 2", 25'000'00);
    const core::Id moved = NewDeal(seller2_, "Шкаф", 7'000'00);
    ASSERT_TRUE(deals_->MoveStage(As(seller2_), moved, StageAt(1).id, std::nullopt, "").ok());
    NewDeal(outsider_, "Стол", 1'00);

    auto board = deals_->BoardOf(As(supervisor_), pipeline_.id, std::nullopt, std::nullopt, 1);
    ASSERT_TRUE(board.ok());
    ASSERT_EQ(board->columns.size(), pipeline_.stages.size());
    const auto& first = board->columns[0];
    EXPECT_EQ(first.count, 2) << "the outsider's deal is not the supervisor's";
    ASSERT_EQ(first.totals.size(), 1u);
    EXPECT_EQ(first.totals[0].first, "RUB");
    EXPECT_EQ(first.totals[0].second, 35'000'00);
    EXPECT_EQ(first.items.size(), 1u) << "a page of one";
    EXPECT_TRUE(first.next_cursor.has_value());
    EXPECT_EQ(board->columns[1].count, 1);
    EXPECT_FALSE(first.items[0].idle);

    // The new-request stage goes idle after 3 days without activity.
    clock_.Advance(4 * kDay);
    board = deals_->BoardOf(As(supervisor_), pipeline_.id, std::nullopt, std::nullopt, 10);
    EXPECT_TRUE(board->columns[0].items[0].idle);
    DealQuery idle;
    idle.idle_only = true;
    auto idle_list = deals_->List(As(rop_), idle);
    ASSERT_TRUE(idle_list.ok());
    EXPECT_EQ(idle_list->items.size(), 3u) << "the three deals standing in the 3-day stage";
    DealQuery q;
    q.q = "КУХНЯ";
    EXPECT_EQ(deals_->List(As(rop_), q)->items.size(), 2u) << "the text filter ignores case, Cyrillic too";
}

TEST_P(DealsServiceTest, TheBoardsOneStatementPagesEqualEachColumnsOwnList) {
    // Three owners over three stages, newest first per column, each caller's visibility and the text filter: the
    // one windowed statement must answer exactly what a list of that stage answers.
    std::vector<core::Id> owners{seller1_, seller2_, outsider_};
    for (int i = 0; i < 18; ++i) {
        const core::Id id = NewDeal(owners[static_cast<std::size_t>(i % 3)],
                                    (i % 2 ? "Кухня " : "Шкаф ") + std::to_string(i), 1'000'00 + i);
        if (i % 3 != 0) ASSERT_TRUE(deals_->MoveStage(As(rop_), id, StageAt(i % 3).id, std::nullopt, "").ok());
    }
    for (core::Id who : {seller1_, supervisor_, rop_, analyst_}) {
        for (const std::optional<std::string>& text :
             {std::optional<std::string>(), std::optional<std::string>("кухня")}) {
            auto board = deals_->BoardOf(As(who), pipeline_.id, std::nullopt, text, 2);
            ASSERT_TRUE(board.ok());
            for (const auto& column : board->columns) {
                DealQuery q;
                q.pipeline_id = pipeline_.id;
                q.stage_id = column.stage_id;
                q.status = "all";
                q.q = text;
                q.limit = 2;
                auto list = deals_->List(As(who), q);
                ASSERT_TRUE(list.ok());
                std::vector<core::Id> want, got;
                for (const auto& d : list->items) want.push_back(d.id);
                for (const auto& d : column.items) got.push_back(d.id);
                EXPECT_EQ(got, want) << "user " << who << " stage " << column.stage_id;
                EXPECT_EQ(column.next_cursor.has_value(), list->next_cursor.has_value());
            }
        }
    }
    // The seller's board: own deals only, and the count agrees with the rollup.
    auto mine = deals_->BoardOf(As(seller1_), pipeline_.id, std::nullopt, std::nullopt, 50);
    ASSERT_TRUE(mine.ok());
    long long n = 0;
    for (const auto& column : mine->columns) {
        n += column.count;
        EXPECT_EQ(static_cast<long long>(column.items.size()), column.count);
        for (const auto& d : column.items) EXPECT_EQ(d.owner_user_id, std::optional<core::Id>(seller1_));
    }
    EXPECT_EQ(n, 6);
}

TEST_P(DealsServiceTest, ConcurrentMovesShareCommitsYetEachIsCheckedAndAuditedAlone) {
    // Sixteen people move at once: the moves go through the group commit; a gated target refuses its own move and
    // changes nothing, the others land with their history and audit rows.
    StagePatch gate;
    gate.required_fields = std::vector<std::string>{"amount"};
    ASSERT_TRUE(deals_->UpdateStage(As(rop_), StageAt(2).id, gate).ok());
    std::vector<core::Id> ids;
    for (int i = 0; i < 16; ++i) ids.push_back(NewDeal(seller1_, "Сделка " + std::to_string(i), i % 4 ? 500'00 : 0));
    const long long history_before = Count("SELECT COUNT(*) FROM deal_stage_history");
    std::vector<std::thread> threads;
    std::vector<core::Result<Deal>> results(ids.size(), core::Error::Of(core::ErrorCode::kInternal));
    for (std::size_t i = 0; i < ids.size(); ++i)
        threads.emplace_back(
            [&, i] { results[i] = deals_->MoveStage(As(seller1_), ids[i], StageAt(2).id, std::nullopt, ""); });
    for (auto& t : threads) t.join();
    int moved = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const bool has_amount = i % 4 != 0;
        EXPECT_EQ(results[i].ok(), has_amount) << i;
        if (!has_amount) {
            EXPECT_EQ(results[i].error().code, core::ErrorCode::kValidation);
            EXPECT_EQ(deals_->Get(As(seller1_), ids[i])->stage_id, StageAt(0).id) << "a refused move changes nothing";
        } else {
            EXPECT_EQ(results[i]->stage_id, StageAt(2).id);
            ++moved;
        }
    }
    EXPECT_EQ(moved, 12);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deal_stage_history") - history_before, 12);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'deal.stage'"), 12);
}

TEST_P(DealsServiceTest, MovesSharingABatchKeepEachCallersOwnVisibility) {
    // A batch reads each caller's visibility once: two sellers moving at once, each only their own deals — every
    // move of the other's deal is a 404 and changes nothing, whoever shared the batch.
    std::vector<core::Id> mine, theirs;
    for (int i = 0; i < 8; ++i) {
        mine.push_back(NewDeal(seller1_, "Сделка 1." + std::to_string(i)));
        theirs.push_back(NewDeal(seller2_, "Сделка 2." + std::to_string(i)));
    }
    std::vector<std::thread> threads;
    std::vector<core::Result<Deal>> results(32, core::Error::Of(core::ErrorCode::kInternal));
    for (std::size_t i = 0; i < 8; ++i) {
        const auto move = [&](std::size_t slot, core::Id who, core::Id deal) {
            threads.emplace_back(
                [&, slot, who, deal] { results[slot] = deals_->MoveStage(As(who), deal, StageAt(1).id, {}, ""); });
        };
        move(i, seller1_, mine[i]);
        move(8 + i, seller2_, mine[i]);
        move(16 + i, seller2_, theirs[i]);
        move(24 + i, seller1_, theirs[i]);
    }
    for (auto& t : threads) t.join();
    for (std::size_t i = 0; i < 8; ++i) {
        EXPECT_TRUE(results[i].ok()) << i;
        EXPECT_TRUE(results[16 + i].ok()) << i;
        ASSERT_FALSE(results[8 + i].ok()) << i;
        EXPECT_EQ(results[8 + i].error().code, core::ErrorCode::kNotFound) << i;
        ASSERT_FALSE(results[24 + i].ok()) << i;
        EXPECT_EQ(results[24 + i].error().code, core::ErrorCode::kNotFound) << i;
    }
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'deal.stage'"), 16);
}

TEST_P(DealsServiceTest, StageSettingsKeepThePipelineWhole) {
    const core::Id id = NewDeal(seller1_, "Кухня");
    EXPECT_EQ(deals_->ArchiveStage(As(rop_), StageAt(0).id).error().message_key, "deals.stage_has_deals");
    EXPECT_EQ(deals_->ArchiveStage(As(rop_), Kind("lost").id).error().message_key, "deals.stage_kinds");
    EXPECT_EQ(deals_->ArchiveStage(As(seller1_), StageAt(1).id).error().code, core::ErrorCode::kForbidden);
    ASSERT_TRUE(deals_->ArchiveStage(As(rop_), StageAt(1).id).ok());

    StagePatch extra;
    extra.name = "Повторный замер";
    extra.probability = 30;
    extra.checklist = std::vector<ChecklistItem>{{"", "a"}, {"", "b"}};
    auto created = deals_->CreateStage(As(rop_), pipeline_.id, extra);
    ASSERT_TRUE(created.ok());
    StagePatch more;
    more.checklist = std::vector<ChecklistItem>{{"", "c"}};
    auto other = deals_->UpdateStage(As(rop_), StageAt(2).id, more);
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(other->checklist[0].code, "c3") << "checklist codes are unique across the pipeline";
    StagePatch clash;
    clash.checklist = std::vector<ChecklistItem>{{"c1", "dup"}};
    EXPECT_EQ(deals_->UpdateStage(As(rop_), StageAt(3).id, clash).error().fields.at(0).code, "not_unique");

    auto p = deals_->ListPipelines(As(rop_), false);
    std::vector<core::Id> order;
    for (auto it = p->front().stages.rbegin(); it != p->front().stages.rend(); ++it) order.push_back(it->id);
    auto reordered = deals_->ReorderStages(As(rop_), pipeline_.id, order);
    ASSERT_TRUE(reordered.ok());
    EXPECT_EQ(reordered->stages.front().id, order.front());
    order.pop_back();
    EXPECT_FALSE(deals_->ReorderStages(As(rop_), pipeline_.id, order).ok()) << "every stage, once";
    EXPECT_EQ(deals_->ArchivePipeline(As(rop_), pipeline_.id).error().message_key, "deals.pipeline_is_default");
    EXPECT_GE(Count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'stage.%'"), 3);
    (void)id;
}

TEST_P(DealsServiceTest, TheHandOffCreatesTheDesignersDealFromTheLead) {
    auto lead = intake_->Accept(Form("Угловая кухня, бюджет 400 тыс", {"+79123456789"}));
    ASSERT_TRUE(lead.ok());
    const core::Id deal_id = *tdb_.db().InTx([&](soci::session& sql) -> core::Result<core::Id> {
        return deals_->CreateFromHandoffInTx(sql, ws_, *lead->lead_id, seller2_, As(seller1_), clock_.NowMs());
    });
    auto d = deals_->Get(As(seller2_), deal_id);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d->owner_user_id, seller2_);
    EXPECT_EQ(*d->source_lead_id, *lead->lead_id);
    EXPECT_EQ(d->stage_id, StageAt(0).id);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'deal.create'"), 1);
}

TEST_P(DealsServiceTest, ADismissedPersonsOpenDealsGoToTheSuccessor) {
    const core::Id open = NewDeal(seller1_, "Кухня");
    const core::Id won = NewDeal(seller1_, "Шкаф");
    ASSERT_TRUE(deals_->MoveStage(As(seller1_), won, Kind("won").id, std::nullopt, "").ok());
    const int moved = *tdb_.db().InTx([&](soci::session& sql) -> core::Result<int> {
        return deals_->Handover(sql, ws_, seller1_, seller2_, sys_, clock_.NowMs());
    });
    EXPECT_EQ(moved, 1);
    EXPECT_EQ(*deals_->Get(As(rop_), open)->owner_user_id, seller2_);
    EXPECT_EQ(*deals_->Get(As(rop_), won)->owner_user_id, seller1_) << "closed deals keep their history";
}

TEST_P(DealsServiceTest, BadInputChangesNothing) {
    DealInput in;
    in.title = "";
    in.amount_minor = -5;
    in.currency = "rub";
    in.set_close = true;
    in.expected_close_date = "2026-02-30";
    in.forecast_category = "maybe";
    auto r = deals_->Create(As(seller1_), in);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields.size(), 5u);
    in = DealInput{};
    in.title = "x";
    in.set_company = true;
    in.company_id = Company(outsider_, std::nullopt);
    auto hidden = deals_->Create(As(seller1_), in);
    ASSERT_FALSE(hidden.ok());
    EXPECT_EQ(hidden.error().fields.at(0).field, "company_id") << "a company the seller cannot see";
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deals"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'deal.create'"), 0);
}

TEST_P(DealsServiceTest, TheDecisionStartsA72HourPaymentWindowWithAReminderAndAFlag) {
    jobs::Scheduler scheduler(tdb_.db(), clock_);
    deals_->AttachScheduler(scheduler);
    const Stage& decision = StageAt(3);
    ASSERT_TRUE(decision.is_decision);
    const core::Id unpaid = NewDeal(seller1_, "Кухня", 100);
    const core::Id paid = NewDeal(seller1_, "Шкаф", 100);
    const core::Id undecided = NewDeal(seller1_, "Стол", 100);
    const core::Millis start = clock_.NowMs();
    for (core::Id id : {unpaid, paid, undecided}) {
        auto d = deals_->MoveStage(As(seller1_), id, decision.id, std::nullopt, "");
        ASSERT_TRUE(d.ok());
        EXPECT_EQ(*d->payment_due_at, start + kPaymentWindow);
    }
    // Moving on to the contract keeps the window; winning clears it; going back before the decision clears it.
    auto contract = deals_->MoveStage(As(seller1_), unpaid, StageAt(4).id, std::nullopt, "");
    EXPECT_EQ(*contract->payment_due_at, start + kPaymentWindow);
    EXPECT_FALSE(deals_->MoveStage(As(seller1_), paid, Kind("won").id, std::nullopt, "")->payment_due_at);
    EXPECT_FALSE(deals_->MoveStage(As(seller1_), undecided, StageAt(1).id, std::nullopt, "")->payment_due_at);

    auto reminders = [&](const std::string& kind) {
        return Count("SELECT COUNT(*) FROM notifications WHERE kind = '" + kind + "'");
    };
    clock_.Advance(kPaymentWindow - kPaymentReminderBefore - 1);
    scheduler.RunDue();
    EXPECT_EQ(reminders("deals.payment_reminder"), 0);
    clock_.Advance(1);
    scheduler.RunDue();
    EXPECT_EQ(reminders("deals.payment_reminder"), 1) << "one reminder, for the unpaid deal only";
    EXPECT_FALSE(deals_->Get(As(seller1_), unpaid)->payment_overdue);
    clock_.Advance(kPaymentReminderBefore);
    scheduler.RunDue();
    EXPECT_TRUE(deals_->Get(As(seller1_), unpaid)->payment_overdue);
    EXPECT_FALSE(deals_->Get(As(seller1_), paid)->payment_overdue);
    EXPECT_FALSE(deals_->Get(As(seller1_), undecided)->payment_overdue);
    EXPECT_EQ(reminders("deals.payment_overdue"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'deal.payment_overdue'"), 1);
    // Running again fires nothing twice.
    clock_.Advance(kPaymentWindow);
    scheduler.RunDue();
    EXPECT_EQ(reminders("deals.payment_reminder") + reminders("deals.payment_overdue"), 2);
}

TEST_P(DealsServiceTest, TheBoardRollupAgreesWithTheDealsAfterEveryKindOfChange) {
    std::mt19937 rnd(7);
    std::vector<core::Id> ids;
    const std::vector<core::Id> people = {seller1_, seller2_, outsider_};
    auto reasons = deals_->ListLossReasons(As(rop_), false);
    for (int step = 0; step < 120; ++step) {
        const int op = ids.empty() ? 0 : static_cast<int>(rnd() % 7);
        const core::Id id = ids.empty() ? 0 : ids[rnd() % ids.size()];
        if (op == 0) {
            DealInput in;
            in.title = "Сделка " + std::to_string(step);
            in.amount_minor = static_cast<std::int64_t>(rnd() % 1000) * 100;
            if (rnd() % 5 == 0) in.currency = "EUR";
            ids.push_back(NewDealAs(people[rnd() % people.size()], in));
        } else if (op == 1) {
            (void)deals_->MoveStage(As(rop_), id, pipeline_.stages[rnd() % 4].id, std::nullopt, "");
        } else if (op == 2) {
            DealInput in;
            in.amount_minor = static_cast<std::int64_t>(rnd() % 1000) * 100;
            (void)deals_->Update(As(rop_), id, in);
        } else if (op == 3) {
            DealInput in;
            in.set_owner = true;
            in.owner_user_id = people[rnd() % people.size()];
            (void)deals_->Update(As(rop_), id, in);
        } else if (op == 4) {
            (void)deals_->Delete(As(rop_), id);
        } else if (op == 5) {
            (void)deals_->Restore(As(rop_), id);
        } else {
            (void)deals_->MoveStage(As(rop_), id, Kind("lost").id, reasons->at(0).id, "");
        }
    }
    ASSERT_TRUE(tdb_.db()
                    .InTx([&](soci::session& sql) -> core::Result<int> {
                        return deals_->Handover(sql, ws_, seller1_, seller2_, sys_, clock_.NowMs());
                    })
                    .ok());
    for (core::Id viewer : {rop_, supervisor_, seller2_, outsider_}) {
        for (std::optional<core::Id> owner : {std::optional<core::Id>{}, std::optional<core::Id>{seller2_}}) {
            tdb_.db().Read([&](soci::session& sql) {
                const auto vis = auth::BuildVisibility(sql, As(viewer), "2026-03-02");
                const auth::Predicate d = vis.Read("d"), t = vis.Read("t");
                store::DealFilter f;
                f.pipeline_id = pipeline_.id;
                f.owner_user_id = owner;
                auto key = [](std::vector<store::StageTotal> v) {
                    std::set<std::tuple<core::Id, std::string, long long, long long>> out;
                    for (const auto& x : v) out.emplace(x.stage_id, x.currency, x.count, x.amount_minor);
                    return out;
                };
                EXPECT_EQ(key(store::BoardTotals(sql, f, d, t)), key(store::LiveTotals(sql, f, d)))
                    << "viewer " << viewer << (owner ? " owner filter" : "");
                return 0;
            });
        }
    }
}

// What a change answers against a fresh read of the deal, field by field (the joined names and the idle flag too), and
// against the after-image its audit row holds.
void ExpectAsStored(const core::Result<Deal>& got, const core::Result<Deal>& stored, const std::string& audit_after,
                    const std::string& step) {
    ASSERT_TRUE(got.ok()) << step << ": " << got.error().message_key;
    ASSERT_TRUE(stored.ok()) << step;
    const Deal& a = *got;
    const Deal& b = *stored;
    EXPECT_EQ(a.id, b.id) << step;
    EXPECT_EQ(a.pipeline_id, b.pipeline_id) << step;
    EXPECT_EQ(a.stage_id, b.stage_id) << step;
    EXPECT_EQ(a.status, b.status) << step;
    EXPECT_EQ(a.title, b.title) << step;
    EXPECT_EQ(a.company_id, b.company_id) << step;
    EXPECT_EQ(a.company_name, b.company_name) << step;
    EXPECT_EQ(a.contact_id, b.contact_id) << step;
    EXPECT_EQ(a.contact_name, b.contact_name) << step;
    EXPECT_EQ(a.owner_user_id, b.owner_user_id) << step;
    EXPECT_EQ(a.owner_name, b.owner_name) << step;
    EXPECT_EQ(a.amount_minor, b.amount_minor) << step;
    EXPECT_EQ(a.currency, b.currency) << step;
    EXPECT_EQ(a.expected_close_date, b.expected_close_date) << step;
    EXPECT_EQ(a.forecast_category, b.forecast_category) << step;
    EXPECT_EQ(a.loss_reason_id, b.loss_reason_id) << step;
    EXPECT_EQ(a.loss_comment, b.loss_comment) << step;
    EXPECT_EQ(a.checklist, b.checklist) << step;
    EXPECT_EQ(a.custom, b.custom) << step;
    EXPECT_EQ(a.stage_entered_at, b.stage_entered_at) << step;
    EXPECT_EQ(a.last_activity_at, b.last_activity_at) << step;
    EXPECT_EQ(a.closed_at, b.closed_at) << step;
    EXPECT_EQ(a.deleted_at, b.deleted_at) << step;
    EXPECT_EQ(a.payment_due_at, b.payment_due_at) << step;
    EXPECT_EQ(a.payment_overdue, b.payment_overdue) << step;
    EXPECT_EQ(a.created_at, b.created_at) << step;
    EXPECT_EQ(a.updated_at, b.updated_at) << step;
    EXPECT_EQ(a.idle, b.idle) << step;
    const auto after = boost::json::parse(audit_after).as_object();
    EXPECT_EQ(after.at("stage_id").as_int64(), b.stage_id) << step;
    EXPECT_EQ(after.at("status").as_string(), b.status) << step;
    EXPECT_EQ(after.at("owner_user_id"), b.owner_user_id ? boost::json::value(*b.owner_user_id) : nullptr) << step;
    EXPECT_EQ(after.at("company_id"), b.company_id ? boost::json::value(*b.company_id) : nullptr) << step;
    EXPECT_EQ(after.at("amount_minor").as_int64(), b.amount_minor) << step;
    EXPECT_EQ(after.at("loss_reason_id"), b.loss_reason_id ? boost::json::value(*b.loss_reason_id) : nullptr) << step;
}

TEST_P(DealsServiceTest, AChangeAnswersTheDealExactlyAsItIsStored) {
    // A move (and any edit that keeps the owner) answers the deal it wrote instead of reading it back: whatever the
    // step — a plain move, one that stays, the decision stage's window opening and closing, winning, losing, reopening,
    // an idle deal — the answer must be what a fresh read says, and the audit's after-image the same. A new owner is
    // read back (the owner's name comes with the row).
    const auto audit_after = [&](core::Id id) {
        std::string text;
        tdb_.db().Read([&](soci::session& sql) {
            long long object = id;
            sql << "SELECT CAST(after_json AS TEXT) FROM audit_log WHERE object_type = 'deal' AND object_id = :id "
                   "ORDER BY id DESC LIMIT 1",
                soci::use(object, "id"), soci::into(text);
            return 0;
        });
        return text;
    };
    const core::Id company = Company(seller1_, "7707083893");
    const core::Id id = NewDeal(seller1_, "Кухня на заказ", 500'00);
    DealInput link;
    link.set_company = true;
    link.company_id = company;
    auto linked = deals_->Update(As(seller1_), id, link);
    ExpectAsStored(linked, deals_->Get(As(seller1_), id), audit_after(id), "company linked");
    EXPECT_FALSE(linked->company_name.empty());
    auto reasons = deals_->ListLossReasons(As(rop_), false);
    ASSERT_TRUE(reasons.ok());
    const struct {
        const char* step;
        core::Id stage;
        std::optional<core::Id> reason;
    } steps[] = {
        {"to measurement", StageAt(1).id, std::nullopt},
        {"stays in measurement", StageAt(1).id, std::nullopt},
        {"into the decision stage", StageAt(3).id, std::nullopt},
        {"back before the decision", StageAt(1).id, std::nullopt},
        {"won", Kind("won").id, std::nullopt},
        {"lost", Kind("lost").id, reasons->at(2).id},
        {"reopened", StageAt(2).id, std::nullopt},
    };
    for (const auto& st : steps) {
        clock_.Advance(60'000);
        auto moved = deals_->MoveStage(As(seller1_), id, st.stage, st.reason, st.reason ? "Сроки" : "");
        ExpectAsStored(moved, deals_->Get(As(seller1_), id), audit_after(id), st.step);
        if (std::string(st.step) == "into the decision stage") EXPECT_TRUE(moved->payment_due_at.has_value());
        if (std::string(st.step) == "back before the decision") EXPECT_FALSE(moved->payment_due_at.has_value());
    }
    // Standing in a 7-day stage for 8 days: a move that stays answers the idle flag of the stage it stays in.
    clock_.Advance(8 * kDay);
    auto stays = deals_->MoveStage(As(seller1_), id, StageAt(2).id, std::nullopt, "");
    ExpectAsStored(stays, deals_->Get(As(seller1_), id), audit_after(id), "stays while idle");
    EXPECT_TRUE(stays->idle);
    DealInput give;
    give.set_owner = true;
    give.owner_user_id = seller2_;
    auto given = deals_->Update(As(rop_), id, give);
    ExpectAsStored(given, deals_->Get(As(rop_), id), audit_after(id), "given to another seller");
    EXPECT_EQ(given->owner_name, deals_->Get(As(seller2_), id)->owner_name);
    EXPECT_NE(given->owner_name, linked->owner_name);
}

TEST_P(DealsServiceTest, AnUpdateNamesOnlyTheIndexedColumnsThatChange) {
    // SQLite rewrites an index entry for every column named in SET, changed or not, and both engines fire an UPDATE OF
    // trigger for it (the report rollups' triggers key on these columns): a move names the stage and what its kind
    // changes, never the company, contact, owner or amount. Watched here by UPDATE OF triggers of the test's own.
    const bool sqlite = GetParam() == db::Engine::kSqlite;
    const core::Id company = Company(seller1_, std::nullopt);
    DealInput in;
    in.title = "Шкаф";
    in.amount_minor = 900'00;
    in.set_company = true;
    in.company_id = company;
    const core::Id id = NewDealAs(seller1_, in);
    ASSERT_TRUE(tdb_.db()
                    .InTx([&](soci::session& sql) -> core::Result<void> {
                        sql << "CREATE TABLE test_written (col TEXT NOT NULL)";
                        if (!sqlite)
                            sql << "CREATE FUNCTION test_written() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                                   "INSERT INTO test_written (col) VALUES (TG_ARGV[0]); RETURN NULL; END $$";
                        for (const std::string col :
                             {"company_id", "contact_id", "owner_user_id", "amount_minor", "currency", "stage_id",
                              "status", "closed_at", "deleted_at", "loss_reason_id"})
                            sql << "CREATE TRIGGER test_written_" + col + " AFTER UPDATE OF " + col + " ON deals " +
                                       (sqlite ? "BEGIN INSERT INTO test_written (col) VALUES ('" + col + "'); END"
                                               : "FOR EACH ROW EXECUTE FUNCTION test_written('" + col + "')");
                        return core::Ok();
                    })
                    .ok());
    const auto written = [&] {
        std::set<std::string> cols;
        tdb_.db().Read([&](soci::session& sql) {
            std::string col;
            soci::statement st = (sql.prepare << "SELECT DISTINCT col FROM test_written", soci::into(col));
            st.execute(false);
            while (st.fetch()) cols.insert(col);
            sql << "DELETE FROM test_written";
            return 0;
        });
        return cols;
    };
    ASSERT_TRUE(deals_->MoveStage(As(seller1_), id, StageAt(1).id, std::nullopt, "").ok());
    EXPECT_EQ(written(), (std::set<std::string>{"stage_id"}));
    ASSERT_TRUE(deals_->MoveStage(As(seller1_), id, Kind("won").id, std::nullopt, "").ok());
    EXPECT_EQ(written(), (std::set<std::string>{"stage_id", "status", "closed_at"}));
    ASSERT_TRUE(deals_->MoveStage(As(seller1_), id, StageAt(2).id, std::nullopt, "").ok());
    EXPECT_EQ(written(), (std::set<std::string>{"stage_id", "status", "closed_at"}));
    DealInput amount;
    amount.amount_minor = 1'200'00;
    ASSERT_TRUE(deals_->Update(As(seller1_), id, amount).ok());
    EXPECT_EQ(written(), (std::set<std::string>{"amount_minor"}));
    DealInput unlink;
    unlink.set_company = true;
    ASSERT_TRUE(deals_->Update(As(seller1_), id, unlink).ok());
    EXPECT_EQ(written(), (std::set<std::string>{"company_id"}));
    ASSERT_TRUE(deals_->Delete(As(rop_), id).ok());
    EXPECT_EQ(written(), (std::set<std::string>{"deleted_at"}));
    ASSERT_TRUE(deals_->Restore(As(rop_), id).ok());
    EXPECT_EQ(written(), (std::set<std::string>{"deleted_at"}));
    // The board totals followed every step.
    tdb_.db().Read([&](soci::session& sql) {
        const auto vis = auth::BuildVisibility(sql, As(rop_), "2026-03-02");
        const auth::Predicate d = vis.Read("d"), t = vis.Read("t");
        store::DealFilter f;
        f.pipeline_id = pipeline_.id;
        auto key = [](std::vector<store::StageTotal> v) {
            std::set<std::tuple<core::Id, std::string, long long, long long>> out;
            for (const auto& x : v) out.emplace(x.stage_id, x.currency, x.count, x.amount_minor);
            return out;
        };
        EXPECT_EQ(key(store::BoardTotals(sql, f, d, t)), key(store::LiveTotals(sql, f, d)));
        return 0;
    });
}

INSTANTIATE_TEST_SUITE_P(Engines, DealsServiceTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& i) { return otdel::testing::EngineParamName(i.param); });

}  // namespace
}  // namespace otdel::deals
