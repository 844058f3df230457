#pragma once

// Base64 decoding for the token endpoint: the standard alphabet (HTTP Basic credentials)
// and the URL-safe one (the parts of a JWT).

#include <optional>
#include <string>
#include <string_view>

namespace sfdc::emulator {

enum class Base64Alphabet { Standard, UrlSafe };

/// The bytes `text` encodes; padding is optional. nullopt on a character outside the
/// alphabet.
std::optional<std::string> base64Decode(std::string_view text, Base64Alphabet alphabet);

}  // namespace sfdc::emulator
