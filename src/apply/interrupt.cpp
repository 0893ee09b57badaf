#include "apply/interrupt.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

namespace schemactl::apply {
namespace {

std::atomic<int> g_signal{0};

void say(const char* text) {
  std::size_t n = 0;
  while (text[n]) ++n;
  ssize_t ignored = ::write(2, text, n);
  (void)ignored;
}

}  // namespace

// The signals are blocked in the calling thread (and so in every thread it starts later) and taken
// by the watcher with sigtimedwait: no system call of the database clients is ever interrupted,
// so a signal can never break a connection in the middle of a statement.
InterruptGuard::InterruptGuard(std::function<void()> cancel) : cancel_(std::move(cancel)) {
  g_signal.store(0);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, &old_mask_);
  watcher_ = std::thread([this, set] {
    bool cancelled = false;
    timespec tick{0, 20 * 1000 * 1000};
    while (!stop_.load()) {
      siginfo_t info;
      int sig = sigtimedwait(&set, &info, &tick);
      if (sig > 0) {
        if (g_signal.load() != 0) {
          say("\nschemactl: second signal: exiting now; the history shows the statement in flight, and the next "
              "run checks whether it took effect\n");
          ::_exit(128 + sig);
        }
        g_signal.store(sig);
        say("\nschemactl: interrupted: stopping after the statement in flight (a second signal exits at once)\n");
      }
      if (!cancelled && g_signal.load() != 0 && running_.load() && cancel_) {
        cancelled = true;
        try {
          cancel_();
        } catch (...) {
          // Best effort: the statement then finishes and the run stops after it.
        }
      }
    }
  });
}

InterruptGuard::~InterruptGuard() {
  stop_.store(true);
  if (watcher_.joinable()) watcher_.join();
  // A signal that arrived after the run ended still ends the process as it would have.
  int sig = g_signal.load();
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  (void)sig;
}

bool InterruptGuard::requested() {
  return g_signal.load() != 0;
}
int InterruptGuard::signal() {
  return g_signal.load();
}

}  // namespace schemactl::apply
