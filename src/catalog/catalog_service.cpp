#include "catalog/catalog_service.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

#include "auth/visibility.hpp"
#include "core/access.hpp"
#include "db/database.hpp"
#include "deals/deals_store.hpp"
#include "events/audit.hpp"
#include "events/notifications.hpp"
#include "http/json.hpp"
#include "leads/priority.hpp"
#include "org/absence.hpp"
#include "org/employee_store.hpp"

namespace otdel::catalog {
namespace json = boost::json;
using auth::Action;
using core::Error;
using core::ErrorCode;

namespace {

constexpr const char* kProduct = "product";
constexpr const char* kDiscount = "discount";
constexpr const char* kDeal = "deal";

core::Result<void> SignedIn(const core::Actor& a) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    return core::Ok();
}

using core::NotFound;

Error Invalid(std::vector<core::FieldError> errs) {
    return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
}

auth::Visibility VisibilityOf(soci::session& sql, const core::Actor& a, core::Millis now) {
    return auth::BuildVisibility(sql, a, org::store::WorkspaceToday(sql, a.workspace_id, now));
}

// Settings are read by anyone who works with products or deals, and changed with the right on "product".
core::Result<void> MayRead(const auth::Visibility& vis) {
    if (vis.Can(Action::kRead, kProduct) || vis.Can(Action::kRead, kDeal)) return core::Ok();
    return Error::Of(ErrorCode::kForbidden);
}

core::Result<void> MayChange(const auth::Visibility& vis, Action action) {
    if (vis.Can(action, kProduct)) return core::Ok();
    return Error::Of(ErrorCode::kForbidden);
}

std::optional<core::Id> ActorUser(const core::Actor& a) {
    return a.user_id ? std::optional<core::Id>(a.user_id) : std::nullopt;
}

json::value OptJson(const std::optional<core::Id>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::value OptBp(const std::optional<int>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::value OptText(const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::object ProductSnapshot(const Product& p) {
    return json::object{{"name", p.name},
                        {"sku", p.sku},
                        {"unit", p.unit},
                        {"vat_rate_bp", p.vat_rate_bp},
                        {"made_to_order", p.made_to_order},
                        {"archived_at", OptJson(p.archived_at)}};
}

json::object PriceListSnapshot(const PriceList& p) {
    return json::object{{"name", p.name},
                        {"currency", p.currency},
                        {"client_segment", p.client_segment},
                        {"is_default", p.is_default},
                        {"archived_at", OptJson(p.archived_at)}};
}

json::object SchemeSnapshot(const DiscountScheme& s) {
    json::array tiers;
    for (const auto& t : s.tiers)
        tiers.push_back(json::object{{"min_quantity_milli", t.min_quantity_milli}, {"discount_bp", t.discount_bp}});
    return json::object{{"name", s.name},
                        {"kind", s.kind},
                        {"discount_bp", s.discount_bp},
                        {"tiers", std::move(tiers)},
                        {"client_segment", s.client_segment},
                        {"product_id", OptJson(s.product_id)},
                        {"valid_from", OptText(s.valid_from)},
                        {"valid_to", OptText(s.valid_to)},
                        {"active", s.active},
                        {"archived_at", OptJson(s.archived_at)}};
}

json::object LineSnapshot(const DealLine& l) {
    return json::object{{"deal_id", l.deal_id},
                        {"position", l.position},
                        {"product_id", OptJson(l.product_id)},
                        {"name", l.name},
                        {"sku", l.sku},
                        {"unit", l.unit},
                        {"quantity_milli", l.quantity_milli},
                        {"unit_price_minor", l.unit_price_minor},
                        {"discount_bp", l.discount_bp},
                        {"vat_rate_bp", l.vat_rate_bp},
                        {"amount_minor", l.amount_minor}};
}

json::object ApprovalSnapshot(const Approval& a) {
    return json::object{{"deal_id", a.deal_id},
                        {"status", std::string(ApprovalStatusName(a.status))},
                        {"discount_bp", a.discount_bp},
                        {"limit_bp", OptBp(a.limit_bp)},
                        {"requested_by", OptJson(a.requested_by)},
                        {"request_comment", a.request_comment},
                        {"decided_by", OptJson(a.decided_by)},
                        {"decision_comment", a.decision_comment}};
}

// Segments compare case-folded: a tag "Дилер" and a list for "дилер" meet.
std::set<std::string> SegmentsOf(soci::session& sql, core::Id ws, const std::optional<core::Id>& company_id) {
    std::set<std::string> out;
    if (!company_id) return out;
    for (const auto& t : store::CompanyTags(sql, ws, *company_id)) out.insert(leads::FoldText(t));
    return out;
}

std::vector<DiscountScheme> FoldedSchemes(soci::session& sql, core::Id ws) {
    auto schemes = store::ListSchemes(sql, ws, false);
    for (auto& s : schemes) s.client_segment = leads::FoldText(s.client_segment);
    return schemes;
}

std::optional<PriceList> PriceListFor(soci::session& sql, core::Id ws, const std::string& currency,
                                      const std::set<std::string>& segments) {
    auto lists = store::ListPriceLists(sql, ws, false);
    std::vector<PriceList> folded = lists;
    for (auto& l : folded) l.client_segment = leads::FoldText(l.client_segment);
    auto chosen = ChoosePriceList(folded, currency, segments);
    if (!chosen) return std::nullopt;
    for (const auto& l : lists)
        if (l.id == chosen->id) return l;
    return std::nullopt;
}

// The actor's discount limit: the workspace's value for their role, else the default; unrestricted callers (the
// administrator, the system) have none; someone not placed in the org may give nothing.
std::optional<int> LimitOf(soci::session& sql, const auth::Visibility& vis, const core::Actor& a) {
    if (vis.caller().unrestricted) return std::nullopt;
    auto code = store::RoleCodeOf(sql, a.workspace_id, a.user_id);
    if (!code) return 0;
    if (auto row = store::SelectLimit(sql, a.workspace_id, *code)) return row->max_discount_bp;
    return DefaultDiscountLimit(vis.Can(Action::kUpdate, kDiscount));
}

// What a deal needs of its context to suggest discounts and prices.
struct DealContext {
    std::set<std::string> segments;
    std::vector<DiscountScheme> schemes;
    std::string today;
};

DealContext ContextOf(soci::session& sql, core::Id ws, const store::DealRef& d, core::Millis now) {
    return DealContext{SegmentsOf(sql, ws, d.company_id), FoldedSchemes(sql, ws),
                       org::store::WorkspaceToday(sql, ws, now)};
}

Suggestion SuggestionFor(const DealContext& c, const DealLine& l) {
    return SuggestDiscount(c.schemes, LineFacts{l.product_id, l.quantity_milli}, c.segments, c.today);
}

// The part of a line's discount the schemes do not give: what a limit or an approval has to cover.
int Excess(const DealContext& c, const DealLine& l) {
    return l.discount_bp > SuggestionFor(c, l).discount_bp ? l.discount_bp : 0;
}

std::string DealLink(core::Id id) {
    return "/deals/" + std::to_string(id);
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Wiring into the deals room

void CatalogService::AttachTo(deals::DealsService& deals) {
    deals.SetEntryCheck(
        [](soci::session& sql, const deals::Deal& d, const deals::Stage& target, core::Lang) -> core::Result<void> {
            if (target.kind != "won" && !target.is_decision) return core::Ok();
            const ApprovalState state = StateOf(store::ApprovalsOfDeal(sql, d.workspace_id, d.id));
            if (!BlocksClosing(state)) return core::Ok();
            return Error::Of(ErrorCode::kConflict, state.current->status == ApprovalStatus::kPending
                                                       ? "catalog.approval_pending"
                                                       : "catalog.approval_rejected");
        });
    deals.SetAmountFromLines(
        [](soci::session& sql, const deals::Deal& d) { return !ReadDealLines(sql, d.workspace_id, d.id).empty(); });
}

// ---------------------------------------------------------------------------------------------------------------
// Products

namespace {

void ApplyProduct(Product& p, const ProductInput& in, core::Millis now) {
    if (in.name) p.name = *in.name;
    if (in.sku) p.sku = *in.sku;
    if (in.unit) p.unit = *in.unit;
    if (in.description) p.description = *in.description;
    if (in.vat_rate_bp) p.vat_rate_bp = *in.vat_rate_bp;
    if (in.made_to_order) p.made_to_order = *in.made_to_order;
    if (in.archived)
        p.archived_at = *in.archived ? std::optional<core::Millis>(p.archived_at.value_or(now)) : std::nullopt;
}

// The keyset cursor of the product list: "<id>" of the last row; its name is read back.
std::string ProductCursor(const Product& p) {
    return http::EncodeCursor(p.id);
}

}  // namespace

core::Result<ProductPage> CatalogService::ListProducts(const core::Actor& a, const ProductQuery& q) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<ProductPage> {
        OTDEL_TRY_VOID(MayRead(VisibilityOf(sql, a, clock_.NowMs())));
        store::ProductFilter f;
        if (q.q && !q.q->empty()) f.q = *q.q;
        f.include_archived = q.include_archived;
        if (q.cursor) {
            auto id = http::DecodeCursor(*q.cursor);
            auto last = id ? store::SelectProduct(sql, a.workspace_id, *id) : std::nullopt;
            if (!last) return Error{ErrorCode::kBadRequest, {}, {{"cursor", "invalid", ""}}, 0};
            f.after = std::make_pair(last->name, last->id);
        }
        std::map<core::Id, std::int64_t> prices;
        if (q.price_list_id) {
            if (!store::SelectPriceList(sql, a.workspace_id, *q.price_list_id))
                return Error{ErrorCode::kBadRequest, {}, {{"price_list_id", "invalid", ""}}, 0};
            for (const auto& i : store::SelectPrices(sql, a.workspace_id, *q.price_list_id))
                prices[i.product_id] = i.price_minor;
        }
        ProductPage page;
        auto rows = store::ListProducts(sql, a.workspace_id, f, q.limit + 1);
        if (static_cast<int>(rows.size()) > q.limit) {
            rows.resize(q.limit);
            page.next_cursor = ProductCursor(rows.back());
        }
        for (auto& p : rows) {
            ProductRow r{std::move(p), std::nullopt};
            if (auto it = prices.find(r.product.id); it != prices.end()) r.price_minor = it->second;
            page.items.push_back(std::move(r));
        }
        return page;
    });
}

core::Result<Product> CatalogService::GetProduct(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<Product> {
        if (!MayRead(VisibilityOf(sql, a, clock_.NowMs()))) return NotFound();
        auto p = store::SelectProduct(sql, a.workspace_id, id);
        if (!p) return NotFound();
        return *p;
    });
}

core::Result<Product> CatalogService::CreateProduct(const core::Actor& a, const ProductInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    Product p;
    const core::Millis now = clock_.NowMs();
    ApplyProduct(p, in, now);
    if (auto errs = ValidateProduct(p); !errs.empty()) return Invalid(std::move(errs));
    return db_.InTx([&](soci::session& sql) -> core::Result<Product> {
        OTDEL_TRY_VOID(MayChange(VisibilityOf(sql, a, now), Action::kCreate));
        if (store::ProductIdBySku(sql, a.workspace_id, p.sku)) return Error::Field("sku", "not_unique");
        p.id = store::InsertProduct(sql, a.workspace_id, p, now);
        events::WriteAudit(sql, a, now, {"product.create", kProduct, p.id, std::nullopt, ProductSnapshot(p)});
        return *store::SelectProduct(sql, a.workspace_id, p.id);
    });
}

core::Result<Product> CatalogService::UpdateProduct(const core::Actor& a, core::Id id, const ProductInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Product> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!MayRead(vis)) return NotFound();
        OTDEL_TRY_VOID(MayChange(vis, Action::kUpdate));
        auto p = store::SelectProduct(sql, a.workspace_id, id);
        if (!p) return NotFound();
        const json::object before = ProductSnapshot(*p);
        ApplyProduct(*p, in, now);
        if (auto errs = ValidateProduct(*p); !errs.empty()) return Invalid(std::move(errs));
        if (auto other = store::ProductIdBySku(sql, a.workspace_id, p->sku); other && *other != id)
            return Error::Field("sku", "not_unique");
        store::UpdateProduct(sql, a.workspace_id, *p, now);
        events::WriteAudit(sql, a, now, {"product.update", kProduct, id, before, ProductSnapshot(*p)});
        return *store::SelectProduct(sql, a.workspace_id, id);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Price lists

core::Result<std::vector<PriceList>> CatalogService::ListPriceLists(const core::Actor& a, bool include_archived) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<PriceList>> {
        OTDEL_TRY_VOID(MayRead(VisibilityOf(sql, a, clock_.NowMs())));
        return store::ListPriceLists(sql, a.workspace_id, include_archived);
    });
}

