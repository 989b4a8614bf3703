#pragma once
/// Types and pure rules of the clients room (CLIENT-1, CLIENT-2, LEAD-2 merge): companies, contacts (people), their
/// phones and e-mails, workspace-defined custom fields and how a merge combines two records. No SQL, JSON or HTTP:
/// custom values arrive here as CustomValue, already taken out of whatever carried them.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace otdel::clients {

inline constexpr std::size_t kMaxNameLength = 300;
inline constexpr std::size_t kMaxTextLength = 4000;
inline constexpr std::size_t kMaxTags = 30;
inline constexpr std::size_t kMaxTagLength = 50;
inline constexpr std::size_t kMaxPoints = 20;

/// One phone or e-mail of a company, contact or lead. `value` is the dedupe key (E.164 / lower-cased e-mail).
struct ContactPoint {
    core::Id id = 0;
    std::string kind;   // phone | email
    std::string label;  // phones: mobile, work, home, fax, other; e-mails: work, personal, other
    std::string raw;
    std::string value;
    bool is_primary = false;
};

struct BankDetails {
    std::string bank_name, bik, account, corr_account;
    bool empty() const { return bank_name.empty() && bik.empty() && account.empty() && corr_account.empty(); }
};

struct Company {
    core::Id workspace_id = 0, id = 0;
    std::string legal_form, name, full_name;
    std::optional<std::string> inn, kpp, ogrn;
    std::string legal_address, actual_address;
    BankDetails bank;
    std::string financial_state;
    std::optional<std::int64_t> purchase_volume_minor;
    std::string currency = "RUB";
    std::string payment_discipline, preferences, notes, website;
    std::vector<std::string> tags;
    std::string custom_json = "{}";
    std::optional<core::Id> owner_user_id, source_lead_id, merged_into_id, created_by;
    std::optional<core::Millis> deleted_at;
    core::Millis created_at = 0, updated_at = 0;
};

struct Contact {
    core::Id workspace_id = 0, id = 0;
    std::string last_name, first_name, middle_name, full_name;
    std::optional<std::string> birthday;
    std::string preferences, notes;
    std::vector<std::string> tags;
    std::string custom_json = "{}";
    std::optional<core::Id> owner_user_id, source_lead_id, merged_into_id, created_by;
    std::optional<core::Millis> deleted_at;
    core::Millis created_at = 0, updated_at = 0;
};

/// A contact's place in a company.
struct Link {
    core::Id company_id = 0, contact_id = 0;
    std::string position, decision_role;
    bool is_primary = false;
};

/// "Фамилия Имя Отчество" from the parts, single-spaced; empty parts are skipped.
std::string FullName(const std::string& last, const std::string& first, const std::string& middle);

/// Checks the requisites of a company: INN by legal form (a sole trader 'ip' has 12 digits, an organisation 10),
/// KPP (organisations only), OGRN (13 digits; OGRNIP 15 for 'ip'), BIK and the accounts' control keys against it.
/// Field names are the API's ("inn", "bank_details/account"...).
std::vector<core::FieldError> CheckRequisites(const Company& c);

/// 'YYYY-MM-DD' (a real date, year 1900..2100) or '--MM-DD' / 'MM-DD' when the year is unknown.
bool IsValidBirthday(const std::string& s);

// --- custom fields (CLIENT-2) -----------------------------------------------------------------------------------

enum class FieldKind { kText, kNumber, kMoney, kDate, kChoice, kMultiChoice };
std::string_view FieldKindName(FieldKind k);
std::optional<FieldKind> ParseFieldKind(std::string_view s);

struct FieldOption {
    std::string value, label_ru, label_en;
};

struct CustomField {
    core::Id workspace_id = 0, id = 0;
    std::string entity;  // company | contact | lead
    std::string code;    // [a-z][a-z0-9_]{0,49}
    std::string label_ru, label_en;
    FieldKind kind = FieldKind::kText;
    std::vector<FieldOption> options;
    bool required = false;
    std::optional<core::Id> required_from_stage_id;
    int position = 0;
    std::optional<core::Millis> archived_at;
    core::Millis created_at = 0, updated_at = 0;
};

/// A value as the transport carried it (JSON string, number, array of strings, null, anything else).
struct CustomValue {
    enum class Type { kNull, kString, kInteger, kDecimal, kStrings, kOther };
    Type type = Type::kNull;
    std::string text;
    std::int64_t integer = 0;
    double decimal = 0;
    std::vector<std::string> strings;
};

bool IsValidFieldCode(const std::string& code);

/// Checks a record's custom values against the workspace's active fields of its entity: each value must fit its
/// field's kind (text ≤ 2000 chars; number; money in integer minor units; date YYYY-MM-DD; choice one of the options;
/// multi-choice distinct options). Unknown codes are "unknown_field". With `check_required`, every required field
/// (without a stage condition) must hold a non-empty value. Errors are named "custom/<code>".
std::vector<core::FieldError> CheckCustomValues(const std::vector<CustomField>& fields,
                                                const std::map<std::string, CustomValue>& values, bool check_required);

/// Problems with a field definition itself (code shape, labels, options of choice kinds: 1..100 distinct values).
std::vector<core::FieldError> CheckFieldDefinition(const CustomField& f);

// --- merge (LEAD-2) ---------------------------------------------------------------------------------------------

/// What happens to the absorbed record's data when it is merged into the survivor.
struct MergePlan {
    /// Absorbed contact points that move to the survivor (their value is new to it).
    std::vector<core::Id> move_points;
    /// Absorbed contact points dropped as duplicates of a survivor's point (same kind and value).
    std::vector<core::Id> drop_points;
    std::vector<std::string> tags;  // union, survivor's order first
    /// Custom values: the survivor's win; the absorbed record fills codes the survivor lacks or holds empty.
    /// Values are opaque serialised texts ("null" and "\"\"" and "[]" count as empty).
    std::map<std::string, std::string> custom;
};

MergePlan PlanMerge(const std::vector<ContactPoint>& survivor_points, const std::vector<ContactPoint>& absorbed_points,
                    const std::vector<std::string>& survivor_tags, const std::vector<std::string>& absorbed_tags,
                    const std::map<std::string, std::string>& survivor_custom,
                    const std::map<std::string, std::string>& absorbed_custom);

/// Lower-cases UTF-8 text in every script (ICU full case folding): "ООО Ёлка" -> "ооо ёлка".
std::string FoldCase(const std::string& text);

/// Splits free text into search tokens: case-folded runs of letters and digits (any script).
/// "Ivan@Mail.ru" -> {"ivan", "mail", "ru"}; "+7 (912)" -> {"7", "912"}.
std::vector<std::string> SearchTokens(const std::string& text);

}  // namespace otdel::clients
