#include "imports/mapping.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include "clients/normalize.hpp"
#include "core/text.hpp"
#include "imports/mapping_deals.hpp"

namespace otdel::imports {
namespace {

constexpr std::size_t kMaxName = 300;
constexpr std::size_t kMaxText = 4000;

std::vector<TargetField> PointFields() {
    return {TargetField{"phone", "Телефон", "Phone", true},
            TargetField{"phone_mobile", "Мобильный телефон", "Mobile phone", true},
            TargetField{"phone_work", "Рабочий телефон", "Work phone", true},
            TargetField{"phone_home", "Домашний телефон", "Home phone", true},
            TargetField{"email", "E-mail", "E-mail", true},
            TargetField{"email_work", "Рабочий e-mail", "Work e-mail", true},
            TargetField{"email_personal", "Личный e-mail", "Personal e-mail", true}};
}

std::vector<TargetField> Join(std::vector<TargetField> a, const std::vector<TargetField>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// Lower-cases ASCII and Cyrillic, folds ё to е, turns everything but letters and digits into single spaces.
std::string NormHeader(std::string_view s) {
    std::string out;
    bool space = true;
    auto put_space = [&] {
        if (!space) out.push_back(' ');
        space = true;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (std::isalnum(c)) {
                out.push_back(static_cast<char>(std::tolower(c)));
                space = false;
            } else {
                put_space();
            }
            continue;
        }
        if ((c == 0xD0 || c == 0xD1) && i + 1 < s.size()) {
            auto d = static_cast<unsigned char>(s[i + 1]);
            ++i;
            unsigned cp = ((c & 0x1F) << 6) | (d & 0x3F);
            if (cp >= 0x410 && cp <= 0x42F) cp += 0x20;
            if (cp == 0x401 || cp == 0x451) cp = 0x435;
            if (cp >= 0x430 && cp <= 0x44F) {
                out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
                out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
                space = false;
            } else {
                put_space();
            }
            continue;
        }
        // Other multi-byte characters: kept as they are.
        out.push_back(static_cast<char>(c));
        space = false;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// Code points of a UTF-8 string (for edit distance counted in characters).
std::vector<char32_t> Chars(std::string_view s) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = n == 1 ? c : (c & (0x3F >> (n - 1)));
        for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += static_cast<std::size_t>(n);
    }
    return out;
}

double Similarity(std::string_view a, std::string_view b) {
    const auto x = Chars(a), y = Chars(b);
    if (x.empty() || y.empty()) return 0;
    std::vector<std::size_t> prev(y.size() + 1), cur(y.size() + 1);
    for (std::size_t j = 0; j <= y.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= x.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= y.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return 1.0 - static_cast<double>(prev[y.size()]) / static_cast<double>(std::max(x.size(), y.size()));
}

using Synonyms = std::vector<std::pair<std::string, std::vector<std::string>>>;

const Synonyms& PointSynonyms() {
    static const Synonyms k = {
        {"phone_work", {"рабочий телефон", "телефон рабочий", "work phone", "business phone"}},
        {"phone_mobile", {"мобильный телефон", "мобильный", "сотовый", "mobile", "mobile phone", "cell phone"}},
        {"phone_home", {"домашний телефон", "home phone"}},
        {"phone", {"телефон", "телефоны", "тел", "phone", "phones", "telephone", "другой телефон", "номер телефона"}},
        {"email_work", {"рабочий e mail", "рабочий email", "рабочая почта", "work email", "work e mail"}},
        {"email_personal", {"личный e mail", "личный email", "частный e mail", "частный email", "personal email"}},
        {"email", {"e mail", "email", "почта", "электронная почта", "mail", "другой e mail", "emails"}},
    };
    return k;
}

const Synonyms& SynonymsOf(Entity e) {
    static const Synonyms company = [] {
        Synonyms s = {
            {"name",
             {"название", "название компании", "компания", "наименование", "организация", "name", "company",
              "company name", "organization"}},
            {"legal_form", {"форма", "опф", "организационно правовая форма", "тип компании", "legal form"}},
            {"inn", {"инн", "inn", "tax id", "инн компании"}},
            {"kpp", {"кпп", "kpp"}},
            {"ogrn", {"огрн", "огрнип", "ogrn"}},
            {"address", {"адрес", "фактический адрес", "address", "actual address"}},
            {"legal_address", {"юридический адрес", "legal address"}},
            {"website", {"сайт", "веб сайт", "web", "website", "url"}},
            {"owner_email", {"ответственный", "менеджер", "owner", "responsible", "email ответственного"}},
            {"tags", {"теги", "метки", "tags"}},
            {"notes", {"комментарий", "примечание", "описание", "notes", "comment", "comments"}},
        };
        s.insert(s.end(), PointSynonyms().begin(), PointSynonyms().end());
        return s;
    }();
    static const Synonyms contact = [] {
        Synonyms s = {
            {"full_name",
             {"фио", "полное имя", "полное имя контакта", "имя контакта", "контакт", "контактное лицо", "full name",
              "name", "contact"}},
            {"last_name", {"фамилия", "last name", "surname", "family name"}},
            {"first_name", {"имя", "first name", "given name"}},
            {"middle_name", {"отчество", "middle name", "patronymic"}},
            {"company_name", {"компания", "название компании", "организация", "company", "company name"}},
            {"company_inn", {"инн", "инн компании", "inn", "company inn"}},
            {"position", {"должность", "должность контакт", "position", "job title", "title"}},
            {"birthday", {"дата рождения", "день рождения", "birthday", "birth date", "date of birth"}},
            {"owner_email", {"ответственный", "менеджер", "owner", "responsible"}},
            {"tags", {"теги", "метки", "tags"}},
            {"notes", {"комментарий", "примечание", "описание", "notes", "comment"}},
        };
        s.insert(s.end(), PointSynonyms().begin(), PointSynonyms().end());
        return s;
    }();
    static const Synonyms lead = [] {
        Synonyms s = {
            {"title", {"название лида", "название сделки", "название", "лид", "title", "lead", "lead title"}},
            {"request_text",
             {"текст заявки", "заявка", "запрос", "сообщение", "комментарий", "описание", "request", "message",
              "comment"}},
            {"contact_name",
             {"имя", "фио", "контакт", "контактное лицо", "полное имя контакта", "name", "contact", "contact name"}},
            {"company_name", {"компания", "название компании", "организация", "company"}},
            {"inn", {"инн", "inn"}},
            {"source", {"источник", "канал", "source", "channel"}},
            {"utm_source", {"utm source"}},
            {"utm_medium", {"utm medium"}},
            {"utm_campaign", {"utm campaign"}},
            {"utm_content", {"utm content"}},
            {"utm_term", {"utm term"}},
            {"owner_email", {"ответственный", "менеджер", "owner", "responsible"}},
        };
        s.insert(s.end(), PointSynonyms().begin(), PointSynonyms().end());
        return s;
    }();
    static const Synonyms deal(DealSynonyms().begin(), DealSynonyms().end());
    return e == Entity::kCompany ? company : e == Entity::kContact ? contact : e == Entity::kLead ? lead : deal;
}

bool IsRepeated(Entity e, const std::string& field) {
    for (const auto& f : TargetFields(e))
        if (f.code == field) return f.repeated;
    return false;
}

std::vector<std::string> SplitList(std::string_view s, std::string_view seps) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        auto b = cur.find_first_not_of(" \t");
        auto e = cur.find_last_not_of(" \t");
        if (b != std::string::npos) out.push_back(cur.substr(b, e - b + 1));
        cur.clear();
    };
    for (char c : s) {
        if (seps.find(c) != std::string_view::npos) {
            flush();
        } else {
            cur.push_back(c);
        }
    }
    flush();
    return out;
}

using core::Trim;

std::size_t CharLen(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

bool IsLeap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
bool ValidDay(int y, int m, int d) {
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1) return false;
    if (m == 2 && d == 29 && y > 0) return IsLeap(y);
    return d <= kDays[m - 1];
}

// "YYYY-MM-DD", "DD.MM.YYYY", "DD.MM" (and "YYYY-MM-DD HH:MM" from a spreadsheet) → "YYYY-MM-DD" or "MM-DD".
std::optional<std::string> ParseDay(const std::string& s) {
    int y = 0, m = 0, d = 0;
    char tail = 0;
    char buf[16];
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) >= 3 && s.size() >= 10 && s[4] == '-') {
        // fallthrough to the check below
    } else if (std::sscanf(s.c_str(), "%2d.%2d.%4d%c", &d, &m, &y, &tail) == 3 && s.size() == 10) {
    } else if (std::sscanf(s.c_str(), "%2d.%2d%c", &d, &m, &tail) == 2 && s.size() <= 5) {
        if (!ValidDay(0, m, d)) return std::nullopt;
        std::snprintf(buf, sizeof buf, "%02d-%02d", m, d);
        return std::string(buf);
    } else {
        return std::nullopt;
    }
    if (y < 1900 || y > 2100 || !ValidDay(y, m, d)) return std::nullopt;
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return std::string(buf);
}

