#pragma once
/// SQL of the catalog room: named statements with bound parameters. Products, price lists, schemes and limits are
/// workspace settings (scoped by workspace_id); deal lines and approvals follow their deal, whose visibility the
/// service checks (the approval list carries the deals' predicate itself).
#include <soci/soci.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/visibility.hpp"
#include "catalog/catalog.hpp"

namespace otdel::catalog {

/// The lines of a deal by position, without visibility: for other rooms (billing, shipments) reading inside their
/// own checked transaction. The columns are deal_lines' own (see migrations/*/0011_catalog.sql).
std::vector<DealLine> ReadDealLines(soci::session& sql, core::Id ws, core::Id deal_id);

}  // namespace otdel::catalog

namespace otdel::catalog::store {

// ---- products ----
struct ProductFilter {
    std::optional<std::string> q;  // name or SKU contains (case-folded name, SKU as typed)
    bool include_archived = false;
    std::optional<std::pair<std::string, core::Id>> after;  // keyset: (name, id)
};
std::vector<Product> ListProducts(soci::session& sql, core::Id ws, const ProductFilter& f, int limit);
std::optional<Product> SelectProduct(soci::session& sql, core::Id ws, core::Id id);
std::optional<core::Id> ProductIdBySku(soci::session& sql, core::Id ws, const std::string& sku);
core::Id InsertProduct(soci::session& sql, core::Id ws, const Product& p, core::Millis now);
void UpdateProduct(soci::session& sql, core::Id ws, const Product& p, core::Millis now);
long long CountProducts(soci::session& sql, core::Id ws);

// ---- price lists ----
std::vector<PriceList> ListPriceLists(soci::session& sql, core::Id ws, bool include_archived);
std::optional<PriceList> SelectPriceList(soci::session& sql, core::Id ws, core::Id id);
core::Id InsertPriceList(soci::session& sql, core::Id ws, const PriceList& p, core::Millis now);
void UpdatePriceList(soci::session& sql, core::Id ws, const PriceList& p, core::Millis now);
/// Makes `id` the workspace's only default price list.
void SetDefaultPriceList(soci::session& sql, core::Id ws, core::Id id, core::Millis now);
std::vector<PriceItem> SelectPrices(soci::session& sql, core::Id ws, core::Id price_list_id);
std::optional<std::int64_t> PriceOf(soci::session& sql, core::Id ws, core::Id price_list_id, core::Id product_id);
void UpsertPrice(soci::session& sql, core::Id ws, core::Id price_list_id, core::Id product_id, std::int64_t price,
                 core::Millis now);
void DeletePrice(soci::session& sql, core::Id ws, core::Id price_list_id, core::Id product_id);

// ---- discount schemes ----
std::vector<DiscountScheme> ListSchemes(soci::session& sql, core::Id ws, bool include_archived);
std::optional<DiscountScheme> SelectScheme(soci::session& sql, core::Id ws, core::Id id);
core::Id InsertScheme(soci::session& sql, core::Id ws, const DiscountScheme& s, core::Millis now);
void UpdateScheme(soci::session& sql, core::Id ws, const DiscountScheme& s, core::Millis now);

// ---- deal lines ----
std::optional<DealLine> SelectLine(soci::session& sql, core::Id ws, core::Id id);
core::Id InsertLine(soci::session& sql, const DealLine& l);
void UpdateLine(soci::session& sql, const DealLine& l);
void DeleteLine(soci::session& sql, core::Id ws, core::Id id);

/// What the service needs of a deal: read under `visible` (alias "d"), live or deleted.
struct DealRef {
    core::Id id = 0;
    std::optional<core::Id> owner_user_id, company_id;
    std::string title, status, currency;
    std::int64_t amount_minor = 0;
    bool deleted = false;
};
std::optional<DealRef> SelectDealRef(soci::session& sql, core::Id id, const auth::Predicate& visible);
/// The company's tags (its segments), as stored.
std::vector<std::string> CompanyTags(soci::session& sql, core::Id ws, core::Id company_id);
/// Today in the workspace's calendar (YYYY-MM-DD).

// ---- limits ----
struct LimitRow {
    std::string role_code;
    std::optional<int> max_discount_bp;
};
std::vector<LimitRow> SelectLimits(soci::session& sql, core::Id ws);
/// The workspace's row for a role: nullopt when none; a row whose limit is nullopt means "no limit".
std::optional<LimitRow> SelectLimit(soci::session& sql, core::Id ws, const std::string& role_code);
void UpsertLimit(soci::session& sql, core::Id ws, const LimitRow& row, core::Millis now);
void DeleteLimit(soci::session& sql, core::Id ws, const std::string& role_code);
/// The role code of an active employee (nullopt: not placed).
std::optional<std::string> RoleCodeOf(soci::session& sql, core::Id ws, core::Id user_id);

struct RoleRef {
    std::string code, name_ru, name_en;
    bool decides_discounts = false;  // its permission set grants discount:update
};
/// The workspace's live roles.
std::vector<RoleRef> Roles(soci::session& sql, core::Id ws);

// ---- approvals ----
std::vector<Approval> ApprovalsOfDeal(soci::session& sql, core::Id ws, core::Id deal_id);
std::optional<Approval> SelectApproval(soci::session& sql, core::Id ws, core::Id id);
core::Id InsertApproval(soci::session& sql, core::Id ws, const Approval& a);
void UpdateApproval(soci::session& sql, core::Id ws, const Approval& a);
/// Approvals of the deals under `visible` (alias "d"), newest first, keyset by id; `status` filters when set;
/// `exclude_requester` leaves out one person's own requests (a head does not decide their own).
std::vector<Approval> ListApprovals(soci::session& sql, const std::optional<std::string>& status,
                                    std::optional<core::Id> exclude_requester, std::optional<core::Id> before,
                                    int limit, const auth::Predicate& visible);

}  // namespace otdel::catalog::store
