// Stage moves and the report rollups (issue 6, migration 0028), on both engines: a move rewrites the deal's report fact
// row once (the deal row first, then its history entry, whose trigger only raises the furthest stage reached), and
// after moves of every kind and history written the way an import writes it (entries into further, archived, won and
// other pipelines' stages, entries removed) each fact row's furthest stage equals a full recomputation from the deal
// and its history.
#include <gtest/gtest.h>

#include "deals/deals_service.hpp"
#include "leads/tests/lead_fixture.hpp"

namespace otdel::deals {
namespace {

using leads::testing::LeadsFixture;

class MoveRollupTest : public LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        deals_ = std::make_unique<DealsService>(tdb_.db(), clock_);
        registry_.Add(*deals_);
        const core::Id sales = Dept("Продажи", std::nullopt);
        seller_ = Person("s1@kuhni.test", "key_account_manager", sales);
        rop_ = Person("rop@kuhni.test", "head_of_sales", sales);
        auto p = deals_->ListPipelines(As(rop_), false);
        ASSERT_TRUE(p.ok());
        pipeline_ = p->front();
        ws_text_ = std::to_string(ws_);
        // The workspace's report rollups exist (as after its first report): from here on the triggers keep them.
        Exec("INSERT INTO report_rollup_state (workspace_id, time_zone, built_at) VALUES (" + ws_text_ + ", 'UTC', 0)");
        // Counts the fact rows' rewrites.
        Exec("CREATE TABLE test_fact_writes (n BIGINT NOT NULL)");
        Exec("INSERT INTO test_fact_writes (n) VALUES (0)");
        if (GetParam() == db::Engine::kPostgres) {
            Exec(
                "CREATE FUNCTION test_count_fact_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE "
                "test_fact_writes SET n = n + 1; RETURN NULL; END; $$");
            Exec(
                "CREATE TRIGGER test_fact_writes_rt AFTER UPDATE ON report_deal_facts FOR EACH ROW EXECUTE FUNCTION "
                "test_count_fact_write()");
        } else {
            Exec(
                "CREATE TRIGGER test_fact_writes_au AFTER UPDATE ON report_deal_facts BEGIN UPDATE test_fact_writes "
                "SET n = n + 1; END");
        }
    }

