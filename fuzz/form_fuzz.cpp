// Website form parser (the public endpoint's body): JSON and urlencoded bodies of any shape give a submission or
// field errors, never a crash; an accepted submission has a phone or an e-mail and UTF-8 fields.
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "intake/form_submission.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::string_view type =
        (data[0] & 1) ? "application/x-www-form-urlencoded; charset=utf-8" : "application/json";
    auto r = otdel::intake::ParseFormSubmission(type, body, (data[0] & 2) ? "website" : "hp");
    if (r.ok() && !r->honeypot_filled) {
        FUZZ_CHECK(!r->phone.empty() || !r->email.empty());
        FUZZ_CHECK(otdel::intake::IsValidUtf8(r->name) && otdel::intake::IsValidUtf8(r->message));
        FUZZ_CHECK(r->custom.size() <= otdel::intake::kMaxCustomFields);
    }
    return 0;
}
