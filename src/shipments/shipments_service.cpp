#include "shipments/shipments_service.hpp"

#include <boost/json.hpp>

#include "auth/visibility.hpp"
#include "catalog/catalog_store.hpp"
#include "core/access.hpp"
#include "deals/deals_store.hpp"
#include "events/audit.hpp"
#include "http/json.hpp"
#include "org/absence.hpp"
#include "org/employee_store.hpp"

namespace otdel::shipments {
namespace json = boost::json;
using auth::Action;
using core::Error;
using core::ErrorCode;

namespace {

constexpr const char* kDeal = "deal";
constexpr const char* kProduction = "production";

using core::RequireSignedIn;

using core::NotFound;

// The caller's visibility and today in the workspace's calendar (overdue and dates are calendar days).
struct Context {
    auth::Visibility vis;
    std::string today;
};

Context ContextOf(soci::session& sql, const core::Actor& a, core::Millis now) {
    std::string today = org::store::WorkspaceToday(sql, a.workspace_id, now);
    return {auth::BuildVisibility(sql, a, today), today};
}

using http::OrNull;

json::object Snapshot(const Shipment& s) {
    json::array items;
    for (const auto& i : s.items)
        items.push_back(json::object{{"deal_line_id", i.deal_line_id}, {"quantity_milli", i.quantity_milli}});
    return json::object{{"deal_id", s.deal_id},
                        {"status", StatusName(s.status)},
                        {"planned_date", s.planned_date},
                        {"actual_date", OrNull(s.actual_date)},
                        {"delivered_date", OrNull(s.delivered_date)},
                        {"returned_date", OrNull(s.returned_date)},
                        {"address", s.address},
                        {"carrier", s.carrier},
                        {"tracking", s.tracking},
                        {"note", s.note},
                        {"items", std::move(items)}};
}

json::object ProductionSnapshot(const ProductionRequest& r) {
    json::array items;
    for (const auto& i : r.items)
        items.push_back(json::object{{"deal_line_id", i.deal_line_id}, {"quantity_milli", i.quantity_milli}});
    return json::object{{"deal_id", r.deal_id},
                        {"shipment_id", r.shipment_id},
                        {"status", ProductionStatusName(r.status)},
                        {"note", r.note},
                        {"items", std::move(items)}};
}

// The deal a shipment change touches: invisible (or no deal rights at all) is 404, visible but not the caller's to
// change 403.
core::Result<deals::Deal> WritableDeal(soci::session& sql, const auth::Visibility& vis, core::Id deal_id) {
    if (!vis.Can(Action::kRead, kDeal)) return NotFound();
    const auth::Predicate readable = vis.Read("d");
    auto d = deals::store::SelectDeal(sql, deal_id, readable, false);
    if (!d) return NotFound();
    const auth::Predicate writable = vis.Write("d");
    if (!vis.Can(Action::kUpdate, kDeal) || !deals::store::SelectDeal(sql, deal_id, writable, false))
        return Error::Of(ErrorCode::kForbidden, "shipments.write_forbidden");
    return *d;
}

// A shipment the caller may read, and its deal writable (as WritableDeal).
core::Result<Shipment> WritableShipment(soci::session& sql, const core::Actor& a, const auth::Visibility& vis,
                                        core::Id id) {
    if (!vis.Can(Action::kRead, kDeal)) return NotFound();
    const auth::Predicate readable = vis.Read("d");
    auto s = store::SelectShipment(sql, a.workspace_id, id, readable);
    if (!s) return NotFound();
    auto deal = WritableDeal(sql, vis, s->deal_id);
    if (!deal) return deal.take_error();
    return *s;
}

// Items from the caller's request: each checked against the deal's lines and what the other shipments that count
// carry (`except`: the shipment being edited), then given the line's words and its product's made-to-order flag.
core::Result<std::vector<Item>> BuildItems(soci::session& sql, core::Id ws, core::Id deal_id,
                                           const std::vector<ItemInput>& in, std::optional<core::Id> except) {
    const auto lines = catalog::ReadDealLines(sql, ws, deal_id);
    std::vector<LineStock> stock;
    for (const auto& l : lines) stock.push_back({l.id, l.name, l.quantity_milli});
    auto errs = CheckItems(in, stock, store::CountedByLine(sql, ws, deal_id, except));
    if (!errs.empty()) {
        bool exceeds = false;
        for (auto& e : errs) exceeds = exceeds || e.code == "exceeds_sold";
        return Error{ErrorCode::kValidation, exceeds ? "shipments.exceeds_sold" : "", std::move(errs), 0};
    }
    std::set<core::Id> products;
    for (const auto& l : lines)
        if (l.product_id) products.insert(*l.product_id);
    const auto mto = store::MadeToOrder(sql, ws, products);
    std::vector<Item> out;
    for (const auto& it : in)
        for (const auto& l : lines)
            if (l.id == it.deal_line_id) {
                Item item;
                item.deal_line_id = l.id;
                item.product_id = l.product_id;
                item.name = l.name;
                item.sku = l.sku;
                item.unit = l.unit;
                item.quantity_milli = it.quantity_milli;
                item.made_to_order = l.product_id && mto.count(*l.product_id);
                out.push_back(std::move(item));
            }
    return out;
}

void Apply(Shipment& s, const ShipmentInput& in) {
    if (in.planned_date) s.planned_date = *in.planned_date;
    if (in.address) s.address = *in.address;
    if (in.carrier) s.carrier = *in.carrier;
    if (in.tracking) s.tracking = *in.tracking;
    if (in.note) s.note = *in.note;
}

core::Result<void> Fields(const Shipment& s) {
    auto errs = CheckFields(s);
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    return core::Ok();
}

// A shipment re-read after a change (it exists and is visible: the caller just checked and changed it), with its
// overdue flag for today.
Shipment Reread(soci::session& sql, const core::Actor& a, const Context& ctx, core::Id id) {
    const auth::Predicate readable = ctx.vis.Read("d");
    Shipment s = *store::SelectShipment(sql, a.workspace_id, id, readable);
    s.overdue = IsOverdue(s.status, s.planned_date, ctx.today);
    return s;
}

bool HasMadeToOrder(const Shipment& s) {
    for (const auto& i : s.items)
        if (i.made_to_order) return true;
    return false;
}

// "me" or a user id (the owner filter of the overdue list).
core::Result<std::optional<core::Id>> OwnerOf(const core::Actor& a, const std::optional<std::string>& owner) {
    if (!owner) return std::optional<core::Id>();
    if (*owner == "me") return std::optional<core::Id>(a.user_id);
    char* end = nullptr;
    const long long v = std::strtoll(owner->c_str(), &end, 10);
    if (owner->empty() || *end != '\0' || v < 1)
        return Error{ErrorCode::kBadRequest, {}, {{"owner", "invalid", ""}}, 0};
    return std::optional<core::Id>(v);
}

}  // namespace

void ShipmentsService::AttachTo(catalog::CatalogService& catalog) {
    catalog.SetShippedByLine([](soci::session& sql, core::Id ws, core::Id deal_id) {
        return store::CountedByLine(sql, ws, deal_id, std::nullopt);
    });
}

core::Result<DealShipments> ShipmentsService::OfDeal(const core::Actor& a, core::Id deal_id) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<DealShipments> {
        const auto ctx = ContextOf(sql, a, clock_.NowMs());
        if (!ctx.vis.Can(Action::kRead, kDeal)) return NotFound();
        const auth::Predicate readable = ctx.vis.Read("d");
        if (!deals::store::SelectDeal(sql, deal_id, readable, false)) return NotFound();
        const auth::Predicate writable = ctx.vis.Write("d");
        DealShipments out;
        out.deal_id = deal_id;
        out.today = ctx.today;
        out.can_edit =
            ctx.vis.Can(Action::kUpdate, kDeal) && deals::store::SelectDeal(sql, deal_id, writable, false).has_value();
        out.shipments = store::ShipmentsOfDeal(sql, a.workspace_id, deal_id);
        for (auto& s : out.shipments) s.overdue = IsOverdue(s.status, s.planned_date, ctx.today);
        const auto counted = store::CountedByLine(sql, a.workspace_id, deal_id, std::nullopt);
        std::set<core::Id> products;
        auto lines = catalog::ReadDealLines(sql, a.workspace_id, deal_id);
        for (const auto& l : lines)
            if (l.product_id) products.insert(*l.product_id);
        const auto mto = store::MadeToOrder(sql, a.workspace_id, products);
        for (auto& l : lines) {
            LineView v;
            auto c = counted.find(l.id);
            v.shipped_milli = c == counted.end() ? 0 : c->second;
            v.remaining_milli = std::max<std::int64_t>(0, l.quantity_milli - v.shipped_milli);
            v.made_to_order = l.product_id && mto.count(*l.product_id);
            v.line = std::move(l);
            out.lines.push_back(std::move(v));
        }
        return out;
    });
}

