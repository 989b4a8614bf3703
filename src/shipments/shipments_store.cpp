#include "shipments/shipments_store.hpp"

#include <array>

#include "db/nullable.hpp"

namespace otdel::shipments::store {
namespace {

using NullId = db::NullableId;
using NullText = db::NullableText;

constexpr const char* kShipmentColumns =
    "SELECT s.id, s.deal_id, s.status, s.planned_date, s.actual_date, s.delivered_date, s.returned_date, s.address, "
    "s.carrier, s.tracking, s.note, s.created_by, s.created_at, s.updated_at, d.title, COALESCE(c.name, ''), "
    "d.owner_user_id, COALESCE(u.full_name, '')";
constexpr const char* kShipmentFrom =
    " FROM shipments s JOIN deals d ON d.workspace_id = s.workspace_id AND d.id = s.deal_id "
    "LEFT JOIN companies c ON c.workspace_id = d.workspace_id AND c.id = d.company_id "
    "LEFT JOIN users u ON u.workspace_id = d.workspace_id AND u.id = d.owner_user_id";
constexpr const char* kOfDeal = " WHERE s.workspace_id = :ws AND s.deal_id = :deal ORDER BY s.id";
constexpr const char* kById = " WHERE s.id = :id AND {visible} AND d.deleted_at IS NULL";
// The overdue list and its counts share this condition (owner and department filters are appended).
constexpr const char* kOverdueWhere =
    " WHERE s.workspace_id = :ws AND {visible} AND d.deleted_at IS NULL AND s.status = 'preparing' "
    "AND s.planned_date < :today";
constexpr const char* kOverdueOwner = " AND d.owner_user_id = :owner";
constexpr const char* kOverduePath =
    " AND d.owner_user_id IN (SELECT e.user_id FROM employees e JOIN departments dep ON dep.workspace_id = "
    "e.workspace_id AND dep.id = e.department_id WHERE e.workspace_id = :ws2 AND dep.path LIKE :path)";
constexpr const char* kOverdueAfter =
    " AND (s.planned_date > :after_date OR (s.planned_date = :after_date2 AND s.id > :after_id))";
constexpr const char* kOverdueByOwner =
    "SELECT d.owner_user_id, COALESCE(u.full_name, ''), COUNT(*) FROM shipments s JOIN deals d ON d.workspace_id = "
    "s.workspace_id AND d.id = s.deal_id LEFT JOIN users u ON u.workspace_id = d.workspace_id AND u.id = "
    "d.owner_user_id";

constexpr const char* kInsertShipment =
    "INSERT INTO shipments (workspace_id, deal_id, status, planned_date, actual_date, delivered_date, returned_date, "
    "address, carrier, tracking, note, created_by, created_at, updated_at) VALUES (:ws, :deal, :status, :planned, "
    ":actual, :delivered, :returned, :address, :carrier, :tracking, :note, :by, :created, :updated) RETURNING id";
constexpr const char* kUpdateShipment =
    "UPDATE shipments SET status = :status, planned_date = :planned, actual_date = :actual, delivered_date = "
    ":delivered, returned_date = :returned, address = :address, carrier = :carrier, tracking = :tracking, note = "
    ":note, updated_at = :updated WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDeleteItems = "DELETE FROM shipment_items WHERE workspace_id = :ws AND shipment_id = :id";
constexpr const char* kDeleteShipment = "DELETE FROM shipments WHERE workspace_id = :ws AND id = :id";
constexpr const char* kInsertItem =
    "INSERT INTO shipment_items (workspace_id, shipment_id, deal_line_id, product_id, name, sku, unit, "
    "quantity_milli, made_to_order) VALUES (:ws, :shipment, :line, :product, :name, :sku, :unit, :qty, :mto)";
constexpr const char* kItemColumns =
    "SELECT i.shipment_id, i.id, i.deal_line_id, i.product_id, i.name, i.sku, i.unit, i.quantity_milli, "
    "i.made_to_order FROM shipment_items i WHERE i.workspace_id = :ws AND i.shipment_id IN (";
constexpr const char* kCountedByLine =
    "SELECT i.deal_line_id, CAST(SUM(i.quantity_milli) AS BIGINT) FROM shipment_items i JOIN shipments s ON "
    "s.workspace_id = i.workspace_id AND s.id = i.shipment_id WHERE s.workspace_id = :ws AND s.deal_id = :deal AND "
    "s.status <> 'returned' AND s.id <> :except GROUP BY i.deal_line_id";
constexpr const char* kTouchDeal = "UPDATE deals SET last_activity_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kMadeToOrder =
    "SELECT id FROM products WHERE workspace_id = :ws AND made_to_order = 1 AND id IN (";
constexpr const char* kPlannedDate = "SELECT planned_date FROM shipments WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDepartmentPath = "SELECT path FROM departments WHERE workspace_id = :ws AND id = :id";

constexpr const char* kProductionColumns =
    "SELECT r.id, r.deal_id, r.shipment_id, r.status, r.note, r.requested_by, r.requested_at, r.started_at, "
    "r.ready_at, r.updated_at, d.title, COALESCE(c.name, ''), d.owner_user_id, COALESCE(u.full_name, ''), "
    "COALESCE(q.full_name, ''), s.planned_date FROM production_requests r "
    "JOIN deals d ON d.workspace_id = r.workspace_id AND d.id = r.deal_id "
    "JOIN shipments s ON s.workspace_id = r.workspace_id AND s.id = r.shipment_id "
    "LEFT JOIN companies c ON c.workspace_id = d.workspace_id AND c.id = d.company_id "
    "LEFT JOIN users u ON u.workspace_id = d.workspace_id AND u.id = d.owner_user_id "
    "LEFT JOIN users q ON q.workspace_id = r.workspace_id AND q.id = r.requested_by";
constexpr const char* kInsertProduction =
    "INSERT INTO production_requests (workspace_id, deal_id, shipment_id, status, note, requested_by, requested_at, "
    "started_at, ready_at, updated_at) VALUES (:ws, :deal, :shipment, :status, :note, :by, :at, :started, :ready, "
    ":updated) RETURNING id";
constexpr const char* kUpdateProduction =
    "UPDATE production_requests SET status = :status, note = :note, started_at = :started, ready_at = :ready, "
    "updated_at = :updated WHERE workspace_id = :ws AND id = :id";

// Row buffers of kShipmentColumns.
struct ShipmentInto {
    long long id = 0, deal = 0, by = 0, created = 0, updated = 0, owner = 0;
    std::string status, planned, actual, delivered, returned, address, carrier, tracking, note, title, company,
        owner_name;
    std::array<soci::indicator, 5> ind{};

    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(deal));
        st.exchange(soci::into(status));
        st.exchange(soci::into(planned));
        st.exchange(soci::into(actual, ind[0]));
        st.exchange(soci::into(delivered, ind[1]));
        st.exchange(soci::into(returned, ind[2]));
        st.exchange(soci::into(address));
        st.exchange(soci::into(carrier));
        st.exchange(soci::into(tracking));
        st.exchange(soci::into(note));
        st.exchange(soci::into(by, ind[3]));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
        st.exchange(soci::into(title));
        st.exchange(soci::into(company));
        st.exchange(soci::into(owner, ind[4]));
        st.exchange(soci::into(owner_name));
    }
    Shipment Take() const {
        auto text = [&](const std::string& v, int i) {
            return ind[i] == soci::i_ok ? std::optional<std::string>(v) : std::nullopt;
        };
        Shipment s;
        s.id = id;
        s.deal_id = deal;
        s.status = ParseStatus(status).value_or(Status::kPreparing);
        s.planned_date = planned;
        s.actual_date = text(actual, 0);
        s.delivered_date = text(delivered, 1);
        s.returned_date = text(returned, 2);
        s.address = address;
        s.carrier = carrier;
        s.tracking = tracking;
        s.note = note;
        if (ind[3] == soci::i_ok) s.created_by = by;
        s.created_at = created;
        s.updated_at = updated;
        s.deal_title = title;
        s.company_name = company;
        if (ind[4] == soci::i_ok) s.owner_user_id = owner;
        s.owner_name = owner_name;
        return s;
    }
};

