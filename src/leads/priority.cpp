#include "leads/priority.hpp"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace otdel::leads {
namespace {

enum class TokKind { kWord, kNumber, kSymbol };

struct Token {
    TokKind kind;
    std::string text;
};

bool StartsWith(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool StartsWithAny(std::string_view s, std::initializer_list<std::string_view> prefixes) {
    for (auto p : prefixes)
        if (StartsWith(s, p)) return true;
    return false;
}

bool OneOf(std::string_view s, std::initializer_list<std::string_view> words) {
    return std::find(words.begin(), words.end(), s) != words.end();
}

// Words, numbers (digits with inner '.' or ',') and the currency signs; everything else separates. A change
// between letters and digits also separates ("300k" -> "300", "k"; "5тыс" -> "5", "тыс").
std::vector<Token> Tokenize(const std::string& folded) {
    std::vector<Token> out;
    const auto* s = reinterpret_cast<const uint8_t*>(folded.data());
    const int32_t n = static_cast<int32_t>(folded.size());
    int32_t i = 0;
    std::optional<Token> cur;
    auto flush = [&] {
        if (cur) {
            // A trailing separator is not part of a number ("15." at the end of a sentence).
            while (cur->kind == TokKind::kNumber && !cur->text.empty() &&
                   (cur->text.back() == '.' || cur->text.back() == ','))
                cur->text.pop_back();
            out.push_back(std::move(*cur));
            cur.reset();
        }
    };
    while (i < n) {
        const int32_t start = i;
        UChar32 c = 0;
        U8_NEXT(s, i, n, c);
        std::string piece(folded.data() + start, folded.data() + i);
        if (c < 0) {
            flush();
            continue;
        }
        if (u_isdigit(c)) {
            if (cur && cur->kind != TokKind::kNumber) flush();
            if (!cur) cur = Token{TokKind::kNumber, ""};
            cur->text += piece;
        } else if ((c == '.' || c == ',') && cur && cur->kind == TokKind::kNumber && i < n &&
                   u_isdigit(static_cast<UChar32>(folded[i]))) {
            cur->text += piece;
        } else if (u_isalpha(c)) {
            if (cur && cur->kind != TokKind::kWord) flush();
            if (!cur) cur = Token{TokKind::kWord, ""};
            cur->text += piece;
        } else if (c == 0x20BD /* ₽ */ || c == '$' || c == 0x20AC /* € */) {
            flush();
            out.push_back(Token{TokKind::kSymbol, piece});
        } else {
            flush();
        }
    }
    flush();
    return out;
}

// "300 000" arrives as two numbers: glue a group of exactly three digits to the number before it.
std::vector<Token> GlueThousands(std::vector<Token> toks) {
    std::vector<Token> out;
    for (auto& t : toks) {
        if (t.kind == TokKind::kNumber && !out.empty() && out.back().kind == TokKind::kNumber && t.text.size() == 3 &&
            std::all_of(t.text.begin(), t.text.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) &&
            out.back().text.find_first_of(".,") == std::string::npos && out.back().text.size() <= 3) {
            out.back().text += t.text;
            continue;
        }
        out.push_back(std::move(t));
    }
    return out;
}

std::optional<double> NumberValue(const std::string& text) {
    std::string t = text;
    std::replace(t.begin(), t.end(), ',', '.');
    if (std::count(t.begin(), t.end(), '.') > 1) return std::nullopt;
    try {
        std::size_t used = 0;
        double v = std::stod(t, &used);
        if (used != t.size()) return std::nullopt;
        return v;
    } catch (...) {
        return std::nullopt;
    }
}

bool IsCurrency(const Token& t, std::string* code) {
    auto set = [&](const char* c) {
        if (code) *code = c;
        return true;
    };
    if (t.kind == TokKind::kSymbol) {
        if (t.text == "$") return set("USD");
        if (t.text == "€") return set("EUR");
        return set("RUB");
    }
    if (t.kind != TokKind::kWord) return false;
    if (StartsWithAny(t.text, {"руб", "rub", "roubl", "rur"}) || OneOf(t.text, {"р", "р.", "₽"})) return set("RUB");
    if (StartsWithAny(t.text, {"долл", "dollar", "usd", "бакс"})) return set("USD");
    if (StartsWithAny(t.text, {"евро", "eur"})) return set("EUR");
    return false;
}

// 1000 for "тыс", "k", "к", "т" (as in "т.р."); 1 000 000 for "млн"; 0 when the token is not a multiplier.
double Multiplier(const Token& t) {
    if (t.kind != TokKind::kWord) return 0;
    if (StartsWithAny(t.text, {"тыс", "тыщ", "thousand"}) || OneOf(t.text, {"k", "к", "т", "тр", "kk"})) return 1e3;
    if (StartsWithAny(t.text, {"млн", "миллион", "million", "mln"}) || OneOf(t.text, {"m", "мм"})) return 1e6;
    return 0;
}

bool IsMonth(const Token& t) {
    return t.kind == TokKind::kWord &&
           (StartsWithAny(t.text, {"январ", "феврал", "март", "апрел", "мая", "май", "июн", "июл", "август", "сентябр",
                                   "октябр", "ноябр", "декабр"}) ||
            OneOf(t.text, {"january",   "february", "march",    "april",    "may",  "june", "july", "august",
                           "september", "october",  "november", "december", "jan",  "feb",  "mar",  "apr",
                           "jun",       "jul",      "aug",      "sep",      "sept", "oct",  "nov",  "dec"}));
}

bool IsWeekday(const Token& t) {
    return t.kind == TokKind::kWord &&
           (StartsWithAny(t.text, {"понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресен"}) ||
            OneOf(t.text, {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}));
}

bool IsPeriod(const Token& t) {
    return t.kind == TokKind::kWord &&
           (StartsWithAny(t.text, {"недел", "месяц", "месяч", "год", "квартал", "дн", "день", "week", "month", "year",
                                   "day", "quarter", "лет", "осен", "зим", "весн"}) ||
            t.text == "лето");
}

bool IsSmallInteger(const Token& t, int lo, int hi) {
    if (t.kind != TokKind::kNumber || t.text.find_first_of(".,") != std::string::npos || t.text.size() > 5)
        return false;
    int v = std::stoi(t.text);
    return v >= lo && v <= hi;
}

// "15.03", "15.03.2027", "1.6.27".
bool IsDottedDate(const Token& t) {
    if (t.kind != TokKind::kNumber) return false;
    std::vector<std::string> parts;
    std::string cur;
    for (char ch : t.text) {
        if (ch == '.') {
            parts.push_back(cur);
            cur.clear();
        } else if (ch >= '0' && ch <= '9') {
            cur += ch;
        } else {
            return false;
        }
    }
    parts.push_back(cur);
    if (parts.size() < 2 || parts.size() > 3) return false;
    if (parts[0].empty() || parts[0].size() > 2 || parts[1].size() != 2) return false;
    if (parts.size() == 3 && parts[2].size() != 2 && parts[2].size() != 4) return false;
    const int d = std::stoi(parts[0]), m = std::stoi(parts[1]);
    return d >= 1 && d <= 31 && m >= 1 && m <= 12;
}

std::string Join(const std::vector<Token>& toks, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t k = from; k < to && k < toks.size(); ++k) {
        if (!out.empty()) out += ' ';
        out += toks[k].text;
    }
    return out;
}

std::string GroupThousands(long long v) {
    std::string digits = std::to_string(v);
    std::string out;
    const int n = static_cast<int>(digits.size());
    for (int k = 0; k < n; ++k) {
        if (k > 0 && (n - k) % 3 == 0) out += ' ';
        out += digits[k];
    }
    return out;
}

std::string FormatMoney(double amount, const std::string& currency) {
    const std::string n = GroupThousands(static_cast<long long>(amount + 0.5));
    if (currency == "USD") return "$" + n;
    if (currency == "EUR") return "€" + n;
    return n + " ₽";
}

std::optional<std::string> FindProduct(const std::vector<Token>& toks, const Vocabulary& v, std::size_t* at) {
    for (std::size_t k = 0; k < toks.size(); ++k) {
        if (toks[k].kind != TokKind::kWord) continue;
        const VocabularyEntry* best = nullptr;
        for (const auto& e : v.entries)
            if (StartsWith(toks[k].text, e.stem) && (!best || e.stem.size() > best->stem.size())) best = &e;
        if (best) {
            if (at) *at = k;
            return best->label;
        }
    }
    return std::nullopt;
}

bool MatchesProduct(const Token& t, const Vocabulary& v) {
    if (t.kind != TokKind::kWord) return false;
    for (const auto& e : v.entries)
        if (StartsWith(t.text, e.stem)) return true;
    return false;
}

struct Budget {
    double amount = 0;
    std::string currency = "RUB";
    std::size_t number_index = 0;
};

std::optional<Budget> FindBudget(const std::vector<Token>& toks) {
    for (std::size_t k = 0; k < toks.size(); ++k) {
        if (toks[k].kind != TokKind::kNumber || IsDottedDate(toks[k])) continue;
        auto value = NumberValue(toks[k].text);
        if (!value || *value <= 0) continue;
        Budget b;
        b.number_index = k;
        bool money = false;
        std::size_t j = k + 1;
        double mult = 1;
        if (j < toks.size() && Multiplier(toks[j]) > 0) {
            mult = Multiplier(toks[j]);
            // "m"/"мм" alone are metres/millimetres, not millions.
            const bool ambiguous = toks[j].text == "m" || toks[j].text == "мм";
            if (!ambiguous) money = true;
            ++j;
            // "т.р." is "т", "р".
        }
        std::string cur;
        if (j < toks.size() && IsCurrency(toks[j], &cur)) {
            money = true;
            b.currency = cur;
        } else if (k > 0 && IsCurrency(toks[k - 1], &cur) && toks[k - 1].kind == TokKind::kSymbol) {
            money = true;
            b.currency = cur;
        }
        if (!money && mult == 1) {
            // "бюджет 300000", "budget 5000": a plain number right after the word.
            for (std::size_t back = 1; back <= 2 && back <= k; ++back)
                if (toks[k - back].kind == TokKind::kWord && StartsWithAny(toks[k - back].text, {"бюджет", "budget"}))
                    money = true;
        }
        if (mult > 1e3 && !money) continue;
        if (!money) continue;
        b.amount = *value * mult;
        if (b.amount < 100) continue;  // "2 р." is not a budget of a furniture order
        return b;
    }
    return std::nullopt;
}

const std::initializer_list<std::string_view> kUnits = {
    "шт",     "штук",     "штуки",     "штука",      "pcs",    "pc",     "pieces",  "piece",  "units", "unit",
    "компл",  "комплект", "комплекта", "комплектов", "набор",  "набора", "наборов", "sets",   "set",   "метр",
    "метра",  "метров",   "м",         "пог",        "кв",     "sqm",    "meters",  "metres", "meter", "metre",
    "секции", "секций",   "модулей",   "модуля",     "ящиков", "ящика",  "двери",   "дверей", "места", "мест"};

const std::initializer_list<std::string_view> kNumberWords = {
    "два", "две",   "три",  "четыре", "пять", "шесть", "семь",  "восемь", "девять", "десять", "пара",  "пару",
    "two", "three", "four", "five",   "six",  "seven", "eight", "nine",   "ten",    "pair",   "dozen", "десяток"};

std::optional<std::string> FindQuantity(const std::vector<Token>& toks, const Vocabulary& v,
                                        std::optional<std::size_t> budget_number) {
    for (std::size_t k = 0; k + 1 < toks.size(); ++k) {
        if (budget_number && *budget_number == k) continue;
        const Token& t = toks[k];
        const Token& next = toks[k + 1];
        // A whole count, or a decimal length such as "3,5 метра".
        const bool number = IsSmallInteger(t, 1, 10000) ||
                            (t.kind == TokKind::kNumber && !IsDottedDate(t) && NumberValue(t.text).value_or(0) > 0 &&
                             NumberValue(t.text).value_or(0) < 1000);
        const bool word = t.kind == TokKind::kWord && OneOf(t.text, kNumberWords);
        if (!number && !word) continue;
        if (Multiplier(next) > 0 && next.text != "m" && next.text != "мм") continue;
        if (IsCurrency(next, nullptr) || IsMonth(next)) continue;
        if ((next.kind == TokKind::kWord && OneOf(next.text, kUnits)) || MatchesProduct(next, v)) {
            return t.text + " " + next.text;
        }
        // "кухня 3 метра" and "шкаф x 2" are covered by the unit rule; "x2" is a multiplication sign.
        if (t.kind == TokKind::kWord && (t.text == "x" || t.text == "х") && IsSmallInteger(next, 1, 1000))
            return next.text + " " + t.text;
    }
    return std::nullopt;
}

std::optional<std::string> FindDeadline(const std::vector<Token>& toks) {
    for (std::size_t k = 0; k < toks.size(); ++k) {
        const Token& t = toks[k];
        auto at = [&](std::size_t j) -> const Token* { return j < toks.size() ? &toks[j] : nullptr; };
        if (t.kind == TokKind::kWord) {
            if (StartsWithAny(t.text, {"срочн", "urgent", "побыстрее", "безотлагательн"}) ||
                OneOf(t.text, {"asap", "сегодня", "завтра", "послезавтра", "today", "tomorrow"}))
                return t.text;
            // "как можно скорее", "as soon as possible"
            if (t.text == "можно" && at(k + 1) && StartsWith(at(k + 1)->text, "скорее"))
                return Join(toks, k - 1, k + 2);
            if (t.text == "soon" && k > 0 && toks[k - 1].text == "as") return Join(toks, k - 1, k + 3);
            const bool prep = OneOf(t.text, {"до", "к", "ко", "by", "before", "until", "till", "через", "within",
                                             "next", "end", "this", "в", "на", "following"});
            if (prep) {
                const Token* a = at(k + 1);
                const Token* b = at(k + 2);
                const Token* c = at(k + 3);
                if (!a) continue;
                // "до 15 марта", "к 1 июня", "by 15 march", "до 15.03"
                if (a->kind == TokKind::kNumber && IsDottedDate(*a)) return Join(toks, k, k + 2);
                if (IsSmallInteger(*a, 1, 31) && b && IsMonth(*b)) return Join(toks, k, k + 3);
                // "by march 15", "before march"
                if (IsMonth(*a) && t.text != "в" && t.text != "на") {
                    if (b && IsSmallInteger(*b, 1, 31)) return Join(toks, k, k + 3);
                    return Join(toks, k, k + 2);
                }
                // "к пятнице", "by friday"
                if (IsWeekday(*a) && t.text != "в" && t.text != "на") return Join(toks, k, k + 2);
                // "к концу месяца", "до конца недели", "end of month", "end of the month"
                if (StartsWithAny(a->text, {"конц", "начал", "середин"}) && b && IsPeriod(*b))
                    return Join(toks, k, k + 3);
                if (t.text == "end" && a->text == "of" && b) {
                    if (IsPeriod(*b)) return Join(toks, k, k + 3);
                    if (b->text == "the" && c && IsPeriod(*c)) return Join(toks, k, k + 4);
                }
                // "через 2 недели", "within 10 days", "через неделю", "через месяц"
                if ((t.text == "через" || t.text == "within") &&
                    ((IsSmallInteger(*a, 1, 365) && b && IsPeriod(*b)) || IsPeriod(*a)))
                    return IsPeriod(*a) ? Join(toks, k, k + 2) : Join(toks, k, k + 3);
                // "на следующей неделе", "в этом месяце", "next week", "this month"
                if ((t.text == "next" || t.text == "this" || t.text == "following") && IsPeriod(*a))
                    return Join(toks, k, k + 2);
                if ((t.text == "на" || t.text == "в") && StartsWithAny(a->text, {"следующ", "этом", "эту", "текущ"}) &&
                    b && IsPeriod(*b))
                    return Join(toks, k, k + 3);
                // "к новому году", "до лета", "к осени"
                if ((t.text == "к" || t.text == "до") &&
                    (StartsWithAny(a->text, {"нов", "лет", "осен", "зим", "весн"}) || a->text == "лету"))
                    return b && StartsWith(b->text, "год") ? Join(toks, k, k + 3) : Join(toks, k, k + 2);
            }
            // "в течение месяца", "in two weeks"
            if (t.text == "течение" && at(k + 1) && IsPeriod(*at(k + 1))) return Join(toks, k - 1, k + 2);
            // "march 15" on its own
            if (IsMonth(t) && at(k + 1) && IsSmallInteger(*at(k + 1), 1, 31) && t.text != "мая" && t.text != "may")
                return Join(toks, k, k + 2);
        } else if (t.kind == TokKind::kNumber) {
            // "15 марта", "15.03.2027" anywhere
            if (IsDottedDate(t)) return t.text;
            if (IsSmallInteger(t, 1, 31) && at(k + 1) && IsMonth(*at(k + 1))) return Join(toks, k, k + 2);
        }
    }
    return std::nullopt;
}

bool IsVague(const std::vector<Token>& toks) {
    for (std::size_t k = 0; k < toks.size(); ++k) {
        const std::string& w = toks[k].text;
        const std::string next = k + 1 < toks.size() ? toks[k + 1].text : "";
        if (w == "сколько" && StartsWithAny(next, {"стоит", "стоят", "будет", "стоимость"})) return true;
        if (w == "просто" && StartsWithAny(next, {"интерес", "спрос", "узна", "смотр"})) return true;
        if ((w == "узнать" || w == "уточнить") && StartsWithAny(next, {"цен", "стоимост", "прайс"})) return true;
        if (StartsWith(w, "прайс") || (w == "price" && next == "list")) return true;
        if (w == "how" && next == "much") return true;
        if (w == "just" && StartsWithAny(next, {"looking", "curious", "browsing", "asking", "wonder"})) return true;
        if (w == "интересует" && StartsWithAny(next, {"цен", "стоимост"})) return true;
        if (w == "есть" && next == "ли") return true;
        if (w == "any" && next == "prices") return true;
    }
    return false;
}

std::size_t CountWords(const std::vector<Token>& toks) {
    return static_cast<std::size_t>(
        std::count_if(toks.begin(), toks.end(), [](const Token& t) { return t.kind != TokKind::kSymbol; }));
}

}  // namespace

