// Routing, authentication, fault injection, request counters and response writing.

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <thread>

#include "batch_processor.hpp"
#include "bulk2_handlers.hpp"
#include "gzip.hpp"
#include "handlers.hpp"
#include "network_model.hpp"
#include "wire_format.hpp"

namespace sfdc::emulator::server {

namespace {

int portOf(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  }
  return -1;
}

/// Closes the connection a request came on, before any byte of the response is sent.
/// cpp-httplib 0.11 does not hand the socket to handlers, so find it by its ports among
/// this process's descriptors; if that fails the caller truncates the body instead.
bool dropConnection(const httplib::Request& request) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return false;
  bool dropped = false;
  while (dirent* entry = readdir(dir)) {
    const int fd = std::atoi(entry->d_name);
    if (fd <= 2) continue;
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t localLength = sizeof local;
    socklen_t peerLength = sizeof peer;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &localLength) != 0 ||
        getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peerLength) != 0) {
      continue;
    }
    if (portOf(local) == request.local_port && portOf(peer) == request.remote_port) {
      ::shutdown(fd, SHUT_RDWR);
      dropped = true;
      break;
    }
  }
  closedir(dir);
  return dropped;
}

std::string lowerMediaType(const std::string& header) {
  std::string type = header.substr(0, header.find(';'));
  type.erase(std::remove_if(type.begin(), type.end(),
                            [](unsigned char c) { return std::isspace(c) != 0; }),
             type.end());
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type;
}

Format requestFormat(const httplib::Request& request) {
  return lowerMediaType(request.get_header_value("Content-Type")) == kJsonType ? Format::Json
                                                                               : Format::Xml;
}

/// §1.4: job create/update answer in the request's format; everything about a known job
/// in the job's; anything else (unknown job, no job) in the request's, XML by default.
Format errorFormat(ServerContext& context, const httplib::Request& request,
                   const AsyncRoute& route) {
  const bool update = route.kind == AsyncRoute::Kind::JobId && request.method == "POST";
  if (route.kind == AsyncRoute::Kind::Job || update || route.jobId.empty()) {
    return requestFormat(request);
  }
  if (auto view = context.jobs.job(route.jobId)) return formatOfJob(view->job.contentType);
  return requestFormat(request);
}

Reply errorReply(int status, const std::string& code, const std::string& message, Format format) {
  Reply reply;
  reply.status = status;
  reply.contentType = mediaType(format);
  reply.body = formatError(code, message, format);
  return reply;
}

Reply jsonReply(const nlohmann::json& body) {
  Reply reply;
  reply.contentType = kJsonType;
  reply.body = body.dump();
  return reply;
}

/// Writes `reply`; returns the bytes of its body as sent (after gzip).
std::size_t writeReply(const ServerContext& context, const httplib::Request& request,
                       httplib::Response& response, Reply reply, bool dropMidResponse) {
  response.status = reply.status;
  for (const auto& [name, value] : reply.headers) response.set_header(name, value);
  std::string type = reply.contentType;
  if (context.options.charsetSuffix) type += "; charset=UTF-8";
  std::shared_ptr<const std::string> body;
  // Responses are gzipped here rather than by cpp-httplib, which would prefer brotli and
  // whose automatic compression only applies to set_content bodies (§9.2: gzip only).
  if (!reply.body.empty() && acceptsGzip(request.get_header_value("Accept-Encoding"))) {
    body = reply.gzippedBody ? reply.gzippedBody
                             : std::make_shared<const std::string>(gzipCompress(reply.body));
    response.set_header("Content-Encoding", "gzip");
  } else {
    body = std::make_shared<const std::string>(std::move(reply.body));
  }
  if (body->empty()) {
    response.set_content("", type.c_str());
    return 0;
  }
  const std::size_t limit = dropMidResponse ? body->size() / 2 : body->size();
  // A fixed-length content provider: headers announce the full length, and returning
  // false after `limit` bytes makes cpp-httplib close the connection mid-body.
  response.set_content_provider(
      body->size(), type.c_str(),
      [body, limit](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        if (offset >= limit) return false;
        sink.write(body->data() + offset, std::min(length, limit - offset));
        return true;
      });
  return body->size();
}

bool authorized(ServerContext& context, const httplib::Request& request) {
  // Header names are case-insensitive in cpp-httplib (jsforce sends X-SFDC-SESSION).
  const std::string session = request.get_header_value("X-SFDC-Session");
  return !session.empty() && context.tokens.valid(session);
}

/// Applies the 503/500/delay part of a fault decision; returns the reply to send
/// instead of handling the request, if any.
std::optional<Reply> injectedFailure(ServerContext& context, const FaultDecision& fault,
                                     Format format) {
  if (fault.delay.count() > 0) {
    context.stats.countFault("delay");
    std::this_thread::sleep_for(fault.delay);
  }
  if (fault.status == 503) {
    context.stats.countFault("503");
    Reply reply = errorReply(503, "ServerUnavailable", "Service temporarily unavailable", format);
    reply.headers.emplace_back("Retry-After", std::to_string(fault.retryAfterSeconds));
    return reply;
  }
  if (fault.status == 500) {
    context.stats.countFault("500");
    return errorReply(500, "InternalServerError", "An unexpected error occurred", format);
  }
  return std::nullopt;
}

