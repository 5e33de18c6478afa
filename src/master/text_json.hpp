#pragma once

// A minimal streaming JSON writer for the master's HTTP endpoints
// (`/master/state`, state_json.cpp; `/metrics/snapshot` and `/version`,
// metrics.cpp): the caller nests begin/end calls, commas are automatic, and
// keys come out in the order written, without whitespace.
//
// Text, not google.protobuf.Struct: a Struct's map fields have another layout
// in ThreadSanitizer-instrumented code than in the uninstrumented libprotobuf,
// so building one crashes a TSan build, and these endpoints must work in every
// build.
//
// Thread: an instance is used by one thread.

#include <string>

namespace mesos {
namespace internal {
namespace master {

class TextJson {
 public:
  void beginObject() { open('{'); }
  void endObject() { close('}'); }
  void beginArray() { open('['); }
  void endArray() { close(']'); }

  // An object member's name; its value is the next value written.
  void key(const std::string& name);

  void value(const std::string& s);
  void value(const char* s) { value(std::string(s)); }
  void value(double d);  // Not finite: `null` (JSON has no NaN or infinity).
  void value(bool b);
  // `json` must be one complete JSON value (e.g. from mesosJson()).
  void raw(const std::string& json);

  // key(name) then value(v), for any value().
  template <typename T>
  void member(const std::string& name, const T& v) {
    key(name);
    value(v);
  }
  void emptyArray(const std::string& name) {
    key(name);
    beginArray();
    endArray();
  }

  std::string take() { return std::move(out_); }

 private:
  void open(char c);
  void close(char c);
  void comma();
  void string(const std::string& s);

  std::string out_;
  bool first_ = true;      // Nothing written yet in the current object or array.
  bool afterKey_ = false;  // The next value belongs to the key just written.
};

}  // namespace master
}  // namespace internal
}  // namespace mesos