// Row buffers of kProductionColumns.
struct ProductionInto {
    long long id = 0, deal = 0, shipment = 0, by = 0, at = 0, started = 0, ready = 0, updated = 0, owner = 0;
    std::string status, note, title, company, owner_name, by_name, planned;
    std::array<soci::indicator, 4> ind{};

    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(deal));
        st.exchange(soci::into(shipment));
        st.exchange(soci::into(status));
        st.exchange(soci::into(note));
        st.exchange(soci::into(by, ind[0]));
        st.exchange(soci::into(at));
        st.exchange(soci::into(started, ind[1]));
        st.exchange(soci::into(ready, ind[2]));
        st.exchange(soci::into(updated));
        st.exchange(soci::into(title));
        st.exchange(soci::into(company));
        st.exchange(soci::into(owner, ind[3]));
        st.exchange(soci::into(owner_name));
        st.exchange(soci::into(by_name));
        st.exchange(soci::into(planned));
    }
    ProductionRequest Take() const {
        ProductionRequest r;
        r.id = id;
        r.deal_id = deal;
        r.shipment_id = shipment;
        r.status = ParseProductionStatus(status).value_or(ProductionStatus::kRequested);
        r.note = note;
        if (ind[0] == soci::i_ok) r.requested_by = by;
        r.requested_at = at;
        if (ind[1] == soci::i_ok) r.started_at = started;
        if (ind[2] == soci::i_ok) r.ready_at = ready;
        r.updated_at = updated;
        r.deal_title = title;
        r.company_name = company;
        if (ind[3] == soci::i_ok) r.owner_user_id = owner;
        r.owner_name = owner_name;
        r.requested_by_name = by_name;
        r.planned_date = planned;
        return r;
    }
};

