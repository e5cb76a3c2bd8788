#include "engine/tfidf/tfidf.h"

#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

std::vector<absl::string_view> Tokens(const std::vector<std::string>& words) {
  return std::vector<absl::string_view>(words.begin(), words.end());
}

TEST(TfIdfTest, DotMergesSortedIds) {
  SparseVector a{{1, 3, 7}, {1.0f, 2.0f, 3.0f}};
  SparseVector b{{0, 3, 7, 9}, {5.0f, 4.0f, 0.5f, 1.0f}};
  EXPECT_FLOAT_EQ(Dot(a, b), 2.0f * 4.0f + 3.0f * 0.5f);
  EXPECT_FLOAT_EQ(Dot(b, a), Dot(a, b));
  EXPECT_FLOAT_EQ(Dot(a, SparseVector{}), 0.0f);
}

TEST(TfIdfTest, WeightsMatchHandComputation) {
  Vocabulary v;
  const std::vector<std::string> d1 = {"a", "b", "a", "c"};
  const std::vector<std::string> d2 = {"a", "b"};
  const std::vector<std::string> d3 = {"a", "d"};
  const TermCounts c1 = v.Count(Tokens(d1), /*grow=*/true);
  v.AddDocument(c1);
  v.AddDocument(v.Count(Tokens(d2), true));
  v.AddDocument(v.Count(Tokens(d3), true));
  ASSERT_EQ(v.num_docs(), 3u);
  ASSERT_EQ(v.df(v.Find("a")), 3u);
  ASSERT_EQ(v.df(v.Find("b")), 2u);
  ASSERT_EQ(v.df(v.Find("c")), 1u);

  // N = 3: idf(a) = ln(4/4) + 1 = 1, idf(b) = ln(4/3) + 1; c has df 1 < 2.
  const double wa = (1 + std::log(2.0)) * 1.0;
  const double wb = 1.0 * (std::log(4.0 / 3.0) + 1);
  const double norm = std::sqrt(wa * wa + wb * wb);
  const SparseVector w = v.Weigh(c1);
  ASSERT_EQ(w.ids, (std::vector<uint32_t>{v.Find("a"), v.Find("b")}));
  EXPECT_NEAR(w.values[0], wa / norm, 1e-6);
  EXPECT_NEAR(w.values[1], wb / norm, 1e-6);
  EXPECT_NEAR(Dot(w, w), 1.0, 1e-6);

  // With min_df 1, c is weighed too: idf(c) = ln(4/2) + 1.
  const SparseVector all = v.Weigh(c1, /*min_df=*/1);
  ASSERT_EQ(all.size(), 3u);
  const double wc = std::log(2.0) + 1;
  const double norm_all = std::sqrt(wa * wa + wb * wb + wc * wc);
  EXPECT_NEAR(all.values[2], wc / norm_all, 1e-6);

  // In place, from 16-bit counts: Weigh's values, and 0 for the rare c.
  const std::vector<uint16_t> counts16(c1.counts.begin(), c1.counts.end());
  std::vector<float> in_place(c1.ids.size(), -1.0f);
  v.WeighInPlace(c1.ids.data(), counts16.data(), c1.ids.size(), 2,
                 in_place.data());
  EXPECT_EQ(in_place, (std::vector<float>{w.values[0], w.values[1], 0.0f}));
  const SparseVector kept =
      NonZeros({c1.ids.data(), in_place.data(), in_place.size()});
  EXPECT_EQ(kept.ids, w.ids);
  EXPECT_EQ(kept.values, w.values);
  EXPECT_EQ(Dot(View(kept), {c1.ids.data(), in_place.data(), in_place.size()}),
            Dot(w, w));

  // The tables give the same values.
  std::vector<float> tabled(c1.ids.size(), -1.0f);
  WeightTables(v, 2, 2).WeighInPlace(c1.ids.data(), counts16.data(),
                                     c1.ids.size(), tabled.data());
  EXPECT_EQ(tabled, in_place);
}

