#pragma once
/// The deals kind of an import (PLAT-3, issue 6 item 10): its target fields, header synonyms and ready mappings for
/// Bitrix24 and amoCRM deal exports, and reading a mapped row into a checked deal row — money, quantities, dates,
/// won/lost words and product lines as people and those exports write them. Pure: owners, pipelines, stages, loss
/// reasons, clients and products are resolved later against the workspace (imports/import_deals.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "imports/mapping.hpp"

namespace otdel::imports {

/// The fixed target fields of a deal row.
const std::vector<TargetField>& DealTargetFields();
/// Header synonyms of the deal fields (normalised as SuggestMapping compares them), in Russian and English.
const std::vector<std::pair<std::string, std::vector<std::string>>>& DealSynonyms();
/// The ready deal mappings ("Bitrix24", "amoCRM").
std::vector<BuiltinMapping> DealBuiltinMappings();

/// A moment as a file writes it: a local date and time of day, without a zone (the workspace's applies).
struct LocalStamp {
    int year = 0, month = 0, day = 0;
    int seconds = 0;  // of the day, 0..86399
    bool operator==(const LocalStamp&) const = default;
    /// The calendar day as YYYY-MM-DD.
    std::string Day() const;
};

enum class DealStatus { kOpen, kWon, kLost };

/// One product line as a file writes it: the product (an SKU or a name), the quantity in thousandths and the unit
/// price in minor units when given.
struct DealLineText {
    std::string product;
    std::int64_t quantity_milli = 0;
    std::optional<std::int64_t> unit_price_minor;
    bool operator==(const DealLineText&) const = default;
};

/// A deal row after reading: every value parsed, nothing resolved yet.
struct DealRow {
    std::string title, pipeline, stage, owner, company_name, company_inn, loss_reason, loss_comment;
    /// The file's own id of the deal (the import's natural key: a re-import finds the deal by it).
    std::string external_id;
    /// The client's contact person: linked by phone or e-mail (normalised as the clients import does), else by name
    /// among the company's contacts.
    std::string contact_name, contact_phone, contact_email;
    /// From a status column, or from a stage cell holding a won/lost word (amoCRM «Успешно реализовано»).
    std::optional<DealStatus> status;
    std::optional<std::int64_t> amount_minor;
    /// ISO 4217; "" = the workspace's currency.
    std::string currency;
    std::optional<LocalStamp> created, closed;
    std::optional<std::string> expected_close_date;  // YYYY-MM-DD
    /// Checklist items to tick, by code or label.
    std::vector<std::string> checklist;
    std::vector<DealLineText> lines;
};

/// Reads a mapped deal record. Reasons are field errors named by the target field: "title" required,
/// "amount"/"lines" invalid_amount, "currency" invalid_currency, "created_at"/"closed_at"/"expected_close_date"
/// invalid_date, "closed_at" before_start, "status" invalid_status, "lines"/"quantity" invalid_quantity, "product"
/// required (a quantity or price without a product).
DealRow ReadDealRow(const Record& r, std::vector<core::FieldError>& reasons);

/// Money as written: "150000", "150 000,50", "1,234,567.89", "12 500 руб.", "₽ 990", "$1,200" — integer minor
/// units (at most two decimals, never a float), and the currency when the text names one (RUB, USD, EUR, or three
/// capital letters). nullopt for anything else, negatives included.
std::optional<std::int64_t> ParseMoney(std::string_view text, std::string* currency = nullptr);
/// A quantity in thousandths: "2", "1,5", "0.250", "1 000"; at most three decimals. nullopt when not a number.
std::optional<std::int64_t> ParseQuantityMilli(std::string_view text);
/// "YYYY-MM-DD", "DD.MM.YYYY", each optionally followed by " HH:MM" or " HH:MM:SS" (or ISO's "T").
std::optional<LocalStamp> ParseStamp(std::string_view text);
/// Won / lost / open words of a status or stage cell: «Успешна», «Сделка успешна», «Успешно реализовано», «won»;
/// «Проиграна», «Сделка провалена», «Закрыто и не реализовано», «lost»; «В работе», «open». nullopt otherwise.
std::optional<DealStatus> ParseDealStatus(std::string_view word);
/// The lines of a lines cell: one per text line or "|", each "product;quantity;price" (quantity 1 when absent, price
/// optional).
std::optional<std::vector<DealLineText>> ParseLines(std::string_view cell);

}  // namespace otdel::imports
