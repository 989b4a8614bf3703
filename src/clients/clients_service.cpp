#include "clients/clients_service.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_set>

#include "clients/clients_write.hpp"
#include "clients/normalize.hpp"
#include "events/audit.hpp"
#include "http/json.hpp"
#include "org/work_calendar.hpp"

namespace otdel::clients {
namespace json = boost::json;
using auth::Action;
using core::Error;
using core::ErrorCode;

namespace {

constexpr int kMaxTimelineSubjects = 500;

Error Validation(std::vector<core::FieldError> fields) {
    return Error{ErrorCode::kValidation, {}, std::move(fields), 0};
}
Error NotFound() {
    return Error::Of(ErrorCode::kNotFound);
}

using http::OrNull;

json::value Parse(const std::string& s) {
    boost::system::error_code ec;
    auto v = json::parse(s, ec);
    return ec ? json::value(nullptr) : v;
}

json::object ParseObject(const std::string& s) {
    json::value v = Parse(s);
    return v.is_object() ? v.as_object() : json::object{};
}

CustomValue ToCustomValue(const json::value& v) {
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
    } else if (v.is_uint64()) {
        c.type = v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX) ? T::kInteger : T::kDecimal;
        c.integer = static_cast<std::int64_t>(v.as_uint64());
        c.decimal = static_cast<double>(v.as_uint64());
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
    return c;
}

json::value FromCustomValue(const CustomValue& c) {
    using T = CustomValue::Type;
    switch (c.type) {
        case T::kString: return json::value(c.text);
        case T::kInteger: return json::value(c.integer);
        case T::kDecimal: return json::value(c.decimal);
        case T::kStrings: return json::value(http::StringArray(c.strings));
        default: return json::value(nullptr);
    }
}

std::map<std::string, CustomValue> CustomMap(const std::string& custom_json) {
    std::map<std::string, CustomValue> out;
    for (const auto& [k, v] : ParseObject(custom_json)) out[std::string(k)] = ToCustomValue(v);
    return out;
}

// Applies `changes` to the stored custom values and validates the result against the active fields. Values of
// archived fields stay as they are (ignored, not validated); a null clears a code.
// `known`: the entity's fields (archived included) when the caller read them already (imports, once per batch).
core::Result<std::string> ApplyCustom(soci::session& sql, core::Id ws, const std::string& entity,
                                      const std::string& stored, const std::map<std::string, CustomValue>* changes,
                                      const std::vector<CustomField>* known = nullptr) {
    std::vector<CustomField> read;
    if (!known) read = store::ListFields(sql, ws, entity, true);
    const std::vector<CustomField>& fields = known ? *known : read;
    std::set<std::string> archived;
    for (const auto& f : fields)
        if (f.archived_at) archived.insert(f.code);
    json::object obj = ParseObject(stored);
    if (changes) {
        for (const auto& [k, v] : *changes) {
            if (v.type == CustomValue::Type::kNull) {
                obj.erase(k);
            } else {
                obj[k] = FromCustomValue(v);
            }
        }
    }
    std::map<std::string, CustomValue> check;
    for (const auto& [k, v] : obj)
        if (!archived.count(std::string(k))) check[std::string(k)] = ToCustomValue(v);
    // Values of the change that were null must still be known codes.
    if (changes)
        for (const auto& [k, v] : *changes)
            if (v.type == CustomValue::Type::kNull && !check.count(k) && !archived.count(k)) check[k] = v;
    auto errs = CheckCustomValues(fields, check, true);
    if (!errs.empty()) return Validation(std::move(errs));
    return json::serialize(obj);
}

// Normalises phones and e-mails; errors name "phones/<i>" and "emails/<i>". Duplicates (same value) are merged.
core::Result<std::vector<ContactPoint>> NormalizePoints(const std::vector<PointInput>& in) {
    std::vector<ContactPoint> out;
    std::vector<core::FieldError> errs;
    std::set<std::pair<std::string, std::string>> seen;
    int phone_i = 0, email_i = 0;
    bool primary_phone = false, primary_email = false;
    for (const auto& p : in) {
        ContactPoint cp;
        cp.kind = p.kind;
        cp.raw = p.raw;
        cp.is_primary = p.is_primary;
        if (p.kind == "phone") {
            const std::string at = "phones/" + std::to_string(phone_i++);
            if (!p.value.empty()) {
                cp.value = p.value;
            } else if (auto n = NormalizePhone(p.raw)) {
                cp.value = n->e164;
            } else {
                errs.push_back({at, "invalid_phone", ""});
                continue;
            }
            cp.label = p.label.empty() ? "mobile" : p.label;
            if (cp.label != "mobile" && cp.label != "work" && cp.label != "home" && cp.label != "fax" &&
                cp.label != "other")
                errs.push_back({at + "/label", "not_one_of", "mobile, work, home, fax, other"});
        } else {
            const std::string at = "emails/" + std::to_string(email_i++);
            if (!p.value.empty()) {
                cp.value = p.value;
            } else if (auto n = NormalizeEmail(p.raw)) {
                cp.value = *n;
            } else {
                errs.push_back({at, "invalid_email", ""});
                continue;
            }
            cp.label = p.label.empty() ? "work" : p.label;
            if (cp.label != "work" && cp.label != "personal" && cp.label != "other")
                errs.push_back({at + "/label", "not_one_of", "work, personal, other"});
        }
        if (!seen.insert({cp.kind, cp.value}).second) continue;
        out.push_back(std::move(cp));
    }
    if (phone_i + email_i > static_cast<int>(kMaxPoints)) errs.push_back({"phones", "too_many", "20"});
    if (!errs.empty()) return Validation(std::move(errs));
    // Exactly one primary per kind when there are any: the first one unless the caller chose.
    for (auto& p : out) {
        bool& flag = p.kind == "phone" ? primary_phone : primary_email;
        if (p.is_primary && !flag) {
            flag = true;
        } else {
            p.is_primary = false;
        }
    }
    for (auto& p : out) {
        bool& flag = p.kind == "phone" ? primary_phone : primary_email;
        if (!flag) {
            p.is_primary = true;
            flag = true;
        }
    }
    return out;
}

std::string CleanDigits(const std::string& raw) {
    // INN/KPP/OGRN may be typed with spaces or dashes; anything else stays so validation reports it.
    if (std::all_of(raw.begin(), raw.end(), [](char c) { return (c >= '0' && c <= '9') || c == ' ' || c == '-'; }))
        return DigitsOnly(raw);
    return raw;
}

bool OneOf(const std::string& v, std::initializer_list<const char*> allowed) {
    for (const char* a : allowed)
        if (v == a) return true;
    return false;
}

void CheckEnums(const Company& c, std::vector<core::FieldError>& errs) {
    if (!OneOf(c.legal_form, {"", "ooo", "ao", "pao", "ip", "gov", "other"}))
        errs.push_back({"legal_form", "not_one_of", "ooo, ao, pao, ip, gov, other"});
    if (!OneOf(c.financial_state, {"", "stable", "growing", "declining", "troubled"}))
        errs.push_back({"financial_state", "not_one_of", "stable, growing, declining, troubled"});
    if (!OneOf(c.payment_discipline, {"", "good", "late", "bad"}))
        errs.push_back({"payment_discipline", "not_one_of", "good, late, bad"});
    if (c.currency.size() != 3 ||
        !std::all_of(c.currency.begin(), c.currency.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
        errs.push_back({"currency", "invalid", ""});
    if (c.purchase_volume_minor && *c.purchase_volume_minor < 0)
        errs.push_back({"purchase_volume_minor", "out_of_range", ">= 0"});
    if (c.name.empty()) errs.push_back({"name", "required", ""});
}

json::array PointsAudit(const std::vector<ContactPoint>& points) {
    json::array a;
    for (const auto& p : points) a.push_back(json::object{{"kind", p.kind}, {"label", p.label}, {"value", p.value}});
    return a;
}

json::object CompanyAudit(const Company& c, const std::vector<ContactPoint>& points) {
    json::object bank{{"bank_name", c.bank.bank_name},
                      {"bik", c.bank.bik},
                      {"account", c.bank.account},
                      {"corr_account", c.bank.corr_account}};
    return json::object{{"legal_form", c.legal_form},
                        {"name", c.name},
                        {"full_name", c.full_name},
                        {"inn", OrNull(c.inn)},
                        {"kpp", OrNull(c.kpp)},
                        {"ogrn", OrNull(c.ogrn)},
                        {"legal_address", c.legal_address},
                        {"actual_address", c.actual_address},
                        {"bank_details", bank},
                        {"financial_state", c.financial_state},
                        {"purchase_volume_minor",
                         c.purchase_volume_minor ? json::value(*c.purchase_volume_minor) : json::value(nullptr)},
                        {"currency", c.currency},
                        {"payment_discipline", c.payment_discipline},
                        {"preferences", c.preferences},
                        {"notes", c.notes},
                        {"website", c.website},
                        {"tags", http::StringArray(c.tags)},
                        {"custom", Parse(c.custom_json)},
                        {"owner_user_id", OrNull(c.owner_user_id)},
                        {"points", PointsAudit(points)}};
}

json::object ContactAudit(const Contact& c, const std::vector<ContactPoint>& points) {
    return json::object{{"last_name", c.last_name},
                        {"first_name", c.first_name},
                        {"middle_name", c.middle_name},
                        {"birthday", OrNull(c.birthday)},
                        {"preferences", c.preferences},
                        {"notes", c.notes},
                        {"tags", http::StringArray(c.tags)},
                        {"custom", Parse(c.custom_json)},
                        {"owner_user_id", OrNull(c.owner_user_id)},
                        {"points", PointsAudit(points)}};
}

std::string Join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty()) out += ' ';
        out += s;
    }
    return out;
}

