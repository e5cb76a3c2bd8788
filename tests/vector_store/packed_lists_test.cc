#include "engine/vector_store/packed_lists.h"

#include <cstdint>
#include <vector>

#include "faiss/impl/FaissException.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

using idx_t = PackedLists::idx_t;
constexpr size_t kCodeSize = 3;

// Three lists of 2, 0 and 3 entries; entry j of list l has id 10 l + j and
// code bytes 10 l + j, 10 l + j + 1, 10 l + j + 2.
PackedLists MakeLists() {
  PackedLists lists(kCodeSize, {2, 0, 3});
  for (size_t l = 0; l < 3; ++l) {
    for (size_t j = 0; j < lists.list_size(l); ++j) {
      lists.mutable_ids(l)[j] = static_cast<idx_t>(10 * l + j);
      for (size_t b = 0; b < kCodeSize; ++b) {
        lists.mutable_codes(l)[j * kCodeSize + b] =
            static_cast<uint8_t>(10 * l + j + b);
      }
    }
  }
  return lists;
}

std::vector<idx_t> Ids(const PackedLists& lists, size_t l) {
  return std::vector<idx_t>(lists.get_ids(l),
                            lists.get_ids(l) + lists.list_size(l));
}

std::vector<uint8_t> Codes(const PackedLists& lists, size_t l) {
  return std::vector<uint8_t>(
      lists.get_codes(l), lists.get_codes(l) + lists.list_size(l) * kCodeSize);
}

TEST(PackedListsTest, HoldsWhatWasFilledIn) {
  const PackedLists lists = MakeLists();
  EXPECT_EQ(lists.nlist, 3u);
  EXPECT_EQ(lists.list_size(1), 0u);
  EXPECT_EQ(Ids(lists, 0), (std::vector<idx_t>{0, 1}));
  EXPECT_EQ(Ids(lists, 2), (std::vector<idx_t>{20, 21, 22}));
  EXPECT_EQ(Codes(lists, 2),
            (std::vector<uint8_t>{20, 21, 22, 21, 22, 23, 22, 23, 24}));
}

TEST(PackedListsTest, ChangedListsKeepTheirEntriesAndOthersStay) {
  PackedLists lists = MakeLists();
  const idx_t added_ids[] = {7, 8};
  const uint8_t added_codes[] = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(lists.add_entries(0, 2, added_ids, added_codes), 2u);
  EXPECT_EQ(Ids(lists, 0), (std::vector<idx_t>{0, 1, 7, 8}));
  EXPECT_EQ(Codes(lists, 0),
            (std::vector<uint8_t>{0, 1, 2, 1, 2, 3, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(lists.add_entry(1, 9, added_codes), 0u);
  EXPECT_EQ(Ids(lists, 1), (std::vector<idx_t>{9}));

  const idx_t new_id = 99;
  const uint8_t new_code[] = {9, 9, 9};
  lists.update_entries(2, 1, 1, &new_id, new_code);
  EXPECT_EQ(Ids(lists, 2), (std::vector<idx_t>{20, 99, 22}));
  EXPECT_EQ(Codes(lists, 2),
            (std::vector<uint8_t>{20, 21, 22, 9, 9, 9, 22, 23, 24}));
  EXPECT_THROW(lists.update_entries(2, 3, 1, &new_id, new_code),
               faiss::FaissException);
}

TEST(PackedListsTest, ResizeKeepsThePrefix) {
  PackedLists lists = MakeLists();
  lists.resize(2, 1);
  EXPECT_EQ(Ids(lists, 2), (std::vector<idx_t>{20}));
  EXPECT_EQ(Codes(lists, 2), (std::vector<uint8_t>{20, 21, 22}));
  lists.reset();
  for (size_t l = 0; l < 3; ++l) EXPECT_EQ(lists.list_size(l), 0u) << l;
}

}  // namespace
}  // namespace syndex
