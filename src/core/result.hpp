#pragma once
/// Result<T>: a value or a core::Error. Expected failures travel as values; exceptions are for the unexpected.
#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/error.hpp"

namespace otdel::core {

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<0>(v_);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(v_);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(v_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const {
        assert(!ok());
        return std::get<1>(v_);
    }
    Error&& take_error() {
        assert(!ok());
        return std::get<1>(std::move(v_));
    }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const {
        assert(!ok_);
        return error_;
    }
    Error&& take_error() {
        assert(!ok_);
        return std::move(error_);
    }

private:
    Error error_;
    bool ok_ = true;
};

inline Result<void> Ok() {
    return {};
}

}  // namespace otdel::core

/// Propagates an error from an expression returning Result<...>: OTDEL_TRY(r, Parse(x)); then use *r.
#define OTDEL_TRY_VOID(expr)                                 \
    do {                                                     \
        auto otdel_try_r_ = (expr);                          \
        if (!otdel_try_r_) return otdel_try_r_.take_error(); \
    } while (0)
