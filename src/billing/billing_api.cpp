// HTTP handlers of the billing room: parse with FieldReader, call BillingService, answer JSON (or the PDF).
#include <boost/json.hpp>

#include "billing/billing_service.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace otdel::billing {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

using http::OrNull;

json::object InvoiceJson(const Invoice& i) {
    return json::object{{"id", i.id},
                        {"deal_id", i.deal_id},
                        {"deal_title", i.deal_title},
                        {"owner_user_id", OrNull(i.owner_user_id)},
                        {"owner_name", i.owner_name},
                        {"number", OrNull(i.number)},
                        {"state", i.state},
                        {"status", i.status},
                        {"issue_date", i.issue_date},
                        {"due_date", i.due_date},
                        {"next_due_date", i.next_due_date},
                        {"currency", i.currency},
                        {"payment_form", i.payment_form},
                        {"vat_included", i.vat_included},
                        {"net_minor", i.totals.net_minor},
                        {"vat_minor", i.totals.vat_minor},
                        {"total_minor", i.totals.total_minor},
                        {"paid_minor", i.paid_minor},
                        {"outstanding_minor", i.outstanding_minor()},
                        {"company_id", OrNull(i.company_id)},
                        {"contact_id", OrNull(i.contact_id)},
                        {"payer_name", i.payer_name},
                        {"payer_inn", i.payer_inn},
                        {"note", i.note},
                        {"cancel_reason", i.cancel_reason},
                        {"issued_at", OrNull(i.issued_at)},
                        {"paid_at", OrNull(i.paid_at)},
                        {"cancelled_at", OrNull(i.cancelled_at)},
                        {"overdue_at", OrNull(i.overdue_at)},
                        {"created_by", OrNull(i.created_by)},
                        {"created_at", i.created_at},
                        {"updated_at", i.updated_at}};
}

json::object PaymentJson(const Payment& p) {
    return json::object{{"id", p.id},
                        {"invoice_id", p.invoice_id},
                        {"paid_on", p.paid_on},
                        {"amount_minor", p.amount_minor},
                        {"currency", p.currency},
                        {"method", p.method},
                        {"reference", p.reference},
                        {"payer_inn", p.payer_inn},
                        {"note", p.note},
                        {"source", p.source},
                        {"bank_import_id", OrNull(p.bank_import_id)},
                        {"reversed_at", OrNull(p.deleted_at)},
                        {"created_by", OrNull(p.created_by)},
                        {"created_by_name", p.created_by_name},
                        {"created_at", p.created_at}};
}

json::object CardJson(const InvoiceCard& c) {
    json::object o = InvoiceJson(c.invoice);
    json::array lines, instalments, payments, reminders;
    for (const auto& l : c.invoice.lines)
        lines.push_back(json::object{{"product_id", OrNull(l.product_id)},
                                     {"name", l.name},
                                     {"sku", l.sku},
                                     {"unit", l.unit},
                                     {"quantity_milli", l.quantity_milli},
                                     {"unit_price_minor", l.unit_price_minor},
                                     {"discount_bp", l.discount_bp},
                                     {"vat_rate_bp", OrNull(l.vat_rate_bp)},
                                     {"vat_minor", l.vat_minor},
                                     {"amount_minor", l.amount_minor}});
    for (const auto& it : c.invoice.instalments)
        instalments.push_back(json::object{{"id", it.id},
                                           {"due_date", it.due_date},
                                           {"amount_minor", it.amount_minor},
                                           {"note", it.note},
                                           {"paid_minor", it.paid_minor},
                                           {"status", it.status},
                                           {"overdue_at", OrNull(it.overdue_at)}});
    for (const auto& p : c.payments) payments.push_back(PaymentJson(p));
    for (const auto& r : c.reminders)
        reminders.push_back(json::object{{"id", r.id},
                                         {"instalment_id", r.instalment_id},
                                         {"kind", r.kind},
                                         {"channel", r.channel},
                                         {"target", r.target},
                                         {"status", r.status},
                                         {"error", r.error},
                                         {"sent_at", OrNull(r.sent_at)},
                                         {"created_at", r.created_at}});
    o["lines"] = std::move(lines);
    o["instalments"] = std::move(instalments);
    o["payments"] = std::move(payments);
    o["reminders"] = std::move(reminders);
    return o;
}

json::object SettingsJson(const Settings& s) {
    return json::object{{"number_prefix", s.number_prefix},
                        {"number_digits", s.number_digits},
                        {"allow_overpayment", s.allow_overpayment},
                        {"default_due_days", s.default_due_days}};
}

json::object BankImportJson(const store::BankImport& b, bool with_report) {
    json::object o{{"id", b.id},
                   {"file_name", b.file_name},
                   {"rows_total", b.rows_total},
                   {"matched", b.matched},
                   {"duplicates", b.duplicates},
                   {"unmatched", b.unmatched},
                   {"rejected", b.rejected},
                   {"created_by", OrNull(b.created_by)},
                   {"created_by_name", b.created_by_name},
                   {"created_at", b.created_at}};
    if (with_report) {
        boost::system::error_code ec;
        json::value v = json::parse(b.report, ec);
        o["report"] = !ec && v.is_array() ? v : json::array{};
    }
    return o;
}

