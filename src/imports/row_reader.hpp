#pragma once
/// Rows of an uploaded table, one at a time: what the CSV and XLSX readers yield and the importer consumes.
/// Pure: no SQL, JSON or HTTP. Readers keep only the current chunk in memory, so a file of any length streams flat.
#include <cstdint>
#include <string>
#include <vector>

namespace otdel::imports {

/// One record of the file. `number` is the record's position as a spreadsheet shows it (the header is row 1);
/// for CSV `line` is the physical line it starts on (a quoted field may span lines).
struct Row {
    std::int64_t number = 0;
    std::int64_t line = 0;
    /// UTF-8 cell texts, left to right; a missing cell is "".
    std::vector<std::string> cells;
    /// Non-empty when the record could not be read: "broken_quote", "invalid_encoding", "mixed_encoding",
    /// "too_many_cells", "row_too_long". The cells then hold what could be salvaged (possibly nothing).
    std::string error;
};

class RowReader {
public:
    virtual ~RowReader() = default;
    /// Fills `row` with the next record and returns true; false at the end of the data.
    virtual bool Next(Row& row) = 0;
};

}  // namespace otdel::imports
