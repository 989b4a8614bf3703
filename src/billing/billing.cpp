#include "billing/billing.hpp"

#include <algorithm>
#include <memory>
#include <set>
#include <sstream>

#include "documents/pdf.hpp"
#include "imports/csv_reader.hpp"

namespace otdel::billing {
namespace {

using Wide = __int128;

// Half up for a non-negative numerator and a positive denominator.
std::int64_t RoundHalfUp(Wide num, Wide den) {
    return static_cast<std::int64_t>((num + den / 2) / den);
}

bool IsDigit(char c) {
    return c >= '0' && c <= '9';
}

bool IsAsciiAlnum(char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char AsciiLower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return std::string(s);
}

std::string At(const std::string& base, std::size_t i, const char* field) {
    return base + "/" + std::to_string(i) + "/" + field;
}

}  // namespace

const std::vector<int>& VatRates() {
    static const std::vector<int> k = {0, 1000, 2000, 2200};
    return k;
}

std::vector<core::FieldError> ValidateLines(const std::vector<InvoiceLine>& lines) {
    std::vector<core::FieldError> errs;
    if (lines.empty()) errs.push_back({"lines", "required", ""});
    if (lines.size() > kMaxLines) errs.push_back({"lines", "too_many", std::to_string(kMaxLines)});
    for (std::size_t i = 0; i < lines.size() && i < kMaxLines; ++i) {
        const auto& l = lines[i];
        if (Trim(l.name).empty()) errs.push_back({At("lines", i, "name"), "required", ""});
        if (l.name.size() > kMaxLineName)
            errs.push_back({At("lines", i, "name"), "too_long", std::to_string(kMaxLineName)});
        if (l.sku.size() > 100) errs.push_back({At("lines", i, "sku"), "too_long", "100"});
        if (l.unit.size() > 20) errs.push_back({At("lines", i, "unit"), "too_long", "20"});
        if (l.quantity_milli <= 0 || l.quantity_milli > kMaxQuantityMilli)
            errs.push_back(
                {At("lines", i, "quantity_milli"), "out_of_range", "1–" + std::to_string(kMaxQuantityMilli)});
        if (l.unit_price_minor < 0 || l.unit_price_minor > kMaxAmount)
            errs.push_back({At("lines", i, "unit_price_minor"), "out_of_range", "0–" + std::to_string(kMaxAmount)});
        if (l.discount_bp < 0 || l.discount_bp > 10000)
            errs.push_back({At("lines", i, "discount_bp"), "out_of_range", "0–10000"});
        if (l.vat_rate_bp && std::find(VatRates().begin(), VatRates().end(), *l.vat_rate_bp) == VatRates().end())
            errs.push_back({At("lines", i, "vat_rate_bp"), "not_one_of", "0, 1000, 2000, 2200, null"});
    }
    return errs;
}

std::int64_t LineBase(std::int64_t quantity_milli, std::int64_t unit_price_minor, std::int32_t discount_bp) {
    const Wide num = static_cast<Wide>(quantity_milli) * unit_price_minor * (10000 - discount_bp);
    return RoundHalfUp(num, static_cast<Wide>(1000) * 10000);
}

core::Result<Totals> Price(std::vector<InvoiceLine>& lines, bool vat_included) {
    Totals t;
    Wide net = 0, vat = 0, total = 0;
    for (auto& l : lines) {
        const std::int64_t base = LineBase(l.quantity_milli, l.unit_price_minor, l.discount_bp);
        const int rate = l.vat_rate_bp.value_or(0);
        if (base > kMaxAmount) return core::Error::Field("lines", "out_of_range", "0–" + std::to_string(kMaxAmount));
        if (vat_included) {
            l.vat_minor = rate == 0 ? 0 : RoundHalfUp(static_cast<Wide>(base) * rate, 10000 + rate);
            l.amount_minor = base;
        } else {
            l.vat_minor = rate == 0 ? 0 : RoundHalfUp(static_cast<Wide>(base) * rate, 10000);
            l.amount_minor = base + l.vat_minor;
        }
        vat += l.vat_minor;
        total += l.amount_minor;
        net += l.amount_minor - l.vat_minor;
    }
    if (total > kMaxAmount) return core::Error::Field("lines", "out_of_range", "0–" + std::to_string(kMaxAmount));
    t.net_minor = static_cast<std::int64_t>(net);
    t.vat_minor = static_cast<std::int64_t>(vat);
    t.total_minor = static_cast<std::int64_t>(total);
    return t;
}

const std::vector<std::string>& PaymentForms() {
    static const std::vector<std::string> k = {"bank_transfer", "letter_of_credit", "cheque",   "collection",
                                               "open_account",  "commodity_credit", "cash_card"};
    return k;
}

bool IsPaymentForm(std::string_view s) {
    return std::find(PaymentForms().begin(), PaymentForms().end(), s) != PaymentForms().end();
}

const std::vector<std::string>& InvoiceStatuses() {
    static const std::vector<std::string> k = {"draft", "issued", "partially_paid", "paid", "overdue", "cancelled"};
    return k;
}

std::string DeriveStatus(std::string_view state, std::int64_t total_minor, std::int64_t paid_minor,
                         std::string_view next_due_date, std::string_view today) {
    if (state != kIssued) return std::string(state);
    if (paid_minor >= total_minor) return "paid";
    if (!next_due_date.empty() && next_due_date < today) return "overdue";
    if (paid_minor > 0) return "partially_paid";
    return "issued";
}

std::vector<core::FieldError> ValidateSchedule(const std::vector<Instalment>& items, std::int64_t total_minor,
                                               std::string_view issue_date) {
    std::vector<core::FieldError> errs;
    if (items.empty()) return errs;
    if (items.size() > kMaxInstalments) {
        errs.push_back({"instalments", "too_many", std::to_string(kMaxInstalments)});
        return errs;
    }
    Wide sum = 0;
    std::optional<org::Day> prev;
    const auto issue = org::ParseDay(issue_date);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& it = items[i];
        if (it.amount_minor <= 0 || it.amount_minor > kMaxAmount)
            errs.push_back({At("instalments", i, "amount_minor"), "out_of_range", "1–" + std::to_string(kMaxAmount)});
        else
            sum += it.amount_minor;
        if (it.note.size() > kMaxNote)
            errs.push_back({At("instalments", i, "note"), "too_long", std::to_string(kMaxNote)});
        const auto day = org::ParseDay(it.due_date);
        if (!day) {
            errs.push_back({At("instalments", i, "due_date"), "invalid_date", ""});
            continue;
        }
        if (issue && *day < *issue)
            errs.push_back({At("instalments", i, "due_date"), "before_issue", std::string(issue_date)});
        else if (prev && *day <= *prev)
            errs.push_back({At("instalments", i, "due_date"), "not_increasing", ""});
        prev = day;
    }
    if (sum != total_minor) errs.push_back({"instalments", "sum_mismatch", FormatMinor(total_minor)});
    return errs;
}