core::Result<Shipment> ShipmentsService::Get(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<Shipment> {
        const auto ctx = ContextOf(sql, a, clock_.NowMs());
        if (!ctx.vis.Can(Action::kRead, kDeal)) return NotFound();
        const auth::Predicate readable = ctx.vis.Read("d");
        auto s = store::SelectShipment(sql, a.workspace_id, id, readable);
        if (!s) return NotFound();
        s->overdue = IsOverdue(s->status, s->planned_date, ctx.today);
        return *s;
    });
}

core::Result<Shipment> ShipmentsService::Create(const core::Actor& a, core::Id deal_id, const ShipmentInput& in) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Shipment> {
        const auto ctx = ContextOf(sql, a, now);
        auto deal = WritableDeal(sql, ctx.vis, deal_id);
        if (!deal) return deal.take_error();
        if (deal->status == "lost") return Error::Of(ErrorCode::kConflict, "shipments.deal_lost");
        Shipment s;
        s.deal_id = deal_id;
        Apply(s, in);
        OTDEL_TRY_VOID(Fields(s));
        store::TouchDeal(sql, a.workspace_id, deal_id, now);  // serialises the quantity check per deal
        auto items =
            BuildItems(sql, a.workspace_id, deal_id, in.items.value_or(std::vector<ItemInput>{}), std::nullopt);
        if (!items) return items.take_error();
        s.items = std::move(*items);
        s.created_by = a.user_id;
        s.created_at = s.updated_at = now;
        s.id = store::InsertShipment(sql, a.workspace_id, s);
        store::ReplaceItems(sql, a.workspace_id, s.id, s.items);
        events::WriteAudit(sql, a, now, {"shipment.create", "shipment", s.id, std::nullopt, Snapshot(s)});
        return Reread(sql, a, ctx, s.id);
    });
}

