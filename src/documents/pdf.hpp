#pragma once
/// PDF documents of the product — commercial proposals (documents room) and invoices (billing room) — rendered on
/// cairo + pango with DejaVu fonts, so Cyrillic comes out right and is extractable (pdftotext, copy-paste).
///
/// The caller fills a plain PdfDocument; RenderPdf lays it out on A4 pages, in this order:
///   1. header (first page): the seller's requisites on the left, the logo (PNG) on the right;
///      following pages repeat a one-line running header (seller's name · title);
///   2. title and subtitle;
///   3. parties: the seller and buyer requisites blocks (each optional);
///   4. info rows ("Срок действия: до 31.12.2025", "Форма оплаты: безналичный расчёт"…);
///   5. paragraphs before the table (the proposal's intro);
///   6. the table of lines (No, name (wraps; SKU under it), qty, unit, price, [discount], [VAT rate, VAT], amount)
///      — the header row repeats on every page the table continues onto, a row never splits;
///   7. totals (label → amount, right-aligned; the last one bold) and the amount in words, if given;
///   8. the schedule table (instalments: due date, amount, note), if it has rows;
///   9. paragraphs after (terms, payment terms);
///  10. signature lines;
///  every page: "Страница N из M" / "Page N of M" and the footer note.
/// Paragraphs split between lines across pages; the renderer computes nothing of the money: every amount is the
/// caller's, in minor units, formatted with FormatMoney.
///
/// Thread-safe: each call builds its own cairo surface and pango context (fontconfig is initialised once).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/lang.hpp"
#include "core/result.hpp"

namespace otdel::documents {

/// A party's requisites as printed on Russian business documents. Empty fields are left out.
struct PdfRequisites {
    std::string legal_name;  // ООО «Ромашка»
    std::string inn, kpp, ogrn;
    std::string address;                                // legal address
    std::string bank_name, bik, account, corr_account;  // bank, БИК, р/с, к/с
    std::string phone, email, website;
};

/// One line of the table. Money in minor units of PdfDocument::currency.
struct PdfLine {
    std::string name;                 // wraps inside its column
    std::string sku;                  // printed small under the name when set
    std::string unit;                 // шт, м², ч…
    std::int64_t quantity_milli = 0;  // 1.5 → 1500
    std::int64_t unit_price_minor = 0;
    std::int32_t discount_bp = 0;             // basis points: 1250 = 12.5 %
    std::optional<std::int32_t> vat_rate_bp;  // 2000 = 20 %; nullopt prints "без НДС" / "no VAT"
    std::int64_t vat_minor = 0;               // the line's VAT as the caller computed it
    std::int64_t amount_minor = 0;            // the line's total as the caller computed it
};

/// Which optional columns of the lines table are printed.
struct PdfTableColumns {
    bool sku = true;       // under the name, when a line has one
    bool discount = true;  // "Скидка, %"
    bool vat = false;      // "НДС, %" and "НДС" (invoices)
};

/// One row under the table: "Итого" 123 456,00; "в т.ч. НДС 20 %" 20 576,00; "Всего к оплате" …
struct PdfTotal {
    std::string label;
    std::int64_t amount_minor = 0;
};

/// An instalment (or any dated amount) of the schedule table.
struct PdfScheduleRow {
    std::string due_date;  // as printed, e.g. "15.01.2026" (FormatDate turns YYYY-MM-DD into it)
    std::int64_t amount_minor = 0;
    std::string note;
};

struct PdfInfoRow {
    std::string label;  // "Покупатель"
    std::string value;  // wraps
};

struct PdfParagraph {
    std::string heading;  // optional bold line above the text
    std::string text;     // plain text; "\n" starts a new line, blank lines separate paragraphs
};

struct PdfSignature {
    std::string role;  // "Генеральный директор"
    std::string name;  // "И. И. Иванов" — printed under the line
};

struct PdfDocument {
    /// The language of the renderer's own words: column headings, "Страница 1 из 3", "без НДС".
    core::Lang lang = core::Lang::kRu;
    /// Seller / issuer: the header of the first page. legal_name is also the running header of later pages.
    PdfRequisites seller;
    /// PNG bytes (check with ValidateLogo before storing); drawn at most 160×60 pt in the header's right corner.
    std::string logo_png;
    std::string title;  // "Коммерческое предложение № КП-12 (версия 2)" / "Счёт на оплату № 15 от 03.12.2025"
    std::string subtitle;  // optional second line under the title

    /// Requisites blocks under the title (invoices: "Поставщик" and "Покупатель"). Left out when no legal_name.
    std::string seller_block_label;  // e.g. "Поставщик"; empty: the seller block is not repeated under the title
    std::string buyer_block_label;  // e.g. "Покупатель"
    std::optional<PdfRequisites> buyer;

    std::vector<PdfInfoRow> info;
    std::vector<PdfParagraph> before;  // before the table (intro)

    std::string currency = "RUB";  // ISO 4217; headings say "Цена, ₽" for RUB, "Price, USD" otherwise
    PdfTableColumns columns;
    std::vector<PdfLine> lines;  // no table when empty
    std::vector<PdfTotal> totals;
    std::string amount_in_words;  // "Всего наименований 3, на сумму 12 345,00 руб. Двенадцать тысяч…"

    std::string schedule_title;  // "График платежей"
    std::vector<PdfScheduleRow> schedule;

    std::vector<PdfParagraph> after;  // terms, payment terms
    std::vector<PdfSignature> signatures;
    std::string footer_note;  // small text at the bottom of every page, e.g. "КП-12 · v2"
};

/// Lays out and renders `doc` as a PDF (A4 portrait). Returns the file's bytes. Throws std::runtime_error only
/// when cairo fails (out of memory); a logo that does not decode is skipped, so validate logos when storing them.
std::string RenderPdf(const PdfDocument& doc);

/// "1 234 567,89" (ru) / "1,234,567.89" (en) for minor units with two decimals (every currency the product uses).
std::string FormatMoney(std::int64_t minor, core::Lang lang);
/// "1,5" / "1.5" for 1500 milli-units; whole numbers without decimals; at most three decimals, no trailing zeros.
std::string FormatQuantity(std::int64_t milli, core::Lang lang);
/// "12,5" / "12.5" for 1250 basis points (no % sign).
std::string FormatPercentBp(std::int64_t bp, core::Lang lang);
/// "31.12.2025" (ru) / "2025-12-31" (en) for "2025-12-31"; anything else is returned unchanged.
std::string FormatDate(std::string_view iso_day, core::Lang lang);

/// The largest logo accepted, in bytes and in pixels per side.
inline constexpr std::size_t kMaxLogoBytes = 512 * 1024;
inline constexpr int kMaxLogoSide = 2048;

struct LogoInfo {
    int width = 0, height = 0;
};
/// A logo must be a PNG (by its signature and header, not its name) of at most kMaxLogoBytes and kMaxLogoSide pixels
/// per side that decodes whole. Errors: kPayloadTooLarge (bytes), kValidation with field "logo" and code
/// "not_png" | "too_large" (pixels) | "corrupt".
core::Result<LogoInfo> ValidateLogo(std::string_view bytes);

}  // namespace otdel::documents
