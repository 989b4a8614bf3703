#include "reports/rows.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

namespace otdel::reports::store {

Rows::Rows(soci::session& sql, std::string kinds) : kinds_(std::move(kinds)) {
    bulk_ = sql.get_backend_name() != "sqlite3";
    if (!bulk_) conn_ = static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
    const std::size_t n = bulk_ ? kBatch : 1;
    ints_.resize(kinds_.size());
    inds_.resize(kinds_.size());
    texts_.resize(kinds_.size());
    for (std::size_t c = 0; c < kinds_.size(); ++c) {
        if (kinds_[c] == 's') {
            texts_[c].resize(n);
        } else {
            ints_[c].resize(n);
            inds_[c].resize(n, soci::i_ok);
        }
    }
}

void Rows::Into(soci::statement& st) {
    if (!bulk_) return;
    for (std::size_t c = 0; c < kinds_.size(); ++c) {
        if (kinds_[c] == 's') {
            st.exchange(soci::into(texts_[c]));
        } else {
            st.exchange(soci::into(ints_[c], inds_[c]));
        }
    }
}

std::size_t Rows::Size() const {
    return kinds_.empty() ? 0 : kinds_[0] == 's' ? texts_[0].size() : ints_[0].size();
}

void Rows::Refill() {
    for (std::size_t c = 0; c < kinds_.size(); ++c) {
        if (kinds_[c] == 's') {
            texts_[c].resize(kBatch);
        } else {
            ints_[c].resize(kBatch);
            inds_[c].resize(kBatch);
        }
    }
}

void Rows::Start(soci::statement& st) {
    // Without intos SOCI's SQLite backend binds the uses and steps nothing (a fetch of zero rows).
    st.execute(false);
    stmt_ = static_cast<soci::sqlite3_statement_backend*>(st.get_backend())->stmt_;
}

bool Rows::Next() {
    auto* stmt = static_cast<sqlite_api::sqlite3_stmt*>(stmt_);
    const int rc = sqlite_api::sqlite3_step(stmt);
    if (rc == SQLITE_DONE) {
        sqlite_api::sqlite3_reset(stmt);  // no read snapshot kept open
        return false;
    }
    if (rc != SQLITE_ROW) {
        const std::string message = sqlite_api::sqlite3_errmsg(static_cast<sqlite_api::sqlite3*>(conn_));
        sqlite_api::sqlite3_reset(stmt);
        throw soci::soci_error("sqlite3_step: " + message);
    }
    for (std::size_t c = 0; c < kinds_.size(); ++c) {
        const int col = static_cast<int>(c);
        if (kinds_[c] == 's') {
            const auto* text = sqlite_api::sqlite3_column_text(stmt, col);
            texts_[c][0].assign(text ? reinterpret_cast<const char*>(text) : "",
                                static_cast<std::size_t>(sqlite_api::sqlite3_column_bytes(stmt, col)));
        } else if (kinds_[c] == 'i') {
            ints_[c][0] = sqlite_api::sqlite3_column_int64(stmt, col);  // declared NOT NULL: no type test
        } else if (sqlite_api::sqlite3_column_type(stmt, col) == SQLITE_NULL) {
            inds_[c][0] = soci::i_null;
            ints_[c][0] = 0;
        } else {
            inds_[c][0] = soci::i_ok;
            ints_[c][0] = sqlite_api::sqlite3_column_int64(stmt, col);
        }
    }
    return true;
}

}  // namespace otdel::reports::store
