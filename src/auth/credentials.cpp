#include "auth/credentials.hpp"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <sstream>

namespace mesos {
namespace internal {
namespace auth {

namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

const Value* member(const Struct& object, const std::string& key) {
  auto it = object.fields().find(key);
  return it == object.fields().end() ? nullptr : &it->second;
}

}  // namespace

Try<std::vector<Credential>> parseCredentialsJson(const std::string& json) {
  // Through google.protobuf.Struct rather than a generated message: the schema
  // has no `Credentials` wrapper, and a `bytes` secret would be base64 in
  // protobuf's JSON mapping while Mesos's files hold it as plain text.
  Struct root;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &root);
  // Protobuf's parse errors quote the input around the problem, which may be
  // a secret: say only that it failed.
  if (!status.ok()) return Error("not valid JSON");
  const Value* list = member(root, "credentials");
  if (list == nullptr || !list->has_list_value()) {
    return Error("expected an object with a \"credentials\" array");
  }
  std::vector<Credential> credentials;
  for (int i = 0; i < list->list_value().values_size(); ++i) {
    const std::string where = "credentials[" + std::to_string(i) + "]";
    const Value& entry = list->list_value().values(i);
    if (!entry.has_struct_value()) return Error(where + " is not an object");
    const Value* principal = member(entry.struct_value(), "principal");
    const Value* secret = member(entry.struct_value(), "secret");
    if (principal == nullptr || principal->kind_case() != Value::kStringValue ||
        principal->string_value().empty()) {
      return Error(where + " needs a non-empty string \"principal\"");
    }
    if (secret == nullptr || secret->kind_case() != Value::kStringValue) {
      return Error(where + " (principal '" + principal->string_value() +
                   "') needs a string \"secret\"");
    }
    Credential credential;
    credential.set_principal(principal->string_value());
    credential.set_secret(secret->string_value());
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
