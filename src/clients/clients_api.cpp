// HTTP handlers of the clients room: parse with FieldReader, call ClientsService, answer JSON.
#include <boost/json.hpp>

#include <charconv>

#include "auth/account.hpp"
#include "clients/clients_service.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace otdel::clients {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

using http::OrNull;
json::value ParseText(const std::string& s) {
    boost::system::error_code ec;
    auto v = json::parse(s, ec);
    return ec ? json::value(json::object{}) : v;
}

json::array PointList(const std::vector<ContactPoint>& points, const std::string& kind) {
    json::array a;
    for (const auto& p : points)
        if (p.kind == kind)
            a.push_back(json::object{{"id", p.id},
                                     {"kind", p.kind},
                                     {"value", p.value},
                                     {"raw", p.raw},
                                     {"label", p.label},
                                     {"is_primary", p.is_primary}});
    return a;
}

json::object CompanyJson(const Company& c) {
    return json::object{{"id", c.id},
                        {"legal_form", c.legal_form},
                        {"name", c.name},
                        {"full_name", c.full_name},
                        {"inn", OrNull(c.inn)},
                        {"kpp", OrNull(c.kpp)},
                        {"ogrn", OrNull(c.ogrn)},
                        {"legal_address", c.legal_address},
                        {"actual_address", c.actual_address},
                        {"bank_details", json::object{{"bank_name", c.bank.bank_name},
                                                      {"bik", c.bank.bik},
                                                      {"account", c.bank.account},
                                                      {"corr_account", c.bank.corr_account}}},
                        {"financial_state", c.financial_state},
                        {"purchase_volume_minor",
                         c.purchase_volume_minor ? json::value(*c.purchase_volume_minor) : json::value(nullptr)},
                        {"currency", c.currency},
                        {"payment_discipline", c.payment_discipline},
                        {"preferences", c.preferences},
                        {"notes", c.notes},
                        {"website", c.website},
                        {"tags", http::StringArray(c.tags)},
                        {"custom", ParseText(c.custom_json)},
                        {"owner_user_id", OrNull(c.owner_user_id)},
                        {"source_lead_id", OrNull(c.source_lead_id)},
                        {"merged_into_id", OrNull(c.merged_into_id)},
                        {"deleted_at", OrNull(c.deleted_at)},
                        {"created_at", c.created_at},
                        {"updated_at", c.updated_at}};
}

json::object ContactJson(const Contact& c) {
    return json::object{{"id", c.id},
                        {"last_name", c.last_name},
                        {"first_name", c.first_name},
                        {"middle_name", c.middle_name},
                        {"full_name", c.full_name},
                        {"birthday", OrNull(c.birthday)},
                        {"preferences", c.preferences},
                        {"notes", c.notes},
                        {"tags", http::StringArray(c.tags)},
                        {"custom", ParseText(c.custom_json)},
                        {"owner_user_id", OrNull(c.owner_user_id)},
                        {"source_lead_id", OrNull(c.source_lead_id)},
                        {"merged_into_id", OrNull(c.merged_into_id)},
                        {"deleted_at", OrNull(c.deleted_at)},
                        {"created_at", c.created_at},
                        {"updated_at", c.updated_at}};
}

json::array LinksJson(const std::vector<store::LinkView>& links, bool of_company) {
    json::array a;
    for (const auto& l : links) {
        json::object o{{"company_id", l.link.company_id},
                       {"contact_id", l.link.contact_id},
                       {"position", l.link.position},
                       {"decision_role", l.link.decision_role},
                       {"is_primary", l.link.is_primary}};
        o[of_company ? "contact_name" : "company_name"] = l.name;
        a.push_back(std::move(o));
    }
    return a;
}

json::object CompanyCardJson(const CompanyCard& card) {
    json::object o = CompanyJson(card.company);
    o["phones"] = PointList(card.points, "phone");
    o["emails"] = PointList(card.points, "email");
    o["contacts"] = LinksJson(card.contacts, true);
    json::array dm;
    for (const auto& l : card.contacts)
        if (l.link.decision_role == "decision_maker") dm.emplace_back(l.link.contact_id);
    o["decision_maker_ids"] = std::move(dm);
    o["owner_name"] = card.owner_name;
    return o;
}

