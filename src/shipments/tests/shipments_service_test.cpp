// ShipmentsService and its store on both engines (DEAL-8): shipments within what the deal sold (a refusal names the
// lines and changes nothing; a return frees its quantities), the status moves with their days, made-to-order items
// that leave only once production has them ready, who sees and changes what (a designer's own deals, a colleague's
// 404, the head everything, the production manager only the production requests), the overdue list per person and
// team, and an audit row for every change.
#include <gtest/gtest.h>

#include "catalog/catalog_service.hpp"
#include "deals/deals_service.hpp"
#include "leads/tests/lead_fixture.hpp"
#include "shipments/shipments_service.hpp"

namespace otdel::shipments {
namespace {

using core::kDay;
using leads::testing::LeadsFixture;

class ShipmentsServiceTest : public LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        deals_ = std::make_unique<deals::DealsService>(tdb_.db(), clock_);
        catalog_ = std::make_unique<catalog::CatalogService>(tdb_.db(), clock_);
        catalog_->AttachTo(*deals_);
        shipments_ = std::make_unique<ShipmentsService>(tdb_.db(), clock_);
        ShipmentsService::AttachTo(*catalog_);
        sales_ = Dept("Продажи", std::nullopt);
        team_ = Dept("Дизайнеры", sales_);
        other_team_ = Dept("Ключевые клиенты", sales_);
        designer_ = Person("d1@kuhni.test", "designer_manager", team_);
        colleague_ = Person("d2@kuhni.test", "designer_manager", team_);
        kam_ = Person("kam@kuhni.test", "key_account_manager", other_team_);
        rop_ = Person("rop@kuhni.test", "head_of_sales", sales_);
        production_ = Person("prod@kuhni.test", "production_manager", sales_);
        analyst_ = Person("an@kuhni.test", "sales_analyst", sales_);
        kitchen_ = Product("KH-1", "Кухня «Модерн», пог. м", true);
        sink_ = Product("MK-1", "Мойка гранитная", false);
    }
    core::Id Product(const std::string& sku, const std::string& name, bool made_to_order) {
        catalog::ProductInput in;
        in.sku = sku;
        in.name = name;
        in.unit = "шт";
        in.made_to_order = made_to_order;
        auto p = catalog_->CreateProduct(As(rop_), in);
        EXPECT_TRUE(p.ok());
        return p.ok() ? p->id : 0;
    }
    // A deal of `owner` selling 3.4 of the kitchen and 2 sinks; answers the deal and its two line ids.
    struct Sold {
        core::Id deal = 0, kitchen = 0, sink = 0;
    };
    Sold NewDeal(core::Id owner) {
        deals::DealInput in;
        in.title = "Кухня";
        auto d = deals_->Create(As(owner), in);
        EXPECT_TRUE(d.ok());
        Sold s;
        s.deal = d->id;
        for (auto [product, qty] : {std::pair{kitchen_, 3'400}, std::pair{sink_, 2'000}}) {
            catalog::LineInput l;
            l.set_product = true;
            l.product_id = product;
            l.quantity_milli = qty;
            l.unit_price_minor = 100'000;
            auto lines = catalog_->AddLine(As(owner), s.deal, l);
            EXPECT_TRUE(lines.ok());
            (product == kitchen_ ? s.kitchen : s.sink) = lines->lines.back().line.id;
        }
        return s;
    }
    ShipmentInput Input(std::vector<ItemInput> items, std::string planned = "2026-03-10") {
        ShipmentInput in;
        in.planned_date = planned;
        in.address = "Москва, ул. Лесная, 5";
        in.items = std::move(items);
        return in;
    }
    long long Audit(const std::string& action) {
        return Count("SELECT COUNT(*) FROM audit_log WHERE action = '" + action + "'");
    }

    std::unique_ptr<deals::DealsService> deals_;
    std::unique_ptr<catalog::CatalogService> catalog_;
    std::unique_ptr<ShipmentsService> shipments_;
    core::Id sales_ = 0, team_ = 0, other_team_ = 0, designer_ = 0, colleague_ = 0, kam_ = 0, rop_ = 0, production_ = 0,
             analyst_ = 0, kitchen_ = 0, sink_ = 0;
};

