#include "imports/xlsx_reader.hpp"

#include <expat.h>
#include <zip.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <map>
#include <vector>

#include "imports/text_encoding.hpp"

namespace otdel::imports {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

std::string_view LocalName(const XML_Char* name) {
    std::string_view n(name);
    if (auto p = n.rfind(':'); p != std::string_view::npos) n.remove_prefix(p + 1);
    return n;
}

const char* Attr(const XML_Char** attrs, std::string_view want) {
    for (int i = 0; attrs[i]; i += 2)
        if (LocalName(attrs[i]) == want) return attrs[i + 1];
    return nullptr;
}

// A part of the archive read in chunks, with the zip-bomb guards applied to the bytes actually inflated.
class Part {
public:
    Part(zip_t* zip, const XlsxLimits& limits) : zip_(zip), limits_(limits) {}
    ~Part() {
        if (file_) zip_fclose(file_);
    }
    // "" when opened; "missing", "zip_bomb" or "malformed_xlsx" otherwise.
    std::string Open(const std::string& name, std::uint64_t max_bytes) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat(zip_, name.c_str(), 0, &st) != 0) return "missing";
        max_bytes_ = std::min<std::uint64_t>(max_bytes, limits_.max_part_bytes);
        if ((st.valid & ZIP_STAT_SIZE) && st.size > max_bytes_) return "zip_bomb";
        if ((st.valid & ZIP_STAT_COMP_SIZE) && (st.valid & ZIP_STAT_SIZE) && st.size > 1024 * 1024 &&
            st.size / std::max<std::uint64_t>(st.comp_size, 1) > limits_.max_ratio) {
            return "zip_bomb";
        }
        // The declared sizes may lie: cap what inflating may produce by the compressed size as well.
        if (st.valid & ZIP_STAT_COMP_SIZE) {
            ratio_cap_ = st.comp_size * limits_.max_ratio + 1024 * 1024;
        }
        file_ = zip_fopen(zip_, name.c_str(), 0);
        if (!file_) return "malformed_xlsx";
        return "";
    }
    // Reads the next chunk into `buf`; false at the end. `error` set on failure.
    bool Read(std::vector<char>& buf, std::size_t& n, std::string& error) {
        const zip_int64_t r = zip_fread(file_, buf.data(), buf.size());
        if (r < 0) {
            error = "malformed_xlsx";
            return false;
        }
        n = static_cast<std::size_t>(r);
        read_ += n;
        if (read_ > max_bytes_ || read_ > ratio_cap_) {
            error = "zip_bomb";
            return false;
        }
        return n > 0;
    }

private:
    zip_t* zip_;
    const XlsxLimits& limits_;
    zip_file_t* file_ = nullptr;
    std::uint64_t max_bytes_ = 0;
    std::uint64_t ratio_cap_ = UINT64_MAX;
    std::uint64_t read_ = 0;
};

struct XmlParser {
    XML_Parser p = nullptr;
    XmlParser() {
        p = XML_ParserCreate("UTF-8");
        // No DTDs in OOXML: refusing them rules out entity expansion tricks.
        XML_SetStartDoctypeDeclHandler(p, [](void* ud, const XML_Char*, const XML_Char*, const XML_Char*, int) {
            XML_StopParser(static_cast<XML_Parser>(ud), XML_FALSE);
        });
        XML_UseParserAsHandlerArg(p);
    }
    ~XmlParser() { XML_ParserFree(p); }
    XmlParser(const XmlParser&) = delete;
    XmlParser& operator=(const XmlParser&) = delete;
};

// Runs a whole small part through a parser whose handlers were set up by the caller.
std::string ParseWhole(zip_t* zip, const XlsxLimits& limits, const std::string& name, std::uint64_t max_bytes,
                       XML_Parser p) {
    Part part(zip, limits);
    if (auto err = part.Open(name, max_bytes); !err.empty()) return err;
    std::vector<char> buf(kReadChunk);
    std::string error;
    std::size_t n = 0;
    while (part.Read(buf, n, error)) {
        if (XML_Parse(p, buf.data(), static_cast<int>(n), XML_FALSE) != XML_STATUS_OK) return "malformed_xlsx";
    }
    if (!error.empty()) return error;
    if (XML_Parse(p, nullptr, 0, XML_TRUE) != XML_STATUS_OK) return "malformed_xlsx";
    return "";
}

