// The syndex Python module: the engine's public API (engine/syndex.h) for
// Python, and the steps of the distributed job (scale_out.cc). A thin
// layer: it converts arguments and results, releases the GIL around the
// engine's work, and raises syndex.Error with the engine's message.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/output/json.h"
#include "engine/syndex.h"
#include "python/convert.h"

namespace syndex::python {
namespace {

// An index with a lock: queries share it, changes take it alone (Index's
// thread-safety contract, engine/syndex.h).
class PyIndex {
 public:
  explicit PyIndex(std::unique_ptr<Index> index) : index_(std::move(index)) {}

  static std::unique_ptr<PyIndex> Create(const std::string& path,
                                         bool overwrite, int threads,
                                         int nprobe, const py::kwargs& kwargs) {
    const IndexParams params = ParamsFromKwargs(kwargs);
    py::gil_scoped_release release;
    return std::make_unique<PyIndex>(Value(
        Index::Create(path, params, overwrite, Options(threads, nprobe))));
  }

  static std::unique_ptr<PyIndex> Open(const std::string& path, bool write,
                                       int threads, int nprobe) {
    py::gil_scoped_release release;
    return std::make_unique<PyIndex>(
        Value(Index::Open(path, write, Options(threads, nprobe))));
  }

  py::dict Add(const py::iterable& articles, bool skip_bad, size_t batch_size,
               bool commit) {
    py::iterator it = py::iter(articles);
    int64_t number = 0;
    // The Python error that stopped the source, raised after Add.
    std::unique_ptr<py::error_already_set> python_error;
    ArticleSource next = [&](Article* a) -> absl::StatusOr<bool> {
      py::gil_scoped_acquire gil;
      try {
        if (it == py::iterator::sentinel()) return false;
        *a = ArticleFromDict(*it, absl::StrCat("article ", ++number));
        ++it;
        return true;
      } catch (py::error_already_set& e) {
        python_error = std::make_unique<py::error_already_set>(std::move(e));
      } catch (py::builtin_exception& e) {
        e.set_error();
        python_error = std::make_unique<py::error_already_set>();
      }
      return absl::CancelledError("stopped by a Python error");
    };
    AddOptions options;
    options.skip_bad = skip_bad;
    options.batch_size = batch_size;
    AddReport report;
    absl::Status st;
    {
      py::gil_scoped_release release;
      std::unique_lock lock(mu_);
      st = Get().Add(next, options, &report);
      if (st.ok() && commit) st = Get().Commit();
    }
    if (!st.ok()) Discard();
    if (python_error != nullptr) throw std::move(*python_error);
    Check(st);
    py::dict out;
    out["added"] = report.added;
    out["skipped"] = report.skipped;
    out["refreshed_projection"] = report.refreshed_projection;
    return out;
  }

  py::list Query(const py::object& id, const py::object& text, int k,
                 const py::kwargs& kwargs) {
    if (id.is_none() == text.is_none()) {
      throw py::value_error("query: give exactly one of id= and text=");
    }
    py::dict rest(kwargs);
    QueryOptions options;
    options.k = k;
    options.relations = RelationsFromKwargs(&rest);
    Article article;
    if (!text.is_none()) {
      py::dict fields;
      for (const char* f : {"title", "source", "url", "published"}) {
        if (rest.contains(f)) {
          fields[f] = rest[f];
          PyDict_DelItemString(rest.ptr(), f);
        }
      }
      fields["id"] =
          rest.contains("query_id") ? rest["query_id"] : py::str("query");
      if (rest.contains("query_id"))
        PyDict_DelItemString(rest.ptr(), "query_id");
      fields["text"] = text;
      article = ArticleFromDict(fields, "query");
    }
    if (rest.contains("candidates")) {
      options.dense_candidates = rest["candidates"].cast<int>();
      PyDict_DelItemString(rest.ptr(), "candidates");
    }
    if (rest.contains("key_term_candidates")) {
      options.key_term_candidates = rest["key_term_candidates"].cast<int>();
      PyDict_DelItemString(rest.ptr(), "key_term_candidates");
    }
    if (rest.contains("exhaustive")) {
      options.exhaustive = rest["exhaustive"].cast<bool>();
      PyDict_DelItemString(rest.ptr(), "exhaustive");
    }
    RejectUnknown(rest, "query");
    const std::string query_id =
        id.is_none() ? article.id : py::str(id).cast<std::string>();
    std::string lines;
    {
      py::gil_scoped_release release;
      std::shared_lock lock(mu_);
      absl::StatusOr<std::vector<Match>> matches =
          text.is_none() ? Get().QueryId(query_id, options)
                         : Get().QueryArticle(article, options);
      if (matches.ok()) lines = MatchLines(query_id, *matches);
      py::gil_scoped_acquire gil;
      Check(matches.status());
    }
    return ParseLines(lines);
  }

