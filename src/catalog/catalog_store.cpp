#include "catalog/catalog_store.hpp"

#include <boost/json.hpp>

#include <array>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/visibility.hpp"
#include "db/nullable.hpp"
#include "db/prepared.hpp"
#include "leads/priority.hpp"
#include "org/work_calendar.hpp"

namespace otdel::catalog {
namespace {

using NullId = db::NullableId;

// ---- deal lines ----
constexpr const char* kLineColumns =
    "workspace_id, id, deal_id, position, product_id, name, sku, unit, quantity_milli, unit_price_minor, "
    "discount_bp, vat_rate_bp, amount_minor, created_at, updated_at";
constexpr const char* kLinesOfDeal =
    " FROM deal_lines WHERE workspace_id = :ws AND deal_id = :deal "
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

// Statements of one Into type, prepared once per pooled connection and text (db::RowsOf; compiling a SELECT costs
// more than running it on SQLite): a stage move into the decision or won stage reads the deal's approvals, the deal
// card its lines.
using db::ByText;
using db::RowsOf;
using db::RowsQuery;

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

namespace {

// Prepared once per connection (db/prepared.hpp): the deal import writes lines by the thousand.
struct InsertLineSet {
    long long ws = 0, deal = 0, pos = 0, qty = 0, price = 0, discount = 0, vat = 0, amount = 0, created = 0,
              updated = 0, id = 0;
    NullId product;
    std::string name, sku, unit;
    soci::statement st;
    explicit InsertLineSet(soci::session& sql)
        : st((sql.prepare << kInsertLine, soci::use(ws, "ws"), soci::use(deal, "deal"), soci::use(pos, "pos"),
              soci::use(product.v, product.ind, "product"), soci::use(name, "name"), soci::use(sku, "sku"),
              soci::use(unit, "unit"), soci::use(qty, "qty"), soci::use(price, "price"),
              soci::use(discount, "discount"), soci::use(vat, "vat"), soci::use(amount, "amount"),
              soci::use(created, "created"), soci::use(updated, "updated"), soci::into(id))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

core::Id InsertLine(soci::session& sql, const DealLine& l) {
    return db::WithPrepared<InsertLineSet>(sql, [&](InsertLineSet& q) {
        q.ws = l.workspace_id;
        q.deal = l.deal_id;
        q.pos = l.position;
        q.product = NullId(l.product_id);
        q.name = l.name;
        q.sku = l.sku;
        q.unit = l.unit;
        q.qty = l.quantity_milli;
        q.price = l.unit_price_minor;
        q.discount = l.discount_bp;
        q.vat = l.vat_rate_bp;
        q.amount = l.amount_minor;
        q.created = l.created_at;
        q.updated = l.updated_at;
        q.st.execute(true);
        return static_cast<core::Id>(q.id);
    });
}

void UpdateLine(soci::session& sql, const DealLine& l) {
    long long ws = l.workspace_id, id = l.id, pos = l.position, qty = l.quantity_milli, price = l.unit_price_minor,
              discount = l.discount_bp, vat = l.vat_rate_bp, amount = l.amount_minor, updated = l.updated_at;
    NullId product(l.product_id);
    sql << kUpdateLine, soci::use(pos, "pos"), soci::use(product.v, product.ind, "product"), soci::use(l.name, "name"),
        soci::use(l.sku, "sku"), soci::use(l.unit, "unit"), soci::use(qty, "qty"), soci::use(price, "price"),
        soci::use(discount, "discount"), soci::use(vat, "vat"), soci::use(amount, "amount"),
        soci::use(updated, "updated"), soci::use(ws, "ws"), soci::use(id, "id");
}

void DeleteLine(soci::session& sql, core::Id ws_id, core::Id id_in) {
    long long ws = ws_id, id = id_in;
    sql << kDeleteLine, soci::use(ws, "ws"), soci::use(id, "id");
}

}  // namespace store

// ---------------------------------------------------------------------------------------------------------------
// Products

namespace {

namespace json = boost::json;

constexpr const char* kProductColumns =
    "id, name, sku, unit, description, vat_rate_bp, made_to_order, archived_at, created_at, updated_at";
constexpr const char* kInsertProduct =
    "INSERT INTO products (workspace_id, name, sku, unit, description, vat_rate_bp, made_to_order, search_text, "
    "archived_at, created_at, updated_at) VALUES (:ws, :name, :sku, :unit, :description, :vat, :mto, :search, "
    ":archived, :now, :now2) RETURNING id";
constexpr const char* kUpdateProduct =
    "UPDATE products SET name = :name, sku = :sku, unit = :unit, description = :description, vat_rate_bp = :vat, "
    "made_to_order = :mto, search_text = :search, archived_at = :archived, updated_at = :now "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kProductBySku = "SELECT id FROM products WHERE workspace_id = :ws AND sku = :sku";

struct ProductInto {
    long long id = 0, vat = 0, mto = 0, archived = 0, created = 0, updated = 0;
    std::string name, sku, unit, description;
    soci::indicator archived_ind = soci::i_null;

    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(name));
        st.exchange(soci::into(sku));
        st.exchange(soci::into(unit));
        st.exchange(soci::into(description));
        st.exchange(soci::into(vat));
        st.exchange(soci::into(mto));
        st.exchange(soci::into(archived, archived_ind));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    Product Take() const {
        Product p;
        p.id = id;
        p.name = name;
        p.sku = sku;
        p.unit = unit;
        p.description = description;
        p.vat_rate_bp = static_cast<int>(vat);
        p.made_to_order = mto != 0;
        if (archived_ind == soci::i_ok) p.archived_at = archived;
        p.created_at = created;
        p.updated_at = updated;
        return p;
    }
};

std::string ProductSearch(const Product& p) {
    return leads::FoldText(p.name + " " + p.sku);
}

}  // namespace

namespace store {

std::vector<Product> ListProducts(soci::session& sql, core::Id ws_id, const ProductFilter& f, int limit) {
    std::string text = std::string("SELECT ") + kProductColumns + " FROM products WHERE workspace_id = :ws";
    if (!f.include_archived) text += " AND archived_at IS NULL";
    if (f.q) text += " AND search_text LIKE :q";
    if (f.after) text += " AND (name > :after_name OR (name = :after_name2 AND id > :after_id))";
    text += " ORDER BY name, id LIMIT :lim";
    long long ws = ws_id, lim = limit, after_id = f.after ? f.after->second : 0;
    std::string like = f.q ? "%" + leads::FoldText(*f.q) + "%" : "";
    std::string after_name = f.after ? f.after->first : "";
    ProductInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(text);
    row.Bind(st);
    st.exchange(soci::use(ws, "ws"));
    if (f.q) st.exchange(soci::use(like, "q"));
    if (f.after) {
        st.exchange(soci::use(after_name, "after_name"));
        st.exchange(soci::use(after_name, "after_name2"));
        st.exchange(soci::use(after_id, "after_id"));
    }
    st.exchange(soci::use(lim, "lim"));
    st.define_and_bind();
    st.execute(false);
    std::vector<Product> out;
    while (st.fetch()) out.push_back(row.Take());
    return out;
}

std::optional<Product> SelectProduct(soci::session& sql, core::Id ws, core::Id id) {
    auto rows = RowsOf<ProductInto>(
        sql, std::string("SELECT ") + kProductColumns + " FROM products WHERE workspace_id = :ws AND id = :id", ws,
        "id", id);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

std::optional<core::Id> ProductIdBySku(soci::session& sql, core::Id ws_id, const std::string& sku) {
    long long ws = ws_id, id = 0;
    sql << kProductBySku, soci::use(ws, "ws"), soci::use(sku, "sku"), soci::into(id);
    if (!sql.got_data()) return std::nullopt;
    return id;
}

core::Id InsertProduct(soci::session& sql, core::Id ws_id, const Product& p, core::Millis now_ms) {
    long long ws = ws_id, vat = p.vat_rate_bp, mto = p.made_to_order ? 1 : 0, now = now_ms, id = 0;
    NullId archived(p.archived_at);
    const std::string search = ProductSearch(p);
    sql << kInsertProduct, soci::use(ws, "ws"), soci::use(p.name, "name"), soci::use(p.sku, "sku"),
        soci::use(p.unit, "unit"), soci::use(p.description, "description"), soci::use(vat, "vat"),
        soci::use(mto, "mto"), soci::use(search, "search"), soci::use(archived.v, archived.ind, "archived"),
        soci::use(now, "now"), soci::use(now, "now2"), soci::into(id);
    return id;
}

void UpdateProduct(soci::session& sql, core::Id ws_id, const Product& p, core::Millis now_ms) {
    long long ws = ws_id, id = p.id, vat = p.vat_rate_bp, mto = p.made_to_order ? 1 : 0, now = now_ms;
    NullId archived(p.archived_at);
    const std::string search = ProductSearch(p);
    sql << kUpdateProduct, soci::use(p.name, "name"), soci::use(p.sku, "sku"), soci::use(p.unit, "unit"),
        soci::use(p.description, "description"), soci::use(vat, "vat"), soci::use(mto, "mto"),
        soci::use(search, "search"), soci::use(archived.v, archived.ind, "archived"), soci::use(now, "now"),
        soci::use(ws, "ws"), soci::use(id, "id");
}

long long CountProducts(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, n = 0;
    sql << "SELECT COUNT(*) FROM products WHERE workspace_id = :ws", soci::use(ws, "ws"), soci::into(n);
    return n;
}

}  // namespace store

// ---------------------------------------------------------------------------------------------------------------
// Price lists

namespace {

constexpr const char* kPriceListColumns =
    "id, name, currency, client_segment, is_default, archived_at, created_at, updated_at";
constexpr const char* kInsertPriceList =
    "INSERT INTO price_lists (workspace_id, name, currency, client_segment, is_default, created_at, updated_at) "
    "VALUES (:ws, :name, :currency, :segment, 0, :now, :now2) RETURNING id";
constexpr const char* kUpdatePriceList =
    "UPDATE price_lists SET name = :name, currency = :currency, client_segment = :segment, archived_at = :archived, "
    "updated_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kClearDefaultList =
    "UPDATE price_lists SET is_default = 0, updated_at = :now WHERE workspace_id = :ws AND is_default = 1 "
    "AND id <> :id";
constexpr const char* kSetDefaultList =
    "UPDATE price_lists SET is_default = 1, updated_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kSelectPrices =
    "SELECT product_id, price_minor FROM price_list_items WHERE workspace_id = :ws AND price_list_id = :list "
    "ORDER BY product_id";
constexpr const char* kPriceOf =
    "SELECT price_minor FROM price_list_items WHERE workspace_id = :ws AND price_list_id = :list "
    "AND product_id = :product";
constexpr const char* kUpsertPrice =
    "INSERT INTO price_list_items (workspace_id, price_list_id, product_id, price_minor, updated_at) VALUES (:ws, "
    ":list, :product, :price, :now) ON CONFLICT (workspace_id, price_list_id, product_id) DO UPDATE SET "
    "price_minor = excluded.price_minor, updated_at = excluded.updated_at";
constexpr const char* kDeletePrice =
    "DELETE FROM price_list_items WHERE workspace_id = :ws AND price_list_id = :list AND product_id = :product";

struct PriceListInto {
    long long id = 0, def = 0, archived = 0, created = 0, updated = 0;
    std::string name, currency, segment;
    soci::indicator archived_ind = soci::i_null;

    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(name));
        st.exchange(soci::into(currency));
        st.exchange(soci::into(segment));
        st.exchange(soci::into(def));
        st.exchange(soci::into(archived, archived_ind));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    PriceList Take() const {
        PriceList p;
        p.id = id;
        p.name = name;
        p.currency = currency;
        p.client_segment = segment;
        p.is_default = def != 0;
        if (archived_ind == soci::i_ok) p.archived_at = archived;
        p.created_at = created;
        p.updated_at = updated;
        return p;
    }
};

}  // namespace

namespace store {

std::vector<PriceList> ListPriceLists(soci::session& sql, core::Id ws, bool include_archived) {
    std::string text = std::string("SELECT ") + kPriceListColumns + " FROM price_lists WHERE workspace_id = :ws";
    if (!include_archived) text += " AND archived_at IS NULL";
    text += " AND id > :after ORDER BY is_default DESC, name, id";
    return RowsOf<PriceListInto>(sql, text, ws, "after", 0);
}

std::optional<PriceList> SelectPriceList(soci::session& sql, core::Id ws, core::Id id) {
    auto rows = RowsOf<PriceListInto>(
        sql, std::string("SELECT ") + kPriceListColumns + " FROM price_lists WHERE workspace_id = :ws AND id = :id", ws,
        "id", id);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

core::Id InsertPriceList(soci::session& sql, core::Id ws_id, const PriceList& p, core::Millis now_ms) {
    long long ws = ws_id, now = now_ms, id = 0;
    sql << kInsertPriceList, soci::use(ws, "ws"), soci::use(p.name, "name"), soci::use(p.currency, "currency"),
        soci::use(p.client_segment, "segment"), soci::use(now, "now"), soci::use(now, "now2"), soci::into(id);
    return id;
}

void UpdatePriceList(soci::session& sql, core::Id ws_id, const PriceList& p, core::Millis now_ms) {
    long long ws = ws_id, id = p.id, now = now_ms;
    NullId archived(p.archived_at);
    sql << kUpdatePriceList, soci::use(p.name, "name"), soci::use(p.currency, "currency"),
        soci::use(p.client_segment, "segment"), soci::use(archived.v, archived.ind, "archived"), soci::use(now, "now"),
        soci::use(ws, "ws"), soci::use(id, "id");
}

void SetDefaultPriceList(soci::session& sql, core::Id ws_id, core::Id id_in, core::Millis now_ms) {
    long long ws = ws_id, id = id_in, now = now_ms;
    sql << kClearDefaultList, soci::use(now, "now"), soci::use(ws, "ws"), soci::use(id, "id");
    sql << kSetDefaultList, soci::use(now, "now"), soci::use(ws, "ws"), soci::use(id, "id");
}

std::vector<PriceItem> SelectPrices(soci::session& sql, core::Id ws_id, core::Id list_id) {
    long long ws = ws_id, list = list_id;
    PriceItem i;
    long long product = 0, price = 0;
    soci::statement st = (sql.prepare << kSelectPrices, soci::into(product), soci::into(price), soci::use(ws, "ws"),
                          soci::use(list, "list"));
    st.execute(false);
    std::vector<PriceItem> out;
    while (st.fetch()) out.push_back({product, price});
    return out;
}

std::optional<std::int64_t> PriceOf(soci::session& sql, core::Id ws_id, core::Id list_id, core::Id product_id) {
    long long ws = ws_id, list = list_id, product = product_id, price = 0;
    sql << kPriceOf, soci::use(ws, "ws"), soci::use(list, "list"), soci::use(product, "product"), soci::into(price);
    if (!sql.got_data()) return std::nullopt;
    return price;
}

void UpsertPrice(soci::session& sql, core::Id ws_id, core::Id list_id, core::Id product_id, std::int64_t price_in,
                 core::Millis now_ms) {
    long long ws = ws_id, list = list_id, product = product_id, price = price_in, now = now_ms;
    sql << kUpsertPrice, soci::use(ws, "ws"), soci::use(list, "list"), soci::use(product, "product"),
        soci::use(price, "price"), soci::use(now, "now");
}

void DeletePrice(soci::session& sql, core::Id ws_id, core::Id list_id, core::Id product_id) {
    long long ws = ws_id, list = list_id, product = product_id;
    sql << kDeletePrice, soci::use(ws, "ws"), soci::use(list, "list"), soci::use(product, "product");
}

}  // namespace store

// ---------------------------------------------------------------------------------------------------------------
// Discount schemes

namespace {

constexpr const char* kSchemeColumns =
    "id, name, kind, discount_bp, CAST(tiers AS TEXT), client_segment, product_id, valid_from, valid_to, active, "
    "archived_at, created_at, updated_at";
constexpr const char* kInsertScheme =
    "INSERT INTO discount_schemes (workspace_id, name, kind, discount_bp, tiers, client_segment, product_id, "
    "valid_from, valid_to, active, created_at, updated_at) VALUES (:ws, :name, :kind, :bp, :tiers, :segment, "
    ":product, :from, :to, :active, :now, :now2) RETURNING id";
constexpr const char* kUpdateScheme =
    "UPDATE discount_schemes SET name = :name, discount_bp = :bp, tiers = :tiers, client_segment = :segment, "
    "product_id = :product, valid_from = :from, valid_to = :to, active = :active, archived_at = :archived, "
    "updated_at = :now WHERE workspace_id = :ws AND id = :id";

std::vector<Tier> TiersOf(const std::string& text) {
    std::vector<Tier> out;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& e : v.as_array()) {
        if (!e.is_object()) continue;
        const auto& o = e.as_object();
        Tier t;
        if (auto* q = o.if_contains("min_quantity_milli"); q && q->is_int64()) t.min_quantity_milli = q->as_int64();
        if (auto* d = o.if_contains("discount_bp"); d && d->is_int64()) t.discount_bp = static_cast<int>(d->as_int64());
        out.push_back(t);
    }
    return out;
}

std::string TiersJson(const std::vector<Tier>& tiers) {
    json::array a;
    for (const auto& t : tiers)
        a.push_back(json::object{{"min_quantity_milli", t.min_quantity_milli}, {"discount_bp", t.discount_bp}});
    return json::serialize(a);
}

struct SchemeInto {
    long long id = 0, bp = 0, product = 0, active = 0, archived = 0, created = 0, updated = 0;
    std::string name, kind, tiers, segment, from, to;
    std::array<soci::indicator, 4> ind{};

    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(name));
        st.exchange(soci::into(kind));
        st.exchange(soci::into(bp));
        st.exchange(soci::into(tiers));
        st.exchange(soci::into(segment));
        st.exchange(soci::into(product, ind[0]));
        st.exchange(soci::into(from, ind[1]));
        st.exchange(soci::into(to, ind[2]));
        st.exchange(soci::into(active));
        st.exchange(soci::into(archived, ind[3]));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    DiscountScheme Take() const {
        DiscountScheme s;
        s.id = id;
        s.name = name;
        s.kind = kind;
        s.discount_bp = static_cast<int>(bp);
        s.tiers = TiersOf(tiers);
        s.client_segment = segment;
        if (ind[0] == soci::i_ok) s.product_id = product;
        if (ind[1] == soci::i_ok) s.valid_from = from;
        if (ind[2] == soci::i_ok) s.valid_to = to;
        s.active = active != 0;
        if (ind[3] == soci::i_ok) s.archived_at = archived;
        s.created_at = created;
        s.updated_at = updated;
        return s;
    }
};

// The buffers of an INSERT/UPDATE of a scheme.
struct SchemeBinds {
    long long bp, active;
    std::string tiers;
    NullId product, archived;
    db::NullableText from, to;
    explicit SchemeBinds(const DiscountScheme& s)
        : bp(s.discount_bp),
          active(s.active ? 1 : 0),
          tiers(TiersJson(s.tiers)),
          product(s.product_id),
          archived(s.archived_at),
          from(s.valid_from),
          to(s.valid_to) {}
};

}  // namespace

namespace store {

std::vector<DiscountScheme> ListSchemes(soci::session& sql, core::Id ws, bool include_archived) {
    std::string text = std::string("SELECT ") + kSchemeColumns + " FROM discount_schemes WHERE workspace_id = :ws";
    if (!include_archived) text += " AND archived_at IS NULL";
    text += " AND id > :after ORDER BY id";
    return RowsOf<SchemeInto>(sql, text, ws, "after", 0);
}

std::optional<DiscountScheme> SelectScheme(soci::session& sql, core::Id ws, core::Id id) {
    auto rows = RowsOf<SchemeInto>(
        sql, std::string("SELECT ") + kSchemeColumns + " FROM discount_schemes WHERE workspace_id = :ws AND id = :id",
        ws, "id", id);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

core::Id InsertScheme(soci::session& sql, core::Id ws_id, const DiscountScheme& s, core::Millis now_ms) {
    long long ws = ws_id, now = now_ms, id = 0;
    SchemeBinds b(s);
    sql << kInsertScheme, soci::use(ws, "ws"), soci::use(s.name, "name"), soci::use(s.kind, "kind"),
        soci::use(b.bp, "bp"), soci::use(b.tiers, "tiers"), soci::use(s.client_segment, "segment"),
        soci::use(b.product.v, b.product.ind, "product"), soci::use(b.from.v, b.from.ind, "from"),
        soci::use(b.to.v, b.to.ind, "to"), soci::use(b.active, "active"), soci::use(now, "now"), soci::use(now, "now2"),
        soci::into(id);
    return id;
}

void UpdateScheme(soci::session& sql, core::Id ws_id, const DiscountScheme& s, core::Millis now_ms) {
    long long ws = ws_id, id = s.id, now = now_ms;
    SchemeBinds b(s);
    sql << kUpdateScheme, soci::use(s.name, "name"), soci::use(b.bp, "bp"), soci::use(b.tiers, "tiers"),
        soci::use(s.client_segment, "segment"), soci::use(b.product.v, b.product.ind, "product"),
        soci::use(b.from.v, b.from.ind, "from"), soci::use(b.to.v, b.to.ind, "to"), soci::use(b.active, "active"),
        soci::use(b.archived.v, b.archived.ind, "archived"), soci::use(now, "now"), soci::use(ws, "ws"),
        soci::use(id, "id");
}

}  // namespace store

// ---------------------------------------------------------------------------------------------------------------
// Deals, clients, roles and limits

namespace {

constexpr const char* kDealRef =
    "SELECT d.id, d.owner_user_id, d.company_id, d.title, d.status, d.currency, d.amount_minor, d.deleted_at "
    "FROM deals d WHERE d.id = :id AND {visible}";
constexpr const char* kCompanyTags = "SELECT CAST(tags AS TEXT) FROM companies WHERE workspace_id = :ws AND id = :id";
constexpr const char* kSelectLimits =
    "SELECT role_code, max_discount_bp FROM discount_limits WHERE workspace_id = :ws ORDER BY role_code";
constexpr const char* kSelectLimit =
    "SELECT max_discount_bp FROM discount_limits WHERE workspace_id = :ws AND role_code = :code";
constexpr const char* kUpsertLimit =
    "INSERT INTO discount_limits (workspace_id, role_code, max_discount_bp, updated_at) VALUES (:ws, :code, :bp, "
    ":now) ON CONFLICT (workspace_id, role_code) DO UPDATE SET max_discount_bp = excluded.max_discount_bp, "
    "updated_at = excluded.updated_at";
constexpr const char* kDeleteLimit = "DELETE FROM discount_limits WHERE workspace_id = :ws AND role_code = :code";
constexpr const char* kRoleCodeOf =
    "SELECT r.code FROM employees e JOIN roles r ON r.workspace_id = e.workspace_id AND r.id = e.role_id "
    "WHERE e.workspace_id = :ws AND e.user_id = :u AND e.status = 'active'";
constexpr const char* kRoles =
    "SELECT code, name_ru, name_en, CAST(permissions AS TEXT) FROM roles WHERE workspace_id = :ws "
    "AND retired_at IS NULL ORDER BY code";

}  // namespace

namespace store {

std::optional<DealRef> SelectDealRef(soci::session& sql, core::Id id_in, const auth::Predicate& visible) {
    long long id = id_in, owner = 0, company = 0, amount = 0, deleted = 0;
    soci::indicator owner_ind = soci::i_null, company_ind = soci::i_null, deleted_ind = soci::i_null;
    DealRef d;
    long long got = 0;
    sql << visible.Expand(kDealRef), soci::use(id, "id"), visible, soci::into(got), soci::into(owner, owner_ind),
        soci::into(company, company_ind), soci::into(d.title), soci::into(d.status), soci::into(d.currency),
        soci::into(amount), soci::into(deleted, deleted_ind);
    if (!sql.got_data()) return std::nullopt;
    d.id = got;
    if (owner_ind == soci::i_ok) d.owner_user_id = owner;
    if (company_ind == soci::i_ok) d.company_id = company;
    d.amount_minor = amount;
    d.deleted = deleted_ind == soci::i_ok;
    return d;
}

std::vector<std::string> CompanyTags(soci::session& sql, core::Id ws_id, core::Id company_id) {
    long long ws = ws_id, id = company_id;
    std::string text;
    sql << kCompanyTags, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(text);
    std::vector<std::string> out;
    if (!sql.got_data()) return out;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& e : v.as_array())
        if (e.is_string()) out.emplace_back(e.as_string());
    return out;
}

std::vector<LimitRow> SelectLimits(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, bp = 0;
    soci::indicator ind = soci::i_null;
    std::string code;
    soci::statement st = (sql.prepare << kSelectLimits, soci::into(code), soci::into(bp, ind), soci::use(ws, "ws"));
    st.execute(false);
    std::vector<LimitRow> out;
    while (st.fetch())
        out.push_back({code, ind == soci::i_ok ? std::optional<int>(static_cast<int>(bp)) : std::nullopt});
    return out;
}

std::optional<LimitRow> SelectLimit(soci::session& sql, core::Id ws_id, const std::string& role_code) {
    long long ws = ws_id, bp = 0;
    soci::indicator ind = soci::i_null;
    sql << kSelectLimit, soci::use(ws, "ws"), soci::use(role_code, "code"), soci::into(bp, ind);
    if (!sql.got_data()) return std::nullopt;
    return LimitRow{role_code, ind == soci::i_ok ? std::optional<int>(static_cast<int>(bp)) : std::nullopt};
}

void UpsertLimit(soci::session& sql, core::Id ws_id, const LimitRow& row, core::Millis now_ms) {
    long long ws = ws_id, now = now_ms;
    NullId bp(row.max_discount_bp ? std::optional<std::int64_t>(*row.max_discount_bp) : std::nullopt);
    sql << kUpsertLimit, soci::use(ws, "ws"), soci::use(row.role_code, "code"), soci::use(bp.v, bp.ind, "bp"),
        soci::use(now, "now");
}

void DeleteLimit(soci::session& sql, core::Id ws_id, const std::string& role_code) {
    long long ws = ws_id;
    sql << kDeleteLimit, soci::use(ws, "ws"), soci::use(role_code, "code");
}

std::optional<std::string> RoleCodeOf(soci::session& sql, core::Id ws_id, core::Id user_id) {
    long long ws = ws_id, u = user_id;
    std::string code;
    sql << kRoleCodeOf, soci::use(ws, "ws"), soci::use(u, "u"), soci::into(code);
    if (!sql.got_data()) return std::nullopt;
    return code;
}

std::vector<RoleRef> Roles(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id;
    std::string code, ru, en, perms;
    soci::statement st = (sql.prepare << kRoles, soci::into(code), soci::into(ru), soci::into(en), soci::into(perms),
                          soci::use(ws, "ws"));
    st.execute(false);
    std::vector<RoleRef> out;
    while (st.fetch()) {
        auto parsed = auth::ParsePermissions(perms);
        out.push_back({code, ru, en, parsed.ok() && parsed->Can(auth::Action::kUpdate, "discount")});
    }
    return out;
}

}  // namespace store

// ---------------------------------------------------------------------------------------------------------------
// Approvals

namespace {

constexpr const char* kApprovalColumns =
    "a.id, a.deal_id, a.status, a.discount_bp, a.limit_bp, a.requested_by, a.request_comment, a.requested_at, "
    "a.decided_by, a.decision_comment, a.decided_at, a.updated_at, d.title, d.owner_user_id, d.amount_minor, "
    "d.currency, COALESCE(r.full_name, ''), COALESCE(h.full_name, '')";
constexpr const char* kApprovalFrom =
    " FROM discount_approvals a JOIN deals d ON d.workspace_id = a.workspace_id AND d.id = a.deal_id "
    "LEFT JOIN users r ON r.workspace_id = a.workspace_id AND r.id = a.requested_by "
    "LEFT JOIN users h ON h.workspace_id = a.workspace_id AND h.id = a.decided_by";
constexpr const char* kInsertApproval =
    "INSERT INTO discount_approvals (workspace_id, deal_id, status, discount_bp, limit_bp, requested_by, "
    "request_comment, requested_at, updated_at) VALUES (:ws, :deal, :status, :bp, :limit, :by, :comment, :at, :at2) "
    "RETURNING id";
constexpr const char* kUpdateApproval =
    "UPDATE discount_approvals SET status = :status, discount_bp = :bp, decided_by = :by, decision_comment = "
    ":comment, decided_at = :at, updated_at = :updated WHERE workspace_id = :ws AND id = :id";

struct ApprovalInto {
    long long id = 0, deal = 0, bp = 0, limit = 0, by = 0, at = 0, decided_by = 0, decided_at = 0, updated = 0,
              owner = 0, amount = 0;
    std::string status, comment, decision, title, currency, by_name, decided_name;
    std::array<soci::indicator, 5> ind{};

    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(deal));
        st.exchange(soci::into(status));
        st.exchange(soci::into(bp));
        st.exchange(soci::into(limit, ind[0]));
        st.exchange(soci::into(by, ind[1]));
        st.exchange(soci::into(comment));
        st.exchange(soci::into(at));
        st.exchange(soci::into(decided_by, ind[2]));
        st.exchange(soci::into(decision));
        st.exchange(soci::into(decided_at, ind[3]));
        st.exchange(soci::into(updated));
        st.exchange(soci::into(title));
        st.exchange(soci::into(owner, ind[4]));
        st.exchange(soci::into(amount));
        st.exchange(soci::into(currency));
        st.exchange(soci::into(by_name));
        st.exchange(soci::into(decided_name));
    }
    Approval Take() const {
        Approval a;
        a.id = id;
        a.deal_id = deal;
        a.status = ParseApprovalStatus(status).value_or(ApprovalStatus::kPending);
        a.discount_bp = static_cast<int>(bp);
        if (ind[0] == soci::i_ok) a.limit_bp = static_cast<int>(limit);
        if (ind[1] == soci::i_ok) a.requested_by = by;
        a.request_comment = comment;
        a.requested_at = at;
        if (ind[2] == soci::i_ok) a.decided_by = decided_by;
        a.decision_comment = decision;
        if (ind[3] == soci::i_ok) a.decided_at = decided_at;
        a.updated_at = updated;
        a.deal_title = title;
        if (ind[4] == soci::i_ok) a.deal_owner_user_id = owner;
        a.deal_amount_minor = amount;
        a.deal_currency = currency;
        a.requested_by_name = by_name;
        a.decided_by_name = decided_name;
        return a;
    }
};

}  // namespace

