// HTTP handlers of the catalog room: parse with FieldReader, call CatalogService, answer JSON.
#include <boost/json.hpp>

#include "catalog/catalog_service.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace otdel::catalog {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

using http::OrNull;

json::object ProductJson(const Product& p) {
    return json::object{{"id", p.id},
                        {"name", p.name},
                        {"sku", p.sku},
                        {"unit", p.unit},
                        {"description", p.description},
                        {"vat_rate_bp", p.vat_rate_bp},
                        {"made_to_order", p.made_to_order},
                        {"archived_at", OrNull(p.archived_at)},
                        {"created_at", p.created_at},
                        {"updated_at", p.updated_at}};
}

json::object PriceListJson(const PriceList& p) {
    return json::object{{"id", p.id},
                        {"name", p.name},
                        {"currency", p.currency},
                        {"client_segment", p.client_segment},
                        {"is_default", p.is_default},
                        {"archived_at", OrNull(p.archived_at)},
                        {"created_at", p.created_at},
                        {"updated_at", p.updated_at}};
}

json::array PricesJson(const std::vector<PriceItem>& items) {
    json::array out;
    for (const auto& i : items)
        out.push_back(json::object{{"product_id", i.product_id}, {"price_minor", i.price_minor}});
    return out;
}

json::object TierJson(const Tier& t) {
    return json::object{{"min_quantity_milli", t.min_quantity_milli}, {"discount_bp", t.discount_bp}};
}

json::object SchemeJson(const DiscountScheme& s) {
    json::array tiers;
    for (const auto& t : s.tiers) tiers.push_back(TierJson(t));
    return json::object{{"id", s.id},
                        {"name", s.name},
                        {"kind", s.kind},
                        {"discount_bp", s.discount_bp},
                        {"tiers", std::move(tiers)},
                        {"client_segment", s.client_segment},
                        {"product_id", OrNull(s.product_id)},
                        {"valid_from", OrNull(s.valid_from)},
                        {"valid_to", OrNull(s.valid_to)},
                        {"active", s.active},
                        {"archived_at", OrNull(s.archived_at)},
                        {"created_at", s.created_at},
                        {"updated_at", s.updated_at}};
}

json::object LimitJson(const LimitView& l) {
    return json::object{{"role_code", l.role_code},
                        {"role_name", l.role_name},
                        {"max_discount_bp", OrNull(l.max_discount_bp)},
                        {"custom", l.custom},
                        {"decides_discounts", l.decides_discounts}};
}

json::object SuggestionJson(const Suggestion& s, const std::string& explanation) {
    return json::object{{"discount_bp", s.discount_bp},
                        {"scheme_id", OrNull(s.scheme_id)},
                        {"scheme_name", s.scheme_name},
                        {"kind", s.kind},
                        {"explanation", explanation}};
}

json::object LineJson(const LineView& v) {
    const DealLine& l = v.line;
    return json::object{{"id", l.id},
                        {"deal_id", l.deal_id},
                        {"position", l.position},
                        {"product_id", OrNull(l.product_id)},
                        {"name", l.name},
                        {"sku", l.sku},
                        {"unit", l.unit},
                        {"quantity_milli", l.quantity_milli},
                        {"unit_price_minor", l.unit_price_minor},
                        {"discount_bp", l.discount_bp},
                        {"vat_rate_bp", l.vat_rate_bp},
                        {"amount_minor", l.amount_minor},
                        {"vat_minor", VatIncluded(l.amount_minor, l.vat_rate_bp)},
                        {"suggestion", SuggestionJson(v.suggestion, v.explanation)},
                        {"over_limit", v.over_limit},
                        {"created_at", l.created_at},
                        {"updated_at", l.updated_at}};
}

json::object ApprovalJson(const Approval& a, bool can_decide) {
    return json::object{{"id", a.id},
                        {"deal_id", a.deal_id},
                        {"deal_title", a.deal_title},
                        {"deal_owner_user_id", OrNull(a.deal_owner_user_id)},
                        {"deal_amount_minor", a.deal_amount_minor},
                        {"deal_currency", a.deal_currency},
                        {"status", std::string(ApprovalStatusName(a.status))},
                        {"discount_bp", a.discount_bp},
                        {"limit_bp", OrNull(a.limit_bp)},
                        {"requested_by", OrNull(a.requested_by)},
                        {"requested_by_name", a.requested_by_name},
                        {"request_comment", a.request_comment},
                        {"requested_at", a.requested_at},
                        {"decided_by", OrNull(a.decided_by)},
                        {"decided_by_name", a.decided_by_name},
                        {"decision_comment", a.decision_comment},
                        {"decided_at", OrNull(a.decided_at)},
                        {"can_decide", can_decide}};
}