core::Result<Shipment> ShipmentsService::Update(const core::Actor& a, core::Id id, const ShipmentInput& in) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Shipment> {
        const auto ctx = ContextOf(sql, a, now);
        auto s = WritableShipment(sql, a, ctx.vis, id);
        if (!s) return s.take_error();
        const json::object before = Snapshot(*s);
        Apply(*s, in);
        OTDEL_TRY_VOID(Fields(*s));
        store::TouchDeal(sql, a.workspace_id, s->deal_id, now);
        if (in.items) {
            if (s->status != Status::kPreparing || s->production)
                return Error::Of(ErrorCode::kConflict, "shipments.items_locked");
            auto items = BuildItems(sql, a.workspace_id, s->deal_id, *in.items, s->id);
            if (!items) return items.take_error();
            s->items = std::move(*items);
            store::ReplaceItems(sql, a.workspace_id, s->id, s->items);
        }
        s->updated_at = now;
        store::UpdateShipment(sql, a.workspace_id, *s);
        events::WriteAudit(sql, a, now, {"shipment.update", "shipment", id, before, Snapshot(*s)});
        return Reread(sql, a, ctx, id);
    });
}

core::Result<Shipment> ShipmentsService::SetStatus(const core::Actor& a, core::Id id, Status to,
                                                   const std::optional<std::string>& day_in) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    if (day_in && !org::IsValidDate(*day_in)) return Error::Field("date", "invalid_date");
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Shipment> {
        const auto ctx = ContextOf(sql, a, now);
        auto s = WritableShipment(sql, a, ctx.vis, id);
        if (!s) return s.take_error();
        OTDEL_TRY_VOID(CheckTransition(s->status, to));
        const std::string day = day_in.value_or(ctx.today);
        if (day > ctx.today) return Error::Field("date", "in_future", day);
        if (to != Status::kShipped && s->actual_date && day < *s->actual_date)
            return Error::Field("date", "before_start", *s->actual_date);
        if (to == Status::kShipped) {
            if (auto refused = CheckProductionForShipping(
                    HasMadeToOrder(*s), s->production ? std::optional(s->production->status) : std::nullopt))
                return *refused;
        }
        const json::object before = Snapshot(*s);
        store::TouchDeal(sql, a.workspace_id, s->deal_id, now);
        s->status = to;
        switch (to) {
            case Status::kShipped: s->actual_date = day; break;
            case Status::kDelivered: s->delivered_date = day; break;
            case Status::kReturned: s->returned_date = day; break;
            case Status::kPreparing: break;
        }
        s->updated_at = now;
        store::UpdateShipment(sql, a.workspace_id, *s);
        events::WriteAudit(sql, a, now, {"shipment.status", "shipment", id, before, Snapshot(*s)});
        return Reread(sql, a, ctx, id);
    });
}

