#pragma once

// `Try<T>`: a value or an error message, for operations whose failure the caller must
// handle and explain (parsing untrusted input, configuration). Modelled on stout's
// `Try`, without exceptions.

#include <string>
#include <utility>
#include <variant>

#include <glog/logging.h>

namespace mesos {
namespace internal {

struct Error {
  explicit Error(std::string m) : message(std::move(m)) {}
  std::string message;
};

struct Nothing {};

template <typename T>
class [[nodiscard]] Try {
 public:
  Try(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  Try(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool isSome() const { return state_.index() == 0; }
  bool isError() const { return state_.index() == 1; }

  const T& get() const& {
    CHECK(isSome()) << "Try::get() on an error: " << error();
    return std::get<0>(state_);
  }
  T& get() & {
    CHECK(isSome()) << "Try::get() on an error: " << error();
    return std::get<0>(state_);
  }
  T&& get() && {
    CHECK(isSome()) << "Try::get() on an error: " << error();
    return std::move(std::get<0>(state_));
  }
  const T* operator->() const { return &get(); }
  const T& operator*() const& { return get(); }

  const std::string& error() const {
    static const std::string kNone;
    return isError() ? std::get<1>(state_).message : kNone;
  }

 private:
  std::variant<T, Error> state_;
};

}  // namespace internal
}  // namespace mesos
