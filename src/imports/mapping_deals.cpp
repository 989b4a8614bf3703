#include "imports/mapping_deals.hpp"

#include <cctype>
#include <cstdio>

#include "core/text.hpp"
#include "org/absence.hpp"

namespace otdel::imports {
namespace {

// The deals room's ceiling for an amount (10^13 roubles in kopecks) and the catalog's for a quantity (a million
// units); values above them are refused here, before any arithmetic can overflow.
constexpr std::int64_t kMaxMoney = 1'000'000'000'000'000LL;
constexpr std::int64_t kMaxQuantityMilli = 1'000'000'000LL;

using core::Trim;

std::vector<std::string> Split(std::string_view s, std::string_view seps) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (seps.find(c) != std::string_view::npos) {
            out.push_back(Trim(cur));
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    out.push_back(Trim(cur));
    return out;
}

// Removes `token` from `s` when present (first occurrence); true when it was there.
bool Strip(std::string& s, std::string_view token) {
    auto pos = s.find(token);
    if (pos == std::string::npos) return false;
    s.erase(pos, token.size());
    return true;
}

// A decimal number with `max_decimals` places as an integer scaled by 10^max_decimals. Spaces (also no-break and
// thin ones) and apostrophes group thousands; of ',' and '.', the last one is the decimal mark when both appear; a
// single kind appearing once is the decimal mark unless exactly three digits follow it and the number has more
// (then it groups thousands, as in "1,234" — money and quantities never carry three decimals in such files).
std::optional<std::int64_t> ParseScaled(std::string_view in, int max_decimals, std::int64_t max_value) {
    std::string s;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const auto c = static_cast<unsigned char>(in[i]);
        if (c == ' ' || c == '\'' || c == '\t') continue;
        if (c == 0xC2 && i + 1 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0xA0) {  // U+00A0
            ++i;
            continue;
        }
        if (c == 0xE2 && i + 2 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0x80) {
            const auto d = static_cast<unsigned char>(in[i + 2]);
            if (d == 0xAF || d == 0x89 || d == 0x88) {  // U+202F, U+2009, U+2008
                i += 2;
                continue;
            }
        }
        if (!std::isdigit(c) && c != ',' && c != '.') return std::nullopt;
        s.push_back(static_cast<char>(c));
    }
    if (s.empty()) return std::nullopt;
    const auto last_comma = s.rfind(','), last_dot = s.rfind('.');
    std::size_t mark = std::string::npos;
    if (last_comma != std::string::npos && last_dot != std::string::npos) {
        mark = std::max(last_comma, last_dot);
    } else {
        const char sep = last_comma != std::string::npos ? ',' : '.';
        const auto first = s.find(sep), last = s.rfind(sep);
        if (first != std::string::npos && first == last) {
            const std::size_t after = s.size() - first - 1;
            if (!(after == 3 && first > 0 && max_decimals < 3)) mark = first;
        }
    }
    std::string whole, frac;
    // Digits since the last ',' or '.' grouping thousands (-1: none yet): exactly three each ("1,5.5" is no number).
    int group = -1;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool sep = s[i] == ',' || s[i] == '.';
        if (sep || i == mark) {
            if (group >= 0 && group != 3) return std::nullopt;
            group = -1;
            if (i == mark) continue;
            if (mark != std::string::npos && i > mark) return std::nullopt;  // a group mark after the decimal one
            group = 0;
            continue;
        }
        if (group >= 0) ++group;
        (mark != std::string::npos && i > mark ? frac : whole).push_back(s[i]);
    }
    if (group >= 0 && group != 3) return std::nullopt;
    if (static_cast<int>(frac.size()) > max_decimals) return std::nullopt;
    if (whole.empty() && frac.empty()) return std::nullopt;
    std::int64_t scale = 1;
    for (int i = 0; i < max_decimals; ++i) scale *= 10;
    std::int64_t v = 0;
    for (char c : whole) {
        if (v > max_value / 10) return std::nullopt;
        v = v * 10 + (c - '0');
    }
    if (v > max_value / scale) return std::nullopt;
    v *= scale;
    std::int64_t f = 0;
    for (int i = 0; i < max_decimals; ++i) f = f * 10 + (i < static_cast<int>(frac.size()) ? frac[i] - '0' : 0);
    if (v > max_value - f) return std::nullopt;
    return v + f;
}