json::object ContactCardJson(const ContactCard& card) {
    json::object o = ContactJson(card.contact);
    o["phones"] = PointList(card.points, "phone");
    o["emails"] = PointList(card.points, "email");
    o["companies"] = LinksJson(card.companies, false);
    o["owner_name"] = card.owner_name;
    return o;
}

json::object FieldJson(const CustomField& f) {
    json::array options;
    for (const auto& o : f.options)
        options.push_back(json::object{{"value", o.value}, {"label_ru", o.label_ru}, {"label_en", o.label_en}});
    return json::object{{"id", f.id},
                        {"entity", f.entity},
                        {"code", f.code},
                        {"label_ru", f.label_ru},
                        {"label_en", f.label_en},
                        {"kind", std::string(FieldKindName(f.kind))},
                        {"options", options},
                        {"required", f.required},
                        {"position", f.position},
                        {"archived_at", OrNull(f.archived_at)},
                        {"created_at", f.created_at},
                        {"updated_at", f.updated_at}};
}

json::object ViewJson(const store::SavedView& v) {
    return json::object{{"id", v.id},
                        {"entity", v.entity},
                        {"name", v.name},
                        {"shared", !v.user_id.has_value()},
                        {"user_id", OrNull(v.user_id)},
                        {"definition", ParseText(v.definition)},
                        {"created_at", v.created_at},
                        {"updated_at", v.updated_at}};
}

json::object Without(const json::object& o, std::initializer_list<std::string_view> names) {
    json::object out = o;
    for (auto n : names) out.erase(n);
    return out;
}

// "tags": array of 1..50-char strings, at most 30.
std::optional<std::vector<std::string>> ReadTags(const json::object& body, http::FieldReader& f) {
    auto it = body.find("tags");
    if (it == body.end()) return std::nullopt;
    if (!it->value().is_array()) {
        f.AddError("tags", "wrong_type", "array");
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& v : it->value().as_array()) {
        if (!v.is_string() || v.as_string().empty() || auth::CharLength(v.as_string()) > kMaxTagLength) {
            f.AddError("tags", "invalid");
            return std::nullopt;
        }
        std::string s(v.as_string());
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
    }
    if (out.size() > kMaxTags) f.AddError("tags", "too_many", std::to_string(kMaxTags));
    return out;
}

std::optional<std::map<std::string, CustomValue>> ReadCustom(const json::object& body, http::FieldReader& f) {
    auto it = body.find("custom");
    if (it == body.end()) return std::nullopt;
    if (!it->value().is_object()) {
        f.AddError("custom", "wrong_type", "object");
        return std::nullopt;
    }
    std::map<std::string, CustomValue> out;
    for (const auto& [k, v] : it->value().as_object()) {
        CustomValue c;
        using T = CustomValue::Type;
        if (v.is_null()) {
            c.type = T::kNull;
        } else if (v.is_string()) {
            c.type = T::kString;
            c.text = std::string(v.as_string());
        } else if (v.is_int64()) {
            c.type = T::kInteger;
            c.integer = v.as_int64();
        } else if (v.is_double()) {
            c.type = T::kDecimal;
            c.decimal = v.as_double();
        } else if (v.is_array()) {
            c.type = T::kStrings;
            for (const auto& x : v.as_array()) {
                if (!x.is_string()) {
                    c.type = T::kOther;
                    break;
                }
                c.strings.emplace_back(x.as_string());
            }
        } else {
            c.type = T::kOther;
        }
        out[std::string(k)] = std::move(c);
    }
    return out;
}

