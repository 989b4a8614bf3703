#pragma once
/// Departments: a tree per workspace with a materialised path ("/1/4/9/"), and the pure rules of moving nodes.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace otdel::org {

/// How a department divides work (ORG-1).
struct Division {
    std::string principle = "none";          // none | territory | product | client_type
    std::vector<std::string> regions;        // territory
    std::vector<std::string> lines;          // product/service lines
    std::optional<std::string> client_type;  // corporate | private
};

struct Department {
    core::Id workspace_id = 0, id = 0;
    std::optional<core::Id> parent_id;
    std::string name, path;
    Division division;
    std::optional<core::Id> head_user_id;
    std::optional<core::Millis> archived_at;
    core::Millis created_at = 0, updated_at = 0;

    bool active() const { return !archived_at.has_value(); }
};

inline constexpr std::size_t kMaxDepartmentNameLength = 200;
inline constexpr std::size_t kMaxDivisionItems = 200;
inline constexpr std::size_t kMaxDivisionItemLength = 100;

/// The path of a node with `id` under a parent with `parent_path` ("" for a root): "/1/4/" + "9/".
std::string ChildPath(const std::string& parent_path, core::Id id);
/// True when `path` is `ancestor_path` itself or lies below it.
bool PathWithin(const std::string& path, const std::string& ancestor_path);
/// Moving the node at `node_path` under the node at `new_parent_path` would make it its own ancestor.
bool MoveCreatesCycle(const std::string& node_path, const std::string& new_parent_path);
/// The path of a subtree member after its subtree root moved from `old_root_path` to `new_root_path`.
std::string RebasePath(const std::string& path, const std::string& old_root_path, const std::string& new_root_path);
/// The ids on a path, root first: "/1/4/9/" -> {1, 4, 9}.
std::vector<core::Id> PathIds(const std::string& path);
/// Field errors of a division (field prefix "division/").
std::vector<core::FieldError> ValidateDivision(const Division& d);

}  // namespace otdel::org