TEST(TfIdfTest, SparseLookupFindsEveryValue) {
  SparseVector v;
  for (uint32_t id = 5; id < 5000; id += 7) {
    v.ids.push_back(id);
    v.values.push_back(static_cast<float>(id) * 0.5f);
  }
  const SparseLookup lookup(View(v));
  for (uint32_t id = 0; id < 5100; ++id) {
    const bool held = id >= 5 && id < 5000 && (id - 5) % 7 == 0;
    EXPECT_EQ(lookup.Find(id), held ? static_cast<float>(id) * 0.5f : 0.0f)
        << id;
  }
  EXPECT_EQ(SparseLookup(SparseView()).Find(0), 0.0f);
}

// WeightTables::Dot against Dot(q, NonZeros(WeighInPlace)), bit for bit,
// over random documents, with terms below min_df and ids beyond the
// vocabulary.
TEST(TfIdfTest, TablesDotEqualsDotOfWeights) {
  Vocabulary v;
  std::vector<std::string> words;
  for (int i = 0; i < 3000; ++i) words.push_back(absl::StrCat("w", i));
  uint64_t state = 12345;
  auto next = [&state](uint64_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % bound;
  };
  // A skewed draw, so that frequencies and counts vary.
  auto document = [&] {
    std::vector<std::string> d;
    const size_t length = 1 + next(400);
    for (size_t i = 0; i < length; ++i) {
      d.push_back(words[next(1 + next(words.size()))]);
    }
    return v.Count(Tokens(d), /*grow=*/true);
  };
  std::vector<TermCounts> docs;
  for (int i = 0; i < 200; ++i) {
    docs.push_back(document());
    v.AddDocument(docs.back());
  }
  const WeightTables tables(v, 2, 2);
  auto weights = [&](const TermCounts& c, std::vector<uint16_t>* counts16) {
    counts16->assign(c.counts.begin(), c.counts.end());
    std::vector<float> w(c.ids.size());
    tables.WeighInPlace(c.ids.data(), counts16->data(), w.size(), w.data());
    return NonZeros({c.ids.data(), w.data(), w.size()});
  };
  int nonzero = 0;
  for (int i = 0; i < 50; ++i) {
    std::vector<uint16_t> counts16;
    const SparseVector q = weights(docs[next(docs.size())], &counts16);
    const SparseLookup lookup(View(q));
    for (int j = 0; j < 20; ++j) {
      TermCounts d = docs[next(docs.size())];
      d.ids.push_back(v.size() + 10);  // Unknown to the tables.
      d.counts.push_back(3);
      const SparseVector w = weights(d, &counts16);
      const float dot =
          tables.Dot(lookup, d.ids.data(), counts16.data(), d.ids.size());
      EXPECT_EQ(dot, Dot(q, w));
      nonzero += dot != 0;
    }
  }
  EXPECT_GT(nonzero, 900);
}

TEST(TfIdfTest, WeighOfOnlyRareTermsIsEmpty) {
  Vocabulary v;
  const std::vector<std::string> d = {"x", "y"};
  const TermCounts c = v.Count(Tokens(d), true);
  v.AddDocument(c);
  EXPECT_EQ(v.Weigh(c).size(), 0u);
}

TEST(VocabularyTest, IdsInInsertionOrder) {
  Vocabulary v;
  EXPECT_EQ(v.Find("x"), Vocabulary::kUnknown);
  EXPECT_EQ(v.FindOrAdd("x"), 0u);
  EXPECT_EQ(v.FindOrAdd("y"), 1u);
  EXPECT_EQ(v.FindOrAdd("x"), 0u);
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(v.term(1), "y");
  EXPECT_EQ(v.df(0), 0u);
}

