#include "imports/import_files.hpp"

#include <fstream>

#include "imports/csv_reader.hpp"

namespace otdel::imports {

std::string DetectFormat(std::string_view head) {
    return head.size() >= 4 && head.substr(0, 4) == std::string_view("PK\x03\x04", 4) ? "xlsx" : "csv";
}

std::unique_ptr<RowReader> OpenRows(const std::string& path, FileFormat& fmt, const XlsxLimits& limits,
                                    std::string& error) {
    if (fmt.format == "xlsx") {
        auto r = XlsxReader::OpenFile(path, limits, error);
        return r;
    }
    auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*in) {
        error = "unreadable";
        return nullptr;
    }
    CsvOptions opts;
    opts.encoding = fmt.encoding;
    opts.delimiter = fmt.delimiter.empty() ? 0 : fmt.delimiter[0];
    opts.max_cells = limits.max_cells;
    auto r = std::make_unique<CsvReader>(std::move(in), opts);
    fmt.encoding = r->encoding();
    fmt.delimiter = std::string(1, r->delimiter());
    return r;
}

std::string ReaderError(RowReader& reader) {
    if (auto* x = dynamic_cast<XlsxReader*>(&reader)) return x->error();
    return "";
}

}  // namespace otdel::imports
