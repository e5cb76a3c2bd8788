#include "engine/tfidf/key_terms.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace syndex {
namespace {

TEST(TopTermsTest, LargestFirstTiesToTheSmallerId) {
  const std::vector<uint32_t> ids = {3, 5, 8, 9, 12, 20};
  const std::vector<float> weights = {0.5f, 0.9f, 0.0f, 0.5f, 0.1f, 0.7f};
  std::vector<uint32_t> out(3);
  TopTerms(ids.data(), weights.data(), ids.size(), 3, out.data());
  EXPECT_EQ(out, (std::vector<uint32_t>{5, 20, 3}));
  // Zero weights are never key terms; missing ones are padded.
  out.assign(7, 0);
  TopTerms(ids.data(), weights.data(), ids.size(), 7, out.data());
  EXPECT_EQ(out, (std::vector<uint32_t>{5, 20, 3, 9, 12, kNoKeyTerm,
                                        kNoKeyTerm}));
  TopTerms(ids.data(), weights.data(), 0, 2, out.data());
  EXPECT_EQ(out[0], kNoKeyTerm);
  EXPECT_EQ(out[1], kNoKeyTerm);
}

TEST(TopTermsTest, AgreesWithAFullSort) {
  std::vector<uint32_t> ids;
  std::vector<float> weights;
  uint64_t state = 7;
  for (uint32_t id = 0; id < 500; ++id) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    ids.push_back(id * 3);
    weights.push_back(static_cast<float>((state >> 40) % 50));  // Many ties.
  }
  std::vector<std::pair<float, uint32_t>> sorted;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (weights[i] > 0) sorted.emplace_back(-weights[i], ids[i]);
  }
  std::sort(sorted.begin(), sorted.end());
  std::vector<uint32_t> out(16);
  TopTerms(ids.data(), weights.data(), ids.size(), 16, out.data());
  for (int j = 0; j < 16; ++j) EXPECT_EQ(out[j], sorted[j].second) << j;
}

// Documents 0-5 with two key terms each, out of terms 0-9.
class KeyTermIndexTest : public ::testing::Test {
 protected:
  static constexpr uint32_t kNo = kNoKeyTerm;
  KeyTermIndex index_{{1, 2,    //
                       1, 2,    //
                       2, 3,    //
                       1, 3,    //
                       4, kNo,  //
                       1, 2},
                      2, 10};

  std::vector<uint32_t> Query(std::vector<uint32_t> keys, int min_shared,
                              size_t max_docs, size_t limit) const {
    keys.resize(index_.m(), kNoKeyTerm);
    std::vector<uint32_t> out = {99};  // Appended to, not replaced.
    index_.Query(keys.data(), min_shared, max_docs, limit, &out);
    return out;
  }
};

TEST_F(KeyTermIndexTest, MostSharedFirstThenSmallerId) {
  EXPECT_EQ(Query({1, 2}, 1, 100, 100),
            (std::vector<uint32_t>{99, 0, 1, 5, 2, 3}));
  EXPECT_EQ(Query({1, 2}, 2, 100, 100), (std::vector<uint32_t>{99, 0, 1, 5}));
  EXPECT_EQ(Query({2, 3}, 1, 100, 2), (std::vector<uint32_t>{99, 2, 0}));
  EXPECT_EQ(Query({4}, 1, 100, 100), (std::vector<uint32_t>{99, 4}));
}

TEST_F(KeyTermIndexTest, PassesOverCommonAndUnknownTerms) {
  // Term 1 keys four documents, term 3 two.
  EXPECT_EQ(Query({1, 3}, 1, 3, 100), (std::vector<uint32_t>{99, 2, 3}));
  EXPECT_EQ(Query({9, 12}, 1, 100, 100), (std::vector<uint32_t>{99}));
  EXPECT_EQ(Query({kNoKeyTerm}, 1, 100, 100), (std::vector<uint32_t>{99}));
  EXPECT_EQ(Query({1, 2}, 3, 100, 100), (std::vector<uint32_t>{99}));
}

}  // namespace
}  // namespace syndex

namespace syndex {
namespace {

TEST(KeyTermIndexAppendTest, RebuildKeepsTermsOfEarlierAppends) {
  // 16 documents of terms below 10; then one of term 50, held aside, and
  // two of term 20, whose append folds all three into the lists.
  std::vector<uint32_t> keys;
  for (uint32_t doc = 0; doc < 16; ++doc) keys.push_back(doc % 10);
  KeyTermIndex index(keys, 1, 10);
  const uint32_t first[] = {50};
  index.Append(first, 1);
  const uint32_t second[] = {20, 20};
  index.Append(second, 2);
  ASSERT_EQ(index.size(), 19u);
  std::vector<uint32_t> out;
  const uint32_t q50[] = {50};
  index.Query(q50, 1, 100, 10, &out);
  EXPECT_EQ(out, (std::vector<uint32_t>{16}));
  out.clear();
  const uint32_t q20[] = {20};
  index.Query(q20, 1, 100, 10, &out);
  EXPECT_EQ(out, (std::vector<uint32_t>{17, 18}));
}

TEST(KeyTermIndexAppendTest, AgreesWithAFreshBuild) {
  const int m = 3;
  const uint32_t terms = 40;
  std::vector<uint32_t> keys;
  uint64_t state = 3;
  for (int doc = 0; doc < 2000; ++doc) {
    for (int j = 0; j < m; ++j) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      const uint32_t t = static_cast<uint32_t>((state >> 33) % (terms + 5));
      keys.push_back(t >= terms ? kNoKeyTerm : t);
    }
  }
  // From the first 50 documents, which know only terms below 20 (later
  // documents bring new terms, as new articles bring new vocabulary), then
  // appended in batches of 1 to 97.
  std::vector<uint32_t> first(keys.begin(), keys.begin() + 50 * m);
  for (uint32_t& t : first) {
    if (t >= 20) t = kNoKeyTerm;
  }
  std::copy(first.begin(), first.end(), keys.begin());
  const KeyTermIndex fresh_again(keys, m, terms);
  KeyTermIndex grown(first, m, 20);
  for (size_t doc = 50, batch = 1; doc < 2000; doc += batch,
              batch = batch * 5 % 97 + 1) {
    const size_t count = std::min<size_t>(batch, 2000 - doc);
    grown.Append(&keys[doc * m], count);
  }
  ASSERT_EQ(grown.size(), 2000u);
  for (uint32_t a = 0; a < terms; ++a) {
    for (uint32_t b = a; b < terms; b += 3) {
      const uint32_t query[m] = {a, b, kNoKeyTerm};
      for (size_t max_docs : {size_t{60}, size_t{2000}}) {
        std::vector<uint32_t> x, y;
        fresh_again.Query(query, 1, max_docs, 30, &x);
        grown.Query(query, 1, max_docs, 30, &y);
        ASSERT_EQ(x, y) << a << " " << b << " " << max_docs;
      }
    }
  }
}

}  // namespace
}  // namespace syndex