// Handler state for small parts: a callback per element start and the text of selected elements.
struct SimpleSax {
    std::function<void(std::string_view, const XML_Char**)> on_start;
    std::function<void(std::string_view)> on_end;
    std::function<void(const XML_Char*, int)> on_text;
};

void InstallSimple(XML_Parser p, SimpleSax* sax) {
    XML_SetUserData(p, sax);
    XML_UseParserAsHandlerArg(p);
    XML_SetElementHandler(
        p,
        [](void* ud, const XML_Char* name, const XML_Char** attrs) {
            auto* s = static_cast<SimpleSax*>(XML_GetUserData(static_cast<XML_Parser>(ud)));
            if (s->on_start) s->on_start(LocalName(name), attrs);
        },
        [](void* ud, const XML_Char* name) {
            auto* s = static_cast<SimpleSax*>(XML_GetUserData(static_cast<XML_Parser>(ud)));
            if (s->on_end) s->on_end(LocalName(name));
        });
    XML_SetCharacterDataHandler(p, [](void* ud, const XML_Char* text, int len) {
        auto* s = static_cast<SimpleSax*>(XML_GetUserData(static_cast<XML_Parser>(ud)));
        if (s->on_text) s->on_text(text, len);
    });
}

void CivilFromDays(std::int64_t z, int& y, unsigned& m, unsigned& d) {
    // Howard Hinnant's days_from_civil inverse; z counts days since 1970-01-01.
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<int>(yy + (m <= 2 ? 1 : 0));
}

// A number cell as text: integers without exponent or fraction ("79123456789"), others as written.
std::string NumberText(const std::string& v) {
    if (v.find_first_of("eE.") == std::string::npos) return v;
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    if (end == v.c_str() || *end != '\0' || !std::isfinite(d)) return v;
    if (std::floor(d) == d && std::fabs(d) < 1e15) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.0f", d);
        return buf;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", d);
    return buf;
}

}  // namespace

std::string ExcelSerialToDate(double serial, bool date1904) {
    if (!std::isfinite(serial) || serial < 1 || serial > 2958465.99999) return "";
    double days_part = std::floor(serial);
    double frac = serial - days_part;
    auto days = static_cast<std::int64_t>(days_part);
    // Days since 1970-01-01 of the serial's date.
    std::int64_t epoch_days;
    if (date1904) {
        epoch_days = days - 24107;  // 1904-01-01 is serial 0
    } else {
        if (days == 60) return "1900-02-29";                   // Lotus 1-2-3's phantom leap day; no real date
        epoch_days = days < 60 ? days - 25568 : days - 25569;  // 1899-12-31 + serial before the phantom day
    }
    int y = 0;
    unsigned m = 0, d = 0;
    CivilFromDays(epoch_days, y, m, d);
    if (y < 1900 || y > 9999) return "";
    char buf[32];
    auto secs = static_cast<long>(std::llround(frac * 86400.0));
    if (secs >= 86400) secs = 86399;
    if (secs > 0) {
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02ld:%02ld", y, m, d, secs / 3600, (secs / 60) % 60);
    } else {
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
    }
    return buf;
}

bool IsDateFormat(int id, std::string_view code) {
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58))
        return true;
    if (id < 164 || code.empty()) return false;
    bool quoted = false;
    int bracket = 0;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const char c = code[i];
        if (c == '\\' || c == '_') {
            ++i;
            continue;
        }
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '[') ++bracket;
        if (c == ']' && bracket > 0) --bracket;
        if (bracket > 0) continue;
        const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (l == 'd' || l == 'm' || l == 'y' || l == 'h') return true;
    }
    return false;
}

