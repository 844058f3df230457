#include "transport/curl_transfer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sfdc/bulk/error.hpp>
#include <utility>

#include "transport/curl_errors.hpp"
#include "transport/gzip.hpp"
#include "transport/gzip_decoder.hpp"

namespace sfdc::bulk::detail {
namespace {

using Clock = std::chrono::steady_clock;

// Larger than libcurl's 16 KiB default: fewer callback rounds on multi-megabyte batches
// and result files, still small next to the 1 MiB stream buffer.
constexpr long kSocketBufferSize = 128 * 1024;
constexpr unsigned long long kMaxBodyReserve = 256ULL * 1024 * 1024;
// Upper bound for one wait in curl_multi_poll; libcurl shortens it to its own timers.
constexpr int kMaxPollMs = 1000;

template <typename T>
void setopt(CURL* easy, CURLoption option, T value) {
  const CURLcode rc = curl_easy_setopt(easy, option, value);
  // Only an unknown option or an allocation failure can fail here; both mean the
  // request cannot be made as asked.
  if (rc == CURLE_OUT_OF_MEMORY) throw std::bad_alloc();
  if (rc != CURLE_OK) {
    throw TransportError(std::string("libcurl rejected an option: ") + curl_easy_strerror(rc), rc,
                         false);
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool hasHeader(const Headers& headers, std::string_view name) {
  return findHeader(headers, name) != nullptr;
}

bool methodHasBody(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

}  // namespace

CurlTransfer::CurlTransfer(std::shared_ptr<CurlHandlePool> pool, const CurlOptions& options,
                           const HttpRequest& request, Mode mode)
    : pool_(std::move(pool)),
      handle_(pool_->acquire()),
      mode_(mode),
      method_(request.method.empty() ? "GET" : request.method),
      safeUrl_(urlForMessages(request.url)) {
  try {
    configure(options, request);
    start();
  } catch (...) {
    // The destructor does not run for a half-built object; leave nothing dangling.
    if (attached_) curl_multi_remove_handle(handle_->multi(), handle_->easy());
    curl_slist_free_all(headerList_);
    throw;
  }
}

CurlTransfer::~CurlTransfer() {
  if (attached_) curl_multi_remove_handle(handle_->multi(), handle_->easy());
  curl_slist_free_all(headerList_);
  // Only a transfer that ran to a clean end leaves the handle (and its connection) in a
  // known state; anything else (an error, a stream dropped mid-body) is discarded.
  if (finished_ && result_ == CURLE_OK && !callbackError_) {
    pool_->release(std::move(handle_));
  }
}

void CurlTransfer::configure(const CurlOptions& options, const HttpRequest& request) {
  CURL* easy = handle_->easy();
  setopt(easy, CURLOPT_URL, request.url.c_str());
  // No SIGALRM for DNS timeouts: signals are unsafe in a multi-threaded library.
  setopt(easy, CURLOPT_NOSIGNAL, 1L);
  setopt(easy, CURLOPT_ERRORBUFFER, errorBuffer_);
#if LIBCURL_VERSION_NUM >= 0x075500
  setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  setopt(easy, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  // Each handle runs one transfer at a time, so HTTP/2 multiplexing would buy nothing;
  // HTTP/1.1 keeps pausing and flow control on libcurl's most exercised path.
  setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  setopt(easy, CURLOPT_BUFFERSIZE, kSocketBufferSize);
  setopt(easy, CURLOPT_UPLOAD_BUFFERSIZE, kSocketBufferSize);
  setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  // A proxy's "200 Connection established" must not pass for the server's answer.
  setopt(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);

  setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connectTimeout.count()));
  timeout_ = request.timeout.count() > 0 ? request.timeout : options.requestTimeout;
  // A streamed body lasts as long as its consumer takes, so there the deadline only
  // covers getting the response headers (enforced by drive()); a stalled body is caught
  // by the low-speed limit, which libcurl suspends while the consumer lets it pause.
  if (mode_ == Mode::Collect && timeout_.count() > 0) {
    setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  }
  if (options.lowSpeedTimeout.count() > 0) {
    const long seconds =
        static_cast<long>(std::max<long long>(1, (options.lowSpeedTimeout.count() + 999) / 1000));
    setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    setopt(easy, CURLOPT_LOW_SPEED_TIME, seconds);
  }

  setopt(easy, CURLOPT_SSL_VERIFYPEER, options.verifyTls ? 1L : 0L);
  setopt(easy, CURLOPT_SSL_VERIFYHOST, options.verifyTls ? 2L : 0L);
  if (!options.caBundle.empty()) setopt(easy, CURLOPT_CAINFO, options.caBundle.c_str());
  // Without CURLOPT_PROXY libcurl honours http_proxy / https_proxy / no_proxy itself;
  // setting it to "" would switch that off, so it is only set when asked for.
  if (!options.proxy.empty()) setopt(easy, CURLOPT_PROXY, options.proxy.c_str());
  if (!options.userAgent.empty()) setopt(easy, CURLOPT_USERAGENT, options.userAgent.c_str());
  // "Accept-Encoding: gzip", decoded here (GzipDecoder) where the build has a faster
  // inflate than libcurl's zlib, by libcurl otherwise; either way the Content-Encoding
  // response header stays visible to callers.
  ownGzip_ = options.acceptGzip && ownGzipDecoding();
  if (ownGzip_) {
    setopt(easy, CURLOPT_HTTP_CONTENT_DECODING, 0L);
  } else if (options.acceptGzip) {
    setopt(easy, CURLOPT_ACCEPT_ENCODING, "gzip");
  }

  setopt(easy, CURLOPT_HEADERFUNCTION, &CurlTransfer::onHeader);
  setopt(easy, CURLOPT_HEADERDATA, this);
  setopt(easy, CURLOPT_WRITEFUNCTION, &CurlTransfer::onWrite);
  setopt(easy, CURLOPT_WRITEDATA, this);

  configureBody(request);
  buildHeaderList(request);
  setopt(easy, CURLOPT_HTTPHEADER, headerList_);
}

void CurlTransfer::configureBody(const HttpRequest& request) {
  CURL* easy = handle_->easy();
  hasBody_ = request.bodySource != nullptr || !request.body.empty() || methodHasBody(method_);
  if (!hasBody_) {
    if (method_ == "GET") {
      setopt(easy, CURLOPT_HTTPGET, 1L);
    } else if (method_ == "HEAD") {
      setopt(easy, CURLOPT_NOBODY, 1L);
    } else {
      setopt(easy, CURLOPT_CUSTOMREQUEST, method_.c_str());
    }
    return;
  }

  if (request.bodySource) {
    // Streamed bodies stay streamed: compression happens chunk by chunk inside the
    // read callback, and an unknown size means chunked transfer encoding.
    if (request.gzipBody) {
      bodySource_ = std::make_shared<GzipBodySource>(request.bodySource);
    } else {
      bodySource_ = request.bodySource;
    }
    bodySize_ = bodySource_->size();
  } else {
    if (request.gzipBody) {
      ownedBody_ = gzipCompress(request.body);
      bodyBytes_ = ownedBody_;
    } else if (mode_ == Mode::Stream) {
      // open() returns before the upload necessarily ended; the request may be gone.
      ownedBody_ = request.body;
      bodyBytes_ = ownedBody_;
    } else {
      bodyBytes_ = request.body;  // send() keeps the request alive throughout
    }
    bodySize_ = static_cast<long long>(bodyBytes_.size());
  }
  bodyEnded_ = bodySize_ == 0;

  // Always the read callback (rather than CURLOPT_POSTFIELDS) so that the end of the
  // body is observed here, which is what tells whether a failed request was sent.
  setopt(easy, CURLOPT_POST, 1L);
  setopt(easy, CURLOPT_READFUNCTION, &CurlTransfer::onRead);
  setopt(easy, CURLOPT_READDATA, this);
  // libcurl rewinds when it replays the request on a fresh connection: after a pooled
  // connection turned out to be closed before the request could go out (safe), but also
  // when a reused connection closed without a byte of answer after the whole request was
  // sent, when the server may well have acted on it. onSeek refuses the second case, so
  // the caller, which knows whether the request may be repeated, decides.
  setopt(easy, CURLOPT_SEEKFUNCTION, &CurlTransfer::onSeek);
  setopt(easy, CURLOPT_SEEKDATA, this);
  setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(bodySize_));
  if (method_ != "POST") setopt(easy, CURLOPT_CUSTOMREQUEST, method_.c_str());
}

void CurlTransfer::buildHeaderList(const HttpRequest& request) {
  auto append = [this](const std::string& line) {
    curl_slist* next = curl_slist_append(headerList_, line.c_str());
    if (next == nullptr) throw std::bad_alloc();
    headerList_ = next;
  };
  for (const auto& [name, value] : request.headers) {
    if (name.find_first_of("\r\n:") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      throw InvalidArgument("HTTP header '" + name + "' contains a line break or colon");
    }
    // "Name;" is libcurl's spelling for a header sent with an empty value; "Name:"
    // would remove it instead.
    append(value.empty() ? name + ";" : name + ": " + value);
  }
  if (ownGzip_ && !hasHeader(request.headers, "Accept-Encoding")) append("Accept-Encoding: gzip");
  if (!hasBody_) return;
  if (request.gzipBody && !hasHeader(request.headers, "Content-Encoding")) {
    append("Content-Encoding: gzip");
  }
  // libcurl waits up to a second for "100 Continue" before sending a large body;
  // Salesforce answers fine without the handshake.
  if (!hasHeader(request.headers, "Expect")) append("Expect:");
  // Do not let libcurl label the body as a form when the caller did not say.
  if (!hasHeader(request.headers, "Content-Type")) append("Content-Type:");
}

void CurlTransfer::start() {
  const CURLMcode rc = curl_multi_add_handle(handle_->multi(), handle_->easy());
  if (rc != CURLM_OK) {
    throw TransportError(
        std::string("libcurl could not start the request: ") + curl_multi_strerror(rc),
        CURLE_FAILED_INIT, false);
  }
  attached_ = true;
}

template <typename Done>
void CurlTransfer::drive(Done done, Clock::time_point deadline) {
  const bool hasDeadline = deadline != Clock::time_point{};
  while (!finished_ && !done()) {
    if (paused_) {
      paused_ = false;
      // May call onWrite synchronously with the data held back at the pause.
      curl_easy_pause(handle_->easy(), CURLPAUSE_CONT);
      if (done()) break;
    }
    int running = 0;
    const CURLMcode rc = curl_multi_perform(handle_->multi(), &running);
    if (rc != CURLM_OK) {
      multiError_ = curl_multi_strerror(rc);
      markFinished(rc == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY : CURLE_FAILED_INIT);
      break;
    }
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(handle_->multi(), &queued)) {
      if (msg->msg == CURLMSG_DONE) markFinished(msg->data.result);
    }
    if (finished_ || done()) break;
    int waitMs = kMaxPollMs;
    if (hasDeadline) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) throwTimeout();
      waitMs = static_cast<int>(std::min<long long>(left, kMaxPollMs));
    }
    curl_multi_poll(handle_->multi(), nullptr, 0, waitMs, nullptr);
  }
}