  py::list Cluster(bool copies, const py::kwargs& kwargs) {
    py::dict rest(kwargs);
    ClusterOptions options;
    options.relations = RelationsFromKwargs(&rest);
    auto take = [&](const char* name, auto* out) {
      if (!rest.contains(name)) return;
      *out = rest[name].cast<std::remove_pointer_t<decltype(out)>>();
      PyDict_DelItemString(rest.ptr(), name);
    };
    take("neighbours", &options.neighbours);
    take("story_threshold", &options.story_threshold);
    take("min_edge_strength", &options.min_edge_strength);
    take("lsh_copies_only", &options.lsh_copies_only);
    RejectUnknown(rest, "cluster");
    std::string lines;
    {
      py::gil_scoped_release release;
      std::shared_lock lock(mu_);
      absl::StatusOr<std::vector<ClusterEntry>> entries =
          Get().Cluster(options);
      if (entries.ok()) {
        lines =
            copies ? CopyLines(Get(), *entries) : ClusterLines(Get(), *entries);
      }
      py::gil_scoped_acquire gil;
      Check(entries.status());
    }
    return ParseLines(lines);
  }

  py::object Explain(const std::string& a, const std::string& b,
                     const py::object& text_a, const py::object& text_b) {
    ExplainOptions options;
    Article article_a, article_b;
    if (!text_a.is_none() && !text_b.is_none()) {
      article_a = ArticleFromDict(text_a, "text_a");
      article_b = ArticleFromDict(text_b, "text_b");
      options.text_a = &article_a;
      options.text_b = &article_b;
    }
    std::string line;
    {
      py::gil_scoped_release release;
      std::shared_lock lock(mu_);
      absl::StatusOr<Explanation> e = Get().Explain(a, b, options);
      if (e.ok()) line = ExplanationLine(*e);
      py::gil_scoped_acquire gil;
      Check(e.status());
    }
    return ParseLines(line)[0];
  }

  py::object Stats() {
    std::string line;
    {
      py::gil_scoped_release release;
      std::shared_lock lock(mu_);
      line = StatsLine(Get().Stats());
    }
    return ParseLines(line)[0];
  }

  void Remove(const std::vector<std::string>& ids, bool commit) {
    py::gil_scoped_release release;
    std::unique_lock lock(mu_);
    absl::Status st = Get().Remove(ids);
    if (st.ok() && commit) st = Get().Commit();
    if (!st.ok()) index_.reset();
    py::gil_scoped_acquire gil;
    if (!st.ok()) failed_ = true;
    Check(st);
  }

  void Commit() {
    py::gil_scoped_release release;
    std::unique_lock lock(mu_);
    const absl::Status st = Get().Commit();
    if (!st.ok()) index_.reset();
    py::gil_scoped_acquire gil;
    if (!st.ok()) failed_ = true;
    Check(st);
  }

  py::dict Features(const py::iterable& articles) {
    const std::vector<Article> list = Articles(articles);
    std::vector<CopyFeatures> features(list.size());
    {
      py::gil_scoped_release release;
      std::shared_lock lock(mu_);
      for (size_t i = 0; i < list.size(); ++i) {
        features[i] = Get().Features(list[i]);
      }
    }
    return FeatureArrays(features, Get().params().num_perm,
                         Get().params().char_perm);
  }

  py::dict StoredFeatures(const std::vector<std::string>& ids) {
    std::vector<CopyFeatures> features(ids.size());
    {
      py::gil_scoped_release release;
      std::shared_lock lock(mu_);
      for (size_t i = 0; i < ids.size(); ++i) {
        absl::StatusOr<CopyFeatures> f = Get().StoredFeatures(ids[i]);
        if (!f.ok()) {
          py::gil_scoped_acquire gil;
          Check(f.status());
        }
        features[i] = *std::move(f);
      }
    }
    return FeatureArrays(features, Get().params().num_perm,
                         Get().params().char_perm);
  }

  std::vector<std::string> Ids() {
    std::shared_lock lock(mu_);
    std::vector<std::string> ids(Get().size());
    for (uint32_t i = 0; i < ids.size(); ++i) ids[i] = Get().article(i).id;
    return ids;
  }

  size_t Size() {
    std::shared_lock lock(mu_);
    return Get().size();
  }

  // Drops the index, releasing its writer lock; later calls raise.
  void Close() {
    py::gil_scoped_release release;
    std::unique_lock lock(mu_);
    index_.reset();
  }

  // Articles from dicts, or from strings (texts without other fields).
  static std::vector<Article> Articles(const py::iterable& items) {
    std::vector<Article> out;
    size_t number = 0;
    for (py::handle item : items) {
      const std::string origin = absl::StrCat("article ", ++number);
      if (py::isinstance<py::str>(item)) {
        Article a;
        a.id = std::to_string(number);
        a.text = item.cast<std::string>();
        a.origin = origin;
        out.push_back(std::move(a));
      } else {
        out.push_back(ArticleFromDict(item, origin));
      }
    }
    return out;
  }

