#pragma once
/// CatalogService (DEAL-3): products, price lists and their prices, discount schemes and the per-role discount
/// limits (settings: role rights on "product" and "discount"); the lines of a deal with their suggested discounts
/// (they follow the deal's visibility and rights), the deal's amount as the sum of its lines, and the head's approval
/// of a discount above the seller's limit. One transaction per change with its audit rows.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "deals/deals_service.hpp"
#include "http/router.hpp"

namespace otdel::catalog {

/// Fields of a product (create: unset means default; update: unset means unchanged).
struct ProductInput {
    std::optional<std::string> name, sku, unit, description;
    std::optional<int> vat_rate_bp;
    std::optional<bool> made_to_order, archived;
};

struct ProductQuery {
    std::optional<std::string> q;
    bool include_archived = false;
    std::optional<std::string> cursor;
    int limit = 50;
    /// Adds each product's price from this list.
    std::optional<core::Id> price_list_id;
};

struct ProductRow {
    Product product;
    std::optional<std::int64_t> price_minor;
};

struct ProductPage {
    std::vector<ProductRow> items;
    std::optional<std::string> next_cursor;
};

struct PriceListInput {
    std::optional<std::string> name, currency, client_segment;
    std::optional<bool> is_default, archived;
};

/// One price to set (a value) or remove (nullopt).
struct PriceChange {
    core::Id product_id = 0;
    std::optional<std::int64_t> price_minor;
};

struct SchemeInput {
    std::optional<std::string> name, kind, client_segment;
    std::optional<int> discount_bp;
    std::optional<std::vector<Tier>> tiers;
    bool set_product = false, set_from = false, set_to = false;
    std::optional<core::Id> product_id;
    std::optional<std::string> valid_from, valid_to;
    std::optional<bool> active, archived;
};

/// A role's discount limit as settings show it: the workspace's own value or the default.
struct LimitView {
    std::string role_code, role_name;
    std::optional<int> max_discount_bp;  // nullopt: no limit
    bool custom = false;                 // the workspace set it (else the built-in default)
    bool decides_discounts = false;
};

/// Fields of a deal line (create: quantity required, the rest from the product and the price list when omitted;
/// update: unset means unchanged).
struct LineInput {
    bool set_product = false;
    std::optional<core::Id> product_id;
    std::optional<std::string> name, sku, unit;
    std::optional<std::int64_t> quantity_milli, unit_price_minor;
    std::optional<int> discount_bp, vat_rate_bp;
};

struct LineView {
    DealLine line;
    Suggestion suggestion;
    std::string explanation;
    /// The line's discount is above what the schemes give and above the viewer's limit.
    bool over_limit = false;
};

/// A deal's lines as the card shows them.
struct DealLines {
    core::Id deal_id = 0;
    std::string currency;
    std::int64_t amount_minor = 0;
    std::vector<LineView> lines;
    std::optional<Approval> approval;  // the current (latest not withdrawn) approval
    int approved_bp = 0;
    std::optional<int> my_limit_bp;
    bool can_edit = false;
    bool can_request = false;
    std::optional<PriceList> price_list;
};

/// What a line with this product and quantity would get.
struct Quote {
    std::optional<Product> product;
    std::optional<std::int64_t> unit_price_minor;
    std::optional<PriceList> price_list;
    Suggestion suggestion;
    std::string explanation;
};

struct ApprovalView {
    Approval approval;
    bool can_decide = false;
};

struct ApprovalPage {
    std::vector<ApprovalView> items;
    std::optional<std::string> next_cursor;
};

class CatalogService {
public:
    CatalogService(db::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

    /// Plugs the catalog's rules into the deals room: a pending or rejected discount keeps a deal out of won and
    /// decision stages, and a deal with lines keeps their sum as its amount.
    void AttachTo(deals::DealsService& deals);

    // ---- settings ----
    core::Result<ProductPage> ListProducts(const core::Actor& a, const ProductQuery& q);
    core::Result<Product> GetProduct(const core::Actor& a, core::Id id);
    core::Result<Product> CreateProduct(const core::Actor& a, const ProductInput& in);
    core::Result<Product> UpdateProduct(const core::Actor& a, core::Id id, const ProductInput& in);

    core::Result<std::vector<PriceList>> ListPriceLists(const core::Actor& a, bool include_archived);
    core::Result<PriceList> CreatePriceList(const core::Actor& a, const PriceListInput& in);
    core::Result<PriceList> UpdatePriceList(const core::Actor& a, core::Id id, const PriceListInput& in);
    core::Result<std::vector<PriceItem>> Prices(const core::Actor& a, core::Id price_list_id);
    core::Result<std::vector<PriceItem>> SetPrices(const core::Actor& a, core::Id price_list_id,
                                                   const std::vector<PriceChange>& changes);

    core::Result<std::vector<DiscountScheme>> ListSchemes(const core::Actor& a, bool include_archived);
    core::Result<DiscountScheme> CreateScheme(const core::Actor& a, const SchemeInput& in);
    core::Result<DiscountScheme> UpdateScheme(const core::Actor& a, core::Id id, const SchemeInput& in);

    core::Result<std::vector<LimitView>> Limits(const core::Actor& a);
    /// Sets a role's limit (`reset`: back to the default; else `max_discount_bp`, nullopt = no limit).
    core::Result<std::vector<LimitView>> SetLimit(const core::Actor& a, const std::string& role_code, bool reset,
                                                  std::optional<int> max_discount_bp);

    // ---- deal lines ----
    core::Result<DealLines> Lines(const core::Actor& a, core::Id deal_id);
    core::Result<Quote> QuoteLine(const core::Actor& a, core::Id deal_id, std::optional<core::Id> product_id,
                                  std::int64_t quantity_milli);
    core::Result<DealLines> AddLine(const core::Actor& a, core::Id deal_id, const LineInput& in);
    core::Result<DealLines> UpdateLine(const core::Actor& a, core::Id deal_id, core::Id line_id, const LineInput& in);
    core::Result<DealLines> DeleteLine(const core::Actor& a, core::Id deal_id, core::Id line_id);

    // ---- approvals ----
    /// The deal's owner asks (again) by hand, with a comment: after a rejection, or to explain the discount.
    core::Result<DealLines> RequestApproval(const core::Actor& a, core::Id deal_id, const std::string& comment);
    core::Result<ApprovalView> Decide(const core::Actor& a, core::Id approval_id, bool approve,
                                      const std::string& comment);
    core::Result<ApprovalPage> ListApprovals(const core::Actor& a, const std::optional<std::string>& status,
                                             const std::optional<std::string>& cursor, int limit);

    /// /api/v1/products…, /api/v1/price-lists…, /api/v1/discount-schemes…, /api/v1/discount-limits…,
    /// /api/v1/deals/{id}/lines…, /api/v1/discount-approvals…
    void Register(http::Router& router);

    /// What the deal's shipments already carry per deal line (the shipments room, set in app/ by its AttachTo): a
    /// line may not be deleted, nor its quantity cut below that. Unset: no line has shipped.
    using ShippedByLine = std::function<std::map<core::Id, std::int64_t>(soci::session&, core::Id ws, core::Id deal)>;
    void SetShippedByLine(ShippedByLine f) { shipped_by_line_ = std::move(f); }

private:
    /// The refusal when `l` would end below what its shipments carry (`quantity` 0: the line is deleted).
    core::Result<void> CheckShipped(soci::session& sql, const DealLine& l, std::int64_t quantity) const;

    db::Database& db_;
    const core::Clock& clock_;
    ShippedByLine shipped_by_line_;
};

}  // namespace otdel::catalog