json::array TotalsJson(const std::vector<std::pair<std::string, long long>>& totals) {
    json::array out;
    for (const auto& [c, v] : totals) out.push_back(json::object{{"currency", c}, {"amount_minor", v}});
    return out;
}

// An array of objects in `body[name]`, each read by `read` with its path prefix; errors go to `f`.
template <class T, class Read>
std::optional<std::vector<T>> ReadArray(const json::object& body, const std::string& name, http::FieldReader& f,
                                        Read read) {
    auto it = body.find(name);
    if (it == body.end()) return std::nullopt;
    f.Known(name);
    if (!it->value().is_array()) {
        f.AddError(name, "wrong_type", "array");
        return std::nullopt;
    }
    std::vector<T> out;
    const auto& arr = it->value().as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string at = name + "/" + std::to_string(i);
        if (!arr[i].is_object()) {
            f.AddError(at, "wrong_type", "object");
            continue;
        }
        http::FieldReader item(arr[i].as_object());
        T v = read(item);
        if (auto done = item.Finish(); !done)
            for (const auto& e : done.error().fields) f.AddError(at + "/" + e.field, e.code, e.param);
        out.push_back(std::move(v));
    }
    return out;
}

InvoiceLine ReadLine(http::FieldReader& f) {
    InvoiceLine l;
    if (f.Has("product_id")) l.product_id = f.Int("product_id", false, 1, INT64_MAX);
    l.name = f.String("name", {false, 0, kMaxLineName}).value_or("");  // empty: ValidateLines names it
    l.sku = f.String("sku", {false, 0, 100}).value_or("");
    l.unit = f.String("unit", {false, 0, 20}).value_or("");
    // Ranges are the rules' (ValidateLines), so every wrong line is told at once with its position.
    l.quantity_milli = f.Int("quantity_milli", true, INT64_MIN, INT64_MAX).value_or(0);
    l.unit_price_minor = f.Int("unit_price_minor", true, INT64_MIN, INT64_MAX).value_or(0);
    l.discount_bp = static_cast<std::int32_t>(f.Int("discount_bp", false, INT32_MIN, INT32_MAX).value_or(0));
    if (auto r = f.Int("vat_rate_bp", false, INT32_MIN, INT32_MAX)) l.vat_rate_bp = static_cast<std::int32_t>(*r);
    return l;
}

core::Result<InvoiceInput> ReadInvoice(const json::object& body, bool create) {
    http::FieldReader f(body);
    InvoiceInput in;
    if (create) {
        in.deal_id = f.Int("deal_id", true, 1, INT64_MAX);
        in.issue = f.Bool("issue", false).value_or(false);
    }
    in.lines = ReadArray<InvoiceLine>(body, "lines", f, ReadLine);
    in.issue_date = f.String("issue_date", {false, 0, 10});
    in.due_date = f.String("due_date", {false, 0, 10});
    in.currency = f.String("currency", {false, 3, 3});
    in.payment_form = f.String("payment_form", {false, 0, 40});
    in.note = f.String("note", {false, 0, kMaxNote});
    in.vat_included = f.Bool("vat_included", false);
    OTDEL_TRY_VOID(f.Finish());
    return in;
}

using http::QueryId;

Response Card(const core::Result<InvoiceCard>& r, const Request& req, int status = 200) {
    if (!r) return http::Problem(req, r.error());
    return http::Json(status, CardJson(*r));
}

}  // namespace

