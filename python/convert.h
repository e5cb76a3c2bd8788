#ifndef SYNDEX_PYTHON_CONVERT_H_
#define SYNDEX_PYTHON_CONVERT_H_

// Conversions between Python objects and the engine's types, for the
// syndex module. Functions that take Python objects need the GIL.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/syndex.h"

namespace syndex::python {

namespace py = pybind11;

// An engine error, raised in Python as syndex.Error with the engine's
// message.
class StatusError : public std::runtime_error {
 public:
  explicit StatusError(const absl::Status& status)
      : std::runtime_error(std::string(status.message())) {}
};

// Throws StatusError unless `status` is OK.
void Check(const absl::Status& status);
template <typename T>
T Value(absl::StatusOr<T> value) {
  Check(value.status());
  return *std::move(value);
}

// An article from a dict with the fields of the input format (README):
// id (str or int), text (str), and optional title, source, url (str) and
// published (ISO 8601 str or Unix seconds int); None counts as absent.
// `origin` names it in error messages. TypeError or ValueError naming the
// field for a wrong type or date.
Article ArticleFromDict(const py::handle& object, const std::string& origin);
// The dict of an article (published as Unix seconds, or None).
py::dict ArticleToDict(const Article& article);

// Index parameters from keyword arguments named as IndexParams' fields
// (shingle_size, seed, num_perm, char_perm, lsh_threshold, lsh_min_recall,
// min_df, dims); TypeError for an unknown one.
IndexParams ParamsFromKwargs(const py::dict& kwargs);
// The reverse, for passing parameters on to workers.
py::dict ParamsToDict(const IndexParams& params);
// Relation thresholds from keyword arguments named as the command line's
// flags with '_' for '-' (syndicated_jaccard, partial_containment,
// char_jaccard, char_cosine_ratio, char_word_ratio, related_story),
// taken out of `kwargs`.
RelationOptions RelationsFromKwargs(py::dict* kwargs);
// TypeError naming the first key left in `kwargs`.
void RejectUnknown(const py::dict& kwargs, const char* function);

// The features of `n` articles as a dict of NumPy arrays: signature
// (n x num_perm, uint32), char_signature (n x char_perm, uint32),
// shingles, char_grams (uint32), content_hash (uint64).
py::dict FeatureArrays(const std::vector<CopyFeatures>& features, int num_perm,
                       int char_perm);

// Parses JSON Lines written by engine/output/json.h into Python objects.
py::list ParseLines(const std::string& lines);

}  // namespace syndex::python

#endif  // SYNDEX_PYTHON_CONVERT_H_