std::vector<std::string> PointValues(const std::vector<ContactPoint>& points, const std::string& kind) {
    std::vector<std::string> out;
    for (const auto& p : points)
        if (p.kind == kind) out.push_back(kind == "phone" ? p.raw : p.value);
    return out;
}

// The tokens space separated, each once, in the order of their first occurrence.
std::string JoinDistinct(const std::vector<std::string>& tokens) {
    std::string text;
    std::unordered_set<std::string_view> seen;
    seen.reserve(tokens.size());
    for (const auto& t : tokens) {
        if (!seen.insert(t).second) continue;
        if (!text.empty()) text += ' ';
        text += t;
    }
    return text;
}

// The body both engines index: case-folded letter/digit tokens, phones in every spelling (no '+').
std::string DocText(const std::string& title, const std::string& body, const std::vector<std::string>& phones) {
    std::vector<std::string> tokens = SearchTokens(title + " " + body);
    for (const auto& raw : phones) {
        if (auto p = NormalizePhone(raw)) {
            for (auto& t : SearchTokens(PhoneSearchTerms(*p))) tokens.push_back(std::move(t));
        } else {
            for (auto& t : SearchTokens(raw)) tokens.push_back(std::move(t));
        }
    }
    return JoinDistinct(tokens);
}

// DocText for a record's points as just normalised (the import's buffered records): the same text, without reading
// the phones again. A point not stored yet (id 0) holds the E.164 form NormalizePhone gave for its raw text, and
// "+7" + 10 digits is country code 7 and that national number by the definition of E.164, so its search terms follow
// from the value alone; their tokens are the digit runs SearchTokens would cut (the terms are '+', digits and
// spaces). Stored points and other country codes (whose code length the text does not show) are read from the raw
// text as DocText reads them.
std::string DocTextOfPoints(const std::string& title, const std::string& body,
                            const std::vector<ContactPoint>& points) {
    std::vector<std::string> terms;
    for (const auto& p : points) {
        if (p.kind != "phone") continue;
        const bool russian =
            p.id == 0 && p.value.size() == 12 && p.value.compare(0, 2, "+7") == 0 &&
            std::all_of(p.value.begin() + 2, p.value.end(), [](char d) { return d >= '0' && d <= '9'; });
        if (!russian) return DocText(title, body, PointValues(points, "phone"));  // read as DocText reads them
        const std::string national = p.value.substr(2);
        terms.push_back(p.value.substr(1));  // "+7…" and "7…" both tokenise to the digits
        terms.push_back(p.value.substr(1));
        terms.push_back("8" + national);
        terms.push_back(national);
    }
    // DocText's text: the title's and body's tokens, then the phones' terms, each token once, in that order.
    std::vector<std::string> tokens = SearchTokens(title + " " + body);
    for (auto& t : terms) tokens.push_back(std::move(t));
    return JoinDistinct(tokens);
}

std::string CompanyBody(const Company& c, const std::vector<ContactPoint>& points) {
    return c.full_name + " " + c.inn.value_or("") + " " + c.ogrn.value_or("") + " " +
           Join(PointValues(points, "email")) + " " + c.notes + " " + Join(c.tags) + " " + c.website;
}

std::string ContactBody(const Contact& c, const std::vector<ContactPoint>& points) {
    return Join(PointValues(points, "email")) + " " + c.notes + " " + Join(c.tags);
}

void IndexCompany(soci::session& sql, const Company& c, const std::vector<ContactPoint>& points, core::Millis now) {
    ClientsService::UpsertSearchDoc(sql, c.workspace_id, "company", c.id, c.owner_user_id, c.name,
                                    CompanyBody(c, points), PointValues(points, "phone"), now);
}

void IndexContact(soci::session& sql, const Contact& c, const std::vector<ContactPoint>& points, core::Millis now) {
    ClientsService::UpsertSearchDoc(sql, c.workspace_id, "contact", c.id, c.owner_user_id, c.full_name,
                                    ContactBody(c, points), PointValues(points, "phone"), now);
}

std::string Hex(const std::string& s) {
    static const char* kDigits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
        out += kDigits[c >> 4];
        out += kDigits[c & 15];
    }
    return out;
}

std::optional<std::string> Unhex(const std::string& s) {
    if (s.size() % 2 || s.size() > 2000) return std::nullopt;
    std::string out;
    auto val = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < s.size(); i += 2) {
        int a = val(s[i]), b = val(s[i + 1]);
        if (a < 0 || b < 0) return std::nullopt;
        out += static_cast<char>(a * 16 + b);
    }
    return out;
}

Error BadCursor() {
    return Error{ErrorCode::kBadRequest, {}, {{"cursor", "invalid", ""}}, 0};
}

// Sort key of a row as the cursor keeps it.
template <class T>
std::string SortKey(const T& row, const std::string& sort, const std::string& name) {
    const std::string key = sort.rfind('-', 0) == 0 ? sort.substr(1) : sort;
    if (key == "name") return name;
    if (key == "updated_at") return std::to_string(row.updated_at);
    if (key == "created_at") return std::to_string(row.created_at);
    return std::to_string(row.id);
}

core::Result<void> DecodeListCursor(const std::optional<std::string>& cursor, store::ListFilter& f) {
    if (!cursor) return core::Ok();
    auto raw = Unhex(*cursor);
    if (!raw) return BadCursor();
    auto sep = raw->rfind('\x1f');
    if (sep == std::string::npos) return BadCursor();
    try {
        f.after_id = std::stoll(raw->substr(sep + 1));
    } catch (...) {
        return BadCursor();
    }
    f.after_key = raw->substr(0, sep);
    return core::Ok();
}

bool Exists(soci::session& sql, const std::string& type, core::Id id, const auth::Predicate& visible) {
    const char* table = type == "company" ? "companies" : type == "contact" ? "contacts" : "leads";
    long long k = id, n = 0;
    const std::string text =
        visible.Expand(std::string("SELECT COUNT(*) FROM ") + table + " c WHERE c.id = :id AND {visible}");
    sql << text, soci::use(k, "id"), visible, soci::into(n);
    return n > 0;
}