void CurlTransfer::markFinished(CURLcode result) {
  finished_ = true;
  result_ = result;
  // What libcurl's own decoding reports for damaged or cut gzip data.
  if (!decodeError_.empty()) {
    result_ = CURLE_BAD_CONTENT_ENCODING;
  } else if (result == CURLE_OK && gzip_ && !gzip_->complete()) {
    decodeError_ = "the gzip data ended before its trailer";
    result_ = CURLE_BAD_CONTENT_ENCODING;
  }
  if (attached_) {
    curl_multi_remove_handle(handle_->multi(), handle_->easy());
    attached_ = false;
  }
}

HttpResponse CurlTransfer::perform() {
  drive([] { return false; }, Clock::time_point{});
  if (result_ != CURLE_OK || callbackError_) throwFailure();
  if (status_ == 0) {
    long code = 0;
    curl_easy_getinfo(handle_->easy(), CURLINFO_RESPONSE_CODE, &code);
    status_ = static_cast<int>(code);
  }
  HttpResponse response;
  response.status = status_;
  response.headers = std::move(headers_);
  response.body = std::move(body_);
  return response;
}

void CurlTransfer::waitForHeaders() {
  const auto deadline = timeout_.count() > 0 ? Clock::now() + timeout_ : Clock::time_point{};
  drive([this] { return headersComplete_; }, deadline);
  if (!headersComplete_ && (result_ != CURLE_OK || callbackError_)) throwFailure();
}

