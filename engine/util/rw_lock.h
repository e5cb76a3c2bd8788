#ifndef SYNDEX_ENGINE_UTIL_RW_LOCK_H_
#define SYNDEX_ENGINE_UTIL_RW_LOCK_H_

#include <pthread.h>

namespace syndex {

// A readers-writer lock that prefers writers: once a writer waits, new
// readers wait behind it, so a stream of readers cannot starve it (glibc's
// default, and so std::shared_mutex, prefers readers). A thread must not
// take it shared twice (the second would wait behind a waiting writer).
// Usable with std::shared_lock and std::unique_lock.
class RwLock {
 public:
  RwLock() {
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr,
                                  PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&lock_, &attr);
    pthread_rwlockattr_destroy(&attr);
  }
  ~RwLock() { pthread_rwlock_destroy(&lock_); }
  RwLock(const RwLock&) = delete;
  RwLock& operator=(const RwLock&) = delete;

  void lock() { pthread_rwlock_wrlock(&lock_); }
  void unlock() { pthread_rwlock_unlock(&lock_); }
  void lock_shared() { pthread_rwlock_rdlock(&lock_); }
  void unlock_shared() { pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_UTIL_RW_LOCK_H_