// "HH:MM" or "HH:MM:SS" → seconds of the day.
std::optional<int> ParseTime(std::string_view t) {
    int h = 0, m = 0, s = 0;
    char tail = 0;
    const std::string text(t);
    const int n = std::sscanf(text.c_str(), "%2d:%2d:%2d%c", &h, &m, &s, &tail);
    if (n < 2 || n > 3 || h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) return std::nullopt;
    if (n == 2 && text.size() > 5) return std::nullopt;
    return h * 3600 + m * 60 + s;
}

}  // namespace

std::string LocalStamp::Day() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

const std::vector<TargetField>& DealTargetFields() {
    static const std::vector<TargetField> k = {
        TargetField{"title", "Название сделки", "Deal title"},
        TargetField{"external_id", "ID сделки в прежней системе (повторный импорт обновит её)",
                    "Deal ID in the previous system (a re-import updates the deal)"},
        TargetField{"pipeline", "Воронка", "Pipeline"},
        TargetField{"stage", "Этап", "Stage"},
        TargetField{"status", "Статус (в работе, успешна, проиграна)", "Status (open, won, lost)"},
        TargetField{"owner_email", "Ответственный (e-mail или ФИО)", "Owner (e-mail or full name)"},
        TargetField{"company_name", "Компания", "Company"},
        TargetField{"company_inn", "ИНН компании", "Company INN"},
        TargetField{"contact_name", "Контакт (ФИО)", "Contact (full name)"},
        TargetField{"contact_phone", "Телефон контакта", "Contact phone"},
        TargetField{"contact_email", "E-mail контакта", "Contact e-mail"},
        TargetField{"amount", "Сумма", "Amount"},
        TargetField{"currency", "Валюта", "Currency"},
        TargetField{"created_at", "Дата создания (начала работы)", "Created (engaged) on"},
        TargetField{"closed_at", "Дата закрытия", "Closed on"},
        TargetField{"expected_close_date", "Ожидаемая дата закрытия", "Expected close date"},
        TargetField{"loss_reason", "Причина проигрыша", "Loss reason"},
        TargetField{"loss_comment", "Комментарий к проигрышу", "Loss comment"},
        TargetField{"checklist", "Отмеченные пункты чек-листа", "Ticked checklist items"},
        TargetField{"lines", "Товары (товар;количество;цена)", "Products (product;quantity;price)", true},
        TargetField{"product", "Товар (артикул или название)", "Product (SKU or name)"},
        TargetField{"quantity", "Количество", "Quantity"},
        TargetField{"price", "Цена", "Price"},
    };
    return k;
}