void Allocate(std::vector<Instalment>& items, std::int64_t paid_minor, std::string_view today) {
    std::int64_t left = paid_minor;
    for (auto& it : items) {
        it.paid_minor = std::clamp<std::int64_t>(left, 0, it.amount_minor);
        left -= it.paid_minor;
        if (it.paid_minor >= it.amount_minor)
            it.status = "paid";
        else if (it.overdue_at || it.due_date < today)
            it.status = "overdue";
        else
            it.status = "pending";
    }
}

std::string NextDueDate(std::string_view due_date, const std::vector<Instalment>& items, std::int64_t paid_minor) {
    if (items.empty()) return std::string(due_date);
    Wide covered = 0;
    for (const auto& it : items) {
        covered += it.amount_minor;
        if (covered > paid_minor) return it.due_date;
    }
    return items.back().due_date;
}

std::string_view ReminderKindName(ReminderKind k) {
    return k == ReminderKind::kMidTerm ? "mid_term" : "day_before";
}

std::optional<ReminderKind> ParseReminderKind(std::string_view s) {
    if (s == "mid_term") return ReminderKind::kMidTerm;
    if (s == "day_before") return ReminderKind::kDayBefore;
    return std::nullopt;
}

org::Day MidTerm(org::Day prev, org::Day due) {
    return org::Day{prev.days + (due.days - prev.days) / 2};
}

