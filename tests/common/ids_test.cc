#include "services/common/ids.h"

#include <set>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace clinicd {
namespace {

constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

TEST(NewResourceIdTest, Has26CharactersOfTheAlphabet) {
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewResourceId();
    ASSERT_EQ(id.size(), 26u) << id;
    EXPECT_EQ(id.find_first_not_of(kAlphabet), std::string::npos) << id;
  }
}

TEST(NewResourceIdTest, StartsWithTheMillisecondsInBase32) {
  EXPECT_EQ(NewResourceId(absl::UnixEpoch()).substr(0, 10), "0000000000");
  EXPECT_EQ(NewResourceId(absl::FromUnixMillis(1)).substr(0, 10), "0000000001");
  EXPECT_EQ(NewResourceId(absl::FromUnixMillis(32)).substr(0, 10),
            "0000000010");
  // 2024-01-01T00:00:00Z = 1704067200000 ms.
  EXPECT_EQ(NewResourceId(absl::FromUnixMillis(1704067200000)).substr(0, 10),
            "01hk153x00");
}

TEST(NewResourceIdTest, IdsOneMillisecondApartSort) {
  // Includes times whose next millisecond carries into higher characters.
  const int64_t starts[] = {
      0, 31, 1023, 1704067200000 - 1, 1704067200031, (int64_t{1} << 40) - 1};
  for (int64_t millis : starts) {
    for (int i = 0; i < 50; ++i) {
      const std::string earlier = NewResourceId(absl::FromUnixMillis(millis));
      const std::string later = NewResourceId(absl::FromUnixMillis(millis + 1));
      EXPECT_LT(earlier, later) << "at " << millis << " ms";
    }
  }
}

TEST(NewResourceIdTest, UniqueOverTenThousand) {
  std::set<std::string> ids;
  const absl::Time now = absl::Now();
  for (int i = 0; i < 10000; ++i) ids.insert(NewResourceId(now));
  EXPECT_EQ(ids.size(), 10000u);
}

// ids.h promises "ids sort by creation time and keyset pagination by id
// lists oldest first"; ids made one after another in the same millisecond
// must therefore sort in the order they were made.
TEST(NewResourceIdTest, SuccessiveIdsSortInCreationOrder) {
  std::vector<std::string> ids;
  for (int i = 0; i < 200; ++i) ids.push_back(NewResourceId());
  int out_of_order = 0;
  for (size_t i = 1; i < ids.size(); ++i) out_of_order += ids[i - 1] >= ids[i];
  EXPECT_EQ(out_of_order, 0) << "of " << ids.size() << " successive ids";
}

}  // namespace
}  // namespace clinicd
