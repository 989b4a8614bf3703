// CSV reader: encodings, delimiters, quoting, line endings and broken records.
#include <gtest/gtest.h>

#include <sstream>

#include "imports/csv_reader.hpp"
#include "imports/text_encoding.hpp"

namespace otdel::imports {
namespace {

std::vector<Row> ReadAll(const std::string& data, CsvOptions opts = {}, CsvReader** out = nullptr) {
    static std::unique_ptr<CsvReader> keep;
    keep = std::make_unique<CsvReader>(std::make_unique<std::istringstream>(data), opts);
    if (out) *out = keep.get();
    std::vector<Row> rows;
    Row r;
    while (keep->Next(r)) rows.push_back(r);
    return rows;
}

using Cells = std::vector<std::string>;

TEST(CsvReader, Utf8WithBomCommaAndCrlf) {
    CsvReader* reader = nullptr;
    auto rows = ReadAll("\xEF\xBB\xBFИмя,Телефон\r\nИван,+7 912 000-00-01\r\nПётр,8 912 000 00 02\r\n", {}, &reader);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].cells, (Cells{"Имя", "Телефон"}));
    EXPECT_EQ(rows[2].cells, (Cells{"Пётр", "8 912 000 00 02"}));
    EXPECT_EQ(rows[2].number, 3);
    EXPECT_TRUE(reader->had_bom());
    EXPECT_EQ(reader->encoding(), "utf-8");
    EXPECT_EQ(reader->delimiter(), ',');
}

TEST(CsvReader, Cp1251IsDetectedAndConverted) {
    // "Имя;Город\nОльга;Пермь\n" in cp1251.
    const std::string cp = "\xC8\xEC\xFF;\xC3\xEE\xF0\xEE\xE4\n\xCE\xEB\xFC\xE3\xE0;\xCF\xE5\xF0\xEC\xFC\n";
    CsvReader* reader = nullptr;
    auto rows = ReadAll(cp, {}, &reader);
    EXPECT_EQ(reader->encoding(), "cp1251");
    EXPECT_EQ(reader->delimiter(), ';');
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].cells, (Cells{"Имя", "Город"}));
    EXPECT_EQ(rows[1].cells, (Cells{"Ольга", "Пермь"}));
    EXPECT_TRUE(rows[1].error.empty());
}

TEST(CsvReader, ExplicitEncodingWins) {
    // ASCII-only sample would detect as UTF-8; the caller says cp1251 and the later row is read that way.
    auto rows = ReadAll("a,b\n\xC4\xE0,1\n", CsvOptions{"windows-1251", 0});
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].cells, (Cells{"Да", "1"}));
}

TEST(CsvReader, SniffsSemicolonAndTabOutsideQuotes) {
    EXPECT_EQ(SniffDelimiter("name;phone\n\"Smith, John\";1\n\"Doe, Jane\";2\n"), ';');
    EXPECT_EQ(SniffDelimiter("a\tb\tc\n1\t2\t3\n"), '\t');
    EXPECT_EQ(SniffDelimiter("a,b\n1,2\n"), ',');
    EXPECT_EQ(SniffDelimiter("single\ncolumn\n"), ',');
    auto rows = ReadAll("a\tb\n x \t\"y\"\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].cells, (Cells{"x", "y"}));  // unquoted cells lose surrounding spaces
}

TEST(CsvReader, QuotedFieldsWithDelimitersQuotesAndNewlines) {
    auto rows = ReadAll("name,notes\n\"ООО \"\"Ромашка\"\", Москва\",\"line1\nline2\"\nnext,x\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].cells, (Cells{"ООО \"Ромашка\", Москва", "line1\nline2"}));
    EXPECT_EQ(rows[1].line, 2);
    EXPECT_EQ(rows[2].cells, (Cells{"next", "x"}));
    EXPECT_EQ(rows[2].number, 3);
    EXPECT_EQ(rows[2].line, 4);
}

TEST(CsvReader, LastLineWithoutNewlineAndBlankLines) {
    auto rows = ReadAll("a,b\n\n1,2\n\n3,4");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[2].cells, (Cells{"3", "4"}));
    EXPECT_EQ(rows[2].line, 5);
}

