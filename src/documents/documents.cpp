#include "documents/documents.hpp"

#include <date/date.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "clients/clients.hpp"
#include "clients/normalize.hpp"

namespace otdel::documents {
namespace {

using core::Error;
using core::ErrorCode;
using core::FieldError;

bool Ru(core::Lang l) {
    return l == core::Lang::kRu;
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Calls `on` for every "{{ … }}" of `text` with its span; `unclosed` for a "{{" without "}}". Returns the position
// after the last span (or of the unclosed "{{").
template <class On, class Unclosed>
void ScanPlaceholders(std::string_view text, On on, Unclosed unclosed) {
    std::size_t at = 0;
    while (true) {
        const std::size_t open = text.find("{{", at);
        if (open == std::string_view::npos) return;
        const std::size_t close = text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            unclosed(open);
            return;
        }
        on(open, close + 2, Trim(text.substr(open + 2, close - open - 2)));
        at = close + 2;
    }
}

std::size_t Utf8Length(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void CheckLength(std::vector<FieldError>& errs, const char* field, std::string_view v, std::size_t max) {
    if (Utf8Length(v) > max) errs.push_back({field, "too_long", std::to_string(max)});
}

void CheckText(std::vector<FieldError>& errs, const char* field, std::string_view text) {
    for (const auto& issue : CheckPlaceholders(text)) errs.push_back({field, issue.code, issue.name});
}

date::year_month_day ParseDay(std::string_view s) {
    auto num = [&](std::size_t at, std::size_t n) {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
        return v;
    };
    return date::year{num(0, 4)} / date::month{static_cast<unsigned>(num(5, 2))} /
           date::day{static_cast<unsigned>(num(8, 2))};
}

std::string PercentEncode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        // RFC 5987 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
        if (std::isalnum(c) || std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

}  // namespace

const std::vector<std::string>& ContractKinds() {
    static const std::vector<std::string> k{"sale", "supply", "distribution", "services"};
    return k;
}
const std::vector<std::string>& ContractStatuses() {
    static const std::vector<std::string> k{"draft", "signed", "terminated"};
    return k;
}
const std::vector<std::string>& ProposalStatuses() {
    static const std::vector<std::string> k{"draft", "sent"};
    return k;
}

const std::vector<std::string>& PlaceholderNames() {
    static const std::vector<std::string> k{"client.name",     "client.inn",  "contact.name", "deal.title",
                                            "deal.amount",     "owner.name",  "owner.email",  "company.name",
                                            "proposal.number", "valid_until", "today"};
    return k;
}

std::vector<PlaceholderIssue> CheckPlaceholders(std::string_view text) {
    return CheckPlaceholders(text, PlaceholderNames());
}

std::vector<PlaceholderIssue> CheckPlaceholders(std::string_view text, const std::vector<std::string>& names) {
    std::vector<PlaceholderIssue> out;
    ScanPlaceholders(
        text,
        [&](std::size_t, std::size_t, std::string_view name) {
            if (!Contains(names, name)) out.push_back({"unknown_placeholder", "{{" + std::string(name) + "}}"});
        },
        [&](std::size_t) {
            out.push_back({"unclosed_placeholder", "{{"});
        });
    return out;
}

std::string FillPlaceholders(std::string_view text, const std::map<std::string, std::string>& values) {
    return FillPlaceholders(text, values, PlaceholderNames());
}

std::string FillPlaceholders(std::string_view text, const std::map<std::string, std::string>& values,
                             const std::vector<std::string>& names) {
    std::string out;
    std::size_t copied = 0;
    ScanPlaceholders(
        text,
        [&](std::size_t begin, std::size_t end, std::string_view name) {
            if (!Contains(names, name)) return;
            out.append(text.substr(copied, begin - copied));
            if (auto it = values.find(std::string(name)); it != values.end()) out += it->second;
            copied = end;
        },
        [](std::size_t) {});
    out.append(text.substr(copied));
    return out;
}

core::Result<void> ValidateTemplate(const ProposalTemplate& t) {
    std::vector<FieldError> errs;
    if (Trim(t.name).empty()) errs.push_back({"name", "required", ""});
    CheckLength(errs, "name", t.name, kMaxTemplateName);
    CheckLength(errs, "intro_text", t.intro_text, kMaxIntro);
    CheckLength(errs, "terms_text", t.terms_text, kMaxTerms);
    CheckText(errs, "intro_text", t.intro_text);
    CheckText(errs, "terms_text", t.terms_text);
    if (t.validity_days < 1 || t.validity_days > kMaxValidityDays)
        errs.push_back({"validity_days", "out_of_range", "1.." + std::to_string(kMaxValidityDays)});
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    return core::Ok();
}

core::Result<void> ValidateRequisites(const Requisites& r) {
    // The clients room's checks of a company's requisites (control digits, the account's key against the BIK).
    const PdfRequisites& o = r.org;
    clients::Company c;
    auto opt = [](const std::string& v) { return v.empty() ? std::nullopt : std::optional<std::string>(v); };
    c.inn = opt(o.inn);
    c.kpp = opt(o.kpp);
    c.ogrn = opt(o.ogrn);
    c.bank = {o.bank_name, o.bik, o.account, o.corr_account};
    std::vector<FieldError> errs;
    for (auto& e : clients::CheckRequisites(c)) {
        if (e.field.rfind("bank_details/", 0) == 0) e.field.erase(0, std::string_view("bank_details/").size());
        errs.push_back(std::move(e));
    }
    if (!o.email.empty() && !clients::NormalizeEmail(o.email)) errs.push_back({"email", "invalid_email", ""});
    const std::pair<const char*, const std::string*> lengths[] = {{"legal_name", &o.legal_name},
                                                                  {"address", &o.address},
                                                                  {"bank_name", &o.bank_name},
                                                                  {"phone", &o.phone},
                                                                  {"email", &o.email},
                                                                  {"website", &o.website},
                                                                  {"signer_title", &r.signer_title},
                                                                  {"signer_name", &r.signer_name}};
    for (const auto& [field, v] : lengths) CheckLength(errs, field, *v, kMaxRequisite);
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    return core::Ok();
}

core::Result<void> ValidateContract(const Contract& c) {
    std::vector<FieldError> errs;
    if (!Contains(ContractKinds(), c.kind))
        errs.push_back({"kind", "not_one_of", "sale, supply, distribution, services"});
    if (!Contains(ContractStatuses(), c.status)) errs.push_back({"status", "not_one_of", "draft, signed, terminated"});
    if (Trim(c.number).empty()) errs.push_back({"number", "required", ""});
    CheckLength(errs, "number", c.number, kMaxContractNumber);
    CheckLength(errs, "terms", c.terms, kMaxTerms);
    const std::pair<const char*, const std::optional<std::string>*> days[] = {
        {"signed_on", &c.signed_on}, {"valid_from", &c.valid_from}, {"valid_to", &c.valid_to}};
    bool days_ok = true;
    for (const auto& [field, v] : days)
        if (*v && !IsIsoDay(**v)) {
            errs.push_back({field, "invalid_date", ""});
            days_ok = false;
        }
    // Days written YYYY-MM-DD compare as strings.
    if (days_ok && c.valid_from && c.valid_to && *c.valid_to < *c.valid_from)
        errs.push_back({"valid_to", "before_valid_from", *c.valid_from});
    if (c.status != "draft" && !c.signed_on) errs.push_back({"signed_on", "required", ""});
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    return core::Ok();
}

bool ContractStatusAllowed(std::string_view from, std::string_view to) {
    if (from == to) return true;
    if (from == "draft") return to == "signed" || to == "terminated";
    if (from == "signed") return to == "terminated";
    return false;
}

bool IsIsoDay(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return false;
    return ParseDay(s).ok();
}

std::string AddDays(std::string_view day, int days) {
    const date::sys_days d = date::sys_days(ParseDay(day)) + date::days(days);
    return date::format("%F", d);
}

std::optional<FileKind> SniffContractFile(std::string_view bytes) {
    if (bytes.substr(0, 5) == "%PDF-") return FileKind{"pdf", "application/pdf"};
    if (bytes.substr(0, 4) != std::string_view("PK\x03\x04", 4)) return std::nullopt;
    // A ZIP: read its directory (in memory; nothing is unpacked) and look for the parts every DOCX has.
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (!src) {
        zip_error_fini(&error);
        return std::nullopt;
    }
    zip_t* archive = zip_open_from_source(src, ZIP_RDONLY, &error);
    zip_error_fini(&error);
    if (!archive) {
        zip_source_free(src);
        return std::nullopt;
    }
    const bool docx = zip_name_locate(archive, "[Content_Types].xml", 0) >= 0 &&
                      zip_name_locate(archive, "word/document.xml", 0) >= 0;
    zip_discard(archive);
    if (!docx) return std::nullopt;
    return FileKind{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"};
}

std::string CleanFileName(std::string_view name, std::string_view ext, std::string_view fallback) {
    if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) name.remove_prefix(slash + 1);
    std::string out;
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7F || std::string_view("<>:\"|?*").find(static_cast<char>(c)) != std::string_view::npos)
            continue;
        out += static_cast<char>(c);
    }
    out = std::string(Trim(out));
    while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(0, 1);
    const std::string suffix = "." + std::string(ext);
    auto lower = [](std::string s) {
        for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return s;
    };
    if (out.size() >= suffix.size() && lower(out.substr(out.size() - suffix.size())) == suffix)
        out.erase(out.size() - suffix.size());
    if (Trim(out).empty()) out = std::string(fallback);
    // Cut at a character boundary so the name and its extension fit.
    const std::size_t room = kMaxFileName - suffix.size();
    if (out.size() > room) {
        std::size_t cut = room;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
    }
    return out + suffix;
}

std::string ContentDisposition(std::string_view kind, std::string_view file_name, std::string_view ascii_fallback) {
    const bool ascii_name =
        std::all_of(file_name.begin(), file_name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    const std::string_view plain = ascii_name || ascii_fallback.empty() ? file_name : ascii_fallback;
    std::string ascii;
    for (std::size_t i = 0; i < plain.size(); ++i) {
        const auto c = static_cast<unsigned char>(plain[i]);
        if (c >= 0x80) {
            // One "_" per UTF-8 character, not per byte.
            if ((c & 0xC0) != 0x80) ascii += '_';
        } else if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) {
            ascii += static_cast<char>(c);
        }
    }
    return std::string(kind) + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + PercentEncode(file_name);
}

std::string ProposalNumber(core::Id deal_id, int version) {
    return std::to_string(deal_id) + "-" + std::to_string(version);
}

std::string ProposalTitle(core::Id deal_id, int version, core::Lang lang) {
    return std::string(Ru(lang) ? "Коммерческое предложение № " : "Commercial proposal No. ") +
           ProposalNumber(deal_id, version);
}

std::string ProposalFileName(core::Id deal_id, int version, core::Lang lang) {
    return std::string(Ru(lang) ? "Коммерческое предложение " : "Proposal ") + ProposalNumber(deal_id, version) +
           ".pdf";
}

std::string ProposalAsciiFileName(core::Id deal_id, int version) {
    return "proposal-" + ProposalNumber(deal_id, version) + ".pdf";
}

std::map<std::string, std::string> ProposalValues(const ProposalFacts& f) {
    const std::string currency = f.currency == "RUB" ? (Ru(f.lang) ? "руб." : "RUB") : f.currency;
    return {{"client.name", f.client_name},
            {"client.inn", f.client_inn},
            {"contact.name", f.contact_name},
            {"deal.title", f.deal_title},
            {"deal.amount", FormatMoney(f.deal_amount_minor, f.lang) + " " + currency},
            {"owner.name", f.owner_name},
            {"owner.email", f.owner_email},
            {"company.name", f.seller.org.legal_name},
            {"proposal.number", ProposalNumber(f.deal_id, f.version)},
            {"valid_until", FormatDate(f.valid_until, f.lang)},
            {"today", FormatDate(f.today, f.lang)}};
}

ProposalDraft BuildProposal(const ProposalFacts& f) {
    const core::Lang lang = f.lang;
    const auto values = ProposalValues(f);
    ProposalDraft out;
    Proposal& rec = out.record;
    rec.deal_id = f.deal_id;
    rec.version = f.version;
    rec.title = ProposalTitle(f.deal_id, f.version, lang);
    rec.intro_text = FillPlaceholders(f.intro_template, values);
    rec.terms_text = FillPlaceholders(f.terms_template, values);
    rec.valid_until = f.valid_until;
    rec.currency = f.currency;

    PdfDocument& doc = out.pdf;
    doc.lang = lang;
    doc.seller = f.seller.org;
    doc.logo_png = f.logo_png;
    doc.title = rec.title;
    doc.subtitle = (Ru(lang) ? "от " : "of ") + FormatDate(f.today, lang);
    doc.currency = f.currency;
    doc.columns = PdfTableColumns{true, true, false};
    if (!f.client_name.empty()) doc.info.push_back({Ru(lang) ? "Клиент" : "Client", f.client_name});
    if (!f.contact_name.empty() && f.contact_name != f.client_name)
        doc.info.push_back({Ru(lang) ? "Контактное лицо" : "Contact", f.contact_name});
    doc.info.push_back({Ru(lang) ? "Действительно до" : "Valid until", FormatDate(f.valid_until, lang)});
    if (!rec.intro_text.empty()) doc.before.push_back({"", rec.intro_text});

    // The lines, or one line of the deal's amount; VAT is inside the prices, per rate.
    std::map<int, std::int64_t> vat_by_rate;
    std::int64_t total = 0;
    if (f.lines.empty()) {
        PdfLine l;
        l.name = f.deal_title;
        l.quantity_milli = catalog::kMilli;
        l.unit = Ru(lang) ? "компл." : "set";
        l.unit_price_minor = f.deal_amount_minor;
        l.amount_minor = f.deal_amount_minor;
        doc.lines.push_back(l);
        total = f.deal_amount_minor;
        rec.lines_source = "deal_amount";
    } else {
        for (const auto& dl : f.lines) {
            PdfLine l;
            l.name = dl.name;
            l.sku = dl.sku;
            l.unit = dl.unit;
            l.quantity_milli = dl.quantity_milli;
            l.unit_price_minor = dl.unit_price_minor;
            l.discount_bp = dl.discount_bp;
            l.vat_rate_bp = dl.vat_rate_bp;
            l.vat_minor = catalog::VatIncluded(dl.amount_minor, dl.vat_rate_bp);
            l.amount_minor = dl.amount_minor;
            if (dl.vat_rate_bp > 0) vat_by_rate[dl.vat_rate_bp] += l.vat_minor;
            total += dl.amount_minor;
            doc.lines.push_back(l);
        }
        rec.lines_source = "deal_lines";
    }
    doc.columns.discount =
        std::any_of(doc.lines.begin(), doc.lines.end(), [](const PdfLine& l) { return l.discount_bp; });
    rec.line_count = static_cast<int>(doc.lines.size());
    rec.total_minor = total;
    doc.totals.push_back({Ru(lang) ? "Итого" : "Total", total});
    for (const auto& [rate, vat] : vat_by_rate)
        doc.totals.push_back({(Ru(lang) ? "в т. ч. НДС " : "incl. VAT ") + FormatPercentBp(rate, lang) + " %", vat});
    if (!rec.terms_text.empty()) doc.after.push_back({Ru(lang) ? "Условия" : "Terms", rec.terms_text});
    std::string signer_role = f.seller.signer_title;
    std::string signer_name = f.seller.signer_name;
    if (signer_name.empty()) {
        signer_role = Ru(lang) ? "Менеджер" : "Manager";
        signer_name = f.owner_name;
    }
    if (!signer_name.empty()) doc.signatures.push_back({signer_role, signer_name});
    doc.footer_note = rec.title;
    return out;
}

// ---- sending by e-mail ----

const std::vector<std::string>& MailDocKinds() {
    static const std::vector<std::string> k{"proposal", "invoice"};
    return k;
}

const std::vector<std::string>& MailPlaceholderNames() {
    static const std::vector<std::string> k{"client.name",     "contact.name",  "deal.title",      "document.number",
                                            "document.amount", "document.date", "company.name",    "company.inn",
                                            "company.phone",   "company.email", "company.website", "signer.name",
                                            "signer.title",    "owner.name",    "owner.email",     "today"};
    return k;
}

MailTemplate DefaultMailTemplate(std::string_view kind, std::string_view lang) {
    MailTemplate t;
    t.kind = std::string(kind);
    t.lang = std::string(lang);
    const bool ru = lang != "en";
    const std::string signature = ru ? "\n\nС уважением,\n{{owner.name}}\n{{company.name}}\n{{company.phone}} "
                                       "{{company.email}}\n{{company.website}}"
                                     : "\n\nKind regards,\n{{owner.name}}\n{{company.name}}\n{{company.phone}} "
                                       "{{company.email}}\n{{company.website}}";
    if (kind == "invoice") {
        t.subject =
            ru ? "Счёт № {{document.number}} — {{company.name}}" : "Invoice {{document.number}} — {{company.name}}";
        t.body = ru ? "Добрый день!\n\nНаправляем счёт № {{document.number}} на сумму {{document.amount}} по сделке "
                      "«{{deal.title}}». Срок оплаты — до {{document.date}}. Счёт с реквизитами для оплаты — во "
                      "вложении (PDF).\n\nПолучатель: {{company.name}}, ИНН {{company.inn}}."
                    : "Hello,\n\nPlease find attached invoice {{document.number}} for {{document.amount}} "
                      "(\"{{deal.title}}\"), due by {{document.date}}. The payment details are in the PDF.\n\n"
                      "Payee: {{company.name}}, INN {{company.inn}}.";
    } else {
        t.subject = ru ? "Коммерческое предложение № {{document.number}} — {{company.name}}"
                       : "Commercial proposal {{document.number}} — {{company.name}}";
        t.body = ru ? "Добрый день!\n\nНаправляем коммерческое предложение № {{document.number}} по сделке "
                      "«{{deal.title}}» на сумму {{document.amount}}. Предложение действует до {{document.date}}; "
                      "сам документ — во вложении (PDF).\n\nБудем рады ответить на вопросы."
                    : "Hello,\n\nPlease find attached our commercial proposal {{document.number}} for "
                      "\"{{deal.title}}\", {{document.amount}} in total, valid until {{document.date}}.\n\n"
                      "We will be glad to answer any questions.";
    }
    t.body += signature;
    return t;
}

core::Result<void> ValidateMailTemplate(const MailTemplate& t) {
    std::vector<FieldError> errs;
    if (Trim(t.subject).empty()) errs.push_back({"subject", "required", ""});
    if (t.subject.find('\n') != std::string::npos) errs.push_back({"subject", "one_line", ""});
    CheckLength(errs, "subject", t.subject, kMaxMailSubject);
    CheckLength(errs, "body", t.body, kMaxMailBody);
    for (const auto& issue : CheckPlaceholders(t.subject, MailPlaceholderNames()))
        errs.push_back({"subject", issue.code, issue.name});
    for (const auto& issue : CheckPlaceholders(t.body, MailPlaceholderNames()))
        errs.push_back({"body", issue.code, issue.name});
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    return core::Ok();
}

std::map<std::string, std::string> MailValues(const MailFacts& f) {
    const std::string currency = f.currency == "RUB" ? (Ru(f.lang) ? "руб." : "RUB") : f.currency;
    return {{"client.name", f.client_name},
            {"contact.name", f.contact_name},
            {"deal.title", f.deal_title},
            {"document.number", f.number},
            {"document.amount", FormatMoney(f.amount_minor, f.lang) + " " + currency},
            {"document.date", IsIsoDay(f.date) ? FormatDate(f.date, f.lang) : f.date},
            {"company.name", f.seller.org.legal_name},
            {"company.inn", f.seller.org.inn},
            {"company.phone", f.seller.org.phone},
            {"company.email", f.seller.org.email},
            {"company.website", f.seller.org.website},
            {"signer.name", f.seller.signer_name},
            {"signer.title", f.seller.signer_title},
            {"owner.name", f.owner_name},
            {"owner.email", f.owner_email},
            {"today", IsIsoDay(f.today) ? FormatDate(f.today, f.lang) : f.today}};
}

std::string FillMail(std::string_view text, const MailFacts& facts) {
    const std::string filled = FillPlaceholders(text, MailValues(facts), MailPlaceholderNames());
    // A line that held only placeholders without values ("{{company.phone}} {{company.email}}" of a workspace with
    // neither) is dropped; a line that was empty in the template stays (paragraphs).
    std::string out;
    std::size_t at = 0, src_at = 0;
    while (at <= filled.size()) {
        std::size_t nl = filled.find('\n', at);
        if (nl == std::string::npos) nl = filled.size();
        std::string_view line = Trim(std::string_view(filled).substr(at, nl - at));
        std::size_t src_nl = text.find('\n', src_at);
        if (src_nl == std::string_view::npos) src_nl = text.size();
        const bool was_blank = Trim(text.substr(src_at, src_nl - src_at)).empty();
        if (!line.empty() || was_blank) {
            out.append(line);
            out += '\n';
        }
        at = nl + 1;
        src_at = src_nl + 1;
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

core::Result<void> NormalizeRecipients(std::vector<std::string>& to, std::vector<std::string>& cc) {
    std::vector<FieldError> errs;
    std::vector<std::string> seen;
    auto pass = [&](std::vector<std::string>& list, const char* field) {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < list.size(); ++i) {
            auto e = clients::NormalizeEmail(list[i]);
            if (!e) {
                errs.push_back({std::string(field) + "/" + std::to_string(i), "invalid_email", ""});
                continue;
            }
            if (Contains(seen, *e)) continue;
            seen.push_back(*e);
            out.push_back(*e);
        }
        list = std::move(out);
    };
    pass(to, "to");
    pass(cc, "cc");
    if (to.empty() && errs.empty()) errs.push_back({"to", "required", ""});
    if (seen.size() > kMaxMailRecipients) errs.push_back({"to", "too_many", std::to_string(kMaxMailRecipients)});
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    return core::Ok();
}

core::Result<void> ValidateMailText(const std::string& subject, const std::string& body) {
    std::vector<FieldError> errs;
    if (Trim(subject).empty()) errs.push_back({"subject", "required", ""});
    if (subject.find('\n') != std::string::npos || subject.find('\r') != std::string::npos)
        errs.push_back({"subject", "one_line", ""});
    CheckLength(errs, "subject", subject, kMaxMailSubject);
    CheckLength(errs, "body", body, kMaxMailBody);
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    return core::Ok();
}

std::string AttachmentNote(std::string_view file_name, core::Lang lang) {
    return std::string(Ru(lang) ? "Вложение: " : "Attachment: ") + std::string(file_name);
}

}  // namespace otdel::documents
