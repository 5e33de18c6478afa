// The v1 scheduler HTTP API's requests (docs/protocol.md, "The v1 scheduler
// HTTP API"): `POST /api/v1/scheduler` (also `/master/api/v1/scheduler`) on
// the master's own port, one Call per request. Checked in the order a Mesos
// master checks them: HTTP authentication, leadership, method, Content-Type,
// body, validation, Accept, then per call. A SUBSCRIBE opens an event stream
// (http_streams.cpp); every other Call goes to the code that serves
// libprocess frameworks (calls.cpp), with the stream's synthetic UPID as its
// sender.

#include <algorithm>
#include <cctype>

#include <google/protobuf/stubs/strutil.h>
#include <glog/logging.h>

#include "common/uuid.hpp"
#include "master/master_state.hpp"
#include "master/v1_schema.hpp"

namespace mesos {
namespace internal {
namespace master {

using process::HttpRequest;
using process::HttpResponse;
using process::UPID;
using scheduler::Call;

namespace {

constexpr char kProtobuf[] = "application/x-protobuf";
constexpr char kJson[] = "application/json";
constexpr char kRealm[] = "mesos-master-scheduler";
constexpr char kTextPlain[] = "text/plain; charset=utf-8";

HttpResponse text(int status, const std::string& body) {
  return HttpResponse(status, body.empty() ? "" : kTextPlain, body);
}

std::string trim(const std::string& s) {
  size_t begin = 0;
  size_t end = s.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(s[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
  return s.substr(begin, end - begin);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Whether an `Accept` header allows `type` (`type/subtype`): the most
// specific media range that matches it decides, and `q=0` refuses. No header
// accepts everything.
bool acceptable(const std::optional<std::string>& accept, const std::string& type) {
  if (!accept) return true;
  const std::string major = type.substr(0, type.find('/'));
  int bestSpecificity = -1;
  double bestQ = 0;
  size_t start = 0;
  while (start <= accept->size()) {
    size_t comma = accept->find(',', start);
    if (comma == std::string::npos) comma = accept->size();
    const std::string range = accept->substr(start, comma - start);
    start = comma + 1;
    const size_t semicolon = range.find(';');
    const std::string media = lower(trim(range.substr(0, semicolon)));
    double q = 1;
    if (semicolon != std::string::npos) {
      std::string params = range.substr(semicolon + 1);
      size_t at = 0;
      while (at <= params.size()) {
        size_t next = params.find(';', at);
        if (next == std::string::npos) next = params.size();
        const std::string param = trim(params.substr(at, next - at));
        at = next + 1;
        if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
          q = std::strtod(param.c_str() + 2, nullptr);
        }
      }
    }
    int specificity = -1;
    if (media == type) {
      specificity = 2;
    } else if (media == major + "/*") {
      specificity = 1;
    } else if (media == "*/*") {
      specificity = 0;
    }
    if (specificity > bestSpecificity) {
      bestSpecificity = specificity;
      bestQ = q;
    }
  }
  return bestSpecificity >= 0 && bestQ > 0;
}

// The principal of valid `Basic` credentials, if they are valid.
std::optional<std::string> basicPrincipal(const std::optional<std::string>& header,
                                          const std::vector<Credential>& credentials) {
  if (!header) return std::nullopt;
  const std::string value = trim(*header);
  if (value.size() < 6 || lower(value.substr(0, 6)) != "basic ") return std::nullopt;
  std::string decoded;
  if (!google::protobuf::Base64Unescape(trim(value.substr(6)), &decoded)) return std::nullopt;
  const size_t colon = decoded.find(':');
  // Exactly one ':' (a secret holding one never matches, as in Mesos).
  if (colon == std::string::npos || decoded.find(':', colon + 1) != std::string::npos) {
    return std::nullopt;
  }
  const std::string principal = decoded.substr(0, colon);
  const std::string secret = decoded.substr(colon + 1);
  for (const Credential& credential : credentials) {
    if (credential.principal() == principal && credential.has_secret() &&
        credential.secret() == secret) {
      return principal;
    }
  }
  return std::nullopt;
}

std::string query(const std::string& target) {
  const size_t q = target.find('?');
  return q == std::string::npos ? std::string() : target.substr(q);
}

}  // namespace

HttpResponse SimulatedMaster::onRedirect(const HttpRequest& request) {
  const std::string path = request.target.substr(0, request.target.find('?'));
  if (path != "/master/redirect" && path != "/redirect") return text(404, "");
  if (!leaderInfo_) return text(503, "No leader elected");
  HttpResponse response(307);
  response.headers.emplace_back(
      "Location", "//" + leaderInfo_->hostname() + ":" + std::to_string(leaderInfo_->port()));
  return response;
}

HttpResponse SimulatedMaster::onSchedulerApi(const HttpRequest& request) {
  if (stopped_) return text(503, "Master is stopping");
  std::optional<std::string> principal;
  if (options_.authenticateHttpFrameworks) {
    principal = basicPrincipal(request.authorization, options_.credentials);
    if (!principal) {
      // Never log what the header held.
      LOG(INFO) << "Refusing an unauthenticated request to the scheduler API";
      HttpResponse response = text(401, "401 Unauthorized.");
      response.headers.emplace_back("WWW-Authenticate",
                                    std::string("Basic realm=\"") + kRealm + "\"");
      return response;
    }
  }
  if (!leading_) {
    if (!leaderInfo_) return text(503, "No leader elected");
    HttpResponse response(307);
    response.headers.emplace_back("Location", "//" + leaderInfo_->hostname() + ":" +
                                                  std::to_string(leaderInfo_->port()) +
                                                  "/master/api/v1/scheduler" +
                                                  query(request.target));
    return response;
  }
  if (request.method != "POST") {
    HttpResponse response = text(405, "Expecting one of { 'POST' }, but received '" +
                                          request.method + "'");
    response.headers.emplace_back("Allow", "POST");
    return response;
  }
  if (request.contentType.empty()) return text(400, "Expecting 'Content-Type' to be present");
  Call call;
  if (request.contentType == kProtobuf) {
    Try<Call> parsed = parseV1Call(request.body);
    if (parsed.isError()) {
      VLOG(1) << "Scheduler API: unparsable protobuf body: " << parsed.error();
      return text(400, "Failed to parse body into Call protobuf");
    }
    call = std::move(parsed).get();
  } else if (request.contentType == kJson) {
    Try<Call> parsed = parseV1JsonCall(request.body);
    if (parsed.isError()) return text(400, parsed.error());
    call = std::move(parsed).get();
  } else {
    return text(415, std::string("Expecting 'Content-Type' of ") + kJson + " or " + kProtobuf);
  }
  if (std::optional<std::string> error = callError(call)) {
    return text(400, "Failed to validate scheduler::Call: " + *error);
  }
  return onSchedulerCall(request, call, principal);
}

HttpResponse SimulatedMaster::onSchedulerCall(const HttpRequest& request, Call& call,
                                              const std::optional<std::string>& principal) {
  if (call.type() == Call::SUBSCRIBE) {
    std::string contentType;
    if (acceptable(request.accept, kJson)) {
      contentType = kJson;
    } else if (acceptable(request.accept, kProtobuf)) {
      contentType = kProtobuf;
    } else {
      return text(406, std::string("Expecting 'Accept' to allow '") + kProtobuf + "' or '" +
                           kJson + "'");
    }
    if (request.mesosStreamId) {
      return text(400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
    }
    FrameworkInfo* info = call.mutable_subscribe()->mutable_framework_info();
    if (principal) {
      if (info->has_principal() && info->principal() != *principal) {
        return text(400, "Authenticated principal '" + *principal +
                             "' does not match principal '" + info->principal() +
                             "' set in `FrameworkInfo`");
      }
      info->set_principal(*principal);
    }
    // v1 has no `force`: a SUBSCRIBE for a known framework always takes over.
    call.mutable_subscribe()->set_force(true);

    auto stream = std::make_unique<HttpStream>();
    stream->id = randomUuidString();
    stream->pid = UPID("scheduler-http(" + stream->id + ")", 0, 0);
    stream->json = contentType == kJson;
    stream->stream = std::make_shared<process::ResponseStream>();
    const std::string key = stream->pid.toString();
    stream->stream->onClosed([this, alive = aliveToken(), key] {
      if (!alive.expired()) closeHttpStream(key, false);
    });
    HttpResponse response(200, contentType);
    response.headers.emplace_back("Mesos-Stream-Id", stream->id);
    response.stream = stream->stream;
    const UPID from = stream->pid;
    LOG(INFO) << "Scheduler API: SUBSCRIBE for framework '" << info->name() << "' on stream "
              << stream->id;
    httpStreams_[key] = std::move(stream);
    // Answers (SUBSCRIBED or ERROR) are written to the stream, and go out
    // right after the head.
    onCall(from, call, false);
    return response;
  }

  auto found = frameworks_.find(call.framework_id().value());
  if (found == frameworks_.end()) return text(400, "Framework cannot be found");
  Framework& f = *found->second;
  if (principal && f.info.has_principal() && f.info.principal() != *principal) {
    return text(400, "Authenticated principal '" + *principal + "' does not match principal '" +
                         f.info.principal() + "' set in `FrameworkInfo`");
  }
  if (!f.connected || f.recovered) return text(403, "Framework is not subscribed");
  if (!isHttpScheduler(f.pid)) return text(403, "Framework is not connected via HTTP");
  if (!request.mesosStreamId) {
    return text(400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
  }
  auto stream = httpStreams_.find(f.pid.toString());
  if (stream == httpStreams_.end() || stream->second->id != *request.mesosStreamId) {
    return text(400, "The stream ID '" + *request.mesosStreamId +
                         "' included in this request didn't match the stream ID currently "
                         "associated with framework ID " + f.info.id().value());
  }
  switch (call.type()) {
    case Call::UNKNOWN:
      return text(501, "");
    case Call::UPDATE_FRAMEWORK:
      // Synchronous: refused with a 400, not with an ERROR event.
      if (std::optional<std::string> error = frameworkUpdateError(f, call.update_framework())) {
        return text(400, *error);
      }
      onCall(f.pid, call, false);
      return HttpResponse(200);
    default:
      onCall(f.pid, call, false);
      return HttpResponse(202);
  }
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
