#include "org/department.hpp"

#include <charconv>

namespace otdel::org {

std::string ChildPath(const std::string& parent_path, core::Id id) {
    return (parent_path.empty() ? std::string("/") : parent_path) + std::to_string(id) + "/";
}

bool PathWithin(const std::string& path, const std::string& ancestor_path) {
    return !ancestor_path.empty() && path.compare(0, ancestor_path.size(), ancestor_path) == 0;
}

bool MoveCreatesCycle(const std::string& node_path, const std::string& new_parent_path) {
    return PathWithin(new_parent_path, node_path);
}

std::string RebasePath(const std::string& path, const std::string& old_root_path, const std::string& new_root_path) {
    if (!PathWithin(path, old_root_path)) return path;
    return new_root_path + path.substr(old_root_path.size());
}

std::vector<core::Id> PathIds(const std::string& path) {
    std::vector<core::Id> out;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        std::size_t j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        core::Id v = 0;
        std::from_chars(path.data() + i, path.data() + j, v);
        out.push_back(v);
        i = j;
    }
    return out;
}

std::vector<core::FieldError> ValidateDivision(const Division& d) {
    std::vector<core::FieldError> errs;
    auto check_items = [&](const std::vector<std::string>& items, const char* field) {
        if (items.size() > kMaxDivisionItems)
            errs.push_back({std::string("division/") + field, "too_long", std::to_string(kMaxDivisionItems)});
        for (const auto& s : items) {
            if (s.empty() || s.size() > kMaxDivisionItemLength * 4) {
                errs.push_back({std::string("division/") + field, "invalid", ""});
                break;
            }
        }
    };
    if (d.principle == "none") {
        if (!d.regions.empty() || !d.lines.empty() || d.client_type)
            errs.push_back({"division/principle", "invalid", ""});
    } else if (d.principle == "territory") {
        if (d.regions.empty()) errs.push_back({"division/regions", "required", ""});
        if (!d.lines.empty()) errs.push_back({"division/lines", "invalid", ""});
        if (d.client_type) errs.push_back({"division/client_type", "invalid", ""});
    } else if (d.principle == "product") {
        if (d.lines.empty()) errs.push_back({"division/lines", "required", ""});
        if (!d.regions.empty()) errs.push_back({"division/regions", "invalid", ""});
        if (d.client_type) errs.push_back({"division/client_type", "invalid", ""});
    } else if (d.principle == "client_type") {
        if (!d.client_type) {
            errs.push_back({"division/client_type", "required", ""});
        } else if (*d.client_type != "corporate" && *d.client_type != "private") {
            errs.push_back({"division/client_type", "not_one_of", "corporate, private"});
        }
        if (!d.regions.empty()) errs.push_back({"division/regions", "invalid", ""});
        if (!d.lines.empty()) errs.push_back({"division/lines", "invalid", ""});
    } else {
        errs.push_back({"division/principle", "not_one_of", "none, territory, product, client_type"});
    }
    check_items(d.regions, "regions");
    check_items(d.lines, "lines");
    return errs;
}

}  // namespace otdel::org
