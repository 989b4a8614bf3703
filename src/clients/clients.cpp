#include "clients/clients.hpp"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>

#include "clients/normalize.hpp"

namespace otdel::clients {
namespace {

bool AllDigits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

bool IsLeap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool ValidMonthDay(int y, int m, int d) {
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1) return false;
    if (m == 2 && y > 0 && !IsLeap(y)) return d <= 28;
    return d <= kDays[m - 1];
}

int Num(const std::string& s, std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool IsIsoDate(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    int y = Num(s, 0, 4), m = Num(s, 5, 2), d = Num(s, 8, 2);
    return y >= 1900 && y <= 2100 && ValidMonthDay(y, m, d);
}

std::size_t Utf8Length(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

bool IsEmptyValue(const std::string& v) {
    return v.empty() || v == "null" || v == "\"\"" || v == "[]";
}

}  // namespace

std::string FullName(const std::string& last, const std::string& first, const std::string& middle) {
    std::string out;
    for (const std::string* p : {&last, &first, &middle}) {
        if (p->empty()) continue;
        if (!out.empty()) out += ' ';
        out += *p;
    }
    return out;
}

std::vector<core::FieldError> CheckRequisites(const Company& c) {
    std::vector<core::FieldError> errs;
    const bool ip = c.legal_form == "ip";
    if (c.inn) {
        if (!IsValidInn(*c.inn)) {
            errs.push_back({"inn", "invalid_inn", ""});
        } else if (ip && c.inn->size() != 12) {
            errs.push_back({"inn", "inn_for_ip", ""});
        } else if (!ip && !c.legal_form.empty() && c.legal_form != "other" && c.inn->size() != 10) {
            errs.push_back({"inn", "inn_for_org", ""});
        }
    }
    if (c.kpp) {
        if (!IsValidKpp(*c.kpp)) {
            errs.push_back({"kpp", "invalid_kpp", ""});
        } else if (ip) {
            errs.push_back({"kpp", "kpp_for_ip", ""});
        }
    }
    if (c.ogrn) {
        if (!IsValidOgrn(*c.ogrn)) {
            errs.push_back({"ogrn", "invalid_ogrn", ""});
        } else if (ip && c.ogrn->size() != 15) {
            errs.push_back({"ogrn", "ogrn_for_ip", ""});
        }
    }
    const BankDetails& b = c.bank;
    if (!b.bik.empty() && !IsValidBik(b.bik)) errs.push_back({"bank_details/bik", "invalid_bik", ""});
    if (!b.account.empty()) {
        if (b.bik.empty()) {
            errs.push_back({"bank_details/bik", "required", ""});
        } else if (IsValidBik(b.bik) && !IsValidAccount(b.account, b.bik)) {
            errs.push_back({"bank_details/account", "invalid_account", ""});
        }
    }
    if (!b.corr_account.empty()) {
        if (b.bik.empty()) {
            if (b.account.empty()) errs.push_back({"bank_details/bik", "required", ""});
        } else if (IsValidBik(b.bik) && !IsValidCorrAccount(b.corr_account, b.bik)) {
            errs.push_back({"bank_details/corr_account", "invalid_account", ""});
        }
    }
    return errs;
}

bool IsValidBirthday(const std::string& s) {
    if (IsIsoDate(s)) return true;
    std::string md = s;
    if (md.size() == 7 && md.rfind("--", 0) == 0) md = md.substr(2);
    if (md.size() != 5 || md[2] != '-') return false;
    return ValidMonthDay(0, Num(md, 0, 2), Num(md, 3, 2));
}

std::string_view FieldKindName(FieldKind k) {
    switch (k) {
        case FieldKind::kText: return "text";
        case FieldKind::kNumber: return "number";
        case FieldKind::kMoney: return "money";
        case FieldKind::kDate: return "date";
        case FieldKind::kChoice: return "choice";
        case FieldKind::kMultiChoice: return "multi_choice";
    }
    return "text";
}

std::optional<FieldKind> ParseFieldKind(std::string_view s) {
    for (FieldKind k : {FieldKind::kText, FieldKind::kNumber, FieldKind::kMoney, FieldKind::kDate, FieldKind::kChoice,
                        FieldKind::kMultiChoice})
        if (FieldKindName(k) == s) return k;
    return std::nullopt;
}

bool IsValidFieldCode(const std::string& code) {
    if (code.empty() || code.size() > 50 || code[0] < 'a' || code[0] > 'z') return false;
    return std::all_of(code.begin(), code.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::vector<core::FieldError> CheckCustomValues(const std::vector<CustomField>& fields,
                                                const std::map<std::string, CustomValue>& values, bool check_required) {
    std::vector<core::FieldError> errs;
    std::map<std::string, const CustomField*> active;
    for (const auto& f : fields)
        if (!f.archived_at) active[f.code] = &f;
    auto has_option = [](const CustomField& f, const std::string& v) {
        return std::any_of(f.options.begin(), f.options.end(), [&](const FieldOption& o) { return o.value == v; });
    };
    for (const auto& [code, v] : values) {
        const std::string name = "custom/" + code;
        auto it = active.find(code);
        if (it == active.end()) {
            errs.push_back({name, "unknown_field", ""});
            continue;
        }
        const CustomField& f = *it->second;
        using T = CustomValue::Type;
        if (v.type == T::kNull) continue;
        switch (f.kind) {
            case FieldKind::kText:
                if (v.type != T::kString) {
                    errs.push_back({name, "wrong_type", "string"});
                } else if (Utf8Length(v.text) > 2000) {
                    errs.push_back({name, "too_long", "2000"});
                }
                break;
            case FieldKind::kNumber:
                if (v.type != T::kInteger && !(v.type == T::kDecimal && std::isfinite(v.decimal)))
                    errs.push_back({name, "wrong_type", "number"});
                break;
            case FieldKind::kMoney:
                if (v.type != T::kInteger) {
                    errs.push_back({name, "wrong_type", "integer (minor units)"});
                } else if (v.integer < 0) {
                    errs.push_back({name, "out_of_range", ">= 0"});
                }
                break;
            case FieldKind::kDate:
                if (v.type != T::kString || !IsIsoDate(v.text)) errs.push_back({name, "invalid_date", ""});
                break;
            case FieldKind::kChoice:
                if (v.type != T::kString) {
                    errs.push_back({name, "wrong_type", "string"});
                } else if (!v.text.empty() && !has_option(f, v.text)) {
                    errs.push_back({name, "not_an_option", v.text});
                }
                break;
            case FieldKind::kMultiChoice: {
                if (v.type != T::kStrings) {
                    errs.push_back({name, "wrong_type", "array of strings"});
                    break;
                }
                std::set<std::string> seen;
                for (const auto& s : v.strings) {
                    if (!has_option(f, s)) {
                        errs.push_back({name, "not_an_option", s});
                        break;
                    }
                    if (!seen.insert(s).second) {
                        errs.push_back({name, "duplicate", s});
                        break;
                    }
                }
                break;
            }
        }
    }
    if (check_required) {
        for (const auto& [code, f] : active) {
            if (!f->required || f->required_from_stage_id) continue;
            auto it = values.find(code);
            bool empty = it == values.end();
            if (!empty) {
                const CustomValue& v = it->second;
                empty = v.type == CustomValue::Type::kNull ||
                        (v.type == CustomValue::Type::kString && v.text.empty()) ||
                        (v.type == CustomValue::Type::kStrings && v.strings.empty());
            }
            if (empty) errs.push_back({"custom/" + code, "required", ""});
        }
    }
    return errs;
}

std::vector<core::FieldError> CheckFieldDefinition(const CustomField& f) {
    std::vector<core::FieldError> errs;
    if (!IsValidFieldCode(f.code)) errs.push_back({"code", "invalid_code", ""});
    if (f.entity != "company" && f.entity != "contact" && f.entity != "lead")
        errs.push_back({"entity", "not_one_of", "company, contact, lead"});
    const bool choice = f.kind == FieldKind::kChoice || f.kind == FieldKind::kMultiChoice;
    if (choice) {
        if (f.options.empty() || f.options.size() > 100) errs.push_back({"options", "out_of_range", "1..100"});
        std::set<std::string> seen;
        for (std::size_t i = 0; i < f.options.size(); ++i) {
            const auto& o = f.options[i];
            const std::string at = "options/" + std::to_string(i);
            if (o.value.empty() || o.value.size() > 100) errs.push_back({at + "/value", "invalid", ""});
            if (!seen.insert(o.value).second) errs.push_back({at + "/value", "duplicate", o.value});
            if (o.label_ru.empty()) errs.push_back({at + "/label_ru", "required", ""});
            if (o.label_en.empty()) errs.push_back({at + "/label_en", "required", ""});
        }
    } else if (!f.options.empty()) {
        errs.push_back({"options", "options_not_allowed", ""});
    }
    return errs;
}

MergePlan PlanMerge(const std::vector<ContactPoint>& survivor_points, const std::vector<ContactPoint>& absorbed_points,
                    const std::vector<std::string>& survivor_tags, const std::vector<std::string>& absorbed_tags,
                    const std::map<std::string, std::string>& survivor_custom,
                    const std::map<std::string, std::string>& absorbed_custom) {
    MergePlan plan;
    std::set<std::pair<std::string, std::string>> have;
    for (const auto& p : survivor_points) have.insert({p.kind, p.value});
    for (const auto& p : absorbed_points) {
        if (have.insert({p.kind, p.value}).second) {
            plan.move_points.push_back(p.id);
        } else {
            plan.drop_points.push_back(p.id);
        }
    }
    std::set<std::string> tags;
    for (const auto* list : {&survivor_tags, &absorbed_tags})
        for (const auto& t : *list)
            if (tags.insert(t).second) plan.tags.push_back(t);
    plan.custom = survivor_custom;
    for (const auto& [code, v] : absorbed_custom) {
        auto it = plan.custom.find(code);
        if (it == plan.custom.end() || IsEmptyValue(it->second)) {
            if (!IsEmptyValue(v)) plan.custom[code] = v;
        }
    }
    return plan;
}

std::string FoldCase(const std::string& text) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
    u.foldCase();
    std::string out;
    u.toUTF8String(out);
    return out;
}

std::vector<std::string> SearchTokens(const std::string& text) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
    u.foldCase();
    std::vector<std::string> out;
    std::string cur;
    const UChar* buf = u.getBuffer();
    const int32_t len = u.length();
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U16_NEXT(buf, i, len, c);
        if (u_isalnum(c)) {
            // UTF-8 of the code point (an alphanumeric is never a lone surrogate), as toUTF8String would write it.
            char bytes[U8_MAX_LENGTH];
            int32_t n = 0;
            U8_APPEND_UNSAFE(bytes, n, c);
            cur.append(bytes, static_cast<std::size_t>(n));
        } else if (!cur.empty()) {
            out.push_back(std::move(cur));
            cur.clear();
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

}  // namespace otdel::clients
