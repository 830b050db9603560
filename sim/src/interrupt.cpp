#include "archsim/interrupt.hpp"

#include <signal.h>

#include <atomic>
#include <string>

namespace archsim {

namespace {

std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the handler may only touch a lock-free atomic");

extern "C" void record_signal(int signo) { g_signal.store(signo); }

void set_handler(int signo, void (*handler)(int)) {
  struct sigaction sa {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: blocking calls return EINTR
  sigaction(signo, &sa, nullptr);
}

}  // namespace

void install_interrupt_handlers() {
  set_handler(SIGINT, record_signal);
  set_handler(SIGTERM, record_signal);
}

void restore_default_interrupt_handlers() {
  set_handler(SIGINT, SIG_DFL);
  set_handler(SIGTERM, SIG_DFL);
}

int interrupt_signal() { return g_signal.load(); }

Interrupted::Interrupted(int signal)
    : std::runtime_error(std::string("interrupted by ") + (signal == SIGINT ? "SIGINT (Ctrl-C)" : signal == SIGTERM ? "SIGTERM" : "a signal")),
      signal_(signal) {}

void throw_if_interrupted() {
  if (const int s = interrupt_signal(); s != 0) throw Interrupted(s);
}

}  // namespace archsim
