// The load master: plays a Mesos master's side of one benchmark workload
// against any scheduler driver that registers with it, and prints one JSON line
// of results.
//
//   load_master --workload=W [--n=N] [--subject=NAME] [--window=W] [--timeout=S]
//               -- <subject command...>
//
// It listens on 127.0.0.1 (ephemeral port), starts the subject with
// `--master=127.0.0.1:<port> --workload=W --n=N` appended, answers its
// registration (the Call dialect's SUBSCRIBE or the legacy
// RegisterFrameworkMessage over libprocess, or a SUBSCRIBE of the v1 scheduler
// HTTP API on /api/v1/scheduler), waits `--settle_ms`, runs the workload, samples
// the subject's CPU time and memory from /proc, stops it and prints the results.
//
// A v1 HTTP subject (protobuf only) gets the same workloads as events on its
// SUBSCRIBE response (RecordIO records in chunks): UPDATE for status updates,
// OFFERS for offers; its ACKNOWLEDGE, DECLINE and RECONCILE calls arrive as
// POSTs on another connection, each answered 202.
//
// Workloads (bench/README.md has the definitions):
//   updates    N agent status updates, at most --window unacknowledged at a time;
//              from the first send to the last acknowledgement.
//   latency    N updates one at a time; round trip percentiles.
//   offers     one ResourceOffersMessage with N offers; until all N are declined.
//   reconcile  the subject asks for reconciliation of N tasks; the master answers
//              each; until the subject prints `reconciled N`.
//   idle       registered and idle for --idle_ms; RSS.
//
// With LIBPROCESS_SSL_ENABLED=true (and the other LIBPROCESS_SSL_* variables,
// docs/tls.md) it listens and connects over TLS; the subject inherits the
// environment, so a driver subject speaks TLS too (subjects ours-tls and
// ours-https of bench/run_bench.py).
//
// Exit status 0 with a result line; 1 with {"error": ...} on a timeout, a
// subject that died, or a protocol surprise.

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <glog/logging.h>
#include <mesos/scheduler/scheduler.pb.h>
#include <messages/messages.pb.h>

#include "common/recordio.hpp"
#include "process/stream.hpp"
#include "process/transport.hpp"
#include "subject_process.hpp"
#include "workload_messages.hpp"

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using mesos::internal::process::HttpRequest;
using mesos::internal::process::HttpResponse;
using mesos::internal::process::Message;
using mesos::internal::process::ResponseStream;
using mesos::internal::process::Transport;
using mesos::internal::process::UPID;

namespace {

struct Options {
  std::string workload;
  int64_t n = 0;
  std::string subject = "subject";
  int64_t window = 0;  // 0 = workload default.
  int timeoutSeconds = 300;
  int settleMs = 500;
  int idleMs = 2000;
  std::vector<std::string> command;
};

int64_t defaultN(const std::string& workload) {
  if (workload == "updates") return 100000;
  if (workload == "latency") return 20000;
  if (workload == "offers") return 10000;
  if (workload == "reconcile") return 100000;
  return 0;
}

std::optional<Options> parseOptions(int argc, char** argv) {
  Options options;
  int i = 1;
  for (; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (name == "--workload") options.workload = value;
    else if (name == "--n") options.n = std::atoll(value.c_str());
    else if (name == "--subject") options.subject = value;
    else if (name == "--window") options.window = std::atoll(value.c_str());
    else if (name == "--timeout") options.timeoutSeconds = std::atoi(value.c_str());
    else if (name == "--settle_ms") options.settleMs = std::atoi(value.c_str());
    else if (name == "--idle_ms") options.idleMs = std::atoi(value.c_str());
    else {
      std::cerr << "load_master: unknown flag '" << arg << "'\n";
      return std::nullopt;
    }
  }
  for (; i < argc; ++i) options.command.emplace_back(argv[i]);
  const std::string w = options.workload;
  if (w != "updates" && w != "latency" && w != "offers" && w != "reconcile" && w != "idle") {
    std::cerr << "load_master: --workload must be updates, latency, offers, reconcile or idle\n";
    return std::nullopt;
  }
  if (options.n == 0) options.n = defaultN(w);
  if (options.n < 0 || options.command.empty() || options.timeoutSeconds <= 0) {
    std::cerr << "usage: load_master --workload=W [--n=N] [--subject=NAME] [--window=W]"
                 " [--timeout=S] [--settle_ms=MS] [--idle_ms=MS] -- <subject command...>\n";
    return std::nullopt;
  }
  if (options.window <= 0) options.window = w == "latency" ? 1 : 4096;
  return options;
}

// One JSON object, built field by field (numbers and plain ASCII strings only).
class JsonLine {
 public:
  JsonLine& field(const std::string& name, const std::string& value) {
    std::string escaped;
    for (char c : value) {
      if (c == '"' || c == '\\') escaped += '\\';
      if (static_cast<unsigned char>(c) >= 0x20) escaped += c;
    }
    return raw(name, "\"" + escaped + "\"");
  }
  JsonLine& field(const std::string& name, double value) {
    char text[64];
    std::snprintf(text, sizeof(text), "%.6g", value);
    return raw(name, text);
  }
  JsonLine& field(const std::string& name, int64_t value) {
    return raw(name, std::to_string(value));
  }
  std::string str() const { return "{" + body_ + "}"; }

