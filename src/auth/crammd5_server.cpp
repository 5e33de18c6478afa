#include "auth/crammd5_server.hpp"

#include <mesos/authentication/authentication.pb.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <chrono>
#include <cstdint>
#include <random>

namespace mesos {
namespace internal {
namespace auth {

namespace {

constexpr char kMechanism[] = "CRAM-MD5";

template <typename T>
std::unique_ptr<google::protobuf::Message> boxed(T message) {
  return std::make_unique<T>(std::move(message));
}

uint64_t randomNumber() {
  uint64_t value = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&value), sizeof(value)) != 1) {
    value = std::random_device{}();
    value = (value << 32) ^ std::random_device{}();
  }
  return value;
}

}  // namespace

std::string cramMd5Digest(const std::string& secret, const std::string& challenge) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_md5(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(challenge.data()), challenge.size(), digest, &length);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  OPENSSL_cleanse(digest, sizeof(digest));
  return hex;
}

std::string makeCramMd5Challenge(const std::string& hostname) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return "<" + std::to_string(randomNumber()) + "." + std::to_string(now.count()) + "@" +
         (hostname.empty() ? "localhost" : hostname) + ">";
}

std::optional<std::string> verifyCramMd5Response(const CredentialMap& credentials,
                                                 const std::string& challenge,
                                                 const std::string& response) {
  // The digest has no spaces but a principal may: split at the last one.
  const size_t space = response.rfind(' ');
  if (space == std::string::npos || space == 0) return std::nullopt;
  const std::string principal = response.substr(0, space);
  const std::string digest = response.substr(space + 1);

  auto it = credentials.find(principal);
  const bool known = it != credentials.end();
  // An unknown principal is checked against a dummy secret, so that timing
  // does not tell which principals exist.
  const std::string expected = cramMd5Digest(known ? it->second : std::string(), challenge);
  const bool match = digest.size() == expected.size() &&
                     CRYPTO_memcmp(digest.data(), expected.data(), expected.size()) == 0;
  if (!known || !match) return std::nullopt;
  return principal;
}

CramMd5ServerSession::CramMd5ServerSession(const CredentialMap& credentials, std::string hostname)
    : credentials_(credentials), hostname_(std::move(hostname)) {}

CramMd5ServerSession::Output CramMd5ServerSession::begin() {
  Output out;
  AuthenticationMechanismsMessage mechanisms;
  mechanisms.add_mechanisms(kMechanism);
  out.reply = boxed(std::move(mechanisms));
  state_ = State::kWaitingStart;
  return out;
}

CramMd5ServerSession::Output CramMd5ServerSession::error(const std::string& text) {
  state_ = State::kDone;
  Output out;
  out.result = Result::kError;
  out.why = text;
  AuthenticationErrorMessage message;
  message.set_error(text);
  out.reply = boxed(std::move(message));
  return out;
}

CramMd5ServerSession::Output CramMd5ServerSession::onMessage(const std::string& name,
                                                             const std::string& body) {
  if (state_ == State::kDone) return Output();
  if (name == "mesos.internal.AuthenticationStartMessage") {
    if (state_ != State::kWaitingStart) return error("Unexpected authentication 'start' received");
    return onStart(body);
  }
  if (name == "mesos.internal.AuthenticationStepMessage") {
    if (state_ != State::kWaitingResponse) {
      return error("Unexpected authentication 'step' received");
    }
    return onStep(body);
  }
  return Output();
}

CramMd5ServerSession::Output CramMd5ServerSession::onStart(const std::string& body) {
  AuthenticationStartMessage start;
  if (!start.ParseFromString(body)) return error("Malformed AuthenticationStartMessage");
  if (start.mechanism() != kMechanism) return error("Unsupported authentication mechanism");
  // CRAM-MD5 is server-first: any initial client data is meaningless.
  challenge_ = makeCramMd5Challenge(hostname_);
  AuthenticationStepMessage step;
  step.set_data(challenge_);
  Output out;
  out.reply = boxed(std::move(step));
  state_ = State::kWaitingResponse;
  return out;
}

CramMd5ServerSession::Output CramMd5ServerSession::onStep(const std::string& body) {
  AuthenticationStepMessage step;
  if (!step.ParseFromString(body)) return error("Malformed AuthenticationStepMessage");
  state_ = State::kDone;
  Output out;
  std::optional<std::string> principal =
      verifyCramMd5Response(credentials_, challenge_, step.data());
  if (principal) {
    out.result = Result::kAuthenticated;
    out.principal = *principal;
    out.reply = boxed(AuthenticationCompletedMessage());
  } else {
    out.result = Result::kRefused;
    out.why = "wrong principal or secret";
    out.reply = boxed(AuthenticationFailedMessage());
  }
  return out;
}

}  // namespace auth
}  // namespace internal
}  // namespace mesos