std::string LabelOf(const std::string& field) {
    auto p = field.find('_');
    return p == std::string::npos ? (field == "phone" ? "work" : "work") : field.substr(p + 1);
}

}  // namespace

std::string_view EntityName(Entity e) {
    switch (e) {
        case Entity::kCompany: return "company";
        case Entity::kContact: return "contact";
        case Entity::kLead: return "lead";
        case Entity::kDeal: return "deal";
    }
    return "company";
}

std::optional<Entity> ParseEntity(std::string_view s) {
    if (s == "company" || s == "companies" || s == "clients") return Entity::kCompany;
    if (s == "contact" || s == "contacts") return Entity::kContact;
    if (s == "lead" || s == "leads") return Entity::kLead;
    if (s == "deal" || s == "deals") return Entity::kDeal;
    return std::nullopt;
}

std::string ObjectTypeOf(Entity e) {
    return e == Entity::kLead ? "lead" : e == Entity::kDeal ? "deal" : "client";
}

const std::vector<TargetField>& TargetFields(Entity e) {
    static const std::vector<TargetField> company = Join(
        {TargetField{"name", "Название", "Name"}, TargetField{"legal_form", "Форма (ООО, АО, ИП…)", "Legal form"},
         TargetField{"inn", "ИНН", "INN"}, TargetField{"kpp", "КПП", "KPP"}, TargetField{"ogrn", "ОГРН", "OGRN"},
         TargetField{"address", "Фактический адрес", "Address"},
         TargetField{"legal_address", "Юридический адрес", "Legal address"}, TargetField{"website", "Сайт", "Website"},
         TargetField{"owner_email", "Ответственный (e-mail)", "Owner (e-mail)"},
         TargetField{"tags", "Теги", "Tags", true}, TargetField{"notes", "Примечание", "Notes", true}},
        PointFields());
    static const std::vector<TargetField> contact = Join(
        {TargetField{"full_name", "ФИО", "Full name"}, TargetField{"last_name", "Фамилия", "Last name"},
         TargetField{"first_name", "Имя", "First name"}, TargetField{"middle_name", "Отчество", "Middle name"},
         TargetField{"company_name", "Компания", "Company"}, TargetField{"company_inn", "ИНН компании", "Company INN"},
         TargetField{"position", "Должность", "Position"}, TargetField{"birthday", "День рождения", "Birthday"},
         TargetField{"owner_email", "Ответственный (e-mail)", "Owner (e-mail)"},
         TargetField{"tags", "Теги", "Tags", true}, TargetField{"notes", "Примечание", "Notes", true}},
        PointFields());
    static const std::vector<TargetField> lead =
        Join({TargetField{"title", "Название", "Title"}, TargetField{"request_text", "Текст заявки", "Request", true},
              TargetField{"contact_name", "Имя контакта", "Contact name"},
              TargetField{"company_name", "Компания", "Company"}, TargetField{"inn", "ИНН", "INN"},
              TargetField{"source", "Источник", "Source"}, TargetField{"utm_source", "utm_source", "utm_source"},
              TargetField{"utm_medium", "utm_medium", "utm_medium"},
              TargetField{"utm_campaign", "utm_campaign", "utm_campaign"},
              TargetField{"utm_content", "utm_content", "utm_content"}, TargetField{"utm_term", "utm_term", "utm_term"},
              TargetField{"owner_email", "Ответственный (e-mail)", "Owner (e-mail)"}},
             PointFields());
    if (e == Entity::kDeal) return DealTargetFields();
    return e == Entity::kCompany ? company : e == Entity::kContact ? contact : lead;
}