std::vector<PlannedReminder> PlanReminders(org::Day issue, const std::vector<org::Day>& dues) {
    std::vector<PlannedReminder> out;
    for (std::size_t i = 0; i < dues.size(); ++i) {
        const org::Day prev = i == 0 ? issue : dues[i - 1];
        const org::Day before{dues[i].days - 1};
        const org::Day mid = MidTerm(prev, dues[i]);
        if (mid > prev && mid < before) out.push_back({i, ReminderKind::kMidTerm, mid});
        if (before >= issue) out.push_back({i, ReminderKind::kDayBefore, before});
    }
    return out;
}

std::string FormatMinor(std::int64_t minor) {
    const std::string cents = std::to_string(minor % 100);
    return std::to_string(minor / 100) + "." + (cents.size() < 2 ? "0" : "") + cents;
}

std::string SeriesOf(std::string_view prefix, int year) {
    std::string out(prefix);
    const std::string_view tag = "{year}";
    for (auto pos = out.find(tag); pos != std::string::npos; pos = out.find(tag))
        out.replace(pos, tag.size(), std::to_string(year));
    return out;
}

std::string FormatNumber(std::string_view series, std::int64_t n, int digits) {
    std::string num = std::to_string(n);
    if (static_cast<int>(num.size()) < digits) num.insert(0, static_cast<std::size_t>(digits) - num.size(), '0');
    return std::string(series) + num;
}

std::vector<core::FieldError> ValidateSettings(const Settings& s) {
    std::vector<core::FieldError> errs;
    if (s.number_prefix.size() > 30) errs.push_back({"number_prefix", "too_long", "30"});
    for (char c : s.number_prefix)
        if (c == '\n' || c == '\r' || c == '\t' || c == ';' || c == '"') {
            errs.push_back({"number_prefix", "invalid", ""});
            break;
        }
    if (s.number_digits < 1 || s.number_digits > 12) errs.push_back({"number_digits", "out_of_range", "1–12"});
    if (s.default_due_days < 0 || s.default_due_days > 365)
        errs.push_back({"default_due_days", "out_of_range", "0–365"});
    return errs;
}

std::vector<core::FieldError> ValidatePayment(const PaymentInput& p) {
    std::vector<core::FieldError> errs;
    if (!org::ParseDay(p.paid_on)) errs.push_back({"paid_on", "invalid_date", ""});
    if (p.amount_minor <= 0 || p.amount_minor > kMaxAmount)
        errs.push_back({"amount_minor", "out_of_range", "1–" + std::to_string(kMaxAmount)});
    if (!IsPaymentForm(p.method))
        errs.push_back({"method", "not_one_of",
                        "bank_transfer, letter_of_credit, cheque, collection, open_account, commodity_credit, "
                        "cash_card"});
    if (p.reference.size() > kMaxReference) errs.push_back({"reference", "too_long", std::to_string(kMaxReference)});
    if (p.payer_inn.size() > 12) errs.push_back({"payer_inn", "too_long", "12"});
    if (p.note.size() > kMaxNote) errs.push_back({"note", "too_long", std::to_string(kMaxNote)});
    return errs;
}

// ---- bank statement CSV ----

