#include "activities/activities.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cstring>

#include "clients/normalize.hpp"

namespace otdel::activities {
namespace {

bool OneOf(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string Joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string Lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool HttpUrl(std::string_view s) {
    auto u = boost::urls::parse_uri(s);
    if (!u) return false;
    const std::string scheme = Lower(u->scheme());
    return (scheme == "http" || scheme == "https") && !u->host().empty();
}

// Characters, not bytes: Cyrillic text is two bytes a letter in UTF-8.
std::size_t Chars(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

void Length(std::vector<core::FieldError>& out, const char* field, std::string_view v, std::size_t max) {
    if (Chars(v) > max) out.push_back({field, "too_long", std::to_string(max)});
}

void OptionalLength(std::vector<core::FieldError>& out, const char* field, const std::optional<std::string>& v,
                    std::size_t max) {
    if (v) Length(out, field, *v, max);
}

}  // namespace

const std::vector<std::string>& Kinds() {
    static const std::vector<std::string> k{"call", "meeting", "task", "email", "sms", "note"};
    return k;
}
const std::vector<std::string>& CallOutcomes() {
    static const std::vector<std::string> k{"answered", "no_answer", "busy", "voicemail", "missed", "failed"};
    return k;
}
const std::vector<std::string>& Priorities() {
    static const std::vector<std::string> k{"low", "normal", "high", "urgent"};
    return k;
}
const std::vector<std::string>& RecordTypes() {
    static const std::vector<std::string> k{"company", "contact", "lead", "deal"};
    return k;
}

std::vector<core::FieldError> Validate(const Activity& a) {
    std::vector<core::FieldError> out;
    if (!OneOf(Kinds(), a.kind)) {
        out.push_back({"kind", "not_one_of", Joined(Kinds())});
        return out;
    }
    if (!a.company_id && !a.contact_id && !a.lead_id && !a.deal_id) out.push_back({"record", "required", ""});
    Length(out, "subject", a.subject, kMaxSubject);
    Length(out, "body", a.body, a.kind == "sms" ? kMaxSms : kMaxBody);
    if (a.mentions.size() > kMaxMentions) out.push_back({"mentions", "too_many", std::to_string(kMaxMentions)});

    if (a.kind == "call") {
        if (!a.call_direction || (*a.call_direction != "in" && *a.call_direction != "out"))
            out.push_back({"direction", a.call_direction ? "not_one_of" : "required", "in, out"});
        if (a.call_outcome && !OneOf(CallOutcomes(), *a.call_outcome))
            out.push_back({"outcome", "not_one_of", Joined(CallOutcomes())});
        if (a.call_duration_s && (*a.call_duration_s < 0 || *a.call_duration_s > kMaxCallSeconds))
            out.push_back({"duration_s", "out_of_range", "0.." + std::to_string(kMaxCallSeconds)});
        if (a.recording_url && (!HttpUrl(*a.recording_url) || Chars(*a.recording_url) > kMaxUrl))
            out.push_back({"recording_url", "invalid", ""});
        if (a.call_phone && !clients::NormalizePhone(*a.call_phone)) out.push_back({"phone", "invalid_phone", ""});
    } else if (a.kind == "meeting") {
        if (!a.starts_at) out.push_back({"starts_at", "required", ""});
        if (!a.ends_at) out.push_back({"ends_at", "required", ""});
        if (a.starts_at && a.ends_at) {
            if (*a.ends_at < *a.starts_at)
                out.push_back({"ends_at", "before_start", ""});
            else if (*a.ends_at - *a.starts_at > kMaxMeetingMs)
                out.push_back({"ends_at", "out_of_range", "7d"});
        }
        OptionalLength(out, "place", a.meeting_place, kMaxSubject);
        OptionalLength(out, "result", a.meeting_result, kMaxBody);
        if (a.meeting_video_url && (!HttpUrl(*a.meeting_video_url) || Chars(*a.meeting_video_url) > kMaxUrl))
            out.push_back({"video_url", "invalid", ""});
        if (a.participants.size() > kMaxParticipants)
            out.push_back({"participants", "too_many", std::to_string(kMaxParticipants)});
        for (std::size_t i = 0; i < a.participants.size(); ++i) {
            const auto& p = a.participants[i];
            const std::string at = "participants/" + std::to_string(i);
            if (!p.user_id && !p.contact_id && p.name.empty() && p.email.empty()) out.push_back({at, "required", ""});
            if (!p.email.empty() && !clients::NormalizeEmail(p.email)) out.push_back({at + "/email", "invalid_email"});
        }
    } else if (a.kind == "task") {
        if (a.subject.empty()) out.push_back({"subject", "required", ""});
        if (a.task_priority && !OneOf(Priorities(), *a.task_priority))
            out.push_back({"priority", "not_one_of", Joined(Priorities())});
        if (!a.owner_user_id) out.push_back({"assignee_user_id", "required", ""});
        if (a.checklist.size() > kMaxChecklist) out.push_back({"checklist", "too_many", std::to_string(kMaxChecklist)});
        for (std::size_t i = 0; i < a.checklist.size(); ++i) {
            const std::string at = "checklist/" + std::to_string(i);
            if (a.checklist[i].text.empty()) out.push_back({at + "/text", "required", ""});
            Length(out, (at + "/text").c_str(), a.checklist[i].text, kMaxChecklistText);
        }
    } else if (a.kind == "email") {
        if (a.email_direction.value_or("out") == "out") {
            if (a.email_to.empty()) out.push_back({"to", "required", ""});
            if (a.subject.empty()) out.push_back({"subject", "required", ""});
        }
        if (a.email_to.size() + a.email_cc.size() > kMaxRecipients)
            out.push_back({"to", "too_many", std::to_string(kMaxRecipients)});
        for (std::size_t i = 0; i < a.email_to.size(); ++i)
            if (!clients::NormalizeEmail(a.email_to[i])) out.push_back({"to/" + std::to_string(i), "invalid_email"});
        for (std::size_t i = 0; i < a.email_cc.size(); ++i)
            if (!clients::NormalizeEmail(a.email_cc[i])) out.push_back({"cc/" + std::to_string(i), "invalid_email"});
    } else if (a.kind == "sms") {
        if (!a.sms_phone)
            out.push_back({"phone", "required", ""});
        else if (!clients::NormalizePhone(*a.sms_phone))
            out.push_back({"phone", "invalid_phone", ""});
        if (a.body.empty()) out.push_back({"body", "required", ""});
    } else if (a.kind == "note") {
        if (a.body.empty()) out.push_back({"body", "required", ""});
    }
    return out;
}

bool IsOverdue(const Activity& a, core::Millis now) {
    return a.kind == "task" && !a.done && !a.deleted_at && a.due_at && *a.due_at < now;
}

std::optional<core::Millis> EscalationAt(const Activity& a, int delay_minutes) {
    if (a.kind != "task" || a.done || a.deleted_at || !a.due_at) return std::nullopt;
    return *a.due_at + static_cast<core::Millis>(std::max(0, delay_minutes)) * 60'000;
}

core::Millis TimelineAt(const Activity& a, core::Millis fallback) {
    if (a.kind == "meeting" && a.starts_at) return *a.starts_at;
    if (a.kind == "call" && a.starts_at) return *a.starts_at;
    if (a.kind == "task" && a.due_at) return *a.due_at;
    return fallback;
}

std::optional<std::string> SniffAudio(std::string_view b) {
    auto starts = [&](std::size_t off, std::string_view sig) {
        return b.size() >= off + sig.size() && b.compare(off, sig.size(), sig) == 0;
    };
    if (starts(0, "ID3")) return "audio/mpeg";
    // An MPEG audio frame: 11 set sync bits, a layer other than "reserved", a bitrate index other than "bad".
    if (b.size() >= 4) {
        const auto c0 = static_cast<unsigned char>(b[0]), c1 = static_cast<unsigned char>(b[1]),
                   c2 = static_cast<unsigned char>(b[2]);
        if (c0 == 0xFF && (c1 & 0xE0) == 0xE0 && (c1 & 0x06) != 0 && (c2 & 0xF0) != 0xF0) {
            // ADTS AAC has layer bits 00; MPEG audio layers I–III have them set (checked above).
            return "audio/mpeg";
        }
    }
    if (starts(0, "RIFF") && starts(8, "WAVE")) return "audio/wav";
    if (starts(0, "OggS")) return "audio/ogg";
    if (starts(0, "fLaC")) return "audio/flac";
    if (starts(4, "ftyp")) {
        for (std::string_view brand : {"M4A ", "M4B ", "mp42", "isom", "mp41", "3gp4", "3gp5"})
            if (starts(8, brand)) return "audio/mp4";
        return std::nullopt;
    }
    if (starts(0, "\x1A\x45\xDF\xA3")) return "audio/webm";
    return std::nullopt;
}

bool RecordingHostAllowed(std::string_view url, const std::vector<std::string>& hosts) {
    auto u = boost::urls::parse_uri(url);
    if (!u) return false;
    const std::string scheme = Lower(u->scheme());
    if (scheme != "https" && scheme != "http") return false;
    const std::string host = Lower(u->host());
    if (host.empty() || !u->userinfo().empty()) return false;
    for (const auto& h : hosts) {
        const std::string allowed = Lower(h);
        if (allowed.empty()) continue;
        if (host == allowed) return true;
        if (host.size() > allowed.size() && host.ends_with(allowed) && host[host.size() - allowed.size() - 1] == '.')
            return true;
    }
    return false;
}

std::string RenderTemplate(std::string_view text, const std::map<std::string, std::string>& values) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t open = text.find("{{", i);
        if (open == std::string_view::npos) break;
        const std::size_t close = text.find("}}", open + 2);
        if (close == std::string_view::npos) break;
        out.append(text.substr(i, open - i));
        std::string_view name = text.substr(open + 2, close - open - 2);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
        if (auto it = values.find(std::string(name)); it != values.end()) out += it->second;
        i = close + 2;
    }
    out.append(text.substr(i));
    return out;
}

const std::vector<std::string>& TemplatePlaceholders() {
    static const std::vector<std::string> k{
        "client.name", "contact.name", "contact.first_name", "deal.title", "user.name", "user.email", "today"};
    return k;
}

}  // namespace otdel::activities