core::Result<void> ShipmentsService::Delete(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const auto ctx = ContextOf(sql, a, now);
        auto s = WritableShipment(sql, a, ctx.vis, id);
        if (!s) return s.take_error();
        if (s->status != Status::kPreparing || s->production)
            return Error::Of(ErrorCode::kConflict, "shipments.not_deletable");
        store::TouchDeal(sql, a.workspace_id, s->deal_id, now);
        store::DeleteShipment(sql, a.workspace_id, id);
        events::WriteAudit(sql, a, now, {"shipment.delete", "shipment", id, Snapshot(*s), std::nullopt});
        return core::Ok();
    });
}

core::Result<Shipment> ShipmentsService::HandOff(const core::Actor& a, core::Id id, const std::string& note) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    if (note.size() > kMaxNote) return Error::Field("note", "too_long", std::to_string(kMaxNote));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Shipment> {
        const auto ctx = ContextOf(sql, a, now);
        auto s = WritableShipment(sql, a, ctx.vis, id);
        if (!s) return s.take_error();
        if (s->production) return Error::Of(ErrorCode::kConflict, "shipments.already_handed_off");
        if (s->status != Status::kPreparing) return Error::Of(ErrorCode::kConflict, "shipments.items_locked");
        if (!HasMadeToOrder(*s)) return Error::Field("items", "no_made_to_order");
        ProductionRequest r;
        r.deal_id = s->deal_id;
        r.shipment_id = s->id;
        r.note = note;
        r.requested_by = a.user_id;
        r.requested_at = r.updated_at = now;
        for (const auto& i : s->items)
            if (i.made_to_order) r.items.push_back(i);
        r.id = store::InsertProduction(sql, a.workspace_id, r);
        store::TouchDeal(sql, a.workspace_id, s->deal_id, now);
        events::WriteAudit(
            sql, a, now,
            {"production_request.create", "production_request", r.id, std::nullopt, ProductionSnapshot(r)});
        return Reread(sql, a, ctx, id);
    });
}

core::Result<ProductionPage> ShipmentsService::ListProduction(const core::Actor& a,
                                                              std::optional<ProductionStatus> status,
                                                              const std::optional<std::string>& cursor, int limit) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    std::optional<core::Id> before;
    if (cursor) {
        auto c = http::DecodeCursor(*cursor);
        if (!c || *c <= 0) return Error{ErrorCode::kBadRequest, {}, {{"cursor", "invalid", ""}}, 0};
        before = *c;
    }
    return db_.Read([&](soci::session& sql) -> core::Result<ProductionPage> {
        const auto ctx = ContextOf(sql, a, clock_.NowMs());
        if (!ctx.vis.Can(Action::kRead, kProduction) && !ctx.vis.Can(Action::kRead, kDeal))
            return Error::Of(ErrorCode::kForbidden);
        const auth::Predicate visible = ctx.vis.Read("d");
        ProductionPage page;
        page.items = store::ListProduction(sql, a.workspace_id, status, before, limit + 1, visible);
        if (static_cast<int>(page.items.size()) > limit) {
            page.items.resize(limit);
            page.next_cursor = http::EncodeCursor(page.items.back().id);
        }
        return page;
    });
}