std::optional<std::int64_t> ParseAmount(std::string_view text) {
    std::string s;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\'') continue;
        if (text.substr(i, 2) == "\xC2\xA0") {  // no-break space
            ++i;
            continue;
        }
        if (text.substr(i, 3) == "\xE2\x80\xAF") {  // narrow no-break space
            i += 2;
            continue;
        }
        s += c;
    }
    if (!s.empty() && s.front() == '+') s.erase(0, 1);
    const auto sep = s.find_first_of(".,");
    const std::string whole = s.substr(0, sep);
    const std::string frac = sep == std::string::npos ? "" : s.substr(sep + 1);
    if (whole.empty() || whole.size() > 13 || frac.size() > 2 || (sep != std::string::npos && frac.empty()))
        return std::nullopt;
    if (!std::all_of(whole.begin(), whole.end(), IsDigit) || !std::all_of(frac.begin(), frac.end(), IsDigit))
        return std::nullopt;
    std::int64_t minor = std::stoll(whole) * 100;
    if (!frac.empty()) minor += std::stoll(frac.size() == 1 ? frac + "0" : frac);
    return minor;
}

std::optional<std::string> ParseBankDate(std::string_view text) {
    const std::string t = Trim(text);
    if (org::ParseDay(t)) return t;
    if (t.size() == 10 && t[2] == '.' && t[5] == '.') {
        const std::string iso = t.substr(6, 4) + "-" + t.substr(3, 2) + "-" + t.substr(0, 2);
        if (org::ParseDay(iso)) return iso;
    }
    return std::nullopt;
}

std::vector<BankRow> ParseBankStatement(std::string_view bytes) {
    std::vector<BankRow> out;
    imports::CsvReader reader(std::make_unique<std::istringstream>(std::string(bytes)));
    imports::Row row;
    bool first = true;
    while (reader.Next(row)) {
        const bool header_candidate = first;
        first = false;
        BankRow b;
        b.line = row.line;
        auto cell = [&](std::size_t i) { return i < row.cells.size() ? Trim(row.cells[i]) : std::string(); };
        if (!row.error.empty()) {
            b.errors.push_back({"row", row.error, ""});
            out.push_back(std::move(b));
            continue;
        }
        bool blank = true;
        for (const auto& c : row.cells) blank = blank && Trim(c).empty();
        if (blank) continue;
        const auto date = ParseBankDate(cell(0));
        if (!date && header_candidate) continue;  // the header
        if (date)
            b.date = *date;
        else
            b.errors.push_back({"date", "invalid_date", ""});
        if (auto amount = ParseAmount(cell(1)); amount && *amount > 0 && *amount <= kMaxAmount)
            b.amount_minor = *amount;
        else
            b.errors.push_back({"amount", "invalid", ""});
        for (char c : cell(2))
            if (IsDigit(c)) b.payer_inn += c;
        b.purpose = cell(3);
        b.reference = cell(4);
        if (b.reference.size() > kMaxReference)
            b.errors.push_back({"reference", "too_long", std::to_string(kMaxReference)});
        if (b.purpose.size() > kMaxNote) b.purpose.resize(kMaxNote);
        out.push_back(std::move(b));
    }
    return out;
}

std::string BankRowKey(const BankRow& row) {
    if (!row.reference.empty()) return "ref:" + row.reference;
    return "row:" +
           core::Sha256Hex(row.date + "|" + std::to_string(row.amount_minor) + "|" + row.payer_inn + "|" + row.purpose);
}

namespace {

// Whether `number` stands in `text` as a whole word (ASCII letters compared without case).
bool NamesNumber(std::string_view text, std::string_view number) {
    if (number.empty() || text.size() < number.size()) return false;
    for (std::size_t i = 0; i + number.size() <= text.size(); ++i) {
        bool same = true;
        for (std::size_t k = 0; k < number.size() && same; ++k) same = AsciiLower(text[i + k]) == AsciiLower(number[k]);
        if (!same) continue;
        const bool left_ok = i == 0 || !IsAsciiAlnum(text[i - 1]);
        const std::size_t end = i + number.size();
        const bool right_ok = end == text.size() || !IsAsciiAlnum(text[end]);
        if (left_ok && right_ok) return true;
    }
    return false;
}

}  // namespace