std::string FoldText(std::string_view text) {
    icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    u.foldCase();
    u.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0x0451)),
                     icu::UnicodeString(static_cast<UChar32>(0x0435)));
    std::string out;
    u.toUTF8String(out);
    return out;
}

const Vocabulary& DefaultVocabulary() {
    static const Vocabulary k = {{
        {"кухн", "кухня"},
        {"кухон", "кухня"},
        {"гарнитур", "гарнитур"},
        {"шкаф", "шкаф"},
        {"купе", "шкаф-купе"},
        {"гардероб", "гардеробная"},
        {"столешниц", "столешница"},
        {"фасад", "фасады"},
        {"стол", "стол"},
        {"стул", "стулья"},
        {"комод", "комод"},
        {"тумб", "тумба"},
        {"прихож", "прихожая"},
        {"стеллаж", "стеллаж"},
        {"полк", "полки"},
        {"мойк", "мойка"},
        {"кроват", "кровать"},
        {"диван", "диван"},
        {"мебел", "мебель"},
        {"остров", "кухонный остров"},
        {"фартук", "фартук"},
        {"техник", "бытовая техника"},
        {"замер", "замер"},
        {"дизайн-проект", "дизайн-проект"},
        {"проект", "проект"},
        {"монтаж", "монтаж"},
        {"сборк", "сборка"},
        {"kitchen", "kitchen"},
        {"cabinet", "cabinets"},
        {"cupboard", "cupboard"},
        {"wardrobe", "wardrobe"},
        {"closet", "closet"},
        {"countertop", "countertop"},
        {"worktop", "worktop"},
        {"table", "table"},
        {"chair", "chairs"},
        {"furniture", "furniture"},
        {"shelv", "shelving"},
        {"shelf", "shelving"},
        {"drawer", "drawers"},
        {"sink", "sink"},
        {"island", "kitchen island"},
        {"backsplash", "backsplash"},
        {"sofa", "sofa"},
        {"measurement", "measurement"},
        {"installation", "installation"},
        {"design", "design project"},
    }};
    return k;
}

