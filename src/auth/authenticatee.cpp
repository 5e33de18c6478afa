#include "auth/authenticatee.hpp"

#include "auth/crammd5_authenticatee.hpp"

namespace mesos {
namespace internal {
namespace auth {

const char* outcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAuthenticated:
      return "authenticated";
    case Outcome::kRefused:
      return "refused";
    case Outcome::kFailed:
      return "failed";
  }
  return "unknown";
}

Try<AuthenticateeFactory> authenticateeFactory(const std::string& name) {
  if (name == "crammd5") {
    return AuthenticateeFactory(
        [](boost::asio::io_context& io,
           process::Transport& transport) -> std::unique_ptr<Authenticatee> {
          return std::make_unique<CramMd5Authenticatee>(io, transport);
        });
  }
  return Error("unknown authenticatee '" + name + "' (this build has: crammd5)");
}

}  // namespace auth
}  // namespace internal
}  // namespace mesos
