#pragma once
/// Writing one worksheet as an XLSX file with libxlsxwriter: a bold header row, text cells as strings and numeric
/// cells as numbers (so sums and charts work in the spreadsheet). Cells are written as given: the caller neutralises
/// text that a spreadsheet would take for a formula.
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace otdel::reports {

struct XlsxCell {
    std::string text;
    std::optional<double> number;
};
struct XlsxSheet {
    std::string title;  // first row, above the header
    std::vector<std::string> columns;
    std::vector<std::vector<XlsxCell>> rows;
};

/// The file's bytes; kInternal when the library cannot write (temporary directory full, say).
core::Result<std::string> WriteXlsx(const XlsxSheet& sheet);

}  // namespace otdel::reports
