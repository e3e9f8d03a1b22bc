#include "services/server/reflection_v1_service.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <vector>

#include "absl/strings/str_cat.h"

namespace clinicd::server {
namespace {

namespace v1 = grpc::reflection::v1;
using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

// Adds `file` and every file it imports that this stream has not sent yet,
// imports first, as reflection clients expect to build their pool in order.
void AddFileWithImports(const FileDescriptor* file, std::set<std::string>& sent,
                        v1::FileDescriptorResponse* response) {
  if (!sent.insert(file->name()).second) return;
  for (int i = 0; i < file->dependency_count(); ++i) {
    AddFileWithImports(file->dependency(i), sent, response);
  }
  google::protobuf::FileDescriptorProto proto;
  file->CopyTo(&proto);
  response->add_file_descriptor_proto(proto.SerializeAsString());
}

void NotFound(v1::ServerReflectionResponse& response, const std::string& what) {
  v1::ErrorResponse* error = response.mutable_error_response();
  error->set_error_code(static_cast<int>(grpc::StatusCode::NOT_FOUND));
  error->set_error_message(absl::StrCat(what, " not found"));
}

}  // namespace

ReflectionV1Service::ReflectionV1Service(std::set<std::string> services)
    : services_(std::move(services)) {}

grpc::Status ReflectionV1Service::ServerReflectionInfo(
    grpc::ServerContext*,
    grpc::ServerReaderWriter<v1::ServerReflectionResponse, v1::ServerReflectionRequest>* stream) {
  const DescriptorPool& pool = *DescriptorPool::generated_pool();
  // A file already sent on this stream is not sent again (the protocol
  // allows it and it keeps answers small).
  std::set<std::string> sent;
  v1::ServerReflectionRequest request;
  while (stream->Read(&request)) {
    v1::ServerReflectionResponse response;
    response.set_valid_host(request.host());
    *response.mutable_original_request() = request;
    // An answer for a file always carries it, even if sent before.
    auto answer_file = [&](const FileDescriptor* file) {
      sent.erase(file->name());
      AddFileWithImports(file, sent, response.mutable_file_descriptor_response());
    };
    switch (request.message_request_case()) {
      case v1::ServerReflectionRequest::kFileByFilename:
        if (const FileDescriptor* file = pool.FindFileByName(request.file_by_filename())) {
          answer_file(file);
        } else {
          NotFound(response, absl::StrCat("file ", request.file_by_filename()));
        }
        break;
      case v1::ServerReflectionRequest::kFileContainingSymbol:
        if (const FileDescriptor* file =
                pool.FindFileContainingSymbol(request.file_containing_symbol())) {
          answer_file(file);
        } else {
          NotFound(response, absl::StrCat("symbol ", request.file_containing_symbol()));
        }
        break;
      case v1::ServerReflectionRequest::kFileContainingExtension: {
        const Descriptor* type =
            pool.FindMessageTypeByName(request.file_containing_extension().containing_type());
        const FieldDescriptor* extension =
            type == nullptr ? nullptr
                            : pool.FindExtensionByNumber(
                                  type, request.file_containing_extension().extension_number());
        if (extension != nullptr) {
          answer_file(extension->file());
        } else {
          NotFound(response, "extension");
        }
        break;
      }
      case v1::ServerReflectionRequest::kAllExtensionNumbersOfType: {
        const Descriptor* type = pool.FindMessageTypeByName(request.all_extension_numbers_of_type());
        if (type == nullptr) {
          NotFound(response, absl::StrCat("type ", request.all_extension_numbers_of_type()));
          break;
        }
        std::vector<const FieldDescriptor*> extensions;
        pool.FindAllExtensions(type, &extensions);
        v1::ExtensionNumberResponse* numbers = response.mutable_all_extension_numbers_response();
        numbers->set_base_type_name(type->full_name());
        for (const FieldDescriptor* extension : extensions) {
          numbers->add_extension_number(extension->number());
        }
        break;
      }
      case v1::ServerReflectionRequest::kListServices:
        for (const std::string& name : services_) {
          response.mutable_list_services_response()->add_service()->set_name(name);
        }
        break;
      default: {
        v1::ErrorResponse* error = response.mutable_error_response();
        error->set_error_code(static_cast<int>(grpc::StatusCode::UNIMPLEMENTED));
        error->set_error_message("unknown reflection request");
      }
    }
    if (!stream->Write(response)) break;
  }
  return grpc::Status::OK;
}

}  // namespace clinicd::server
