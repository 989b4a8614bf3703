#pragma once
/// A short valid WAV recording made by code (RIFF/WAVE, PCM 8-bit mono, 8 kHz: 8 KB a second): the demo's recorded
/// calls and the tests' uploads, so no audio file is shipped. No I/O here.
#include <string>

namespace otdel::agenda {

/// `seconds` of two alternating tones (a "conversation" a player can seek in), 8 kHz mono, 8-bit unsigned PCM.
std::string MakeDemoWav(int seconds);

}  // namespace otdel::agenda
