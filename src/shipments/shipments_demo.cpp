#include "shipments/shipments_demo.hpp"

#include <set>
#include <stdexcept>
#include <vector>

#include "catalog/catalog_store.hpp"
#include "core/messages.hpp"
#include "org/work_calendar.hpp"
#include "shipments/shipments_service.hpp"

namespace otdel::shipments {
namespace {

using core::kDay;

constexpr const char* kCountShipments = "SELECT COUNT(*) FROM shipments WHERE workspace_id = :ws";
// Open demo deals with lines, the oldest first, with their owners (a shipment is made by the deal's owner).
constexpr const char* kDealsWithLines =
    "SELECT d.id, d.owner_user_id FROM deals d WHERE d.workspace_id = :ws AND d.deleted_at IS NULL "
    "AND d.owner_user_id IS NOT NULL AND EXISTS (SELECT 1 FROM deal_lines l WHERE l.workspace_id = d.workspace_id "
    "AND l.deal_id = d.id) ORDER BY d.id LIMIT 2";
constexpr const char* kMadeToOrderProducts = "SELECT id FROM products WHERE workspace_id = :ws AND made_to_order = 1";

template <class T>
T Check(core::Result<T> r, const char* what) {
    if (!r)
        throw std::runtime_error(std::string("demo shipments: ") + what + ": " +
                                 core::ErrorMessage(r.error(), core::Lang::kEn));
    return std::move(*r);
}

}  // namespace

int SeedDemoShipments(db::Database& db, const core::Clock& clock, core::Id workspace_id, core::Id production_manager) {
    const long long ws = workspace_id;
    struct DealRef {
        core::Id id = 0, owner = 0;
    };
    std::vector<DealRef> deals;
    std::set<core::Id> made_to_order;
    long long existing = 0;
    db.Read([&](soci::session& sql) {
        sql << kCountShipments, soci::use(ws, "ws"), soci::into(existing);
        long long id = 0, owner = 0;
        soci::statement st = (sql.prepare << kDealsWithLines, soci::use(ws, "ws"), soci::into(id), soci::into(owner));
        st.execute(false);
        while (st.fetch()) deals.push_back({id, owner});
        long long product = 0;
        soci::statement mto = (sql.prepare << kMadeToOrderProducts, soci::use(ws, "ws"), soci::into(product));
        mto.execute(false);
        while (mto.fetch()) made_to_order.insert(product);
        return 0;
    });
    if (existing > 0 || deals.empty()) return 0;

    ShipmentsService shipments(db, clock);
    const core::Millis now = clock.NowMs();
    auto day = [&](int offset) { return org::LocalDateText("Europe/Moscow", now + offset * kDay); };
    int created = 0;
    for (std::size_t k = 0; k < deals.size(); ++k) {
        const core::Actor owner = core::Actor::SignedIn(core::ActorKind::kUser, workspace_id, deals[k].owner, false,
                                                        core::Lang::kRu, "seed-demo", "127.0.0.1", "seed");
        const auto lines =
            db.Read([&](soci::session& sql) { return catalog::ReadDealLines(sql, workspace_id, deals[k].id); });
        std::vector<ItemInput> stock_items, custom_items;
        for (const auto& l : lines) {
            const bool mto = l.product_id && made_to_order.count(*l.product_id);
            (mto ? custom_items : stock_items).push_back({l.id, l.quantity_milli});
        }
        const std::string address = k == 0 ? "Москва, ул. Лесная, 5, кв. 12" : "Химки, Юбилейный пр-т, 40, кв. 7";
        // Stock items (sinks, taps, worktops in stock) left a few days ago and are on their way.
        if (!stock_items.empty()) {
            ShipmentInput stock;
            stock.items = stock_items;
            stock.planned_date = day(-3);
            stock.address = address;
            stock.carrier = "Своя доставка";
            stock.note = "Подъём на этаж, созвониться за час.";
            const Shipment s = Check(shipments.Create(owner, deals[k].id, stock), "stock shipment");
            Check(shipments.SetStatus(owner, s.id, Status::kShipped, day(-2)), "ship");
            ++created;
        }
        // Made-to-order items: planned for later, handed to production, which has started (first deal) or not yet.
        if (!custom_items.empty()) {
            ShipmentInput custom;
            custom.items = custom_items;
            custom.planned_date = day(21 + 7 * static_cast<int>(k));
            custom.address = address;
            custom.note = "Монтаж сразу после доставки.";
            const Shipment s = Check(shipments.Create(owner, deals[k].id, custom), "made-to-order shipment");
            const Shipment handed =
                Check(shipments.HandOff(owner, s.id, "Цвет фасадов по образцу в договоре."), "hand-off");
            if (k == 0 && production_manager && handed.production) {
                const core::Actor pm = core::Actor::SignedIn(core::ActorKind::kUser, workspace_id, production_manager,
                                                             false, core::Lang::kRu, "seed-demo", "127.0.0.1", "seed");
                Check(shipments.SetProductionStatus(pm, handed.production->id, ProductionStatus::kInProduction),
                      "production start");
            }
            ++created;
        }
    }
    return created;
}

}  // namespace otdel::shipments
