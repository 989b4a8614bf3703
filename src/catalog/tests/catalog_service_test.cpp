// CatalogService and its store on both engines: products with a unique SKU, prices from the segment's or the default
// list, lines that keep the deal's amount (and the board's totals) equal to their sum, deal_lines read back through
// catalog::ReadDealLines with exactly its columns, bad lines changing nothing, and the approval flow with the deals
// room's stage moves refused while a discount waits or was rejected. Audit rows checked.
#include <gtest/gtest.h>

#include "catalog/catalog_service.hpp"
#include "clients/clients_service.hpp"
#include "deals/deals_service.hpp"
#include "leads/tests/lead_fixture.hpp"

namespace otdel::catalog {
namespace {

using leads::testing::LeadsFixture;

class CatalogServiceTest : public LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        clients_ = std::make_unique<clients::ClientsService>(tdb_.db(), clock_);
        deals_ = std::make_unique<deals::DealsService>(tdb_.db(), clock_);
        catalog_ = std::make_unique<CatalogService>(tdb_.db(), clock_);
        catalog_->AttachTo(*deals_);
        sales_ = Dept("Продажи", std::nullopt);
        team_ = Dept("Дизайнеры", sales_);
        designer_ = Person("d1@kuhni.test", "designer_manager", team_);
        other_ = Person("d2@kuhni.test", "designer_manager", team_);
        rop_ = Person("rop@kuhni.test", "head_of_sales", sales_);
        auto p = deals_->ListPipelines(As(rop_), false);
        ASSERT_TRUE(p.ok());
        pipeline_ = p->front();
        kitchen_ = Product("KH-1", "Кухня «Модерн», пог. м", "пог. м");
        sink_ = Product("MK-1", "Мойка гранитная", "шт");
        PriceListInput retail;
        retail.name = "Розница";
        auto r = catalog_->CreatePriceList(As(rop_), retail);
        ASSERT_TRUE(r.ok());
        EXPECT_TRUE(r->is_default) << "the first list is the default";
        ASSERT_TRUE(catalog_->SetPrices(As(rop_), r->id, {{kitchen_, 6'400'000}, {sink_, 1'690'000}}).ok());
        PriceListInput dealers;
        dealers.name = "Дилерам";
        dealers.client_segment = "Дилер";
        auto d = catalog_->CreatePriceList(As(rop_), dealers);
        ASSERT_TRUE(d.ok());
        ASSERT_TRUE(catalog_->SetPrices(As(rop_), d->id, {{kitchen_, 5'120'000}}).ok());
    }
    core::Id Product(const std::string& sku, const std::string& name, const std::string& unit) {
        ProductInput in;
        in.sku = sku;
        in.name = name;
        in.unit = unit;
        in.made_to_order = sku == "KH-1";
        auto p = catalog_->CreateProduct(As(rop_), in);
        EXPECT_TRUE(p.ok());
        return p.ok() ? p->id : 0;
    }
    core::Id NewDeal(core::Id owner, std::optional<core::Id> company = std::nullopt) {
        deals::DealInput in;
        in.title = "Кухня";
        if (company) {
            in.set_company = true;
            in.company_id = company;
        }
        auto d = deals_->Create(As(owner), in);
        EXPECT_TRUE(d.ok());
        return d.ok() ? d->id : 0;
    }
    LineInput Line(core::Id product, std::int64_t qty, std::optional<int> discount = std::nullopt) {
        LineInput in;
        in.set_product = true;
        in.product_id = product;
        in.quantity_milli = qty;
        in.discount_bp = discount;
        return in;
    }
    const deals::Stage& Where(bool decision) {
        for (const auto& s : pipeline_.stages)
            if (decision ? s.is_decision : s.kind == "won") return s;
        throw std::logic_error("stage");
    }
    std::int64_t DealAmount(core::Id id) { return deals_->Get(As(rop_), id)->amount_minor; }

    std::unique_ptr<clients::ClientsService> clients_;
    std::unique_ptr<deals::DealsService> deals_;
    std::unique_ptr<CatalogService> catalog_;
    core::Id sales_ = 0, team_ = 0, designer_ = 0, other_ = 0, rop_ = 0, kitchen_ = 0, sink_ = 0;
    deals::Pipeline pipeline_;
};

TEST_P(CatalogServiceTest, SkuIsUniqueAndSellersOnlyRead) {
    ProductInput dup;
    dup.sku = "KH-1";
    dup.name = "Копия";
    auto r = catalog_->CreateProduct(As(rop_), dup);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields.at(0).code, "not_unique");
    dup.sku = "NEW-1";
    EXPECT_EQ(catalog_->CreateProduct(As(designer_), dup).error().code, core::ErrorCode::kForbidden);
    ProductQuery q;
    q.q = "МОЙКА";
    auto found = catalog_->ListProducts(As(designer_), q);
    ASSERT_TRUE(found.ok());
    ASSERT_EQ(found->items.size(), 1u);
    EXPECT_EQ(found->items[0].product.id, sink_);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'product.create'"), 2);
}