// ":p0, :p1, …" for an IN list of `n` bound values.
std::string InList(const char* prefix, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += (i ? ", :" : ":") + std::string(prefix) + std::to_string(i);
    return out;
}

// The items of these shipments, by shipment id.
std::map<core::Id, std::vector<Item>> ItemsOf(soci::session& sql, core::Id ws_id, const std::vector<core::Id>& ids) {
    std::map<core::Id, std::vector<Item>> out;
    if (ids.empty()) return out;
    long long ws = ws_id, shipment = 0, id = 0, line = 0, product = 0, qty = 0, mto = 0;
    std::string name, sku, unit;
    soci::indicator product_ind = soci::i_null;
    std::vector<long long> keys(ids.begin(), ids.end());
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string(kItemColumns) + InList("s", keys.size()) + ") ORDER BY i.shipment_id, i.id");
    st.exchange(soci::into(shipment));
    st.exchange(soci::into(id));
    st.exchange(soci::into(line));
    st.exchange(soci::into(product, product_ind));
    st.exchange(soci::into(name));
    st.exchange(soci::into(sku));
    st.exchange(soci::into(unit));
    st.exchange(soci::into(qty));
    st.exchange(soci::into(mto));
    st.exchange(soci::use(ws, "ws"));
    for (std::size_t i = 0; i < keys.size(); ++i) st.exchange(soci::use(keys[i], "s" + std::to_string(i)));
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) {
        Item it;
        it.id = id;
        it.deal_line_id = line;
        if (product_ind == soci::i_ok) it.product_id = product;
        it.name = name;
        it.sku = sku;
        it.unit = unit;
        it.quantity_milli = qty;
        it.made_to_order = mto != 0;
        out[shipment].push_back(std::move(it));
    }
    return out;
}

std::vector<Item> MadeToOrderItems(const std::vector<Item>& items) {
    std::vector<Item> out;
    for (const auto& i : items)
        if (i.made_to_order) out.push_back(i);
    return out;
}

// Runs a SELECT of kProductionColumns + `where` (under `visible` when given; without it the caller checked the deal);
// `bind` adds the statement's own values.
template <class Bind>
std::vector<ProductionRequest> ProductionRows(soci::session& sql, core::Id ws, const std::string& where,
                                              const auth::Predicate* visible, Bind bind) {
    ProductionInto row;
    soci::statement st(sql);
    st.alloc();
    const std::string text = std::string(kProductionColumns) + where;
    st.prepare(visible ? visible->Expand(text) : text);
    row.Bind(st);
    bind(st);
    if (visible) visible->BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<ProductionRequest> out;
    while (st.fetch()) out.push_back(row.Take());
    std::vector<core::Id> ids;
    for (const auto& r : out) ids.push_back(r.shipment_id);
    auto items = ItemsOf(sql, ws, ids);
    for (auto& r : out) r.items = MadeToOrderItems(items[r.shipment_id]);
    return out;
}

