#include "leads/lead.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace otdel::leads {
namespace {

bool In(const std::vector<std::string>& list, std::string_view v) {
    return std::find(list.begin(), list.end(), v) != list.end();
}

std::string Trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

// Length in code points, and the byte offset of code point `n` (UTF-8).
std::size_t Utf8Offset(const std::string& s, std::size_t n) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (count == n) return i;
            ++count;
        }
    }
    return s.size();
}

}  // namespace

const std::vector<std::string>& Statuses() {
    static const std::vector<std::string> k = {"new", "in_work", "qualified", "converted", "junk"};
    return k;
}

bool IsOpenStatus(std::string_view status) {
    return status == "new" || status == "in_work" || status == "qualified";
}

const std::vector<std::string>& JunkReasons() {
    static const std::vector<std::string> k = {"spam", "duplicate", "not_our_product", "no_contact", "test", "other"};
    return k;
}

const std::vector<std::string>& Channels() {
    static const std::vector<std::string> k = {"form", "email", "phone", "telegram", "webhook", "manual", "import"};
    return k;
}

const std::vector<std::string>& EventKinds() {
    static const std::vector<std::string> k = {"request",       "call_missed", "call_in",
                                               "call_finished", "email_in",    "message_in"};
    return k;
}

core::Result<void> CheckTransition(std::string_view from, std::string_view to,
                                   const std::optional<std::string>& junk_reason) {
    using core::Error;
    using core::ErrorCode;
    if (!In(Statuses(), to)) return Error::Field("status", "not_one_of", "new, in_work, qualified, junk");
    if (to == "junk") {
        if (!junk_reason || junk_reason->empty()) return Error::Field("junk_reason", "required");
        if (!In(JunkReasons(), *junk_reason))
            return Error::Field("junk_reason", "not_one_of",
                                "spam, duplicate, not_our_product, no_contact, test, other");
    } else if (junk_reason) {
        return Error::Field("junk_reason", "invalid");
    }
    if (to == "converted") return Error::Of(ErrorCode::kConflict, "leads.convert_only");
    if (from == "converted") return Error::Of(ErrorCode::kConflict, "leads.already_converted");
    if (from == to) return Error::Of(ErrorCode::kConflict, "leads.same_status");
    static const std::map<std::string_view, std::set<std::string_view>> kAllowed = {
        {"new", {"in_work", "qualified", "junk"}},
        {"in_work", {"new", "qualified", "junk"}},
        {"qualified", {"in_work", "junk"}},
        {"junk", {"new"}},
    };
    auto it = kAllowed.find(from);
    if (it == kAllowed.end() || !it->second.contains(to))
        return Error::Of(ErrorCode::kConflict, "leads.transition_not_allowed");
    return core::Ok();
}

std::string MakeTitle(const std::string& request_text, const std::string& contact_name, const std::string& company_name,
                      const std::string& first_point) {
    std::string line = Trim(request_text.substr(0, request_text.find('\n')));
    if (!line.empty()) {
        const std::size_t cut = Utf8Offset(line, 80);
        if (cut < line.size()) {
            std::string head = line.substr(0, cut);
            const auto space = head.find_last_of(' ');
            if (space != std::string::npos && space > head.size() / 2) head = head.substr(0, space);
            return Trim(head) + "…";
        }
        return line;
    }
    for (const std::string* s : {&contact_name, &company_name, &first_point}) {
        std::string t = Trim(*s);
        if (!t.empty()) return t;
    }
    return "Заявка";
}

}  // namespace otdel::leads