bool IsTargetField(Entity e, std::string_view code) {
    if (code.rfind("custom.", 0) == 0) {
        if (e == Entity::kDeal) return false;  // deals have no custom fields to import into
        const std::string_view c = code.substr(7);
        if (c.empty() || c.size() > 50 || !(c[0] >= 'a' && c[0] <= 'z')) return false;
        return std::all_of(c.begin(), c.end(),
                           [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'; });
    }
    for (const auto& f : TargetFields(e))
        if (f.code == code) return true;
    return false;
}

const std::vector<BuiltinMapping>& BuiltinMappings() {
    static const std::vector<BuiltinMapping> k = {
        {"Bitrix24",
         Entity::kContact,
         {{"Имя", "first_name"},
          {"Фамилия", "last_name"},
          {"Отчество", "middle_name"},
          {"Дата рождения", "birthday"},
          {"Рабочий телефон", "phone_work"},
          {"Мобильный телефон", "phone_mobile"},
          {"Домашний телефон", "phone_home"},
          {"Другой телефон", "phone"},
          {"Рабочий e-mail", "email_work"},
          {"Частный e-mail", "email_personal"},
          {"Другой e-mail", "email"},
          {"Компания", "company_name"},
          {"Должность", "position"},
          {"Ответственный", "owner_email"},
          {"Комментарий", "notes"}}},
        {"Bitrix24",
         Entity::kCompany,
         {{"Название компании", "name"},
          {"Рабочий телефон", "phone_work"},
          {"Мобильный телефон", "phone_mobile"},
          {"Другой телефон", "phone"},
          {"Рабочий e-mail", "email_work"},
          {"Другой e-mail", "email"},
          {"Корпоративный сайт", "website"},
          {"Адрес", "address"},
          {"Юридический адрес", "legal_address"},
          {"ИНН", "inn"},
          {"КПП", "kpp"},
          {"ОГРН", "ogrn"},
          {"Ответственный", "owner_email"},
          {"Комментарий", "notes"}}},
        {"Bitrix24",
         Entity::kLead,
         {{"Название лида", "title"},
          {"Имя", "contact_name"},
          {"Рабочий телефон", "phone_work"},
          {"Мобильный телефон", "phone_mobile"},
          {"Рабочий e-mail", "email_work"},
          {"Частный e-mail", "email_personal"},
          {"Название компании", "company_name"},
          {"Источник", "source"},
          {"Комментарий", "request_text"},
          {"Ответственный", "owner_email"},
          {"UTM Source", "utm_source"},
          {"UTM Medium", "utm_medium"},
          {"UTM Campaign", "utm_campaign"},
          {"UTM Content", "utm_content"},
          {"UTM Term", "utm_term"}}},
        {"amoCRM",
         Entity::kContact,
         {{"Полное имя контакта", "full_name"},
          {"Имя", "first_name"},
          {"Фамилия", "last_name"},
          {"Компания", "company_name"},
          {"Должность (контакт)", "position"},
          {"Должность", "position"},
          {"Рабочий телефон", "phone_work"},
          {"Мобильный телефон", "phone_mobile"},
          {"Домашний телефон", "phone_home"},
          {"Другой телефон", "phone"},
          {"Рабочий email", "email_work"},
          {"Личный email", "email_personal"},
          {"Другой email", "email"},
          {"Ответственный", "owner_email"},
          {"Теги", "tags"},
          {"Примечание", "notes"}}},
        {"amoCRM",
         Entity::kCompany,
         {{"Название компании", "name"},
          {"Компания", "name"},
          {"Рабочий телефон", "phone_work"},
          {"Мобильный телефон", "phone_mobile"},
          {"Рабочий email", "email_work"},
          {"Другой email", "email"},
          {"Web", "website"},
          {"Адрес", "address"},
          {"ИНН", "inn"},
          {"Ответственный", "owner_email"},
          {"Теги", "tags"},
          {"Примечание", "notes"}}},
        {"amoCRM",
         Entity::kLead,
         {{"Название сделки", "title"},
          {"Полное имя контакта", "contact_name"},
          {"Компания", "company_name"},
          {"Рабочий телефон", "phone_work"},
          {"Мобильный телефон", "phone_mobile"},
          {"Рабочий email", "email_work"},
          {"Личный email", "email_personal"},
          {"Ответственный", "owner_email"},
          {"Источник", "source"},
          {"Примечание", "request_text"},
          {"utm_source", "utm_source"},
          {"utm_medium", "utm_medium"},
          {"utm_campaign", "utm_campaign"},
          {"utm_content", "utm_content"},
          {"utm_term", "utm_term"}}},
    };
    static const std::vector<BuiltinMapping> with_deals = [] {
        std::vector<BuiltinMapping> all = k;
        for (auto& m : DealBuiltinMappings()) all.push_back(std::move(m));
        return all;
    }();
    return with_deals;
}

ColumnMap SuggestMapping(Entity e, const std::vector<std::string>& headers) {
    struct Cand {
        double score;
        std::size_t header;
        std::string field;
    };
    std::vector<Cand> cands;
    for (std::size_t i = 0; i < headers.size(); ++i) {
        const std::string h = NormHeader(headers[i]);
        if (h.empty()) continue;
        std::string best_field;
        double best = 0;
        for (const auto& [field, words] : SynonymsOf(e)) {
            for (const auto& w : words) {
                double s = h == w ? 1.0 : Similarity(h, w);
                // "Телефон клиента", "E-mail (рабочий)": the synonym as whole words inside a longer header.
                if (s < 0.7 && (" " + h + " ").find(" " + w + " ") != std::string::npos) s = 0.7;
                if (s > best) {
                    best = s;
                    best_field = field;
                }
            }
        }
        if (best >= 0.7) cands.push_back({best, i, best_field});
    }
    std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) { return a.score > b.score; });
    ColumnMap out;
    std::set<std::string> taken;
    for (const auto& c : cands) {
        if (out.count(headers[c.header])) continue;
        if (!IsRepeated(e, c.field) && taken.count(c.field)) continue;
        taken.insert(c.field);
        out[headers[c.header]] = c.field;
    }
    return out;
}