// Fills the items and production requests of shipments the caller already may see.
void Complete(soci::session& sql, core::Id ws_id, std::vector<Shipment>& shipments) {
    std::vector<core::Id> ids;
    for (const auto& s : shipments) ids.push_back(s.id);
    auto items = ItemsOf(sql, ws_id, ids);
    for (auto& s : shipments) s.items = std::move(items[s.id]);
    if (ids.empty()) return;
    long long ws = ws_id;
    std::vector<long long> keys(ids.begin(), ids.end());
    const std::string where = " WHERE r.workspace_id = :ws AND r.shipment_id IN (" + InList("s", keys.size()) + ")";
    auto requests = ProductionRows(sql, ws_id, where, nullptr, [&](soci::statement& st) {
        st.exchange(soci::use(ws, "ws"));
        for (std::size_t i = 0; i < keys.size(); ++i) st.exchange(soci::use(keys[i], "s" + std::to_string(i)));
    });
    for (auto& s : shipments)
        for (auto& r : requests)
            if (r.shipment_id == s.id) {
                r.items = MadeToOrderItems(s.items);
                s.production = r;
            }
}

}  // namespace

std::vector<Shipment> ShipmentsOfDeal(soci::session& sql, core::Id ws_id, core::Id deal_id) {
    long long ws = ws_id, deal = deal_id;
    ShipmentInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string(kShipmentColumns) + kShipmentFrom + kOfDeal);
    row.Bind(st);
    st.exchange(soci::use(ws, "ws"));
    st.exchange(soci::use(deal, "deal"));
    st.define_and_bind();
    st.execute(false);
    std::vector<Shipment> out;
    while (st.fetch()) out.push_back(row.Take());
    Complete(sql, ws_id, out);
    return out;
}

std::optional<Shipment> SelectShipment(soci::session& sql, core::Id ws, core::Id id_in,
                                       const auth::Predicate& visible) {
    long long id = id_in;
    ShipmentInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(std::string(kShipmentColumns) + kShipmentFrom + kById));
    row.Bind(st);
    st.exchange(soci::use(id, "id"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    if (!st.fetch()) return std::nullopt;
    std::vector<Shipment> one{row.Take()};
    st.clean_up();
    Complete(sql, ws, one);
    return std::move(one.front());
}

std::map<core::Id, std::int64_t> CountedByLine(soci::session& sql, core::Id ws_id, core::Id deal_id,
                                               std::optional<core::Id> except) {
    long long ws = ws_id, deal = deal_id, ex = except.value_or(0), line = 0, qty = 0;
    soci::statement st = (sql.prepare << kCountedByLine, soci::into(line), soci::into(qty), soci::use(ws, "ws"),
                          soci::use(deal, "deal"), soci::use(ex, "except"));
    st.execute(false);
    std::map<core::Id, std::int64_t> out;
    while (st.fetch()) out[line] = qty;
    return out;
}

core::Id InsertShipment(soci::session& sql, core::Id ws_id, const Shipment& s) {
    long long ws = ws_id, deal = s.deal_id, created = s.created_at, updated = s.updated_at, id = 0;
    const std::string status(StatusName(s.status));
    NullText actual(s.actual_date), delivered(s.delivered_date), returned(s.returned_date);
    NullId by(s.created_by);
    sql << kInsertShipment, soci::use(ws, "ws"), soci::use(deal, "deal"), soci::use(status, "status"),
        soci::use(s.planned_date, "planned"), soci::use(actual.v, actual.ind, "actual"),
        soci::use(delivered.v, delivered.ind, "delivered"), soci::use(returned.v, returned.ind, "returned"),
        soci::use(s.address, "address"), soci::use(s.carrier, "carrier"), soci::use(s.tracking, "tracking"),
        soci::use(s.note, "note"), soci::use(by.v, by.ind, "by"), soci::use(created, "created"),
        soci::use(updated, "updated"), soci::into(id);
    return id;
}

void UpdateShipment(soci::session& sql, core::Id ws_id, const Shipment& s) {
    long long ws = ws_id, id = s.id, updated = s.updated_at;
    const std::string status(StatusName(s.status));
    NullText actual(s.actual_date), delivered(s.delivered_date), returned(s.returned_date);
    sql << kUpdateShipment, soci::use(status, "status"), soci::use(s.planned_date, "planned"),
        soci::use(actual.v, actual.ind, "actual"), soci::use(delivered.v, delivered.ind, "delivered"),
        soci::use(returned.v, returned.ind, "returned"), soci::use(s.address, "address"),
        soci::use(s.carrier, "carrier"), soci::use(s.tracking, "tracking"), soci::use(s.note, "note"),
        soci::use(updated, "updated"), soci::use(ws, "ws"), soci::use(id, "id");
}

void ReplaceItems(soci::session& sql, core::Id ws_id, core::Id shipment_id, const std::vector<Item>& items) {
    long long ws = ws_id, shipment = shipment_id;
    sql << kDeleteItems, soci::use(ws, "ws"), soci::use(shipment, "id");
    long long line = 0, qty = 0, mto = 0;
    NullId product;
    std::string name, sku, unit;
    soci::statement st =
        (sql.prepare << kInsertItem, soci::use(ws, "ws"), soci::use(shipment, "shipment"), soci::use(line, "line"),
         soci::use(product.v, product.ind, "product"), soci::use(name, "name"), soci::use(sku, "sku"),
         soci::use(unit, "unit"), soci::use(qty, "qty"), soci::use(mto, "mto"));
    for (const auto& it : items) {
        line = it.deal_line_id;
        product = NullId(it.product_id);
        name = it.name;
        sku = it.sku;
        unit = it.unit;
        qty = it.quantity_milli;
        mto = it.made_to_order ? 1 : 0;
        st.execute(true);
    }
}

void DeleteShipment(soci::session& sql, core::Id ws_id, core::Id id_in) {
    long long ws = ws_id, id = id_in;
    sql << kDeleteItems, soci::use(ws, "ws"), soci::use(id, "id");
    sql << kDeleteShipment, soci::use(ws, "ws"), soci::use(id, "id");
}

void TouchDeal(soci::session& sql, core::Id ws_id, core::Id deal_id, core::Millis now_ms) {
    long long ws = ws_id, id = deal_id, now = now_ms;
    sql << kTouchDeal, soci::use(now, "now"), soci::use(ws, "ws"), soci::use(id, "id");
}

std::set<core::Id> MadeToOrder(soci::session& sql, core::Id ws_id, const std::set<core::Id>& product_ids) {
    std::set<core::Id> out;
    if (product_ids.empty()) return out;
    long long ws = ws_id, id = 0;
    std::vector<long long> keys(product_ids.begin(), product_ids.end());
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string(kMadeToOrder) + InList("p", keys.size()) + ")");
    st.exchange(soci::into(id));
    st.exchange(soci::use(ws, "ws"));
    for (std::size_t i = 0; i < keys.size(); ++i) st.exchange(soci::use(keys[i], "p" + std::to_string(i)));
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) out.insert(id);
    return out;
}

