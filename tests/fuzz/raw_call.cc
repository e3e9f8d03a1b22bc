#include "tests/fuzz/raw_call.h"

#include <grpcpp/generic/generic_stub.h>

#include <chrono>

#include "tests/fuzz/fuzz_seed_data.h"

namespace clinicd::fuzz {
namespace {

grpc::ByteBuffer ToByteBuffer(const std::string& body) {
  grpc::Slice slice(body);
  return grpc::ByteBuffer(&slice, 1);
}

// Waits for the one operation in flight on `queue`; false when it failed
// (e.g. the stream ended), which the final status then explains.
bool Await(grpc::CompletionQueue& queue) {
  void* tag = nullptr;
  bool ok = false;
  return queue.Next(&tag, &ok) && ok;
}

// Shuts `queue` down and takes what is left in it, as gRPC requires before
// the queue is destroyed.
void DrainAndClose(grpc::CompletionQueue& queue) {
  queue.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue.Next(&tag, &ok)) {
  }
}

grpc::Status CallUnary(grpc::GenericStub& stub, const RpcMethod& method,
                       const grpc::ByteBuffer& request, const std::string& key) {
  std::unique_ptr<grpc::ClientContext> context = ContextWithKey(key);
  grpc::CompletionQueue queue;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> call =
      stub.PrepareUnaryCall(context.get(), method.path, request, &queue);
  call->StartCall();
  grpc::ByteBuffer response;
  grpc::Status status;
  call->Finish(&response, &status, nullptr);
  Await(queue);
  DrainAndClose(queue);
  return status;
}

grpc::Status CallServerStreaming(grpc::GenericStub& stub, const RpcMethod& method,
                                 const grpc::ByteBuffer& request, const std::string& key) {
  std::unique_ptr<grpc::ClientContext> context = ContextWithKey(key);
  // A stream that was admitted waits for events; a short deadline ends it.
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
  grpc::CompletionQueue queue;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(context.get(), method.path, &queue);
  call->StartCall(nullptr);
  if (Await(queue)) {
    call->Write(request, nullptr);
    if (Await(queue)) {
      call->WritesDone(nullptr);
      if (Await(queue)) {
        grpc::ByteBuffer response;
        call->Read(&response, nullptr);
        Await(queue);
      }
    }
  }
  grpc::Status status;
  call->Finish(&status, nullptr);
  Await(queue);
  DrainAndClose(queue);
  return status;
}

}  // namespace

grpc::Status CallRaw(const std::shared_ptr<grpc::Channel>& channel, const RpcMethod& method,
                     const std::string& body, const std::string& key) {
  grpc::GenericStub stub(channel);
  const grpc::ByteBuffer request = ToByteBuffer(body);
  return method.server_streaming ? CallServerStreaming(stub, method, request, key)
                                 : CallUnary(stub, method, request, key);
}

}  // namespace clinicd::fuzz