const std::vector<std::pair<std::string, std::vector<std::string>>>& DealSynonyms() {
    static const std::vector<std::pair<std::string, std::vector<std::string>>> k = {
        {"title", {"название сделки", "сделка", "название", "title", "deal", "deal name", "deal title", "name"}},
        {"external_id", {"id", "id сделки", "ид сделки", "внешний id", "external id", "deal id", "record id"}},
        {"contact_name", {"контакт", "основной контакт", "контактное лицо", "contact", "contact name"}},
        {"contact_phone",
         {"телефон", "телефон контакта", "рабочий телефон", "рабочий телефон контакт", "phone", "contact phone"}},
        {"contact_email",
         {"email", "e mail", "email контакта", "рабочий email", "рабочий email контакт", "contact email"}},
        {"pipeline", {"воронка", "направление", "pipeline", "funnel", "sales pipeline"}},
        {"stage", {"этап", "этап сделки", "стадия", "стадия сделки", "stage", "deal stage"}},
        {"status", {"статус", "статус сделки", "результат", "status", "outcome"}},
        {"owner_email", {"ответственный", "менеджер", "owner", "responsible", "assigned to", "deal owner"}},
        {"company_name",
         {"компания", "клиент", "название компании", "организация", "company", "client", "account", "company name"}},
        {"company_inn", {"инн", "инн компании", "inn", "company inn"}},
        {"amount", {"сумма", "бюджет", "сумма сделки", "amount", "budget", "value", "deal amount"}},
        {"currency", {"валюта", "currency"}},
        {"created_at",
         {"дата создания", "дата начала", "создана", "created", "created at", "date created", "start date"}},
        {"closed_at", {"дата закрытия", "дата завершения", "closed at", "close date", "closed on"}},
        {"expected_close_date",
         {"предполагаемая дата закрытия", "ожидаемая дата закрытия", "expected close date", "expected close"}},
        {"loss_reason", {"причина отказа", "причина проигрыша", "причина", "loss reason", "lost reason"}},
        {"loss_comment", {"комментарий к отказу", "комментарий к проигрышу", "loss comment"}},
        {"checklist", {"чек лист", "чеклист", "checklist"}},
        {"lines", {"товары", "позиции", "products", "line items", "items"}},
        {"product", {"товар", "продукт", "артикул", "product", "sku"}},
        {"quantity", {"количество", "кол во", "quantity", "qty"}},
        {"price", {"цена", "цена за единицу", "price", "unit price"}},
    };
    return k;
}

std::vector<BuiltinMapping> DealBuiltinMappings() {
    return {
        {"Bitrix24",
         Entity::kDeal,
         {{"ID", "external_id"},
          {"Название сделки", "title"},
          {"Название", "title"},
          {"Контакт", "contact_name"},
          {"Рабочий телефон", "contact_phone"},
          {"Рабочий e-mail", "contact_email"},
          {"Воронка", "pipeline"},
          {"Направление", "pipeline"},
          {"Стадия сделки", "stage"},
          {"Стадия", "stage"},
          {"Сумма", "amount"},
          {"Валюта", "currency"},
          {"Ответственный", "owner_email"},
          {"Компания", "company_name"},
          {"ИНН", "company_inn"},
          {"Дата начала", "created_at"},
          {"Дата создания", "created_at"},
          {"Дата завершения", "closed_at"},
          {"Предполагаемая дата закрытия", "expected_close_date"},
          {"Причина проигрыша", "loss_reason"},
          {"Товары", "lines"}}},
        {"amoCRM",
         Entity::kDeal,
         {{"ID", "external_id"},
          {"Название сделки", "title"},
          {"Бюджет", "amount"},
          {"Основной контакт", "contact_name"},
          {"Рабочий телефон (контакт)", "contact_phone"},
          {"Рабочий email (контакт)", "contact_email"},
          {"Валюта", "currency"},
          {"Ответственный", "owner_email"},
          {"Воронка", "pipeline"},
          {"Этап сделки", "stage"},
          {"Этап", "stage"},
          {"Компания", "company_name"},
          {"ИНН", "company_inn"},
          {"Дата создания", "created_at"},
          {"Дата закрытия", "closed_at"},
          {"Причина отказа", "loss_reason"},
          {"Товары", "lines"}}},
    };
}