namespace {

// The overdue condition's text and its bound values (they live as long as the statement).
struct OverdueBinds {
    long long ws = 0, owner = 0;
    std::string today, path;
    std::string Text(const OverdueFilter& f) const {
        std::string t = kOverdueWhere;
        if (f.owner) t += kOverdueOwner;
        if (f.path) t += kOverduePath;
        return t;
    }
    void Bind(soci::statement& st, core::Id ws_id, const OverdueFilter& f) {
        ws = ws_id;
        today = f.today;
        owner = f.owner.value_or(0);
        path = f.path.value_or("") + "%";
        st.exchange(soci::use(ws, "ws"));
        st.exchange(soci::use(today, "today"));
        if (f.owner) st.exchange(soci::use(owner, "owner"));
        if (f.path) {
            st.exchange(soci::use(ws, "ws2"));
            st.exchange(soci::use(path, "path"));
        }
    }
};

}  // namespace

std::vector<Shipment> ListOverdue(soci::session& sql, core::Id ws, const OverdueFilter& f,
                                  const std::optional<std::pair<std::string, core::Id>>& after, int limit,
                                  const auth::Predicate& visible) {
    OverdueBinds binds;
    std::string text = std::string(kShipmentColumns) + kShipmentFrom + binds.Text(f);
    if (after) text += kOverdueAfter;
    text += " ORDER BY s.planned_date, s.id LIMIT :lim";
    std::string after_date = after ? after->first : "";
    long long after_id = after ? after->second : 0, lim = limit;
    ShipmentInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(text));
    row.Bind(st);
    binds.Bind(st, ws, f);
    if (after) {
        st.exchange(soci::use(after_date, "after_date"));
        st.exchange(soci::use(after_date, "after_date2"));
        st.exchange(soci::use(after_id, "after_id"));
    }
    st.exchange(soci::use(lim, "lim"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<Shipment> out;
    while (st.fetch()) out.push_back(row.Take());
    Complete(sql, ws, out);
    return out;
}

std::vector<OwnerCount> OverdueByOwner(soci::session& sql, core::Id ws, const OverdueFilter& f,
                                       const auth::Predicate& visible) {
    OverdueBinds binds;
    const std::string text = std::string(kOverdueByOwner) + binds.Text(f) +
                             " GROUP BY d.owner_user_id, u.full_name ORDER BY COUNT(*) DESC, d.owner_user_id";
    long long owner = 0, n = 0;
    std::string name;
    soci::indicator owner_ind = soci::i_null;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(text));
    st.exchange(soci::into(owner, owner_ind));
    st.exchange(soci::into(name));
    st.exchange(soci::into(n));
    binds.Bind(st, ws, f);
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<OwnerCount> out;
    while (st.fetch())
        out.push_back({owner_ind == soci::i_ok ? std::optional<core::Id>(owner) : std::nullopt, name, n});
    return out;
}