int ColumnIndex(std::string_view ref) {
    int col = 0, letters = 0;
    for (char c : ref) {
        if (c >= 'A' && c <= 'Z') {
            col = col * 26 + (c - 'A' + 1);
        } else if (c >= 'a' && c <= 'z') {
            col = col * 26 + (c - 'a' + 1);
        } else {
            break;
        }
        if (++letters > 3) return -1;  // XFD (16384 columns) is the widest sheet
    }
    return letters == 0 ? -1 : col - 1;
}

struct XlsxReader::Impl {
    XlsxLimits limits;
    zip_t* zip = nullptr;
    zip_source_t* src = nullptr;
    std::vector<std::string> shared;
    std::vector<bool> date_styles;
    bool date1904 = false;
    std::string error;

    // Worksheet streaming.
    std::unique_ptr<Part> sheet;
    XmlParser xml;
    std::vector<char> buf = std::vector<char>(kReadChunk);
    bool sheet_done = false;
    std::deque<Row> ready;

    // Parser state inside the worksheet.
    bool in_row = false;
    std::int64_t row_no = 0;
    Row cur;
    bool row_has_value = false;
    int col = -1;
    std::string cell_type;
    int cell_style = -1;
    bool in_v = false, in_t = false, in_rph = false;
    std::string text;

    ~Impl() {
        sheet.reset();
        if (zip) zip_close(zip);
    }

    std::string Load();
    void StartElement(std::string_view name, const XML_Char** attrs);
    void EndElement(std::string_view name);
    void CellDone();
};