// "phones" / "emails": arrays of strings or of {value, label, primary}.
std::optional<std::vector<PointInput>> ReadPoints(const json::object& body, http::FieldReader& f) {
    std::optional<std::vector<PointInput>> out;
    for (const char* kind : {"phones", "emails"}) {
        auto it = body.find(kind);
        if (it == body.end()) continue;
        if (!out) out.emplace();
        if (!it->value().is_array()) {
            f.AddError(kind, "wrong_type", "array");
            continue;
        }
        int i = 0;
        for (const auto& v : it->value().as_array()) {
            const std::string at = std::string(kind) + "/" + std::to_string(i++);
            PointInput p;
            p.kind = std::string(kind) == "phones" ? "phone" : "email";
            if (v.is_string()) {
                p.raw = std::string(v.as_string());
            } else if (v.is_object()) {
                http::FieldReader pf(v.as_object());
                auto value = pf.String("value", {.required = true, .min_len = 1, .max_len = 200});
                auto label = pf.String("label", {.max_len = 20});
                auto primary = pf.Bool("is_primary", false);
                if (auto done = pf.Finish(); !done) {
                    for (const auto& e : done.error().fields) f.AddError(at + "/" + e.field, e.code, e.param);
                    continue;
                }
                p.raw = *value;
                p.label = label.value_or("");
                p.is_primary = primary.value_or(false);
            } else {
                f.AddError(at, "wrong_type", "string or object");
                continue;
            }
            out->push_back(std::move(p));
        }
    }
    return out;
}

// Fields read by hand (arrays and nested objects); FieldReader takes the rest and rejects unknown names.
json::object WithoutNested(const json::object& o) {
    return Without(o, {"tags", "custom", "phones", "emails", "bank_details"});
}

CompanyInput ReadCompany(const json::object& body, http::FieldReader& f, bool create) {
    CompanyInput in;
    auto text = [&](const char* name, std::size_t max) { return f.String(name, {.max_len = max}); };
    in.legal_form = f.Enum("legal_form", false, {"", "ooo", "ao", "pao", "ip", "gov", "other"});
    in.name = f.String("name", {.required = create, .min_len = 1, .max_len = kMaxNameLength});
    in.full_name = text("full_name", 500);
    in.set_inn = f.Has("inn");
    in.inn = text("inn", 20);
    in.set_kpp = f.Has("kpp");
    in.kpp = text("kpp", 20);
    in.set_ogrn = f.Has("ogrn");
    in.ogrn = text("ogrn", 20);
    in.legal_address = text("legal_address", 1000);
    in.actual_address = text("actual_address", 1000);
    in.financial_state = f.Enum("financial_state", false, {"", "stable", "growing", "declining", "troubled"});
    in.set_volume = f.Has("purchase_volume_minor");
    if (auto v = f.Int("purchase_volume_minor", false, 0, INT64_MAX)) in.purchase_volume_minor = *v;
    in.currency = text("currency", 3);
    in.payment_discipline = f.Enum("payment_discipline", false, {"", "good", "late", "bad"});
    in.preferences = text("preferences", kMaxTextLength);
    in.notes = text("notes", kMaxTextLength);
    in.website = text("website", 500);
    in.set_owner = f.Has("owner_user_id");
    if (auto o = f.Int("owner_user_id", false, 1, INT64_MAX)) in.owner_user_id = *o;
    in.tags = ReadTags(body, f);
    in.custom = ReadCustom(body, f);
    in.points = ReadPoints(body, f);
    if (auto it = body.find("bank_details"); it != body.end()) {
        if (!it->value().is_object()) {
            f.AddError("bank_details", "wrong_type", "object");
        } else {
            http::FieldReader bf(it->value().as_object());
            BankDetails b;
            b.bank_name = bf.String("bank_name", {.max_len = 300}).value_or("");
            b.bik = bf.String("bik", {.max_len = 20}).value_or("");
            b.account = bf.String("account", {.max_len = 30}).value_or("");
            b.corr_account = bf.String("corr_account", {.max_len = 30}).value_or("");
            if (auto done = bf.Finish(); !done) {
                for (const auto& e : done.error().fields) f.AddError("bank_details/" + e.field, e.code, e.param);
            } else {
                in.bank = b;
            }
        }
    }
    return in;
}