namespace {

void ApplyPriceList(PriceList& p, const PriceListInput& in, core::Millis now) {
    if (in.name) p.name = *in.name;
    if (in.currency) p.currency = *in.currency;
    if (in.client_segment) p.client_segment = *in.client_segment;
    if (in.archived)
        p.archived_at = *in.archived ? std::optional<core::Millis>(p.archived_at.value_or(now)) : std::nullopt;
}

}  // namespace

core::Result<PriceList> CatalogService::CreatePriceList(const core::Actor& a, const PriceListInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    PriceList p;
    ApplyPriceList(p, in, now);
    if (auto errs = ValidatePriceList(p); !errs.empty()) return Invalid(std::move(errs));
    return db_.InTx([&](soci::session& sql) -> core::Result<PriceList> {
        OTDEL_TRY_VOID(MayChange(VisibilityOf(sql, a, now), Action::kCreate));
        p.id = store::InsertPriceList(sql, a.workspace_id, p, now);
        // The first list of a workspace is its default.
        const bool first = store::ListPriceLists(sql, a.workspace_id, true).size() == 1;
        if (first || in.is_default.value_or(false)) store::SetDefaultPriceList(sql, a.workspace_id, p.id, now);
        auto created = *store::SelectPriceList(sql, a.workspace_id, p.id);
        events::WriteAudit(sql, a, now,
                           {"price_list.create", "price_list", p.id, std::nullopt, PriceListSnapshot(created)});
        return created;
    });
}

