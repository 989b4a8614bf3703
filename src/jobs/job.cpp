#include "jobs/job.hpp"

#include <algorithm>

namespace otdel::jobs {

std::string_view JobStatusName(JobStatus s) {
    switch (s) {
        case JobStatus::kPending: return "pending";
        case JobStatus::kRunning: return "running";
        case JobStatus::kDone: return "done";
        case JobStatus::kFailed: return "failed";
    }
    return "pending";
}

core::Millis BackoffMs(int attempts) {
    constexpr core::Millis kBase = 30'000;
    constexpr core::Millis kCap = 3'600'000;
    int shift = std::clamp(attempts - 1, 0, 20);
    return std::min(kCap, kBase << shift);
}

}  // namespace otdel::jobs