TEST_P(ShipmentsServiceTest, NeverMoreThanWasSoldAndAReturnFreesItsQuantities) {
    const Sold s = NewDeal(designer_);
    auto first = shipments_->Create(As(designer_), s.deal, Input({{s.sink, 1'000}}));
    ASSERT_TRUE(first.ok()) << first.error().message_key;
    EXPECT_EQ(first->status, Status::kPreparing);
    ASSERT_EQ(first->items.size(), 1u);
    EXPECT_EQ(first->items[0].name, "Мойка гранитная");
    EXPECT_FALSE(first->items[0].made_to_order);

    // 1.5 more sinks (only 1 left) and 4 kitchens (3.4 sold): both lines are named, nothing is written.
    const long long before = Count("SELECT COUNT(*) FROM shipments");
    auto over = shipments_->Create(As(designer_), s.deal, Input({{s.kitchen, 4'000}, {s.sink, 1'500}}));
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(over.error().message_key, "shipments.exceeds_sold");
    ASSERT_EQ(over.error().fields.size(), 2u);
    EXPECT_EQ(over.error().fields[0].param, "Кухня «Модерн», пог. м: 3.4, 0");
    EXPECT_EQ(over.error().fields[1].param, "Мойка гранитная: 2, 1");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM shipments"), before);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM shipment_items"), 1);

    // Editing a shipment counts the others only: the first may grow to the whole 2.
    ShipmentInput grow;
    grow.items = std::vector<ItemInput>{{s.sink, 2'000}};
    ASSERT_TRUE(shipments_->Update(As(designer_), first->id, grow).ok());
    EXPECT_FALSE(shipments_->Create(As(designer_), s.deal, Input({{s.sink, 1}})).ok());

    // Shipped and returned: the sinks may go again.
    ASSERT_TRUE(shipments_->SetStatus(As(designer_), first->id, Status::kShipped, std::nullopt).ok());
    ASSERT_TRUE(shipments_->SetStatus(As(designer_), first->id, Status::kReturned, std::nullopt).ok());
    auto again = shipments_->Create(As(designer_), s.deal, Input({{s.sink, 2'000}}));
    ASSERT_TRUE(again.ok()) << again.error().message_key;
    auto view = shipments_->OfDeal(As(designer_), s.deal);
    ASSERT_TRUE(view.ok());
    ASSERT_EQ(view->lines.size(), 2u);
    EXPECT_EQ(view->lines[1].shipped_milli, 2'000);
    EXPECT_EQ(view->lines[1].remaining_milli, 0);
    EXPECT_EQ(view->lines[0].remaining_milli, 3'400);
    EXPECT_TRUE(view->lines[0].made_to_order);
    EXPECT_EQ(Audit("shipment.create"), 2);
    EXPECT_EQ(Audit("shipment.update"), 1);
    EXPECT_EQ(Audit("shipment.status"), 2);
}

TEST_P(ShipmentsServiceTest, ALineInShipmentsIsNeitherDeletedNorCutBelowThem) {
    const Sold s = NewDeal(designer_);
    auto shipment = shipments_->Create(As(designer_), s.deal, Input({{s.sink, 1'500}}));
    ASSERT_TRUE(shipment.ok()) << shipment.error().message_key;
    const long long audits = Audit("deal_line.update") + Audit("deal_line.delete");

    // Cutting the sinks to 1 (1.5 are in the shipment): refused, naming the line and what its shipments carry.
    catalog::LineInput cut;
    cut.quantity_milli = 1'000;
    auto refused = catalog_->UpdateLine(As(designer_), s.deal, s.sink, cut);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(refused.error().message_key, "catalog.line_shipped_reduce");
    ASSERT_EQ(refused.error().fields.size(), 1u);
    EXPECT_EQ(refused.error().fields[0].field, "lines/" + std::to_string(s.sink) + "/quantity_milli");
    EXPECT_EQ(refused.error().fields[0].code, "below_shipped");
    EXPECT_EQ(refused.error().fields[0].param, "Мойка гранитная — 1.5 шт");
    auto deleted = catalog_->DeleteLine(As(designer_), s.deal, s.sink);
    ASSERT_FALSE(deleted.ok());
    EXPECT_EQ(deleted.error().message_key, "catalog.line_shipped_delete");
    EXPECT_EQ(deleted.error().fields[0].param, "Мойка гранитная — 1.5 шт");
    // Nothing changed: the line keeps its 2, no audit rows.
    EXPECT_EQ(Count("SELECT quantity_milli FROM deal_lines WHERE id = " + std::to_string(s.sink)), 2'000);
    EXPECT_EQ(Audit("deal_line.update") + Audit("deal_line.delete"), audits);

    // Down to exactly what is shipped is fine; a line nobody shipped may go; after a return the sinks may go too.
    cut.quantity_milli = 1'500;
    ASSERT_TRUE(catalog_->UpdateLine(As(designer_), s.deal, s.sink, cut).ok());
    ASSERT_TRUE(catalog_->DeleteLine(As(designer_), s.deal, s.kitchen).ok());
    ASSERT_TRUE(shipments_->SetStatus(As(designer_), shipment->id, Status::kShipped, std::nullopt).ok());
    ASSERT_TRUE(shipments_->SetStatus(As(designer_), shipment->id, Status::kReturned, std::nullopt).ok());
    EXPECT_TRUE(catalog_->DeleteLine(As(designer_), s.deal, s.sink).ok());
}

TEST_P(ShipmentsServiceTest, StatusMovesWithTheirDays) {
    const Sold s = NewDeal(designer_);
    auto sh = shipments_->Create(As(designer_), s.deal, Input({{s.sink, 1'000}}));
    ASSERT_TRUE(sh.ok());
    auto skip = shipments_->SetStatus(As(designer_), sh->id, Status::kDelivered, std::nullopt);
    ASSERT_FALSE(skip.ok());
    EXPECT_EQ(skip.error().message_key, "shipments.bad_transition");
    EXPECT_EQ(shipments_->SetStatus(As(designer_), sh->id, Status::kReturned, std::nullopt).error().code,
              core::ErrorCode::kConflict);
    auto future = shipments_->SetStatus(As(designer_), sh->id, Status::kShipped, "2026-03-05");
    ASSERT_FALSE(future.ok());
    EXPECT_EQ(future.error().fields.at(0).code, "in_future");  // today is 2026-03-02
    auto shipped = shipments_->SetStatus(As(designer_), sh->id, Status::kShipped, "2026-03-01");
    ASSERT_TRUE(shipped.ok());
    EXPECT_EQ(shipped->actual_date, "2026-03-01");
    EXPECT_EQ(shipments_->SetStatus(As(designer_), sh->id, Status::kDelivered, "2026-02-28").error().fields.at(0).code,
              "before_start");
    auto delivered = shipments_->SetStatus(As(designer_), sh->id, Status::kDelivered, std::nullopt);
    ASSERT_TRUE(delivered.ok());
    EXPECT_EQ(delivered->delivered_date, "2026-03-02");
    // Items are fixed once it left; a shipped shipment is not deleted.
    ShipmentInput items;
    items.items = std::vector<ItemInput>{{s.sink, 500}};
    EXPECT_EQ(shipments_->Update(As(designer_), sh->id, items).error().message_key, "shipments.items_locked");
    EXPECT_EQ(shipments_->Delete(As(designer_), sh->id).error().message_key, "shipments.not_deletable");
    auto planned = shipments_->Create(As(designer_), s.deal, Input({{s.sink, 500}}));
    ASSERT_TRUE(shipments_->Delete(As(designer_), planned->id).ok());
    EXPECT_EQ(Audit("shipment.delete"), 1);
}

TEST_P(ShipmentsServiceTest, MadeToOrderItemsLeaveOnlyOnceProductionHasThemReady) {
    const Sold s = NewDeal(designer_);
    auto sh = shipments_->Create(As(designer_), s.deal, Input({{s.kitchen, 3'400}, {s.sink, 2'000}}));
    ASSERT_TRUE(sh.ok());
    EXPECT_EQ(shipments_->SetStatus(As(designer_), sh->id, Status::kShipped, std::nullopt).error().message_key,
              "shipments.production_missing");
    auto plain = shipments_->Create(As(designer_), NewDeal(designer_).deal, Input({{NewDeal(designer_).sink, 1}}));
    EXPECT_FALSE(plain.ok());  // a line of another deal is not this deal's

    auto handed = shipments_->HandOff(As(designer_), sh->id, "Фасады — матовые");
    ASSERT_TRUE(handed.ok()) << handed.error().message_key;
    ASSERT_TRUE(handed->production);
    EXPECT_EQ(handed->production->status, ProductionStatus::kRequested);
    ASSERT_EQ(handed->production->items.size(), 1u);  // only the made-to-order kitchen goes to production
    EXPECT_EQ(handed->production->items[0].quantity_milli, 3'400);
    EXPECT_EQ(shipments_->HandOff(As(designer_), sh->id, "").error().message_key, "shipments.already_handed_off");
    ShipmentInput items;
    items.items = std::vector<ItemInput>{{s.kitchen, 1'000}};
    EXPECT_EQ(shipments_->Update(As(designer_), sh->id, items).error().message_key, "shipments.items_locked");

    // Production sees the request, not the deal; the seller sees it but does not move it.
    auto list = shipments_->ListProduction(As(production_), std::nullopt, std::nullopt, 50);
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->items.size(), 1u);
    EXPECT_EQ(list->items[0].deal_title, "Кухня");
    EXPECT_EQ(list->items[0].planned_date, "2026-03-10");
    const core::Id req = list->items[0].id;
    EXPECT_EQ(shipments_->OfDeal(As(production_), s.deal).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(shipments_->SetProductionStatus(As(designer_), req, ProductionStatus::kInProduction).error().code,
              core::ErrorCode::kForbidden);
    EXPECT_EQ(shipments_->SetProductionStatus(As(colleague_), req, ProductionStatus::kInProduction).error().code,
              core::ErrorCode::kNotFound);
    EXPECT_EQ(shipments_->SetProductionStatus(As(production_), req, ProductionStatus::kReady).error().message_key,
              "shipments.bad_production_transition");
    ASSERT_TRUE(shipments_->SetProductionStatus(As(production_), req, ProductionStatus::kInProduction).ok());
    EXPECT_EQ(shipments_->SetStatus(As(designer_), sh->id, Status::kShipped, std::nullopt).error().message_key,
              "shipments.production_not_ready");
    auto ready = shipments_->SetProductionStatus(As(production_), req, ProductionStatus::kReady);
    ASSERT_TRUE(ready.ok());
    EXPECT_TRUE(ready->ready_at);
    EXPECT_TRUE(shipments_->SetStatus(As(designer_), sh->id, Status::kShipped, std::nullopt).ok());
    auto readyOnly = shipments_->ListProduction(As(rop_), ProductionStatus::kReady, std::nullopt, 50);
    EXPECT_EQ(readyOnly->items.size(), 1u);
    EXPECT_EQ(Audit("production_request.create"), 1);
    EXPECT_EQ(Audit("production_request.status"), 2);
}

TEST_P(ShipmentsServiceTest, WhoSeesAndChangesWhat) {
    const Sold mine = NewDeal(designer_);
    auto sh = shipments_->Create(As(designer_), mine.deal, Input({{mine.sink, 1'000}}));
    ASSERT_TRUE(sh.ok());
    // A colleague with scope own: the deal does not exist for her.
    EXPECT_EQ(shipments_->OfDeal(As(colleague_), mine.deal).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(shipments_->Get(As(colleague_), sh->id).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(shipments_->Create(As(colleague_), mine.deal, Input({{mine.sink, 1}})).error().code,
              core::ErrorCode::kNotFound);
    EXPECT_EQ(shipments_->SetStatus(As(colleague_), sh->id, Status::kShipped, std::nullopt).error().code,
              core::ErrorCode::kNotFound);
    // The analyst reads everything and changes nothing.
    auto read = shipments_->OfDeal(As(analyst_), mine.deal);
    ASSERT_TRUE(read.ok());
    EXPECT_FALSE(read->can_edit);
    EXPECT_EQ(shipments_->Create(As(analyst_), mine.deal, Input({{mine.sink, 1}})).error().code,
              core::ErrorCode::kForbidden);
    // The head changes any deal's shipments.
    auto head = shipments_->OfDeal(As(rop_), mine.deal);
    ASSERT_TRUE(head.ok());
    EXPECT_TRUE(head->can_edit);
    EXPECT_TRUE(shipments_->SetStatus(As(rop_), sh->id, Status::kShipped, std::nullopt).ok());
    // A lost deal ships nothing.
    const Sold lost = NewDeal(designer_);
    core::Id lost_stage = 0;
    for (const auto& st : deals_->ListPipelines(As(rop_), false)->front().stages)
        if (st.kind == "lost") lost_stage = st.id;
    const auto reasons = deals_->ListLossReasons(As(rop_), false);
    ASSERT_TRUE(deals_->MoveStage(As(designer_), lost.deal, lost_stage, reasons->front().id, "").ok());
    EXPECT_EQ(shipments_->Create(As(designer_), lost.deal, Input({{lost.sink, 1}})).error().message_key,
              "shipments.deal_lost");
}

TEST_P(ShipmentsServiceTest, OverduePerPersonAndTeamAlongTheTree) {
    const Sold d1 = NewDeal(designer_), d2 = NewDeal(colleague_), k = NewDeal(kam_);
    ASSERT_TRUE(shipments_->Create(As(designer_), d1.deal, Input({{d1.sink, 1'000}}, "2026-03-04")).ok());
    auto late = shipments_->Create(As(designer_), d1.deal, Input({{d1.sink, 1'000}}, "2026-03-03"));
    ASSERT_TRUE(shipments_->Create(As(colleague_), d2.deal, Input({{d2.sink, 1'000}}, "2026-03-05")).ok());
    auto kam_late = shipments_->Create(As(kam_), k.deal, Input({{k.sink, 1'000}}, "2026-03-03"));
    ASSERT_TRUE(late.ok() && kam_late.ok());
    // Nothing is late on 2026-03-02; two days later the shipments planned before the 4th are.
    EXPECT_TRUE(shipments_->Overdue(As(rop_), {})->items.empty());
    clock_.Advance(2 * kDay);
    auto all = shipments_->Overdue(As(rop_), {});
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->today, "2026-03-04");
    ASSERT_EQ(all->items.size(), 2u);
    EXPECT_TRUE(all->items[0].overdue);
    ASSERT_EQ(all->by_owner.size(), 2u);
    // Once shipped it is not late any more.
    ASSERT_TRUE(shipments_->SetStatus(As(kam_), kam_late->id, Status::kShipped, std::nullopt).ok());
    clock_.Advance(2 * kDay);  // 2026-03-06: the 4th and 5th are late now too
    all = shipments_->Overdue(As(rop_), {});
    ASSERT_EQ(all->items.size(), 3u);
    EXPECT_EQ(all->items[0].planned_date, "2026-03-03");
    EXPECT_EQ(all->by_owner[0].owner_user_id, designer_);
    EXPECT_EQ(all->by_owner[0].count, 2);
    // A designer sees her own; the team filter and the person filter for the head.
    auto own = shipments_->Overdue(As(designer_), {});
    ASSERT_EQ(own->items.size(), 2u);
    OverdueQuery team;
    team.department_id = other_team_;
    EXPECT_TRUE(shipments_->Overdue(As(rop_), team)->items.empty());
    team.department_id = team_;
    EXPECT_EQ(shipments_->Overdue(As(rop_), team)->items.size(), 3u);
    OverdueQuery person;
    person.owner = std::to_string(colleague_);
    EXPECT_EQ(shipments_->Overdue(As(rop_), person)->items.size(), 1u);
    person.owner = "me";
    EXPECT_EQ(shipments_->Overdue(As(colleague_), person)->items.size(), 1u);
    // Pages by planned day.
    OverdueQuery page;
    page.limit = 2;
    auto p1 = shipments_->Overdue(As(rop_), page);
    ASSERT_TRUE(p1->next_cursor);
    page.cursor = p1->next_cursor;
    auto p2 = shipments_->Overdue(As(rop_), page);
    ASSERT_EQ(p2->items.size(), 1u);
    EXPECT_EQ(p2->items[0].planned_date, "2026-03-05");
    EXPECT_EQ(shipments_->Overdue(As(production_), {})->items.size(), 3u);  // production sees the tree below it
}

INSTANTIATE_TEST_SUITE_P(Engines, ShipmentsServiceTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& i) { return otdel::testing::EngineParamName(i.param); });

}  // namespace
}  // namespace otdel::shipments