 private:
  JsonLine& raw(const std::string& name, const std::string& value) {
    if (!body_.empty()) body_ += ", ";
    body_ += "\"" + name + "\": " + value;
    return *this;
  }
  std::string body_;
};

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = std::min(values.size() - 1, static_cast<size_t>(p * values.size()));
  return values[index];
}

class LoadMaster {
 public:
  LoadMaster(asio::io_context& io, Options options)
      : io_(io), options_(std::move(options)), deadline_(io), settle_(io), stdout_(io) {}

  int run() {
    mesos::internal::process::TransportOptions transportOptions;
    transportOptions.bindIp = "127.0.0.1";
    // A flood (--window=N) queues every update at once; the subject's
    // backpressure may hold them here for as long as its callbacks take.
    transportOptions.maxQueuedBytesPerPeer = size_t{4} << 30;
    transportOptions.maxQueuedBytesPerStream = size_t{4} << 30;
    auto tls = mesos::internal::process::tlsFromConfig(mesos::TlsConfig{});
    if (tls.isError()) return fail("TLS: " + tls.error());
    transportOptions.tls = tls.get();
    transport_ = std::make_unique<Transport>(io_, transportOptions);
    auto started = transport_->start();
    if (started.isError()) return fail("cannot listen: " + started.error());
    selfText_ = transport_->self("master").toString();
    agentPid_ = transport_->self("slave(1)").toString();
    transport_->addProcess("master", [this](Message&& m) { onMessage(std::move(m)); });
    // mesos-go's standalone detector reads the leader from the master's /state.
    transport_->addRoute("/state", [this](const mesos::internal::process::HttpRequest&) {
      return mesos::internal::process::HttpResponse{
          200, "application/json", "{\"leader\": \"" + selfText_ + "\"}"};
    });
    // The v1 scheduler HTTP API, at both of a master's paths.
    for (const char* path : {"/api/v1/scheduler", "/master/api/v1/scheduler"}) {
      transport_->addRoute(path,
                           [this](const HttpRequest& request) { return onHttpCall(request); });
    }
    prepare();

    std::vector<std::string> command = options_.command;
    command.push_back("--master=127.0.0.1:" + std::to_string(transport_->boundPort()));
    command.push_back("--workload=" + options_.workload);
    command.push_back("--n=" + std::to_string(options_.n));
    try {
      subject_ = std::make_unique<bench::SubjectProcess>(
          command, std::vector<std::string>{"LIBPROCESS_IP=127.0.0.1"});
    } catch (const std::exception& e) {
      return fail(std::string("cannot start the subject: ") + e.what());
    }
    stdout_.assign(subject_->releaseStdout());
    readSubjectLine();

    deadline_.expires_after(std::chrono::seconds(options_.timeoutSeconds));
    deadline_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) finish(fail("timed out after " + std::to_string(options_.timeoutSeconds) + " s (" +
                           progress() + ")"));
    });
    io_.run();
    return exitCode_;
  }

 private:
  // Everything the workload sends is built before the subject starts, so the
  // load master's own work during the measurement is only the sending.
  void prepare() {
    master_.set_id("bench-master");
    master_.set_ip(0x0100007f);
    master_.set_port(transport_->boundPort());
    master_.set_pid(selfText_);
    master_.set_hostname("127.0.0.1");
    master_.set_version("1.11.0");
    const std::string& w = options_.workload;
    if (w == "updates" || w == "latency") {
      bodies_.reserve(options_.n);
      for (int64_t i = 0; i < options_.n; ++i) {
        bodies_.push_back(
            bench::agentStatusUpdate(i, static_cast<int>(i % 100), agentPid_).SerializeAsString());
      }
      acked_.assign(options_.n, false);
      sentAt_.assign(w == "latency" ? options_.n : 0, Clock::time_point{});
    } else if (w == "offers") {
      const std::string prefix = "slave(";
      const std::string suffix = ")@127.0.0.1:" + std::to_string(transport_->boundPort());
      bodies_.push_back(bench::offers(static_cast<int>(options_.n), prefix, suffix)
                            .SerializeAsString());
      declined_.assign(options_.n, false);
    }
  }

  void onMessage(Message&& m) {
    if (m.name == "mesos.scheduler.Call") {
      mesos::scheduler::Call call;
      if (!call.ParseFromString(m.body)) return protocolError("unparseable Call");
      switch (call.type()) {
        case mesos::scheduler::Call::SUBSCRIBE: return onRegister(m.from);
        case mesos::scheduler::Call::ACKNOWLEDGE:
          return onAck(call.acknowledge().task_id().value());
        case mesos::scheduler::Call::DECLINE:
          for (const auto& id : call.decline().offer_ids()) onDecline(id.value());
          return;
        case mesos::scheduler::Call::RECONCILE: {
          std::vector<mesos::TaskID> tasks;
          for (const auto& task : call.reconcile().tasks()) tasks.push_back(task.task_id());
          return onReconcile(m.from, tasks);
        }
        default: return;  // TEARDOWN, SUPPRESS, ...: nothing to do here.
      }
    }
    if (m.name == "mesos.internal.RegisterFrameworkMessage" ||
        m.name == "mesos.internal.ReregisterFrameworkMessage") {
      return onRegister(m.from);
    }
    if (m.name == "mesos.internal.StatusUpdateAcknowledgementMessage") {
      mesos::internal::StatusUpdateAcknowledgementMessage ack;
      if (!ack.ParseFromString(m.body)) return protocolError("unparseable acknowledgement");
      return onAck(ack.task_id().value());
    }
    if (m.name == "mesos.internal.LaunchTasksMessage") {
      mesos::internal::LaunchTasksMessage launch;
      if (!launch.ParseFromString(m.body)) return protocolError("unparseable LaunchTasks");
      if (launch.tasks_size() != 0) return protocolError("the subject launched tasks");
      for (const auto& id : launch.offer_ids()) onDecline(id.value());
      return;
    }
    if (m.name == "mesos.internal.ReconcileTasksMessage") {
      mesos::internal::ReconcileTasksMessage reconcile;
      if (!reconcile.ParseFromString(m.body)) return protocolError("unparseable reconcile");
      std::vector<mesos::TaskID> tasks;
      for (const auto& status : reconcile.statuses()) tasks.push_back(status.task_id());
      return onReconcile(m.from, tasks);
    }
  }

  void onRegister(const UPID& from) {
    if (registered_ && from != framework_) return protocolError("a second framework registered");
    framework_ = from;
    mesos::internal::FrameworkRegisteredMessage reply;
    reply.mutable_framework_id()->set_value(bench::frameworkIdValue());
    *reply.mutable_master_info() = master_;
    send(reply.GetTypeName(), reply.SerializeAsString());
    if (registered_) return;  // A retry: answered again, nothing else changes.
    onRegistered();
  }

  void onRegistered() {
    registered_ = true;
    // reconcile: the subject starts the workload itself, right after registering.
    if (options_.workload == "reconcile") return;
    settle_.expires_after(std::chrono::milliseconds(options_.settleMs));
    settle_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) startWorkload();
    });
  }

  void startWorkload() {
    if (!sample(&before_)) return;
    start_ = Clock::now();
    const std::string& w = options_.workload;
    if (w == "updates" || w == "latency") {
      sendUpdates();
    } else if (w == "offers") {
      if (http_) {
        sendEvent(bodies_[0]);
      } else {
        send("mesos.internal.ResourceOffersMessage", bodies_[0]);
      }
    } else if (w == "idle") {
      settle_.expires_after(std::chrono::milliseconds(options_.idleMs));
      settle_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) complete();
      });
    }
  }

  void sendUpdates() {
    while (nextToSend_ < options_.n && nextToSend_ - ackedCount_ < options_.window) {
      if (!sentAt_.empty()) sentAt_[nextToSend_] = Clock::now();
      if (http_) {
        sendEvent(bodies_[nextToSend_]);
      } else {
        send("mesos.internal.StatusUpdateMessage", bodies_[nextToSend_]);
      }
      ++nextToSend_;
    }
  }

  void onAck(const std::string& taskId) {
    const int64_t index = bench::taskIndex(taskId);
    if (index < 0 || index >= nextToSend_) return protocolError("acknowledgement of unknown task " + taskId);
    if (acked_[index]) return;  // Duplicate.
    acked_[index] = true;
    ++ackedCount_;
    if (!sentAt_.empty()) {
      rtts_.push_back(std::chrono::duration<double, std::micro>(Clock::now() - sentAt_[index]).count());
    }
    if (ackedCount_ == options_.n) return complete();
    sendUpdates();
  }

  void onDecline(const std::string& offerId) {
    const size_t dash = offerId.rfind("-O");
    const int64_t index = dash == std::string::npos ? -1 : std::atoll(offerId.c_str() + dash + 2);
    if (index < 0 || index >= options_.n || declined_.empty()) {
      return protocolError("decline of unknown offer " + offerId);
    }
    if (declined_[index]) return;
    declined_[index] = true;
    if (++declinedCount_ == options_.n) complete();
  }

  // A call of the v1 scheduler HTTP API (protobuf): SUBSCRIBE opens the event
  // stream; the workload's calls are answered 202.
  HttpResponse onHttpCall(const HttpRequest& request) {
    if (request.method != "POST") return HttpResponse(405);
    if (request.contentType != "application/x-protobuf") {
      return HttpResponse(415, "text/plain; charset=utf-8", "load_master speaks protobuf only");
    }
    mesos::scheduler::Call call;
    if (!call.ParseFromString(request.body)) {
      return HttpResponse(400, "text/plain; charset=utf-8",
                          "Failed to parse body into Call protobuf");
    }
    if (call.type() == mesos::scheduler::Call::SUBSCRIBE) return onSubscribeHttp();
    if (!stream_ || request.mesosStreamId.value_or("") != kStreamId) {
      protocolError("a v1 call without the subscription's Mesos-Stream-Id");
      return HttpResponse(400);
    }
    switch (call.type()) {
      case mesos::scheduler::Call::ACKNOWLEDGE:
        onAck(call.acknowledge().task_id().value());
        break;
      case mesos::scheduler::Call::DECLINE:
        for (const auto& id : call.decline().offer_ids()) onDecline(id.value());
        break;
      case mesos::scheduler::Call::ACCEPT:
        for (const auto& operation : call.accept().operations()) {
          if (operation.type() != mesos::Offer::Operation::UNKNOWN) {
            protocolError("the subject accepted an offer");
            return HttpResponse(400);
          }
        }
        for (const auto& id : call.accept().offer_ids()) onDecline(id.value());
        break;
      case mesos::scheduler::Call::RECONCILE: {
        std::vector<mesos::TaskID> tasks;
        for (const auto& task : call.reconcile().tasks()) tasks.push_back(task.task_id());
        onReconcile(framework_, tasks);
        break;
      }
      default: break;  // TEARDOWN, SUPPRESS, ...: nothing to do here.
    }
    return HttpResponse(202);
  }

  HttpResponse onSubscribeHttp() {
    // A driver that retries SUBSCRIBE on its registration backoff before the
    // first SUBSCRIBED reached it closes that stream and opens a new one, as a
    // Mesos master allows; before the workload starts that is a retry (answered
    // on the new stream), after it an error.
    const bool retry = registered_;
    if (retry && (!http_ || started())) {
      protocolError("a second registration");
      return HttpResponse(400);
    }
    http_ = true;
    if (retry) ++subscribeRetries_;
    stream_ = std::make_shared<ResponseStream>();
    stream_->onClosed([this, stream = std::weak_ptr<ResponseStream>(stream_)] {
      if (done_ || stream.lock() != stream_) return;  // Replaced by a retry.
      // Before the workload, the driver may be retrying its SUBSCRIBE.
      if (!started() && registered_) return;
      finish(fail("the subject closed its event stream (" + progress() + ")"));
    });
    HttpResponse response(200, "application/x-protobuf");
    response.headers.emplace_back("Mesos-Stream-Id", kStreamId);
    response.stream = stream_;
    if (retry) {
      writeSubscribed();
      return response;
    }
    // The workload's events, framed before the settle period starts.
    const std::string& w = options_.workload;
    if (w == "updates" || w == "latency") {
      for (std::string& body : bodies_) {
        mesos::internal::StatusUpdateMessage message;
        message.ParseFromString(body);
        mesos::scheduler::Event event;
        event.set_type(mesos::scheduler::Event::UPDATE);
        *event.mutable_update()->mutable_status() = message.update().status();
        body = record(event);
      }
    } else if (w == "offers") {
      mesos::internal::ResourceOffersMessage message;
      message.ParseFromString(bodies_[0]);
      mesos::scheduler::Event event;
      event.set_type(mesos::scheduler::Event::OFFERS);
      *event.mutable_offers()->mutable_offers() = message.offers();  // No agent pids in v1.
      bodies_[0] = record(event);
    }
    writeSubscribed();
    onRegistered();
    return response;
  }

  void writeSubscribed() {
    mesos::scheduler::Event subscribed;
    subscribed.set_type(mesos::scheduler::Event::SUBSCRIBED);
    subscribed.mutable_subscribed()->mutable_framework_id()->set_value(bench::frameworkIdValue());
    subscribed.mutable_subscribed()->set_heartbeat_interval_seconds(15);
    *subscribed.mutable_subscribed()->mutable_master_info() = master_;
    stream_->write(record(subscribed));
    mesos::scheduler::Event heartbeat;
    heartbeat.set_type(mesos::scheduler::Event::HEARTBEAT);
    stream_->write(record(heartbeat));
  }

  static std::string record(const mesos::scheduler::Event& event) {
    std::string out;
    mesos::internal::appendRecord(out, event.SerializeAsString());
    return out;
  }

  void onReconcile(const UPID& from, const std::vector<mesos::TaskID>& tasks) {
    if (options_.workload != "reconcile" || from != framework_) return;
    if (static_cast<int64_t>(tasks.size()) != options_.n || started()) {
      return protocolError("reconciliation of " + std::to_string(tasks.size()) + " tasks, not " +
                           std::to_string(options_.n) + " once");
    }
    if (!sample(&before_)) return;
    start_ = Clock::now();
    for (const mesos::TaskID& task : tasks) {
      if (http_) {
        mesos::scheduler::Event event;
        event.set_type(mesos::scheduler::Event::UPDATE);
        *event.mutable_update()->mutable_status() =
            bench::reconciliationUpdate(task).update().status();
        sendEvent(record(event));
      } else {
        send("mesos.internal.StatusUpdateMessage",
             bench::reconciliationUpdate(task).SerializeAsString());
      }
    }
  }

  bool started() const { return start_ != Clock::time_point{}; }

  void readSubjectLine() {
    asio::async_read_until(stdout_, lines_, '\n',
                           [this](const boost::system::error_code& ec, size_t) {
      if (ec) {
        if (!done_) finish(fail("the subject exited (" + progress() + ")"));
        return;
      }
      std::istream in(&lines_);
      std::string line;
      std::getline(in, line);
      onSubjectLine(line);
      readSubjectLine();
    });
  }

  void onSubjectLine(const std::string& line) {
    if (line.rfind("reconciled ", 0) != 0 || options_.workload != "reconcile") return;
    const int64_t count = std::atoll(line.c_str() + 11);
    if (!started()) return protocolError("reconciled before asked");
    if (count != options_.n) return protocolError("subject reconciled " + line);
    complete();
  }

  void complete() {
    if (done_) return;
    const Clock::time_point end = Clock::now();
    bench::ProcSample after;
    if (!sample(&after)) return;
    const std::string& w = options_.workload;
    JsonLine json;
    json.field("subject", options_.subject).field("workload", w).field("n", options_.n);
    if (http_) json.field("subscribe_retries", subscribeRetries_);
    const double cpu = after.cpuSeconds - before_.cpuSeconds;
    if (w == "updates") {
      const double seconds = std::chrono::duration<double>(end - start_).count();
      json.field("seconds", seconds)
          .field("window", options_.window)
          .field("updates_per_s", static_cast<double>(options_.n) / seconds)
          .field("cpu_s", cpu)
          .field("cpu_s_per_100k", cpu * 100000.0 / static_cast<double>(options_.n))
          .field("peak_rss_kib", static_cast<int64_t>(after.peakRssKiB));
    } else if (w == "latency") {
      json.field("p50_us", percentile(rtts_, 0.50))
          .field("p99_us", percentile(rtts_, 0.99))
          .field("p999_us", percentile(rtts_, 0.999))
          .field("max_us", percentile(rtts_, 1.0));
    } else if (w == "offers") {
      json.field("ms", std::chrono::duration<double, std::milli>(end - start_).count())
          .field("body_bytes", static_cast<int64_t>(bodies_[0].size()))
          .field("peak_rss_kib", static_cast<int64_t>(after.peakRssKiB))
          .field("cpu_s", cpu);
    } else if (w == "reconcile") {
      json.field("ms", std::chrono::duration<double, std::milli>(end - start_).count())
          .field("cpu_s", cpu);
    } else {
      json.field("rss_kib", static_cast<int64_t>(after.rssKiB))
          .field("rss_anon_kib", static_cast<int64_t>(after.anonRssKiB))
          .field("rss_file_kib", static_cast<int64_t>(after.fileRssKiB))
          .field("peak_rss_kib", static_cast<int64_t>(after.peakRssKiB))
          .field("idle_cpu_s", cpu);
    }
    std::cout << json.str() << std::endl;
    finish(0);
  }

  bool sample(bench::ProcSample* out) {
    std::string error;
    if (subject_->sample(out, &error)) return true;
    finish(fail(error));
    return false;
  }

  void send(const std::string& name, const std::string& body) {
    auto sent = transport_->send(selfText_, framework_, name, body);
    if (sent.isError()) protocolError("send failed: " + sent.error());
  }

  // One framed event on the v1 subject's stream.
  void sendEvent(const std::string& framed) {
    if (!stream_->write(framed)) protocolError("the subject's event stream is closed");
  }

  std::string progress() const {
    return "registered=" + std::string(registered_ ? "yes" : "no") +
           " sent=" + std::to_string(nextToSend_) + " acked=" + std::to_string(ackedCount_) +
           " declined=" + std::to_string(declinedCount_);
  }

  void protocolError(const std::string& what) { finish(fail(what)); }

  int fail(const std::string& why) {
    std::cout << JsonLine()
                     .field("subject", options_.subject)
                     .field("workload", options_.workload)
                     .field("n", options_.n)
                     .field("error", why)
                     .str()
              << std::endl;
    return 1;
  }

  void finish(int code) {
    if (done_) return;
    done_ = true;
    exitCode_ = code;
    deadline_.cancel();
    settle_.cancel();
    // The subject first, so a v1 subject does not see its stream cut.
    if (subject_) subject_->stop();
    if (stream_) stream_->abort();
    stdout_.close();
    transport_->stop();
    io_.stop();
  }

  asio::io_context& io_;
  Options options_;
  std::unique_ptr<Transport> transport_;
  std::string selfText_;
  std::string agentPid_;
  mesos::MasterInfo master_;
  std::unique_ptr<bench::SubjectProcess> subject_;
  asio::steady_timer deadline_;
  asio::steady_timer settle_;
  asio::posix::stream_descriptor stdout_;
  asio::streambuf lines_;

  UPID framework_;  // The empty UPID for a v1 HTTP subject.
  bool http_ = false;  // The subject subscribed through the v1 HTTP API.
  std::shared_ptr<ResponseStream> stream_;
  static constexpr const char* kStreamId = "5e1b6c0a-7d2f-4c59-9a4e-0b3c8f1d2e47";
  bool registered_ = false;
  int64_t subscribeRetries_ = 0;  // SUBSCRIBEs of a v1 subject after the first.
  bool done_ = false;
  int exitCode_ = 1;
  bench::ProcSample before_;
  Clock::time_point start_{};  // The workload's start; for reconcile, the request's receipt.

  std::vector<std::string> bodies_;
  std::vector<bool> acked_;
  std::vector<Clock::time_point> sentAt_;
  std::vector<double> rtts_;
  int64_t nextToSend_ = 0;
  int64_t ackedCount_ = 0;
  std::vector<bool> declined_;
  int64_t declinedCount_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  google::InitGoogleLogging(argv[0]);
  FLAGS_logtostderr = true;
  FLAGS_minloglevel = google::GLOG_WARNING;
  signal(SIGPIPE, SIG_IGN);
  std::optional<Options> options = parseOptions(argc, argv);
  if (!options) return 2;
  asio::io_context io;
  LoadMaster master(io, std::move(*options));
  return master.run();
}
