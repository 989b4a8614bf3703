#pragma once
/// The shipments room's types and pure rules (DEAL-8): a deal's shipments with items taken from its lines, the
/// status a shipment goes through, how much of each line may still be shipped, when a shipment is overdue, and the
/// hand-off of made-to-order items to production. No SQL, JSON or HTTP here.
///
/// Units follow the catalog: quantities are thousandths (`quantity_milli`: 1.5 m = 1500); days are YYYY-MM-DD in
/// the workspace's calendar.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"

namespace otdel::shipments {

inline constexpr std::size_t kMaxItems = 200;
inline constexpr std::size_t kMaxAddress = 500;
inline constexpr std::size_t kMaxCarrier = 200;
inline constexpr std::size_t kMaxTracking = 200;
inline constexpr std::size_t kMaxNote = 2000;

/// preparing → shipped → delivered; shipped or delivered → returned.
enum class Status { kPreparing, kShipped, kDelivered, kReturned };
std::string_view StatusName(Status s);
std::optional<Status> ParseStatus(std::string_view s);

/// requested → in_production → ready.
enum class ProductionStatus { kRequested, kInProduction, kReady };
std::string_view ProductionStatusName(ProductionStatus s);
std::optional<ProductionStatus> ParseProductionStatus(std::string_view s);

/// One item of a shipment: a deal line and how much of it goes. The line's words (name, SKU, unit) and whether its
/// product is made to order are copied when the item is written, so the shipment keeps them when the line changes.
struct Item {
    core::Id id = 0;
    core::Id deal_line_id = 0;
    std::optional<core::Id> product_id;
    std::string name, sku, unit;
    std::int64_t quantity_milli = 0;
    bool made_to_order = false;
};

struct ProductionRequest {
    core::Id id = 0;
    core::Id deal_id = 0;
    core::Id shipment_id = 0;
    ProductionStatus status = ProductionStatus::kRequested;
    std::string note;
    std::optional<core::Id> requested_by;
    core::Millis requested_at = 0;
    std::optional<core::Millis> started_at, ready_at;
    core::Millis updated_at = 0;
    // Read with the row for lists and cards.
    std::string deal_title, company_name, owner_name, requested_by_name, planned_date;
    std::optional<core::Id> owner_user_id;
    /// The shipment's made-to-order items: what production makes.
    std::vector<Item> items;
};

struct Shipment {
    core::Id id = 0;
    core::Id deal_id = 0;
    Status status = Status::kPreparing;
    std::string planned_date;
    /// The day it left (set when shipped), arrived (delivered) and came back (returned).
    std::optional<std::string> actual_date, delivered_date, returned_date;
    std::string address, carrier, tracking, note;
    std::vector<Item> items;
    std::optional<ProductionRequest> production;
    std::optional<core::Id> created_by;
    core::Millis created_at = 0, updated_at = 0;
    // Read with the row for lists and cards.
    std::string deal_title, company_name, owner_name;
    std::optional<core::Id> owner_user_id;
    /// Set by the service from the workspace's calendar day (IsOverdue).
    bool overdue = false;
};

/// What a shipment's items may draw on: a line of the deal with the quantity sold.
struct LineStock {
    core::Id deal_line_id = 0;
    std::string name;
    std::int64_t quantity_milli = 0;
};

/// An item as the caller asks for it.
struct ItemInput {
    core::Id deal_line_id = 0;
    std::int64_t quantity_milli = 0;
};

/// The moves a shipment may make: preparing → shipped; shipped → delivered; shipped or delivered → returned
/// (delivered needs shipped first, returned needs it out of the door). Anything else, the same status included, is
/// refused with `shipments.bad_transition`.
core::Result<void> CheckTransition(Status from, Status to);
/// requested → in_production → ready, one step at a time (`shipments.bad_production_transition`).
core::Result<void> CheckProductionTransition(ProductionStatus from, ProductionStatus to);

/// Whether a shipment in `status` counts against its lines: every one but a returned shipment.
bool Counts(Status status);

/// Checks a shipment's items against the deal's lines: at least one item; each names a line of the deal once with a
/// quantity above zero; and per line, what the other shipments that count already carry (`shipped_elsewhere`, by
/// line id) plus this one stays within what was sold. Every over-shipped line is its own error
/// (`items/<i>/quantity_milli`, code `exceeds_sold`, param "<line name>: <sold>, <already shipped>").
std::vector<core::FieldError> CheckItems(const std::vector<ItemInput>& items, const std::vector<LineStock>& lines,
                                         const std::map<core::Id, std::int64_t>& shipped_elsewhere);

/// The fields a shipment carries besides its items: a valid planned date and texts within their limits.
std::vector<core::FieldError> CheckFields(const Shipment& s);

/// Overdue: still being prepared after its planned day (days compare as text).
bool IsOverdue(Status status, const std::string& planned_date, const std::string& today);

/// A shipment holding made-to-order items leaves only when production has them ready: nullopt when it may ship,
/// else the error to answer (`shipments.production_missing` without a request, `shipments.production_not_ready`).
std::optional<core::Error> CheckProductionForShipping(bool has_made_to_order,
                                                      std::optional<ProductionStatus> production);

}  // namespace otdel::shipments