std::size_t CurlTransfer::read(char* buffer, std::size_t size) {
  if (size == 0) return 0;
  if (buffered() == 0) drive([this] { return buffered() > 0; }, Clock::time_point{});
  const std::size_t n = std::min(size, buffered());
  if (n > 0) {
    std::memcpy(buffer, body_.data() + bodyReadPos_, n);
    bodyReadPos_ += n;
    if (bodyReadPos_ == body_.size()) {
      body_.clear();
      bodyReadPos_ = 0;
    }
    return n;
  }
  if (result_ != CURLE_OK || callbackError_) throwFailure();
  return 0;
}

void CurlTransfer::reserveForContentLength() {
  if (mode_ != Mode::Collect) return;
  const std::string* length = findHeader(headers_, "Content-Length");
  if (length == nullptr) return;
  // Growing a multi-megabyte string by doubling costs more than the loopback transfer
  // itself. Capped so that a bogus header cannot demand an absurd allocation; for gzip
  // the header counts compressed bytes, so it is only a lower bound anyway.
  const unsigned long long bytes = std::strtoull(length->c_str(), nullptr, 10);
  body_.reserve(static_cast<std::size_t>(std::min(bytes, kMaxBodyReserve)));
}

bool CurlTransfer::requestSent() const {
  if (replayRefused_) return true;
  if (failsBeforeSending(result_)) return false;
  long headerBytes = 0;
  curl_easy_getinfo(handle_->easy(), CURLINFO_REQUEST_SIZE, &headerBytes);
  const bool started = headerBytes > 0 || bodyOffset_ > 0;
  // A body cut short cannot have been accepted (Content-Length or the final chunk is
  // missing); one handed over completely may have been, even if libcurl still held
  // the last piece.
  return started && (!hasBody_ || bodyEnded_);
}