core::Result<PriceList> CatalogService::UpdatePriceList(const core::Actor& a, core::Id id, const PriceListInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<PriceList> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!MayRead(vis)) return NotFound();
        OTDEL_TRY_VOID(MayChange(vis, Action::kUpdate));
        auto p = store::SelectPriceList(sql, a.workspace_id, id);
        if (!p) return NotFound();
        const json::object before = PriceListSnapshot(*p);
        if (in.is_default && !*in.is_default && p->is_default)
            return Error::Field("is_default", "invalid");  // make another list the default instead
        ApplyPriceList(*p, in, now);
        if (auto errs = ValidatePriceList(*p); !errs.empty()) return Invalid(std::move(errs));
        if (p->is_default && p->archived_at) return Error::Of(ErrorCode::kConflict, "catalog.price_list_is_default");
        store::UpdatePriceList(sql, a.workspace_id, *p, now);
        if (in.is_default && *in.is_default) {
            if (p->archived_at) return Error::Field("is_default", "archived");
            store::SetDefaultPriceList(sql, a.workspace_id, id, now);
        }
        auto after = *store::SelectPriceList(sql, a.workspace_id, id);
        events::WriteAudit(sql, a, now, {"price_list.update", "price_list", id, before, PriceListSnapshot(after)});
        return after;
    });
}

core::Result<std::vector<PriceItem>> CatalogService::Prices(const core::Actor& a, core::Id list_id) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<PriceItem>> {
        if (!MayRead(VisibilityOf(sql, a, clock_.NowMs()))) return NotFound();
        if (!store::SelectPriceList(sql, a.workspace_id, list_id)) return NotFound();
        return store::SelectPrices(sql, a.workspace_id, list_id);
    });
}

