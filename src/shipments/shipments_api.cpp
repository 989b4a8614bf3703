// HTTP handlers of the shipments room: a deal's shipments and lines, shipment changes and status, the hand-off to
// production, production requests, and the overdue list.
#include <boost/json.hpp>

#include "http/json.hpp"
#include "http/problem.hpp"
#include "shipments/shipments_service.hpp"

namespace otdel::shipments {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

using http::OrNull;

json::array ItemsJson(const std::vector<Item>& items) {
    json::array out;
    for (const auto& i : items)
        out.push_back(json::object{{"id", i.id},
                                   {"deal_line_id", i.deal_line_id},
                                   {"product_id", OrNull(i.product_id)},
                                   {"name", i.name},
                                   {"sku", i.sku},
                                   {"unit", i.unit},
                                   {"quantity_milli", i.quantity_milli},
                                   {"made_to_order", i.made_to_order}});
    return out;
}

json::object ProductionJson(const ProductionRequest& r) {
    return json::object{{"id", r.id},
                        {"deal_id", r.deal_id},
                        {"deal_title", r.deal_title},
                        {"company_name", r.company_name},
                        {"owner_user_id", OrNull(r.owner_user_id)},
                        {"owner_name", r.owner_name},
                        {"shipment_id", r.shipment_id},
                        {"planned_date", r.planned_date},
                        {"status", ProductionStatusName(r.status)},
                        {"note", r.note},
                        {"items", ItemsJson(r.items)},
                        {"requested_by", OrNull(r.requested_by)},
                        {"requested_by_name", r.requested_by_name},
                        {"requested_at", r.requested_at},
                        {"started_at", OrNull(r.started_at)},
                        {"ready_at", OrNull(r.ready_at)},
                        {"updated_at", r.updated_at}};
}

json::object ShipmentJson(const Shipment& s) {
    return json::object{{"id", s.id},
                        {"deal_id", s.deal_id},
                        {"deal_title", s.deal_title},
                        {"company_name", s.company_name},
                        {"owner_user_id", OrNull(s.owner_user_id)},
                        {"owner_name", s.owner_name},
                        {"status", StatusName(s.status)},
                        {"planned_date", s.planned_date},
                        {"actual_date", OrNull(s.actual_date)},
                        {"delivered_date", OrNull(s.delivered_date)},
                        {"returned_date", OrNull(s.returned_date)},
                        {"overdue", s.overdue},
                        {"address", s.address},
                        {"carrier", s.carrier},
                        {"tracking", s.tracking},
                        {"note", s.note},
                        {"items", ItemsJson(s.items)},
                        {"production", s.production ? json::value(ProductionJson(*s.production)) : nullptr},
                        {"created_by", OrNull(s.created_by)},
                        {"created_at", s.created_at},
                        {"updated_at", s.updated_at}};
}

// The body of a create (items and planned_date required) or an update (every field optional).
core::Result<ShipmentInput> ReadInput(const json::object& body, bool create) {
    http::FieldReader f(body);
    ShipmentInput in;
    in.planned_date = f.String("planned_date", {.required = create, .min_len = 0, .max_len = 10});
    in.address = f.String("address", {.required = false, .min_len = 0, .max_len = 10 * kMaxAddress});
    in.carrier = f.String("carrier", {.required = false, .min_len = 0, .max_len = 10 * kMaxCarrier});
    in.tracking = f.String("tracking", {.required = false, .min_len = 0, .max_len = 10 * kMaxTracking});
    in.note = f.String("note", {.required = false, .min_len = 0, .max_len = 10 * kMaxNote});
    f.Known("items");
    if (auto it = body.find("items"); it != body.end()) {
        if (!it->value().is_array()) {
            f.AddError("items", "wrong_type", "array");
        } else {
            std::vector<ItemInput> items;
            const auto& arr = it->value().as_array();
            for (std::size_t i = 0; i < arr.size(); ++i) {
                const std::string at = "items/" + std::to_string(i);
                if (!arr[i].is_object()) {
                    f.AddError(at, "wrong_type", "object");
                    continue;
                }
                const auto& o = arr[i].as_object();
                const auto* line = o.if_contains("deal_line_id");
                const auto* qty = o.if_contains("quantity_milli");
                ItemInput item;
                if (!line || !line->is_int64()) {
                    f.AddError(at + "/deal_line_id", line ? "wrong_type" : "required", "integer");
                } else {
                    item.deal_line_id = line->as_int64();
                }
                if (!qty || !qty->is_int64()) {
                    f.AddError(at + "/quantity_milli", qty ? "wrong_type" : "required", "integer");
                } else {
                    item.quantity_milli = qty->as_int64();
                }
                for (const auto& [k, v] : o)
                    if (k != "deal_line_id" && k != "quantity_milli")
                        f.AddError(at + "/" + std::string(k), "unknown_field");
                items.push_back(item);
            }
            in.items = std::move(items);
        }
    } else if (create) {
        f.AddError("items", "required");
    }
    OTDEL_TRY_VOID(f.Finish());
    return in;
}

}  // namespace