json::object DealLinesJson(const DealLines& d) {
    json::array lines;
    std::int64_t vat = 0;
    for (const auto& l : d.lines) {
        lines.push_back(LineJson(l));
        vat += VatIncluded(l.line.amount_minor, l.line.vat_rate_bp);
    }
    return json::object{
        {"deal_id", d.deal_id},
        {"currency", d.currency},
        {"amount_minor", d.amount_minor},
        {"vat_minor", vat},
        {"lines", std::move(lines)},
        {"approval", d.approval ? json::value(ApprovalJson(*d.approval, false)) : json::value(nullptr)},
        {"approved_bp", d.approved_bp},
        {"my_limit_bp", OrNull(d.my_limit_bp)},
        {"can_edit", d.can_edit},
        {"can_request", d.can_request},
        {"price_list", d.price_list ? json::value(PriceListJson(*d.price_list)) : json::value(nullptr)}};
}

std::optional<int> OptInt(const std::optional<std::int64_t>& v) {
    if (!v) return std::nullopt;
    return static_cast<int>(*v);
}

core::Result<ProductInput> ReadProduct(const json::object& body, bool create) {
    http::FieldReader f(body);
    ProductInput in;
    // Required fields and ranges are the rules' (ValidateProduct), so every wrong field is told at once.
    in.name = f.String("name", {false, 0, 10 * kMaxName});
    in.sku = f.String("sku", {false, 0, 10 * kMaxSku});
    in.unit = f.String("unit", {false, 0, 10 * kMaxUnit});
    in.description = f.String("description", {false, 0, 10 * kMaxDescription});
    in.vat_rate_bp = OptInt(f.Int("vat_rate_bp", false, INT32_MIN, INT32_MAX));
    in.made_to_order = f.Bool("made_to_order", false);
    if (!create) in.archived = f.Bool("archived", false);
    OTDEL_TRY_VOID(f.Finish());
    return in;
}

core::Result<PriceListInput> ReadPriceList(const json::object& body, bool create) {
    http::FieldReader f(body);
    PriceListInput in;
    in.name = f.String("name", {create, 0, 10 * kMaxName});
    in.currency = f.String("currency", {false, 0, 10});
    in.client_segment = f.String("client_segment", {false, 0, 10 * kMaxSegment});
    in.is_default = f.Bool("is_default", false);
    if (!create) in.archived = f.Bool("archived", false);
    OTDEL_TRY_VOID(f.Finish());
    return in;
}