TEST_P(CatalogServiceTest, LinesKeepTheDealAmountAndTheBoardTotalsEqualToTheirSum) {
    const core::Id deal = NewDeal(designer_);
    auto added = catalog_->AddLine(As(designer_), deal, Line(kitchen_, 3'400));
    ASSERT_TRUE(added.ok()) << added.error().message_key;
    EXPECT_EQ(added->lines[0].line.unit_price_minor, 6'400'000);
    EXPECT_EQ(added->lines[0].line.amount_minor, 21'760'000);
    added = catalog_->AddLine(As(designer_), deal, Line(sink_, 1'000, 500));
    ASSERT_TRUE(added.ok());
    EXPECT_EQ(added->lines[1].line.amount_minor, 1'605'500);
    EXPECT_EQ(DealAmount(deal), 21'760'000 + 1'605'500);
    // Other rooms read the lines by their columns.
    const auto lines = tdb_.db().Read([&](soci::session& sql) { return ReadDealLines(sql, ws_, deal); });
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].sku, "KH-1");
    EXPECT_EQ(lines[0].unit, "пог. м");
    EXPECT_EQ(lines[0].quantity_milli, 3'400);
    EXPECT_EQ(lines[1].discount_bp, 500);
    EXPECT_EQ(lines[1].vat_rate_bp, 2'000);
    EXPECT_LT(lines[0].position, lines[1].position);
    // The board's rollup moved with the amount.
    auto board = deals_->BoardOf(As(rop_), pipeline_.id, std::nullopt, std::nullopt, 5);
    ASSERT_TRUE(board.ok());
    std::int64_t total = 0;
    for (const auto& c : board->columns)
        for (const auto& [cur, sum] : c.totals) total += sum;
    EXPECT_EQ(total, 21'760'000 + 1'605'500);
    // A hand-entered amount of another value is refused while the deal has lines.
    deals::DealInput edit;
    edit.amount_minor = 1;
    auto refused = deals_->Update(As(designer_), deal, edit);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().fields.at(0).code, "from_lines");
    auto removed = catalog_->DeleteLine(As(designer_), deal, lines[1].id);
    ASSERT_TRUE(removed.ok());
    EXPECT_EQ(DealAmount(deal), 21'760'000);
    EXPECT_GE(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'deal.amount_from_lines'"), 3);
}

TEST_P(CatalogServiceTest, TheDealersListPricesADealersDeal) {
    clients::CompanyInput c;
    c.name = "Кухонный двор";
    c.tags = std::vector<std::string>{"дилер"};
    auto company = clients_->CreateCompany(As(designer_), c);
    ASSERT_TRUE(company.ok());
    const core::Id deal = NewDeal(designer_, company->company.id);
    auto added = catalog_->AddLine(As(designer_), deal, Line(kitchen_, 1'000));
    ASSERT_TRUE(added.ok());
    EXPECT_EQ(added->lines[0].line.unit_price_minor, 5'120'000);
    EXPECT_EQ(added->price_list->name, "Дилерам");
    auto none = catalog_->AddLine(As(designer_), deal, Line(sink_, 1'000));
    ASSERT_FALSE(none.ok()) << "the dealers' list has no sink";
    EXPECT_EQ(none.error().fields.at(0).code, "no_price");
}

TEST_P(CatalogServiceTest, BadLinesChangeNothing) {
    const core::Id deal = NewDeal(designer_);
    ASSERT_TRUE(catalog_->AddLine(As(designer_), deal, Line(sink_, 1'000)).ok());
    const auto before = DealAmount(deal);
    for (auto in : {Line(sink_, -1'000), Line(sink_, 1'000, 10'001), Line(987'654, 1'000)}) {
        auto r = catalog_->AddLine(As(designer_), deal, in);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
    }
    EXPECT_EQ(DealAmount(deal), before);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM deal_lines"), 1);
    // Another designer's deal does not exist for them; its lines neither.
    EXPECT_EQ(catalog_->Lines(As(other_), deal).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(catalog_->AddLine(As(other_), deal, Line(sink_, 1'000)).error().code, core::ErrorCode::kNotFound);
}

TEST_P(CatalogServiceTest, ADiscountAboveTheLimitWaitsForTheHeadAndKeepsTheDealOpen) {
    const core::Id deal = NewDeal(designer_);
    auto asked = catalog_->AddLine(As(designer_), deal, Line(kitchen_, 2'000, 1'500));
    ASSERT_TRUE(asked.ok());
    ASSERT_TRUE(asked->approval);
    EXPECT_EQ(asked->approval->status, ApprovalStatus::kPending);
    EXPECT_EQ(asked->approval->limit_bp, 1'000);
    for (bool decision : {true, false}) {
        auto moved = deals_->MoveStage(As(designer_), deal, Where(decision).id, std::nullopt, "");
        ASSERT_FALSE(moved.ok());
        EXPECT_EQ(moved.error().code, core::ErrorCode::kConflict);
        EXPECT_EQ(moved.error().message_key, "catalog.approval_pending");
    }
    const core::Id request = asked->approval->id;
    EXPECT_EQ(catalog_->Decide(As(designer_), request, true, "").error().message_key, "catalog.decide_forbidden")
        << "a designer does not decide discounts, own or not";
    EXPECT_EQ(catalog_->Decide(As(rop_), request, false, "").error().code, core::ErrorCode::kValidation);
    auto rejected = catalog_->Decide(As(rop_), request, false, "Не больше 12 %");
    ASSERT_TRUE(rejected.ok());
    EXPECT_EQ(deals_->MoveStage(As(designer_), deal, Where(true).id, std::nullopt, "").error().message_key,
              "catalog.approval_rejected");
    auto again = catalog_->RequestApproval(As(designer_), deal, "Клиент берёт ещё шкаф");
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->approval->request_comment, "Клиент берёт ещё шкаф");
    auto approved = catalog_->Decide(As(rop_), again->approval->id, true, "Ок");
    ASSERT_TRUE(approved.ok());
    auto moved = deals_->MoveStage(As(designer_), deal, Where(true).id, std::nullopt, "");
    EXPECT_TRUE(moved.ok());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE kind LIKE 'catalog.discount_%'"), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE object_type = 'discount_approval'"), 4);
}

TEST_P(CatalogServiceTest, LoweringTheDiscountWithdrawsTheRequestAndLimitsAreSettings) {
    const core::Id deal = NewDeal(designer_);
    auto asked = catalog_->AddLine(As(designer_), deal, Line(kitchen_, 2'000, 2'000));
    ASSERT_TRUE(asked.ok());
    LineInput lower;
    lower.discount_bp = 900;
    auto lowered = catalog_->UpdateLine(As(designer_), deal, asked->lines[0].line.id, lower);
    ASSERT_TRUE(lowered.ok());
    EXPECT_FALSE(lowered->approval) << "withdrawn";
    EXPECT_TRUE(deals_->MoveStage(As(designer_), deal, Where(true).id, std::nullopt, "").ok());
    // The head raises the designers' limit; the same 20 % then needs nobody.
    ASSERT_TRUE(catalog_->SetLimit(As(rop_), "designer_manager", false, 2'500).ok());
    EXPECT_EQ(catalog_->SetLimit(As(designer_), "designer_manager", false, 5'000).error().code,
              core::ErrorCode::kForbidden);
    const core::Id other = NewDeal(designer_);
    auto free = catalog_->AddLine(As(designer_), other, Line(kitchen_, 1'000, 2'000));
    ASSERT_TRUE(free.ok());
    EXPECT_FALSE(free->approval);
    EXPECT_EQ(free->my_limit_bp, 2'500);
}

TEST_P(CatalogServiceTest, EveryCallReadsItsOwnDealsApprovalsAndLines) {
    // The store's statements are prepared once per pooled connection and bound anew for each call: calls that
    // alternate between deals must each answer their own deal's rows, never an earlier call's.
    const core::Id waiting = NewDeal(designer_);
    const core::Id free = NewDeal(designer_);
    ASSERT_TRUE(catalog_->AddLine(As(designer_), waiting, Line(kitchen_, 2'000, 1'500)).ok());
    ASSERT_TRUE(catalog_->AddLine(As(designer_), free, Line(sink_, 3'000)).ok());
    ASSERT_TRUE(catalog_->AddLine(As(designer_), free, Line(sink_, 1'000)).ok());
    for (bool decision : {true, false}) {
        EXPECT_TRUE(deals_->MoveStage(As(designer_), free, Where(decision).id, std::nullopt, "").ok());
        EXPECT_EQ(deals_->MoveStage(As(designer_), waiting, Where(decision).id, std::nullopt, "").error().message_key,
                  "catalog.approval_pending");
    }
    for (int i = 0; i < 2; ++i) {
        auto w = catalog_->Lines(As(rop_), waiting);
        auto f = catalog_->Lines(As(rop_), free);
        ASSERT_TRUE(w.ok() && f.ok());
        ASSERT_EQ(w->lines.size(), 1U);
        EXPECT_EQ(w->lines[0].line.product_id, kitchen_);
        ASSERT_TRUE(w->approval);
        EXPECT_EQ(w->approval->deal_id, waiting);
        ASSERT_EQ(f->lines.size(), 2U);
        EXPECT_EQ(f->lines[1].line.quantity_milli, 1'000);
        EXPECT_FALSE(f->approval);
    }
}

INSTANTIATE_TEST_SUITE_P(Engines, CatalogServiceTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& i) { return otdel::testing::EngineParamName(i.param); });

}  // namespace
}  // namespace otdel::catalog
