#pragma once

// The parts of the sandbox file endpoints (files.cpp) that read what a client
// sent: the query string and its numbers, and the answer's text made valid
// UTF-8. Separate, so the fuzz target (fuzz/files_query_fuzz.cpp) links them
// alone.

#include <optional>
#include <string>

namespace mesos {
namespace internal {
namespace master {

// The first `name=` parameter of `target`'s query, percent-decoded; nothing
// if absent or malformed (`*malformed` set then).
std::optional<std::string> queryParameter(const std::string& target, const std::string& name,
                                          bool* malformed);

// A decimal integer in [min, LLONG_MAX] (an optional '-', then digits only);
// nothing otherwise.
std::optional<long long> integer(const std::string& text, long long min);

// `bytes` with every invalid UTF-8 sequence (bad lead or continuation bytes,
// truncation, overlong forms, surrogates, code points past U+10FFFF) replaced
// by U+FFFD, so that a JSON answer is valid whatever a task wrote.
std::string validUtf8(const std::string& bytes);

}  // namespace master
}  // namespace internal
}  // namespace mesos
