#include "reports/xlsx.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace otdel::reports {

core::Result<std::string> WriteXlsx(const XlsxSheet& sheet) {
    // libxlsxwriter 1.1.4 writes to a file only: a private temporary one, removed before returning.
    char path[] = "/tmp/otdel-report-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) return core::Error::Of(core::ErrorCode::kInternal);
    close(fd);
    lxw_workbook* wb = workbook_new(path);
    if (!wb) {
        std::remove(path);
        return core::Error::Of(core::ErrorCode::kInternal);
    }
    lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_row_t row = 0;
    if (!sheet.title.empty()) {
        worksheet_write_string(ws, row, 0, sheet.title.c_str(), bold);
        row += 2;
    }
    for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
        worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), sheet.columns[c].c_str(), bold);
        worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), c == 0 ? 28 : 16, nullptr);
    }
    ++row;
    for (const auto& cells : sheet.rows) {
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const auto col = static_cast<lxw_col_t>(c);
            if (cells[c].number)
                worksheet_write_number(ws, row, col, *cells[c].number, nullptr);
            else if (!cells[c].text.empty())
                worksheet_write_string(ws, row, col, cells[c].text.c_str(), nullptr);
        }
        ++row;
    }
    const lxw_error err = workbook_close(wb);
    std::string bytes;
    if (err == LXW_NO_ERROR) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        bytes = ss.str();
    }
    std::remove(path);
    if (err != LXW_NO_ERROR || bytes.empty()) return core::Error::Of(core::ErrorCode::kInternal);
    return bytes;
}

}  // namespace otdel::reports
