// XLSX reader given bytes: a broken archive or XML is an error value, never a crash; cells are UTF-8.
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "imports/text_encoding.hpp"
#include "imports/xlsx_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    otdel::imports::XlsxLimits limits;
    limits.max_part_bytes = 4 << 20;
    limits.max_shared_strings_bytes = 1 << 20;
    limits.max_cells = 64;
    std::string error;
    auto reader = otdel::imports::XlsxReader::OpenBytes(std::string_view(reinterpret_cast<const char*>(data), size),
                                                        limits, error);
    if (!reader) {
        FUZZ_CHECK(!error.empty());
        return 0;
    }
    otdel::imports::Row row;
    std::int64_t last = 0;
    while (reader->Next(row)) {
        FUZZ_CHECK(row.number > last);
        last = row.number;
        FUZZ_CHECK(row.cells.size() <= limits.max_cells);
        for (const auto& c : row.cells) FUZZ_CHECK(otdel::imports::IsValidUtf8(c));
    }
    return 0;
}