const std::map<std::string, std::pair<const char*, const char*>>& AuditSummaries() {
    static const std::map<std::string, std::pair<const char*, const char*>> k = {
        {"company.create", {"Карточка компании создана", "Company card created"}},
        {"company.update", {"Карточка компании изменена", "Company card changed"}},
        {"company.delete", {"Компания удалена в корзину", "Company moved to the bin"}},
        {"company.restore", {"Компания восстановлена", "Company restored"}},
        {"company.merge", {"Присоединена карточка-дубль", "A duplicate card was merged in"}},
        {"company.merged_into", {"Карточка объединена с другой", "Card merged into another"}},
        {"company.link_contact", {"Контакт привязан к компании", "Contact linked to the company"}},
        {"company.unlink_contact", {"Контакт отвязан от компании", "Contact unlinked from the company"}},
        {"company.handover", {"Компания передана другому ответственному", "Company handed over to a new owner"}},
        {"contact.create", {"Карточка контакта создана", "Contact card created"}},
        {"contact.update", {"Карточка контакта изменена", "Contact card changed"}},
        {"contact.delete", {"Контакт удалён в корзину", "Contact moved to the bin"}},
        {"contact.restore", {"Контакт восстановлен", "Contact restored"}},
        {"contact.merge", {"Присоединена карточка-дубль", "A duplicate card was merged in"}},
        {"contact.merged_into", {"Карточка объединена с другой", "Card merged into another"}},
        {"contact.handover", {"Контакт передан другому ответственному", "Contact handed over to a new owner"}},
    };
    return k;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------

ClientsService::ClientsService(db::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

std::string ClientsService::TodayIn(soci::session& sql, core::Id ws) const {
    return org::LocalDateText(store::WorkspaceTimeZone(sql, ws), clock_.NowMs());
}

auth::Visibility ClientsService::Vis(soci::session& sql, const core::Actor& a) const {
    return auth::BuildVisibility(sql, a, TodayIn(sql, a.workspace_id));
}

bool ClientsService::CanManageSettings(soci::session&, const core::Actor& a, const auth::Visibility& vis) const {
    if (a.kind == core::ActorKind::kSystem || a.is_admin) return true;
    return vis.Can(Action::kUpdate, "org");
}

CompanyCard CompanyCardOf(soci::session& sql, const Company& c) {
    CompanyCard card;
    card.company = c;
    card.points = store::ListPoints(sql, c.workspace_id, "company", c.id);
    card.contacts = store::LinksOfCompany(sql, c.workspace_id, c.id);
    if (c.owner_user_id) card.owner_name = store::UserName(sql, c.workspace_id, *c.owner_user_id).value_or("");
    return card;
}

ContactCard ContactCardOf(soci::session& sql, const Contact& c) {
    ContactCard card;
    card.contact = c;
    card.points = store::ListPoints(sql, c.workspace_id, "contact", c.id);
    card.companies = store::LinksOfContact(sql, c.workspace_id, c.id);
    if (c.owner_user_id) card.owner_name = store::UserName(sql, c.workspace_id, *c.owner_user_id).value_or("");
    return card;
}

core::Result<CompanyCard> ClientsService::LoadCompanyCard(soci::session& sql, const core::Actor& a, core::Id id,
                                                          bool for_write) {
    const auth::Visibility vis = Vis(sql, a);
    if (!vis.Can(Action::kRead, "client")) return NotFound();
    const auth::Predicate read = vis.Read("c");
    auto c = store::SelectCompany(sql, a.workspace_id, id, &read);
    if (!c) return NotFound();
    if (for_write) {
        const auth::Predicate write = vis.Write("c");
        if (!vis.Can(Action::kUpdate, "client") || !store::SelectCompany(sql, a.workspace_id, id, &write))
            return Error::Of(ErrorCode::kForbidden, "clients.write_forbidden");
    }
    return CompanyCardOf(sql, *c);
}

core::Result<ContactCard> ClientsService::LoadContactCard(soci::session& sql, const core::Actor& a, core::Id id,
                                                          bool for_write) {
    const auth::Visibility vis = Vis(sql, a);
    if (!vis.Can(Action::kRead, "client")) return NotFound();
    const auth::Predicate read = vis.Read("c");
    auto c = store::SelectContact(sql, a.workspace_id, id, &read);
    if (!c) return NotFound();
    if (for_write) {
        const auth::Predicate write = vis.Write("c");
        if (!vis.Can(Action::kUpdate, "client") || !store::SelectContact(sql, a.workspace_id, id, &write))
            return Error::Of(ErrorCode::kForbidden, "clients.write_forbidden");
    }
    return ContactCardOf(sql, *c);
}

// --- tx-level contract ------------------------------------------------------------------------------------------

std::vector<store::Match> ClientsService::FindByContactPoints(soci::session& sql, core::Id ws,
                                                              const std::vector<std::string>& phones,
                                                              const std::vector<std::string>& emails) {
    std::vector<store::Match> out;
    std::set<std::pair<std::string, core::Id>> seen;
    auto add = [&](std::vector<store::Match> found) {
        for (auto& m : found)
            if (seen.insert({m.type, m.id}).second) out.push_back(std::move(m));
    };
    for (const auto& raw : phones)
        if (auto p = NormalizePhone(raw)) add(store::FindByPoint(sql, ws, "phone", p->e164));
    for (const auto& raw : emails)
        if (auto e = NormalizeEmail(raw)) add(store::FindByPoint(sql, ws, "email", *e));
    return out;
}

std::vector<store::Match> ClientsService::FindCompanyByInn(soci::session& sql, core::Id ws, const std::string& inn) {
    const std::string digits = DigitsOnly(inn);
    if (digits.empty()) return {};
    return store::FindCompaniesByInn(sql, ws, digits);
}

namespace {

// Validates an owner choice: an active user of the workspace; someone else than the caller needs "assign".
std::optional<core::FieldError> CheckOwner(soci::session& sql, const core::Actor& by, core::Id owner) {
    if (!store::UserIsActive(sql, by.workspace_id, owner)) return core::FieldError{"owner_user_id", "invalid", ""};
    return std::nullopt;
}

std::vector<PointInput> CurrentPoints(const std::vector<ContactPoint>& points) {
    std::vector<PointInput> out;
    for (const auto& p : points) out.push_back({p.kind, p.label, p.raw, p.is_primary});
    return out;
}

void ApplyCompanyInput(Company& c, const CompanyInput& in) {
    if (in.legal_form) c.legal_form = *in.legal_form;
    if (in.name) c.name = *in.name;
    if (in.full_name) c.full_name = *in.full_name;
    if (in.legal_address) c.legal_address = *in.legal_address;
    if (in.actual_address) c.actual_address = *in.actual_address;
    if (in.financial_state) c.financial_state = *in.financial_state;
    if (in.currency) c.currency = *in.currency;
    if (in.payment_discipline) c.payment_discipline = *in.payment_discipline;
    if (in.preferences) c.preferences = *in.preferences;
    if (in.notes) c.notes = *in.notes;
    if (in.website) c.website = *in.website;
    auto clean = [](const std::optional<std::string>& v) -> std::optional<std::string> {
        if (!v || v->empty()) return std::nullopt;
        return CleanDigits(*v);
    };
    if (in.set_inn) c.inn = clean(in.inn);
    if (in.set_kpp) c.kpp = in.kpp && !in.kpp->empty() ? in.kpp : std::nullopt;
    if (in.set_ogrn) c.ogrn = clean(in.ogrn);
    if (in.set_volume) c.purchase_volume_minor = in.purchase_volume_minor;
    if (in.bank) {
        c.bank = *in.bank;
        c.bank.bik = CleanDigits(c.bank.bik);
        c.bank.account = CleanDigits(c.bank.account);
        c.bank.corr_account = CleanDigits(c.bank.corr_account);
    }
    if (in.tags) c.tags = *in.tags;
    if (in.set_owner) c.owner_user_id = in.owner_user_id;
}

void ApplyContactInput(Contact& c, const ContactInput& in) {
    if (in.last_name) c.last_name = *in.last_name;
    if (in.first_name) c.first_name = *in.first_name;
    if (in.middle_name) c.middle_name = *in.middle_name;
    if (in.preferences) c.preferences = *in.preferences;
    if (in.notes) c.notes = *in.notes;
    if (in.set_birthday) c.birthday = in.birthday && !in.birthday->empty() ? in.birthday : std::nullopt;
    if (in.tags) c.tags = *in.tags;
    if (in.set_owner) c.owner_user_id = in.owner_user_id;
    c.full_name = FullName(c.last_name, c.first_name, c.middle_name);
}

// Writes a validated company (insert or update) with its points and search document; returns its id.
struct CompanyWrite {
    Company company;
    std::optional<std::vector<ContactPoint>> points;  // replace when set
};

core::Result<CompanyWrite> ValidateCompany(soci::session& sql, const core::Actor& by, Company c, const CompanyInput& in,
                                           const std::vector<CustomField>* fields = nullptr) {
    std::vector<core::FieldError> errs;
    ApplyCompanyInput(c, in);
    CheckEnums(c, errs);
    for (auto& e : CheckRequisites(c)) errs.push_back(std::move(e));
    if (c.owner_user_id)
        if (auto e = CheckOwner(sql, by, *c.owner_user_id); e && in.set_owner) errs.push_back(*e);
    CompanyWrite w;
    if (in.points) {
        auto points = NormalizePoints(*in.points);
        if (!points) {
            for (auto& e : points.error().fields) errs.push_back(e);
        } else {
            w.points = std::move(*points);
        }
    }
    auto custom =
        ApplyCustom(sql, by.workspace_id, "company", c.custom_json, in.custom ? &*in.custom : nullptr, fields);
    if (!custom) {
        for (auto& e : custom.error().fields) errs.push_back(e);
    } else {
        c.custom_json = *custom;
    }
    if (!errs.empty()) return Validation(std::move(errs));
    w.company = std::move(c);
    return w;
}

struct ContactWrite {
    Contact contact;
    std::optional<std::vector<ContactPoint>> points;
};

core::Result<ContactWrite> ValidateContact(soci::session& sql, const core::Actor& by, Contact c, const ContactInput& in,
                                           const std::vector<CustomField>* fields = nullptr) {
    std::vector<core::FieldError> errs;
    ApplyContactInput(c, in);
    if (c.full_name.empty()) errs.push_back({"first_name", "required", ""});
    if (c.birthday && !IsValidBirthday(*c.birthday)) errs.push_back({"birthday", "invalid_date", ""});
    if (c.owner_user_id && in.set_owner)
        if (auto e = CheckOwner(sql, by, *c.owner_user_id)) errs.push_back(*e);
    ContactWrite w;
    if (in.points) {
        auto points = NormalizePoints(*in.points);
        if (!points) {
            for (auto& e : points.error().fields) errs.push_back(e);
        } else {
            w.points = std::move(*points);
        }
    }
    auto custom =
        ApplyCustom(sql, by.workspace_id, "contact", c.custom_json, in.custom ? &*in.custom : nullptr, fields);
    if (!custom) {
        for (auto& e : custom.error().fields) errs.push_back(e);
    } else {
        c.custom_json = *custom;
    }
    if (!errs.empty()) return Validation(std::move(errs));
    w.contact = std::move(c);
    return w;
}

void ReplacePoints(soci::session& sql, core::Id ws, const std::string& type, core::Id id,
                   const std::vector<ContactPoint>& points, core::Millis now) {
    store::DeletePoints(sql, ws, type, id);
    for (const auto& p : points) store::InsertPoint(sql, ws, type, id, p, now);
}

}  // namespace

// --- the steps of a card write, shared with the import writer (clients_write.hpp) ----------------------------------

namespace detail {

core::Result<CompanyDraft> ValidateCompanyInput(soci::session& sql, const core::Actor& by, const Company& base,
                                                const CompanyInput& in, const std::vector<CustomField>* fields) {
    auto w = ValidateCompany(sql, by, base, in, fields);
    if (!w) return w.take_error();
    return CompanyDraft{std::move(w->company), std::move(w->points)};
}

core::Result<ContactDraft> ValidateContactInput(soci::session& sql, const core::Actor& by, const Contact& base,
                                                const ContactInput& in, const std::vector<CustomField>* fields) {
    auto w = ValidateContact(sql, by, base, in, fields);
    if (!w) return w.take_error();
    return ContactDraft{std::move(w->contact), std::move(w->points)};
}

core::Result<std::vector<ContactPoint>> NormalizePointInputs(const std::vector<PointInput>& in) {
    return NormalizePoints(in);
}

boost::json::object CompanyAuditJson(const Company& c, const std::vector<ContactPoint>& points) {
    return CompanyAudit(c, points);
}

boost::json::object ContactAuditJson(const Contact& c, const std::vector<ContactPoint>& points) {
    return ContactAudit(c, points);
}

void IndexCompanyDoc(soci::session& sql, const Company& c, const std::vector<ContactPoint>& points, core::Millis now) {
    IndexCompany(sql, c, points, now);
}

void IndexContactDoc(soci::session& sql, const Contact& c, const std::vector<ContactPoint>& points, core::Millis now) {
    IndexContact(sql, c, points, now);
}

SearchDoc CompanyDoc(const Company& c, const std::vector<ContactPoint>& points) {
    return {"company", c.id, c.owner_user_id, c.name, DocTextOfPoints(c.name, CompanyBody(c, points), points)};
}

SearchDoc ContactDoc(const Contact& c, const std::vector<ContactPoint>& points) {
    return {"contact", c.id, c.owner_user_id, c.full_name,
            DocTextOfPoints(c.full_name, ContactBody(c, points), points)};
}

}  // namespace detail

core::Result<CompanyCard> ClientsService::CreateCompanyInTx(soci::session& sql, const core::Actor& by, core::Millis now,
                                                            const CompanyInput& in) {
    Company base;
    base.workspace_id = by.workspace_id;
    if (by.user_id) base.owner_user_id = by.user_id;
    base.created_by = by.user_id ? std::optional<core::Id>(by.user_id) : std::nullopt;
    base.source_lead_id = in.source_lead_id;
    auto w = ValidateCompany(sql, by, base, in);
    if (!w) return w.take_error();
    Company c = std::move(w->company);
    c.id = store::InsertCompany(sql, c, now);
    c.created_at = c.updated_at = now;
    std::vector<ContactPoint> points = w->points.value_or(std::vector<ContactPoint>{});
    for (auto& p : points) p.id = store::InsertPoint(sql, c.workspace_id, "company", c.id, p, now);
    events::WriteAudit(sql, by, now, {"company.create", "company", c.id, std::nullopt, CompanyAudit(c, points)});
    IndexCompany(sql, c, points, now);
    // The card from what was just written: a new company has no links yet (cheap for bulk imports).
    CompanyCard card;
    card.company = std::move(c);
    card.points = std::move(points);
    if (card.company.owner_user_id)
        card.owner_name = store::UserName(sql, card.company.workspace_id, *card.company.owner_user_id).value_or("");
    return card;
}

core::Result<ContactCard> ClientsService::CreateContactInTx(soci::session& sql, const core::Actor& by, core::Millis now,
                                                            const ContactInput& in) {
    Contact base;
    base.workspace_id = by.workspace_id;
    if (by.user_id) base.owner_user_id = by.user_id;
    base.created_by = by.user_id ? std::optional<core::Id>(by.user_id) : std::nullopt;
    base.source_lead_id = in.source_lead_id;
    auto w = ValidateContact(sql, by, base, in);
    if (!w) return w.take_error();
    Contact c = std::move(w->contact);
    c.id = store::InsertContact(sql, c, now);
    c.created_at = c.updated_at = now;
    std::vector<ContactPoint> points = w->points.value_or(std::vector<ContactPoint>{});
    for (auto& p : points) p.id = store::InsertPoint(sql, c.workspace_id, "contact", c.id, p, now);
    events::WriteAudit(sql, by, now, {"contact.create", "contact", c.id, std::nullopt, ContactAudit(c, points)});
    IndexContact(sql, c, points, now);
    ContactCard card;
    card.contact = std::move(c);
    card.points = std::move(points);
    if (card.contact.owner_user_id)
        card.owner_name = store::UserName(sql, card.contact.workspace_id, *card.contact.owner_user_id).value_or("");
    return card;
}

core::Result<void> ClientsService::LinkContact(soci::session& sql, const core::Actor& by, core::Millis now,
                                               const Link& link) {
    std::vector<core::FieldError> errs;
    if (!OneOf(link.decision_role, {"", "decision_maker", "influencer", "user", "gatekeeper"}))
        errs.push_back({"decision_role", "not_one_of", "decision_maker, influencer, user, gatekeeper"});
    if (!errs.empty()) return Validation(std::move(errs));
    auto before = store::SelectLink(sql, by.workspace_id, link.company_id, link.contact_id);
    store::UpsertLink(sql, by.workspace_id, link, now);
    json::object after{{"contact_id", link.contact_id},
                       {"position", link.position},
                       {"decision_role", link.decision_role},
                       {"is_primary", link.is_primary}};
    std::optional<json::value> b;
    if (before)
        b = json::object{{"contact_id", before->contact_id},
                         {"position", before->position},
                         {"decision_role", before->decision_role},
                         {"is_primary", before->is_primary}};
    events::WriteAudit(sql, by, now, {"company.link_contact", "company", link.company_id, b, after});
    return core::Ok();
}

core::Id ClientsService::AddTimelineEvent(soci::session& sql, core::Id ws, const std::string& subject_type, core::Id id,
                                          const std::string& kind, const std::string& channel,
                                          const std::string& summary, const std::string& payload,
                                          const std::optional<std::string>& external_ref, core::Millis at,
                                          std::optional<core::Id> actor_user_id) {
    store::TimelineEvent e;
    e.subject_type = subject_type;
    e.subject_id = id;
    e.at = at;
    e.kind = kind;
    e.channel = channel;
    e.summary = summary;
    e.payload = payload.empty() ? "{}" : payload;
    e.actor_user_id = actor_user_id;
    e.external_ref = external_ref;
    return store::InsertEvent(sql, ws, e, at).first;
}

void ClientsService::UpsertSearchDoc(soci::session& sql, core::Id ws, const std::string& type, core::Id id,
                                     std::optional<core::Id> owner, const std::string& title, const std::string& body,
                                     const std::vector<std::string>& phones, core::Millis now) {
    store::UpsertSearchDoc(sql, ws, type, id, owner, title, DocText(title, body, phones), now);
}

void ClientsService::UpsertSearchDocs(soci::session& sql, const std::vector<SearchDocInput>& docs) {
    std::vector<store::SearchDocWrite> out;
    out.reserve(docs.size());
    for (const auto& d : docs)
        out.push_back({d.ws, d.type, d.id, d.owner, d.title, DocText(d.title, d.body, d.phones), d.now});
    store::UpsertSearchDocs(sql, out);
}

void ClientsService::RemoveSearchDoc(soci::session& sql, core::Id ws, const std::string& type, core::Id id) {
    store::RemoveSearchDoc(sql, ws, type, id);
}

// --- companies ------------------------------------------------------------------------------------------------

core::Result<Page<Company>> ClientsService::ListCompanies(const core::Actor& a, const ListQuery& q) {
    return db_.Read([&](soci::session& sql) -> core::Result<Page<Company>> {
        const auth::Visibility vis = Vis(sql, a);
        if (!vis.Can(Action::kRead, "client")) return Error::Of(ErrorCode::kForbidden);
        store::ListFilter f = q.filter;
        OTDEL_TRY_VOID(DecodeListCursor(q.cursor, f));
        const int limit = f.limit;
        f.limit = limit + 1;
        const auth::Predicate visible = vis.Read("c");
        auto rows = store::ListCompanies(sql, db_.engine(), a.workspace_id, f, visible);
        Page<Company> page;
        if (static_cast<int>(rows.size()) > limit) {
            rows.resize(limit);
            const Company& last = rows.back();
            page.next_cursor = Hex(SortKey(last, f.sort, last.name) + '\x1f' + std::to_string(last.id));
        }
        page.items = std::move(rows);
        return page;
    });
}

core::Result<CompanyCard> ClientsService::GetCompany(const core::Actor& a, core::Id id) {
    return db_.Read([&](soci::session& sql) { return LoadCompanyCard(sql, a, id, false); });
}

core::Result<CompanyCard> ClientsService::CreateCompany(const core::Actor& a, const CompanyInput& in) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<CompanyCard> {
        const auth::Visibility vis = Vis(sql, a);
        if (!vis.Can(Action::kCreate, "client")) return Error::Of(ErrorCode::kForbidden, "clients.write_forbidden");
        if (in.set_owner && in.owner_user_id != std::optional<core::Id>(a.user_id) &&
            !vis.Can(Action::kAssign, "client"))
            return Error::Of(ErrorCode::kForbidden, "clients.assign_forbidden");
        return CreateCompanyInTx(sql, a, now, in);
    });
}

