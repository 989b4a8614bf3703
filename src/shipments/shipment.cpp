#include "shipments/shipment.hpp"

#include <set>

#include "catalog/catalog.hpp"
#include "org/absence.hpp"

namespace otdel::shipments {
namespace {

constexpr std::pair<Status, std::string_view> kStatuses[] = {
    {Status::kPreparing, "preparing"},
    {Status::kShipped, "shipped"},
    {Status::kDelivered, "delivered"},
    {Status::kReturned, "returned"},
};
constexpr std::pair<ProductionStatus, std::string_view> kProductionStatuses[] = {
    {ProductionStatus::kRequested, "requested"},
    {ProductionStatus::kInProduction, "in_production"},
    {ProductionStatus::kReady, "ready"},
};

std::size_t CharLen(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

}  // namespace

std::string_view StatusName(Status s) {
    for (const auto& [v, name] : kStatuses)
        if (v == s) return name;
    return "preparing";
}

std::optional<Status> ParseStatus(std::string_view s) {
    for (const auto& [v, name] : kStatuses)
        if (name == s) return v;
    return std::nullopt;
}

std::string_view ProductionStatusName(ProductionStatus s) {
    for (const auto& [v, name] : kProductionStatuses)
        if (v == s) return name;
    return "requested";
}

std::optional<ProductionStatus> ParseProductionStatus(std::string_view s) {
    for (const auto& [v, name] : kProductionStatuses)
        if (name == s) return v;
    return std::nullopt;
}

core::Result<void> CheckTransition(Status from, Status to) {
    const bool ok = (from == Status::kPreparing && to == Status::kShipped) ||
                    (from == Status::kShipped && (to == Status::kDelivered || to == Status::kReturned)) ||
                    (from == Status::kDelivered && to == Status::kReturned);
    if (ok) return core::Ok();
    return core::Error{
        core::ErrorCode::kConflict,
        "shipments.bad_transition",
        {{"status", "bad_transition", std::string(StatusName(from)) + " → " + std::string(StatusName(to))}},
        0};
}

core::Result<void> CheckProductionTransition(ProductionStatus from, ProductionStatus to) {
    const bool ok = (from == ProductionStatus::kRequested && to == ProductionStatus::kInProduction) ||
                    (from == ProductionStatus::kInProduction && to == ProductionStatus::kReady);
    if (ok) return core::Ok();
    return core::Error{core::ErrorCode::kConflict,
                       "shipments.bad_production_transition",
                       {{"status", "bad_transition",
                         std::string(ProductionStatusName(from)) + " → " + std::string(ProductionStatusName(to))}},
                       0};
}

bool Counts(Status status) {
    return status != Status::kReturned;
}

std::vector<core::FieldError> CheckItems(const std::vector<ItemInput>& items, const std::vector<LineStock>& lines,
                                         const std::map<core::Id, std::int64_t>& shipped_elsewhere) {
    std::vector<core::FieldError> errs;
    if (items.empty()) errs.push_back({"items", "required", ""});
    if (items.size() > kMaxItems) errs.push_back({"items", "too_many", std::to_string(kMaxItems)});
    std::map<core::Id, const LineStock*> by_id;
    for (const auto& l : lines) by_id.emplace(l.deal_line_id, &l);
    std::set<core::Id> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const ItemInput& it = items[i];
        const std::string at = "items/" + std::to_string(i) + "/";
        auto line = by_id.find(it.deal_line_id);
        if (line == by_id.end()) {
            errs.push_back({at + "deal_line_id", "invalid", ""});
            continue;
        }
        if (!seen.insert(it.deal_line_id).second) {
            errs.push_back({at + "deal_line_id", "not_unique", ""});
            continue;
        }
        if (it.quantity_milli <= 0 || it.quantity_milli > catalog::kMaxQuantityMilli) {
            errs.push_back({at + "quantity_milli", "out_of_range", "1–" + std::to_string(catalog::kMaxQuantityMilli)});
            continue;
        }
        const LineStock& l = *line->second;
        auto other = shipped_elsewhere.find(l.deal_line_id);
        const std::int64_t already = other == shipped_elsewhere.end() ? 0 : other->second;
        if (already + it.quantity_milli > l.quantity_milli)
            errs.push_back(
                {at + "quantity_milli", "exceeds_sold",
                 l.name + ": " + catalog::QuantityText(l.quantity_milli) + ", " + catalog::QuantityText(already)});
    }
    return errs;
}

std::vector<core::FieldError> CheckFields(const Shipment& s) {
    std::vector<core::FieldError> errs;
    if (s.planned_date.empty()) {
        errs.push_back({"planned_date", "required", ""});
    } else if (!org::IsValidDate(s.planned_date)) {
        errs.push_back({"planned_date", "invalid_date", ""});
    }
    const std::pair<const char*, std::pair<const std::string*, std::size_t>> texts[] = {
        {"address", {&s.address, kMaxAddress}},
        {"carrier", {&s.carrier, kMaxCarrier}},
        {"tracking", {&s.tracking, kMaxTracking}},
        {"note", {&s.note, kMaxNote}},
    };
    for (const auto& [field, text] : texts)
        if (CharLen(*text.first) > text.second) errs.push_back({field, "too_long", std::to_string(text.second)});
    return errs;
}

bool IsOverdue(Status status, const std::string& planned_date, const std::string& today) {
    return status == Status::kPreparing && !planned_date.empty() && planned_date < today;
}

std::optional<core::Error> CheckProductionForShipping(bool has_made_to_order,
                                                      std::optional<ProductionStatus> production) {
    if (!has_made_to_order) return std::nullopt;
    if (!production) return core::Error::Of(core::ErrorCode::kConflict, "shipments.production_missing");
    if (*production != ProductionStatus::kReady)
        return core::Error::Of(core::ErrorCode::kConflict, "shipments.production_not_ready");
    return std::nullopt;
}

}  // namespace otdel::shipments