core::Result<ProductionRequest> ShipmentsService::SetProductionStatus(const core::Actor& a, core::Id id,
                                                                      ProductionStatus to) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<ProductionRequest> {
        const auto ctx = ContextOf(sql, a, now);
        if (!ctx.vis.Can(Action::kRead, kProduction) && !ctx.vis.Can(Action::kRead, kDeal)) return NotFound();
        const auth::Predicate readable = ctx.vis.Read("d");
        auto r = store::SelectProduction(sql, a.workspace_id, id, readable);
        if (!r) return NotFound();
        const auth::Predicate writable = ctx.vis.Write("d");
        if (!ctx.vis.Can(Action::kUpdate, kProduction) || !store::SelectProduction(sql, a.workspace_id, id, writable))
            return Error::Of(ErrorCode::kForbidden, "shipments.production_forbidden");
        OTDEL_TRY_VOID(CheckProductionTransition(r->status, to));
        const json::object before = ProductionSnapshot(*r);
        r->status = to;
        if (to == ProductionStatus::kInProduction) r->started_at = now;
        if (to == ProductionStatus::kReady) r->ready_at = now;
        r->updated_at = now;
        store::UpdateProduction(sql, a.workspace_id, *r);
        store::TouchDeal(sql, a.workspace_id, r->deal_id, now);
        events::WriteAudit(sql, a, now,
                           {"production_request.status", "production_request", id, before, ProductionSnapshot(*r)});
        return *store::SelectProduction(sql, a.workspace_id, id, readable);
    });
}

core::Result<OverduePage> ShipmentsService::Overdue(const core::Actor& a, const OverdueQuery& q) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    auto owner = OwnerOf(a, q.owner);
    if (!owner) return owner.take_error();
    std::optional<core::Id> after_id;
    if (q.cursor) {
        auto c = http::DecodeCursor(*q.cursor);
        if (!c || *c <= 0) return Error{ErrorCode::kBadRequest, {}, {{"cursor", "invalid", ""}}, 0};
        after_id = *c;
    }
    return db_.Read([&](soci::session& sql) -> core::Result<OverduePage> {
        const auto ctx = ContextOf(sql, a, clock_.NowMs());
        if (!ctx.vis.Can(Action::kRead, kDeal) && !ctx.vis.Can(Action::kRead, kProduction))
            return Error::Of(ErrorCode::kForbidden);
        store::OverdueFilter f;
        f.today = ctx.today;
        f.owner = *owner;
        if (q.department_id) {
            f.path = store::DepartmentPath(sql, a.workspace_id, *q.department_id);
            if (!f.path) return Error{ErrorCode::kBadRequest, {}, {{"department_id", "invalid", ""}}, 0};
        }
        std::optional<std::pair<std::string, core::Id>> after;
        if (after_id) {
            auto day = store::PlannedDateOf(sql, a.workspace_id, *after_id);
            if (!day) return Error{ErrorCode::kBadRequest, {}, {{"cursor", "invalid", ""}}, 0};
            after = std::make_pair(*day, *after_id);
        }
        const auth::Predicate visible = ctx.vis.Read("d");
        OverduePage page;
        page.today = ctx.today;
        page.items = store::ListOverdue(sql, a.workspace_id, f, after, q.limit + 1, visible);
        for (auto& s : page.items) s.overdue = true;
        if (static_cast<int>(page.items.size()) > q.limit) {
            page.items.resize(q.limit);
            page.next_cursor = http::EncodeCursor(page.items.back().id);
        }
        page.by_owner = store::OverdueByOwner(sql, a.workspace_id, f, visible);
        return page;
    });
}

}  // namespace otdel::shipments
