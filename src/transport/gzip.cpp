#include "transport/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <limits>
#include <new>
#include <sfdc/bulk/error.hpp>
#include <stdexcept>
#include <utility>
#include <vector>

namespace sfdc::bulk::detail {
namespace {

// windowBits 15 + 16 selects the gzip wrapper instead of zlib's; 15 + 32 on inflate
// accepts either wrapper, which costs nothing and tolerates odd servers.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kAutoDetectWindowBits = 15 + 32;
constexpr int kMemLevel = 8;
// zlib counts in uInt; feed it at most this much per call so sizes above 4 GiB work.
constexpr std::size_t kMaxZlibChunk = std::size_t{1} << 30;
constexpr std::size_t kInputChunk = 64 * 1024;

std::string zlibMessage(const char* what, const z_stream& stream, int rc) {
  std::string text = std::string("gzip: ") + what + " failed (zlib " + std::to_string(rc);
  if (stream.msg != nullptr) text += std::string(": ") + stream.msg;
  return text + ")";
}

void initDeflate(z_stream& stream, int level) {
  stream = z_stream{};
  const int rc =
      deflateInit2(&stream, level, Z_DEFLATED, kGzipWindowBits, kMemLevel, Z_DEFAULT_STRATEGY);
  if (rc == Z_MEM_ERROR) throw std::bad_alloc();
  if (rc != Z_OK) throw Error(zlibMessage("deflateInit2", stream, rc));
}

/// Ends a z_stream when the scope ends, even when an exception leaves it.
template <int (*End)(z_streamp)>
struct StreamGuard {
  z_stream& stream;
  ~StreamGuard() { End(&stream); }
};

}  // namespace

std::string gzipCompress(std::string_view data, int level) {
  z_stream stream;
  initDeflate(stream, level);
  StreamGuard<deflateEnd> guard{stream};

  std::string out;
  // deflateBound is exact enough to make the usual single pass need no reallocation.
  const auto bound =
      deflateBound(&stream, static_cast<uLong>(std::min(data.size(), kMaxZlibChunk)));
  out.resize(std::max<std::size_t>(bound, 64));
  std::size_t produced = 0;
  std::size_t consumed = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (stream.avail_in == 0 && consumed < data.size()) {
      const std::size_t n = std::min(data.size() - consumed, kMaxZlibChunk);
      // zlib's API is not const-correct; deflate never writes through next_in.
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
      stream.avail_in = static_cast<uInt>(n);
      consumed += n;
    }
    if (produced == out.size()) out.resize(out.size() * 2);
    const std::size_t room = std::min(out.size() - produced, kMaxZlibChunk);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    stream.avail_out = static_cast<uInt>(room);
    const int flush = consumed == data.size() ? Z_FINISH : Z_NO_FLUSH;
    rc = deflate(&stream, flush);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      throw Error(zlibMessage("deflate", stream, rc));
    }
    produced += room - stream.avail_out;
  }
  out.resize(produced);
  return out;
}

std::string gunzip(std::string_view data) {
  z_stream stream{};
  int rc = inflateInit2(&stream, kAutoDetectWindowBits);
  if (rc == Z_MEM_ERROR) throw std::bad_alloc();
  if (rc != Z_OK) throw Error(zlibMessage("inflateInit2", stream, rc));
  StreamGuard<inflateEnd> guard{stream};

  std::string out;
  out.resize(std::max<std::size_t>(data.size() * 4, 1024));
  std::size_t produced = 0;
  std::size_t consumed = 0;
  bool inMember = false;
  while (true) {
    if (stream.avail_in == 0) {
      if (consumed == data.size()) break;
      const std::size_t n = std::min(data.size() - consumed, kMaxZlibChunk);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
      stream.avail_in = static_cast<uInt>(n);
      consumed += n;
    }
    if (produced == out.size()) out.resize(out.size() * 2);
    const std::size_t room = std::min(out.size() - produced, kMaxZlibChunk);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    stream.avail_out = static_cast<uInt>(room);
    inMember = true;
    rc = inflate(&stream, Z_NO_FLUSH);
    produced += room - stream.avail_out;
    if (rc == Z_STREAM_END) {
      inMember = false;
      // Several gzip members in a row decode to their concatenation (RFC 1952 §2.2).
      if (stream.avail_in == 0 && consumed == data.size()) break;
      inflateReset(&stream);
      continue;
    }
    if (rc == Z_MEM_ERROR) throw std::bad_alloc();
    if (rc == Z_BUF_ERROR && stream.avail_in == 0 && consumed == data.size()) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) throw ParseError(zlibMessage("inflate", stream, rc));
  }
  if (inMember) throw ParseError("gzip: truncated data (the stream ended before its trailer)");
  out.resize(produced);
  return out;
}

struct GzipBodySource::State {
  explicit State(int lvl) : level(lvl), input(kInputChunk) { initDeflate(stream, level); }
  ~State() { deflateEnd(&stream); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  int level;
  z_stream stream{};
  std::vector<char> input;
  bool inputEnded = false;
  bool finished = false;
};

GzipBodySource::GzipBodySource(std::shared_ptr<BodySource> source, int level)
    : source_(std::move(source)), state_(std::make_unique<State>(level)) {
  if (!source_) throw std::invalid_argument("GzipBodySource needs a source");
}

GzipBodySource::~GzipBodySource() = default;

std::size_t GzipBodySource::read(char* buffer, std::size_t size) {
  State& s = *state_;
  if (s.finished || size == 0) return 0;
  const std::size_t room = std::min(size, kMaxZlibChunk);
  s.stream.next_out = reinterpret_cast<Bytef*>(buffer);
  s.stream.avail_out = static_cast<uInt>(room);
  // Keep deflating until the caller's buffer is full or the trailer is out: deflate may
  // swallow a whole input chunk without emitting anything, and returning 0 would end
  // the body early.
  while (s.stream.avail_out > 0) {
    if (s.stream.avail_in == 0 && !s.inputEnded) {
      const std::size_t n = source_->read(s.input.data(), s.input.size());
      if (n == 0) s.inputEnded = true;
      s.stream.next_in = reinterpret_cast<Bytef*>(s.input.data());
      s.stream.avail_in = static_cast<uInt>(n);
    }
    const int rc = deflate(&s.stream, s.inputEnded ? Z_FINISH : Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      s.finished = true;
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) throw Error(zlibMessage("deflate", s.stream, rc));
  }
  return room - s.stream.avail_out;
}

bool GzipBodySource::rewind() {
  if (!source_->rewind()) return false;
  // A fresh State rather than deflateReset: it also drops unconsumed input.
  state_ = std::make_unique<State>(state_->level);
  return true;
}

}  // namespace sfdc::bulk::detail
