#pragma once
/// A role's permission set: which actions it may take on which object types. Pure: no SQL, JSON or HTTP.
/// Which *rows* the caller may touch is a separate question, answered by auth/visibility.hpp.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otdel::auth {

enum class Action { kCreate, kRead, kUpdate, kDelete, kExport, kAssign };

/// Stable name as stored in roles.permissions: "create", "read", "update", "delete", "export", "assign".
std::string_view ActionName(Action a);
std::optional<Action> ParseAction(std::string_view name);
/// The six actions, in declaration order.
const std::vector<Action>& AllActions();
/// Create, update, delete and assign change data; read and export do not.
bool IsWrite(Action a);

/// Object types are the singular keys of the role catalog ("lead", "deal", "client", "ticket", "report", ...). "*"
/// grants its actions on every object type.
inline constexpr std::string_view kAnyObject = "*";

class PermissionSet {
public:
    /// Allows nothing.
    PermissionSet() = default;
    /// Every action on every object type (administrators, the system actor).
    static PermissionSet Everything();

    void Grant(std::string_view object_type, Action a);

    /// True when `a` is granted on `object_type` or on "*".
    bool Can(Action a, std::string_view object_type) const;
    /// True when `a` is a write action (IsWrite) and granted on `object_type`; false for read and export.
    bool CanWrite(Action a, std::string_view object_type) const;

    bool empty() const { return grants_.empty(); }
    /// Object types with at least one granted action, sorted ("*" first when present).
    std::vector<std::string> ObjectTypes() const;
    /// Granted actions on exactly `object_type` (not counting "*"), in declaration order.
    std::vector<Action> Actions(std::string_view object_type) const;

    bool operator==(const PermissionSet&) const = default;

private:
    static std::uint8_t Bit(Action a) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(a)); }
    std::map<std::string, std::uint8_t, std::less<>> grants_;
};

}  // namespace otdel::auth
