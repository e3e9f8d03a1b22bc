// Linked into every fuzzer: protobuf logs each invalid UTF-8 string it
// parses, thousands of lines a second under fuzzing, which buries findings
// and slows the run. A CHECK failure still throws with its message.

#include <google/protobuf/stubs/logging.h>

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}
