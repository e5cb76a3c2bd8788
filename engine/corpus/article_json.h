#ifndef SYNDEX_ENGINE_CORPUS_ARTICLE_JSON_H_
#define SYNDEX_ENGINE_CORPUS_ARTICLE_JSON_H_

#include <string>

#include "engine/corpus/article.h"
#include "engine/corpus/jsonl_reader.h"
#include "simdjson.h"

namespace syndex {

// Reads one parsed JSON value as an article (all fields but origin) by the
// rules of JsonlReader (field names from `options`; the first of duplicate
// fields counts; null counts as absent). Returns "" on success, else the
// reason it is not an article, as JsonlReader words it ("not a JSON
// object", "missing field 'id'", ...). The one reader of article objects,
// for files and for the HTTP service's request bodies.
std::string ArticleFromJson(simdjson::dom::element doc,
                            const ReaderOptions& options, Article* article);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_CORPUS_ARTICLE_JSON_H_