core::Result<CompanyCard> ClientsService::UpdateCompany(const core::Actor& a, core::Id id, const CompanyInput& in) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<CompanyCard> {
        auto card = LoadCompanyCard(sql, a, id, true);
        if (!card) return card.take_error();
        const Company& before = card->company;
        if (before.deleted_at) return Error::Of(ErrorCode::kConflict, "clients.record_deleted");
        if (in.set_owner && in.owner_user_id != before.owner_user_id) {
            const auth::Visibility vis = Vis(sql, a);
            if (!vis.Can(Action::kAssign, "client"))
                return Error::Of(ErrorCode::kForbidden, "clients.assign_forbidden");
        }
        auto w = ValidateCompany(sql, a, before, in);
        if (!w) return w.take_error();
        Company c = std::move(w->company);
        store::UpdateCompany(sql, c, now);
        c.updated_at = now;
        std::vector<ContactPoint> points = card->points;
        if (w->points) {
            ReplacePoints(sql, a.workspace_id, "company", id, *w->points, now);
            points = store::ListPoints(sql, a.workspace_id, "company", id);
        }
        events::WriteAudit(
            sql, a, now,
            {"company.update", "company", id, CompanyAudit(before, card->points), CompanyAudit(c, points)});
        IndexCompany(sql, c, points, now);
        return CompanyCardOf(sql, c);
    });
}