Priority ScorePriority(const PriorityInput& in, const Vocabulary& vocabulary) {
    Priority p;
    auto add = [&](std::string code, int points, std::map<std::string, std::string> params = {}) {
        p.reasons.push_back(PriorityReason{std::move(code), points, std::move(params)});
    };
    const std::string text = FoldText(in.title + "\n" + in.request_text + "\n" + in.product);
    const std::vector<Token> toks = GlueThousands(Tokenize(text));

    const auto product = FindProduct(toks, vocabulary, nullptr);
    if (product) {
        add("product", kPointsProduct, {{"product", *product}});
    } else if (!in.product.empty()) {
        add("product", kPointsProduct, {{"product", in.product}});
    }
    const auto budget = FindBudget(toks);
    const auto quantity =
        FindQuantity(toks, vocabulary, budget ? std::optional<std::size_t>(budget->number_index) : std::nullopt);
    if (quantity) add("quantity", kPointsQuantity, {{"quantity", *quantity}});
    if (budget) add("budget", kPointsBudget, {{"amount", FormatMoney(budget->amount, budget->currency)}});
    if (auto when = FindDeadline(toks)) add("deadline", kPointsDeadline, {{"when", *when}});
    if (in.has_phone) add("phone", kPointsPhone);
    if (in.has_email) add("email", kPointsEmail);
    if (!in.inn.empty()) {
        add("inn", kPointsInn, {{"inn", in.inn}});
    } else if (!in.company_name.empty()) {
        add("company", kPointsCompany, {{"company", in.company_name}});
    }
    if (CountWords(toks) >= 15) add("detailed", kPointsDetailed);
    if (!product && in.product.empty() && !budget && !quantity && IsVague(toks)) add("vague", kPointsVague);

    int sum = 0;
    for (const auto& r : p.reasons) sum += r.points;
    p.score = std::clamp(sum, 0, 100);
    return p;
}

