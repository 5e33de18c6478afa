// Micro benchmarks of the hot-path pieces of the libprocess wire: outbound
// encoding, inbound decoding (Beast parser + routing), UPID parsing, and the
// protobuf parse of a 10,000-offer ResourceOffersMessage, and the handoff from
// the I/O thread to the callback thread.
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DMESOS_BUILD_BENCH=ON
//   ninja -C build-bench codec_bench && build-bench/bench/codec_bench

#include <atomic>
#include <thread>

#include <benchmark/benchmark.h>
#include <messages/messages.pb.h>

#include "process/decoder.hpp"
#include "process/encoder.hpp"
#include "process/route.hpp"
#include "process/upid.hpp"
#include "sched/callback_queue.hpp"
#include "workload_messages.hpp"

namespace {

using namespace mesos::internal::process;

const UPID kMaster("master", 0x7f000001, 5050);
const std::string kFrom = "scheduler-3f0c1d2e-8a41-4c6e-9b1e-1b2f0f8e3a77@127.0.0.1:41321";

std::string statusUpdateBody() {
  return bench::agentStatusUpdate(12345, 7, "slave(1)@127.0.0.1:5051").SerializeAsString();
}

void BM_EncodeStatusUpdate(benchmark::State& state) {
  const std::string body = statusUpdateBody();
  std::string out;
  for (auto _ : state) {
    out.clear();
    appendMessage(out, kFrom, kMaster, "mesos.internal.StatusUpdateMessage", body);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeStatusUpdate);

// Decodes 100 pipelined messages per iteration, as they arrive on a busy link.
void BM_DecodePipelined(benchmark::State& state) {
  const std::string body = statusUpdateBody();
  std::string stream;
  for (int i = 0; i < 100; ++i) {
    appendMessage(stream, kFrom, kMaster, "mesos.internal.StatusUpdateMessage", body);
  }
  std::vector<HttpRequest> requests;
  for (auto _ : state) {
    RequestDecoder decoder;
    requests.clear();
    decoder.feed(stream.data(), stream.size(), requests);
    for (const HttpRequest& request : requests) benchmark::DoNotOptimize(routeRequest(request));
  }
  state.SetItemsProcessed(state.iterations() * 100);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(stream.size()));
}
BENCHMARK(BM_DecodePipelined);

void BM_ParseUpid(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(UPID::parse(kFrom, UPID::Resolve::kNumericOnly));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseUpid);

void BM_ParseTenThousandOffers(benchmark::State& state) {
  const mesos::internal::ResourceOffersMessage message =
      bench::offers(10000, "slave(", ")@127.0.0.1:5051");
  const std::string body = message.SerializeAsString();
  for (auto _ : state) {
    mesos::internal::ResourceOffersMessage parsed;
    benchmark::DoNotOptimize(parsed.ParseFromString(body));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_ParseTenThousandOffers)->Unit(benchmark::kMillisecond);

// The one thread hop of the inbound hot path: the I/O thread queues a callback,
// the callback thread runs it. 1,000 handoffs per iteration, from push to run.
void BM_CallbackQueueHandoff(benchmark::State& state) {
  mesos::internal::sched::CallbackQueue queue;
  std::atomic<int64_t> ran{0};
  int64_t pushed = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i) {
      queue.push([&ran] { ran.fetch_add(1, std::memory_order_release); });
    }
    pushed += 1000;
    while (ran.load(std::memory_order_acquire) < pushed) std::this_thread::yield();
  }
  state.SetItemsProcessed(pushed);
}
BENCHMARK(BM_CallbackQueueHandoff)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
