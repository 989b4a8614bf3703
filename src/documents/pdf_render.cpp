// RenderPdf: measures every piece of a PdfDocument with pango, cuts the flow into pages (layout::LayOut), then draws
// page by page on a cairo PDF surface. Text goes through pango as plain text (never markup), so nothing a user typed
// is interpreted.
#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "documents/pdf.hpp"
#include "documents/pdf_layout.hpp"
#include "documents/pdf_png.hpp"

namespace otdel::documents {
namespace {

// A4 in points, margins of 15 mm, the footer band at the bottom.
constexpr double kPageW = 595.2756;
constexpr double kPageH = 841.8898;
constexpr double kMargin = 42.52;
constexpr double kFooterBand = 30;
constexpr double kContentW = kPageW - 2 * kMargin;
constexpr double kLogoMaxW = 160, kLogoMaxH = 60;
constexpr double kCellPad = 3;
constexpr double kRule = 0.5;

constexpr const char* kFont = "DejaVu Sans";

bool Ru(core::Lang l) {
    return l == core::Lang::kRu;
}
const char* Tr(core::Lang l, const char* ru, const char* en) {
    return Ru(l) ? ru : en;
}

// Text for pango must be valid UTF-8.
std::string Valid(const std::string& s) {
    if (g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr)) return s;
    gchar* fixed = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
    std::string out(fixed);
    g_free(fixed);
    return out;
}

using LayoutPtr = std::shared_ptr<PangoLayout>;
using Draw = std::function<void(cairo_t*, double x, double y)>;

struct Style {
    double size = 9;
    bool bold = false;
    double grey = 0;  // 0 black … 1 white
    PangoAlignment align = PANGO_ALIGN_LEFT;
};

class Measure {
public:
    explicit Measure(cairo_t* cr) : ctx_(pango_cairo_create_context(cr)) {
        // Metrics unhinted: the same widths on every page and in every viewer.
        cairo_font_options_t* fo = cairo_font_options_create();
        cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
        pango_cairo_context_set_font_options(ctx_, fo);
        cairo_font_options_destroy(fo);
    }
    ~Measure() { g_object_unref(ctx_); }
    Measure(const Measure&) = delete;
    Measure& operator=(const Measure&) = delete;

