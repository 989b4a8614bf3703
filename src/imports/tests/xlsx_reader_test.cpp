// XLSX reader: workbooks written by libxlsxwriter at test time, dates, gaps, and archives built to attack it.
#include <gtest/gtest.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "imports/xlsx_reader.hpp"

namespace otdel::imports {
namespace {

using Cells = std::vector<std::string>;
namespace fs = std::filesystem;

std::string TempPath(const std::string& name) {
    return (fs::temp_directory_path() / ("otdel_xlsx_" + std::to_string(::getpid()) + "_" + name)).string();
}

std::vector<Row> ReadAll(XlsxReader& r) {
    std::vector<Row> rows;
    Row row;
    while (r.Next(row)) rows.push_back(row);
    return rows;
}

TEST(XlsxReader, ReadsStringsNumbersDatesAndGaps) {
    const std::string path = TempPath("basic.xlsx");
    lxw_workbook* wb = workbook_new(path.c_str());
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Контакты");
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "dd.mm.yyyy");
    worksheet_write_string(ws, 0, 0, "Имя", nullptr);
    worksheet_write_string(ws, 0, 1, "Телефон", nullptr);
    worksheet_write_string(ws, 0, 2, "ИНН", nullptr);
    worksheet_write_string(ws, 0, 3, "День рождения", nullptr);
    worksheet_write_string(ws, 1, 0, "Иван", nullptr);
    worksheet_write_number(ws, 1, 1, 79123456789.0, nullptr);
    worksheet_write_string(ws, 1, 2, "7707083893", nullptr);
    lxw_datetime dt = {1985, 3, 7, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 3, &dt, date);
    // Row 3 left empty; row 4 has a gap in column B.
    worksheet_write_string(ws, 3, 0, "Мария", nullptr);
    worksheet_write_number(ws, 3, 2, 1.5, nullptr);
    worksheet_write_boolean(ws, 3, 3, 1, nullptr);
    ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

    std::string error;
    auto reader = XlsxReader::OpenFile(path, {}, error);
    ASSERT_TRUE(reader) << error;
    auto rows = ReadAll(*reader);
    EXPECT_TRUE(reader->error().empty());
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].cells, (Cells{"Имя", "Телефон", "ИНН", "День рождения"}));
    EXPECT_EQ(rows[1].cells, (Cells{"Иван", "79123456789", "7707083893", "1985-03-07"}));
    EXPECT_EQ(rows[2].number, 4);
    EXPECT_EQ(rows[2].cells, (Cells{"Мария", "", "1.5", "TRUE"}));
    fs::remove(path);
}

TEST(XlsxReader, SerialDatesAndFormats) {
    EXPECT_EQ(ExcelSerialToDate(1, false), "1900-01-01");
    EXPECT_EQ(ExcelSerialToDate(59, false), "1900-02-28");
    EXPECT_EQ(ExcelSerialToDate(61, false), "1900-03-01");
    EXPECT_EQ(ExcelSerialToDate(45658, false), "2025-01-01");
    EXPECT_EQ(ExcelSerialToDate(45658.5, false), "2025-01-01 12:00");
    EXPECT_EQ(ExcelSerialToDate(0, true), "");
    EXPECT_EQ(ExcelSerialToDate(1, true), "1904-01-02");
    EXPECT_EQ(ExcelSerialToDate(-3, false), "");
    EXPECT_TRUE(IsDateFormat(14, ""));
    EXPECT_TRUE(IsDateFormat(164, "dd.mm.yyyy"));
    EXPECT_FALSE(IsDateFormat(164, "0.00\" дней\""));
    EXPECT_FALSE(IsDateFormat(164, "[Red]0.00"));
    EXPECT_FALSE(IsDateFormat(2, ""));
    EXPECT_EQ(ColumnIndex("A1"), 0);
    EXPECT_EQ(ColumnIndex("AB12"), 27);
    EXPECT_EQ(ColumnIndex("12"), -1);
    EXPECT_EQ(ColumnIndex("ABCDE1"), -1);
}

