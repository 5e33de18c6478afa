#include "process/route.hpp"

namespace mesos {
namespace internal {
namespace process {

namespace {

constexpr char kUserAgentPrefix[] = "libprocess/";

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

RoutedRequest reject(int status, std::string reason) {
  RoutedRequest r;
  r.kind = RoutedRequest::Kind::kReject;
  r.status = status;
  r.reason = std::move(reason);
  return r;
}

bool startsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

}  // namespace

bool percentDecode(const std::string& in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      *out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = hexValue(in[i + 1]);
      const int lo = hexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      *out += c;
    }
  }
  return true;
}

RoutedRequest routeRequest(const HttpRequest& request) {
  const bool libprocessAgent =
      request.userAgent.has_value() && startsWith(*request.userAgent, kUserAgentPrefix);
  const bool isMessage =
      request.method == "POST" && (libprocessAgent || request.libprocessFrom.has_value());

  if (!isMessage) {
    RoutedRequest r;
    r.kind = RoutedRequest::Kind::kHttp;
    r.path = request.target.substr(0, request.target.find('?'));
    return r;
  }

  if (request.target.empty() || request.target[0] != '/') {
    return reject(400, "request target '" + request.target + "' does not start with '/'");
  }

  // "/<id>/<name>": the name is everything after the second '/'.
  const size_t slash = request.target.find('/', 1);
  const std::string rawId = request.target.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
  RoutedRequest r;
  r.kind = RoutedRequest::Kind::kMessage;
  if (!percentDecode(rawId, &r.receiverId)) {
    return reject(500, "malformed percent-encoding in receiver id '" + rawId + "'");
  }
  if (slash != std::string::npos) r.name = request.target.substr(slash + 1);

  const std::string fromText = request.libprocessFrom.has_value()
                                   ? *request.libprocessFrom
                                   : (libprocessAgent
                                          ? request.userAgent->substr(sizeof(kUserAgentPrefix) - 1)
                                          : std::string());
  if (fromText.empty()) return reject(500, "message without a sender");
  Try<UPID> from = UPID::parse(fromText, UPID::Resolve::kNumericOnly);
  if (from.isError()) return reject(400, "bad sender: " + from.error());
  r.from = std::move(from).get();
  if (r.name.empty()) return reject(400, "message without a name (path '" + request.target + "')");
  return r;
}

}  // namespace process
}  // namespace internal
}  // namespace mesos