    LayoutPtr Text(const std::string& text, const Style& st, double width) const {
        PangoLayout* l = pango_layout_new(ctx_);
        PangoFontDescription* fd = pango_font_description_from_string(kFont);
        pango_font_description_set_absolute_size(fd, st.size * PANGO_SCALE);
        pango_font_description_set_weight(fd, st.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_layout_set_font_description(l, fd);
        pango_font_description_free(fd);
        pango_layout_set_width(l, static_cast<int>(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_alignment(l, st.align);
        const std::string valid = Valid(text);
        pango_layout_set_text(l, valid.c_str(), static_cast<int>(valid.size()));
        return LayoutPtr(l, g_object_unref);
    }

private:
    PangoContext* ctx_;
};

double Height(const LayoutPtr& l) {
    int w = 0, h = 0;
    pango_layout_get_size(l.get(), &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
}

void ShowLayout(cairo_t* cr, const LayoutPtr& l, double x, double y, double grey) {
    cairo_set_source_rgb(cr, grey, grey, grey);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l.get());
}

// One line of a wrapped layout: its height and how to draw it with its top at y.
struct Line {
    double height = 0;
    Draw draw;
};

std::vector<Line> LinesOf(const LayoutPtr& l, double grey) {
    std::vector<Line> out;
    PangoLayoutIter* it = pango_layout_get_iter(l.get());
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, nullptr, &logical);
        const double baseline = static_cast<double>(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
        const double dx = static_cast<double>(logical.x) / PANGO_SCALE;
        PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it);
        out.push_back({static_cast<double>(logical.height) / PANGO_SCALE,
                       [l, line, baseline, dx, grey](cairo_t* cr, double x, double y) {
                           cairo_set_source_rgb(cr, grey, grey, grey);
                           cairo_move_to(cr, x + dx, y + baseline);
                           pango_cairo_show_layout_line(cr, line);
                       }});
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return out;
}

void HLine(cairo_t* cr, double x, double y, double w, double grey = 0.55) {
    cairo_set_source_rgb(cr, grey, grey, grey);
    cairo_set_line_width(cr, kRule);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + w, y);
    cairo_stroke(cr);
}

std::string CurrencyWord(const std::string& currency, core::Lang lang) {
    if (currency == "RUB") return Tr(lang, "руб.", "RUB");
    return currency;
}

// The requisites of a party as lines of text (empty fields left out).
std::string RequisitesText(const PdfRequisites& r, core::Lang lang, bool with_name) {
    std::vector<std::string> lines;
    if (with_name && !r.legal_name.empty()) lines.push_back(r.legal_name);
    std::string ids;
    auto add_id = [&](const char* label, const std::string& v) {
        if (v.empty()) return;
        if (!ids.empty()) ids += ", ";
        ids += std::string(label) + " " + v;
    };
    add_id(Tr(lang, "ИНН", "INN"), r.inn);
    add_id(Tr(lang, "КПП", "KPP"), r.kpp);
    add_id(Tr(lang, "ОГРН", "OGRN"), r.ogrn);
    if (!ids.empty()) lines.push_back(ids);
    if (!r.address.empty()) lines.push_back(std::string(Tr(lang, "Адрес: ", "Address: ")) + r.address);
    std::string bank;
    auto add_bank = [&](const char* label, const std::string& v) {
        if (v.empty()) return;
        if (!bank.empty()) bank += ", ";
        bank += std::string(label) + v;
    };
    add_bank(Tr(lang, "р/с ", "account "), r.account);
    add_bank(Tr(lang, "в ", "at "), r.bank_name);
    add_bank(Tr(lang, "БИК ", "BIC "), r.bik);
    add_bank(Tr(lang, "к/с ", "corr. account "), r.corr_account);
    if (!bank.empty()) lines.push_back(bank);
    std::string contact;
    auto add_contact = [&](const char* label, const std::string& v) {
        if (v.empty()) return;
        if (!contact.empty()) contact += ", ";
        contact += std::string(label) + v;
    };
    add_contact(Tr(lang, "тел. ", "phone "), r.phone);
    add_contact("", r.email);
    add_contact("", r.website);
    if (!contact.empty()) lines.push_back(contact);
    std::string out;
    for (const auto& l : lines) {
        if (!out.empty()) out += '\n';
        out += l;
    }
    return out;
}

// The logo when it passes ValidateLogo's checks (a stored logo always does; this keeps a bad one out of the page).
ImagePtr DecodeLogo(const std::string& png) {
    if (png.empty() || !CheckLogoHeader(png)) return ImagePtr(nullptr, cairo_surface_destroy);
    return DecodePng(png);
}

// A column of the lines table.
struct Column {
    std::string title;
    double width = 0;  // 0: takes what the others leave (the name)
    PangoAlignment align = PANGO_ALIGN_RIGHT;
    std::function<std::string(const PdfLine&, std::size_t index)> cell;
};

std::vector<Column> LineColumns(const PdfDocument& doc) {
    const core::Lang lang = doc.lang;
    const std::string cur = CurrencyWord(doc.currency, lang);
    std::vector<Column> cols;
    cols.push_back({"№", 22, PANGO_ALIGN_RIGHT, [](const PdfLine&, std::size_t i) { return std::to_string(i + 1); }});
    cols.push_back({Tr(lang, "Наименование", "Item"), 0, PANGO_ALIGN_LEFT, nullptr});
    cols.push_back({Tr(lang, "Кол-во", "Qty"), 46, PANGO_ALIGN_RIGHT,
                    [lang](const PdfLine& l, std::size_t) { return FormatQuantity(l.quantity_milli, lang); }});
    cols.push_back(
        {Tr(lang, "Ед.", "Unit"), 42, PANGO_ALIGN_LEFT, [](const PdfLine& l, std::size_t) { return l.unit; }});
    cols.push_back({std::string(Tr(lang, "Цена, ", "Price, ")) + cur, 64, PANGO_ALIGN_RIGHT,
                    [lang](const PdfLine& l, std::size_t) { return FormatMoney(l.unit_price_minor, lang); }});
    if (doc.columns.discount)
        cols.push_back(
            {Tr(lang, "Скидка, %", "Disc., %"), 48, PANGO_ALIGN_RIGHT, [lang](const PdfLine& l, std::size_t) {
                 return l.discount_bp ? FormatPercentBp(l.discount_bp, lang) : std::string("—");
             }});
    if (doc.columns.vat) {
        cols.push_back({Tr(lang, "НДС, %", "VAT, %"), 40, PANGO_ALIGN_RIGHT, [lang](const PdfLine& l, std::size_t) {
                            return l.vat_rate_bp ? FormatPercentBp(*l.vat_rate_bp, lang)
                                                 : std::string(Tr(lang, "без НДС", "no VAT"));
                        }});
        cols.push_back({std::string(Tr(lang, "НДС, ", "VAT, ")) + cur, 60, PANGO_ALIGN_RIGHT,
                        [lang](const PdfLine& l, std::size_t) {
                            return l.vat_rate_bp ? FormatMoney(l.vat_minor, lang) : std::string("—");
                        }});
    }
    cols.push_back({std::string(Tr(lang, "Сумма, ", "Amount, ")) + cur, 72, PANGO_ALIGN_RIGHT,
                    [lang](const PdfLine& l, std::size_t) { return FormatMoney(l.amount_minor, lang); }});
    double fixed = 0;
    for (const auto& c : cols) fixed += c.width;
    for (auto& c : cols)
        if (c.width == 0) c.width = std::max(80.0, kContentW - fixed);
    return cols;
}

// A row of table cells: each cell's layouts stacked; the row is as tall as its tallest cell.
struct Row {
    double height = 0;
    Draw draw;
};

Row TableRow(const std::vector<std::vector<LayoutPtr>>& cells, const std::vector<double>& widths, bool heading,
             const std::vector<double>& greys) {
    double h = 0;
    for (const auto& stack : cells) {
        double ch = 0;
        for (const auto& l : stack) ch += Height(l);
        h = std::max(h, ch);
    }
    h += 2 * kCellPad;
    Row row;
    row.height = h;
    row.draw = [cells, widths, heading, greys, h](cairo_t* cr, double x, double y) {
        double total = 0;
        for (double w : widths) total += w;
        if (heading) {
            cairo_set_source_rgb(cr, 0.92, 0.93, 0.95);
            cairo_rectangle(cr, x, y, total, h);
            cairo_fill(cr);
        }
        double cx = x;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            double cy = y + kCellPad;
            for (std::size_t k = 0; k < cells[i].size(); ++k) {
                ShowLayout(cr, cells[i][k], cx + kCellPad, cy, k == 0 ? 0 : greys[i]);
                cy += Height(cells[i][k]);
            }
            cx += widths[i];
        }
        // Grid: the row's box and the column separators.
        cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
        cairo_set_line_width(cr, kRule);
        cairo_rectangle(cr, x, y, total, h);
        cx = x;
        for (std::size_t i = 0; i + 1 < widths.size(); ++i) {
            cx += widths[i];
            cairo_move_to(cr, cx, y);
            cairo_line_to(cr, cx, y + h);
        }
        cairo_stroke(cr);
    };
    return row;
}

// Something the flow places: a block of units with their draw functions.
struct Piece {
    layout::FlowBlock block;
    Draw header;
    std::vector<Draw> draws;
};

void AddParagraph(std::vector<Piece>& pieces, const Measure& m, const PdfParagraph& p, double space_before) {
    Piece piece;
    piece.block.space_before = space_before;
    if (!p.heading.empty()) {
        for (auto& line : LinesOf(m.Text(p.heading, {10, true}, kContentW), 0)) {
            piece.block.units.push_back(line.height + 2);
            piece.draws.push_back(line.draw);
        }
        piece.block.keep_first = piece.block.units.size() + 1;
    }
    if (!p.text.empty()) {
        for (auto& line : LinesOf(m.Text(p.text, {9.5}, kContentW), 0)) {
            piece.block.units.push_back(line.height);
            piece.draws.push_back(line.draw);
        }
    }
    piece.block.keep_first = std::min(piece.block.keep_first, piece.block.units.size());
    if (!piece.draws.empty()) pieces.push_back(std::move(piece));
}

// A block drawn as one unit that never splits.
void AddWhole(std::vector<Piece>& pieces, double height, Draw draw, double space_before) {
    Piece piece;
    piece.block.space_before = space_before;
    piece.block.units.push_back(height);
    piece.draws.push_back(std::move(draw));
    pieces.push_back(std::move(piece));
}

void AddLinesTable(std::vector<Piece>& pieces, const Measure& m, const PdfDocument& doc) {
    const auto cols = LineColumns(doc);
    std::vector<double> widths;
    std::vector<double> greys;
    for (const auto& c : cols) {
        widths.push_back(c.width);
        greys.push_back(0.4);
    }
    std::vector<std::vector<LayoutPtr>> head;
    for (const auto& c : cols) head.push_back({m.Text(c.title, {7.5, true, 0, c.align}, c.width - 2 * kCellPad)});
    Row heading = TableRow(head, widths, true, greys);

    Piece piece;
    piece.block.space_before = 10;
    piece.block.header = heading.height;
    piece.header = heading.draw;
    for (std::size_t i = 0; i < doc.lines.size(); ++i) {
        const PdfLine& line = doc.lines[i];
        std::vector<std::vector<LayoutPtr>> cells;
        for (const auto& c : cols) {
            const double w = c.width - 2 * kCellPad;
            if (!c.cell) {  // the name, and the SKU under it
                std::vector<LayoutPtr> stack{m.Text(line.name, {8, false, 0, PANGO_ALIGN_LEFT}, w)};
                if (doc.columns.sku && !line.sku.empty())
                    stack.push_back(m.Text(line.sku, {6.5, false, 0.4, PANGO_ALIGN_LEFT}, w));
                cells.push_back(std::move(stack));
            } else {
                cells.push_back({m.Text(c.cell(line, i), {8, false, 0, c.align}, w)});
            }
        }
        Row row = TableRow(cells, widths, false, greys);
        piece.block.units.push_back(row.height);
        piece.draws.push_back(row.draw);
    }
    pieces.push_back(std::move(piece));
}

void AddTotals(std::vector<Piece>& pieces, const Measure& m, const PdfDocument& doc) {
    if (doc.totals.empty() && doc.amount_in_words.empty()) return;
    Piece piece;
    piece.block.space_before = 6;
    constexpr double kAmountW = 90;
    const double label_w = kContentW - kAmountW;
    for (std::size_t i = 0; i < doc.totals.size(); ++i) {
        const bool last = i + 1 == doc.totals.size();
        LayoutPtr label = m.Text(doc.totals[i].label + ":", {9, last, 0, PANGO_ALIGN_RIGHT}, label_w - 8);
        LayoutPtr amount =
            m.Text(FormatMoney(doc.totals[i].amount_minor, doc.lang), {9, last, 0, PANGO_ALIGN_RIGHT}, kAmountW);
        const double h = std::max(Height(label), Height(amount)) + 2;
        piece.block.units.push_back(h);
        piece.draws.push_back([label, amount, label_w](cairo_t* cr, double x, double y) {
            ShowLayout(cr, label, x, y, 0);
            ShowLayout(cr, amount, x + label_w, y, 0);
        });
    }
    piece.block.keep_first = piece.block.units.size();
    if (!doc.amount_in_words.empty()) {
        for (auto& line : LinesOf(m.Text(doc.amount_in_words, {9, true}, kContentW), 0)) {
            piece.block.units.push_back(line.height);
            piece.draws.push_back(line.draw);
        }
        piece.block.keep_first += 1;
    }
    pieces.push_back(std::move(piece));
}

void AddSchedule(std::vector<Piece>& pieces, const Measure& m, const PdfDocument& doc) {
    if (doc.schedule.empty()) return;
    if (!doc.schedule_title.empty()) {
        PdfParagraph title{doc.schedule_title, ""};
        AddParagraph(pieces, m, title, 12);
    }
    const core::Lang lang = doc.lang;
    const std::vector<double> widths{22, 90, 100, kContentW - 212};
    const std::vector<double> greys(4, 0.4);
    const std::vector<std::pair<std::string, PangoAlignment>> titles{
        {"№", PANGO_ALIGN_RIGHT},
        {Tr(lang, "Срок оплаты", "Due date"), PANGO_ALIGN_LEFT},
        {std::string(Tr(lang, "Сумма, ", "Amount, ")) + CurrencyWord(doc.currency, lang), PANGO_ALIGN_RIGHT},
        {Tr(lang, "Примечание", "Note"), PANGO_ALIGN_LEFT}};
    std::vector<std::vector<LayoutPtr>> head;
    for (std::size_t i = 0; i < titles.size(); ++i)
        head.push_back({m.Text(titles[i].first, {7.5, true, 0, titles[i].second}, widths[i] - 2 * kCellPad)});
    Row heading = TableRow(head, widths, true, greys);
    Piece piece;
    piece.block.space_before = doc.schedule_title.empty() ? 10 : 2;
    piece.block.header = heading.height;
    piece.header = heading.draw;
    for (std::size_t i = 0; i < doc.schedule.size(); ++i) {
        const auto& s = doc.schedule[i];
        const std::vector<std::pair<std::string, PangoAlignment>> values{
            {std::to_string(i + 1), PANGO_ALIGN_RIGHT},
            {s.due_date, PANGO_ALIGN_LEFT},
            {FormatMoney(s.amount_minor, lang), PANGO_ALIGN_RIGHT},
            {s.note, PANGO_ALIGN_LEFT}};
        std::vector<std::vector<LayoutPtr>> cells;
        for (std::size_t k = 0; k < values.size(); ++k)
            cells.push_back({m.Text(values[k].first, {8, false, 0, values[k].second}, widths[k] - 2 * kCellPad)});
        Row row = TableRow(cells, widths, false, greys);
        piece.block.units.push_back(row.height);
        piece.draws.push_back(row.draw);
    }
    pieces.push_back(std::move(piece));
}

void AddSignatures(std::vector<Piece>& pieces, const Measure& m, const PdfDocument& doc) {
    if (doc.signatures.empty()) return;
    Piece piece;
    piece.block.space_before = 24;
    constexpr double kRoleW = 200, kLineW = 120;
    for (const auto& s : doc.signatures) {
        LayoutPtr role = m.Text(s.role, {9}, kRoleW - 8);
        LayoutPtr name = m.Text(s.name, {9}, kContentW - kRoleW - kLineW - 16);
        LayoutPtr hint = m.Text(Tr(doc.lang, "подпись", "signature"), {6.5, false, 0.45, PANGO_ALIGN_CENTER}, kLineW);
        const double line_y = std::max(Height(role), Height(name)) + 2;
        const double h = line_y + Height(hint) + 14;
        piece.block.units.push_back(h);
        piece.draws.push_back([role, name, hint, line_y](cairo_t* cr, double x, double y) {
            ShowLayout(cr, role, x, y, 0);
            HLine(cr, x + kRoleW, y + line_y, kLineW, 0.2);
            ShowLayout(cr, hint, x + kRoleW, y + line_y + 1, 0.45);
            ShowLayout(cr, name, x + kRoleW + kLineW + 16, y, 0);
        });
    }
    piece.block.keep_first = piece.block.units.size();
    pieces.push_back(std::move(piece));
}

cairo_status_t WriteToString(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::string RenderPdf(const PdfDocument& doc) {
    std::string out;
    cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(WriteToString, &out, kPageW, kPageH);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, Valid(doc.title).c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Otdel");
    cairo_t* cr = cairo_create(surface);
    const core::Lang lang = doc.lang;
    {
        Measure m(cr);

        // ---- the first page's header: requisites left, logo right ----
        ImagePtr logo = DecodeLogo(doc.logo_png);
        double logo_w = 0, logo_h = 0;
        if (logo) {
            const double iw = cairo_image_surface_get_width(logo.get());
            const double ih = cairo_image_surface_get_height(logo.get());
            const double scale = std::min({kLogoMaxW / iw, kLogoMaxH / ih, 1.0});
            logo_w = iw * scale;
            logo_h = ih * scale;
        }
        const double req_w = kContentW - (logo ? logo_w + 16 : 0);
        LayoutPtr seller_name = m.Text(doc.seller.legal_name, {11, true}, req_w);
        LayoutPtr seller_req = m.Text(RequisitesText(doc.seller, lang, false), {7.5, false, 0.25}, req_w);
        const double text_h = (doc.seller.legal_name.empty() ? 0 : Height(seller_name) + 2) + Height(seller_req);
        const double first_header_h = std::max(text_h, logo_h) + 10;
        // ---- later pages: one running line ----
        std::string running = doc.seller.legal_name;
        if (!doc.title.empty()) running += (running.empty() ? "" : "  ·  ") + doc.title;
        LayoutPtr running_l = m.Text(running, {7.5, false, 0.4}, kContentW);
        pango_layout_set_ellipsize(running_l.get(), PANGO_ELLIPSIZE_END);
        const double running_h = Height(running_l) + 10;

        // ---- the flow ----
        std::vector<Piece> pieces;
        {
            Piece title;
            for (auto& line : LinesOf(m.Text(doc.title, {14, true}, kContentW), 0)) {
                title.block.units.push_back(line.height);
                title.draws.push_back(line.draw);
            }
            if (!doc.subtitle.empty())
                for (auto& line : LinesOf(m.Text(doc.subtitle, {9.5, false, 0.3}, kContentW), 0.3)) {
                    title.block.units.push_back(line.height);
                    title.draws.push_back(line.draw);
                }
            title.block.space_before = 4;
            title.block.keep_first = title.block.units.size();
            if (!title.draws.empty()) pieces.push_back(std::move(title));
        }
        auto add_party = [&](const std::string& label, const PdfRequisites& r) {
            if (label.empty() || r.legal_name.empty()) return;
            LayoutPtr l = m.Text(label + ":", {9, true}, 110);
            LayoutPtr body = m.Text(RequisitesText(r, lang, true), {8.5}, kContentW - 116);
            const double h = std::max(Height(l), Height(body)) + 4;
            AddWhole(
                pieces, h,
                [l, body](cairo_t* c, double x, double y) {
                    ShowLayout(c, l, x, y, 0);
                    ShowLayout(c, body, x + 116, y, 0);
                },
                pieces.empty() ? 0 : 6);
        };
        add_party(doc.seller_block_label, doc.seller);
        if (doc.buyer) add_party(doc.buyer_block_label, *doc.buyer);
        for (std::size_t i = 0; i < doc.info.size(); ++i) {
            LayoutPtr l = m.Text(doc.info[i].label + ":", {9, true}, 150);
            LayoutPtr v = m.Text(doc.info[i].value, {9}, kContentW - 156);
            AddWhole(
                pieces, std::max(Height(l), Height(v)) + 2,
                [l, v](cairo_t* c, double x, double y) {
                    ShowLayout(c, l, x, y, 0);
                    ShowLayout(c, v, x + 156, y, 0);
                },
                i == 0 ? 8 : 0);
        }
        for (const auto& p : doc.before) AddParagraph(pieces, m, p, 8);
        if (!doc.lines.empty()) AddLinesTable(pieces, m, doc);
        AddTotals(pieces, m, doc);
        AddSchedule(pieces, m, doc);
        for (const auto& p : doc.after) AddParagraph(pieces, m, p, 10);
        AddSignatures(pieces, m, doc);

        std::vector<layout::FlowBlock> blocks;
        blocks.reserve(pieces.size());
        for (const auto& p : pieces) blocks.push_back(p.block);
        const double bottom = kPageH - kMargin - kFooterBand;
        const layout::FlowPages pages{bottom - (kMargin + first_header_h), bottom - (kMargin + running_h)};
        const layout::Flow flow = layout::LayOut(pages, blocks);

        // What goes on each page, in flow order.
        std::vector<std::vector<std::pair<double, const Draw*>>> on_page(static_cast<std::size_t>(flow.pages));
        for (std::size_t b = 0; b < pieces.size(); ++b) {
            const auto& places = flow.blocks[b];
            for (const auto& h : places.headers) on_page[h.page].push_back({h.y, &pieces[b].header});
            for (std::size_t u = 0; u < places.units.size(); ++u)
                on_page[places.units[u].page].push_back({places.units[u].y, &pieces[b].draws[u]});
        }

        for (int page = 0; page < flow.pages; ++page) {
            double top = kMargin;
            if (page == 0) {
                double y = kMargin;
                if (!doc.seller.legal_name.empty()) {
                    ShowLayout(cr, seller_name, kMargin, y, 0);
                    y += Height(seller_name) + 2;
                }
                ShowLayout(cr, seller_req, kMargin, y, 0.25);
                if (logo) {
                    cairo_save(cr);
                    cairo_translate(cr, kPageW - kMargin - logo_w, kMargin);
                    cairo_scale(cr, logo_w / cairo_image_surface_get_width(logo.get()),
                                logo_h / cairo_image_surface_get_height(logo.get()));
                    cairo_set_source_surface(cr, logo.get(), 0, 0);
                    cairo_paint(cr);
                    cairo_restore(cr);
                }
                top += first_header_h;
            } else {
                ShowLayout(cr, running_l, kMargin, kMargin, 0.4);
                top += running_h;
            }
            HLine(cr, kMargin, top - 5, kContentW);
            // Content is clipped to its band, so an oversized unit cannot run into the footer.
            cairo_save(cr);
            cairo_rectangle(cr, 0, top - 1, kPageW, bottom - top + 2);
            cairo_clip(cr);
            for (const auto& [y, draw] : on_page[page]) (*draw)(cr, kMargin, top + y);
            cairo_restore(cr);

            // Footer: the note left, "Страница N из M" right.
            HLine(cr, kMargin, kPageH - kMargin - 14, kContentW, 0.75);
            const std::string number = std::string(Tr(lang, "Страница ", "Page ")) + std::to_string(page + 1) +
                                       Tr(lang, " из ", " of ") + std::to_string(flow.pages);
            LayoutPtr num = m.Text(number, {7.5, false, 0.4, PANGO_ALIGN_RIGHT}, 120);
            ShowLayout(cr, num, kPageW - kMargin - 120, kPageH - kMargin - 10, 0.4);
            if (!doc.footer_note.empty()) {
                LayoutPtr note = m.Text(doc.footer_note, {7.5, false, 0.4}, kContentW - 130);
                pango_layout_set_ellipsize(note.get(), PANGO_ELLIPSIZE_END);
                ShowLayout(cr, note, kMargin, kPageH - kMargin - 10, 0.4);
            }
            cairo_show_page(cr);
        }
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    const cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(std::string("cairo could not render the PDF: ") + cairo_status_to_string(status));
    return out;
}

}  // namespace otdel::documents