TEST(VocabularyTest, CountSumsRepeatsSortedById) {
  Vocabulary v;
  v.FindOrAdd("z");  // id 0
  const std::vector<std::string> d = {"b", "z", "b", "a", "b"};
  const TermCounts c = v.Count(Tokens(d), /*grow=*/true);
  // ids: z=0, b=1, a=2.
  EXPECT_EQ(c.ids, (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_EQ(c.counts, (std::vector<uint32_t>{1, 3, 1}));
}

TEST(VocabularyTest, FrozenCountingDropsUnknownTerms) {
  Vocabulary v;
  const std::vector<std::string> known = {"a", "b"};
  v.Count(Tokens(known), true);
  const std::vector<std::string> d = {"b", "new", "a", "b", "other"};
  const TermCounts frozen = v.Count(Tokens(d), /*grow=*/false);
  EXPECT_EQ(frozen.ids, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(frozen.counts, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(v.size(), 2u);
  const TermCounts same = v.CountFrozen(Tokens(d));
  EXPECT_EQ(same.ids, frozen.ids);
  EXPECT_EQ(same.counts, frozen.counts);

  const TermCounts grown = v.Count(Tokens(d), /*grow=*/true);
  EXPECT_EQ(v.size(), 4u);
  EXPECT_EQ(grown.ids, (std::vector<uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(grown.counts, (std::vector<uint32_t>{1, 2, 1, 1}));
}

// Enough terms for the id table to grow many times; every term keeps its
// id, and absent terms stay unknown.
TEST(VocabularyTest, ManyTermsKeepTheirIds) {
  Vocabulary v;
  constexpr uint32_t kTerms = 200000;
  for (uint32_t i = 0; i < kTerms; ++i) {
    ASSERT_EQ(v.FindOrAdd(absl::StrCat("t", i)), i);
  }
  EXPECT_EQ(v.size(), kTerms);
  for (uint32_t i = 0; i < kTerms; i += 7) {
    ASSERT_EQ(v.Find(absl::StrCat("t", i)), i);
    ASSERT_EQ(v.FindOrAdd(absl::StrCat("t", i)), i);
    ASSERT_EQ(v.Find(absl::StrCat("u", i)), Vocabulary::kUnknown);
  }
  EXPECT_EQ(v.size(), kTerms);
}

TEST(VocabularyTest, LookupThenCompleteEqualsCount) {
  const std::vector<std::vector<std::string>> docs = {
      {"b", "z", "b", "a", "b"},
      {"new", "a", "q", "new", "z", "r"},
      {"r", "q", "s", "b"}};
  Vocabulary counted, split;
  counted.FindOrAdd("z");
  split.FindOrAdd("z");
  // All documents looked up first, as Index::Add does in parallel, against
  // the vocabulary before any of them: later documents' lookups miss the
  // terms earlier ones add, and Complete must still assign the same ids.
  std::vector<std::vector<absl::string_view>> tokens;
  std::vector<Vocabulary::Pending> pending;
  for (const auto& d : docs) {
    tokens.push_back(Tokens(d));
    pending.push_back(split.Lookup(tokens.back()));
  }
  for (size_t i = 0; i < docs.size(); ++i) {
    const TermCounts a = counted.Count(tokens[i], /*grow=*/true);
    const TermCounts b = split.Complete(std::move(pending[i]));
    EXPECT_EQ(a.ids, b.ids) << i;
    EXPECT_EQ(a.counts, b.counts) << i;
  }
  ASSERT_EQ(counted.size(), split.size());
  for (uint32_t t = 0; t < counted.size(); ++t) {
    EXPECT_EQ(counted.term(t), split.term(t));
  }
  EXPECT_EQ(split.size(), 7u);  // z b a new q r s
}

TEST(VocabularyTest, RemoveDocumentUndoesAdd) {
  Vocabulary v;
  const std::vector<std::string> d1 = {"a", "b"};
  const std::vector<std::string> d2 = {"a", "c", "c"};
  const TermCounts c1 = v.Count(Tokens(d1), true);
  const TermCounts c2 = v.Count(Tokens(d2), true);
  v.AddDocument(c1);
  v.AddDocument(c2);
  v.RemoveDocument(c2);
  EXPECT_EQ(v.num_docs(), 1u);
  EXPECT_EQ(v.df(v.Find("a")), 1u);
  EXPECT_EQ(v.df(v.Find("b")), 1u);
  EXPECT_EQ(v.df(v.Find("c")), 0u);
  // Terms keep their ids after removal.
  EXPECT_EQ(v.Find("c"), 2u);
}

Vocabulary SmallVocabulary() {
  Vocabulary v;
  const std::vector<std::string> d1 = {"alpha", "beta", "gamma", "alpha"};
  const std::vector<std::string> d2 = {"beta", "delta", ""};
  v.AddDocument(v.Count(Tokens(d1), true));
  v.AddDocument(v.Count(Tokens(d2), true));
  return v;
}

// `v` written and read back; fails the test on a read error.
Vocabulary RoundTrip(const Vocabulary& v) {
  std::string bytes;
  ByteWriter writer(&bytes);
  v.AppendTo(&writer);
  ByteReader reader(bytes, "vocabulary");
  Vocabulary back;
  EXPECT_TRUE(Vocabulary::ReadFrom(&reader, &back).ok());
  EXPECT_EQ(reader.remaining(), 0u);
  return back;
}

TEST(VocabularyTest, SerializationRoundTrip) {
  const Vocabulary v = SmallVocabulary();
  const Vocabulary back = RoundTrip(v);
  ASSERT_EQ(back.size(), v.size());
  EXPECT_EQ(back.num_docs(), v.num_docs());
  for (uint32_t id = 0; id < v.size(); ++id) {
    EXPECT_EQ(back.term(id), v.term(id));
    EXPECT_EQ(back.df(id), v.df(id));
    EXPECT_EQ(back.Find(v.term(id)), id);  // the lookup map is rebuilt
  }
  const std::vector<std::string> d = {"gamma", "beta", "beta"};
  const SparseVector a = v.Weigh(v.CountFrozen(Tokens(d)), 1);
  const SparseVector b = back.Weigh(back.CountFrozen(Tokens(d)), 1);
  EXPECT_EQ(a.ids, b.ids);
  EXPECT_EQ(a.values, b.values);
}

TEST(VocabularyTest, TruncatedDataIsAnError) {
  const Vocabulary v = SmallVocabulary();
  std::string bytes;
  ByteWriter writer(&bytes);
  v.AppendTo(&writer);
  for (size_t len = 0; len < bytes.size(); ++len) {
    ByteReader reader(absl::string_view(bytes).substr(0, len), "vocabulary");
    Vocabulary back;
    const absl::Status st = Vocabulary::ReadFrom(&reader, &back);
    EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << "length " << len;
  }
}

// Only corrupt data repeats a term (the file checksums catch accidental
// corruption); the term -> id table, built on first lookup, keeps the first.
TEST(VocabularyTest, RepeatedTermsKeepTheFirstId) {
  std::string bytes;
  ByteWriter writer(&bytes);
  writer.U64(1);  // num_docs
  writer.U64(2);  // terms
  writer.String("same");
  writer.String("same");
  writer.Array(std::vector<uint32_t>{1, 1});
  ByteReader reader(bytes, "vocabulary");
  Vocabulary back;
  ASSERT_TRUE(Vocabulary::ReadFrom(&reader, &back).ok());
  EXPECT_EQ(back.size(), 2u);
  EXPECT_EQ(back.Find("same"), 0u);
  EXPECT_EQ(back.FindOrAdd("new"), 2u);
  EXPECT_EQ(back.Find("new"), 2u);
}

TEST(VocabularyTest, LookupsWorkAfterReadingAndMoving) {
  Vocabulary v;
  v.FindOrAdd("alpha");
  v.FindOrAdd("beta");
  Vocabulary back = RoundTrip(v);
  Vocabulary moved = std::move(back);
  EXPECT_EQ(moved.Find("beta"), 1u);
  EXPECT_EQ(moved.Find("gamma"), Vocabulary::kUnknown);
  EXPECT_EQ(moved.FindOrAdd("gamma"), 2u);
}

TEST(VocabularyTest, DocumentFrequencyAboveCountIsAnError) {
  std::string bytes;
  ByteWriter writer(&bytes);
  writer.U64(1);
  writer.U64(1);
  writer.String("t");
  writer.Array(std::vector<uint32_t>{2});
  ByteReader reader(bytes, "vocabulary");
  Vocabulary back;
  EXPECT_EQ(Vocabulary::ReadFrom(&reader, &back).code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace syndex