void BillingService::Register(http::Router& router) {
    router.Get("/api/v1/billing/settings", Access::kUser, [this](Request& req) {
        auto r = GetSettings(req.actor);
        if (!r) return http::Problem(req, r.error());
        return http::Json(SettingsJson(*r));
    });
    router.Put("/api/v1/billing/settings", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        Settings s;
        s.number_prefix = f.String("number_prefix", {true, 0, 30, false}).value_or("");
        s.number_digits = static_cast<int>(f.Int("number_digits", true, INT32_MIN, INT32_MAX).value_or(0));
        s.allow_overpayment = f.Bool("allow_overpayment", true).value_or(false);
        s.default_due_days = static_cast<int>(f.Int("default_due_days", true, INT32_MIN, INT32_MAX).value_or(0));
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = PutSettings(req.actor, s);
        if (!r) return http::Problem(req, r.error());
        return http::Json(SettingsJson(*r));
    });
    router.Get("/api/v1/billing/overdue", Access::kUser, [this](Request& req) {
        auto r = Overdue(req.actor);
        if (!r) return http::Problem(req, r.error());
        auto groups = [](const std::vector<OverdueGroup>& gs, bool people) {
            json::array out;
            for (const auto& g : gs) {
                json::object o{
                    {"id", OrNull(g.id)}, {"name", g.name}, {"count", g.count}, {"totals", TotalsJson(g.totals)}};
                if (people) {
                    o["department_id"] = OrNull(g.department_id);
                    o["department_name"] = g.department_name;
                }
                out.push_back(std::move(o));
            }
            return out;
        };
        return http::Json(json::object{
            {"today", r->today}, {"by_person", groups(r->by_person, true)}, {"by_team", groups(r->by_team, false)}});
    });

    router.Get("/api/v1/invoices", Access::kUser, [this](Request& req) {
        InvoiceQuery q;
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        q.limit = page->limit;
        q.cursor = req.Query("cursor");
        for (auto [name, slot] : {std::pair{"deal_id", &q.deal_id}, std::pair{"department_id", &q.department_id}}) {
            auto v = QueryId(req, name);
            if (!v) return http::Problem(req, v.error());
            *slot = *v;
        }
        q.owner = req.Query("owner");
        q.status = req.Query("status");
        q.q = req.Query("q");
        auto r = List(req.actor, q);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& i : r->items) items.push_back(InvoiceJson(i));
        return http::Json(json::object{{"items", std::move(items)}, {"next_cursor", OrNull(r->next_cursor)}});
    });
    router.Post("/api/v1/invoices", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadInvoice(*body, true);
        if (!in) return http::Problem(req, in.error());
        return Card(Create(req.actor, *in), req, 201);
    });
    router.Get("/api/v1/invoices/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        return Card(Get(req.actor, *id), req);
    });
    router.Patch("/api/v1/invoices/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadInvoice(*body, false);
        if (!in) return http::Problem(req, in.error());
        return Card(Update(req.actor, *id, *in), req);
    });
    router.Post("/api/v1/invoices/{id}/issue", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        return Card(Issue(req.actor, *id), req);
    });
    router.Post("/api/v1/invoices/{id}/cancel", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto reason = f.String("reason", {false, 0, kMaxNote});
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        return Card(Cancel(req.actor, *id, reason.value_or("")), req);
    });
    router.Put("/api/v1/invoices/{id}/instalments", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto items = ReadArray<Instalment>(*body, "items", f, [](http::FieldReader& item) {
            Instalment it;
            it.due_date = item.String("due_date", {true, 0, 10}).value_or("");
            it.amount_minor = item.Int("amount_minor", true, INT64_MIN, INT64_MAX).value_or(0);
            it.note = item.String("note", {false, 0, kMaxNote}).value_or("");
            return it;
        });
        if (!items && !body->contains("items")) f.AddError("items", "required", "array");
        if (auto done = f.Finish(); !done) {
            // The schedule's own paths are "instalments/…", as the rules name them.
            auto e = done.error();
            for (auto& fe : e.fields)
                if (fe.field.rfind("items", 0) == 0) fe.field = "instalments" + fe.field.substr(5);
            return http::Problem(req, e);
        }
        return Card(SetSchedule(req.actor, *id, items.value_or(std::vector<Instalment>{})), req);
    });
    router.Get("/api/v1/invoices/{id}/pdf", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto pdf = Pdf(req.actor, *id);
        if (!pdf) return http::Problem(req, pdf.error());
        Response res;
        res.content_type = "application/pdf";
        res.body = std::move(pdf->bytes);
        res.Header("Content-Disposition", "inline; filename=\"" + pdf->file_name + "\"");
        return res;
    });
    router.Post("/api/v1/invoices/{id}/payments", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        PaymentInput in;
        in.paid_on = f.String("paid_on", {true, 0, 10}).value_or("");
        in.amount_minor = f.Int("amount_minor", true, INT64_MIN, INT64_MAX).value_or(0);
        in.method = f.String("method", {false, 0, 40}).value_or("bank_transfer");
        in.reference = f.String("reference", {false, 0, kMaxReference}).value_or("");
        in.payer_inn = f.String("payer_inn", {false, 0, 12}).value_or("");
        in.note = f.String("note", {false, 0, kMaxNote}).value_or("");
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        return Card(AddPayment(req.actor, *id, in), req, 201);
    });
    router.Post("/api/v1/payments/{id}/reverse", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        return Card(ReversePayment(req.actor, *id), req);
    });

    router.Post("/api/v1/bank-imports", Access::kUser, [this](Request& req) {
        auto r = ImportBankStatement(req.actor, req.Query("file_name").value_or(""), req.body);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, BankImportJson(r->summary, true));
    });
    router.Get("/api/v1/bank-imports", Access::kUser, [this](Request& req) {
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        std::optional<core::Id> before;
        if (auto c = req.Query("cursor")) {
            auto d = http::DecodeCursor(*c);
            if (!d || *d <= 0)
                return http::Problem(req,
                                     core::Error{core::ErrorCode::kBadRequest, {}, {{"cursor", "invalid", ""}}, 0});
            before = *d;
        }
        auto r = ListBankImports(req.actor, before, page->limit + 1);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        std::optional<std::string> next;
        for (std::size_t i = 0; i < r->size(); ++i) {
            if (static_cast<int>(i) == page->limit) {
                next = http::EncodeCursor((*r)[i - 1].id);
                break;
            }
            items.push_back(BankImportJson((*r)[i], false));
        }
        return http::Json(json::object{{"items", std::move(items)}, {"next_cursor", OrNull(next)}});
    });
    router.Get("/api/v1/bank-imports/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = GetBankImport(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(BankImportJson(r->summary, true));
    });
}

}  // namespace otdel::billing