core::Result<std::vector<PriceItem>> CatalogService::SetPrices(const core::Actor& a, core::Id list_id,
                                                               const std::vector<PriceChange>& changes) {
    OTDEL_TRY_VOID(SignedIn(a));
    std::vector<core::FieldError> errs;
    for (std::size_t i = 0; i < changes.size(); ++i)
        if (changes[i].price_minor && (*changes[i].price_minor < 0 || *changes[i].price_minor > kMaxMoney))
            errs.push_back(
                {"items/" + std::to_string(i) + "/price_minor", "out_of_range", "0–" + std::to_string(kMaxMoney)});
    if (!errs.empty()) return Invalid(std::move(errs));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<std::vector<PriceItem>> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!MayRead(vis)) return NotFound();
        OTDEL_TRY_VOID(MayChange(vis, Action::kUpdate));
        if (!store::SelectPriceList(sql, a.workspace_id, list_id)) return NotFound();
        json::array before, after;
        for (std::size_t i = 0; i < changes.size(); ++i) {
            const auto& c = changes[i];
            if (!store::SelectProduct(sql, a.workspace_id, c.product_id)) {
                errs.push_back({"items/" + std::to_string(i) + "/product_id", "invalid", ""});
                continue;
            }
            const auto old = store::PriceOf(sql, a.workspace_id, list_id, c.product_id);
            before.push_back(json::object{{"product_id", c.product_id},
                                          {"price_minor", old ? json::value(*old) : json::value(nullptr)}});
            after.push_back(
                json::object{{"product_id", c.product_id},
                             {"price_minor", c.price_minor ? json::value(*c.price_minor) : json::value(nullptr)}});
            if (c.price_minor)
                store::UpsertPrice(sql, a.workspace_id, list_id, c.product_id, *c.price_minor, now);
            else
                store::DeletePrice(sql, a.workspace_id, list_id, c.product_id);
        }
        if (!errs.empty()) return Invalid(std::move(errs));
        events::WriteAudit(sql, a, now,
                           {"price_list.prices", "price_list", list_id, json::object{{"items", std::move(before)}},
                            json::object{{"items", std::move(after)}}});
        return store::SelectPrices(sql, a.workspace_id, list_id);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Discount schemes

namespace {

void ApplyScheme(DiscountScheme& s, const SchemeInput& in, core::Millis now) {
    if (in.name) s.name = *in.name;
    if (in.kind) s.kind = *in.kind;
    if (in.discount_bp) s.discount_bp = *in.discount_bp;
    if (in.tiers) s.tiers = *in.tiers;
    if (in.client_segment) s.client_segment = *in.client_segment;
    if (in.set_product) s.product_id = in.product_id;
    if (in.set_from) s.valid_from = in.valid_from;
    if (in.set_to) s.valid_to = in.valid_to;
    if (in.active) s.active = *in.active;
    if (in.archived)
        s.archived_at = *in.archived ? std::optional<core::Millis>(s.archived_at.value_or(now)) : std::nullopt;
}

core::Result<void> CheckScheme(soci::session& sql, core::Id ws, const DiscountScheme& s) {
    auto errs = ValidateScheme(s);
    if (s.valid_from && !org::IsValidDate(*s.valid_from)) errs.push_back({"valid_from", "invalid_date", ""});
    if (s.valid_to && !org::IsValidDate(*s.valid_to)) errs.push_back({"valid_to", "invalid_date", ""});
    if (s.product_id && !store::SelectProduct(sql, ws, *s.product_id)) errs.push_back({"product_id", "invalid", ""});
    if (!errs.empty()) return Invalid(std::move(errs));
    return core::Ok();
}

}  // namespace

core::Result<std::vector<DiscountScheme>> CatalogService::ListSchemes(const core::Actor& a, bool include_archived) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<DiscountScheme>> {
        OTDEL_TRY_VOID(MayRead(VisibilityOf(sql, a, clock_.NowMs())));
        return store::ListSchemes(sql, a.workspace_id, include_archived);
    });
}

core::Result<DiscountScheme> CatalogService::CreateScheme(const core::Actor& a, const SchemeInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    DiscountScheme s;
    ApplyScheme(s, in, now);
    return db_.InTx([&](soci::session& sql) -> core::Result<DiscountScheme> {
        OTDEL_TRY_VOID(MayChange(VisibilityOf(sql, a, now), Action::kCreate));
        OTDEL_TRY_VOID(CheckScheme(sql, a.workspace_id, s));
        s.id = store::InsertScheme(sql, a.workspace_id, s, now);
        events::WriteAudit(sql, a, now,
                           {"discount_scheme.create", "discount_scheme", s.id, std::nullopt, SchemeSnapshot(s)});
        return *store::SelectScheme(sql, a.workspace_id, s.id);
    });
}

core::Result<DiscountScheme> CatalogService::UpdateScheme(const core::Actor& a, core::Id id, const SchemeInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<DiscountScheme> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!MayRead(vis)) return NotFound();
        OTDEL_TRY_VOID(MayChange(vis, Action::kUpdate));
        auto s = store::SelectScheme(sql, a.workspace_id, id);
        if (!s) return NotFound();
        if (in.kind && *in.kind != s->kind) return Error::Field("kind", "immutable");
        const json::object before = SchemeSnapshot(*s);
        ApplyScheme(*s, in, now);
        OTDEL_TRY_VOID(CheckScheme(sql, a.workspace_id, *s));
        store::UpdateScheme(sql, a.workspace_id, *s, now);
        events::WriteAudit(sql, a, now, {"discount_scheme.update", "discount_scheme", id, before, SchemeSnapshot(*s)});
        return *store::SelectScheme(sql, a.workspace_id, id);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Limits

namespace {

std::vector<LimitView> LimitViews(soci::session& sql, core::Id ws, core::Lang lang) {
    std::map<std::string, std::optional<int>> custom;
    for (const auto& r : store::SelectLimits(sql, ws)) custom[r.role_code] = r.max_discount_bp;
    std::vector<LimitView> out;
    for (const auto& r : store::Roles(sql, ws)) {
        LimitView v;
        v.role_code = r.code;
        v.role_name = lang == core::Lang::kEn ? r.name_en : r.name_ru;
        v.decides_discounts = r.decides_discounts;
        if (auto it = custom.find(r.code); it != custom.end()) {
            v.custom = true;
            v.max_discount_bp = it->second;
        } else {
            v.max_discount_bp = DefaultDiscountLimit(r.decides_discounts);
        }
        out.push_back(std::move(v));
    }
    return out;
}

// Limits are the discount policy: read by those who may decide discounts or change the catalog, changed by the
// former.
core::Result<void> MayReadLimits(const auth::Visibility& vis) {
    if (vis.Can(Action::kUpdate, kDiscount) || vis.Can(Action::kUpdate, kProduct)) return core::Ok();
    return Error::Of(ErrorCode::kForbidden);
}

}  // namespace