core::Result<CompanyCard> ClientsService::DeleteCompany(const core::Actor& a, core::Id id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<CompanyCard> {
        auto card = LoadCompanyCard(sql, a, id, true);
        if (!card) return card.take_error();
        if (!Vis(sql, a).Can(Action::kDelete, "client"))
            return Error::Of(ErrorCode::kForbidden, "clients.delete_forbidden");
        if (card->company.deleted_at) return Error::Of(ErrorCode::kConflict, "clients.record_deleted");
        store::SetRemoved(sql, "company", a.workspace_id, id, now, std::nullopt, now);
        store::RemoveSearchDoc(sql, a.workspace_id, "company", id);
        events::WriteAudit(
            sql, a, now,
            {"company.delete", "company", id, json::object{{"deleted", false}}, json::object{{"deleted", true}}});
        return CompanyCardOf(sql, *store::SelectCompany(sql, a.workspace_id, id, nullptr));
    });
}

core::Result<CompanyCard> ClientsService::RestoreCompany(const core::Actor& a, core::Id id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<CompanyCard> {
        auto card = LoadCompanyCard(sql, a, id, true);
        if (!card) return card.take_error();
        if (!Vis(sql, a).Can(Action::kDelete, "client"))
            return Error::Of(ErrorCode::kForbidden, "clients.delete_forbidden");
        if (!card->company.deleted_at) return Error::Of(ErrorCode::kConflict, "clients.record_not_deleted");
        if (card->company.merged_into_id) return Error::Of(ErrorCode::kConflict, "clients.record_merged");
        store::SetRemoved(sql, "company", a.workspace_id, id, std::nullopt, std::nullopt, now);
        Company c = *store::SelectCompany(sql, a.workspace_id, id, nullptr);
        IndexCompany(sql, c, card->points, now);
        events::WriteAudit(
            sql, a, now,
            {"company.restore", "company", id, json::object{{"deleted", true}}, json::object{{"deleted", false}}});
        return CompanyCardOf(sql, c);
    });
}

// --- contacts ---------------------------------------------------------------------------------------------------

core::Result<Page<Contact>> ClientsService::ListContacts(const core::Actor& a, const ListQuery& q) {
    return db_.Read([&](soci::session& sql) -> core::Result<Page<Contact>> {
        const auth::Visibility vis = Vis(sql, a);
        if (!vis.Can(Action::kRead, "client")) return Error::Of(ErrorCode::kForbidden);
        store::ListFilter f = q.filter;
        OTDEL_TRY_VOID(DecodeListCursor(q.cursor, f));
        const int limit = f.limit;
        f.limit = limit + 1;
        const auth::Predicate visible = vis.Read("c");
        auto rows = store::ListContacts(sql, db_.engine(), a.workspace_id, f, visible);
        Page<Contact> page;
        if (static_cast<int>(rows.size()) > limit) {
            rows.resize(limit);
            const Contact& last = rows.back();
            page.next_cursor = Hex(SortKey(last, f.sort, last.full_name) + '\x1f' + std::to_string(last.id));
        }
        page.items = std::move(rows);
        return page;
    });
}

core::Result<ContactCard> ClientsService::GetContact(const core::Actor& a, core::Id id) {
    return db_.Read([&](soci::session& sql) { return LoadContactCard(sql, a, id, false); });
}

core::Result<ContactCard> ClientsService::CreateContact(const core::Actor& a, const ContactInput& in) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<ContactCard> {
        const auth::Visibility vis = Vis(sql, a);
        if (!vis.Can(Action::kCreate, "client")) return Error::Of(ErrorCode::kForbidden, "clients.write_forbidden");
        if (in.set_owner && in.owner_user_id != std::optional<core::Id>(a.user_id) &&
            !vis.Can(Action::kAssign, "client"))
            return Error::Of(ErrorCode::kForbidden, "clients.assign_forbidden");
        return CreateContactInTx(sql, a, now, in);
    });
}

core::Result<ContactCard> ClientsService::UpdateContact(const core::Actor& a, core::Id id, const ContactInput& in) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<ContactCard> {
        auto card = LoadContactCard(sql, a, id, true);
        if (!card) return card.take_error();
        const Contact& before = card->contact;
        if (before.deleted_at) return Error::Of(ErrorCode::kConflict, "clients.record_deleted");
        if (in.set_owner && in.owner_user_id != before.owner_user_id) {
            if (!Vis(sql, a).Can(Action::kAssign, "client"))
                return Error::Of(ErrorCode::kForbidden, "clients.assign_forbidden");
        }
        auto w = ValidateContact(sql, a, before, in);
        if (!w) return w.take_error();
        Contact c = std::move(w->contact);
        store::UpdateContact(sql, c, now);
        c.updated_at = now;
        std::vector<ContactPoint> points = card->points;
        if (w->points) {
            ReplacePoints(sql, a.workspace_id, "contact", id, *w->points, now);
            points = store::ListPoints(sql, a.workspace_id, "contact", id);
        }
        events::WriteAudit(
            sql, a, now,
            {"contact.update", "contact", id, ContactAudit(before, card->points), ContactAudit(c, points)});
        IndexContact(sql, c, points, now);
        return ContactCardOf(sql, c);
    });
}