core::Result<SchemeInput> ReadScheme(const json::object& body, bool create) {
    http::FieldReader f(body);
    SchemeInput in;
    in.name = f.String("name", {create, 0, 10 * kMaxName});
    in.kind = f.Enum("kind", create, {"volume", "segment", "promotion"});
    in.discount_bp = OptInt(f.Int("discount_bp", false, INT32_MIN, INT32_MAX));
    in.client_segment = f.String("client_segment", {false, 0, 10 * kMaxSegment});
    if (f.Has("product_id")) {
        in.set_product = true;
        in.product_id = f.Int("product_id", false, 1, INT64_MAX);
    }
    for (auto [name, set, slot] :
         {std::tuple{"valid_from", &in.set_from, &in.valid_from}, std::tuple{"valid_to", &in.set_to, &in.valid_to}}) {
        if (!f.Has(name)) continue;
        *set = true;
        *slot = f.String(name, {false, 0, 10});
        if (*slot && (*slot)->empty()) slot->reset();
    }
    in.active = f.Bool("active", false);
    if (!create) in.archived = f.Bool("archived", false);
    if (auto it = body.find("tiers"); it != body.end()) {
        f.Known("tiers");
        if (!it->value().is_array()) {
            f.AddError("tiers", "wrong_type", "array");
        } else {
            std::vector<Tier> tiers;
            const auto& arr = it->value().as_array();
            for (std::size_t i = 0; i < arr.size(); ++i) {
                const std::string at = "tiers/" + std::to_string(i);
                if (!arr[i].is_object()) {
                    f.AddError(at, "wrong_type", "object");
                    continue;
                }
                const auto& o = arr[i].as_object();
                Tier t;
                const auto* q = o.if_contains("min_quantity_milli");
                const auto* d = o.if_contains("discount_bp");
                if (!q || !q->is_int64())
                    f.AddError(at + "/min_quantity_milli", q ? "wrong_type" : "required", "integer");
                if (!d || !d->is_int64()) f.AddError(at + "/discount_bp", d ? "wrong_type" : "required", "integer");
                if (q && q->is_int64()) t.min_quantity_milli = q->as_int64();
                if (d && d->is_int64())
                    t.discount_bp = static_cast<int>(std::clamp<std::int64_t>(d->as_int64(), -1, kFullBp + 1));
                tiers.push_back(t);
            }
            in.tiers = std::move(tiers);
        }
    }
    OTDEL_TRY_VOID(f.Finish());
    if (in.discount_bp && (*in.discount_bp < 0 || *in.discount_bp > kFullBp))
        return core::Error::Field("discount_bp", "out_of_range", "0–10000");
    return in;
}

core::Result<LineInput> ReadLine(const json::object& body) {
    http::FieldReader f(body);
    LineInput in;
    if (f.Has("product_id")) {
        in.set_product = true;
        in.product_id = f.Int("product_id", false, 1, INT64_MAX);
    }
    in.name = f.String("name", {false, 0, 10 * kMaxName});
    in.sku = f.String("sku", {false, 0, 10 * kMaxSku});
    in.unit = f.String("unit", {false, 0, 10 * kMaxUnit});
    // Ranges are the rules' (ValidateLine), so every wrong field is told at once in its words.
    in.quantity_milli = f.Int("quantity_milli", false, INT64_MIN, INT64_MAX);
    in.unit_price_minor = f.Int("unit_price_minor", false, INT64_MIN, INT64_MAX);
    auto discount = f.Int("discount_bp", false, INT64_MIN, INT64_MAX);
    auto vat = f.Int("vat_rate_bp", false, INT64_MIN, INT64_MAX);
    OTDEL_TRY_VOID(f.Finish());
    std::vector<core::FieldError> errs;
    if (discount && (*discount < 0 || *discount > kFullBp)) errs.push_back({"discount_bp", "out_of_range", "0–10000"});
    if (vat && (*vat < 0 || *vat > kFullBp)) errs.push_back({"vat_rate_bp", "out_of_range", "0–10000"});
    if (in.quantity_milli && (*in.quantity_milli <= 0 || *in.quantity_milli > kMaxQuantityMilli))
        errs.push_back({"quantity_milli", "out_of_range", "1–" + std::to_string(kMaxQuantityMilli)});
    if (in.unit_price_minor && (*in.unit_price_minor < 0 || *in.unit_price_minor > kMaxMoney))
        errs.push_back({"unit_price_minor", "out_of_range", "0–" + std::to_string(kMaxMoney)});
    if (!errs.empty()) return core::Error{core::ErrorCode::kValidation, {}, std::move(errs), 0};
    in.discount_bp = OptInt(discount);
    in.vat_rate_bp = OptInt(vat);
    return in;
}

core::Result<std::string> ReadComment(const Request& req, bool required) {
    std::string comment;
    if (req.body.empty() && !required) return comment;
    auto body = http::ParseJsonObject(req);
    if (!body) return body.take_error();
    http::FieldReader f(*body);
    auto c = f.String("comment", {required, 0, kMaxComment});
    OTDEL_TRY_VOID(f.Finish());
    return c.value_or("");
}

using http::QueryId;

Response LinesResponse(const Request& req, const core::Result<DealLines>& r) {
    if (!r) return http::Problem(req, r.error());
    return http::Json(DealLinesJson(*r));
}

}  // namespace

