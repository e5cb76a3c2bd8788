#include "engine/projection/projection.h"

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "Eigen/Dense"
#include "gtest/gtest.h"

namespace syndex {
namespace {

// Normalizes `v` in place to unit length.
void Normalize(SparseVector* v) {
  double norm2 = 0;
  for (float x : v->values) norm2 += double{x} * x;
  for (float& x : v->values) x = static_cast<float>(x / std::sqrt(norm2));
}

double Cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += double{a[i]} * b[i];
    na += double{a[i]} * a[i];
    nb += double{b[i]} * b[i];
  }
  return dot / std::sqrt(na * nb);
}

// A corpus of `topics` planted topics: each document draws most of its terms
// from its topic's private terms and a few from shared background terms.
struct Corpus {
  std::vector<SparseVector> docs;
  std::vector<int> topic;
  std::vector<uint32_t> df;
};

Corpus PlantedTopics(int topics, int docs_per_topic, uint64_t seed) {
  constexpr int kTermsPerTopic = 40;
  constexpr int kBackground = 60;
  const int vocabulary = topics * kTermsPerTopic + kBackground;
  Corpus c;
  c.df.assign(vocabulary, 0);
  SplitMix64 rng(seed);
  for (int t = 0; t < topics; ++t) {
    for (int d = 0; d < docs_per_topic; ++d) {
      std::vector<float> counts(vocabulary, 0.0f);
      for (int i = 0; i < 20; ++i) {
        counts[t * kTermsPerTopic + rng.Next() % kTermsPerTopic] += 1;
      }
      for (int i = 0; i < 10; ++i) {
        counts[topics * kTermsPerTopic + rng.Next() % kBackground] += 1;
      }
      SparseVector v;
      for (int id = 0; id < vocabulary; ++id) {
        if (counts[id] == 0) continue;
        v.ids.push_back(id);
        v.values.push_back(1 + std::log(counts[id]));
        ++c.df[id];
      }
      Normalize(&v);
      c.docs.push_back(v);
      c.topic.push_back(t);
    }
  }
  return c;
}

std::vector<float> ProjectToVector(const Projection& p, const SparseVector& x) {
  std::vector<float> out(p.dims());
  p.Project(x, out.data());
  return out;
}

std::string Bytes(const Projection& p) {
  std::string bytes;
  ByteWriter writer(&bytes);
  p.AppendTo(&writer);
  return bytes;
}

// The basis of `p` (rows x dims) and its term rows, read back from the
// documented serialized layout.
struct Basis {
  std::vector<int32_t> row_of_term;
  Eigen::MatrixXd v;
};

Basis ReadBasis(const Projection& p) {
  const std::string bytes = Bytes(p);
  ByteReader reader(bytes, "projection");
  uint32_t dims = 0, cols = 0;
  std::vector<float> flat;
  Basis b;
  EXPECT_TRUE(reader.U32(&dims).ok());
  EXPECT_TRUE(reader.U32(&cols).ok());
  EXPECT_TRUE(reader.Array(&b.row_of_term).ok());
  EXPECT_TRUE(reader.Array(&flat).ok());
  EXPECT_LE(cols, dims);
  if (cols == 0 || cols > dims) return b;
  // The stored columns; the others are zero.
  const size_t rows = flat.size() / cols;
  b.v = Eigen::MatrixXd::Zero(rows, dims);
  for (size_t r = 0; r < rows; ++r) {
    for (uint32_t c = 0; c < cols; ++c) b.v(r, c) = flat[r * cols + c];
  }
  return b;
}

