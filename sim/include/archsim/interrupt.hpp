// Interrupt: Ctrl-C (SIGINT) and SIGTERM turned into a flag that long work
// checks, so a command stops cleanly (children killed, threads joined, no
// half-written output) and exits 128 + the signal number (130 for Ctrl-C).
#pragma once

#include <stdexcept>

namespace archsim {

/// Installs SIGINT and SIGTERM handlers that only record the signal (no
/// SA_RESTART, so blocking reads and waits return EINTR and can look).
void install_interrupt_handlers();

/// Restores the default SIGINT/SIGTERM behaviour (in forked children).
void restore_default_interrupt_handlers();

/// The signal received since install_interrupt_handlers(), or 0.
int interrupt_signal();

/// Thrown by long work that noticed an interrupt; exit code 128 + signal.
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(int signal);
  int signal() const { return signal_; }
  int exit_code() const { return 128 + signal_; }

 private:
  int signal_;
};

/// Throws Interrupted when a signal was received.
void throw_if_interrupted();

}  // namespace archsim