core::Result<std::vector<LimitView>> CatalogService::Limits(const core::Actor& a) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<LimitView>> {
        OTDEL_TRY_VOID(MayReadLimits(VisibilityOf(sql, a, clock_.NowMs())));
        return LimitViews(sql, a.workspace_id, a.lang);
    });
}

core::Result<std::vector<LimitView>> CatalogService::SetLimit(const core::Actor& a, const std::string& role_code,
                                                              bool reset, std::optional<int> max_discount_bp) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (max_discount_bp && (*max_discount_bp < 0 || *max_discount_bp > kFullBp))
        return Error::Field("max_discount_bp", "out_of_range", "0–10000");
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<std::vector<LimitView>> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kUpdate, kDiscount)) return Error::Of(ErrorCode::kForbidden);
        bool known = false;
        for (const auto& r : store::Roles(sql, a.workspace_id)) known = known || r.code == role_code;
        if (!known) return NotFound();
        const auto old = store::SelectLimit(sql, a.workspace_id, role_code);
        auto limit_json = [](const std::optional<store::LimitRow>& r) -> json::value {
            if (!r) return "default";
            return OptBp(r->max_discount_bp);
        };
        std::optional<store::LimitRow> now_row;
        if (reset) {
            store::DeleteLimit(sql, a.workspace_id, role_code);
        } else {
            now_row = store::LimitRow{role_code, max_discount_bp};
            store::UpsertLimit(sql, a.workspace_id, *now_row, now);
        }
        events::WriteAudit(sql, a, now,
                           {"discount_limit.set", "discount_limit", std::nullopt,
                            json::object{{"role_code", role_code}, {"max_discount_bp", limit_json(old)}},
                            json::object{{"role_code", role_code}, {"max_discount_bp", limit_json(now_row)}}});
        return LimitViews(sql, a.workspace_id, a.lang);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Deal lines