namespace store {

std::vector<Approval> ApprovalsOfDeal(soci::session& sql, core::Id ws, core::Id deal_id) {
    return RowsOf<ApprovalInto>(sql,
                                std::string("SELECT ") + kApprovalColumns + kApprovalFrom +
                                    " WHERE a.workspace_id = :ws AND a.deal_id = :deal ORDER BY a.id",
                                ws, "deal", deal_id);
}

std::optional<Approval> SelectApproval(soci::session& sql, core::Id ws, core::Id id) {
    auto rows = RowsOf<ApprovalInto>(
        sql, std::string("SELECT ") + kApprovalColumns + kApprovalFrom + " WHERE a.workspace_id = :ws AND a.id = :id",
        ws, "id", id);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

core::Id InsertApproval(soci::session& sql, core::Id ws_id, const Approval& a) {
    long long ws = ws_id, deal = a.deal_id, bp = a.discount_bp, at = a.requested_at, id = 0;
    const std::string status(ApprovalStatusName(a.status));
    NullId limit(a.limit_bp ? std::optional<std::int64_t>(*a.limit_bp) : std::nullopt), by(a.requested_by);
    sql << kInsertApproval, soci::use(ws, "ws"), soci::use(deal, "deal"), soci::use(status, "status"),
        soci::use(bp, "bp"), soci::use(limit.v, limit.ind, "limit"), soci::use(by.v, by.ind, "by"),
        soci::use(a.request_comment, "comment"), soci::use(at, "at"), soci::use(at, "at2"), soci::into(id);
    return id;
}

void UpdateApproval(soci::session& sql, core::Id ws_id, const Approval& a) {
    long long ws = ws_id, id = a.id, bp = a.discount_bp, updated = a.updated_at;
    const std::string status(ApprovalStatusName(a.status));
    NullId by(a.decided_by), at(a.decided_at);
    sql << kUpdateApproval, soci::use(status, "status"), soci::use(bp, "bp"), soci::use(by.v, by.ind, "by"),
        soci::use(a.decision_comment, "comment"), soci::use(at.v, at.ind, "at"), soci::use(updated, "updated"),
        soci::use(ws, "ws"), soci::use(id, "id");
}

std::vector<Approval> ListApprovals(soci::session& sql, const std::optional<std::string>& status,
                                    std::optional<core::Id> exclude_requester, std::optional<core::Id> before,
                                    int limit, const auth::Predicate& visible) {
    std::string text = std::string("SELECT ") + kApprovalColumns + kApprovalFrom +
                       " WHERE {visible} AND a.workspace_id = d.workspace_id AND d.deleted_at IS NULL";
    if (status) text += " AND a.status = :status";
    if (exclude_requester) text += " AND (a.requested_by IS NULL OR a.requested_by <> :me)";
    if (before) text += " AND a.id < :before";
    text += " ORDER BY a.id DESC LIMIT :lim";
    long long me = exclude_requester.value_or(0), b = before.value_or(0), lim = limit;
    ApprovalInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(text));
    row.Bind(st);
    if (status) st.exchange(soci::use(*status, "status"));
    if (exclude_requester) st.exchange(soci::use(me, "me"));
    if (before) st.exchange(soci::use(b, "before"));
    st.exchange(soci::use(lim, "lim"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<Approval> out;
    while (st.fetch()) out.push_back(row.Take());
    return out;
}

}  // namespace store
}  // namespace otdel::catalog