void CurlTransfer::throwFailure() {
  // An exception from the caller's BodySource (or memory exhaustion in a callback)
  // says more than libcurl's "aborted by callback".
  if (callbackError_) std::rethrow_exception(callbackError_);
  if (replayRefused_) {
    throw TransportError("HTTP " + method_ + " " + safeUrl_ +
                             " failed: the connection closed after the request was sent, "
                             "before any answer; the server may have acted on it (curl error " +
                             std::to_string(static_cast<int>(CURLE_GOT_NOTHING)) + ")",
                         CURLE_GOT_NOTHING, true, true);
  }
  std::string detail = !decodeError_.empty()     ? decodeError_
                       : errorBuffer_[0] != '\0' ? std::string(errorBuffer_)
                                                 : multiError_;
  if (detail.empty()) detail = curl_easy_strerror(result_);
  throw TransportError("HTTP " + method_ + " " + safeUrl_ + " failed: " + detail + " (curl error " +
                           std::to_string(static_cast<int>(result_)) + ")",
                       static_cast<int>(result_), isRetryableCurlError(result_), requestSent());
}

void CurlTransfer::throwTimeout() {
  finished_ = true;  // abandoned: the destructor discards the handle
  result_ = CURLE_OPERATION_TIMEDOUT;
  throw TransportError("HTTP " + method_ + " " + safeUrl_ + " failed: no response within " +
                           std::to_string(timeout_.count()) + " ms (curl error " +
                           std::to_string(static_cast<int>(CURLE_OPERATION_TIMEDOUT)) + ")",
                       CURLE_OPERATION_TIMEDOUT, true, requestSent());
}