TEST(ProjectionTest, SameTopicDocumentsAreCloser) {
  const Corpus c = PlantedTopics(/*topics=*/6, /*docs_per_topic=*/40, 7);
  ProjectionOptions options;
  options.dims = 12;
  auto p = Projection::Train(c.docs, c.df, options);
  ASSERT_TRUE(p.ok()) << p.status();
  std::vector<std::vector<float>> dense;
  for (const SparseVector& x : c.docs) dense.push_back(ProjectToVector(*p, x));

  double same = 0, cross = 0;
  int same_n = 0, cross_n = 0, best_is_same = 0;
  for (size_t i = 0; i < dense.size(); ++i) {
    double best = -2;
    int best_topic = -1;
    for (size_t j = 0; j < dense.size(); ++j) {
      if (i == j) continue;
      const double cos = Cosine(dense[i], dense[j]);
      if (c.topic[i] == c.topic[j]) {
        same += cos;
        ++same_n;
      } else {
        cross += cos;
        ++cross_n;
      }
      if (cos > best) {
        best = cos;
        best_topic = c.topic[j];
      }
    }
    best_is_same += best_topic == c.topic[i];
  }
  same /= same_n;
  cross /= cross_n;
  EXPECT_GT(same, cross + 0.5) << "same " << same << " cross " << cross;
  EXPECT_EQ(best_is_same, static_cast<int>(dense.size()));
}

TEST(ProjectionTest, BatchGivesIdenticalVectors) {
  const Corpus c = PlantedTopics(/*topics=*/5, /*docs_per_topic=*/30, 9);
  ProjectionOptions options;
  options.dims = 16;
  options.max_terms = 150;  // Some terms are not projected.
  auto p = Projection::Train(c.docs, c.df, options);
  ASSERT_TRUE(p.ok()) << p.status();
  std::vector<SparseVector> batch = c.docs;
  batch.push_back(SparseVector());                    // Nothing to project.
  batch.push_back(SparseVector{{1u << 30}, {1.0f}});  // Unknown term.
  std::vector<float> out(batch.size() * p->dims(), -1.0f);
  p->ProjectBatch(batch, out.data());
  for (size_t i = 0; i < batch.size(); ++i) {
    const std::vector<float> one = ProjectToVector(*p, batch[i]);
    EXPECT_TRUE(std::equal(one.begin(), one.end(), &out[i * p->dims()])) << i;
  }
}

TEST(ProjectionTest, MatchesExactTruncatedSvd) {
  // A = U diag(s) W^T + noise, 80 documents x 50 terms, with a clear gap
  // after the 5th singular value.
  constexpr int kDocs = 80, kTerms = 50, kRank = 5;
  SplitMix64 rng(99);
  auto uniform = [&] { return rng.NextDouble() * 2 - 1; };
  Eigen::MatrixXd u(kDocs, kRank), w(kTerms, kRank);
  for (int i = 0; i < u.size(); ++i) u.data()[i] = uniform();
  for (int i = 0; i < w.size(); ++i) w.data()[i] = uniform();
  const Eigen::VectorXd s =
      (Eigen::VectorXd(kRank) << 10, 8, 6, 4, 3).finished();
  Eigen::MatrixXd a = u.householderQr().householderQ() *
                      Eigen::MatrixXd::Identity(kDocs, kRank) * s.asDiagonal() *
                      (w.householderQr().householderQ() *
                       Eigen::MatrixXd::Identity(kTerms, kRank))
                          .transpose();
  for (int i = 0; i < a.size(); ++i) a.data()[i] += 0.01 * uniform();

  std::vector<SparseVector> sample(kDocs);
  for (int d = 0; d < kDocs; ++d) {
    for (int t = 0; t < kTerms; ++t) {
      sample[d].ids.push_back(t);
      sample[d].values.push_back(static_cast<float>(a(d, t)));
    }
  }
  ProjectionOptions options;
  options.dims = kRank;
  options.oversample = 5;
  auto p = Projection::Train(sample, std::vector<uint32_t>(kTerms, 1), options);
  ASSERT_TRUE(p.ok()) << p.status();

  Eigen::JacobiSVD<Eigen::MatrixXd> exact(a, Eigen::ComputeThinV);
  const Eigen::MatrixXd vk = exact.matrixV().leftCols(kRank);
  const Basis b = ReadBasis(*p);
  ASSERT_EQ(b.v.rows(), kTerms);
  Eigen::MatrixXd v(kTerms, kRank);
  for (int t = 0; t < kTerms; ++t) v.row(t) = b.v.row(b.row_of_term[t]);
  // Orthonormal columns spanning the exact top singular subspace.
  EXPECT_LT(
      (v.transpose() * v - Eigen::MatrixXd::Identity(kRank, kRank)).norm(),
      1e-4);
  EXPECT_LT((v * v.transpose() - vk * vk.transpose()).norm(), 1e-3);

  // Projected rows agree with the exact rank-k coordinates a V_k up to a
  // rotation, so their cosines agree.
  for (int i = 0; i < kDocs; i += 7) {
    for (int j = i + 1; j < kDocs; j += 5) {
      const Eigen::VectorXd ei = (a.row(i) * vk).transpose().normalized();
      const Eigen::VectorXd ej = (a.row(j) * vk).transpose().normalized();
      const double got = Cosine(ProjectToVector(*p, sample[i]),
                                ProjectToVector(*p, sample[j]));
      EXPECT_NEAR(got, ei.dot(ej), 1e-3) << i << " " << j;
    }
  }
}

