#pragma once
/// Opening an uploaded file as rows: format detection (XLSX by its zip signature, else CSV) and the reader with the
/// encoding and delimiter recorded for the run.
#include <memory>
#include <string>
#include <string_view>

#include "imports/row_reader.hpp"
#include "imports/xlsx_reader.hpp"

namespace otdel::imports {

struct FileFormat {
    std::string format;     // csv | xlsx
    std::string encoding;   // CSV: utf-8 | cp1251 ("" detects)
    std::string delimiter;  // CSV: "," ";" "\t" ("" sniffs)
};

/// "xlsx" when the bytes start with a zip local header, else "csv".
std::string DetectFormat(std::string_view head);

/// Opens `path`; for CSV fills the detected encoding and delimiter into `fmt`. nullptr with `error`
/// ("not_xlsx", "zip_bomb", "malformed_xlsx", "unreadable") when it cannot be read.
std::unique_ptr<RowReader> OpenRows(const std::string& path, FileFormat& fmt, const XlsxLimits& limits,
                                    std::string& error);

/// The reader's failure after Next() returned false ("" when the data simply ended).
std::string ReaderError(RowReader& reader);

}  // namespace otdel::imports
