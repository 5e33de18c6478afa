#pragma once

// Mesos's JSON credentials file, as the master's `--credentials` flag reads it:
//
//   {"credentials": [{"principal": "alice", "secret": "s3cret"}, ...]}
//
// Errors never quote a secret. Threads: any (no shared state).

#include <mesos/mesos.pb.h>

#include <map>
#include <string>
#include <vector>

#include "common/try.hpp"

namespace mesos {
namespace internal {
namespace auth {

// principal -> secret, as the authenticator looks them up.
using CredentialMap = std::map<std::string, std::string>;

// Parses the file's text. There must be at least one entry, and every entry
// needs a non-empty string `principal` and a string `secret`; unknown keys are
// ignored.
Try<std::vector<Credential>> parseCredentialsJson(const std::string& json);

// Reads and parses `path`, a plain path or a `file://` URL.
Try<std::vector<Credential>> loadCredentialsFile(const std::string& path);

// The lookup table; a principal listed twice keeps its last secret.
CredentialMap toCredentialMap(const std::vector<Credential>& credentials);

}  // namespace auth
}  // namespace internal
}  // namespace mesos
