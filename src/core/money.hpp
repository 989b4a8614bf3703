#pragma once
/// Money: integer minor units + ISO 4217 currency. Never floating point.
#include <cstdint>
#include <string>

namespace otdel::core {

struct Money {
    std::int64_t minor = 0;        // kopecks for RUB
    std::string currency = "RUB";  // ISO 4217

    friend bool operator==(const Money&, const Money&) = default;
};

}  // namespace otdel::core
