#pragma once
/// Optional values as SOCI binds them: a buffer plus its indicator (i_null when the optional is empty).
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>

namespace otdel::db {

struct NullableId {
    long long v = 0;
    soci::indicator ind = soci::i_null;
    NullableId() = default;
    explicit NullableId(const std::optional<std::int64_t>& o) : v(o.value_or(0)), ind(o ? soci::i_ok : soci::i_null) {}
    std::optional<std::int64_t> get() const {
        return ind == soci::i_ok ? std::optional<std::int64_t>(v) : std::nullopt;
    }
};

struct NullableText {
    std::string v;
    soci::indicator ind = soci::i_null;
    NullableText() = default;
    explicit NullableText(const std::optional<std::string>& o)
        : v(o.value_or("")), ind(o ? soci::i_ok : soci::i_null) {}
};

/// The same for the long-lived buffers of a prepared statement: sets `out` and `ind` from an optional.
template <class T, class U>
void SetNullable(const std::optional<U>& o, T& out, soci::indicator& ind) {
    out = o ? static_cast<T>(*o) : T{};
    ind = o ? soci::i_ok : soci::i_null;
}

}  // namespace otdel::db