std::string XlsxReader::Impl::Load() {
    if (zip_get_num_entries(zip, 0) > limits.max_entries) return "zip_bomb";

    // workbook.xml: the first sheet's relationship id and the date system.
    std::string first_rid;
    {
        XmlParser x;
        SimpleSax sax;
        sax.on_start = [&](std::string_view n, const XML_Char** a) {
            if (n == "workbookPr") {
                if (const char* v = Attr(a, "date1904"))
                    date1904 = std::string_view(v) == "1" || std::string_view(v) == "true";
            } else if (n == "sheet" && first_rid.empty()) {
                if (const char* v = Attr(a, "id")) first_rid = v;
            }
        };
        InstallSimple(x.p, &sax);
        auto err = ParseWhole(zip, limits, "xl/workbook.xml", 64ULL << 20, x.p);
        if (err == "missing") return "not_xlsx";
        if (!err.empty()) return err;
    }
    std::string sheet_path = "xl/worksheets/sheet1.xml";
    if (!first_rid.empty()) {
        XmlParser x;
        SimpleSax sax;
        sax.on_start = [&](std::string_view n, const XML_Char** a) {
            const char* id = Attr(a, "Id");
            const char* target = Attr(a, "Target");
            if (n == "Relationship" && id && target && first_rid == id) {
                std::string t = target;
                sheet_path = t.rfind('/', 0) == 0 ? t.substr(1) : "xl/" + t;
            }
        };
        InstallSimple(x.p, &sax);
        auto err = ParseWhole(zip, limits, "xl/_rels/workbook.xml.rels", 64ULL << 20, x.p);
        if (!err.empty() && err != "missing") return err;
    }
    // styles.xml: which cell formats show dates.
    {
        XmlParser x;
        SimpleSax sax;
        std::map<int, std::string> custom;
        bool in_xfs = false;
        std::vector<int> xf_fmt;
        sax.on_start = [&](std::string_view n, const XML_Char** a) {
            if (n == "numFmt") {
                const char* id = Attr(a, "numFmtId");
                const char* code = Attr(a, "formatCode");
                if (id && code) custom[std::atoi(id)] = code;
            } else if (n == "cellXfs") {
                in_xfs = true;
            } else if (n == "xf" && in_xfs) {
                const char* id = Attr(a, "numFmtId");
                xf_fmt.push_back(id ? std::atoi(id) : 0);
            }
        };
        sax.on_end = [&](std::string_view n) {
            if (n == "cellXfs") in_xfs = false;
        };
        InstallSimple(x.p, &sax);
        auto err = ParseWhole(zip, limits, "xl/styles.xml", 64ULL << 20, x.p);
        if (!err.empty() && err != "missing") return err;
        for (int id : xf_fmt) {
            auto it = custom.find(id);
            date_styles.push_back(IsDateFormat(id, it == custom.end() ? std::string_view{} : it->second));
        }
    }
    // sharedStrings.xml: every <si>'s text (runs joined; phonetic hints skipped).
    {
        XmlParser x;
        SimpleSax sax;
        bool in_si = false, in_t = false, in_rph = false;
        std::string cur;
        std::uint64_t total = 0;
        bool too_big = false;
        sax.on_start = [&](std::string_view n, const XML_Char**) {
            if (n == "si") {
                in_si = true;
                cur.clear();
            } else if (n == "rPh") {
                in_rph = true;
            } else if (n == "t" && in_si && !in_rph) {
                in_t = true;
            }
        };
        sax.on_end = [&](std::string_view n) {
            if (n == "si") {
                in_si = false;
                total += cur.size() + sizeof(std::string);
                if (total > limits.max_shared_strings_bytes) too_big = true;
                if (!too_big) shared.push_back(std::move(cur));
                cur.clear();
            } else if (n == "rPh") {
                in_rph = false;
            } else if (n == "t") {
                in_t = false;
            }
        };
        sax.on_text = [&](const XML_Char* s, int len) {
            if (in_t) cur.append(s, static_cast<std::size_t>(len));
        };
        InstallSimple(x.p, &sax);
        auto err = ParseWhole(zip, limits, "xl/sharedStrings.xml", limits.max_part_bytes, x.p);
        if (!err.empty() && err != "missing") return err;
        if (too_big) return "zip_bomb";
    }
    sheet = std::make_unique<Part>(zip, limits);
    if (auto err = sheet->Open(sheet_path, limits.max_part_bytes); !err.empty()) {
        return err == "missing" ? "not_xlsx" : err;
    }
    XML_SetUserData(xml.p, this);
    XML_UseParserAsHandlerArg(xml.p);
    XML_SetElementHandler(
        xml.p,
        [](void* ud, const XML_Char* name, const XML_Char** attrs) {
            static_cast<Impl*>(XML_GetUserData(static_cast<XML_Parser>(ud)))->StartElement(LocalName(name), attrs);
        },
        [](void* ud, const XML_Char* name) {
            static_cast<Impl*>(XML_GetUserData(static_cast<XML_Parser>(ud)))->EndElement(LocalName(name));
        });
    XML_SetCharacterDataHandler(xml.p, [](void* ud, const XML_Char* s, int len) {
        auto* self = static_cast<Impl*>(XML_GetUserData(static_cast<XML_Parser>(ud)));
        if (self->in_v || (self->in_t && !self->in_rph)) self->text.append(s, static_cast<std::size_t>(len));
    });
    return "";
}

void XlsxReader::Impl::StartElement(std::string_view name, const XML_Char** attrs) {
    if (name == "row") {
        in_row = true;
        const char* r = Attr(attrs, "r");
        const std::int64_t n = r ? std::atoll(r) : 0;
        row_no = n > row_no ? n : row_no + 1;
        cur = Row{};
        cur.number = row_no;
        cur.line = row_no;
        row_has_value = false;
        col = -1;
    } else if (name == "c" && in_row) {
        const char* r = Attr(attrs, "r");
        const int c = r ? ColumnIndex(r) : -1;
        col = c >= 0 ? c : col + 1;
        const char* t = Attr(attrs, "t");
        cell_type = t ? t : "n";
        const char* s = Attr(attrs, "s");
        cell_style = s ? std::atoi(s) : -1;
        text.clear();
    } else if (name == "v") {
        in_v = true;
        text.clear();
    } else if (name == "t") {
        in_t = true;
    } else if (name == "rPh") {
        in_rph = true;
    } else if (name == "is") {
        text.clear();
    }
}