/// Answers an API request of kind `target` (faultTarget), one half round trip after
/// handling it (network_model.hpp).
void finish(ServerContext& context, const httplib::Request& request, httplib::Response& response,
            Reply reply, const FaultDecision& fault, const std::string& target) {
  delayAnswer(NetworkModel::of(context.options));
  context.stats.countStatus(reply.status);
  if (fault.dropBeforeResponse) {
    context.stats.countFault("dropBeforeResponse");
    if (dropConnection(request)) return;
  }
  if (fault.dropMidResponse) context.stats.countFault("dropMidResponse");
  const bool ok = reply.status == 200;
  const std::size_t bytes = writeReply(context, request, response, std::move(reply),
                                       fault.dropMidResponse || fault.dropBeforeResponse);
  // Query results are the bytes no client can start fetching before the query is done:
  // the benchmark's lower bound needs how many there were and over how many connections.
  if (ok && target == "queryResult") {
    context.stats.countQueryResultDownload(
        bytes, request.remote_addr + ":" + std::to_string(request.remote_port));
  }
}

void serveAsync(ServerContext& context, const httplib::Request& request,
                httplib::Response& response) {
  delayRequestArrival(NetworkModel::of(context.options));
  const AsyncRoute route = parseAsyncPath(request.path);
  context.stats.count(route.endpoint(request.method), route.jobId);
  const std::string target = faultTarget(route, request.method);
  const FaultDecision fault = context.faults.next(target);
  const Format format = errorFormat(context, request, route);
  if (auto failure = injectedFailure(context, fault, format)) {
    finish(context, request, response, std::move(*failure), fault, target);
    return;
  }
  Reply reply;
  try {
    const std::string encoding = request.get_header_value("Content-Encoding");
    if (!route.allows(request.method)) {
      // Only GET and POST exist (§1.3).
      reply =
          errorReply(405, "InvalidUrl",
                     "HTTP method '" + request.method + "' not allowed on this resource", format);
      reply.headers.emplace_back(
          "Allow", route.kind == AsyncRoute::Kind::BatchId ||
                           route.kind == AsyncRoute::Kind::BatchRequest ||
                           route.kind == AsyncRoute::Kind::BatchResult ||
                           route.kind == AsyncRoute::Kind::ResultFile
                       ? "GET"
                   : route.kind == AsyncRoute::Kind::Job || route.kind == AsyncRoute::Kind::Spec
                       ? "POST"
                       : "GET, POST");
    } else if (!encoding.empty() && lowerMediaType(encoding) != "gzip" &&
               lowerMediaType(encoding) != "identity") {
      // Only gzip is a valid request encoding (§9.2).
      reply =
          errorReply(415, "ClientInputError", "Unsupported content encoding: " + encoding, format);
    } else if (!authorized(context, request)) {
      reply = errorReply(400, "InvalidSessionId", "Invalid session id", format);
    } else if (route.kind == AsyncRoute::Kind::Invalid) {
      reply = errorReply(400, "InvalidUrl", "Unknown URL: " + request.path, format);
    } else {
      reply = handleAsync(context, request, route);
    }
  } catch (const ApiException& e) {
    reply = errorReply(e.status(), e.code(), e.what(), format);
  } catch (const std::exception& e) {
    reply = errorReply(500, "InternalServerError", e.what(), format);
  }
  finish(context, request, response, std::move(reply), fault, target);
}