namespace {

// The deal's lines, suggestions and approval as the caller sees them.
DealLines ViewOf(soci::session& sql, const auth::Visibility& vis, const core::Actor& a, const store::DealRef& d,
                 bool writable, core::Millis now) {
    DealLines out;
    out.deal_id = d.id;
    out.currency = d.currency;
    out.amount_minor = d.amount_minor;
    const DealContext ctx = ContextOf(sql, a.workspace_id, d, now);
    out.my_limit_bp = LimitOf(sql, vis, a);
    const ApprovalState state = StateOf(store::ApprovalsOfDeal(sql, a.workspace_id, d.id));
    out.approval = state.current;
    out.approved_bp = state.approved_bp;
    int max_excess = 0;
    for (auto& l : ReadDealLines(sql, a.workspace_id, d.id)) {
        LineView v;
        v.suggestion = SuggestionFor(ctx, l);
        v.explanation = Explain(v.suggestion, l.unit, a.lang);
        const int excess = l.discount_bp > v.suggestion.discount_bp ? l.discount_bp : 0;
        max_excess = std::max(max_excess, excess);
        v.over_limit = excess > state.approved_bp && !WithinLimit(excess, out.my_limit_bp);
        v.line = std::move(l);
        out.lines.push_back(std::move(v));
    }
    out.can_edit = writable && !d.deleted && d.status == "open";
    out.can_request = out.can_edit && MayRequest(max_excess, out.my_limit_bp, state);
    out.price_list = PriceListFor(sql, a.workspace_id, d.currency, ctx.segments);
    return out;
}

// Reads the deal for a change of its lines: visible (else 404), writable (else 403), live and open (else 409).
core::Result<store::DealRef> WritableDeal(soci::session& sql, const auth::Visibility& vis, core::Id deal_id) {
    if (!vis.Can(Action::kRead, kDeal)) return NotFound();
    const auth::Predicate readable = vis.Read("d");
    auto d = store::SelectDealRef(sql, deal_id, readable);
    if (!d || d->deleted) return NotFound();
    const auth::Predicate writable = vis.Write("d");
    if (!vis.Can(Action::kUpdate, kDeal) || !store::SelectDealRef(sql, deal_id, writable))
        return Error::Of(ErrorCode::kForbidden, "deals.write_forbidden");
    if (d->status != "open") return Error::Of(ErrorCode::kConflict, "catalog.deal_closed");
    return *d;
}

core::Result<void> ApplyLineInput(soci::session& sql, core::Id ws, const store::DealRef& d, const DealContext& ctx,
                                  DealLine& l, const LineInput& in, bool create) {
    std::vector<core::FieldError> errs;
    std::optional<Product> product;
    if (in.set_product) {
        l.product_id = in.product_id;
        if (in.product_id) {
            product = store::SelectProduct(sql, ws, *in.product_id);
            if (!product) return Error::Field("product_id", "invalid");
            if (product->archived_at) return Error::Field("product_id", "archived");
            // A new product brings its words and VAT unless the request gives its own.
            l.name = product->name;
            l.sku = product->sku;
            l.unit = product->unit;
            l.vat_rate_bp = product->vat_rate_bp;
        }
    }
    if (in.name) l.name = *in.name;
    if (in.sku) l.sku = *in.sku;
    if (in.unit) l.unit = *in.unit;
    if (in.vat_rate_bp) l.vat_rate_bp = *in.vat_rate_bp;
    if (in.quantity_milli) l.quantity_milli = *in.quantity_milli;
    if (in.unit_price_minor) {
        l.unit_price_minor = *in.unit_price_minor;
    } else if (product) {
        // The price from the deal's price list.
        auto list = PriceListFor(sql, ws, d.currency, ctx.segments);
        auto price = list ? store::PriceOf(sql, ws, list->id, product->id) : std::nullopt;
        if (!price) return Error::Field("unit_price_minor", "no_price");
        l.unit_price_minor = *price;
    } else if (create) {
        errs.push_back({"unit_price_minor", "required", ""});
    }
    if (create && !in.quantity_milli) errs.push_back({"quantity_milli", "required", ""});
    if (!errs.empty()) return Invalid(std::move(errs));
    if (in.discount_bp)
        l.discount_bp = *in.discount_bp;
    else if (create)
        l.discount_bp = std::clamp(SuggestionFor(ctx, l).discount_bp, 0, kFullBp);  // the schemes' discount
    if (auto v = ValidateLine(l); !v.empty()) return Invalid(std::move(v));
    l.amount_minor = LineAmount(l.quantity_milli, l.unit_price_minor, l.discount_bp);
    return core::Ok();
}

// After the deal's lines changed, in the same transaction: the deal's amount becomes their sum (audited as a money
// change), and the approval follows the discounts (`changed`: the excess discounts the actor set in this save).
core::Result<void> AfterLinesChanged(soci::session& sql, const auth::Visibility& vis, const core::Actor& a,
                                     const store::DealRef& d, const DealContext& ctx, const std::vector<int>& changed,
                                     core::Millis now) {
    const core::Id ws = a.workspace_id;
    const auto lines = ReadDealLines(sql, ws, d.id);
    std::int64_t total = 0;
    int max_excess = 0;
    for (const auto& l : lines) {
        total += l.amount_minor;
        max_excess = std::max(max_excess, Excess(ctx, l));
    }
    if (total > kMaxMoney) return Error::Field("amount_minor", "out_of_range", "0–" + std::to_string(kMaxMoney));
    if (total != d.amount_minor) {
        deals::store::SetAmount(sql, ws, d.id, total, now);
        events::WriteAudit(sql, a, now,
                           {"deal.amount_from_lines", kDeal, d.id, json::object{{"amount_minor", d.amount_minor}},
                            json::object{{"amount_minor", total}, {"currency", d.currency}}});
    }
    const ApprovalState state = StateOf(store::ApprovalsOfDeal(sql, ws, d.id));
    const std::optional<int> limit = LimitOf(sql, vis, a);
    const ApprovalChange change = OnLinesSaved(changed, max_excess, limit, state);
    switch (change.kind) {
        case ApprovalChange::Kind::kNone: break;
        case ApprovalChange::Kind::kRequest: {
            Approval r;
            r.deal_id = d.id;
            r.discount_bp = change.discount_bp;
            r.limit_bp = limit;
            r.requested_by = ActorUser(a);
            r.requested_at = r.updated_at = now;
            r.id = store::InsertApproval(sql, ws, r);
            events::WriteAudit(
                sql, a, now,
                {"discount_approval.request", "discount_approval", r.id, std::nullopt, ApprovalSnapshot(r)});
            break;
        }
        case ApprovalChange::Kind::kRaise: {
            Approval r = *state.current;
            const json::object before = ApprovalSnapshot(r);
            r.discount_bp = change.discount_bp;
            r.updated_at = now;
            store::UpdateApproval(sql, ws, r);
            events::WriteAudit(sql, a, now,
                               {"discount_approval.change", "discount_approval", r.id, before, ApprovalSnapshot(r)});
            break;
        }
        case ApprovalChange::Kind::kWithdraw: {
            Approval r = *state.current;
            const json::object before = ApprovalSnapshot(r);
            r.status = ApprovalStatus::kWithdrawn;
            r.updated_at = now;
            store::UpdateApproval(sql, ws, r);
            events::WriteAudit(sql, a, now,
                               {"discount_approval.withdraw", "discount_approval", r.id, before, ApprovalSnapshot(r)});
            break;
        }
    }
    return core::Ok();
}

}  // namespace

core::Result<DealLines> CatalogService::Lines(const core::Actor& a, core::Id deal_id) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<DealLines> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kRead, kDeal)) return NotFound();
        const auth::Predicate readable = vis.Read("d");
        auto d = store::SelectDealRef(sql, deal_id, readable);
        if (!d) return NotFound();
        const auth::Predicate writable = vis.Write("d");
        const bool can_write = vis.Can(Action::kUpdate, kDeal) && store::SelectDealRef(sql, deal_id, writable);
        return ViewOf(sql, vis, a, *d, can_write, now);
    });
}

core::Result<Quote> CatalogService::QuoteLine(const core::Actor& a, core::Id deal_id,
                                              std::optional<core::Id> product_id, std::int64_t quantity_milli) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<Quote> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kRead, kDeal)) return NotFound();
        const auth::Predicate readable = vis.Read("d");
        auto d = store::SelectDealRef(sql, deal_id, readable);
        if (!d) return NotFound();
        const DealContext ctx = ContextOf(sql, a.workspace_id, *d, now);
        Quote q;
        q.price_list = PriceListFor(sql, a.workspace_id, d->currency, ctx.segments);
        std::string unit;
        if (product_id) {
            q.product = store::SelectProduct(sql, a.workspace_id, *product_id);
            if (!q.product) return Error{ErrorCode::kBadRequest, {}, {{"product_id", "invalid", ""}}, 0};
            unit = q.product->unit;
            if (q.price_list) q.unit_price_minor = store::PriceOf(sql, a.workspace_id, q.price_list->id, *product_id);
        }
        q.suggestion = SuggestDiscount(ctx.schemes, LineFacts{product_id, quantity_milli}, ctx.segments, ctx.today);
        q.explanation = Explain(q.suggestion, unit, a.lang);
        return q;
    });
}

