#pragma once
/// The role catalog (ORG-2): levels, duties, KPIs, a permission set and a visibility scope per role; the catalog
/// seeded into every new workspace; validation of roles a workspace edits or adds.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace otdel::org {

/// object type -> allowed actions (create, read, update, delete, export, assign).
using Permissions = std::map<std::string, std::vector<std::string>>;

struct Role {
    core::Id workspace_id = 0, id = 0;
    std::string code;
    std::optional<std::string> level;  // L1..L4
    std::string name_ru, name_en, duties_ru, duties_en;
    std::vector<std::string> kpis;  // KPI codes (PLAN-3)
    Permissions permissions;
    std::string scope = "own";  // own | team | all | read_all
    bool system = false;
    std::optional<core::Millis> retired_at;
    core::Millis created_at = 0, updated_at = 0;
    int active_employees = 0;  // filled by reads
};

const std::vector<std::string>& KpiCodes();
const std::vector<std::string>& PermissionActions();
bool IsScope(const std::string& s);
bool IsLevel(const std::string& s);
/// Field errors of a role's editable content (code format checked only when `check_code`).
std::vector<core::FieldError> ValidateRole(const Role& r, bool check_code);

/// The roles every new workspace starts with, written for a Russian sales department.
const std::vector<Role>& DefaultCatalog();

}  // namespace otdel::org
