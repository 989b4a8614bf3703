#pragma once
/// ShipmentsService (DEAL-8): a deal's shipments — items from its lines within what was sold, the status through
/// preparing → shipped → delivered (or returned), the hand-off of made-to-order items to production — and the
/// overdue list per person and team. Shipments follow their deal: reading them needs `deal: read` and the deal
/// inside the caller's visibility (else 404), changing them `deal: update` on a deal the caller may change (a readable
/// but not writable deal answers 403). Production requests are also seen with `production: read` and moved on with
/// `production: update` (the production manager, the heads). One transaction per change with its audit row.
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/catalog_service.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "shipments/shipment.hpp"
#include "shipments/shipments_store.hpp"

namespace otdel::shipments {

/// Fields of a shipment (create: planned_date and items required; update: unset means unchanged).
struct ShipmentInput {
    std::optional<std::string> planned_date, address, carrier, tracking, note;
    std::optional<std::vector<ItemInput>> items;
};

/// A deal line as the shipments tab shows it: what was sold, what the shipments that count carry, what is left.
struct LineView {
    catalog::DealLine line;
    bool made_to_order = false;
    std::int64_t shipped_milli = 0;
    std::int64_t remaining_milli = 0;
};

struct DealShipments {
    core::Id deal_id = 0;
    std::vector<LineView> lines;
    std::vector<Shipment> shipments;
    /// Whether the caller may add and change this deal's shipments.
    bool can_edit = false;
    std::string today;
};

struct OverdueQuery {
    /// "me" or a user id: that person's deals.
    std::optional<std::string> owner;
    /// Owners placed in this department's subtree (the team).
    std::optional<core::Id> department_id;
    std::optional<std::string> cursor;
    int limit = 50;
};

struct OverduePage {
    std::vector<Shipment> items;
    std::vector<store::OwnerCount> by_owner;
    std::string today;
    std::optional<std::string> next_cursor;
};

struct ProductionPage {
    std::vector<ProductionRequest> items;
    std::optional<std::string> next_cursor;
};

class ShipmentsService {
public:
    ShipmentsService(db::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

    /// Plugs the shipments into the catalog: a deal line its shipments carry cannot be deleted or cut below that.
    static void AttachTo(catalog::CatalogService& catalog);

    core::Result<DealShipments> OfDeal(const core::Actor& a, core::Id deal_id);
    core::Result<Shipment> Get(const core::Actor& a, core::Id id);
    core::Result<Shipment> Create(const core::Actor& a, core::Id deal_id, const ShipmentInput& in);
    /// Items change only while the shipment is being prepared and not yet handed off to production.
    core::Result<Shipment> Update(const core::Actor& a, core::Id id, const ShipmentInput& in);
    /// Moves the shipment on (CheckTransition); `day` is when it happened (today when unset, never in the future).
    /// Shipping made-to-order items needs their production request ready.
    core::Result<Shipment> SetStatus(const core::Actor& a, core::Id id, Status to,
                                     const std::optional<std::string>& day);
    /// Only a shipment still being prepared and not handed off.
    core::Result<void> Delete(const core::Actor& a, core::Id id);
    /// Hands the shipment's made-to-order items to production (one request per shipment).
    core::Result<Shipment> HandOff(const core::Actor& a, core::Id id, const std::string& note);

    core::Result<ProductionPage> ListProduction(const core::Actor& a, std::optional<ProductionStatus> status,
                                                const std::optional<std::string>& cursor, int limit);
    core::Result<ProductionRequest> SetProductionStatus(const core::Actor& a, core::Id id, ProductionStatus to);

    /// Shipments planned before today and still being prepared, visible to the caller along the tree.
    core::Result<OverduePage> Overdue(const core::Actor& a, const OverdueQuery& q);

    /// /api/v1/deals/{id}/shipments, /api/v1/shipments…, /api/v1/production-requests…
    void Register(http::Router& router);

private:
    db::Database& db_;
    const core::Clock& clock_;
};

}  // namespace otdel::shipments
