// ThreadSanitizer and C11 threads: librdkafka starts its threads with
// thrd_create, which glibc implements without going through pthread_create,
// so TSan (gcc 12's and clang 14's) never registers them and crashes in its
// allocator the first time such a thread calls malloc (SEGV at 0xc38, seen
// with a mock cluster and one producer). Linked into the executables of the
// tsan tree only (CMakeLists.txt): these definitions take precedence over
// glibc's and go through pthread_create / pthread_join, which TSan sees.
#include <pthread.h>
#include <threads.h>

#include <cstdint>
#include <new>

namespace {

struct Start {
  thrd_start_t func;
  void* arg;
};

void* trampoline(void* p) {
  const Start start = *static_cast<Start*>(p);
  delete static_cast<Start*>(p);
  return reinterpret_cast<void*>(static_cast<intptr_t>(start.func(start.arg)));
}

}  // namespace

extern "C" int thrd_create(thrd_t* thr, thrd_start_t func, void* arg) {
  auto* start = new (std::nothrow) Start{func, arg};
  if (start == nullptr) return thrd_nomem;
  if (pthread_create(thr, nullptr, trampoline, start) != 0) {
    delete start;
    return thrd_error;
  }
  return thrd_success;
}

extern "C" int thrd_join(thrd_t thr, int* res) {
  void* value = nullptr;
  if (pthread_join(thr, &value) != 0) return thrd_error;
  if (res != nullptr) *res = static_cast<int>(reinterpret_cast<intptr_t>(value));
  return thrd_success;
}

extern "C" int thrd_detach(thrd_t thr) { return pthread_detach(thr) == 0 ? thrd_success : thrd_error; }
