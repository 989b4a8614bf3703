#include "imports/csv_reader.hpp"

#include <csv.h>

#include <algorithm>
#include <array>
#include <map>

#include "imports/text_encoding.hpp"

namespace otdel::imports {
namespace {

// libcsv's parser states (libcsv.c); ROW_NOT_BEGUN means the last record is complete.
constexpr int kRowNotBegun = 0;
constexpr int kFieldBegun = 2;
constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kSniffBytes = 64 * 1024;
constexpr int kSniffLines = 20;

int IsSpace(unsigned char c) {
    return c == ' ' ? 1 : 0;
}

void FieldCb(void* s, std::size_t len, void* data) {
    static_cast<CsvReader*>(data)->OnField(static_cast<const char*>(s), len);
}
void RecordCb(int, void* data) {
    static_cast<CsvReader*>(data)->OnRecordEnd();
}

}  // namespace

char SniffDelimiter(std::string_view sample) {
    constexpr std::array<char, 3> kCandidates = {',', ';', '\t'};
    // Per record (newlines inside quotes do not end one), how often each candidate occurs outside quotes.
    std::vector<std::array<int, 3>> counts;
    std::array<int, 3> cur{};
    bool quoted = false, any = false;
    for (char c : sample) {
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && (c == '\n' || c == '\r')) {
            if (any) counts.push_back(cur);
            cur = {};
            any = false;
            if (static_cast<int>(counts.size()) >= kSniffLines) break;
            continue;
        } else if (!quoted) {
            for (std::size_t k = 0; k < kCandidates.size(); ++k)
                if (c == kCandidates[k]) ++cur[k];
        }
        any = true;
    }
    if (any && static_cast<int>(counts.size()) < kSniffLines) counts.push_back(cur);
    if (counts.empty()) return ',';
    char best = ',';
    int best_consistent = 0, best_count = 0;
    for (std::size_t k = 0; k < kCandidates.size(); ++k) {
        const int first = counts[0][k];
        if (first == 0) continue;
        int consistent = 0;
        for (const auto& c : counts) consistent += c[k] == first ? 1 : 0;
        if (consistent > best_consistent || (consistent == best_consistent && first > best_count)) {
            best = kCandidates[k];
            best_consistent = consistent;
            best_count = first;
        }
    }
    return best;
}

CsvReader::CsvReader(std::unique_ptr<std::istream> in, CsvOptions options)
    : in_(std::move(in)), options_(std::move(options)) {
    // Read the sniffing window up front; it stays in buf_ and is parsed like the rest.
    buf_.resize(kSniffBytes);
    in_->read(buf_.data(), static_cast<std::streamsize>(kSniffBytes));
    buf_.resize(static_cast<std::size_t>(in_->gcount()));
    if (!*in_) stream_eof_ = true;
    if (buf_.size() >= 3 && buf_.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        had_bom_ = true;
        pos_ = 3;
    }
    const std::string_view sample = std::string_view(buf_).substr(pos_);
    encoding_ = CanonicalEncoding(options_.encoding);
    if (encoding_.empty()) encoding_ = had_bom_ ? "utf-8" : DetectEncoding(sample);
    utf8_ = encoding_ == "utf-8";
    delimiter_ = options_.delimiter != 0 ? options_.delimiter : SniffDelimiter(sample);
    parser_ = std::make_unique<csv_parser>();
    csv_init(parser_.get(), CSV_STRICT);
    ResetParser();
}

CsvReader::~CsvReader() {
    csv_free(parser_.get());
}

void CsvReader::ResetParser() {
    csv_free(parser_.get());
    csv_init(parser_.get(), CSV_STRICT);
    csv_set_delim(parser_.get(), static_cast<unsigned char>(delimiter_));
    csv_set_space_func(parser_.get(), IsSpace);
    cells_.clear();
    too_many_cells_ = false;
}

bool CsvReader::NextSegment(Segment& seg) {
    if (!refeed_.empty()) {
        seg = std::move(refeed_.front());
        refeed_.pop_front();
        return true;
    }
    for (;;) {
        const std::size_t nl = buf_.find('\n', pos_);
        const std::size_t avail = buf_.size() - pos_;
        std::size_t take = 0;
        if (nl != std::string::npos && nl - pos_ < options_.max_record_bytes) {
            take = nl - pos_ + 1;
            seg.ends_line = true;
        } else if (avail >= options_.max_record_bytes) {
            take = options_.max_record_bytes;  // a line without end: cut it, the record check rejects it
            seg.ends_line = false;
        } else if (!stream_eof_) {
            // Compact, then read the next chunk.
            buf_.erase(0, pos_);
            pos_ = 0;
            const std::size_t old = buf_.size();
            buf_.resize(old + kChunk);
            in_->read(buf_.data() + old, static_cast<std::streamsize>(kChunk));
            buf_.resize(old + static_cast<std::size_t>(in_->gcount()));
            if (!*in_) stream_eof_ = true;
            continue;
        } else if (avail > 0) {
            take = avail;
            seg.ends_line = false;
        } else {
            return false;
        }
        seg.data.assign(buf_, pos_, take);
        pos_ += take;
        seg.line = next_line_;
        if (seg.ends_line) ++next_line_;
        return true;
    }
}