core::Result<ContactCard> ClientsService::DeleteContact(const core::Actor& a, core::Id id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<ContactCard> {
        auto card = LoadContactCard(sql, a, id, true);
        if (!card) return card.take_error();
        if (!Vis(sql, a).Can(Action::kDelete, "client"))
            return Error::Of(ErrorCode::kForbidden, "clients.delete_forbidden");
        if (card->contact.deleted_at) return Error::Of(ErrorCode::kConflict, "clients.record_deleted");
        store::SetRemoved(sql, "contact", a.workspace_id, id, now, std::nullopt, now);
        store::RemoveSearchDoc(sql, a.workspace_id, "contact", id);
        events::WriteAudit(
            sql, a, now,
            {"contact.delete", "contact", id, json::object{{"deleted", false}}, json::object{{"deleted", true}}});
        return ContactCardOf(sql, *store::SelectContact(sql, a.workspace_id, id, nullptr));
    });
}

core::Result<ContactCard> ClientsService::RestoreContact(const core::Actor& a, core::Id id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<ContactCard> {
        auto card = LoadContactCard(sql, a, id, true);
        if (!card) return card.take_error();
        if (!Vis(sql, a).Can(Action::kDelete, "client"))
            return Error::Of(ErrorCode::kForbidden, "clients.delete_forbidden");
        if (!card->contact.deleted_at) return Error::Of(ErrorCode::kConflict, "clients.record_not_deleted");
        if (card->contact.merged_into_id) return Error::Of(ErrorCode::kConflict, "clients.record_merged");
        store::SetRemoved(sql, "contact", a.workspace_id, id, std::nullopt, std::nullopt, now);
        Contact c = *store::SelectContact(sql, a.workspace_id, id, nullptr);
        IndexContact(sql, c, card->points, now);
        events::WriteAudit(
            sql, a, now,
            {"contact.restore", "contact", id, json::object{{"deleted", true}}, json::object{{"deleted", false}}});
        return ContactCardOf(sql, c);
    });
}

core::Result<CompanyCard> ClientsService::PutLink(const core::Actor& a, const Link& link) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<CompanyCard> {
        auto company = LoadCompanyCard(sql, a, link.company_id, true);
        if (!company) return company.take_error();
        auto contact = LoadContactCard(sql, a, link.contact_id, false);
        if (!contact) return contact.take_error();
        if (company->company.deleted_at || contact->contact.deleted_at)
            return Error::Of(ErrorCode::kConflict, "clients.record_deleted");
        OTDEL_TRY_VOID(LinkContact(sql, a, now, link));
        return CompanyCardOf(sql, company->company);
    });
}

core::Result<CompanyCard> ClientsService::RemoveLink(const core::Actor& a, core::Id company_id, core::Id contact_id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<CompanyCard> {
        auto company = LoadCompanyCard(sql, a, company_id, true);
        if (!company) return company.take_error();
        auto before = store::SelectLink(sql, a.workspace_id, company_id, contact_id);
        if (!before) return NotFound();
        store::DeleteLink(sql, a.workspace_id, company_id, contact_id);
        events::WriteAudit(sql, a, now,
                           {"company.unlink_contact", "company", company_id,
                            json::object{{"contact_id", contact_id}, {"position", before->position}}, std::nullopt});
        return CompanyCardOf(sql, company->company);
    });
}

// --- custom fields ----------------------------------------------------------------------------------------------

core::Result<std::vector<CustomField>> ClientsService::ListFields(const core::Actor& a, const std::string& entity,
                                                                  bool include_archived) {
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<CustomField>> {
        return store::ListFields(sql, a.workspace_id, entity, include_archived);
    });
}

core::Result<CustomField> ClientsService::CreateField(const core::Actor& a, const FieldInput& in) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<CustomField> {
        if (!CanManageSettings(sql, a, Vis(sql, a)))
            return Error::Of(ErrorCode::kForbidden, "clients.settings_forbidden");
        CustomField f;
        f.workspace_id = a.workspace_id;
        f.entity = in.entity.value_or("");
        f.code = in.code.value_or("");
        f.label_ru = in.label_ru.value_or("");
        f.label_en = in.label_en.value_or("");
        f.kind = ParseFieldKind(in.kind.value_or("text")).value_or(FieldKind::kText);
        f.options = in.options.value_or(std::vector<FieldOption>{});
        f.required = in.required.value_or(false);
        f.position = in.position.value_or(0);
        auto errs = CheckFieldDefinition(f);
        if (!errs.empty()) return Validation(std::move(errs));
        for (const auto& other : store::ListFields(sql, a.workspace_id, f.entity, true))
            if (other.code == f.code)
                return Error{ErrorCode::kConflict, "clients.field_code_taken", {{"code", "not_unique", ""}}, 0};
        f.id = store::InsertField(sql, f, now);
        f.created_at = f.updated_at = now;
        events::WriteAudit(sql, a, now,
                           {"custom_field.create", "custom_field", f.id, std::nullopt,
                            json::object{{"entity", f.entity},
                                         {"code", f.code},
                                         {"kind", std::string(FieldKindName(f.kind))},
                                         {"required", f.required}}});
        return f;
    });
}

core::Result<CustomField> ClientsService::UpdateField(const core::Actor& a, core::Id id, const FieldInput& in) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<CustomField> {
        if (!CanManageSettings(sql, a, Vis(sql, a)))
            return Error::Of(ErrorCode::kForbidden, "clients.settings_forbidden");
        auto before = store::SelectField(sql, a.workspace_id, id);
        if (!before) return NotFound();
        CustomField f = *before;
        if (in.label_ru) f.label_ru = *in.label_ru;
        if (in.label_en) f.label_en = *in.label_en;
        if (in.options) f.options = *in.options;
        if (in.required) f.required = *in.required;
        if (in.position) f.position = *in.position;
        if (in.archived)
            f.archived_at =
                *in.archived ? std::optional<core::Millis>(before->archived_at.value_or(now)) : std::nullopt;
        auto errs = CheckFieldDefinition(f);
        if (!errs.empty()) return Validation(std::move(errs));
        store::UpdateField(sql, f, now);
        f.updated_at = now;
        events::WriteAudit(
            sql, a, now,
            {"custom_field.update", "custom_field", id,
             json::object{{"required", before->required},
                          {"archived", before->archived_at.has_value()},
                          {"label_ru", before->label_ru}},
             json::object{
                 {"required", f.required}, {"archived", f.archived_at.has_value()}, {"label_ru", f.label_ru}}});
        return f;
    });
}

core::Result<CustomField> ClientsService::ArchiveField(const core::Actor& a, core::Id id) {
    FieldInput in;
    in.archived = true;
    return UpdateField(a, id, in);
}

// --- timeline ---------------------------------------------------------------------------------------------------

core::Result<ClientsService::TimelinePage> ClientsService::Timeline(const core::Actor& a,
                                                                    const std::string& subject_type, core::Id id,
                                                                    std::optional<std::string> cursor, int limit,
                                                                    bool checked) {
    std::optional<store::TimelineCursor> c;
    if (cursor) {
        auto raw = Unhex(*cursor);
        store::TimelineCursor tc;
        if (!raw || std::sscanf(raw->c_str(), "%lld:%d:%lld", reinterpret_cast<long long*>(&tc.at), &tc.source,
                                reinterpret_cast<long long*>(&tc.id)) != 3)
            return BadCursor();
        c = tc;
    }
    return db_.Read([&](soci::session& sql) -> core::Result<TimelinePage> {
        const core::Id ws = a.workspace_id;
        if (!checked) {
            const auth::Visibility vis = Vis(sql, a);
            if (!vis.Can(Action::kRead, subject_type == "lead" ? "lead" : "client")) return NotFound();
            const auth::Predicate read = vis.Read("c");
            if (!Exists(sql, subject_type, id, read)) return NotFound();
        }
        std::vector<std::pair<std::string, std::vector<core::Id>>> subjects;
        std::vector<core::Id> own{id};
        for (core::Id m : store::MergedInto(sql, ws, subject_type, id)) own.push_back(m);
        subjects.emplace_back(subject_type, own);
        if (subject_type == "company") {
            std::vector<core::Id> contacts;
            for (const auto& l : store::LinksOfCompany(sql, ws, id)) {
                if (static_cast<int>(contacts.size()) >= kMaxTimelineSubjects) break;
                contacts.push_back(l.link.contact_id);
            }
            subjects.emplace_back("contact", contacts);
        }
        auto rows = store::Timeline(sql, ws, subjects, c, limit + 1);
        TimelinePage page;
        const auto& summaries = AuditSummaries();
        for (const auto& r : rows) {
            if (static_cast<int>(page.items.size()) == limit) {
                const auto& last = page.items.back();
                (void)last;
                const auto& lr = rows[limit - 1];
                page.next_cursor =
                    Hex(std::to_string(lr.at) + ":" + std::to_string(lr.source) + ":" + std::to_string(lr.id));
                break;
            }
            TimelineItem it;
            it.id = r.id;
            it.at = r.at;
            it.kind = r.kind;
            it.source = r.source == 0 ? "audit" : "event";
            it.actor_user_id = r.actor_user_id;
            it.actor_name = r.actor_name;
            it.channel = r.source == 0 ? "" : r.channel;
            it.subject_type = r.subject_type;
            it.subject_id = r.subject_id;
            if (r.source == 0) {
                auto s = summaries.find(r.kind);
                it.summary =
                    s == summaries.end() ? r.kind : (a.lang == core::Lang::kEn ? s->second.second : s->second.first);
                json::object p;
                p["before"] = r.before_json.empty() ? json::value(nullptr) : Parse(r.before_json);
                p["after"] = r.after_json.empty() ? json::value(nullptr) : Parse(r.after_json);
                it.payload = std::move(p);
            } else {
                it.summary = r.summary;
                json::value p = Parse(r.payload);
                it.payload = p.is_object() ? p : json::value(json::object{});
            }
            page.items.push_back(std::move(it));
        }
        return page;
    });
}