std::vector<core::FieldError> CheckMapping(Entity e, const ColumnMap& columns) {
    std::vector<core::FieldError> errs;
    // Two headers may feed one field (exports name a column differently across versions): the first non-empty
    // value of a row wins for single fields.
    for (const auto& [header, field] : columns) {
        if (!field.empty() && !IsTargetField(e, field))
            errs.push_back({"columns/" + header, "not_a_target_field", field});
    }
    return errs;
}

std::vector<std::string> ResolveColumns(const ColumnMap& columns, const std::vector<std::string>& headers) {
    std::map<std::string, std::string> by_norm;
    for (const auto& [h, f] : columns) by_norm.emplace(NormHeader(h), f);
    std::vector<std::string> out(headers.size());
    for (std::size_t i = 0; i < headers.size(); ++i) {
        if (auto it = columns.find(headers[i]); it != columns.end()) {
            out[i] = it->second;
        } else if (auto jt = by_norm.find(NormHeader(headers[i])); jt != by_norm.end() && !jt->first.empty()) {
            out[i] = jt->second;
        }
    }
    return out;
}

std::string Record::First(const std::string& field) const {
    auto it = values.find(field);
    return it == values.end() || it->second.empty() ? std::string() : it->second.front();
}

Record MapRow(Entity e, const std::vector<std::string>& fields, const std::vector<std::string>& cells,
              std::vector<core::FieldError>& reasons) {
    Record r;
    std::set<std::string> reported;
    auto fail = [&](const std::string& field, const std::string& code, const std::string& param = {}) {
        if (reported.insert(field + "/" + code).second) reasons.push_back({field, code, param});
    };
    for (std::size_t i = 0; i < fields.size() && i < cells.size(); ++i) {
        const std::string& field = fields[i];
        if (field.empty()) continue;
        const std::string value = Trim(cells[i]);
        if (value.empty()) continue;
        if (field.rfind("phone", 0) == 0) {
            for (auto& raw : SplitList(value, ",;\n")) {
                auto p = clients::NormalizePhone(raw);
                if (!p) {
                    fail(field, "invalid_phone");
                    continue;
                }
                r.points.push_back({"phone", field == "phone" ? "work" : LabelOf(field), raw, p->e164});
                r.values[field].push_back(p->e164);
            }
            continue;
        }
        if (field.rfind("email", 0) == 0) {
            for (auto& raw : SplitList(value, ",;\n ")) {
                auto m = clients::NormalizeEmail(raw);
                if (!m) {
                    fail(field, "invalid_email");
                    continue;
                }
                r.points.push_back({"email", field == "email" ? "work" : LabelOf(field), raw, *m});
                r.values[field].push_back(*m);
            }
            continue;
        }
        if (field == "tags") {
            for (auto& t : SplitList(value, ",;")) r.values[field].push_back(t);
            continue;
        }
        if (field == "owner_email") {
            r.values[field].push_back(value);  // an e-mail or a person's name: resolved against the workspace
            continue;
        }
        const std::size_t limit = (field == "notes" || field == "request_text" || field.rfind("custom.", 0) == 0 ||
                                   field == "lines" || field == "loss_comment" || field == "checklist")
                                      ? kMaxText
                                      : kMaxName;
        if (CharLen(value) > limit) {
            fail(field, "too_long", std::to_string(limit));
            continue;
        }
        r.values[field].push_back(value);
    }
    // Deduplicate points inside the row (the same phone in two columns).
    std::set<std::string> seen;
    std::vector<Record::Point> points;
    for (auto& p : r.points)
        if (seen.insert(p.kind + p.value).second) points.push_back(std::move(p));
    r.points = std::move(points);

    auto check_digits = [&](const std::string& field, bool (*valid)(std::string_view), const char* code) {
        auto it = r.values.find(field);
        if (it == r.values.end()) return;
        for (auto& v : it->second) {
            const std::string d = clients::DigitsOnly(v);
            if (!valid(d) && !(field == "kpp" && clients::IsValidKpp(v))) {
                fail(field, code);
            } else if (field != "kpp") {
                v = d;
            }
        }
    };
    check_digits("inn", clients::IsValidInn, "invalid_inn");
    check_digits("company_inn", clients::IsValidInn, "invalid_inn");
    check_digits("kpp", clients::IsValidKpp, "invalid_kpp");
    check_digits("ogrn", clients::IsValidOgrn, "invalid_ogrn");

    switch (e) {
        case Entity::kCompany:
            if (r.First("name").empty()) fail("name", "required");
            break;
        case Entity::kContact: {
            if (r.First("last_name").empty() && r.First("first_name").empty()) {
                const auto parts = SplitList(r.First("full_name"), " ");
                if (parts.size() >= 3) {
                    r.values["last_name"] = {parts[0]};
                    r.values["first_name"] = {parts[1]};
                    std::string middle;
                    for (std::size_t i = 2; i < parts.size(); ++i) middle += (i > 2 ? " " : "") + parts[i];
                    r.values["middle_name"] = {middle};
                } else if (parts.size() == 2) {
                    r.values["last_name"] = {parts[0]};
                    r.values["first_name"] = {parts[1]};
                } else if (parts.size() == 1) {
                    r.values["first_name"] = {parts[0]};
                }
            }
            if (r.First("last_name").empty() && r.First("first_name").empty()) fail("full_name", "required");
            if (auto b = r.First("birthday"); !b.empty()) {
                if (auto d = ParseDay(b)) {
                    r.values["birthday"] = {*d};
                } else {
                    fail("birthday", "invalid_date");
                }
            }
            break;
        }
        case Entity::kLead:
            if (r.points.empty() && r.First("contact_name").empty() && r.First("request_text").empty() &&
                r.First("title").empty() && r.First("company_name").empty()) {
                fail("contact_name", "required");
            }
            break;
        case Entity::kDeal: break;  // ReadDealRow reads the values (mapping_deals.hpp)
    }
    return r;
}

std::string FoldName(std::string_view s) {
    return NormHeader(s);
}

std::string NeutraliseCell(std::string_view cell) {
    if (!cell.empty() &&
        (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' || cell[0] == '\r'))
        return "'" + std::string(cell);
    return std::string(cell);
}

std::string CsvLine(const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out.push_back(',');
        const std::string& c = cells[i];
        if (c.find_first_of(",\"\r\n;") == std::string::npos) {
            out += c;
            continue;
        }
        out.push_back('"');
        for (char ch : c) {
            if (ch == '"') out.push_back('"');
            out.push_back(ch);
        }
        out.push_back('"');
    }
    out += "\r\n";
    return out;
}

}  // namespace otdel::imports