ContactInput ReadContact(const json::object& body, http::FieldReader& f) {
    ContactInput in;
    in.last_name = f.String("last_name", {.max_len = 100});
    in.first_name = f.String("first_name", {.max_len = 100});
    in.middle_name = f.String("middle_name", {.max_len = 100});
    in.preferences = f.String("preferences", {.max_len = kMaxTextLength});
    in.notes = f.String("notes", {.max_len = kMaxTextLength});
    in.set_birthday = f.Has("birthday");
    in.birthday = f.String("birthday", {.max_len = 10});
    in.set_owner = f.Has("owner_user_id");
    if (auto o = f.Int("owner_user_id", false, 1, INT64_MAX)) in.owner_user_id = *o;
    in.tags = ReadTags(body, f);
    in.custom = ReadCustom(body, f);
    in.points = ReadPoints(body, f);
    return in;
}

core::Error BadQuery(const std::string& name, const std::string& code = "invalid", const std::string& param = {}) {
    return core::Error{core::ErrorCode::kBadRequest, {}, {{name, code, param}}, 0};
}

std::optional<std::int64_t> ParseInt(const std::string& s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

core::Result<ListQuery> ReadListQuery(const Request& req, bool company) {
    ListQuery q;
    auto& f = q.filter;
    if (auto v = req.Query("limit")) {
        auto n = ParseInt(*v);
        if (!n || *n < 1 || *n > 200) return BadQuery("limit", "out_of_range", "1..200");
        f.limit = static_cast<int>(*n);
    }
    q.cursor = req.Query("cursor");
    if (auto v = req.Query("owner_user_id")) {
        auto n = ParseInt(*v);
        if (!n || *n < 1) return BadQuery("owner_user_id");
        f.owner_user_id = *n;
    }
    if (auto v = req.Query("tag"); v && !v->empty()) f.tag = *v;
    if (auto v = req.Query("q"); v && !v->empty()) {
        if (auth::CharLength(*v) > 200) return BadQuery("q", "too_long", "200");
        f.q = *v;
    }
    if (auto v = req.Query("payment_discipline")) {
        if (!company || (*v != "good" && *v != "late" && *v != "bad"))
            return BadQuery("payment_discipline", "not_one_of", "good, late, bad");
        f.payment_discipline = *v;
    }
    if (auto v = req.Query("has_phone")) {
        if (*v != "true" && *v != "false") return BadQuery("has_phone", "not_one_of", "true, false");
        f.has_phone = *v == "true";
    }
    if (auto v = req.Query("deleted")) {
        if (*v != "true" && *v != "false") return BadQuery("deleted", "not_one_of", "true, false");
        f.deleted = *v == "true";
    }
    for (const char* name : {"created_from", "created_to"}) {
        if (auto v = req.Query(name)) {
            auto n = ParseInt(*v);
            if (!n || *n < 0) return BadQuery(name);
            (std::string(name) == "created_from" ? f.created_from : f.created_to) = *n;
        }
    }
    if (auto v = req.Query("sort")) {
        static const std::vector<std::string> kSorts = {"id",         "-id",         "name",       "-name",
                                                        "updated_at", "-updated_at", "created_at", "-created_at"};
        if (std::find(kSorts.begin(), kSorts.end(), *v) == kSorts.end())
            return BadQuery("sort", "not_one_of",
                            "id, -id, name, -name, updated_at, -updated_at, created_at, -created_at");
        f.sort = *v;
    }
    // custom.<code>=<value>: equality on one custom field.
    for (const auto& [k, v] : req.query) {
        if (k.rfind("custom.", 0) != 0) continue;
        const std::string code = k.substr(7);
        if (!IsValidFieldCode(code)) return BadQuery(k);
        if (f.custom) return BadQuery(k, "too_many", "1");
        f.custom = std::make_pair(code, v);
    }
    return q;
}

template <class T, class F>
json::object PageJson(const Page<T>& page, F to_json) {
    json::array items;
    for (const auto& x : page.items) items.push_back(to_json(x));
    return json::object{{"items", std::move(items)},
                        {"next_cursor", page.next_cursor ? json::value(*page.next_cursor) : json::value(nullptr)}};
}

json::object TimelineJson(const ClientsService::TimelinePage& page) {
    json::array items;
    for (const auto& it : page.items) {
        json::value actor = nullptr;
        if (it.actor_user_id) actor = json::object{{"id", *it.actor_user_id}, {"name", it.actor_name}};
        items.push_back(
            json::object{{"id", it.source + "-" + std::to_string(it.id)},
                         {"at", it.at},
                         {"kind", it.kind},
                         {"source", it.source},
                         {"channel", it.channel},
                         {"subject_type", it.subject_type},
                         {"subject_id", it.subject_id},
                         {"actor", actor},
                         {"actor_name", it.actor_user_id ? json::value(it.actor_name) : json::value(nullptr)},
                         {"summary", it.summary},
                         {"payload", it.payload}});
    }
    return json::object{{"items", std::move(items)},
                        {"next_cursor", page.next_cursor ? json::value(*page.next_cursor) : json::value(nullptr)}};
}

std::optional<std::vector<FieldOption>> ReadOptions(const json::object& body, http::FieldReader& f) {
    auto it = body.find("options");
    if (it == body.end()) return std::nullopt;
    if (!it->value().is_array()) {
        f.AddError("options", "wrong_type", "array");
        return std::nullopt;
    }
    std::vector<FieldOption> out;
    int i = 0;
    for (const auto& v : it->value().as_array()) {
        const std::string at = "options/" + std::to_string(i++);
        if (!v.is_object()) {
            f.AddError(at, "wrong_type", "object");
            continue;
        }
        http::FieldReader of(v.as_object());
        FieldOption o;
        o.value = of.String("value", {.required = true, .min_len = 1, .max_len = 100}).value_or("");
        o.label_ru = of.String("label_ru", {.required = true, .min_len = 1, .max_len = 200}).value_or("");
        o.label_en = of.String("label_en", {.required = true, .min_len = 1, .max_len = 200}).value_or("");
        if (auto done = of.Finish(); !done) {
            for (const auto& e : done.error().fields) f.AddError(at + "/" + e.field, e.code, e.param);
            continue;
        }
        out.push_back(std::move(o));
    }
    return out;
}

FieldInput ReadField(const json::object& body, http::FieldReader& f, bool create) {
    FieldInput in;
    if (create) {
        in.entity = f.Enum("entity", true, {"company", "contact", "lead"});
        in.code = f.String("code", {.required = true, .min_len = 1, .max_len = 50});
        in.kind = f.Enum("kind", true, {"text", "number", "money", "date", "choice", "multi_choice"});
    }
    in.label_ru = f.String("label_ru", {.required = create, .min_len = 1, .max_len = 200});
    in.label_en = f.String("label_en", {.required = create, .min_len = 1, .max_len = 200});
    in.required = f.Bool("required", false);
    if (auto p = f.Int("position", false, 0, 10000)) in.position = static_cast<int>(*p);
    if (!create) in.archived = f.Bool("archived", false);
    in.options = ReadOptions(body, f);
    return in;
}

Response Fail(const Request& req, const core::Error& e) {
    return http::Problem(req, e);
}

}  // namespace