// --- dedupe and merge -------------------------------------------------------------------------------------------

core::Result<std::vector<DuplicateHit>> ClientsService::CheckDuplicates(const core::Actor& a,
                                                                        const DuplicateCheck& in) {
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<DuplicateHit>> {
        const auth::Visibility vis = Vis(sql, a);
        if (!vis.Can(Action::kRead, "client") && !vis.Can(Action::kRead, "lead"))
            return Error::Of(ErrorCode::kForbidden);
        std::vector<store::Match> found;
        std::set<std::pair<std::string, core::Id>> seen;
        auto add = [&](std::vector<store::Match> ms) {
            for (auto& m : ms)
                if (seen.insert({m.type, m.id}).second) found.push_back(std::move(m));
        };
        for (const auto& raw : in.phones)
            if (auto p = NormalizePhone(raw)) add(store::FindByPoint(sql, a.workspace_id, "phone", p->e164));
        for (const auto& raw : in.emails)
            if (auto e = NormalizeEmail(raw)) add(store::FindByPoint(sql, a.workspace_id, "email", *e));
        if (in.inn && !DigitsOnly(*in.inn).empty())
            add(store::FindCompaniesByInn(sql, a.workspace_id, DigitsOnly(*in.inn)));
        if (in.name && !in.name->empty()) add(store::FindCompaniesByName(sql, a.workspace_id, *in.name));
        std::vector<DuplicateHit> out;
        const auth::Predicate read = vis.Read("c");
        for (auto& m : found) {
            DuplicateHit h;
            h.visible = vis.Can(Action::kRead, m.type == "lead" ? "lead" : "client") && Exists(sql, m.type, m.id, read);
            if (m.owner_user_id) h.owner_name = store::UserName(sql, a.workspace_id, *m.owner_user_id).value_or("");
            h.match = std::move(m);
            out.push_back(std::move(h));
        }
        return out;
    });
}

core::Result<std::vector<store::DuplicateGroup>> ClientsService::DuplicateGroups(const core::Actor& a,
                                                                                 const std::string& entity) {
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<store::DuplicateGroup>> {
        const auth::Visibility vis = Vis(sql, a);
        if (!vis.Can(Action::kRead, "client")) return Error::Of(ErrorCode::kForbidden);
        const auth::Predicate read = vis.Read("c");
        std::vector<store::DuplicateGroup> out;
        for (auto& g : store::DuplicateGroups(sql, a.workspace_id, entity, 1000)) {
            // Only records the caller can see take part; a group needs two of them.
            std::vector<core::Id> ids;
            for (core::Id id : g.ids)
                if (Exists(sql, entity, id, read)) ids.push_back(id);
            if (ids.size() < 2) continue;
            g.ids = std::move(ids);
            out.push_back(std::move(g));
            if (out.size() >= 200) break;
        }
        return out;
    });
}

namespace {

std::map<std::string, std::string> CustomTexts(const std::string& custom_json) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : ParseObject(custom_json)) out[std::string(k)] = json::serialize(v);
    return out;
}

std::string CustomFromTexts(const std::map<std::string, std::string>& m) {
    json::object o;
    for (const auto& [k, v] : m) o[k] = Parse(v);
    return json::serialize(o);
}

void ApplyPlanPoints(soci::session& sql, core::Id ws, const MergePlan& plan, core::Id survivor) {
    for (core::Id p : plan.move_points) store::MovePoint(sql, ws, p, survivor);
    for (core::Id p : plan.drop_points) store::DeletePoint(sql, ws, p);
}

template <class T>
void Fill(T& dst, const T& src) {
    if (dst.empty()) dst = src;
}

}  // namespace

core::Result<CompanyCard> ClientsService::MergeCompanies(const core::Actor& a, core::Id survivor_id,
                                                         core::Id merged_id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<CompanyCard> {
        if (survivor_id == merged_id)
            return Error{ErrorCode::kValidation, "clients.merge_same", {{"merged_id", "invalid", ""}}, 0};
        auto s = LoadCompanyCard(sql, a, survivor_id, true);
        if (!s) return s.take_error();
        auto m = LoadCompanyCard(sql, a, merged_id, true);
        if (!m) {
            if (m.error().code == ErrorCode::kNotFound)
                return Error{ErrorCode::kValidation, {}, {{"merged_id", "invalid", ""}}, 0};
            return m.take_error();
        }
        if (s->company.deleted_at || m->company.deleted_at)
            return Error::Of(ErrorCode::kConflict, "clients.record_deleted");
        const core::Id ws = a.workspace_id;
        Company c = s->company;
        const Company& old = m->company;
        const MergePlan plan =
            PlanMerge(s->points, m->points, c.tags, old.tags, CustomTexts(c.custom_json), CustomTexts(old.custom_json));
        ApplyPlanPoints(sql, ws, plan, survivor_id);
        const int links = store::MoveLinks(sql, ws, "company", merged_id, survivor_id, now);
        const int events_moved = store::RepointEvents(sql, ws, "company", merged_id, survivor_id);
        const int leads = store::RepointLeads(sql, ws, "company", merged_id, survivor_id);
        c.tags = plan.tags;
        c.custom_json = CustomFromTexts(plan.custom);
        if (!c.inn) c.inn = old.inn;
        if (!c.kpp) c.kpp = old.kpp;
        if (!c.ogrn) c.ogrn = old.ogrn;
        if (!c.purchase_volume_minor) c.purchase_volume_minor = old.purchase_volume_minor;
        Fill(c.legal_form, old.legal_form);
        Fill(c.full_name, old.full_name);
        Fill(c.legal_address, old.legal_address);
        Fill(c.actual_address, old.actual_address);
        Fill(c.financial_state, old.financial_state);
        Fill(c.payment_discipline, old.payment_discipline);
        Fill(c.preferences, old.preferences);
        Fill(c.notes, old.notes);
        Fill(c.website, old.website);
        if (c.bank.empty()) c.bank = old.bank;
        store::UpdateCompany(sql, c, now);
        json::object snapshot = CompanyAudit(old, m->points);
        snapshot["id"] = old.id;
        snapshot["created_at"] = old.created_at;
        store::InsertMerge(sql, ws, "company", survivor_id, merged_id,
                           a.user_id ? std::optional<core::Id>(a.user_id) : std::nullopt, json::serialize(snapshot),
                           now);
        store::SetRemoved(sql, "company", ws, merged_id, now, survivor_id, now);
        store::RemoveSearchDoc(sql, ws, "company", merged_id);
        const auto points = store::ListPoints(sql, ws, "company", survivor_id);
        IndexCompany(sql, c, points, now);
        json::object moved{{"merged_id", merged_id},
                           {"points_moved", plan.move_points.size()},
                           {"points_dropped", plan.drop_points.size()},
                           {"links_moved", links},
                           {"events_moved", events_moved},
                           {"leads_moved", leads}};
        events::WriteAudit(sql, a, now,
                           {"company.merge", "company", survivor_id, CompanyAudit(s->company, s->points), [&] {
                                json::object after = CompanyAudit(c, points);
                                after["merge"] = moved;
                                return after;
                            }()});
        events::WriteAudit(
            sql, a, now,
            {"company.merged_into", "company", merged_id, snapshot, json::object{{"merged_into_id", survivor_id}}});
        return CompanyCardOf(sql, c);
    });
}