std::optional<std::int64_t> ParseMoney(std::string_view text, std::string* currency) {
    std::string s = Trim(text);
    if (s.empty()) return std::nullopt;
    std::string found;
    // Symbols and words of the currencies such files carry; the longest spelling first so "руб." goes whole.
    static const std::pair<const char*, const char*> kMarks[] = {
        {"\xE2\x82\xBD", "RUB"}, {"руб.", "RUB"}, {"руб", "RUB"}, {"р.", "RUB"}, {"$", "USD"}, {"\xE2\x82\xAC", "EUR"},
    };
    for (const auto& [mark, code] : kMarks) {
        if (Strip(s, mark)) {
            found = code;
            break;
        }
    }
    s = Trim(s);
    // Three capital Latin letters before or after the number: an ISO code ("RUB 1 000", "1000 USD").
    if (found.empty() && s.size() > 3) {
        auto code_at = [&](std::size_t pos) {
            return std::isupper(static_cast<unsigned char>(s[pos])) &&
                   std::isupper(static_cast<unsigned char>(s[pos + 1])) &&
                   std::isupper(static_cast<unsigned char>(s[pos + 2]));
        };
        if (code_at(s.size() - 3)) {
            found = s.substr(s.size() - 3);
            s = Trim(s.substr(0, s.size() - 3));
        } else if (code_at(0)) {
            found = s.substr(0, 3);
            s = Trim(s.substr(3));
        }
        if (found == "RUR") found = "RUB";
    }
    auto v = ParseScaled(s, 2, kMaxMoney);
    if (!v) return std::nullopt;
    if (currency) *currency = found;
    return v;
}

std::optional<std::int64_t> ParseQuantityMilli(std::string_view text) {
    return ParseScaled(Trim(text), 3, kMaxQuantityMilli);
}

std::optional<LocalStamp> ParseStamp(std::string_view in) {
    const std::string s = Trim(in);
    LocalStamp st;
    std::size_t rest = 0;
    if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
        if (std::sscanf(s.c_str(), "%4d-%2d-%2d", &st.year, &st.month, &st.day) != 3) return std::nullopt;
        rest = 10;
    } else if (s.size() >= 10 && s[2] == '.' && s[5] == '.') {
        if (std::sscanf(s.c_str(), "%2d.%2d.%4d", &st.day, &st.month, &st.year) != 3) return std::nullopt;
        rest = 10;
    } else {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < rest; ++i)
        if (i != 2 && i != 4 && i != 5 && i != 7 && !std::isdigit(static_cast<unsigned char>(s[i])))
            return std::nullopt;
    if (st.year < 1900 || st.year > 2100 || !org::IsValidDate(st.Day())) return std::nullopt;
    if (rest < s.size()) {
        if (s[rest] != ' ' && s[rest] != 'T') return std::nullopt;
        auto t = ParseTime(Trim(std::string_view(s).substr(rest + 1)));
        if (!t) return std::nullopt;
        st.seconds = *t;
    }
    return st;
}

std::optional<DealStatus> ParseDealStatus(std::string_view word) {
    const std::string w = FoldName(word);  // case, ё/е and punctuation as names are compared
    static const char* kWon[] = {
        "успешна",         "успешно", "успех", "выиграна",  "выиграно", "сделка успешна", "успешно реализовано",
        "закрыта успешно", "won",     "win",   "closed won"};
    static const char* kLost[] = {"проиграна",
                                  "проиграно",
                                  "провалена",
                                  "провал",
                                  "сделка провалена",
                                  "отказ",
                                  "закрыто и не реализовано",
                                  "не реализовано",
                                  "lost",
                                  "loss",
                                  "closed lost"};
    static const char* kOpen[] = {"в работе", "открыта", "активна", "open", "in progress", "active"};
    for (const char* x : kWon)
        if (w == x) return DealStatus::kWon;
    for (const char* x : kLost)
        if (w == x) return DealStatus::kLost;
    for (const char* x : kOpen)
        if (w == x) return DealStatus::kOpen;
    return std::nullopt;
}

std::optional<std::vector<DealLineText>> ParseLines(std::string_view cell) {
    std::vector<DealLineText> out;
    for (const auto& line : Split(cell, "\n|")) {
        if (line.empty()) continue;
        const auto parts = Split(line, ";\t");
        if (parts.size() > 3 || parts[0].empty()) return std::nullopt;
        DealLineText l;
        l.product = parts[0];
        l.quantity_milli = 1000;
        if (parts.size() > 1 && !parts[1].empty()) {
            auto q = ParseQuantityMilli(parts[1]);
            if (!q || *q == 0) return std::nullopt;
            l.quantity_milli = *q;
        }
        if (parts.size() > 2 && !parts[2].empty()) {
            auto p = ParseMoney(parts[2]);
            if (!p) return std::nullopt;
            l.unit_price_minor = *p;
        }
        out.push_back(std::move(l));
    }
    return out;
}

