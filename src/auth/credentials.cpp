#include "auth/credentials.hpp"

#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <sstream>

#include "credentials_file.pb.h"

namespace mesos {
namespace internal {
namespace auth {

Try<std::vector<Credential>> parseCredentialsJson(const std::string& json) {
  CredentialsFile file;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // As Mesos's own reader does.
  const auto status = google::protobuf::util::JsonStringToMessage(json, &file, options);
  // Protobuf's parse errors quote the input around the problem, which may be
  // a secret: say only that it failed.
  if (!status.ok()) {
    return Error(
        "not a JSON object of the form {\"credentials\": [{\"principal\": ..., "
        "\"secret\": ...}]}");
  }
  // Unknown keys being ignored, a file of some other shape parses as an empty
  // list: an empty list is always a mistake, so say so.
  if (file.credentials_size() == 0) return Error("no entries in a \"credentials\" array");
  std::vector<Credential> credentials;
  for (int i = 0; i < file.credentials_size(); ++i) {
    const CredentialsFile::Entry& entry = file.credentials(i);
    const std::string where = "credentials[" + std::to_string(i) + "]";
    if (entry.principal().empty()) return Error(where + " needs a non-empty \"principal\"");
    if (!entry.has_secret()) {
      return Error(where + " (principal '" + entry.principal() + "') needs a \"secret\"");
    }
    Credential credential;
    credential.set_principal(entry.principal());
    credential.set_secret(entry.secret());
    credentials.push_back(std::move(credential));
  }
  return credentials;
}

Try<std::vector<Credential>> loadCredentialsFile(const std::string& path) {
  const std::string file = path.rfind("file://", 0) == 0 ? path.substr(7) : path;
  std::ifstream in(file);
  if (!in.good()) return Error("cannot read credentials file '" + file + "'");
  std::stringstream text;
  text << in.rdbuf();
  Try<std::vector<Credential>> parsed = parseCredentialsJson(text.str());
  if (parsed.isError()) return Error("credentials file '" + file + "': " + parsed.error());
  return parsed;
}

CredentialMap toCredentialMap(const std::vector<Credential>& credentials) {
  CredentialMap map;
  for (const Credential& credential : credentials) {
    map[credential.principal()] = credential.secret();
  }
  return map;
}

}  // namespace auth
}  // namespace internal
}  // namespace mesos
