#pragma once
/// Shared by the pure report tests: a five-stage pipeline and pointers to deal facts (what the report rules take).
#include <vector>

#include "core/clock.hpp"
#include "reports/report.hpp"

namespace otdel::reports::test_support {

/// 2026-02-01 00:00 Moscow time.
inline constexpr core::Millis kFeb = 1'769'893'200'000;

/// 1 Новая (10 %), 2 Переговоры (40 %), 3 Счёт (80 %) — open; 4 Выиграна (won); 5 Проиграна (lost).
inline std::vector<StageInfo> Stages() {
    return {{1, "Новая", 0, 10, "open"},
            {2, "Переговоры", 1, 40, "open"},
            {3, "Счёт", 2, 80, "open"},
            {4, "Выиграна", 3, 100, "won"},
            {5, "Проиграна", 4, 0, "lost"}};
}

inline std::vector<const DealFact*> Ptrs(const std::vector<DealFact>& v) {
    std::vector<const DealFact*> out;
    out.reserve(v.size());
    for (const auto& d : v) out.push_back(&d);
    return out;
}

}  // namespace otdel::reports::test_support