std::size_t CurlTransfer::onHeader(char* data, std::size_t size, std::size_t count, void* self) {
  auto* t = static_cast<CurlTransfer*>(self);
  const std::size_t total = size * count;
  try {
    std::string_view line(data, total);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.substr(0, 5) == "HTTP/") {
      // Every status line starts a new header block; 1xx interim responses (and
      // anything before the final answer) are thereby replaced, not merged.
      t->headers_.clear();
      t->headersComplete_ = false;
      const auto space = line.find(' ');
      t->status_ = space == std::string_view::npos
                       ? 0
                       : std::atoi(std::string(line.substr(space + 1, 3)).c_str());
    } else if (line.empty()) {
      if (t->status_ >= 200) {
        t->headersComplete_ = true;
        t->reserveForContentLength();
        const std::string* encoding = findHeader(t->headers_, "Content-Encoding");
        if (t->ownGzip_ && encoding != nullptr && equalsIgnoreCase(trim(*encoding), "gzip")) {
          t->gzip_ = std::make_unique<GzipDecoder>();
        }
      }
    } else if (t->headersComplete_) {
      // Chunked trailers arrive after the body; the response headers are already out.
    } else if ((line.front() == ' ' || line.front() == '\t') && !t->headers_.empty()) {
      t->headers_.back().second += " " + std::string(trim(line));  // obsolete line folding
    } else {
      const auto colon = line.find(':');
      if (colon != std::string_view::npos) {
        t->headers_.emplace_back(std::string(trim(line.substr(0, colon))),
                                 std::string(trim(line.substr(colon + 1))));
      }
    }
    return total;
  } catch (...) {
    t->callbackError_ = std::current_exception();
    return 0;  // makes libcurl abort the transfer
  }
}

std::size_t CurlTransfer::onWrite(char* data, std::size_t size, std::size_t count, void* self) {
  auto* t = static_cast<CurlTransfer*>(self);
  const std::size_t total = size * count;
  t->headersComplete_ = true;  // body bytes imply the headers are done
  if (t->mode_ == Mode::Stream && t->buffered() >= kStreamBufferLimit) {
    // libcurl keeps this chunk and offers it again after curl_easy_pause(CONT).
    t->paused_ = true;
    return CURL_WRITEFUNC_PAUSE;
  }
  try {
    if (t->bodyReadPos_ > 0 && t->bodyReadPos_ >= t->body_.size() / 2) {
      t->body_.erase(0, t->bodyReadPos_);
      t->bodyReadPos_ = 0;
    }
    if (t->gzip_) {
      if (!t->gzip_->feed(data, total, t->body_)) {
        t->decodeError_ = t->gzip_->error();
        return 0;  // makes libcurl abort the transfer; throwFailure names the cause
      }
    } else {
      t->body_.append(data, total);
    }
    return total;
  } catch (...) {
    t->callbackError_ = std::current_exception();
    return 0;
  }
}

std::size_t CurlTransfer::onRead(char* data, std::size_t size, std::size_t count, void* self) {
  auto* t = static_cast<CurlTransfer*>(self);
  std::size_t n = 0;
  try {
    if (t->bodySource_) {
      n = t->bodySource_->read(data, size * count);
    } else {
      const auto offset = static_cast<std::size_t>(t->bodyOffset_);
      n = std::min(size * count, t->bodyBytes_.size() - offset);
      std::memcpy(data, t->bodyBytes_.data() + offset, n);
    }
  } catch (...) {
    t->callbackError_ = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
  t->bodyOffset_ += static_cast<long long>(n);
  if (n == 0 || (t->bodySize_ >= 0 && t->bodyOffset_ >= t->bodySize_)) t->bodyEnded_ = true;
  return n;
}

int CurlTransfer::onSeek(void* self, curl_off_t offset, int origin) {
  auto* t = static_cast<CurlTransfer*>(self);
  if (offset != 0 || origin != SEEK_SET) return CURL_SEEKFUNC_CANTSEEK;
  if (t->bodyEnded_ && t->bodySize_ != 0) {
    // The whole body went out once: a complete request may have reached the server.
    t->replayRefused_ = true;
    return CURL_SEEKFUNC_CANTSEEK;
  }
  try {
    if (t->bodySource_ && !t->bodySource_->rewind()) return CURL_SEEKFUNC_CANTSEEK;
  } catch (...) {
    t->callbackError_ = std::current_exception();
    return CURL_SEEKFUNC_FAIL;
  }
  t->bodyOffset_ = 0;
  return CURL_SEEKFUNC_OK;
}

}  // namespace sfdc::bulk::detail
