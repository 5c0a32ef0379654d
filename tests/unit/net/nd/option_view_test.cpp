#include "net/nd/option_view.hpp"

#include <gtest/gtest.h>

#include "nd_test_vectors.hpp"

namespace sixgate::net::nd {
namespace {

using test::from_hex;

TEST(NdOptionList, WalksEachOptionWithItsTypeAndWholeLength) {
    const auto bytes = from_hex(std::string(test::hex::kSlla) + std::string(test::hex::kRdnss) +
                                std::string(test::hex::kPref64Of96));
    auto list = NdOptionList::parse(bytes);
    ASSERT_TRUE(list);
    std::vector<std::pair<int, std::size_t>> seen;
    for (const NdOptionView option : *list) seen.emplace_back(option.type(), option.size());
    EXPECT_EQ(seen, (std::vector<std::pair<int, std::size_t>>{{1, 8}, {25, 40}, {38, 16}}));
}

TEST(NdOptionList, AcceptsNoOptions) {
    auto list = NdOptionList::parse({});
    ASSERT_TRUE(list);
    EXPECT_TRUE(list->empty());
    EXPECT_EQ(list->begin(), list->end());
}

TEST(NdOptionList, RejectsAnOptionOfLengthZero) {
    // RFC 4861 6.1: Length 0 anywhere invalidates the message, even after a good option.
    EXPECT_EQ(NdOptionList::parse(from_hex("0100000000000000")).reason(),
              NdDropReason::zero_length_option);
    EXPECT_EQ(NdOptionList::parse(from_hex(std::string(test::hex::kMtu) + "fe00")).reason(),
              NdDropReason::zero_length_option);
}

TEST(NdOptionList, RejectsAnOptionRunningPastTheEnd) {
    EXPECT_EQ(NdOptionList::parse(from_hex("0502000000000000")).reason(),
              NdDropReason::option_overflows);
    EXPECT_EQ(NdOptionList::parse(from_hex(std::string(test::hex::kMtu) + "05")).reason(),
              NdDropReason::option_overflows);  // a lone type byte with no Length
    EXPECT_EQ(NdOptionList::parse(from_hex("0501000000000000"
                                           "19ff"))
                  .reason(),
              NdDropReason::option_overflows);
}

}  // namespace
}  // namespace sixgate::net::nd