void CsvReader::Feed(Segment seg) {
    if (skip_to_newline_) {
        if (seg.ends_line) skip_to_newline_ = false;
        return;
    }
    if (parser_->pstate == kRowNotBegun && pending_.empty()) record_line_ = seg.line;
    const std::size_t ready_before = ready_.size();
    const std::size_t n = csv_parse(parser_.get(), seg.data.data(), seg.data.size(), FieldCb, RecordCb, this);
    if (!pending_.empty() && ready_.size() > ready_before &&
        pending_bytes_ + seg.data.size() > options_.max_record_bytes) {
        // The record that spanned the earlier segments ended here, over the limit.
        Row& over = ready_[ready_before];
        over.error = "row_too_long";
        over.cells.clear();
    }
    if (n < seg.data.size()) {
        // A quote where RFC 4180 allows none: the record is lost, the next line starts afresh.
        Row row;
        row.number = ++record_no_;
        row.line = record_line_;
        row.error = "broken_quote";
        ready_.push_back(std::move(row));
        ResetParser();
        pending_.clear();
        pending_bytes_ = 0;
        skip_to_newline_ = !seg.ends_line;
        return;
    }
    if (parser_->pstate == kRowNotBegun) {
        pending_.clear();
        pending_bytes_ = 0;
        return;
    }
    pending_bytes_ += seg.data.size();
    pending_.push_back(std::move(seg));
    if (pending_bytes_ > options_.max_record_bytes) {
        Recover(parser_->quoted != 0 ? "broken_quote" : "row_too_long");
    }
}

void CsvReader::Recover(const char* error) {
    // The record that started at pending_[0] cannot be read; parse again from the line after its start.
    Row row;
    row.number = ++record_no_;
    row.line = record_line_;
    row.error = error;
    ready_.push_back(std::move(row));
    ResetParser();
    const bool first_ends_line = !pending_.empty() && pending_.front().ends_line;
    for (std::size_t i = pending_.size(); i-- > 1;) refeed_.push_front(std::move(pending_[i]));
    pending_.clear();
    pending_bytes_ = 0;
    skip_to_newline_ = !first_ends_line && !refeed_.empty();
}

void CsvReader::Finish() {
    if (parser_->pstate == kFieldBegun && parser_->quoted != 0) {
        Recover("broken_quote");  // a quote never closed: what followed its line is parsed again
        return;
    }
    csv_fini(parser_.get(), FieldCb, RecordCb, this);
    finished_ = refeed_.empty();
    if (!finished_) ResetParser();
}

void CsvReader::OnField(const char* data, std::size_t len) {
    if (cells_.size() >= options_.max_cells) {
        too_many_cells_ = true;
        return;
    }
    cells_.emplace_back(data ? data : "", data ? len : 0);
}

void CsvReader::OnRecordEnd() {
    Row row;
    row.number = ++record_no_;
    row.line = record_line_;
    record_line_ = next_line_;
    if (too_many_cells_) row.error = "too_many_cells";
    row.cells.reserve(cells_.size());
    if (utf8_) {
        bool valid = true;
        for (const auto& c : cells_) valid = valid && IsValidUtf8(c);
        if (valid) {
            row.cells = std::move(cells_);
        } else {
            // Most likely a cp1251 line in a UTF-8 file: show it decoded that way in the error report.
            if (row.error.empty()) row.error = "invalid_encoding";
            for (const auto& c : cells_) {
                std::string out;
                if (IsValidUtf8(c)) {
                    out = c;
                } else {
                    AppendCp1251AsUtf8(c, out);
                }
                row.cells.push_back(std::move(out));
            }
        }
    } else {
        bool mixed = false, undefined = false;
        for (const auto& c : cells_) {
            if (LooksLikeUtf8Text(c)) {
                mixed = true;
                row.cells.push_back(c);
                continue;
            }
            std::string out;
            out.reserve(c.size() * 2);
            if (!AppendCp1251AsUtf8(c, out)) undefined = true;
            row.cells.push_back(std::move(out));
        }
        if (row.error.empty() && mixed) row.error = "mixed_encoding";
        if (row.error.empty() && undefined) row.error = "invalid_encoding";
    }
    cells_.clear();
    too_many_cells_ = false;
    ready_.push_back(std::move(row));
}

bool CsvReader::Next(Row& row) {
    while (ready_.empty() && !finished_) {
        Segment seg;
        if (NextSegment(seg)) {
            Feed(std::move(seg));
        } else {
            Finish();
        }
    }
    if (ready_.empty()) return false;
    row = std::move(ready_.front());
    ready_.pop_front();
    return true;
}

}  // namespace otdel::imports
