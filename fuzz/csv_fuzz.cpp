// CSV reader: any bytes must yield rows (or per-row errors) without crashing, with UTF-8 cells, increasing row
// numbers and nothing longer than the record limit.
#include <cstdint>
#include <sstream>

#include "fuzz_check.hpp"
#include "imports/csv_reader.hpp"
#include "imports/text_encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // The first byte picks the options, so one corpus covers detection and the forced settings.
    const std::uint8_t sel = data[0];
    otdel::imports::CsvOptions opts;
    opts.encoding = (sel & 3) == 1 ? "utf-8" : (sel & 3) == 2 ? "cp1251" : "";
    opts.delimiter = (sel & 12) == 4 ? ';' : (sel & 12) == 8 ? '\t' : 0;
    opts.max_record_bytes = (sel & 16) ? 64 : 4096;
    opts.max_cells = (sel & 32) ? 4 : 100;
    std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    otdel::imports::CsvReader reader(std::make_unique<std::istringstream>(bytes), opts);
    otdel::imports::Row row;
    std::int64_t last = 0;
    std::size_t rows = 0;
    while (reader.Next(row)) {
        FUZZ_CHECK(row.number == last + 1);
        last = row.number;
        FUZZ_CHECK(row.cells.size() <= opts.max_cells);
        for (const auto& c : row.cells) {
            FUZZ_CHECK(otdel::imports::IsValidUtf8(c));
            // A cell never exceeds the record limit (cp1251 may double its bytes in UTF-8).
            FUZZ_CHECK(c.size() <= 3 * opts.max_record_bytes);
        }
        FUZZ_CHECK(++rows <= size + 1);
    }
    return 0;
}