TEST(ProjectionTest, LowRankSampleLeavesZeroDimensions) {
  std::vector<SparseVector> sample = {{{0, 1}, {0.6f, 0.8f}},
                                      {{1, 2}, {0.8f, 0.6f}}};
  ProjectionOptions options;
  options.dims = 6;
  auto p = Projection::Train(sample, {2, 2, 2}, options);
  ASSERT_TRUE(p.ok()) << p.status();
  const std::vector<float> out = ProjectToVector(*p, sample[0]);
  double norm2 = 0;
  for (float x : out) norm2 += double{x} * x;
  EXPECT_NEAR(norm2, 1.0, 1e-5);
  for (int c = 2; c < 6; ++c) EXPECT_EQ(out[c], 0.0f);
}

TEST(ProjectionTest, OnlyFrequentTermsAreProjected) {
  const Corpus c = PlantedTopics(3, 10, 5);
  std::vector<uint32_t> df = c.df;
  ProjectionOptions options;
  options.dims = 4;
  options.max_terms = 20;
  auto p = Projection::Train(c.docs, df, options);
  ASSERT_TRUE(p.ok()) << p.status();
  const Basis b = ReadBasis(*p);
  EXPECT_EQ(b.v.rows(), 20);
  // Any projected term has df at least that of any term left out.
  uint32_t min_in = ~0u, max_out = 0;
  for (size_t t = 0; t < df.size(); ++t) {
    if (df[t] == 0) continue;
    if (b.row_of_term[t] >= 0) {
      min_in = std::min(min_in, df[t]);
    } else {
      max_out = std::max(max_out, df[t]);
    }
  }
  EXPECT_GE(min_in, max_out);
  // A vector of one unprojected term projects to zeros; unknown ids too.
  for (size_t t = 0; t < df.size(); ++t) {
    if (b.row_of_term[t] >= 0) continue;
    const SparseVector x{{static_cast<uint32_t>(t), 100000u}, {1.0f, 1.0f}};
    for (float v : ProjectToVector(*p, x)) EXPECT_EQ(v, 0.0f);
    break;
  }
}

