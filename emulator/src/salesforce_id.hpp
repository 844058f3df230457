#pragma once

// Salesforce record ids: 15-character case-sensitive ids and their 18-character
// case-safe form, whose 3-character suffix encodes the case of the first 15 characters.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sfdc::emulator::detail {

/// The 3-character case-safe suffix of a 15-character id.
std::string idChecksum(std::string_view id15);

/// The 18-character form of a 15- or 18-character id made of [0-9A-Za-z], or nullopt
/// when the input is not an id at all. An 18-character input keeps its first 15
/// characters and gets its suffix recomputed: the suffix only restores case for
/// case-insensitive tools, so a wrong-case suffix does not make another record.
std::optional<std::string> normalizeId(std::string_view id);

/// Ids the emulator mints: prefix (3) + pod (2) + a 10-character base-62 counter whose
/// digits are ordered like ASCII, so ids sort by creation time under byte comparison
/// (PK chunking relies on `Id >= a AND Id < b`).
std::string makeId(std::string_view keyPrefix, std::uint64_t counter);

/// The counter of an id minted by makeId for `keyPrefix`, or nullopt when `id18`
/// (already normalised) was not minted for that prefix by this emulator.
std::optional<std::uint64_t> idCounter(std::string_view keyPrefix, std::string_view id18);

}  // namespace sfdc::emulator::detail
