#include "transport/gzip_decoder.hpp"

#include <algorithm>
#include <stdexcept>

#if defined(SFDC_BULK_HAVE_ISAL)
#include <isa-l/igzip_lib.h>
#endif

namespace sfdc::bulk::detail {

#if defined(SFDC_BULK_HAVE_ISAL)

namespace {
// Output room per isal_inflate call: text inflates about eightfold, and the room is
// zero-filled by resize() each time, so it follows the input instead of a large constant.
std::size_t outputStep(std::size_t input) noexcept {
  constexpr std::size_t kMin = 64 * 1024, kMax = 4 * 1024 * 1024;
  return std::min(kMax, std::max(kMin, input * 8));
}
}  // namespace

struct GzipDecoder::State {
  inflate_state stream{};
  bool inMember = false;  // bytes of a member were fed and its trailer has not arrived
};

bool ownGzipDecoding() noexcept { return true; }

GzipDecoder::GzipDecoder() : state_(std::make_unique<State>()) {
  isal_inflate_init(&state_->stream);
  state_->stream.crc_flag = ISAL_GZIP;  // parse the gzip header and check the CRC-32
}

GzipDecoder::~GzipDecoder() = default;

bool GzipDecoder::feed(const char* data, std::size_t size, std::string& out) {
  inflate_state& s = state_->stream;
  s.next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(data));
  s.avail_in = static_cast<uint32_t>(size);
  const std::size_t step = outputStep(size);
  while (s.avail_in > 0) {
    if (s.block_state == ISAL_BLOCK_FINISH) {
      // The next member of a multi-member body (RFC 1952 §2.2).
      isal_inflate_reset(&s);
      s.crc_flag = ISAL_GZIP;
    }
    state_->inMember = true;
    const std::size_t before = out.size();
    out.resize(before + step);
    s.next_out = reinterpret_cast<uint8_t*>(&out[before]);
    s.avail_out = static_cast<uint32_t>(step);
    const int rc = isal_inflate(&s);
    out.resize(before + (step - s.avail_out));
    if (rc != ISAL_DECOMP_OK) {
      error_ = "gzip data corrupt (ISA-L inflate error " + std::to_string(rc) + ")";
      return false;
    }
    if (s.block_state == ISAL_BLOCK_FINISH) state_->inMember = false;
    // Output room left over with input left means the member ended: loop to reset.
    if (s.avail_out > 0 && s.avail_in > 0 && s.block_state != ISAL_BLOCK_FINISH) {
      error_ = "gzip data corrupt (ISA-L inflate stalled)";
      return false;
    }
  }
  // A member may still finish with no input left (its last output did not fit).
  while (state_->inMember && s.block_state != ISAL_BLOCK_FINISH) {
    const std::size_t before = out.size();
    out.resize(before + step);
    s.next_out = reinterpret_cast<uint8_t*>(&out[before]);
    s.avail_out = static_cast<uint32_t>(step);
    const int rc = isal_inflate(&s);
    const std::size_t produced = step - s.avail_out;
    out.resize(before + produced);
    if (rc != ISAL_DECOMP_OK) {
      error_ = "gzip data corrupt (ISA-L inflate error " + std::to_string(rc) + ")";
      return false;
    }
    if (s.block_state == ISAL_BLOCK_FINISH) state_->inMember = false;
    if (produced < step) break;  // needs more input
  }
  return true;
}

bool GzipDecoder::complete() const noexcept { return !state_->inMember; }

#else

struct GzipDecoder::State {};

bool ownGzipDecoding() noexcept { return false; }

GzipDecoder::GzipDecoder() {
  throw std::logic_error("GzipDecoder: this build decodes gzip through libcurl");
}

GzipDecoder::~GzipDecoder() = default;

bool GzipDecoder::feed(const char*, std::size_t, std::string&) { return false; }

bool GzipDecoder::complete() const noexcept { return true; }

#endif

}  // namespace sfdc::bulk::detail