core::Result<DealLines> CatalogService::AddLine(const core::Actor& a, core::Id deal_id, const LineInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<DealLines> {
        const auto vis = VisibilityOf(sql, a, now);
        auto d = WritableDeal(sql, vis, deal_id);
        if (!d) return d.take_error();
        const auto existing = ReadDealLines(sql, a.workspace_id, deal_id);
        if (existing.size() >= kMaxLinesPerDeal)
            return Error::Field("lines", "too_many", std::to_string(kMaxLinesPerDeal));
        const DealContext ctx = ContextOf(sql, a.workspace_id, *d, now);
        DealLine l;
        l.workspace_id = a.workspace_id;
        l.deal_id = deal_id;
        l.position = existing.empty() ? 0 : existing.back().position + 1;
        l.created_at = l.updated_at = now;
        OTDEL_TRY_VOID(ApplyLineInput(sql, a.workspace_id, *d, ctx, l, in, true));
        l.id = store::InsertLine(sql, l);
        events::WriteAudit(sql, a, now, {"deal_line.create", "deal_line", l.id, std::nullopt, LineSnapshot(l)});
        std::vector<int> changed;
        if (int e = Excess(ctx, l); e > 0) changed.push_back(e);
        OTDEL_TRY_VOID(AfterLinesChanged(sql, vis, a, *d, ctx, changed, now));
        auto after = store::SelectDealRef(sql, deal_id, vis.Read("d"));
        return ViewOf(sql, vis, a, *after, true, now);
    });
}

core::Result<DealLines> CatalogService::UpdateLine(const core::Actor& a, core::Id deal_id, core::Id line_id,
                                                   const LineInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<DealLines> {
        const auto vis = VisibilityOf(sql, a, now);
        auto d = WritableDeal(sql, vis, deal_id);
        if (!d) return d.take_error();
        auto l = store::SelectLine(sql, a.workspace_id, line_id);
        if (!l || l->deal_id != deal_id) return NotFound();
        const DealContext ctx = ContextOf(sql, a.workspace_id, *d, now);
        const json::object before = LineSnapshot(*l);
        const int excess_before = Excess(ctx, *l);
        OTDEL_TRY_VOID(ApplyLineInput(sql, a.workspace_id, *d, ctx, *l, in, false));
        OTDEL_TRY_VOID(CheckShipped(sql, *l, l->quantity_milli));
        l->updated_at = now;
        store::UpdateLine(sql, *l);
        events::WriteAudit(sql, a, now, {"deal_line.update", "deal_line", line_id, before, LineSnapshot(*l)});
        std::vector<int> changed;
        if (int e = Excess(ctx, *l); e > 0 && e != excess_before) changed.push_back(e);
        OTDEL_TRY_VOID(AfterLinesChanged(sql, vis, a, *d, ctx, changed, now));
        auto after = store::SelectDealRef(sql, deal_id, vis.Read("d"));
        return ViewOf(sql, vis, a, *after, true, now);
    });
}

core::Result<DealLines> CatalogService::DeleteLine(const core::Actor& a, core::Id deal_id, core::Id line_id) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<DealLines> {
        const auto vis = VisibilityOf(sql, a, now);
        auto d = WritableDeal(sql, vis, deal_id);
        if (!d) return d.take_error();
        auto l = store::SelectLine(sql, a.workspace_id, line_id);
        if (!l || l->deal_id != deal_id) return NotFound();
        const DealContext ctx = ContextOf(sql, a.workspace_id, *d, now);
        OTDEL_TRY_VOID(CheckShipped(sql, *l, 0));
        store::DeleteLine(sql, a.workspace_id, line_id);
        events::WriteAudit(sql, a, now, {"deal_line.delete", "deal_line", line_id, LineSnapshot(*l), std::nullopt});
        OTDEL_TRY_VOID(AfterLinesChanged(sql, vis, a, *d, ctx, {}, now));
        auto after = store::SelectDealRef(sql, deal_id, vis.Read("d"));
        return ViewOf(sql, vis, a, *after, true, now);
    });
}

core::Result<void> CatalogService::CheckShipped(soci::session& sql, const DealLine& l, std::int64_t quantity) const {
    if (!shipped_by_line_) return core::Ok();
    const auto shipped = shipped_by_line_(sql, l.workspace_id, l.deal_id);
    const auto it = shipped.find(l.id);
    if (it == shipped.end() || quantity >= it->second) return core::Ok();
    // 422 naming the line (its name and how much of it the shipments carry), in the caller's language.
    return Error{ErrorCode::kValidation,
                 quantity == 0 ? "catalog.line_shipped_delete" : "catalog.line_shipped_reduce",
                 {{"lines/" + std::to_string(l.id) + "/quantity_milli", "below_shipped",
                   l.name + " — " + QuantityText(it->second) + (l.unit.empty() ? "" : " " + l.unit)}},
                 0};
}

// ---------------------------------------------------------------------------------------------------------------
// Approvals

namespace {

// A head decides: the right to decide discounts, the deal within reach (their subtree or everything), a discount
// within their own limit, and not their own request (administrators excepted).
bool MayDecide(soci::session& sql, const auth::Visibility& vis, const core::Actor& a, const Approval& r) {
    if (r.status != ApprovalStatus::kPending) return false;
    if (!vis.Can(Action::kUpdate, kDiscount)) return false;
    if (!vis.caller().unrestricted && r.requested_by == ActorUser(a)) return false;
    if (!WithinLimit(r.discount_bp, LimitOf(sql, vis, a))) return false;
    const auth::Predicate writable = vis.Write("d");
    return store::SelectDealRef(sql, r.deal_id, writable).has_value();
}

}  // namespace