core::Result<ContactCard> ClientsService::MergeContacts(const core::Actor& a, core::Id survivor_id,
                                                        core::Id merged_id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<ContactCard> {
        if (survivor_id == merged_id)
            return Error{ErrorCode::kValidation, "clients.merge_same", {{"merged_id", "invalid", ""}}, 0};
        auto s = LoadContactCard(sql, a, survivor_id, true);
        if (!s) return s.take_error();
        auto m = LoadContactCard(sql, a, merged_id, true);
        if (!m) {
            if (m.error().code == ErrorCode::kNotFound)
                return Error{ErrorCode::kValidation, {}, {{"merged_id", "invalid", ""}}, 0};
            return m.take_error();
        }
        if (s->contact.deleted_at || m->contact.deleted_at)
            return Error::Of(ErrorCode::kConflict, "clients.record_deleted");
        const core::Id ws = a.workspace_id;
        Contact c = s->contact;
        const Contact& old = m->contact;
        const MergePlan plan =
            PlanMerge(s->points, m->points, c.tags, old.tags, CustomTexts(c.custom_json), CustomTexts(old.custom_json));
        ApplyPlanPoints(sql, ws, plan, survivor_id);
        const int links = store::MoveLinks(sql, ws, "contact", merged_id, survivor_id, now);
        const int events_moved = store::RepointEvents(sql, ws, "contact", merged_id, survivor_id);
        const int leads = store::RepointLeads(sql, ws, "contact", merged_id, survivor_id);
        c.tags = plan.tags;
        c.custom_json = CustomFromTexts(plan.custom);
        if (!c.birthday) c.birthday = old.birthday;
        Fill(c.middle_name, old.middle_name);
        Fill(c.preferences, old.preferences);
        Fill(c.notes, old.notes);
        c.full_name = FullName(c.last_name, c.first_name, c.middle_name);
        store::UpdateContact(sql, c, now);
        json::object snapshot = ContactAudit(old, m->points);
        snapshot["id"] = old.id;
        snapshot["created_at"] = old.created_at;
        store::InsertMerge(sql, ws, "contact", survivor_id, merged_id,
                           a.user_id ? std::optional<core::Id>(a.user_id) : std::nullopt, json::serialize(snapshot),
                           now);
        store::SetRemoved(sql, "contact", ws, merged_id, now, survivor_id, now);
        store::RemoveSearchDoc(sql, ws, "contact", merged_id);
        const auto points = store::ListPoints(sql, ws, "contact", survivor_id);
        IndexContact(sql, c, points, now);
        json::object after = ContactAudit(c, points);
        after["merge"] = json::object{{"merged_id", merged_id},
                                      {"points_moved", plan.move_points.size()},
                                      {"points_dropped", plan.drop_points.size()},
                                      {"links_moved", links},
                                      {"events_moved", events_moved},
                                      {"leads_moved", leads}};
        events::WriteAudit(sql, a, now,
                           {"contact.merge", "contact", survivor_id, ContactAudit(s->contact, s->points), after});
        events::WriteAudit(
            sql, a, now,
            {"contact.merged_into", "contact", merged_id, snapshot, json::object{{"merged_into_id", survivor_id}}});
        return ContactCardOf(sql, c);
    });
}

// --- search -----------------------------------------------------------------------------------------------------

core::Result<std::vector<SearchResult>> ClientsService::Search(const core::Actor& a, const std::string& q,
                                                               bool companies, bool contacts, bool leads, int limit) {
    std::vector<std::string> tokens;
    const bool phone_like = !q.empty() && std::all_of(q.begin(), q.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == ' ' || c == '+' || c == '-' || c == '(' || c == ')' || c == '.';
    });
    const std::string digits = DigitsOnly(q);
    if (phone_like && !digits.empty()) {
        // A phone in any spelling: the full number's E.164 digits, else the digits typed so far as a prefix.
        auto p = digits.size() >= 10 ? NormalizePhone(q) : std::nullopt;
        tokens.push_back(p ? p->e164.substr(1) : digits);
    } else {
        tokens = SearchTokens(q);
        if (tokens.size() > 8) tokens.resize(8);
    }
    if (tokens.empty()) return std::vector<SearchResult>{};
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<SearchResult>> {
        const auth::Visibility vis = Vis(sql, a);
        const bool can_clients = vis.Can(Action::kRead, "client"), can_leads = vis.Can(Action::kRead, "lead");
        const auth::Predicate visible = vis.Read("d");
        auto hits = store::Search(sql, db_.engine(), a.workspace_id, tokens, companies && can_clients,
                                  contacts && can_clients, leads && can_leads, limit, visible);
        std::vector<SearchResult> out;
        for (auto& h : hits) {
            SearchResult r{h.type, h.id, h.title, "", h.owner_user_id, h.owner_name};
            // Snippet: the indexed words around the first match.
            const std::string& body = h.body;
            std::size_t pos = body.find(tokens.front());
            if (pos == std::string::npos) pos = 0;
            std::size_t from = pos > 40 ? pos - 40 : 0, to = std::min(body.size(), pos + 80);
            while (from > 0 && (static_cast<unsigned char>(body[from]) & 0xC0) == 0x80) --from;
            while (to < body.size() && (static_cast<unsigned char>(body[to]) & 0xC0) == 0x80) ++to;
            r.snippet = (from > 0 ? "…" : "") + body.substr(from, to - from) + (to < body.size() ? "…" : "");
            out.push_back(std::move(r));
        }
        return out;
    });
}

// --- saved views ------------------------------------------------------------------------------------------------

core::Result<std::vector<store::SavedView>> ClientsService::ListViews(const core::Actor& a, const std::string& entity) {
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<store::SavedView>> {
        return store::ListViews(sql, a.workspace_id, entity, a.user_id);
    });
}

namespace {
bool CanShare(const core::Actor& a, const auth::Visibility& vis) {
    return a.is_admin || a.kind == core::ActorKind::kSystem || vis.Can(Action::kUpdate, "org") ||
           vis.scope() == auth::Scope::kTeam;
}
}  // namespace

core::Result<store::SavedView> ClientsService::CreateView(const core::Actor& a, const ViewInput& in) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<store::SavedView> {
        store::SavedView v;
        v.entity = in.entity.value_or("company");
        v.name = in.name.value_or("");
        v.definition = in.definition.value_or("{}");
        const bool shared = in.shared.value_or(false);
        if (shared && !CanShare(a, Vis(sql, a))) return Error::Of(ErrorCode::kForbidden, "clients.share_forbidden");
        if (!shared) v.user_id = a.user_id;
        v.id = store::InsertView(sql, a.workspace_id, v, now);
        v.created_at = v.updated_at = now;
        return v;
    });
}

core::Result<store::SavedView> ClientsService::UpdateView(const core::Actor& a, core::Id id, const ViewInput& in) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<store::SavedView> {
        auto v = store::SelectView(sql, a.workspace_id, id);
        if (!v || (v->user_id && *v->user_id != a.user_id)) return NotFound();
        const auth::Visibility vis = Vis(sql, a);
        if (!v->user_id && !CanShare(a, vis)) return Error::Of(ErrorCode::kForbidden, "clients.share_forbidden");
        if (in.name) v->name = *in.name;
        if (in.definition) v->definition = *in.definition;
        if (in.shared) {
            if (*in.shared && !CanShare(a, vis)) return Error::Of(ErrorCode::kForbidden, "clients.share_forbidden");
            v->user_id = *in.shared ? std::nullopt : std::optional<core::Id>(a.user_id);
        }
        store::UpdateView(sql, a.workspace_id, *v, now);
        v->updated_at = now;
        return *v;
    });
}

core::Result<void> ClientsService::DeleteView(const core::Actor& a, core::Id id) {
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        auto v = store::SelectView(sql, a.workspace_id, id);
        if (!v || (v->user_id && *v->user_id != a.user_id)) return NotFound();
        if (!v->user_id && !CanShare(a, Vis(sql, a)))
            return Error::Of(ErrorCode::kForbidden, "clients.share_forbidden");
        store::DeleteView(sql, a.workspace_id, id);
        return core::Ok();
    });
}

// --- handover ---------------------------------------------------------------------------------------------------

int ClientsService::Handover(soci::session& sql, core::Id workspace_id, core::Id from_user_id,
                             std::optional<core::Id> to_user_id, const core::Actor& by, core::Millis now) {
    int moved = 0;
    for (const char* type : {"company", "contact"}) {
        for (core::Id id : store::Reassign(sql, workspace_id, type, from_user_id, to_user_id, now)) {
            events::WriteAudit(
                sql, by, now,
                {std::string(type) + ".handover", type, id, json::object{{"owner_user_id", from_user_id}},
                 json::object{{"owner_user_id", OrNull(to_user_id)}}});
            ++moved;
        }
    }
    return moved;
}

}  // namespace otdel::clients
