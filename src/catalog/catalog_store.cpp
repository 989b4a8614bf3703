#include "catalog/catalog_store.hpp"

#include <array>

#include "db/nullable.hpp"

namespace otdel::catalog {
namespace {

using NullId = db::NullableId;

// ---- deal lines ----
constexpr const char* kLineColumns =
    "workspace_id, id, deal_id, position, product_id, name, sku, unit, quantity_milli, unit_price_minor, "
    "discount_bp, vat_rate_bp, amount_minor, created_at, updated_at";
constexpr const char* kLinesOfDeal = " FROM deal_lines WHERE workspace_id = :ws AND deal_id = :deal "
                                     "ORDER BY position, id";
constexpr const char* kLineById = " FROM deal_lines WHERE workspace_id = :ws AND id = :id";
constexpr const char* kInsertLine =
    "INSERT INTO deal_lines (workspace_id, deal_id, position, product_id, name, sku, unit, quantity_milli, "
    "unit_price_minor, discount_bp, vat_rate_bp, amount_minor, created_at, updated_at) VALUES (:ws, :deal, :pos, "
    ":product, :name, :sku, :unit, :qty, :price, :discount, :vat, :amount, :created, :updated) RETURNING id";
constexpr const char* kUpdateLine =
    "UPDATE deal_lines SET position = :pos, product_id = :product, name = :name, sku = :sku, unit = :unit, "
    "quantity_milli = :qty, unit_price_minor = :price, discount_bp = :discount, vat_rate_bp = :vat, "
    "amount_minor = :amount, updated_at = :updated WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDeleteLine = "DELETE FROM deal_lines WHERE workspace_id = :ws AND id = :id";

// Row buffers of kLineColumns.
struct LineInto {
    long long ws = 0, id = 0, deal = 0, pos = 0, product = 0, qty = 0, price = 0, discount = 0, vat = 0, amount = 0,
              created = 0, updated = 0;
    std::string name, sku, unit;
    soci::indicator product_ind = soci::i_null;

    void Bind(soci::statement& st) {
        st.exchange(soci::into(ws));
        st.exchange(soci::into(id));
        st.exchange(soci::into(deal));
        st.exchange(soci::into(pos));
        st.exchange(soci::into(product, product_ind));
        st.exchange(soci::into(name));
        st.exchange(soci::into(sku));
        st.exchange(soci::into(unit));
        st.exchange(soci::into(qty));
        st.exchange(soci::into(price));
        st.exchange(soci::into(discount));
        st.exchange(soci::into(vat));
        st.exchange(soci::into(amount));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    DealLine Take() const {
        DealLine l;
        l.workspace_id = ws;
        l.id = id;
        l.deal_id = deal;
        l.position = static_cast<int>(pos);
        if (product_ind == soci::i_ok) l.product_id = product;
        l.name = name;
        l.sku = sku;
        l.unit = unit;
        l.quantity_milli = qty;
        l.unit_price_minor = price;
        l.discount_bp = static_cast<int>(discount);
        l.vat_rate_bp = static_cast<int>(vat);
        l.amount_minor = amount;
        l.created_at = created;
        l.updated_at = updated;
        return l;
    }
};

// The rows of "SELECT <Into's columns>" + `from` (scoped by :ws and one more id named `id_name`).
template <class Into>
auto RowsOf(soci::session& sql, const std::string& text, core::Id ws_id, const char* id_name, core::Id id_value) {
    long long ws = ws_id, id = id_value;
    Into row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(text);
    row.Bind(st);
    st.exchange(soci::use(ws, "ws"));
    st.exchange(soci::use(id, id_name));
    st.define_and_bind();
    st.execute(false);
    std::vector<decltype(row.Take())> out;
    while (st.fetch()) out.push_back(row.Take());
    return out;
}

}  // namespace

std::vector<DealLine> ReadDealLines(soci::session& sql, core::Id ws, core::Id deal_id) {
    return RowsOf<LineInto>(sql, std::string("SELECT ") + kLineColumns + kLinesOfDeal, ws, "deal", deal_id);
}

namespace store {

std::optional<DealLine> SelectLine(soci::session& sql, core::Id ws, core::Id id) {
    auto rows = RowsOf<LineInto>(sql, std::string("SELECT ") + kLineColumns + kLineById, ws, "id", id);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

core::Id InsertLine(soci::session& sql, const DealLine& l) {
    long long ws = l.workspace_id, deal = l.deal_id, pos = l.position, qty = l.quantity_milli,
              price = l.unit_price_minor, discount = l.discount_bp, vat = l.vat_rate_bp, amount = l.amount_minor,
              created = l.created_at, updated = l.updated_at, id = 0;
    NullId product(l.product_id);
    sql << kInsertLine, soci::use(ws, "ws"), soci::use(deal, "deal"), soci::use(pos, "pos"),
        soci::use(product.v, product.ind, "product"), soci::use(l.name, "name"), soci::use(l.sku, "sku"),
        soci::use(l.unit, "unit"), soci::use(qty, "qty"), soci::use(price, "price"), soci::use(discount, "discount"),
        soci::use(vat, "vat"), soci::use(amount, "amount"), soci::use(created, "created"),
        soci::use(updated, "updated"), soci::into(id);
    return id;
}

void UpdateLine(soci::session& sql, const DealLine& l) {
    long long ws = l.workspace_id, id = l.id, pos = l.position, qty = l.quantity_milli, price = l.unit_price_minor,
              discount = l.discount_bp, vat = l.vat_rate_bp, amount = l.amount_minor, updated = l.updated_at;
    NullId product(l.product_id);
    sql << kUpdateLine, soci::use(pos, "pos"), soci::use(product.v, product.ind, "product"),
        soci::use(l.name, "name"), soci::use(l.sku, "sku"), soci::use(l.unit, "unit"), soci::use(qty, "qty"),
        soci::use(price, "price"), soci::use(discount, "discount"), soci::use(vat, "vat"),
        soci::use(amount, "amount"), soci::use(updated, "updated"), soci::use(ws, "ws"), soci::use(id, "id");
}

void DeleteLine(soci::session& sql, core::Id ws_id, core::Id id_in) {
    long long ws = ws_id, id = id_in;
    sql << kDeleteLine, soci::use(ws, "ws"), soci::use(id, "id");
}

}  // namespace store
}  // namespace otdel::catalog
