// TreatmentCatalogService over a real server started with the bundled
// plugins and one broken library dropped into its plugin directory.

#include "clinic/v1/treatment_catalog_service.grpc.pb.h"
#include "tests/integration/rpc_test_base.h"

namespace clinicd::testing {
namespace {

class CatalogTest : public RpcTest {
 protected:
  void SetUp() override {
    server_.AddPlugin(ClinicdProcess::PluginFixture("wrong_abi.so"));
    RpcTest::SetUp();
    if (HasFatalFailure()) return;
    catalog_ = clinic::v1::TreatmentCatalogService::NewStub(server_.channel());
  }

  std::unique_ptr<clinic::v1::TreatmentCatalogService::Stub> catalog_;
};

TEST_F(CatalogTest, BrokenPluginIsListedAsRefusedAndTheOthersServe) {
  clinic::v1::ListPluginsResponse response;
  grpc::Status status = catalog_->ListPlugins(AuthedContext(admin_key_).get(),
                                              clinic::v1::ListPluginsRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.plugins_size(), 3);
  std::map<std::string, clinic::v1::Plugin> by_name;
  for (const auto& plugin : response.plugins()) by_name[plugin.name()] = plugin;
  EXPECT_EQ(by_name["plugins/microneedling"].state(), clinic::v1::PLUGIN_STATE_LOADED);
  EXPECT_EQ(by_name["plugins/microneedling"].version(), "1.0.0");
  EXPECT_EQ(by_name["plugins/maintenance_recall"].state(), clinic::v1::PLUGIN_STATE_LOADED);
  const clinic::v1::Plugin& refused = by_name["plugins/wrong_abi"];
  EXPECT_EQ(refused.state(), clinic::v1::PLUGIN_STATE_REFUSED);
  EXPECT_EQ(refused.refusal_reason(),
            "ABI version 2, expected 1 (rebuild the plugin against this clinicd's plugin_abi.h)");
  EXPECT_NE(server_.Log().find("wrong_abi.so refused: ABI version 2, expected 1"),
            std::string::npos);
}

TEST_F(CatalogTest, TreatmentTypesCarryTheirFullProtocol) {
  clinic::v1::ListTreatmentTypesResponse list;
  ASSERT_TRUE(catalog_->ListTreatmentTypes(AuthedContext(admin_key_).get(),
                                           clinic::v1::ListTreatmentTypesRequest(), &list).ok());
  ASSERT_EQ(list.treatment_types_size(), 1);
  const clinic::v1::TreatmentType& type = list.treatment_types(0);
  EXPECT_EQ(type.name(), "treatmentTypes/microneedling");
  EXPECT_EQ(type.plugin(), "plugins/microneedling");
  EXPECT_FALSE(type.screening_rules().empty());
  EXPECT_FALSE(type.aftercare().empty());
  EXPECT_FALSE(type.consent_form().text().empty());

  clinic::v1::GetTreatmentTypeRequest get;
  get.set_name("treatmentTypes/microneedling");
  clinic::v1::TreatmentType fetched;
  ASSERT_TRUE(catalog_->GetTreatmentType(AuthedContext(admin_key_).get(), get, &fetched).ok());
  EXPECT_EQ(fetched.SerializeAsString(), type.SerializeAsString());

  get.set_name("treatmentTypes/laser_resurfacing");
  grpc::Status status = catalog_->GetTreatmentType(AuthedContext(admin_key_).get(), get, &fetched);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  clinic::v1::ListRecallPoliciesResponse policies;
  ASSERT_TRUE(catalog_->ListRecallPolicies(AuthedContext(admin_key_).get(),
                                           clinic::v1::ListRecallPoliciesRequest(), &policies)
                  .ok());
  ASSERT_EQ(policies.recall_policies_size(), 1);
  EXPECT_EQ(policies.recall_policies(0).name(), type.recall_policy());
}

TEST_F(CatalogTest, PluginListPaginates) {
  clinic::v1::ListPluginsRequest request;
  request.set_page_size(2);
  clinic::v1::ListPluginsResponse first;
  ASSERT_TRUE(catalog_->ListPlugins(AuthedContext(admin_key_).get(), request, &first).ok());
  EXPECT_EQ(first.plugins_size(), 2);
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  clinic::v1::ListPluginsResponse second;
  ASSERT_TRUE(catalog_->ListPlugins(AuthedContext(admin_key_).get(), request, &second).ok());
  ASSERT_EQ(second.plugins_size(), 1);
  EXPECT_TRUE(second.next_page_token().empty());
  EXPECT_NE(second.plugins(0).file(), first.plugins(1).file());
}

}  // namespace
}  // namespace clinicd::testing