core::Result<DealLines> CatalogService::RequestApproval(const core::Actor& a, core::Id deal_id,
                                                        const std::string& comment) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (comment.size() > kMaxComment) return Error::Field("comment", "too_long", std::to_string(kMaxComment));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<DealLines> {
        const auto vis = VisibilityOf(sql, a, now);
        auto d = WritableDeal(sql, vis, deal_id);
        if (!d) return d.take_error();
        const DealContext ctx = ContextOf(sql, a.workspace_id, *d, now);
        int max_excess = 0;
        for (const auto& l : ReadDealLines(sql, a.workspace_id, deal_id))
            max_excess = std::max(max_excess, Excess(ctx, l));
        const ApprovalState state = StateOf(store::ApprovalsOfDeal(sql, a.workspace_id, deal_id));
        const std::optional<int> limit = LimitOf(sql, vis, a);
        if (state.current && state.current->status == ApprovalStatus::kPending)
            return Error::Of(ErrorCode::kConflict, "catalog.approval_already_pending");
        if (!MayRequest(max_excess, limit, state))
            return Error::Of(ErrorCode::kConflict, "catalog.approval_not_needed");
        Approval r;
        r.deal_id = deal_id;
        r.discount_bp = max_excess;
        r.limit_bp = limit;
        r.requested_by = ActorUser(a);
        r.request_comment = comment;
        r.requested_at = r.updated_at = now;
        r.id = store::InsertApproval(sql, a.workspace_id, r);
        events::WriteAudit(sql, a, now,
                           {"discount_approval.request", "discount_approval", r.id, std::nullopt, ApprovalSnapshot(r)});
        return ViewOf(sql, vis, a, *d, true, now);
    });
}

core::Result<ApprovalView> CatalogService::Decide(const core::Actor& a, core::Id approval_id, bool approve,
                                                  const std::string& comment) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (comment.size() > kMaxComment) return Error::Field("comment", "too_long", std::to_string(kMaxComment));
    if (!approve && comment.empty()) return Error::Field("comment", "required");
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<ApprovalView> {
        const auto vis = VisibilityOf(sql, a, now);
        auto r = store::SelectApproval(sql, a.workspace_id, approval_id);
        const auth::Predicate readable = vis.Read("d");
        if (!r || !vis.Can(Action::kRead, kDeal) || !store::SelectDealRef(sql, r->deal_id, readable)) return NotFound();
        if (r->status != ApprovalStatus::kPending) return Error::Of(ErrorCode::kConflict, "catalog.approval_decided");
        if (!vis.Can(Action::kUpdate, kDiscount)) return Error::Of(ErrorCode::kForbidden, "catalog.decide_forbidden");
        if (!vis.caller().unrestricted && r->requested_by == ActorUser(a))
            return Error::Of(ErrorCode::kForbidden, "catalog.decide_own");
        if (!WithinLimit(r->discount_bp, LimitOf(sql, vis, a)))
            return Error::Of(ErrorCode::kForbidden, "catalog.decide_over_limit");
        if (!MayDecide(sql, vis, a, *r)) return Error::Of(ErrorCode::kForbidden, "catalog.decide_forbidden");
        const json::object before = ApprovalSnapshot(*r);
        r->status = approve ? ApprovalStatus::kApproved : ApprovalStatus::kRejected;
        r->decided_by = ActorUser(a);
        r->decision_comment = comment;
        r->decided_at = r->updated_at = now;
        store::UpdateApproval(sql, a.workspace_id, *r);
        events::WriteAudit(sql, a, now,
                           {approve ? "discount_approval.approve" : "discount_approval.reject", "discount_approval",
                            approval_id, before, ApprovalSnapshot(*r)});
        if (r->requested_by && *r->requested_by != a.user_id) {
            const json::object params{{"deal_id", r->deal_id},
                                      {"title", r->deal_title},
                                      {"discount", PercentText(r->discount_bp)},
                                      {"comment", comment}};
            events::Notify(sql, a.workspace_id, *r->requested_by,
                           approve ? "catalog.discount_approved" : "catalog.discount_rejected", params,
                           DealLink(r->deal_id), now);
        }
        auto after = store::SelectApproval(sql, a.workspace_id, approval_id);
        return ApprovalView{*after, false};
    });
}

core::Result<ApprovalPage> CatalogService::ListApprovals(const core::Actor& a, const std::optional<std::string>& status,
                                                         const std::optional<std::string>& cursor, int limit) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (status && !ParseApprovalStatus(*status))
        return Error{
            ErrorCode::kBadRequest, {}, {{"status", "not_one_of", "pending, approved, rejected, withdrawn"}}, 0};
    std::optional<core::Id> before;
    if (cursor) {
        auto c = http::DecodeCursor(*cursor);
        if (!c || *c <= 0) return Error{ErrorCode::kBadRequest, {}, {{"cursor", "invalid", ""}}, 0};
        before = *c;
    }
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<ApprovalPage> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kRead, kDeal)) return Error::Of(ErrorCode::kForbidden);
        const auth::Predicate visible = vis.Read("d");
        auto rows = store::ListApprovals(sql, status, std::nullopt, before, limit + 1, visible);
        ApprovalPage page;
        if (static_cast<int>(rows.size()) > limit) {
            rows.resize(limit);
            page.next_cursor = http::EncodeCursor(rows.back().id);
        }
        for (auto& r : rows) {
            const bool can = MayDecide(sql, vis, a, r);
            page.items.push_back({std::move(r), can});
        }
        return page;
    });
}

}  // namespace otdel::catalog
