#pragma once
/// The catalog room's types and pure rules (DEAL-3): products, price lists, discount schemes, the lines of a deal and
/// their amounts, the suggested discount with its explanation, the per-role discount limit and what a saved line
/// does to the deal's discount approval. No SQL, JSON or HTTP here.
///
/// Units: money is integer minor units (kopecks), quantities are thousandths (`quantity_milli`: 1.5 m = 1500),
/// percents are basis points (`*_bp`: 12.5 % = 1250, 100 % = 10000). Prices and amounts include VAT.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/lang.hpp"

namespace otdel::catalog {

inline constexpr int kFullBp = 10000;
inline constexpr std::int64_t kMilli = 1000;
/// A million units of anything on one line.
inline constexpr std::int64_t kMaxQuantityMilli = 1'000'000'000;
/// 10^13 roubles in kopecks: the deals room's ceiling for an amount, for a price and a line alike.
inline constexpr std::int64_t kMaxMoney = 1'000'000'000'000'000LL;
inline constexpr std::size_t kMaxName = 300;
inline constexpr std::size_t kMaxSku = 64;
inline constexpr std::size_t kMaxUnit = 20;
inline constexpr std::size_t kMaxDescription = 4000;
inline constexpr std::size_t kMaxSegment = 100;
inline constexpr std::size_t kMaxLinesPerDeal = 200;
inline constexpr std::size_t kMaxTiers = 20;
inline constexpr std::size_t kMaxComment = 2000;
/// A role without a limit of its own and without the right to decide discounts gives up to 10 % by itself.
inline constexpr int kDefaultSellerLimitBp = 1000;

struct Product {
    core::Id id = 0;
    std::string name, sku, unit = "шт", description;
    int vat_rate_bp = 2000;
    bool made_to_order = false;
    std::optional<core::Millis> archived_at;
    core::Millis created_at = 0, updated_at = 0;
};

struct PriceList {
    core::Id id = 0;
    std::string name, currency = "RUB";
    /// A company segment (one of its tags, compared case-folded); "" = every client.
    std::string client_segment;
    bool is_default = false;
    std::optional<core::Millis> archived_at;
    core::Millis created_at = 0, updated_at = 0;
};

struct PriceItem {
    core::Id product_id = 0;
    std::int64_t price_minor = 0;
};

/// From `min_quantity_milli` on, `discount_bp` (volume schemes).
struct Tier {
    std::int64_t min_quantity_milli = 0;
    int discount_bp = 0;
};

struct DiscountScheme {
    core::Id id = 0;
    std::string name;
    std::string kind;  // volume | segment | promotion
    int discount_bp = 0;
    std::vector<Tier> tiers;     // volume
    std::string client_segment;  // segment
    std::optional<core::Id> product_id;
    std::optional<std::string> valid_from, valid_to;  // promotion, YYYY-MM-DD inclusive
    bool active = true;
    std::optional<core::Millis> archived_at;
    core::Millis created_at = 0, updated_at = 0;
};

/// One line of a deal, as the deal_lines table holds it. Other rooms (billing, shipments) read it through
/// catalog::ReadDealLines.
struct DealLine {
    core::Id workspace_id = 0;
    core::Id id = 0;
    core::Id deal_id = 0;
    int position = 0;
    std::optional<core::Id> product_id;
    std::string name, sku, unit;
    std::int64_t quantity_milli = 0;
    std::int64_t unit_price_minor = 0;
    int discount_bp = 0;
    int vat_rate_bp = 0;
    std::int64_t amount_minor = 0;
    core::Millis created_at = 0, updated_at = 0;
};

const std::vector<std::string>& SchemeKinds();  // volume, segment, promotion

/// quantity × price × (1 − discount), rounded half up to whole minor units, exact (128-bit intermediate).
/// Expects a valid line: 0 < quantity_milli ≤ kMaxQuantityMilli, 0 ≤ price ≤ kMaxMoney, 0 ≤ discount_bp ≤ 10000.
std::int64_t LineAmount(std::int64_t quantity_milli, std::int64_t unit_price_minor, int discount_bp);
/// The VAT inside an amount that includes it: amount × rate / (1 + rate), rounded half up.
std::int64_t VatIncluded(std::int64_t amount_minor, int vat_rate_bp);

/// The fields of a line the service checks before it touches the database: quantity > 0 and within bounds, price ≥ 0,
/// discount 0..100 %, VAT 0..100 %, a name, and an amount that fits. Field names are the API's, prefixed by `at`
/// ("lines/2/quantity_milli").
std::vector<core::FieldError> ValidateLine(const DealLine& line, const std::string& at = "");
std::vector<core::FieldError> ValidateProduct(const Product& p);
std::vector<core::FieldError> ValidatePriceList(const PriceList& p);
/// Kind-specific rules: tiers ascending by threshold with percents 0..100 %; a segment; promotion dates in order.
std::vector<core::FieldError> ValidateScheme(const DiscountScheme& s);

/// What the suggestion looks at: the line's product and quantity, the client's segments (case-folded tags of the
/// deal's company) and today in the workspace's calendar.
struct LineFacts {
    std::optional<core::Id> product_id;
    std::int64_t quantity_milli = 0;
};

/// The suggested discount and why: the scheme that gave it (none: 0 %), and for a volume scheme the tier reached.
struct Suggestion {
    int discount_bp = 0;
    std::optional<core::Id> scheme_id;
    std::string scheme_name;
    std::string kind;  // volume | segment | promotion | "" (none)
    std::optional<Tier> tier;
    std::string segment;
    std::optional<std::string> valid_to;
};

/// The best single discount the schemes give this line (schemes do not add up): for each active scheme that fits
/// (its product or every product; volume — the highest tier the quantity reaches; segment — the client has it;
/// promotion — today within its dates), the largest percent wins, ties to the older scheme. Segments are compared
/// as given: the caller folds both sides.
Suggestion SuggestDiscount(const std::vector<DiscountScheme>& schemes, const LineFacts& line,
                           const std::set<std::string>& client_segments, std::string_view today);
/// "Объёмная скидка «Опт»: от 10 шт. — 5 %" / "Volume discount "Bulk": from 10 units — 5 %"; "" when none applies.
std::string Explain(const Suggestion& s, const std::string& unit, core::Lang lang);

/// "12.5 %", "5 %": basis points as people write percents.
std::string PercentText(int bp);
/// "1.5", "10": thousandths as a quantity.
std::string QuantityText(std::int64_t quantity_milli);

/// The price list a deal's lines take prices from: a live list in the deal's currency for one of the client's
/// segments (the oldest such), else the default list when its currency fits, else the oldest live list of the
/// currency for every client. Segments compared as given (the caller folds both sides). nullopt: none fits.
std::optional<PriceList> ChoosePriceList(const std::vector<PriceList>& lists, const std::string& currency,
                                         const std::set<std::string>& client_segments);

// ---- discount limits and approval ----

/// A role's limit when the workspace set none: roles that decide discounts (discount:update) have none (nullopt),
/// the others kDefaultSellerLimitBp.
std::optional<int> DefaultDiscountLimit(bool decides_discounts);
/// Whether `discount_bp` needs nobody's approval under `limit_bp` (nullopt = no limit).
bool WithinLimit(int discount_bp, std::optional<int> limit_bp);

enum class ApprovalStatus { kPending, kApproved, kRejected, kWithdrawn };
std::string_view ApprovalStatusName(ApprovalStatus s);
std::optional<ApprovalStatus> ParseApprovalStatus(std::string_view name);

struct Approval {
    core::Id id = 0;
    core::Id deal_id = 0;
    ApprovalStatus status = ApprovalStatus::kPending;
    int discount_bp = 0;
    std::optional<int> limit_bp;
    std::optional<core::Id> requested_by, decided_by;
    std::string request_comment, decision_comment;
    core::Millis requested_at = 0;
    std::optional<core::Millis> decided_at;
    core::Millis updated_at = 0;
    // Read with the row for lists and cards.
    std::string deal_title, requested_by_name, decided_by_name, deal_currency;
    std::optional<core::Id> deal_owner_user_id;
    std::int64_t deal_amount_minor = 0;
};

/// A deal's approvals as the rules need them: the latest one that is not withdrawn (the deal's state) and the
/// largest discount ever approved on it (what is already covered).
struct ApprovalState {
    std::optional<Approval> current;
    int approved_bp = 0;
};
/// Builds the state from a deal's approvals (any order).
ApprovalState StateOf(const std::vector<Approval>& approvals);
/// A deal waiting for (pending) or refused (rejected) a discount may not be won nor enter the decision stage.
bool BlocksClosing(const ApprovalState& s);

/// What saving lines does to the deal's approval.
struct ApprovalChange {
    enum class Kind { kNone, kRequest, kRaise, kWithdraw } kind = Kind::kNone;
    /// kRequest / kRaise: the discount to approve — the deal's largest line discount after the save.
    int discount_bp = 0;
};
/// `changed` are the discounts the actor set or changed in this save (new lines and changed discounts), `max_after`
/// the largest line discount of the deal after it, `actor_limit` the actor's limit. A changed discount above the
/// actor's limit and above what is approved asks for approval (a new request, or a raise of the pending one); when
/// no such discount remains and every line is within the requester's limit or the approved discount, a pending or
/// rejected request is withdrawn.
ApprovalChange OnLinesSaved(const std::vector<int>& changed, int max_after, std::optional<int> actor_limit,
                            const ApprovalState& state);
/// Whether the deal's owner may ask again by hand (after a rejection, with a new comment): the deal's largest
/// discount is above the actor's limit and what is approved, and nothing is pending.
bool MayRequest(int max_after, std::optional<int> actor_limit, const ApprovalState& state);

}  // namespace otdel::catalog
