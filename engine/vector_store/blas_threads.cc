#include "engine/vector_store/blas_threads.h"

#include <dlfcn.h>

#include <mutex>

namespace syndex {
namespace {

// OpenBLAS's thread count functions, or nulls.
struct OpenBlas {
  int (*get)() = nullptr;
  void (*set)(int) = nullptr;
};

const OpenBlas& Api() {
  static const OpenBlas api = [] {
    OpenBlas a;
    a.get = reinterpret_cast<int (*)()>(
        ::dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    a.set = reinterpret_cast<void (*)(int)>(
        ::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (a.get == nullptr || a.set == nullptr) a = OpenBlas();
    return a;
  }();
  return api;
}

// The scopes that exist and the count the first of them saved.
struct Scopes {
  std::mutex mu;
  int open = 0;
  int saved = 1;
};

Scopes& TheScopes() {
  static Scopes* scopes = new Scopes();
  return *scopes;
}

}  // namespace

SingleThreadedBlas::SingleThreadedBlas() {
  if (Api().set == nullptr) return;
  Scopes& scopes = TheScopes();
  std::lock_guard<std::mutex> lock(scopes.mu);
  if (scopes.open++ == 0) {
    scopes.saved = Api().get();
    Api().set(1);
  }
}

SingleThreadedBlas::~SingleThreadedBlas() {
  if (Api().set == nullptr) return;
  Scopes& scopes = TheScopes();
  std::lock_guard<std::mutex> lock(scopes.mu);
  if (--scopes.open == 0) Api().set(scopes.saved);
}

int BlasThreads() { return Api().get != nullptr ? Api().get() : 0; }

void SetBlasThreads(int threads) {
  if (Api().set != nullptr) Api().set(threads);
}

}  // namespace syndex
