#pragma once
/// Streaming CSV reader over libcsv (RFC 4180): UTF-8 with or without BOM or cp1251 (detected or given), delimiter
/// `,` `;` or tab (sniffed outside quotes or given), quoted fields with embedded delimiters, quotes and newlines,
/// CRLF or LF. A malformed record (a stray quote, a quote never closed, a record over the size limit) becomes one
/// Row with an error and the reader carries on with the next line; it never throws on bad data. Pure: no I/O but
/// the given stream.
#include <cstddef>
#include <deque>
#include <istream>
#include <memory>
#include <string>
#include <string_view>

#include "imports/row_reader.hpp"

struct csv_parser;

namespace otdel::imports {

struct CsvOptions {
    /// "" detects (valid UTF-8 → "utf-8", else "cp1251"); "utf-8" or "cp1251" forces one.
    std::string encoding;
    /// 0 sniffs from the first lines; otherwise ',', ';' or '\t'.
    char delimiter = 0;
    /// A record longer than this (an unclosed quote swallowing the file, a file with no line breaks) is rejected.
    std::size_t max_record_bytes = 1 << 20;
    /// Cells beyond this count make the row "too_many_cells".
    std::size_t max_cells = 1000;
};

/// The delimiter whose count per line, outside quotes, is the most consistent over the sample's first lines
/// (ties go to the larger count); ',' when none occurs.
char SniffDelimiter(std::string_view sample);

class CsvReader : public RowReader {
public:
    explicit CsvReader(std::unique_ptr<std::istream> in, CsvOptions options = {});
    ~CsvReader() override;
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    /// "utf-8" or "cp1251": what the file is read as.
    const std::string& encoding() const { return encoding_; }
    char delimiter() const { return delimiter_; }
    bool had_bom() const { return had_bom_; }

    bool Next(Row& row) override;

    // Called from libcsv's callbacks.
    void OnField(const char* data, std::size_t len);
    void OnRecordEnd();

private:
    struct Segment {
        std::string data;
        std::int64_t line = 0;  // physical line this segment starts on (1-based)
        bool ends_line = false;
    };
    bool NextSegment(Segment& seg);
    void Feed(Segment seg);
    void Recover(const char* error);
    void ResetParser();
    void Finish();

    std::unique_ptr<std::istream> in_;
    CsvOptions options_;
    std::string encoding_;
    char delimiter_ = ',';
    bool had_bom_ = false;
    bool utf8_ = true;

    std::string buf_;  // bytes read from the stream, not yet cut into segments
    std::size_t pos_ = 0;
    bool stream_eof_ = false;
    bool finished_ = false;
    std::int64_t next_line_ = 1;

    std::unique_ptr<csv_parser> parser_;
    std::deque<Segment> refeed_;   // segments to parse again after a broken record
    std::deque<Segment> pending_;  // segments of the record being parsed
    std::size_t pending_bytes_ = 0;
    bool skip_to_newline_ = false;

    std::vector<std::string> cells_;
    bool too_many_cells_ = false;
    std::int64_t record_line_ = 1;
    std::int64_t record_no_ = 0;
    std::deque<Row> ready_;
};

}  // namespace otdel::imports