TEST(ProjectionTest, InvalidInputIsAnError) {
  ProjectionOptions options;
  EXPECT_EQ(Projection::Train({}, {1}, options).status().code(),
            absl::StatusCode::kInvalidArgument);
  const std::vector<SparseVector> sample = {{{5}, {1.0f}}};
  EXPECT_EQ(Projection::Train(sample, {1, 1}, options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.dims = 0;
  EXPECT_EQ(Projection::Train(sample, std::vector<uint32_t>(6, 1), options)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ProjectionTest, SameSeedGivesIdenticalBytes) {
  const Corpus c = PlantedTopics(4, 30, 11);
  ProjectionOptions options;
  options.dims = 8;
  options.threads = 1;
  auto a = Projection::Train(c.docs, c.df, options);
  options.threads = 2;
  auto b = Projection::Train(c.docs, c.df, options);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Bytes(*a), Bytes(*b));
  options.seed += 1;
  auto other = Projection::Train(c.docs, c.df, options);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(Bytes(*a), Bytes(*other));
}

TEST(ProjectionTest, SerializationRoundTrip) {
  const Corpus c = PlantedTopics(3, 20, 3);
  ProjectionOptions options;
  options.dims = 5;
  auto p = Projection::Train(c.docs, c.df, options);
  ASSERT_TRUE(p.ok());
  const std::string bytes = Bytes(*p);
  ByteReader reader(bytes, "projection");
  Projection back;
  ASSERT_TRUE(Projection::ReadFrom(&reader, &back).ok());
  EXPECT_EQ(reader.remaining(), 0u);
  EXPECT_EQ(back.dims(), 5);
  EXPECT_EQ(Bytes(back), bytes);
  for (const SparseVector& x : c.docs) {
    EXPECT_EQ(ProjectToVector(back, x), ProjectToVector(*p, x));
  }
}

TEST(ProjectionTest, TruncatedOrCorruptDataIsAnError) {
  const Corpus c = PlantedTopics(2, 10, 3);
  ProjectionOptions options;
  options.dims = 3;
  auto p = Projection::Train(c.docs, c.df, options);
  ASSERT_TRUE(p.ok());
  const std::string bytes = Bytes(*p);
  for (size_t len = 0; len < bytes.size(); len += 3) {
    ByteReader reader(absl::string_view(bytes).substr(0, len), "projection");
    Projection back;
    EXPECT_EQ(Projection::ReadFrom(&reader, &back).code(),
              absl::StatusCode::kDataLoss)
        << "length " << len;
  }
  // Two terms mapped to the same row.
  std::string corrupt;
  ByteWriter writer(&corrupt);
  writer.U32(2);
  writer.U32(2);
  writer.Array(std::vector<int32_t>{0, 0});
  writer.Array(std::vector<float>{1, 0, 0, 1});
  ByteReader reader(corrupt, "projection");
  Projection back;
  EXPECT_EQ(Projection::ReadFrom(&reader, &back).code(),
            absl::StatusCode::kDataLoss);
  // More stored columns than dimensions.
  std::string wide;
  ByteWriter wide_writer(&wide);
  wide_writer.U32(1);
  wide_writer.U32(2);
  wide_writer.Array(std::vector<int32_t>{0});
  wide_writer.Array(std::vector<float>{1, 0});
  ByteReader wide_reader(wide, "projection");
  EXPECT_EQ(Projection::ReadFrom(&wide_reader, &back).code(),
            absl::StatusCode::kDataLoss);
}

// A sample of fewer documents than dimensions has rank below dims: the
// zero columns past it are not stored, and reading restores them, so the
// projection read back projects bit for bit as the one written.
TEST(ProjectionTest, ZeroColumnsPastTheRankAreNotStored) {
  const Corpus c = PlantedTopics(2, 3, 5);  // 6 documents.
  ProjectionOptions options;
  options.dims = 64;
  auto p = Projection::Train(c.docs, c.df, options);
  ASSERT_TRUE(p.ok());
  const std::string bytes = Bytes(*p);
  size_t rows = 0;
  for (uint32_t df : c.df) rows += df > 0;
  // At most 6 of the 64 columns of each row are stored.
  EXPECT_LE(bytes.size(), 8 + 8 + 4 * c.df.size() + 8 + rows * 6 * 4);
  ByteReader reader(bytes, "projection");
  Projection back;
  ASSERT_TRUE(Projection::ReadFrom(&reader, &back).ok());
  EXPECT_EQ(back.dims(), 64);
  EXPECT_EQ(Bytes(back), bytes);
  for (const SparseVector& x : c.docs) {
    const std::vector<float> a = ProjectToVector(back, x);
    const std::vector<float> b = ProjectToVector(*p, x);
    ASSERT_EQ(a.size(), 64u);
    EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.size() * sizeof(float)));
  }
}

}  // namespace
}  // namespace syndex