Match MatchBankRow(const BankRow& row, const std::vector<OpenInvoice>& invoices) {
    std::set<core::Id> by_number;
    for (const auto& inv : invoices)
        if (NamesNumber(row.purpose, inv.number)) by_number.insert(inv.id);
    if (by_number.size() == 1) return {*by_number.begin(), "number", ""};
    if (by_number.size() > 1) return {std::nullopt, "", "ambiguous"};
    std::set<core::Id> by_inn;
    if (!row.payer_inn.empty())
        for (const auto& inv : invoices)
            if (inv.payer_inn == row.payer_inn && inv.outstanding_minor > 0 &&
                inv.outstanding_minor == row.amount_minor)
                by_inn.insert(inv.id);
    if (by_inn.size() == 1) return {*by_inn.begin(), "inn_amount", ""};
    return {std::nullopt, "", by_inn.empty() ? "no_match" : "ambiguous"};
}

ReminderText RenderReminder(ReminderKind kind, const ReminderFacts& f, core::Lang lang) {
    const bool en = lang == core::Lang::kEn;
    const std::string amount =
        documents::FormatMoney(f.amount_minor, lang) + " " + (f.currency == "RUB" ? (en ? "RUB" : "руб.") : f.currency);
    const std::string date = documents::FormatDate(f.due_date, lang);
    ReminderText t;
    if (en) {
        const std::string when = kind == ReminderKind::kDayBefore ? "tomorrow, " + date : "on " + date;
        t.subject = "Payment reminder: invoice " + f.invoice_number + " — " + amount + " due " + when;
        t.body = "Hello" + (f.payer.empty() ? std::string() : ", " + f.payer) + ".\n\nUnder invoice " +
                 f.invoice_number + " the next payment of " + amount + " is due " + when +
                 ". If you have already paid, thank you — please ignore this message.\n\n" + f.seller;
        t.sms = f.seller + ": payment of " + amount + " under invoice " + f.invoice_number + " is due " + when + ".";
    } else {
        const std::string when = kind == ReminderKind::kDayBefore ? "завтра, " + date : date;
        t.subject = "Напоминание об оплате: счёт № " + f.invoice_number + ", " + amount + " до " + date;
        t.body = "Здравствуйте" + (f.payer.empty() ? std::string() : ", " + f.payer) + "!\n\nПо счёту № " +
                 f.invoice_number + " очередной платёж " + amount + " нужно внести " + when +
                 ". Если вы уже оплатили, спасибо — просто не обращайте внимания на это письмо.\n\n" + f.seller;
        t.sms = f.seller + ": по счёту № " + f.invoice_number + " платёж " + amount + " — " + when + ".";
    }
    return t;
}