std::string RenderReason(const PriorityReason& r, core::Lang lang) {
    const bool ru = lang == core::Lang::kRu;
    auto param = [&](const char* name) {
        auto it = r.params.find(name);
        return it == r.params.end() ? std::string() : it->second;
    };
    std::string text;
    if (r.code == "product") {
        text = (ru ? "назван товар или услуга: " : "product or service named: ") + param("product");
    } else if (r.code == "quantity") {
        text = (ru ? "указано количество: " : "quantity given: ") + param("quantity");
    } else if (r.code == "budget") {
        text = (ru ? "указан бюджет: " : "budget given: ") + param("amount");
    } else if (r.code == "deadline") {
        text = (ru ? "назван срок: " : "deadline given: ") + param("when");
    } else if (r.code == "phone") {
        text = ru ? "оставлен телефон" : "phone number left";
    } else if (r.code == "email") {
        text = ru ? "оставлен e-mail" : "e-mail left";
    } else if (r.code == "inn") {
        text = (ru ? "указан ИНН: " : "INN given: ") + param("inn");
    } else if (r.code == "company") {
        text = (ru ? "указана компания: " : "company given: ") + param("company");
    } else if (r.code == "detailed") {
        text = ru ? "подробное описание запроса" : "detailed description of the request";
    } else if (r.code == "vague") {
        text = ru ? "общий вопрос без конкретики" : "a general question with nothing concrete";
    } else {
        text = r.code;
    }
    const std::string sign = r.points >= 0 ? "+" : "−";
    return sign + std::to_string(r.points >= 0 ? r.points : -r.points) + " " + text;
}

}  // namespace otdel::leads
