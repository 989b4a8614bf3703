#include "auth/permissions.hpp"

#include <array>

namespace otdel::auth {
namespace {

constexpr std::array<std::pair<Action, std::string_view>, 6> kActionNames{{
    {Action::kCreate, "create"},
    {Action::kRead, "read"},
    {Action::kUpdate, "update"},
    {Action::kDelete, "delete"},
    {Action::kExport, "export"},
    {Action::kAssign, "assign"},
}};

}  // namespace

std::string_view ActionName(Action a) {
    for (const auto& [action, name] : kActionNames) {
        if (action == a) return name;
    }
    return "unknown";
}

std::optional<Action> ParseAction(std::string_view name) {
    for (const auto& [action, n] : kActionNames) {
        if (n == name) return action;
    }
    return std::nullopt;
}

const std::vector<Action>& AllActions() {
    static const std::vector<Action> kAll = [] {
        std::vector<Action> v;
        for (const auto& entry : kActionNames) v.push_back(entry.first);
        return v;
    }();
    return kAll;
}

bool IsWrite(Action a) {
    switch (a) {
        case Action::kCreate:
        case Action::kUpdate:
        case Action::kDelete:
        case Action::kAssign: return true;
        case Action::kRead:
        case Action::kExport: return false;
    }
    return true;  // an unknown action is treated as the more dangerous kind
}

PermissionSet PermissionSet::Everything() {
    PermissionSet p;
    for (Action a : AllActions()) p.Grant(kAnyObject, a);
    return p;
}

void PermissionSet::Grant(std::string_view object_type, Action a) {
    auto it = grants_.find(object_type);
    if (it == grants_.end()) it = grants_.emplace(std::string(object_type), 0).first;
    it->second = static_cast<std::uint8_t>(it->second | Bit(a));
}

bool PermissionSet::Can(Action a, std::string_view object_type) const {
    if (object_type.empty()) return false;
    if (auto it = grants_.find(object_type); it != grants_.end() && (it->second & Bit(a)) != 0) return true;
    auto any = grants_.find(kAnyObject);
    return any != grants_.end() && (any->second & Bit(a)) != 0;
}

bool PermissionSet::CanWrite(Action a, std::string_view object_type) const {
    return IsWrite(a) && Can(a, object_type);
}

std::vector<std::string> PermissionSet::ObjectTypes() const {
    std::vector<std::string> out;
    for (const auto& [type, bits] : grants_) {
        if (bits != 0) out.push_back(type);
    }
    return out;
}

std::vector<Action> PermissionSet::Actions(std::string_view object_type) const {
    std::vector<Action> out;
    auto it = grants_.find(object_type);
    if (it == grants_.end()) return out;
    for (Action a : AllActions()) {
        if ((it->second & Bit(a)) != 0) out.push_back(a);
    }
    return out;
}

}  // namespace otdel::auth
