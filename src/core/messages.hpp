#pragma once
/// User-facing texts of errors in Russian and English. One catalog for the whole binary.
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/lang.hpp"

namespace otdel::core {

/// Title of the error kind ("Проверьте данные" / "Check the data").
std::string_view ErrorTitle(ErrorCode code, Lang lang);
/// Detailed message: the catalog entry for error.message_key if set, else the code's default.
std::string ErrorMessage(const Error& error, Lang lang);
/// Message for a field error, with its parameter substituted.
std::string FieldMessage(const FieldError& field, Lang lang);
/// True when the catalog has both languages for every code and key (checked by a unit test).
bool CatalogComplete();

}  // namespace otdel::core