DealRow ReadDealRow(const Record& r, std::vector<core::FieldError>& reasons) {
    DealRow d;
    auto fail = [&](const std::string& field, const std::string& code, const std::string& param = {}) {
        reasons.push_back({field, code, param});
    };
    d.title = r.First("title");
    if (d.title.empty()) fail("title", "required");
    d.pipeline = r.First("pipeline");
    d.stage = r.First("stage");
    d.owner = r.First("owner_email");
    d.company_name = r.First("company_name");
    d.company_inn = r.First("company_inn");
    d.loss_reason = r.First("loss_reason");
    d.loss_comment = r.First("loss_comment");
    d.external_id = r.First("external_id");
    if (d.external_id.size() > 200) fail("external_id", "too_long", "200");
    d.contact_name = r.First("contact_name");
    d.contact_phone = r.First("contact_phone");
    d.contact_email = r.First("contact_email");
    if (auto s = r.First("status"); !s.empty()) {
        d.status = ParseDealStatus(s);
        if (!d.status) fail("status", "invalid_status", s);
    }
    std::string amount_currency;
    if (auto a = r.First("amount"); !a.empty()) {
        d.amount_minor = ParseMoney(a, &amount_currency);
        if (!d.amount_minor) fail("amount", "invalid_amount", a);
    }
    if (auto c = r.First("currency"); !c.empty()) {
        for (auto& ch : c) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        std::string code;
        // «руб.», «₽», «RUR» and «RUB» alike: the money reader knows the spellings.
        if (ParseMoney("0 " + c, &code) && !code.empty()) {
            d.currency = code;
        } else {
            fail("currency", "invalid_currency", c);
        }
    } else {
        d.currency = amount_currency;
    }
    for (const auto& [field, slot] :
         {std::pair<const char*, std::optional<LocalStamp>*>{"created_at", &d.created}, {"closed_at", &d.closed}}) {
        if (auto v = r.First(field); !v.empty()) {
            *slot = ParseStamp(v);
            if (!*slot) fail(field, "invalid_date", v);
        }
    }
    if (auto v = r.First("expected_close_date"); !v.empty()) {
        if (auto st = ParseStamp(v)) {
            d.expected_close_date = st->Day();
        } else {
            fail("expected_close_date", "invalid_date", v);
        }
    }
    // By day: a close date without a time on the day the deal was created is not before it.
    if (d.created && d.closed && d.closed->Day() < d.created->Day()) fail("closed_at", "before_start");
    if (auto c = r.First("checklist"); !c.empty())
        for (auto& item : Split(c, ";,\n"))
            if (!item.empty()) d.checklist.push_back(std::move(item));
    if (auto it = r.values.find("lines"); it != r.values.end()) {
        for (const auto& cell : it->second) {
            auto lines = ParseLines(cell);
            if (!lines) {
                fail("lines", "invalid_line", cell);
                continue;
            }
            d.lines.insert(d.lines.end(), lines->begin(), lines->end());
        }
    }
    const std::string product = r.First("product"), quantity = r.First("quantity"), price = r.First("price");
    if (!product.empty()) {
        DealLineText l;
        l.product = product;
        l.quantity_milli = 1000;
        if (!quantity.empty()) {
            auto q = ParseQuantityMilli(quantity);
            if (!q || *q == 0) {
                fail("quantity", "invalid_quantity", quantity);
            } else {
                l.quantity_milli = *q;
            }
        }
        if (!price.empty()) {
            l.unit_price_minor = ParseMoney(price);
            if (!l.unit_price_minor) fail("price", "invalid_amount", price);
        }
        d.lines.push_back(std::move(l));
    } else if (!quantity.empty() || !price.empty()) {
        fail("product", "required");
    }
    return d;
}

}  // namespace otdel::imports