// An archive with a workbook and one worksheet whose XML is `sheet`.
std::string MakeZip(const std::string& sheet, const std::string& extra_name = "", int extra_count = 0) {
    const std::string path = TempPath("crafted.xlsx");
    fs::remove(path);
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    auto add = [&](const std::string& name, const std::string& body) {
        auto* copy = new std::string(body);
        zip_source_t* s = zip_source_buffer(z, copy->data(), copy->size(), 0);
        zip_file_add(z, name.c_str(), s, ZIP_FL_OVERWRITE);
        return copy;
    };
    std::vector<std::unique_ptr<std::string>> keep;
    keep.emplace_back(add("xl/workbook.xml",
                          "<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
                          "</workbook>"));
    keep.emplace_back(add("xl/_rels/workbook.xml.rels",
                          "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
                          "</Relationships>"));
    keep.emplace_back(add("xl/worksheets/sheet1.xml", sheet));
    for (int i = 0; i < extra_count; ++i) keep.emplace_back(add(extra_name + std::to_string(i), "x"));
    zip_close(z);
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    fs::remove(path);
    return ss.str();
}

TEST(XlsxReader, InlineStringsWithoutSharedStrings) {
    const std::string bytes = MakeZip(
        "<worksheet><sheetData><row r=\"1\"><c r=\"B1\" t=\"inlineStr\"><is><t>Компания</t></is></c></row>"
        "<row><c t=\"inlineStr\"><is><r><t>ООО </t></r><r><t>Ромашка</t></r></is></c></row></sheetData></worksheet>");
    std::string error;
    auto reader = XlsxReader::OpenBytes(bytes, {}, error);
    ASSERT_TRUE(reader) << error;
    auto rows = ReadAll(*reader);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].cells, (Cells{"", "Компания"}));
    EXPECT_EQ(rows[1].cells, (Cells{"ООО Ромашка"}));
    EXPECT_EQ(rows[1].number, 2);
}

TEST(XlsxReader, ZipBombIsRefused) {
    // 64 MB of one character compresses about a thousandfold: far beyond any real worksheet.
    std::string sheet = "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>";
    sheet.append(64u << 20, 'A');
    sheet += "</t></is></c></row></sheetData></worksheet>";
    const std::string bytes = MakeZip(sheet);
    sheet.clear();
    ASSERT_LT(bytes.size(), 1u << 20);
    std::string error;
    auto reader = XlsxReader::OpenBytes(bytes, {}, error);
    EXPECT_FALSE(reader);
    EXPECT_EQ(error, "zip_bomb");
    // The same with a lying header is caught while inflating: a part-size cap below the real size.
    XlsxLimits small;
    small.max_ratio = 1'000'000;
    small.max_part_bytes = 8u << 20;
    reader = XlsxReader::OpenBytes(bytes, small, error);
    EXPECT_FALSE(reader);
    EXPECT_EQ(error, "zip_bomb");
}

TEST(XlsxReader, TooManyEntriesAndNotAZip) {
    const std::string bytes = MakeZip("<worksheet><sheetData/></worksheet>", "junk/", 50);
    XlsxLimits limits;
    limits.max_entries = 20;
    std::string error;
    EXPECT_FALSE(XlsxReader::OpenBytes(bytes, limits, error));
    EXPECT_EQ(error, "zip_bomb");
    EXPECT_FALSE(XlsxReader::OpenBytes("name,phone\n", {}, error));
    EXPECT_EQ(error, "not_xlsx");
}

TEST(XlsxReader, MalformedXmlAndDoctypeStopReading) {
    std::string error;
    auto reader = XlsxReader::OpenBytes(MakeZip("<worksheet><sheetData><row><c><v>1</v></row>"), {}, error);
    ASSERT_TRUE(reader);
    auto rows = ReadAll(*reader);
    EXPECT_EQ(reader->error(), "malformed_xlsx");
    reader = XlsxReader::OpenBytes(MakeZip("<!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet><sheetData/></worksheet>"),
                                   {}, error);
    ASSERT_TRUE(reader);
    ReadAll(*reader);
    EXPECT_EQ(reader->error(), "malformed_xlsx");
}

}  // namespace
}  // namespace otdel::imports
