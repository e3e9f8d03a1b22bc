#include "clients/reminder_worker/webhook_signature.h"

#include <string>

#include "gtest/gtest.h"

namespace clinicd::reminder_worker {
namespace {

// RFC 4231 section 4.2, test case 1.
TEST(HmacSha256HexTest, MatchesRfc4231Case1) {
  EXPECT_EQ(HmacSha256Hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

// RFC 4231 section 4.3, test case 2: a key shorter than the output.
TEST(HmacSha256HexTest, MatchesRfc4231Case2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// RFC 4231 section 4.7, test case 6: a key longer than the block is hashed first.
TEST(HmacSha256HexTest, MatchesRfc4231Case6) {
  EXPECT_EQ(HmacSha256Hex(std::string(131, '\xaa'),
                          "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(SignatureHeaderValueTest, SignsTimestampDotBody) {
  // Python: hmac.new(secret, b'1700000000.{"name":"n"}', sha256).hexdigest()
  EXPECT_EQ(SignatureHeaderValue("whsec-0123456789abcdef", 1700000000, R"({"name":"n"})"),
            "t=1700000000,v1=981cce0a854335e5af2c1cfd5dafb43213ad78d9fa7e96e20e037560478c43b5");
}

TEST(SignatureHeaderValueTest, ChangesWithTimeBodyAndSecret) {
  const std::string base = SignatureHeaderValue("secret-0123456789", 1700000000, "{}");
  EXPECT_NE(SignatureHeaderValue("secret-0123456789", 1700000001, "{}").substr(16),
            base.substr(16));
  EXPECT_NE(SignatureHeaderValue("secret-0123456789", 1700000000, "{ }"), base);
  EXPECT_NE(SignatureHeaderValue("secret-0123456780", 1700000000, "{}"), base);
}

}  // namespace
}  // namespace clinicd::reminder_worker