void ClientsService::Register(http::Router& router) {
    // --- companies
    router.Get("/api/v1/companies", Access::kUser, [this](Request& req) {
        auto q = ReadListQuery(req, true);
        if (!q) return Fail(req, q.error());
        auto page = ListCompanies(req.actor, *q);
        if (!page) return Fail(req, page.error());
        return http::Json(PageJson(*page, CompanyJson));
    });
    router.Post("/api/v1/companies", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        json::object rest = WithoutNested(*body);
        http::FieldReader f(rest);
        CompanyInput in = ReadCompany(*body, f, true);
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        auto card = CreateCompany(req.actor, in);
        if (!card) return Fail(req, card.error());
        return http::Json(201, CompanyCardJson(*card));
    });
    router.Get("/api/v1/companies/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto card = GetCompany(req.actor, *id);
        if (!card) return Fail(req, card.error());
        return http::Json(CompanyCardJson(*card));
    });
    router.Patch("/api/v1/companies/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        json::object rest = WithoutNested(*body);
        http::FieldReader f(rest);
        CompanyInput in = ReadCompany(*body, f, false);
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        auto card = UpdateCompany(req.actor, *id, in);
        if (!card) return Fail(req, card.error());
        return http::Json(CompanyCardJson(*card));
    });
    router.Delete("/api/v1/companies/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto card = DeleteCompany(req.actor, *id);
        if (!card) return Fail(req, card.error());
        return http::Json(CompanyCardJson(*card));
    });
    router.Post("/api/v1/companies/{id}/restore", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto card = RestoreCompany(req.actor, *id);
        if (!card) return Fail(req, card.error());
        return http::Json(CompanyCardJson(*card));
    });
    router.Put("/api/v1/companies/{id}/contacts/{contact_id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto contact_id = http::PathId(req, "contact_id");
        if (!contact_id) return Fail(req, contact_id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        http::FieldReader f(*body);
        Link l;
        l.company_id = *id;
        l.contact_id = *contact_id;
        l.position = f.String("position", {.max_len = 200}).value_or("");
        l.decision_role =
            f.Enum("decision_role", false, {"", "decision_maker", "influencer", "user", "gatekeeper"}).value_or("");
        l.is_primary = f.Bool("is_primary", false).value_or(false);
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        auto card = PutLink(req.actor, l);
        if (!card) return Fail(req, card.error());
        return http::Json(CompanyCardJson(*card));
    });
    router.Delete("/api/v1/companies/{id}/contacts/{contact_id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto contact_id = http::PathId(req, "contact_id");
        if (!contact_id) return Fail(req, contact_id.error());
        auto card = RemoveLink(req.actor, *id, *contact_id);
        if (!card) return Fail(req, card.error());
        return http::Json(CompanyCardJson(*card));
    });

    // --- contacts
    router.Get("/api/v1/contacts", Access::kUser, [this](Request& req) {
        auto q = ReadListQuery(req, false);
        if (!q) return Fail(req, q.error());
        auto page = ListContacts(req.actor, *q);
        if (!page) return Fail(req, page.error());
        return http::Json(PageJson(*page, ContactJson));
    });
    router.Post("/api/v1/contacts", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        json::object rest = WithoutNested(*body);
        http::FieldReader f(rest);
        ContactInput in = ReadContact(*body, f);
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        auto card = CreateContact(req.actor, in);
        if (!card) return Fail(req, card.error());
        return http::Json(201, ContactCardJson(*card));
    });
    router.Get("/api/v1/contacts/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto card = GetContact(req.actor, *id);
        if (!card) return Fail(req, card.error());
        return http::Json(ContactCardJson(*card));
    });
    router.Patch("/api/v1/contacts/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        json::object rest = WithoutNested(*body);
        http::FieldReader f(rest);
        ContactInput in = ReadContact(*body, f);
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        auto card = UpdateContact(req.actor, *id, in);
        if (!card) return Fail(req, card.error());
        return http::Json(ContactCardJson(*card));
    });
    router.Delete("/api/v1/contacts/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto card = DeleteContact(req.actor, *id);
        if (!card) return Fail(req, card.error());
        return http::Json(ContactCardJson(*card));
    });
    router.Post("/api/v1/contacts/{id}/restore", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto card = RestoreContact(req.actor, *id);
        if (!card) return Fail(req, card.error());
        return http::Json(ContactCardJson(*card));
    });

    // --- timelines
    for (const char* type : {"company", "contact"}) {
        const std::string path =
            std::string("/api/v1/") + (std::string(type) == "company" ? "companies" : "contacts") + "/{id}/timeline";
        router.Get(path, Access::kUser, [this, type](Request& req) {
            auto id = http::PathId(req);
            if (!id) return Fail(req, id.error());
            int limit = 50;
            if (auto v = req.Query("limit")) {
                auto n = ParseInt(*v);
                if (!n || *n < 1 || *n > 200) return Fail(req, BadQuery("limit", "out_of_range", "1..200"));
                limit = static_cast<int>(*n);
            }
            auto page = Timeline(req.actor, type, *id, req.Query("cursor"), limit);
            if (!page) return Fail(req, page.error());
            return http::Json(TimelineJson(*page));
        });
    }

    // --- merge
    router.Post("/api/v1/companies/{id}/merge", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        http::FieldReader f(*body);
        auto merged = f.Int("merged_id", true, 1, INT64_MAX);
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        auto card = MergeCompanies(req.actor, *id, *merged);
        if (!card) return Fail(req, card.error());
        return http::Json(CompanyCardJson(*card));
    });
    router.Post("/api/v1/contacts/{id}/merge", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        http::FieldReader f(*body);
        auto merged = f.Int("merged_id", true, 1, INT64_MAX);
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        auto card = MergeContacts(req.actor, *id, *merged);
        if (!card) return Fail(req, card.error());
        return http::Json(ContactCardJson(*card));
    });

    // --- duplicates
    router.Post("/api/v1/duplicates/check", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        json::object rest = Without(*body, {"phones", "emails"});
        http::FieldReader f(rest);
        DuplicateCheck in;
        in.inn = f.String("inn", {.max_len = 20});
        in.name = f.String("name", {.max_len = kMaxNameLength});
        for (const char* kind : {"phones", "emails"}) {
            auto it = body->find(kind);
            if (it == body->end()) continue;
            if (!it->value().is_array() || it->value().as_array().size() > 20) {
                f.AddError(kind, "wrong_type", "array of at most 20 strings");
                continue;
            }
            for (const auto& v : it->value().as_array()) {
                if (!v.is_string()) {
                    f.AddError(kind, "wrong_type", "array of strings");
                    break;
                }
                (std::string(kind) == "phones" ? in.phones : in.emails).emplace_back(v.as_string());
            }
        }
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        auto hits = CheckDuplicates(req.actor, in);
        if (!hits) return Fail(req, hits.error());
        json::array items;
        for (const auto& h : *hits) {
            json::object o{{"type", h.match.type},
                           {"match", h.match.match},
                           {"value", h.match.value},
                           {"visible", h.visible},
                           {"owner_name", h.owner_name}};
            if (h.visible) {
                o["id"] = h.match.id;
                o["title"] = h.match.title;
                o["owner_user_id"] = OrNull(h.match.owner_user_id);
            }
            items.push_back(std::move(o));
        }
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Get("/api/v1/duplicates", Access::kUser, [this](Request& req) {
        auto entity = req.Query("entity").value_or("company");
        if (entity != "company" && entity != "contact")
            return Fail(req, BadQuery("entity", "not_one_of", "company, contact"));
        auto groups = DuplicateGroups(req.actor, entity);
        if (!groups) return Fail(req, groups.error());
        json::array items;
        for (const auto& g : *groups) {
            json::array ids;
            for (core::Id id : g.ids) ids.emplace_back(id);
            items.push_back(json::object{{"match", g.match}, {"value", g.value}, {"ids", std::move(ids)}});
        }
        return http::Json(json::object{{"entity", entity}, {"groups", std::move(items)}});
    });

    // --- search
    router.Get("/api/v1/search", Access::kUser, [this](Request& req) {
        auto q = req.Query("q").value_or("");
        if (q.empty()) return Fail(req, BadQuery("q", "required"));
        if (auth::CharLength(q) > 200) return Fail(req, BadQuery("q", "too_long", "200"));
        bool companies = true, contacts = true, leads = true;
        if (auto t = req.Query("types")) {
            companies = contacts = leads = false;
            std::string s = *t;
            std::size_t start = 0;
            while (start <= s.size()) {
                auto end = s.find(',', start);
                const std::string one = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
                if (one == "company") {
                    companies = true;
                } else if (one == "contact") {
                    contacts = true;
                } else if (one == "lead") {
                    leads = true;
                } else {
                    return Fail(req, BadQuery("types", "not_one_of", "company, contact, lead"));
                }
                if (end == std::string::npos) break;
                start = end + 1;
            }
        }
        int limit = 20;
        if (auto v = req.Query("limit")) {
            auto n = ParseInt(*v);
            if (!n || *n < 1 || *n > 50) return Fail(req, BadQuery("limit", "out_of_range", "1..50"));
            limit = static_cast<int>(*n);
        }
        auto results = Search(req.actor, q, companies, contacts, leads, limit);
        if (!results) return Fail(req, results.error());
        json::array items;
        for (const auto& r : *results) {
            items.push_back(json::object{
                {"type", r.type},
                {"id", r.id},
                {"title", r.title},
                {"snippet", r.snippet},
                {"owner", r.owner_user_id ? json::value(json::object{{"id", *r.owner_user_id}, {"name", r.owner_name}})
                                          : json::value(nullptr)}});
        }
        return http::Json(json::object{{"items", std::move(items)}});
    });

    // --- custom fields
    router.Get("/api/v1/custom-fields", Access::kUser, [this](Request& req) {
        auto entity = req.Query("entity").value_or("");
        if (!entity.empty() && entity != "company" && entity != "contact" && entity != "lead")
            return Fail(req, BadQuery("entity", "not_one_of", "company, contact, lead"));
        auto inc = req.Query("include_archived").value_or("false");
        if (inc != "true" && inc != "false")
            return Fail(req, BadQuery("include_archived", "not_one_of", "true, false"));
        auto fields = ListFields(req.actor, entity, inc == "true");
        if (!fields) return Fail(req, fields.error());
        json::array items;
        for (const auto& f : *fields) items.push_back(FieldJson(f));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Post("/api/v1/custom-fields", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        json::object rest = Without(*body, {"options"});
        http::FieldReader f(rest);
        FieldInput in = ReadField(*body, f, true);
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        auto field = CreateField(req.actor, in);
        if (!field) return Fail(req, field.error());
        return http::Json(201, FieldJson(*field));
    });
    router.Patch("/api/v1/custom-fields/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        json::object rest = Without(*body, {"options"});
        http::FieldReader f(rest);
        FieldInput in = ReadField(*body, f, false);
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        auto field = UpdateField(req.actor, *id, in);
        if (!field) return Fail(req, field.error());
        return http::Json(FieldJson(*field));
    });
    router.Delete("/api/v1/custom-fields/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto field = ArchiveField(req.actor, *id);
        if (!field) return Fail(req, field.error());
        return http::Json(FieldJson(*field));
    });

    // --- saved views
    router.Get("/api/v1/saved-views", Access::kUser, [this](Request& req) {
        auto entity = req.Query("entity").value_or("company");
        if (entity != "company" && entity != "contact" && entity != "lead")
            return Fail(req, BadQuery("entity", "not_one_of", "company, contact, lead"));
        auto views = ListViews(req.actor, entity);
        if (!views) return Fail(req, views.error());
        json::array items;
        for (const auto& v : *views) items.push_back(ViewJson(v));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    auto read_view = [](const json::object& body, http::FieldReader& f, bool create) {
        ViewInput in;
        if (create) in.entity = f.Enum("entity", true, {"company", "contact", "lead"});
        in.name = f.String("name", {.required = create, .min_len = 1, .max_len = 100});
        in.shared = f.Bool("shared", false);
        if (auto it = body.find("definition"); it != body.end()) {
            if (!it->value().is_object()) {
                f.AddError("definition", "wrong_type", "object");
            } else {
                in.definition = json::serialize(it->value());
                if (in.definition->size() > 20000) f.AddError("definition", "too_long", "20000");
            }
        }
        return in;
    };
    router.Post("/api/v1/saved-views", Access::kUser, [this, read_view](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        json::object rest = Without(*body, {"definition"});
        http::FieldReader f(rest);
        ViewInput in = read_view(*body, f, true);
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        auto v = CreateView(req.actor, in);
        if (!v) return Fail(req, v.error());
        return http::Json(201, ViewJson(*v));
    });
    router.Patch("/api/v1/saved-views/{id}", Access::kUser, [this, read_view](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        json::object rest = Without(*body, {"definition"});
        http::FieldReader f(rest);
        ViewInput in = read_view(*body, f, false);
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        auto v = UpdateView(req.actor, *id, in);
        if (!v) return Fail(req, v.error());
        return http::Json(ViewJson(*v));
    });
    router.Delete("/api/v1/saved-views/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        auto r = DeleteView(req.actor, *id);
        if (!r) return Fail(req, r.error());
        return Response::NoContent();
    });
}

}  // namespace otdel::clients