std::optional<std::string> PlannedDateOf(soci::session& sql, core::Id ws_id, core::Id id_in) {
    long long ws = ws_id, id = id_in;
    std::string day;
    sql << kPlannedDate, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(day);
    if (!sql.got_data()) return std::nullopt;
    return day;
}

std::optional<std::string> DepartmentPath(soci::session& sql, core::Id ws_id, core::Id department_id) {
    long long ws = ws_id, id = department_id;
    std::string path;
    sql << kDepartmentPath, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(path);
    if (!sql.got_data()) return std::nullopt;
    return path;
}

core::Id InsertProduction(soci::session& sql, core::Id ws_id, const ProductionRequest& r) {
    long long ws = ws_id, deal = r.deal_id, shipment = r.shipment_id, at = r.requested_at, updated = r.updated_at,
              id = 0;
    const std::string status(ProductionStatusName(r.status));
    NullId by(r.requested_by), started(r.started_at), ready(r.ready_at);
    sql << kInsertProduction, soci::use(ws, "ws"), soci::use(deal, "deal"), soci::use(shipment, "shipment"),
        soci::use(status, "status"), soci::use(r.note, "note"), soci::use(by.v, by.ind, "by"), soci::use(at, "at"),
        soci::use(started.v, started.ind, "started"), soci::use(ready.v, ready.ind, "ready"),
        soci::use(updated, "updated"), soci::into(id);
    return id;
}

void UpdateProduction(soci::session& sql, core::Id ws_id, const ProductionRequest& r) {
    long long ws = ws_id, id = r.id, updated = r.updated_at;
    const std::string status(ProductionStatusName(r.status));
    NullId started(r.started_at), ready(r.ready_at);
    sql << kUpdateProduction, soci::use(status, "status"), soci::use(r.note, "note"),
        soci::use(started.v, started.ind, "started"), soci::use(ready.v, ready.ind, "ready"),
        soci::use(updated, "updated"), soci::use(ws, "ws"), soci::use(id, "id");
}

std::optional<ProductionRequest> SelectProduction(soci::session& sql, core::Id ws, core::Id id_in,
                                                  const auth::Predicate& visible) {
    long long id = id_in;
    auto rows = ProductionRows(sql, ws, " WHERE r.id = :id AND {visible} AND d.deleted_at IS NULL", &visible,
                               [&](soci::statement& st) { st.exchange(soci::use(id, "id")); });
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

std::vector<ProductionRequest> ListProduction(soci::session& sql, core::Id ws_id,
                                              std::optional<ProductionStatus> status, std::optional<core::Id> before,
                                              int limit, const auth::Predicate& visible) {
    long long ws = ws_id, before_id = before.value_or(0), lim = limit;
    const std::string status_name = status ? std::string(ProductionStatusName(*status)) : "";
    std::string where = " WHERE r.workspace_id = :ws AND {visible} AND d.deleted_at IS NULL";
    if (status) where += " AND r.status = :status";
    if (before) where += " AND r.id < :before";
    where += " ORDER BY r.id DESC LIMIT :lim";
    return ProductionRows(sql, ws_id, where, &visible, [&](soci::statement& st) {
        st.exchange(soci::use(ws, "ws"));
        if (status) st.exchange(soci::use(status_name, "status"));
        if (before) st.exchange(soci::use(before_id, "before"));
        st.exchange(soci::use(lim, "lim"));
    });
}

}  // namespace otdel::shipments::store
