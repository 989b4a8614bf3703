#include "agenda/wav.hpp"

#include <cmath>
#include <cstdint>

namespace otdel::agenda {
namespace {

constexpr int kRate = 8000;

void Put16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v & 0xFF));
    out.push_back(static_cast<char>(v >> 8));
}
void Put32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

}  // namespace

std::string MakeDemoWav(int seconds) {
    const std::uint32_t samples = static_cast<std::uint32_t>(seconds > 0 ? seconds : 1) * kRate;
    const std::uint32_t data_bytes = samples;
    std::string out;
    out.reserve(44 + data_bytes);
    out += "RIFF";
    Put32(out, 36 + data_bytes);
    out += "WAVEfmt ";
    Put32(out, 16);     // PCM header size
    Put16(out, 1);      // PCM
    Put16(out, 1);      // mono
    Put32(out, kRate);  // sample rate
    Put32(out, kRate);  // byte rate
    Put16(out, 1);      // block align
    Put16(out, 8);      // bits per sample
    out += "data";
    Put32(out, data_bytes);
    const double kPi = std::acos(-1.0);
    for (std::uint32_t i = 0; i < samples; ++i) {
        // Two "voices" taking turns every 3 seconds, with a short pause between turns.
        const std::uint32_t turn = i / (3 * kRate);
        const bool pause = (i % (3 * kRate)) > static_cast<std::uint32_t>(2.6 * kRate);
        const double hz = turn % 2 == 0 ? 220.0 : 330.0;
        const double v = pause ? 0.0 : 0.25 * std::sin(2 * kPi * hz * i / kRate);
        out.push_back(static_cast<char>(static_cast<std::uint8_t>(128 + static_cast<int>(v * 127))));
    }
    return out;
}

}  // namespace otdel::agenda