void ShipmentsService::Register(http::Router& router) {
    router.Get("/api/v1/deals/{id}/shipments", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = OfDeal(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        json::array lines, shipments;
        for (const auto& v : r->lines)
            lines.push_back(json::object{{"deal_line_id", v.line.id},
                                         {"product_id", OrNull(v.line.product_id)},
                                         {"name", v.line.name},
                                         {"sku", v.line.sku},
                                         {"unit", v.line.unit},
                                         {"quantity_milli", v.line.quantity_milli},
                                         {"shipped_milli", v.shipped_milli},
                                         {"remaining_milli", v.remaining_milli},
                                         {"made_to_order", v.made_to_order}});
        for (const auto& s : r->shipments) shipments.push_back(ShipmentJson(s));
        return http::Json(json::object{{"deal_id", r->deal_id},
                                       {"can_edit", r->can_edit},
                                       {"today", r->today},
                                       {"lines", std::move(lines)},
                                       {"items", std::move(shipments)}});
    });
    router.Post("/api/v1/deals/{id}/shipments", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadInput(*body, true);
        if (!in) return http::Problem(req, in.error());
        auto r = Create(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, ShipmentJson(*r));
    });
    router.Get("/api/v1/shipments/overdue", Access::kUser, [this](Request& req) {
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        OverdueQuery q;
        q.owner = req.Query("owner");
        if (auto dep = req.Query("department_id")) {
            char* end = nullptr;
            const long long v = std::strtoll(dep->c_str(), &end, 10);
            if (dep->empty() || *end != '\0' || v < 1)
                return http::Problem(
                    req, core::Error{core::ErrorCode::kBadRequest, {}, {{"department_id", "invalid", ""}}, 0});
            q.department_id = v;
        }
        q.cursor = req.Query("cursor");
        q.limit = page->limit;
        auto r = Overdue(req.actor, q);
        if (!r) return http::Problem(req, r.error());
        json::array items, by_owner;
        for (const auto& s : r->items) items.push_back(ShipmentJson(s));
        for (const auto& o : r->by_owner)
            by_owner.push_back(json::object{
                {"owner_user_id", OrNull(o.owner_user_id)}, {"owner_name", o.owner_name}, {"count", o.count}});
        return http::Json(json::object{{"items", std::move(items)},
                                       {"by_owner", std::move(by_owner)},
                                       {"today", r->today},
                                       {"next_cursor", r->next_cursor ? json::value(*r->next_cursor) : nullptr}});
    });
    router.Get("/api/v1/shipments/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Get(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ShipmentJson(*r));
    });
    router.Patch("/api/v1/shipments/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadInput(*body, false);
        if (!in) return http::Problem(req, in.error());
        auto r = Update(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ShipmentJson(*r));
    });
    router.Delete("/api/v1/shipments/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Delete(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return Response::NoContent();
    });
    router.Post("/api/v1/shipments/{id}/status", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto status = f.Enum("status", true, {"shipped", "delivered", "returned", "preparing"});
        auto day = f.String("date", {.required = false, .min_len = 0, .max_len = 10});
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = SetStatus(req.actor, *id, *ParseStatus(*status), day);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ShipmentJson(*r));
    });
    router.Post("/api/v1/shipments/{id}/production", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto note = f.String("note", {.required = false, .min_len = 0, .max_len = 10 * kMaxNote});
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = HandOff(req.actor, *id, note.value_or(""));
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, ShipmentJson(*r));
    });
    router.Get("/api/v1/production-requests", Access::kUser, [this](Request& req) {
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        std::optional<ProductionStatus> status;
        if (auto s = req.Query("status")) {
            status = ParseProductionStatus(*s);
            if (!status)
                return http::Problem(req, core::Error{core::ErrorCode::kBadRequest,
                                                      {},
                                                      {{"status", "not_one_of", "requested, in_production, ready"}},
                                                      0});
        }
        auto r = ListProduction(req.actor, status, req.Query("cursor"), page->limit);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& p : r->items) items.push_back(ProductionJson(p));
        return http::Json(json::object{{"items", std::move(items)},
                                       {"next_cursor", r->next_cursor ? json::value(*r->next_cursor) : nullptr}});
    });
    router.Post("/api/v1/production-requests/{id}/status", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto status = f.Enum("status", true, {"requested", "in_production", "ready"});
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = SetProductionStatus(req.actor, *id, *ParseProductionStatus(*status));
        if (!r) return http::Problem(req, r.error());
        return http::Json(ProductionJson(*r));
    });
}

}  // namespace otdel::shipments
