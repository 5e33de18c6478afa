#include "auth/sasl_client.hpp"

#include <glog/logging.h>
#include <openssl/crypto.h>
#include <sasl/sasl.h>

#include <cstddef>
#include <cstring>
#include <mutex>
#include <vector>

namespace mesos {
namespace internal {
namespace auth {

namespace {

// Whether libsasl2 is safe to call from several threads at once depends on the
// mutex hooks an application installs (its defaults do no locking). A driver
// cannot install them without risking a clash with a host application that
// also uses SASL, and CRAM-MD5 steps take microseconds, so every call into the
// library is serialised here instead.
std::mutex& saslMutex() {
  static std::mutex mutex;
  return mutex;
}

// SASL's own diagnostics, at VLOG(1). Trace levels are dropped: SASL_LOG_PASS
// may include passwords.
int logCallback(void*, int level, const char* message) {
  if (level <= SASL_LOG_WARN && message != nullptr) VLOG(1) << "SASL: " << message;
  return SASL_OK;
}

// libsasl2 takes callbacks as `int (*)(void)`; casting through `void (*)()`
// says the conversion is deliberate (GCC's -Wcast-function-type).
template <typename F>
int (*callbackProc(F* function))(void) {
  return reinterpret_cast<int (*)(void)>(reinterpret_cast<void (*)()>(function));
}

std::string describe(int code, sasl_conn_t* conn) {
  std::string text = sasl_errstring(code, nullptr, nullptr);
  if (conn != nullptr) {
    const char* detail = sasl_errdetail(conn);
    if (detail != nullptr && *detail != '\0') text += std::string(": ") + detail;
  }
  return text;
}

}  // namespace

// What the SASL callbacks read; must stay at one address while `conn_` lives.
struct SaslClient::Secrets {
  std::string principal;
  std::vector<unsigned char> secret;  // A sasl_secret_t: length, then the bytes.
  std::vector<sasl_callback_t> callbacks;

  ~Secrets() {
    if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  }

  static int user(void* context, int id, const char** result, unsigned* length) {
    if (result == nullptr || (id != SASL_CB_USER && id != SASL_CB_AUTHNAME)) return SASL_BADPARAM;
    const auto* self = static_cast<const Secrets*>(context);
    *result = self->principal.c_str();
    if (length != nullptr) *length = static_cast<unsigned>(self->principal.size());
    return SASL_OK;
  }

  static int pass(sasl_conn_t*, void* context, int id, sasl_secret_t** result) {
    if (result == nullptr || id != SASL_CB_PASS) return SASL_BADPARAM;
    auto* self = static_cast<Secrets*>(context);
    *result = reinterpret_cast<sasl_secret_t*>(self->secret.data());
    return SASL_OK;
  }
};

Try<Nothing> SaslClient::initialize() {
  static std::once_flag once;
  static int result = SASL_OK;
  std::call_once(once, [] {
    static sasl_callback_t global[] = {
        {SASL_CB_LOG, callbackProc(&logCallback), nullptr},
        {SASL_CB_LIST_END, nullptr, nullptr},
    };
    std::lock_guard<std::mutex> lock(saslMutex());
    result = sasl_client_init(global);
  });
  if (result != SASL_OK) {
    return Error("Failed to initialise the SASL client library: " + describe(result, nullptr));
  }
  return Nothing();
}

SaslClient::SaslClient() : secrets_(std::make_unique<Secrets>()) {}

SaslClient::~SaslClient() {
  if (conn_ != nullptr) {
    std::lock_guard<std::mutex> lock(saslMutex());
    sasl_dispose(&conn_);
  }
}

Try<std::unique_ptr<SaslClient>> SaslClient::create(const std::string& service,
                                                    const std::string& serverFqdn,
                                                    const Credential& credential) {
  Try<Nothing> initialized = initialize();
  if (initialized.isError()) return Error(initialized.error());

  std::unique_ptr<SaslClient> client(new SaslClient());
  Secrets& s = *client->secrets_;
  s.principal = credential.principal();
  const std::string& secret = credential.secret();
  s.secret.resize(offsetof(sasl_secret_t, data) + secret.size() + 1, 0);
  auto* header = reinterpret_cast<sasl_secret_t*>(s.secret.data());
  header->len = secret.size();
  std::memcpy(header->data, secret.data(), secret.size());
  s.callbacks = {
      // No realm: CRAM-MD5 has none, and Mesos's principals carry none.
      {SASL_CB_GETREALM, nullptr, nullptr},
      {SASL_CB_USER, callbackProc(&Secrets::user), &s},
      {SASL_CB_AUTHNAME, callbackProc(&Secrets::user), &s},
      {SASL_CB_PASS, callbackProc(&Secrets::pass), &s},
      {SASL_CB_LIST_END, nullptr, nullptr},
  };

  std::lock_guard<std::mutex> lock(saslMutex());
  const int code = sasl_client_new(service.c_str(), serverFqdn.c_str(), nullptr, nullptr,
                                   s.callbacks.data(), 0, &client->conn_);
  if (code != SASL_OK) {
    client->conn_ = nullptr;
    return Error("Failed to create a SASL client: " + describe(code, nullptr));
  }
  return client;
}

Try<SaslClient::Started> SaslClient::start(const std::string& mechanisms) {
  std::lock_guard<std::mutex> lock(saslMutex());
  const char* output = nullptr;
  unsigned length = 0;
  const char* chosen = nullptr;
  const int code = sasl_client_start(conn_, mechanisms.c_str(), nullptr, &output, &length, &chosen);
  if (code != SASL_OK && code != SASL_CONTINUE) {
    return Error("Failed to start the SASL client: " + describe(code, conn_));
  }
  Started started;
  if (chosen != nullptr) started.mechanism = chosen;
  if (output != nullptr) started.data.assign(output, length);
  return started;
}

Try<std::string> SaslClient::step(const std::string& challenge) {
  std::lock_guard<std::mutex> lock(saslMutex());
  const char* output = nullptr;
  unsigned length = 0;
  const int code = sasl_client_step(
      conn_, challenge.data(), static_cast<unsigned>(challenge.size()), nullptr, &output, &length);
  if (code != SASL_OK && code != SASL_CONTINUE) {
    return Error("Failed to perform a SASL step: " + describe(code, conn_));
  }
  return output != nullptr ? std::string(output, length) : std::string();
}

}  // namespace auth
}  // namespace internal
}  // namespace mesos
