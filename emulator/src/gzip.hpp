#pragma once

// gzip for response bodies (§9.2). Request bodies are inflated by cpp-httplib before
// the handlers see them.

#include <string>
#include <string_view>

namespace sfdc::emulator::server {

std::string gzipCompress(std::string_view data);
/// Throws std::runtime_error on corrupt input.
std::string gzipDecompress(std::string_view data);

/// True when an Accept-Encoding value lists gzip (without q=0).
bool acceptsGzip(const std::string& acceptEncoding);

}  // namespace sfdc::emulator::server
