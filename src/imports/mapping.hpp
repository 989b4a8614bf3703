#pragma once
/// Column mapping of an import (PLAT-3): the target fields of each entity, the ready mappings for Bitrix24 and
/// amoCRM exports, the auto-suggestion from header names, and turning one row into a checked record. Pure: the
/// normalisers of clients/normalize.hpp are the only thing called; owners and custom fields are checked later
/// against the workspace.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace otdel::imports {

enum class Entity { kCompany, kContact, kLead, kDeal };
std::string_view EntityName(Entity e);  // company | contact | lead | deal
/// Accepts the singular ("company"), the plural ("companies") and the CLI's "clients" (companies).
std::optional<Entity> ParseEntity(std::string_view s);
/// The role catalog's object type whose rights importing `e` takes: "client" (companies, contacts), "lead", "deal".
std::string ObjectTypeOf(Entity e);

struct TargetField {
    std::string code;  // "name", "phone_mobile", "custom.<code>" ...
    std::string label_ru, label_en;
    /// Several columns may map to it (phones, e-mails, tags, notes); their values are collected.
    bool repeated = false;
};

/// The fixed target fields of an entity (custom.<code> fields come from the workspace on top of these).
const std::vector<TargetField>& TargetFields(Entity e);
/// True for a fixed field of `e` or a well-formed "custom.<code>".
bool IsTargetField(Entity e, std::string_view code);

/// header → target field; a header absent from the map (or mapped to "") is skipped.
using ColumnMap = std::map<std::string, std::string>;

struct BuiltinMapping {
    std::string name;  // "Bitrix24", "amoCRM"
    Entity entity;
    ColumnMap columns;
};
/// The ready mappings seeded into every workspace (read-only there).
const std::vector<BuiltinMapping>& BuiltinMappings();

/// Maps each header to the most similar target field (synonyms in Russian and English, the Bitrix24 and amoCRM
/// names, then edit distance on normalised words); headers with no field similar enough are left out. A field
/// that is not repeated is given to one header only (the most similar).
ColumnMap SuggestMapping(Entity e, const std::vector<std::string>& headers);

/// Checks a mapping against an entity: unknown target fields are field errors "columns/<header>" with code
/// "not_a_target_field".
std::vector<core::FieldError> CheckMapping(Entity e, const ColumnMap& columns);

/// A row after mapping: field → values (one per mapped column that was not empty; split on ',' ';' and new lines
/// for phones and e-mails), normalised where a rule exists.
struct Record {
    std::map<std::string, std::vector<std::string>> values;
    /// E.164 phones and lower-cased e-mails, with the label from the field ("mobile", "work", ...).
    struct Point {
        std::string kind, label, raw, value;
    };
    std::vector<Point> points;
    std::string First(const std::string& field) const;
};

/// Column index for each header position: the field it feeds ("" skipped).
std::vector<std::string> ResolveColumns(const ColumnMap& columns, const std::vector<std::string>& headers);

/// Builds and checks the record of one data row. Reasons are field errors (field = target field code; codes
/// "required", "invalid_phone", "invalid_email", "invalid_inn", "invalid_kpp", "invalid_ogrn", "invalid_date",
/// "too_long"). Contacts: a full name is split "Фамилия Имя Отчество" when the parts are not mapped.
/// Dates ("birthday") accept YYYY-MM-DD, DD.MM.YYYY and DD.MM; they come out as YYYY-MM-DD or MM-DD.
Record MapRow(Entity e, const std::vector<std::string>& fields, const std::vector<std::string>& cells,
              std::vector<core::FieldError>& reasons);

/// How names in a file are compared with names in the workspace (pipelines, stages, loss reasons, products):
/// lower-cased, ё as е, punctuation as single spaces — the same folding headers get.
std::string FoldName(std::string_view s);

/// A cell safe to open in a spreadsheet: one starting with = + - @ (or a tab/CR) gets a leading apostrophe.
std::string NeutraliseCell(std::string_view cell);
/// One CSV line (RFC 4180 quoting, ',' separated, CRLF) of already neutralised cells.
std::string CsvLine(const std::vector<std::string>& cells);

}  // namespace otdel::imports