void CatalogService::Register(http::Router& router) {
    // ---- products ----
    router.Get("/api/v1/products", Access::kUser, [this](Request& req) {
        ProductQuery q;
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        q.limit = page->limit;
        q.cursor = req.Query("cursor");
        q.q = req.Query("q");
        q.include_archived = req.Query("archived").value_or("") == "true";
        auto list = QueryId(req, "price_list_id");
        if (!list) return http::Problem(req, list.error());
        q.price_list_id = *list;
        auto r = ListProducts(req.actor, q);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& row : r->items) {
            json::object o = ProductJson(row.product);
            o["price_minor"] = OrNull(row.price_minor);
            items.push_back(std::move(o));
        }
        return http::Json(json::object{{"items", std::move(items)}, {"next_cursor", OrNull(r->next_cursor)}});
    });
    router.Post("/api/v1/products", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadProduct(*body, true);
        if (!in) return http::Problem(req, in.error());
        auto r = CreateProduct(req.actor, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, ProductJson(*r));
    });
    router.Get("/api/v1/products/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = GetProduct(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ProductJson(*r));
    });
    router.Patch("/api/v1/products/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadProduct(*body, false);
        if (!in) return http::Problem(req, in.error());
        auto r = UpdateProduct(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ProductJson(*r));
    });

    // ---- price lists ----
    router.Get("/api/v1/price-lists", Access::kUser, [this](Request& req) {
        auto r = ListPriceLists(req.actor, req.Query("archived").value_or("") == "true");
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& p : *r) items.push_back(PriceListJson(p));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Post("/api/v1/price-lists", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadPriceList(*body, true);
        if (!in) return http::Problem(req, in.error());
        auto r = CreatePriceList(req.actor, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, PriceListJson(*r));
    });
    router.Patch("/api/v1/price-lists/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadPriceList(*body, false);
        if (!in) return http::Problem(req, in.error());
        auto r = UpdatePriceList(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(PriceListJson(*r));
    });
    router.Get("/api/v1/price-lists/{id}/prices", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Prices(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(json::object{{"items", PricesJson(*r)}});
    });
    router.Put("/api/v1/price-lists/{id}/prices", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        f.Known("items");
        std::vector<PriceChange> changes;
        auto it = body->find("items");
        if (it == body->end() || !it->value().is_array()) {
            f.AddError("items", it == body->end() ? "required" : "wrong_type", "array");
        } else {
            const auto& arr = it->value().as_array();
            if (arr.size() > 1000) f.AddError("items", "too_many", "1000");
            for (std::size_t i = 0; i < arr.size() && i < 1000; ++i) {
                const std::string at = "items/" + std::to_string(i);
                const auto* o = arr[i].if_object();
                const auto* product = o ? o->if_contains("product_id") : nullptr;
                const auto* price = o ? o->if_contains("price_minor") : nullptr;
                if (!product || !product->is_int64() || product->as_int64() < 1) {
                    f.AddError(at + "/product_id", "wrong_type", "integer");
                    continue;
                }
                if (!price || !(price->is_int64() || price->is_null())) {
                    f.AddError(at + "/price_minor", "wrong_type", "integer");
                    continue;
                }
                PriceChange c;
                c.product_id = product->as_int64();
                if (price->is_int64()) c.price_minor = price->as_int64();
                changes.push_back(c);
            }
        }
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = SetPrices(req.actor, *id, changes);
        if (!r) return http::Problem(req, r.error());
        return http::Json(json::object{{"items", PricesJson(*r)}});
    });

    // ---- discount schemes ----
    router.Get("/api/v1/discount-schemes", Access::kUser, [this](Request& req) {
        auto r = ListSchemes(req.actor, req.Query("archived").value_or("") == "true");
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& s : *r) items.push_back(SchemeJson(s));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Post("/api/v1/discount-schemes", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadScheme(*body, true);
        if (!in) return http::Problem(req, in.error());
        auto r = CreateScheme(req.actor, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, SchemeJson(*r));
    });
    router.Patch("/api/v1/discount-schemes/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadScheme(*body, false);
        if (!in) return http::Problem(req, in.error());
        auto r = UpdateScheme(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(SchemeJson(*r));
    });

    // ---- discount limits ----
    auto limits = [](const Request& req, const core::Result<std::vector<LimitView>>& r) {
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& l : *r) items.push_back(LimitJson(l));
        return http::Json(json::object{{"items", std::move(items)}});
    };
    router.Get("/api/v1/discount-limits", Access::kUser,
               [this, limits](Request& req) { return limits(req, Limits(req.actor)); });
    router.Put("/api/v1/discount-limits/{code}", Access::kUser, [this, limits](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        if (!f.Has("max_discount_bp")) f.AddError("max_discount_bp", "required");
        auto bp = f.Int("max_discount_bp", false, INT32_MIN, INT32_MAX);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        return limits(req, SetLimit(req.actor, req.params["code"], false, OptInt(bp)));
    });
    router.Delete("/api/v1/discount-limits/{code}", Access::kUser, [this, limits](Request& req) {
        return limits(req, SetLimit(req.actor, req.params["code"], true, std::nullopt));
    });

    // ---- deal lines ----
    router.Get("/api/v1/deals/{id}/lines", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        return LinesResponse(req, CatalogService::Lines(req.actor, *id));
    });
    router.Get("/api/v1/deals/{id}/line-quote", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto product = QueryId(req, "product_id");
        if (!product) return http::Problem(req, product.error());
        std::int64_t quantity = kMilli;
        if (auto q = req.Query("quantity_milli")) {
            char* end = nullptr;
            quantity = std::strtoll(q->c_str(), &end, 10);
            if (q->empty() || *end != '\0' || quantity <= 0 || quantity > kMaxQuantityMilli)
                return http::Problem(
                    req, core::Error{core::ErrorCode::kBadRequest, {}, {{"quantity_milli", "invalid", ""}}, 0});
        }
        auto r = QuoteLine(req.actor, *id, *product, quantity);
        if (!r) return http::Problem(req, r.error());
        return http::Json(json::object{
            {"product", r->product ? json::value(ProductJson(*r->product)) : json::value(nullptr)},
            {"unit_price_minor", OrNull(r->unit_price_minor)},
            {"price_list", r->price_list ? json::value(PriceListJson(*r->price_list)) : json::value(nullptr)},
            {"suggestion", SuggestionJson(r->suggestion, r->explanation)}});
    });
    router.Post("/api/v1/deals/{id}/lines", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadLine(*body);
        if (!in) return http::Problem(req, in.error());
        auto r = AddLine(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, DealLinesJson(*r));
    });
    router.Patch("/api/v1/deals/{id}/lines/{line_id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto line = http::PathId(req, "line_id");
        if (!line) return http::Problem(req, line.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadLine(*body);
        if (!in) return http::Problem(req, in.error());
        return LinesResponse(req, UpdateLine(req.actor, *id, *line, *in));
    });
    router.Delete("/api/v1/deals/{id}/lines/{line_id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto line = http::PathId(req, "line_id");
        if (!line) return http::Problem(req, line.error());
        return LinesResponse(req, DeleteLine(req.actor, *id, *line));
    });
    router.Post("/api/v1/deals/{id}/discount-approval", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto comment = ReadComment(req, false);
        if (!comment) return http::Problem(req, comment.error());
        auto r = RequestApproval(req.actor, *id, *comment);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, DealLinesJson(*r));
    });

    // ---- approvals ----
    router.Get("/api/v1/discount-approvals", Access::kUser, [this](Request& req) {
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        auto r = ListApprovals(req.actor, req.Query("status"), req.Query("cursor"), page->limit);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& v : r->items) items.push_back(ApprovalJson(v.approval, v.can_decide));
        return http::Json(json::object{{"items", std::move(items)}, {"next_cursor", OrNull(r->next_cursor)}});
    });
    for (const bool approve : {true, false}) {
        router.Post(approve ? "/api/v1/discount-approvals/{id}/approve" : "/api/v1/discount-approvals/{id}/reject",
                    Access::kUser, [this, approve](Request& req) {
                        auto id = http::PathId(req);
                        if (!id) return http::Problem(req, id.error());
                        auto comment = ReadComment(req, !approve);
                        if (!comment) return http::Problem(req, comment.error());
                        auto r = Decide(req.actor, *id, approve, *comment);
                        if (!r) return http::Problem(req, r.error());
                        return http::Json(ApprovalJson(r->approval, r->can_decide));
                    });
    }
}

}  // namespace otdel::catalog
