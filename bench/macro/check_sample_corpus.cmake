# ctest SyndexBench.SampleCorpus: runs syndex-bench on the bundled sample
# corpus (datasets/sample/) and checks what it reports, not only the shape
# of its JSON: the copy groups and stories of datasets/sample/truth.tsv,
# every match of the exhaustive search found by QueryId, and every step and
# copy-path stage present. Timings are printed, never checked.
#   cmake -DBENCH=<syndex-bench> -DCORPUS=<news.jsonl> -P check_sample_corpus.cmake
execute_process(
  COMMAND ${BENCH} --corpus ${CORPUS} --queries 42 --exact 42 --threads 1
          --json
  OUTPUT_VARIABLE json ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "syndex-bench exited with ${code}: ${err}")
endif()
message(STATUS "${json}")

# Fails unless the value at the JSON path ARGN equals `expected`.
function(expect_json expected)
  string(JSON value ERROR_VARIABLE error GET "${json}" ${ARGN})
  if(error)
    message(FATAL_ERROR "${ARGN}: ${error}")
  endif()
  if(NOT "${value}" STREQUAL "${expected}")
    message(FATAL_ERROR "${ARGN}: ${value}, expected ${expected}")
  endif()
endfunction()

# Fails unless the value at the JSON path ARGN is a number above `floor`.
function(expect_json_above floor)
  string(JSON value ERROR_VARIABLE error GET "${json}" ${ARGN})
  if(error OR NOT value MATCHES "^[0-9.]+$" OR NOT value GREATER floor)
    message(FATAL_ERROR "${ARGN}: '${value}', expected a number > ${floor}")
  endif()
endfunction()

# The sample: 42 articles in 24 copy groups and 15 stories (truth.tsv).
expect_json(42 articles)
expect_json(24 copy_groups)
expect_json(15 stories)
expect_json(flat vector_index)
expect_json_above(0 index_bytes)
expect_json(42 copy_path articles)
expect_json_above(0 copy_path distinct_shingles)
expect_json(42 copy_path_stages articles)
foreach(stage read normalize tokenize shingles distinct word_minhash join
              char_minhash lsh)
  expect_json_above(-1 copy_path_stages ${stage}_us)
endforeach()
foreach(step "build (read + index)" load cluster "load again (for queries)"
             "first 9 queries (warm-up)")
  expect_json_above(0 steps ${step} peak_rss_mib)
endforeach()
expect_json(42 queries QueryId count)

# QueryId finds every copy and related article the exhaustive search finds.
expect_json(42 agreement queries)
expect_json_above(0 agreement copies)
expect_json_above(0 agreement related)
string(JSON copies GET "${json}" agreement copies)
string(JSON related GET "${json}" agreement related)
expect_json(${copies} agreement copies_found)
expect_json(${related} agreement related_found)