void XlsxReader::Impl::CellDone() {
    std::string value;
    if (cell_type == "s") {
        std::size_t idx = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), idx);
        if (ec == std::errc() && idx < shared.size()) value = shared[idx];
    } else if (cell_type == "b") {
        value = text == "1" ? "TRUE" : text == "0" ? "FALSE" : text;
    } else if (cell_type == "n") {
        const bool is_date = cell_style >= 0 && static_cast<std::size_t>(cell_style) < date_styles.size() &&
                             date_styles[static_cast<std::size_t>(cell_style)];
        if (is_date && !text.empty()) {
            char* end = nullptr;
            const double d = std::strtod(text.c_str(), &end);
            value = (end && *end == '\0') ? ExcelSerialToDate(d, date1904) : "";
            if (value.empty()) value = text;
        } else {
            value = NumberText(text);
        }
    } else {
        value = text;  // inlineStr, str (formula result), e (error text), d (ISO date)
    }
    if (!IsValidUtf8(value)) value.clear();
    if (col < 0) return;
    if (static_cast<std::size_t>(col) >= limits.max_cells) {
        if (!value.empty()) cur.error = "too_many_cells";
        return;
    }
    if (value.empty()) return;
    if (cur.cells.size() <= static_cast<std::size_t>(col)) cur.cells.resize(static_cast<std::size_t>(col) + 1);
    cur.cells[static_cast<std::size_t>(col)] = std::move(value);
    row_has_value = true;
}

void XlsxReader::Impl::EndElement(std::string_view name) {
    if (name == "v") {
        in_v = false;
    } else if (name == "t") {
        in_t = false;
    } else if (name == "rPh") {
        in_rph = false;
    } else if (name == "c" && in_row) {
        CellDone();
        text.clear();
    } else if (name == "row") {
        in_row = false;
        if (row_has_value || !cur.error.empty()) ready.push_back(std::move(cur));
        cur = Row{};
    } else if (name == "sheetData") {
        sheet_done = true;
    }
}

XlsxReader::XlsxReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XlsxReader::~XlsxReader() = default;

const std::string& XlsxReader::error() const {
    return impl_->error;
}

std::unique_ptr<XlsxReader> XlsxReader::OpenFile(const std::string& path, const XlsxLimits& limits,
                                                 std::string& error) {
    auto impl = std::make_unique<Impl>();
    impl->limits = limits;
    int zerr = 0;
    impl->zip = zip_open(path.c_str(), ZIP_RDONLY, &zerr);
    if (!impl->zip) {
        error = "not_xlsx";
        return nullptr;
    }
    error = impl->Load();
    if (!error.empty()) return nullptr;
    return std::unique_ptr<XlsxReader>(new XlsxReader(std::move(impl)));
}

std::unique_ptr<XlsxReader> XlsxReader::OpenBytes(std::string_view bytes, const XlsxLimits& limits,
                                                  std::string& error) {
    auto impl = std::make_unique<Impl>();
    impl->limits = limits;
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &zerr);
    if (!src) {
        zip_error_fini(&zerr);
        error = "not_xlsx";
        return nullptr;
    }
    impl->zip = zip_open_from_source(src, ZIP_RDONLY, &zerr);
    zip_error_fini(&zerr);
    if (!impl->zip) {
        zip_source_free(src);
        error = "not_xlsx";
        return nullptr;
    }
    error = impl->Load();
    if (!error.empty()) return nullptr;
    return std::unique_ptr<XlsxReader>(new XlsxReader(std::move(impl)));
}

bool XlsxReader::Next(Row& row) {
    Impl& s = *impl_;
    while (s.ready.empty() && !s.sheet_done && s.error.empty()) {
        std::size_t n = 0;
        std::string err;
        const bool more = s.sheet->Read(s.buf, n, err);
        if (!err.empty()) {
            s.error = err;
            break;
        }
        if (XML_Parse(s.xml.p, s.buf.data(), static_cast<int>(n), more ? XML_FALSE : XML_TRUE) != XML_STATUS_OK) {
            s.error = "malformed_xlsx";
            break;
        }
        if (!more) s.sheet_done = true;
    }
    if (s.ready.empty()) return false;
    row = std::move(s.ready.front());
    s.ready.pop_front();
    return true;
}

}  // namespace otdel::imports
