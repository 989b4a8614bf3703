#pragma once
/// Reading many rows fast on both engines (issue 8: a forecast reads every deal of a pipeline and its stage history, a
/// year of activity ~400,000 rollup rows). The statement is prepared and its values bound through SOCI as everywhere
/// (named uses, the visibility predicate); only the rows come back another way:
///  - PostgreSQL: a batch of SOCI vectors per fetch (libpq hands every value over as text either way; a batch saves
///    SOCI's per-row work: 1M deals in ~2.0 s instead of ~3.6 s);
///  - SQLite: sqlite3_step on the statement SOCI prepared and bound, reading each column at its stored width. SOCI
///    4.0's SQLite backend turns every value of a vector fetch into a string and parses it back (2.6× slower than its
///    row-by-row fetch, which is itself ~3× the C API's cost) and reads a column declared INTEGER into a vector as 32
///    bits.
#include <soci/soci.h>

#include <cstddef>
#include <string>
#include <vector>

namespace otdel::reports::store {

class Rows {
public:
    /// One letter per selected column: 'i' an integer, 'n' an integer that may be NULL, 's' text.
    Rows(soci::session& sql, std::string kinds);

    /// Adds the statement's intos (PostgreSQL), before its uses and define_and_bind.
    void Into(soci::statement& st);

    /// Executes the bound statement and calls f(rows, i) for every row (i: its place in the current batch).
    template <class F>
    void Each(soci::statement& st, F&& f) {
        if (!bulk_) {
            Start(st);
            while (Next()) f(*this, 0);
            return;
        }
        if (!st.execute(true)) return;
        do {
            const std::size_t n = Size();
            for (std::size_t i = 0; i < n; ++i) f(*this, i);
            Refill();
        } while (st.fetch());
    }

    long long Int(std::size_t col, std::size_t i) const { return ints_[col][i]; }
    bool Null(std::size_t col, std::size_t i) const { return inds_[col][i] == soci::i_null; }
    /// The text of a column, to move from.
    std::string& Text(std::size_t col, std::size_t i) { return texts_[col][i]; }

private:
    static constexpr std::size_t kBatch = 4096;
    std::size_t Size() const;
    void Refill();
    // SQLite: executes without fetching (SOCI binds the uses), then steps the statement itself.
    void Start(soci::statement& st);
    bool Next();

    std::string kinds_;
    bool bulk_ = false;
    void* stmt_ = nullptr;  // sqlite3_stmt
    void* conn_ = nullptr;  // sqlite3
    std::vector<std::vector<long long>> ints_;
    std::vector<std::vector<soci::indicator>> inds_;
    std::vector<std::vector<std::string>> texts_;
};

}  // namespace otdel::reports::store
