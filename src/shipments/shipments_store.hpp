#pragma once
/// SQL of the shipments room: named statements with bound parameters. Shipments and production requests follow their
/// deal: every list and by-id read joins `deals d` and carries the visibility predicate on it (alias "d", owner
/// d.owner_user_id); reads by deal id without a predicate are for the service after it checked the deal itself.
#include <soci/soci.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "auth/visibility.hpp"
#include "shipments/shipment.hpp"

namespace otdel::shipments::store {

// ---- shipments ----
/// A deal's shipments by id, with their items and production requests.
std::vector<Shipment> ShipmentsOfDeal(soci::session& sql, core::Id ws, core::Id deal_id);
/// One shipment under `visible` (alias "d"), with items and production; the deal must be live.
std::optional<Shipment> SelectShipment(soci::session& sql, core::Id ws, core::Id id, const auth::Predicate& visible);
/// Per deal line, what the deal's shipments that count (not returned) carry, leaving out `except` (the one edited).
std::map<core::Id, std::int64_t> CountedByLine(soci::session& sql, core::Id ws, core::Id deal_id,
                                               std::optional<core::Id> except);
core::Id InsertShipment(soci::session& sql, core::Id ws, const Shipment& s);
void UpdateShipment(soci::session& sql, core::Id ws, const Shipment& s);
/// Replaces a shipment's items with `items` (ids are given by the database).
void ReplaceItems(soci::session& sql, core::Id ws, core::Id shipment_id, const std::vector<Item>& items);
void DeleteShipment(soci::session& sql, core::Id ws, core::Id id);
/// A shipment change is activity on its deal (DEAL-10): bumps last_activity_at. The UPDATE also takes the deal's row
/// lock, so two changes of one deal's shipments (and their quantity check) run one after the other on PostgreSQL too.
void TouchDeal(soci::session& sql, core::Id ws, core::Id deal_id, core::Millis now);

/// Which of these products are made to order.
std::set<core::Id> MadeToOrder(soci::session& sql, core::Id ws, const std::set<core::Id>& product_ids);

// ---- overdue (DEAL-8) ----
struct OverdueFilter {
    std::string today;                // shipments planned before it and still preparing
    std::optional<core::Id> owner;    // the deal's owner
    std::optional<std::string> path;  // owners placed in this department's subtree ("/1/4/")
};
/// Oldest planned day first, then id; keyset after (`after_date`, `after_id`).
std::vector<Shipment> ListOverdue(soci::session& sql, core::Id ws, const OverdueFilter& f,
                                  const std::optional<std::pair<std::string, core::Id>>& after, int limit,
                                  const auth::Predicate& visible);
struct OwnerCount {
    std::optional<core::Id> owner_user_id;
    std::string owner_name;
    long long count = 0;
};
/// The same shipments counted per deal owner, most first.
std::vector<OwnerCount> OverdueByOwner(soci::session& sql, core::Id ws, const OverdueFilter& f,
                                       const auth::Predicate& visible);
/// The planned day of a shipment (for a keyset cursor).
std::optional<std::string> PlannedDateOf(soci::session& sql, core::Id ws, core::Id id);
/// The department's path ("/1/4/"), when it exists.
std::optional<std::string> DepartmentPath(soci::session& sql, core::Id ws, core::Id department_id);

// ---- production requests ----
core::Id InsertProduction(soci::session& sql, core::Id ws, const ProductionRequest& r);
void UpdateProduction(soci::session& sql, core::Id ws, const ProductionRequest& r);
/// One request under `visible` (alias "d"), with its shipment's made-to-order items.
std::optional<ProductionRequest> SelectProduction(soci::session& sql, core::Id ws, core::Id id,
                                                  const auth::Predicate& visible);
/// Requests under `visible`, newest first, keyset by id; `status` filters when set.
std::vector<ProductionRequest> ListProduction(soci::session& sql, core::Id ws, std::optional<ProductionStatus> status,
                                              std::optional<core::Id> before, int limit,
                                              const auth::Predicate& visible);

}  // namespace otdel::shipments::store