/// The access token of `Authorization: Bearer <token>` (or the older `OAuth <token>`).
std::string bearerToken(const httplib::Request& request) {
  const std::string header = request.get_header_value("Authorization");
  for (const char* scheme : {"Bearer ", "OAuth "}) {
    const std::string prefix = scheme;
    if (header.size() > prefix.size() &&
        std::equal(prefix.begin(), prefix.end(), header.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return header.substr(prefix.size());
    }
  }
  return {};
}

Reply bulk2Error(int status, const std::string& code, const std::string& message) {
  Reply reply;
  reply.status = status;
  reply.contentType = kJsonType;
  reply.body = bulk2ErrorBody(code, message);
  return reply;
}

/// Bulk API 2.0: the REST framework's status codes and JSON error arrays.
void serveData(ServerContext& context, const httplib::Request& request,
               httplib::Response& response) {
  delayRequestArrival(NetworkModel::of(context.options));
  const Bulk2Route route = parseBulk2Path(request.path);
  context.stats.count(route.valid ? route.endpoint(request.method) : "other /services/data",
                      route.jobId);
  const std::string target = route.valid ? route.faultTarget(request.method) : "other";
  const FaultDecision fault = context.faults.next(target);
  if (fault.delay.count() > 0) {
    context.stats.countFault("delay");
    std::this_thread::sleep_for(fault.delay);
  }
  Reply reply;
  if (fault.status == 503) {
    context.stats.countFault("503");
    reply = bulk2Error(503, "SERVER_UNAVAILABLE", "Service temporarily unavailable");
    reply.headers.emplace_back("Retry-After", std::to_string(fault.retryAfterSeconds));
  } else if (fault.status == 500) {
    context.stats.countFault("500");
    reply = bulk2Error(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred");
  } else {
    try {
      const std::string token = bearerToken(request);
      if (token.empty() || !context.tokens.valid(token)) {
        reply = bulk2Error(401, "INVALID_SESSION_ID", "Session expired or invalid");
      } else if (!route.valid) {
        reply = bulk2Error(404, "NOT_FOUND", "The requested resource does not exist");
      } else {
        reply = handleBulk2(context, request, route);
      }
    } catch (const ApiException& e) {
      reply = bulk2Error(e.status(), e.code(), e.what());
    } catch (const std::exception& e) {
      reply = bulk2Error(500, "UNKNOWN_EXCEPTION", e.what());
    }
  }
  finish(context, request, response, std::move(reply), fault, target);
}

void serveToken(ServerContext& context, const httplib::Request& request,
                httplib::Response& response) {
  delayRequestArrival(NetworkModel::of(context.options));
  context.stats.count("POST /oauth2/token", "");
  FaultDecision fault;
  if (context.faults.get().tokenEndpoint) fault = context.faults.next("token");
  if (auto failure = injectedFailure(context, fault, Format::Json)) {
    finish(context, request, response, std::move(*failure), fault, "token");
    return;
  }
  finish(context, request, response, handleTokenRequest(context, request), fault, "token");
}

}  // namespace

void installRoutes(httplib::Server& server, ServerContext& context, BatchProcessor& processor) {
  const auto async = [&context](const httplib::Request& request, httplib::Response& response) {
    serveAsync(context, request, response);
  };
  const char* pattern = "/services/async/.*";
  server.Get(pattern, async);
  server.Post(pattern, async);
  server.Put(pattern, async);
  server.Patch(pattern, async);
  server.Delete(pattern, async);
  server.Options(pattern, async);

  const auto data = [&context](const httplib::Request& request, httplib::Response& response) {
    serveData(context, request, response);
  };
  const char* dataPattern = "/services/data/.*";
  server.Get(dataPattern, data);
  server.Post(dataPattern, data);
  server.Put(dataPattern, data);
  server.Patch(dataPattern, data);
  server.Delete(dataPattern, data);

  server.Post("/services/oauth2/token",
              [&context](const httplib::Request& request, httplib::Response& response) {
                serveToken(context, request, response);
              });

  // Control endpoints: no authentication, no faults, not counted, no modelled network:
  // their bytes are exempted before their body is read.
  server.set_pre_routing_handler([](const httplib::Request& request, httplib::Response&) {
    if (request.path.rfind("/_emulator/", 0) == 0) exemptCurrentRequest();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  const auto control = [&context](const httplib::Request& request, httplib::Response& response,
                                  const Reply& reply) {
    writeReply(context, request, response, reply, false);
  };
  server.Get("/_emulator/stats", [&context, &processor, control](const httplib::Request& request,
                                                                 httplib::Response& response) {
    nlohmann::json stats = context.stats.toJson();
    stats["throughput"] = processor.stats();
    control(request, response, jsonReply(stats));
  });
  server.Post("/_emulator/stats/reset",
              [&context, control](const httplib::Request& request, httplib::Response& response) {
                context.stats.reset();
                control(request, response, jsonReply({{"ok", true}}));
              });
  server.Get("/_emulator/faults",
             [&context, control](const httplib::Request& request, httplib::Response& response) {
               control(request, response, jsonReply(faultsToJson(context.faults.get())));
             });
  server.Post("/_emulator/faults",
              [&context, control](const httplib::Request& request, httplib::Response& response) {
                try {
                  const auto json = request.body.empty() ? nlohmann::json::object()
                                                         : nlohmann::json::parse(request.body);
                  context.faults.set(faultsFromJson(json, context.faults.get()));
                  control(request, response, jsonReply(faultsToJson(context.faults.get())));
                } catch (const std::exception& e) {
                  Reply reply = jsonReply({{"error", e.what()}});
                  reply.status = 400;
                  control(request, response, reply);
                }
              });
  server.Post("/_emulator/expire-sessions",
              [&context, control](const httplib::Request& request, httplib::Response& response) {
                context.tokens.expireAll();
                control(request, response, jsonReply({{"ok", true}}));
              });
  server.Post("/_emulator/token", [&context, control](const httplib::Request& request,
                                                      httplib::Response& response) {
    control(
        request, response,
        jsonReply({{"access_token", context.tokens.issue()}, {"instance_url", context.baseUrl}}));
  });
  server.Post("/_emulator/reset", [&context, &processor, control](const httplib::Request& request,
                                                                  httplib::Response& response) {
    processor.clear();
    context.jobs.clear();
    context.bulk2.clear();
    context.org.clear();
    context.allocation.clear();
    control(request, response, jsonReply({{"ok", true}}));
  });
}

}  // namespace sfdc::emulator::server
