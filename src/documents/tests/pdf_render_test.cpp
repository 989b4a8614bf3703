// The renderer end to end: a PDF with Cyrillic text and a long table, read back with pdftotext (poppler-utils).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "documents/pdf.hpp"

namespace otdel::documents {
namespace {

struct Pdf {
    std::string text;
    int pages = 0;
};

std::string Run(const std::string& command) {
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) return out;
    std::array<char, 4096> buf{};
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe.get())) out.append(buf.data(), n);
    return out;
}

// pdftotext for the text (layout dropped: one run of text per line), pdfinfo for the page count.
Pdf ReadBack(const std::string& bytes) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("otdel_pdf_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                       ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".pdf");
    std::ofstream(path, std::ios::binary) << bytes;
    Pdf pdf;
    pdf.text = Run("pdftotext -enc UTF-8 '" + path.string() + "' - 2>/dev/null");
    const std::string info = Run("pdfinfo '" + path.string() + "' 2>/dev/null");
    if (auto at = info.find("Pages:"); at != std::string::npos) pdf.pages = std::stoi(info.substr(at + 6));
    std::filesystem::remove(path);
    return pdf;
}

int Count(const std::string& haystack, const std::string& needle) {
    int n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++n;
    return n;
}

PdfDocument Proposal(int lines) {
    PdfDocument doc;
    doc.seller.legal_name = "ООО «Кухни Сибири»";
    doc.seller.inn = "5406123456";
    doc.seller.kpp = "540601001";
    doc.seller.address = "630099, г. Новосибирск, ул. Ленина, д. 12, офис 301";
    doc.seller.bank_name = "АО «Альфа-Банк»";
    doc.seller.bik = "044525593";
    doc.seller.account = "40702810123450000001";
    doc.seller.corr_account = "30101810200000000593";
    doc.title = "Коммерческое предложение № КП-7 (версия 2)";
    doc.info = {{"Клиент", "Ёлкина Жанна Щукина"}, {"Действительно до", "31.12.2025"}};
    doc.before = {{"", "Уважаемая Жанна! Предлагаем изготовить кухню «Съешь же ещё этих мягких французских булок»."}};
    for (int i = 0; i < lines; ++i) {
        PdfLine l;
        l.name = "Фасад МДФ эмаль, цвет «Шалфей», фрезеровка «Классика», позиция " + std::to_string(i + 1) +
                 (i % 5 == 0 ? " — длинное название, которое переносится на несколько строк внутри своей колонки "
                               "таблицы и не должно ломать вёрстку"
                             : "");
        l.sku = "FAS-" + std::to_string(1000 + i);
        l.unit = "шт";
        l.quantity_milli = 1500;
        l.unit_price_minor = 1234567;
        l.discount_bp = 1250;
        l.amount_minor = 1620369;
        doc.lines.push_back(l);
    }
    doc.totals = {{"Итого", 123456789}};
    doc.after = {{"Условия", "Предоплата 50 %, остаток — до отгрузки.\nГарантия 24 месяца."}};
    doc.signatures = {{"Менеджер", "Д. Кузнецов"}};
    doc.footer_note = "КП-7 · v2";
    return doc;
}

TEST(PdfRender, CyrillicComesBackExactly) {
    const std::string bytes = RenderPdf(Proposal(3));
    ASSERT_EQ(bytes.rfind("%PDF-", 0), 0u);
    const Pdf pdf = ReadBack(bytes);
    EXPECT_EQ(pdf.pages, 1);
    for (const char* s : {"ООО «Кухни Сибири»", "Коммерческое предложение № КП-7 (версия 2)", "Ёлкина Жанна Щукина",
                          "Съешь же ещё этих мягких", "Гарантия 24 месяца.", "Страница 1 из 1",
                          "ИНН 5406123456, КПП 540601001", "Наименование", "Д. Кузнецов", "FAS-1002"})
        EXPECT_NE(pdf.text.find(s), std::string::npos) << s << "\n---\n" << pdf.text;
    // Thousands are separated by no-break spaces, which pdftotext gives back as plain ones.
    EXPECT_NE(pdf.text.find("1 234 567,89"), std::string::npos) << pdf.text;
}

TEST(PdfRender, LongTableBreaksPagesAndRepeatsTheHeading) {
    const std::string bytes = RenderPdf(Proposal(90));
    const Pdf pdf = ReadBack(bytes);
    ASSERT_GE(pdf.pages, 3);
    EXPECT_NE(pdf.text.find("Страница " + std::to_string(pdf.pages) + " из " + std::to_string(pdf.pages)),
              std::string::npos);
    // The table's heading on every page it continues onto; every row exactly once.
    EXPECT_EQ(Count(pdf.text, "Наименование"), pdf.pages);
    for (int i = 1; i <= 90; ++i) EXPECT_EQ(Count(pdf.text, "FAS-" + std::to_string(999 + i) + "\n"), 1) << i;
    EXPECT_NE(pdf.text.find("Гарантия 24 месяца."), std::string::npos);
}

}  // namespace
}  // namespace otdel::documents
