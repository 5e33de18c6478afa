// The v1 schema is not compiled in: it is derived at run time from the v0
// descriptors, renamed and with `Call.Subscribe` renumbered, in a descriptor
// pool of its own. A v1 JSON text is parsed into a dynamic message of that
// pool and carried over to the v0 type through the binary form, which the two
// schemas share; events go the other way. Renaming through the schema (and not
// by rewriting text) touches exactly the fields and enum values concerned.

#include "master/v1_schema.hpp"

#include "master/json_writer.hpp"

#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/wire_format_lite.h>
#include <messages/messages.pb.h>

namespace mesos {
namespace internal {
namespace master {

namespace pb = google::protobuf;

namespace {

constexpr int kCallSubscribeField = 3;  // `Call.subscribe`, in both schemas.

void renameEnum(pb::EnumDescriptorProto* e) {
  for (auto& value : *e->mutable_value()) {
    const std::string& name = value.name();
    if (name == "SOURCE_SLAVE") {
      value.set_name("SOURCE_AGENT");
    } else if (name.rfind("REASON_SLAVE_", 0) == 0) {
      value.set_name("REASON_AGENT_" + name.substr(13));
    }
  }
}

void renameMessage(pb::DescriptorProto* m, const std::string& fullName) {
  for (auto& field : *m->mutable_field()) {
    if (field.name() == "slave_id") field.set_name("agent_id");
  }
  if (fullName == "mesos.scheduler.Call.Subscribe") {
    // v1 has no `force`: suppressed_roles is 2, offer_constraints 3.
    auto* fields = m->mutable_field();
    for (int i = 0; i < fields->size(); ++i) {
      if (fields->Get(i).name() == "force") {
        fields->DeleteSubrange(i, 1);
        break;
      }
    }
    for (auto& field : *fields) {
      if (field.name() == "suppressed_roles") field.set_number(2);
      if (field.name() == "offer_constraints") field.set_number(3);
    }
  }
  for (auto& e : *m->mutable_enum_type()) renameEnum(&e);
  for (auto& nested : *m->mutable_nested_type()) {
    renameMessage(&nested, fullName + "." + nested.name());
  }
}

class V1Schema {
 public:
  V1Schema() {
    std::set<std::string> built;
    build(scheduler::Call::descriptor()->file(), &built);
    call_ = pool_.FindMessageTypeByName("mesos.scheduler.Call");
    event_ = pool_.FindMessageTypeByName("mesos.scheduler.Event");
  }

  std::unique_ptr<pb::Message> newCall() { return make(call_); }
  std::unique_ptr<pb::Message> newEvent() { return make(event_); }

 private:
  std::unique_ptr<pb::Message> make(const pb::Descriptor* type) {
    std::lock_guard<std::mutex> lock(mutex_);  // The factory caches prototypes.
    return std::unique_ptr<pb::Message>(factory_.GetPrototype(type)->New());
  }

  void build(const pb::FileDescriptor* file, std::set<std::string>* built) {
    if (!built->insert(file->name()).second) return;
    for (int i = 0; i < file->dependency_count(); ++i) build(file->dependency(i), built);
    pb::FileDescriptorProto proto;
    file->CopyTo(&proto);
    const std::string prefix = proto.package().empty() ? "" : proto.package() + ".";
    for (auto& e : *proto.mutable_enum_type()) renameEnum(&e);
    for (auto& m : *proto.mutable_message_type()) renameMessage(&m, prefix + m.name());
    pool_.BuildFile(proto);
  }

  pb::DescriptorPool pool_;
  pb::DynamicMessageFactory factory_{&pool_};
  std::mutex mutex_;
  const pb::Descriptor* call_ = nullptr;
  const pb::Descriptor* event_ = nullptr;
};

V1Schema& schema() {
  static V1Schema* instance = new V1Schema();  // Never destroyed: used until exit.
  return *instance;
}

}  // namespace

Try<scheduler::Call> parseV1Call(const std::string& body) {
  scheduler::Call call;
  if (!call.ParseFromString(body)) {
    return Error("not a Call (" +
                 (call.IsInitialized() ? std::string("malformed") : call.InitializationErrorString()) +
                 ")");
  }
  if (!call.has_subscribe()) return call;

  // Read `subscribe` again with the v1 numbering: every occurrence of the
  // field, concatenated, as protobuf merges them.
  std::string raw;
  pb::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(body.data()),
                              static_cast<int>(body.size()));
  using WFL = pb::internal::WireFormatLite;
  for (uint32_t tag = in.ReadTag(); tag != 0; tag = in.ReadTag()) {
    if (WFL::GetTagFieldNumber(tag) == kCallSubscribeField &&
        WFL::GetTagWireType(tag) == WFL::WIRETYPE_LENGTH_DELIMITED) {
      uint32_t length = 0;
      std::string part;
      if (!in.ReadVarint32(&length) || !in.ReadString(&part, static_cast<int>(length))) {
        return Error("malformed 'subscribe'");
      }
      raw += part;
    } else if (!WFL::SkipField(&in, tag)) {
      return Error("malformed Call");
    }
  }
  V1CallSubscribe v1;
  if (!v1.ParseFromString(raw)) return Error("malformed v1 'subscribe'");
  scheduler::Call::Subscribe* subscribe = call.mutable_subscribe();
  subscribe->Clear();
  *subscribe->mutable_framework_info() = v1.framework_info();
  *subscribe->mutable_suppressed_roles() = v1.suppressed_roles();
  if (v1.has_offer_constraints()) *subscribe->mutable_offer_constraints() = v1.offer_constraints();
  return call;
}

Try<scheduler::Call> parseV1JsonCall(const std::string& json) {
  pb::Value syntax;
  pb::util::Status parsed = pb::util::JsonStringToMessage(json, &syntax);
  if (!parsed.ok()) {
    return Error("Failed to parse body into JSON: " + std::string(parsed.message()));
  }
  std::unique_ptr<pb::Message> v1 = schema().newCall();
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  pb::util::Status converted = pb::util::JsonStringToMessage(json, v1.get(), options);
  if (!converted.ok()) {
    return Error("Failed to convert JSON into Call protobuf: " + std::string(converted.message()));
  }
  if (!v1->IsInitialized()) {
    return Error("Failed to convert JSON into Call protobuf: missing required fields " +
                 v1->InitializationErrorString());
  }
  Try<scheduler::Call> call = parseV1Call(v1->SerializePartialAsString());
  if (call.isError()) return Error("Failed to convert JSON into Call protobuf: " + call.error());
  return call;
}

std::string v1EventJson(const scheduler::Event& event) {
  std::unique_ptr<pb::Message> v1 = schema().newEvent();
  v1->ParsePartialFromString(event.SerializePartialAsString());
  // Not protobuf's printer: it quotes 64-bit integers (master/json_writer.hpp).
  return mesosJson(*v1);
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