 private:
  Index& Get() {
    if (index_ == nullptr) {
      throw StatusError(absl::FailedPreconditionError(
          failed_ ? "a change to this index failed; open it again"
                  : "the index is closed"));
    }
    return *index_;
  }
  // After a failed change the engine's index must not be used (the index
  // on disk is as before): drops it.
  void Discard() {
    std::unique_lock lock(mu_);
    index_.reset();
    failed_ = true;
  }

  static OpenOptions Options(int threads, int nprobe) {
    OpenOptions options;
    options.threads = threads;
    options.nprobe = nprobe;
    return options;
  }

  std::unique_ptr<Index> index_;
  bool failed_ = false;
  std::shared_mutex mu_;
};

py::dict ComputeFeatureArrays(const py::iterable& articles,
                              const py::kwargs& kwargs) {
  const IndexParams params = ParamsFromKwargs(kwargs);
  Check(params.Validate());
  const std::vector<Article> list = PyIndex::Articles(articles);
  std::vector<CopyFeatures> features(list.size());
  {
    py::gil_scoped_release release;
    for (size_t i = 0; i < list.size(); ++i) {
      absl::StatusOr<CopyFeatures> f = ComputeFeatures(list[i], params);
      if (!f.ok()) {
        py::gil_scoped_acquire gil;
        Check(f.status());
      }
      features[i] = *std::move(f);
    }
  }
  return FeatureArrays(features, params.num_perm, params.char_perm);
}

py::list ReadArticleDicts(const std::vector<std::string>& paths,
                          const ReaderOptions& reader) {
  std::vector<Article> articles;
  {
    py::gil_scoped_release release;
    std::map<std::string, int64_t> skipped;
    absl::StatusOr<std::vector<Article>> read =
        ReadArticles(paths, reader, &skipped);
    py::gil_scoped_acquire gil;
    articles = Value(std::move(read));
  }
  py::list out;
  for (const Article& a : articles) out.append(ArticleToDict(a));
  return out;
}

}  // namespace

void BindScaleOut(py::module_& m);

PYBIND11_MODULE(_syndex, m) {
  m.doc() = "The syndex engine (engine/syndex.h) for Python.";
  py::register_exception<StatusError>(m, "Error", PyExc_RuntimeError);

  py::class_<PyIndex>(m, "Index")
      .def_static("create", &PyIndex::Create, py::arg("path"), py::kw_only(),
                  py::arg("overwrite") = false, py::arg("threads") = 0,
                  py::arg("nprobe") = 16)
      .def_static("open", &PyIndex::Open, py::arg("path"), py::kw_only(),
                  py::arg("write") = false, py::arg("threads") = 0,
                  py::arg("nprobe") = 16)
      .def("add", &PyIndex::Add, py::arg("articles"), py::kw_only(),
           py::arg("skip_bad") = false,
           py::arg("batch_size") = AddOptions().batch_size,
           py::arg("commit") = true)
      .def("query", &PyIndex::Query, py::arg("id") = py::none(),
           py::arg("text") = py::none(), py::kw_only(), py::arg("k") = 10)
      .def("cluster", &PyIndex::Cluster, py::kw_only(),
           py::arg("copies") = false)
      .def("explain", &PyIndex::Explain, py::arg("a"), py::arg("b"),
           py::kw_only(), py::arg("text_a") = py::none(),
           py::arg("text_b") = py::none())
      .def("stats", &PyIndex::Stats)
      .def("remove", &PyIndex::Remove, py::arg("ids"), py::kw_only(),
           py::arg("commit") = true)
      .def("commit", &PyIndex::Commit)
      .def("features", &PyIndex::Features, py::arg("articles"))
      .def("stored_features", &PyIndex::StoredFeatures, py::arg("ids"))
      .def("ids", &PyIndex::Ids)
      .def("close", &PyIndex::Close)
      .def("__len__", &PyIndex::Size);

  m.def("features", &ComputeFeatureArrays, py::arg("articles"));
  m.def(
      "read_articles",
      [](const std::vector<std::string>& paths, const py::kwargs& kwargs) {
        ReaderOptions reader;
        py::dict rest(kwargs);
        for (auto [name, field] :
             {std::pair{"id_field", &reader.id_field},
              {"text_field", &reader.text_field},
              {"title_field", &reader.title_field},
              {"source_field", &reader.source_field},
              {"url_field", &reader.url_field},
              {"published_field", &reader.published_field}}) {
          if (!rest.contains(name)) continue;
          *field = rest[name].cast<std::string>();
          PyDict_DelItemString(rest.ptr(), name);
        }
        RejectUnknown(rest, "read_articles");
        return ReadArticleDicts(paths, reader);
      },
      py::arg("paths"));
  BindScaleOut(m);
}

}  // namespace syndex::python
