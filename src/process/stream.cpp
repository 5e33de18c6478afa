#include "process/stream.hpp"

#include "process/connections.hpp"
#include "process/response.hpp"

namespace mesos {
namespace internal {
namespace process {

bool ResponseStream::write(std::string_view data) {
  if (closed() || ending_ || aborting_) return false;
  if (!attached_) {
    appendChunk(early_, data);
    return true;
  }
  std::shared_ptr<Inbound> connection = connection_.lock();
  if (!connection) return false;
  return connection->writeChunk(data);
}

void ResponseStream::end() {
  if (closed() || ending_ || aborting_) return;
  if (!attached_) {
    ending_ = true;
    return;
  }
  closed_ = true;
  onClosed_ = nullptr;
  if (std::shared_ptr<Inbound> connection = connection_.lock()) connection->endStream();
}

void ResponseStream::abort() {
  if (closed() || ending_ || aborting_) return;
  if (!attached_) {
    aborting_ = true;
    return;
  }
  closed_ = true;
  onClosed_ = nullptr;
  if (std::shared_ptr<Inbound> connection = connection_.lock()) connection->abortStream();
}

void ResponseStream::attach(const std::shared_ptr<Inbound>& connection, std::string& out) {
  attached_ = true;
  connection_ = connection;
  out += early_;
  early_.clear();
  if (ending_ || aborting_) {
    // Ended from inside the handler (e.g. a refused subscription): the head
    // and what was written still go out, then the connection closes.
    if (ending_) appendLastChunk(out);
    closed_ = true;
    onClosed_ = nullptr;
  }
}

void ResponseStream::connectionClosed() {
  if (closed_) return;  // Its owner ended it first.
  closed_ = true;
  std::function<void()> handler = std::move(onClosed_);
  onClosed_ = nullptr;
  if (handler) handler();
}

}  // namespace process
}  // namespace internal
}  // namespace mesos