// ---- amount in words ----
namespace {

const char* Pick(std::int64_t n, const char* one, const char* few, const char* many) {
    const auto n100 = n % 100, n10 = n % 10;
    if (n100 >= 11 && n100 <= 14) return many;
    if (n10 == 1) return one;
    if (n10 >= 2 && n10 <= 4) return few;
    return many;
}

// A triad (0..999) in Russian words; `feminine` for thousands ("одна", "две").
std::string RuTriad(int n, bool feminine) {
    static const char* hundreds[] = {"",        "сто",      "двести",  "триста",    "четыреста",
                                     "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"};
    static const char* tens[] = {"",          "",           "двадцать",  "тридцать",    "сорок",
                                 "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"};
    static const char* teens[] = {"десять",     "одиннадцать", "двенадцать", "тринадцать",   "четырнадцать",
                                  "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"};
    static const char* units_m[] = {"", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"};
    static const char* units_f[] = {"", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"};
    std::vector<std::string> words;
    if (n / 100) words.emplace_back(hundreds[n / 100]);
    const int rest = n % 100;
    if (rest >= 10 && rest < 20) {
        words.emplace_back(teens[rest - 10]);
    } else {
        if (rest / 10) words.emplace_back(tens[rest / 10]);
        if (rest % 10) words.emplace_back(feminine ? units_f[rest % 10] : units_m[rest % 10]);
    }
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

std::string EnTriad(int n) {
    static const char* ones[] = {"",         "one",     "two",     "three",     "four",     "five",    "six",
                                 "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen",
                                 "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
    static const char* tens[] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
    std::string out;
    if (n / 100) out = std::string(ones[n / 100]) + " hundred";
    const int rest = n % 100;
    if (rest) {
        if (!out.empty()) out += " ";
        if (rest < 20) {
            out += ones[rest];
        } else {
            out += tens[rest / 10];
            if (rest % 10) out += std::string("-") + ones[rest % 10];
        }
    }
    return out;
}

// Upper-cases the first letter (ASCII or Cyrillic а–я in UTF-8).
std::string Capitalise(std::string s) {
    if (s.empty()) return s;
    const auto b0 = static_cast<unsigned char>(s[0]);
    if (b0 >= 'a' && b0 <= 'z') {
        s[0] = static_cast<char>(b0 - 32);
    } else if (s.size() >= 2) {
        const auto b1 = static_cast<unsigned char>(s[1]);
        if (b0 == 0xD0 && b1 >= 0xB0 && b1 <= 0xBF) {
            s[1] = static_cast<char>(b1 - 0x20);
        } else if (b0 == 0xD1 && b1 >= 0x80 && b1 <= 0x8F) {
            s[0] = static_cast<char>(0xD0);
            s[1] = static_cast<char>(b1 + 0x20);
        }
    }
    return s;
}

std::string TwoDigits(std::int64_t n) {
    return (n < 10 ? "0" : "") + std::to_string(n);
}

}  // namespace

std::string AmountInWords(std::int64_t minor, std::string_view currency, core::Lang lang) {
    if (minor < 0) minor = 0;
    const std::int64_t major = minor / 100, cents = minor % 100;
    const bool en = lang == core::Lang::kEn;
    if (currency != "RUB") {
        std::string digits = std::to_string(major), grouped;
        for (std::size_t i = 0; i < digits.size(); ++i) {
            if (i && (digits.size() - i) % 3 == 0) grouped += en ? "," : " ";
            grouped += digits[i];
        }
        return grouped + (en ? "." : ",") + TwoDigits(cents) + " " + std::string(currency);
    }
    // Triads from the top: trillions, billions, millions, thousands, units.
    struct Scale {
        std::int64_t value;
        const char *ru_one, *ru_few, *ru_many, *en;
        bool feminine;
    };
    static const Scale scales[] = {{1'000'000'000'000LL, "триллион", "триллиона", "триллионов", "trillion", false},
                                   {1'000'000'000LL, "миллиард", "миллиарда", "миллиардов", "billion", false},
                                   {1'000'000LL, "миллион", "миллиона", "миллионов", "million", false},
                                   {1'000LL, "тысяча", "тысячи", "тысяч", "thousand", true}};
    std::string words;
    auto add = [&](const std::string& w) {
        if (!w.empty()) words += (words.empty() ? "" : " ") + w;
    };
    for (const auto& s : scales) {
        const int triad = static_cast<int>((major / s.value) % 1000);
        if (triad) {
            if (en) {
                add(EnTriad(triad) + " " + s.en);
            } else {
                add(RuTriad(triad, s.feminine) + " " + Pick(triad, s.ru_one, s.ru_few, s.ru_many));
            }
        }
    }
    // kMaxAmount keeps every amount below a thousand trillion roubles: the top triad is whole.
    const int units = static_cast<int>(major % 1000);
    add(en ? EnTriad(units) : RuTriad(units, false));
    if (words.empty()) words = en ? "zero" : "ноль";
    if (en)
        return Capitalise(words) + (major == 1 ? " rouble " : " roubles ") + TwoDigits(cents) +
               (cents == 1 ? " kopeck" : " kopecks");
    return Capitalise(words) + " " + Pick(major, "рубль", "рубля", "рублей") + " " + TwoDigits(cents) + " " +
           Pick(cents, "копейка", "копейки", "копеек");
}

}  // namespace otdel::billing