    void Exec(const std::string& text) {
        auto r = tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
            sql << text;
            return core::Ok();
        });
        ASSERT_TRUE(r.ok()) << text;
    }

    core::Id NewDeal(const std::string& title) {
        DealInput in;
        in.title = title;
        in.amount_minor = 100'000;
        auto d = deals_->Create(As(seller_), in);
        EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message_key);
        return d.ok() ? d->id : 0;
    }

    void Move(core::Id deal, core::Id stage, std::optional<core::Id> reason = std::nullopt) {
        clock_.Advance(60'000);
        auto r = deals_->MoveStage(As(seller_), deal, stage, reason, "");
        ASSERT_TRUE(r.ok()) << r.error().message_key;
        ASSERT_EQ(r->stage_id, stage);
    }

    void History(core::Id deal, core::Id stage) {
        clock_.Advance(60'000);
        Exec("INSERT INTO deal_stage_history (workspace_id, deal_id, to_stage_id, at) VALUES (" + ws_text_ + ", " +
             std::to_string(deal) + ", " + std::to_string(stage) + ", " + std::to_string(clock_.NowMs()) + ")");
    }

    long long FactWrites() { return Count("SELECT n FROM test_fact_writes"); }
    long long Furthest(core::Id deal) {
        return Count("SELECT furthest_pos FROM report_deal_facts WHERE deal_id = " + std::to_string(deal));
    }

    // Fact rows whose furthest stage differs from the full recomputation (0021's expression), plus live deals of the
    // workspace without a fact row.
    long long Wrong() {
        return Count(
                   "SELECT COUNT(*) FROM report_deal_facts f JOIN deals d ON d.id = f.deal_id WHERE f.furthest_pos <> "
                   "COALESCE((SELECT MAX(s.position) FROM pipeline_stages s WHERE s.workspace_id = d.workspace_id "
                   "AND s.pipeline_id = d.pipeline_id AND s.kind = 'open' AND s.archived_at IS NULL "
                   "AND (s.id = d.stage_id OR s.id IN (SELECT h.to_stage_id FROM deal_stage_history h "
                   "WHERE h.workspace_id = d.workspace_id AND h.deal_id = d.id))), -1) OR f.stage_id <> d.stage_id "
                   "OR f.status <> d.status") +
               Count("SELECT COUNT(*) FROM deals d WHERE d.workspace_id = " + ws_text_ +
                     " AND d.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM report_deal_facts f WHERE f.deal_id = "
                     "d.id)");
    }

    const Stage& StageAt(int position) { return pipeline_.stages.at(static_cast<std::size_t>(position)); }
    const Stage& Kind(const std::string& kind) {
        for (const auto& s : pipeline_.stages)
            if (s.kind == kind) return s;
        throw std::logic_error(kind);
    }

    std::unique_ptr<DealsService> deals_;
    Pipeline pipeline_;
    std::string ws_text_;
    core::Id seller_ = 0, rop_ = 0;
};

TEST_P(MoveRollupTest, AMoveRewritesTheFactRowOnceAndKeepsItExact) {
    const core::Id a = NewDeal("Кухня");
    const core::Id b = NewDeal("Шкаф");
    ASSERT_EQ(Furthest(a), StageAt(0).position);
    const core::Id reason = Count("SELECT MIN(id) FROM loss_reasons WHERE workspace_id = " + ws_text_);
    const long long before = FactWrites();
    Move(a, StageAt(1).id);  // forward, a new furthest stage
    Move(a, StageAt(2).id);  // again
    Move(a, StageAt(1).id);  // back: the furthest stays
    Move(b, StageAt(2).id);  // a jump over a stage
    Move(b, Kind("lost").id, reason);
    // One rewrite per move: entering a further stage used to rewrite the row twice (the history entry's trigger
    // raised the furthest stage, then the deal row's trigger changed the stage).
    EXPECT_EQ(FactWrites() - before, 5);
    EXPECT_EQ(Furthest(a), StageAt(2).position);
    EXPECT_EQ(Furthest(b), StageAt(2).position);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deal_stage_history WHERE deal_id IN (" + std::to_string(a) + ", " +
                    std::to_string(b) + ")"),
              2 + 5)
        << "each deal's first entry and one per move";
    EXPECT_EQ(Wrong(), 0);
}

TEST_P(MoveRollupTest, HistoryWrittenLikeAnImportRaisesOnlyWhatAFullRecomputationWould) {
    const core::Id a = NewDeal("Кухня");
    const core::Id b = NewDeal("Гардеробная");
    Move(b, StageAt(1).id);
    // An entry into a further open stage raises the furthest stage reached; the current stage stays.
    History(a, StageAt(3).id);
    EXPECT_EQ(Furthest(a), StageAt(3).position);
    EXPECT_EQ(Wrong(), 0);
    // Entries into the won stage, into an earlier stage and into another pipeline's stage raise nothing.
    History(a, Kind("won").id);
    History(a, StageAt(1).id);
    auto other = deals_->CreatePipeline(As(rop_), "Другая", false);
    ASSERT_TRUE(other.ok());
    ASSERT_FALSE(other->stages.empty());
    History(b, other->stages.at(3).id);
    EXPECT_EQ(Furthest(a), StageAt(3).position);
    EXPECT_EQ(Furthest(b), StageAt(1).position);
    EXPECT_EQ(Wrong(), 0);
    // An archived stage does not count.
    Exec("UPDATE pipeline_stages SET archived_at = 1 WHERE id = " + std::to_string(StageAt(4).id));
    History(b, StageAt(4).id);
    EXPECT_EQ(Furthest(b), StageAt(1).position);
    EXPECT_EQ(Wrong(), 0);
    // An entry removed lowers the furthest stage again (recomputed).
    Exec("DELETE FROM deal_stage_history WHERE deal_id = " + std::to_string(a) +
         " AND to_stage_id = " + std::to_string(StageAt(3).id));
    EXPECT_EQ(Furthest(a), StageAt(1).position);
    EXPECT_EQ(Wrong(), 0);
    // Moves after all that keep it exact.
    Move(a, StageAt(2).id);
    Move(b, StageAt(2).id);
    Move(b, StageAt(0).id);
    EXPECT_EQ(Furthest(b), StageAt(2).position);
    EXPECT_EQ(Wrong(), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, MoveRollupTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::deals