TEST(CsvReader, StrayQuoteRejectsOnlyThatRow) {
    auto rows = ReadAll("a,b\n1,\"x\"y\n2,ok\n3,ab\"c\n4,fine\n");
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows[1].error, "broken_quote");
    EXPECT_EQ(rows[1].number, 2);
    EXPECT_EQ(rows[2].cells, (Cells{"2", "ok"}));
    EXPECT_EQ(rows[3].error, "broken_quote");
    EXPECT_EQ(rows[3].line, 4);
    EXPECT_EQ(rows[4].cells, (Cells{"4", "fine"}));
}

TEST(CsvReader, UnclosedQuoteAtEndReparsesFollowingLines) {
    auto rows = ReadAll("a,b\n1,\"never closed\n2,two\n3,three\n");
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[1].error, "broken_quote");
    EXPECT_EQ(rows[1].line, 2);
    EXPECT_EQ(rows[2].cells, (Cells{"2", "two"}));
    EXPECT_EQ(rows[3].cells, (Cells{"3", "three"}));
}

TEST(CsvReader, UnclosedQuoteIsCutAtTheRecordLimit) {
    std::string data = "a,b\n1,\"open\n";
    for (int i = 0; i < 200; ++i) data += std::to_string(i + 2) + ",row\n";
    CsvOptions opts;
    opts.max_record_bytes = 256;
    auto rows = ReadAll(data, opts);
    ASSERT_GE(rows.size(), 150u);
    EXPECT_EQ(rows[1].error, "broken_quote");
    // Every later line still arrives as its own row.
    EXPECT_EQ(rows.back().cells, (Cells{"201", "row"}));
}

TEST(CsvReader, LongLineIsRejectedNotCut) {
    // Found by fuzzing: a line longer than the limit but properly ended used to come through whole.
    CsvOptions opts;
    opts.max_record_bytes = 64;
    auto rows = ReadAll("a,b\n" + std::string(100, 'x') + ",1\nshort,2\n", opts);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].error, "row_too_long");
    EXPECT_TRUE(rows[1].cells.empty());
    EXPECT_EQ(rows[2].cells, (Cells{"short", "2"}));
}

TEST(CsvReader, MixedEncodingsRejectTheOddRows) {
    // A UTF-8 file with one cp1251 line.
    auto rows = ReadAll("name\nАнна\n\xC1\xEE\xF0\xE8\xF1\nЕлена\n");
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_TRUE(rows[1].error.empty());
    EXPECT_EQ(rows[2].error, "invalid_encoding");
    EXPECT_EQ(rows[2].cells, (Cells{"Борис"}));  // shown decoded in the report
    EXPECT_TRUE(rows[3].error.empty());
    // A cp1251 file with one UTF-8 line.
    auto cp = ReadAll("name\n\xC1\xEE\xF0\xE8\xF1\nАнна\n");
    ASSERT_EQ(cp.size(), 3u);
    EXPECT_TRUE(cp[1].error.empty());
    EXPECT_EQ(cp[2].error, "mixed_encoding");
    EXPECT_EQ(cp[2].cells, (Cells{"Анна"}));
}

TEST(CsvReader, TooManyCells) {
    CsvOptions opts;
    opts.max_cells = 3;
    auto rows = ReadAll("a,b,c\n1,2,3,4,5\n", opts);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].error, "too_many_cells");
}

TEST(CsvReader, StreamsManyRowsAcrossChunks) {
    std::string data = "id,name\n";
    for (int i = 0; i < 20000; ++i) data += std::to_string(i) + ",\"Имя " + std::to_string(i) + "\"\n";
    auto rows = ReadAll(data);
    ASSERT_EQ(rows.size(), 20001u);
    EXPECT_EQ(rows[20000].cells, (Cells{"19999", "Имя 19999"}));
    EXPECT_EQ(rows[20000].number, 20001);
}

TEST(TextEncoding, Utf8Validation) {
    EXPECT_TRUE(IsValidUtf8("Привет"));
    EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong
    EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
    EXPECT_FALSE(IsValidUtf8("\xD0"));          // truncated
    EXPECT_TRUE(IsValidUtf8("ok\xD0", true));   // truncated by the sniffing window
    EXPECT_EQ(DetectEncoding("\xCF\xF0\xE8"), "cp1251");
    std::string out;
    EXPECT_FALSE(AppendCp1251AsUtf8("\x98", out));  // undefined in cp1251
    EXPECT_EQ(CanonicalEncoding("Windows-1251"), "cp1251");
    EXPECT_EQ(CanonicalEncoding("UTF8"), "utf-8");
    EXPECT_EQ(CanonicalEncoding("koi8-r"), "");
}

}  // namespace
}  // namespace otdel::imports
