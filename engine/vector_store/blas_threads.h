#ifndef SYNDEX_ENGINE_VECTOR_STORE_BLAS_THREADS_H_
#define SYNDEX_ENGINE_VECTOR_STORE_BLAS_THREADS_H_

namespace syndex {

// OpenBLAS runs single-threaded while a SingleThreadedBlas exists, on any
// thread: its idle threads would otherwise spin beside ours. The first of
// overlapping scopes saves OpenBLAS's thread count and sets it to 1; the
// last to end, whichever it is, restores the count. Does nothing when the
// BLAS in use is not OpenBLAS (its entry points are looked up at run time;
// the reference BLAS is single-threaded). Thread-safe.
class SingleThreadedBlas {
 public:
  SingleThreadedBlas();
  ~SingleThreadedBlas();
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;
};

// OpenBLAS's thread count, or 0 when the BLAS in use is not OpenBLAS.
int BlasThreads();

// Sets OpenBLAS's thread count (nothing without OpenBLAS). Not to be called
// while a SingleThreadedBlas exists.
void SetBlasThreads(int threads);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_VECTOR_STORE_BLAS_THREADS_H_
