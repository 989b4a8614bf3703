#include "catalog/catalog_demo.hpp"

#include <map>
#include <stdexcept>

#include "catalog/catalog_service.hpp"
#include "org/work_calendar.hpp"

namespace otdel::catalog {
namespace {

using core::kDay;

struct DemoProduct {
    const char* sku;
    const char* name;
    const char* unit;
    const char* description;
    std::int64_t roubles;  // retail price, VAT included
    bool made_to_order;
};

// What a small kitchen-furniture maker sells: kitchens by the running metre, worktops, fronts, built-in pieces and
// the services around them. Names and prices are invented.
constexpr DemoProduct kProducts[] = {
    {"KH-MOD-M", "Кухня «Модерн», погонный метр", "пог. м",
     "Корпус ЛДСП 18 мм, фасады МДФ в плёнке, фурнитура с доводчиками. Изготовление 25 рабочих дней.", 64'000, true},
    {"KH-KLS-M", "Кухня «Классика» с патиной, погонный метр", "пог. м",
     "Фасады массив ясеня с патиной, карниз и балюстрада. Изготовление 35 рабочих дней.", 98'500, true},
    {"KH-LOFT-M", "Кухня «Лофт», погонный метр", "пог. м",
     "Фасады шпон дуба и металлические рамки, открытые полки. Изготовление 30 рабочих дней.", 81'000, true},
    {"ST-QUARTZ", "Столешница из кварцевого агломерата 20 мм", "пог. м",
     "Раскрой по шаблону после монтажа корпусов, вырезы под мойку и варочную панель включены.", 36'800, true},
    {"ST-LDSP38", "Столешница ЛДСП 38 мм с кромкой", "пог. м", "Влагостойкая, 12 декоров в наличии.", 6'200, false},
    {"FS-ENAMEL", "Фасад МДФ, эмаль матовая", "м²", "Любой цвет по RAL и NCS, фрезеровка по каталогу.", 15'400, true},
    {"SH-KUPE-2", "Шкаф-купе двухдверный, до 2 м", "шт", "Корпус ЛДСП, двери зеркало или ЛДСП, алюминиевый профиль.",
     71'000, true},
    {"MK-GRANITE", "Мойка гранитная 78 см", "шт", "Искусственный гранит, сифон в комплекте.", 16'900, false},
    {"SM-PULLOUT", "Смеситель с выдвижным изливом", "шт", "Латунь, картридж 35 мм, гарантия 5 лет.", 9'300, false},
    {"LED-KIT", "Подсветка рабочей зоны, комплект", "компл.", "Профиль, лента 4000 K, блок питания, сенсор.", 5'200,
     false},
    {"SRV-MEASURE", "Замер и дизайн-проект", "усл.", "Выезд замерщика, 3D-проект и смета.", 3'000, false},
    {"SRV-DELIVERY", "Доставка по городу", "усл.", "До подъезда, подъём оплачивается отдельно.", 3'500, false},
    {"SRV-INSTALL", "Монтаж кухни", "пог. м", "Сборка, навеска, подключение мойки и подсветки.", 4'800, false},
};

struct DemoLine {
    const char* sku;
    std::int64_t quantity_milli;
    int discount_bp;  // -1: the schemes' suggestion
};

// Lines of a few open deals: a modern kitchen with a stone worktop, a classic one, a loft one with fronts on promotion.
const std::vector<std::vector<DemoLine>> kDealLines = {
    {{"KH-MOD-M", 3'400, -1}, {"ST-QUARTZ", 3'400, -1}, {"MK-GRANITE", 1'000, -1}, {"SRV-INSTALL", 3'400, 0}},
    {{"KH-KLS-M", 4'200, -1}, {"ST-LDSP38", 4'200, -1}, {"SM-PULLOUT", 1'000, -1}, {"SRV-DELIVERY", 1'000, 0}},
    {{"KH-LOFT-M", 5'000, -1}, {"FS-ENAMEL", 6'500, -1}, {"LED-KIT", 2'000, -1}, {"SRV-INSTALL", 5'000, 0}},
    {{"SH-KUPE-2", 2'000, -1}, {"KH-MOD-M", 2'800, -1}, {"SRV-MEASURE", 1'000, 0}},
};

constexpr const char* kCountProducts = "SELECT COUNT(*) FROM products WHERE workspace_id = :ws";
constexpr const char* kOpenDealsOf =
    "SELECT id FROM deals WHERE workspace_id = :ws AND owner_user_id = :u AND status = 'open' AND deleted_at IS NULL "
    "ORDER BY id";

void Check(bool ok, const std::string& what) {
    if (!ok) throw std::runtime_error("demo catalog: " + what);
}

core::Actor SellerActor(core::Id ws, core::Id user) {
    return core::Actor::SignedIn(core::ActorKind::kUser, ws, user, false, core::Lang::kRu, "seed-demo", "", "");
}

}  // namespace

int SeedDemoCatalog(db::Database& db, const core::Clock& clock, core::Id ws, const std::vector<core::Id>& sellers) {
    const long long wsl = ws;
    long long existing = 0;
    db.Read([&](soci::session& sql) {
        sql << kCountProducts, soci::use(wsl, "ws"), soci::into(existing);
        return 0;
    });
    if (existing > 0) return 0;
    CatalogService catalog(db, clock);
    const core::Actor system = core::Actor::System(ws);
    std::map<std::string, core::Id> ids;
    for (const auto& p : kProducts) {
        ProductInput in;
        in.sku = p.sku;
        in.name = p.name;
        in.unit = p.unit;
        in.description = p.description;
        in.vat_rate_bp = 2000;
        in.made_to_order = p.made_to_order;
        auto r = catalog.CreateProduct(system, in);
        Check(r.ok(), std::string("cannot create ") + p.sku);
        ids[p.sku] = r->id;
    }
    // Retail prices for everyone; dealers buy 20 % and developers 12 % below retail (whole roubles).
    struct List {
        const char* name;
        const char* segment;
        int off_bp;
    };
    for (const List& l : {List{"Розничный прайс", "", 0}, List{"Дилерский прайс", "дилер", 2000},
                          List{"Прайс для застройщиков", "застройщик", 1200}}) {
        PriceListInput in;
        in.name = l.name;
        in.currency = "RUB";
        in.client_segment = l.segment;
        auto list = catalog.CreatePriceList(system, in);
        Check(list.ok(), std::string("cannot create ") + l.name);
        std::vector<PriceChange> prices;
        for (const auto& p : kProducts)
            prices.push_back({ids[p.sku], p.roubles * (kFullBp - l.off_bp) / kFullBp * 100});
        Check(catalog.SetPrices(system, list->id, prices).ok(), std::string("cannot price ") + l.name);
    }
    // Schemes of every kind: volume tiers for developers' batches, a segment discount for designers who bring
    // clients, and a month's promotion on enamel fronts.
    const core::Millis now = clock.NowMs();
    SchemeInput volume;
    volume.name = "Партия от 10 пог. м";
    volume.kind = "volume";
    volume.tiers = std::vector<Tier>{{10'000, 300}, {25'000, 500}, {50'000, 800}};
    SchemeInput designers;
    designers.name = "Партнёрам-дизайнерам";
    designers.kind = "segment";
    designers.client_segment = "дизайнер";
    designers.discount_bp = 700;
    SchemeInput promo;
    promo.name = "Месяц эмалевых фасадов";
    promo.kind = "promotion";
    promo.discount_bp = 1000;
    promo.set_product = true;
    promo.product_id = ids["FS-ENAMEL"];
    promo.set_from = promo.set_to = true;
    promo.valid_from = org::LocalDateText("Europe/Moscow", now - 10 * kDay);
    promo.valid_to = org::LocalDateText("Europe/Moscow", now + 20 * kDay);
    for (const SchemeInput* s : {&volume, &designers, &promo})
        Check(catalog.CreateScheme(system, *s).ok(), "cannot create scheme " + *s->name);
    // The key account manager negotiates bigger accounts: up to 15 % without asking.
    Check(catalog.SetLimit(system, "key_account_manager", false, 1500).ok(), "cannot set the KAM's limit");

    // Lines on the sellers' first open deals, entered as the sellers themselves; the last deal's 18 % discount on the
    // kitchen is above a designer's 10 % and waits for the head.
    std::size_t next = 0;
    for (core::Id seller : sellers) {
        if (next >= kDealLines.size()) break;
        std::vector<core::Id> deals;
        db.Read([&](soci::session& sql) {
            long long u = seller, id = 0;
            soci::statement st = (sql.prepare << kOpenDealsOf, soci::into(id), soci::use(wsl, "ws"), soci::use(u, "u"));
            st.execute(false);
            while (st.fetch()) deals.push_back(id);
            return 0;
        });
        if (deals.empty()) continue;
        const core::Actor actor = SellerActor(ws, seller);
        for (const auto& demo : kDealLines[next]) {
            LineInput in;
            in.set_product = true;
            in.product_id = ids[demo.sku];
            in.quantity_milli = demo.quantity_milli;
            if (demo.discount_bp >= 0) in.discount_bp = demo.discount_bp;
            Check(catalog.AddLine(actor, deals.front(), in).ok(), std::string("cannot add line ") + demo.sku);
        }
        ++next;
    }
    if (!sellers.empty()) {
        std::vector<core::Id> deals;
        db.Read([&](soci::session& sql) {
            long long u = sellers.front(), id = 0;
            soci::statement st = (sql.prepare << kOpenDealsOf, soci::into(id), soci::use(wsl, "ws"), soci::use(u, "u"));
            st.execute(false);
            while (st.fetch()) deals.push_back(id);
            return 0;
        });
        if (deals.size() > 1) {
            LineInput in;
            in.set_product = true;
            in.product_id = ids["KH-KLS-M"];
            in.quantity_milli = 3'600;
            in.discount_bp = 1800;
            auto r = catalog.AddLine(SellerActor(ws, sellers.front()), deals[1], in);
            Check(r.ok(), "cannot add the discounted line");
            in.product_id = ids["ST-QUARTZ"];
            in.discount_bp = 500;
            Check(catalog.AddLine(SellerActor(ws, sellers.front()), deals[1], in).ok(), "cannot add the worktop");
        }
    }
    return static_cast<int>(std::size(kProducts));
}

}  // namespace otdel::catalog
