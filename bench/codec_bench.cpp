// Micro benchmarks of the hot-path pieces of the libprocess wire: outbound
// encoding, inbound decoding (Beast parser + routing), UPID parsing, and the
// protobuf parse of a 10,000-offer ResourceOffersMessage.
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DMESOS_BUILD_BENCH=ON
//   ninja -C build-bench codec_bench && build-bench/bench/codec_bench

#include <benchmark/benchmark.h>
#include <messages/messages.pb.h>

#include "process/decoder.hpp"
#include "process/encoder.hpp"
#include "process/route.hpp"
#include "process/upid.hpp"

namespace {

using namespace mesos::internal::process;

const UPID kMaster("master", 0x7f000001, 5050);
const std::string kFrom = "scheduler-3f0c1d2e-8a41-4c6e-9b1e-1b2f0f8e3a77@127.0.0.1:41321";

std::string statusUpdateBody() {
  mesos::internal::StatusUpdateMessage message;
  auto* update = message.mutable_update();
  update->mutable_framework_id()->set_value("67f5bb78-7b54-4fb2-9218-f1ece620ca5a-0000");
  update->mutable_slave_id()->set_value("67f5bb78-7b54-4fb2-9218-f1ece620ca5a-S0");
  update->set_timestamp(1700000000.25);
  update->set_uuid(std::string(16, 'u'));
  auto* status = update->mutable_status();
  status->mutable_task_id()->set_value("task-12345");
  status->set_state(mesos::TASK_RUNNING);
  status->set_uuid(std::string(16, 'u'));
  message.set_pid("slave(1)@127.0.0.1:5051");
  return message.SerializeAsString();
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
  mesos::internal::ResourceOffersMessage message;
  for (int i = 0; i < 10000; ++i) {
    mesos::Offer* offer = message.add_offers();
    offer->mutable_id()->set_value("67f5bb78-7b54-4fb2-9218-f1ece620ca5a-O" + std::to_string(i));
    offer->mutable_framework_id()->set_value("67f5bb78-7b54-4fb2-9218-f1ece620ca5a-0000");
    offer->mutable_slave_id()->set_value("67f5bb78-7b54-4fb2-9218-f1ece620ca5a-S" + std::to_string(i));
    offer->set_hostname("agent-" + std::to_string(i));
    for (const char* name : {"cpus", "mem", "disk"}) {
      mesos::Resource* r = offer->add_resources();
      r->set_name(name);
      r->set_type(mesos::Value::SCALAR);
      r->mutable_scalar()->set_value(4);
    }
    mesos::Resource* ports = offer->add_resources();
    ports->set_name("ports");
    ports->set_type(mesos::Value::RANGES);
    auto* range = ports->mutable_ranges()->add_range();
    range->set_begin(31000);
    range->set_end(32000);
    for (int a = 0; a < 3; ++a) {
      mesos::Attribute* attribute = offer->add_attributes();
      attribute->set_name("attr" + std::to_string(a));
      attribute->set_type(mesos::Value::TEXT);
      attribute->mutable_text()->set_value("value");
    }
    message.add_pids("slave(1)@127.0.0.1:5051");
  }
  const std::string body = message.SerializeAsString();
  for (auto _ : state) {
    mesos::internal::ResourceOffersMessage parsed;
    benchmark::DoNotOptimize(parsed.ParseFromString(body));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_ParseTenThousandOffers)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
