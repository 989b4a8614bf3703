#pragma once
/// Streaming XLSX reader (libzip + expat): the first worksheet's rows, one at a time, with shared strings, inline
/// strings, numbers (integers as digits, so phones and INNs survive), booleans and dates (serial → YYYY-MM-DD, by the
/// cell's number format). Guards against zip bombs: a cap on entries, on each read part's uncompressed size and on
/// its compression ratio, counted on the bytes actually inflated, not on what the archive declares. Pure.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "imports/row_reader.hpp"

namespace otdel::imports {

struct XlsxLimits {
    std::int64_t max_entries = 10'000;
    /// Uncompressed bytes of any one part read (worksheet, shared strings, styles).
    std::uint64_t max_part_bytes = 1ULL << 30;
    /// Uncompressed/compressed size of a part; XML of real workbooks stays well below.
    std::uint64_t max_ratio = 200;
    /// Shared strings are held in memory (a worksheet refers to them by index).
    std::uint64_t max_shared_strings_bytes = 256ULL << 20;
    std::size_t max_cells = 1000;
};

/// Excel serial day (1900 system, with its phantom 29 Feb 1900; or the 1904 system) → "YYYY-MM-DD", plus
/// " HH:MM" when the serial has a time of day. "" when out of range (before 1900 or after 9999).
std::string ExcelSerialToDate(double serial, bool date1904);

/// True when an Excel number format shows a date or time (built-in ids 14–22, 27–36, 45–47, 50–58, or a custom
/// code with d, m, y or h outside quotes and brackets).
bool IsDateFormat(int num_fmt_id, std::string_view format_code);

/// "A" → 0, "AB" → 27; the letters of a cell reference like "AB12". -1 when there are none or too many.
int ColumnIndex(std::string_view cell_ref);

class XlsxReader : public RowReader {
public:
    /// nullptr with `error` set: "not_xlsx" (not a zip or no workbook), "zip_bomb", "malformed_xlsx".
    static std::unique_ptr<XlsxReader> OpenFile(const std::string& path, const XlsxLimits& limits, std::string& error);
    /// Reads from memory; `bytes` must outlive the reader.
    static std::unique_ptr<XlsxReader> OpenBytes(std::string_view bytes, const XlsxLimits& limits, std::string& error);
    ~XlsxReader() override;

    bool Next(Row& row) override;
    /// Set when reading stopped early: "zip_bomb" or "malformed_xlsx"; Next() then returns false.
    const std::string& error() const;

    struct Impl;

private:
    explicit XlsxReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace otdel::imports
