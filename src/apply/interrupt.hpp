// SIGINT / SIGTERM during a run: the first signal asks the applier to stop at the next safe point
// (after the statement in flight, which Postgres cancels server-side); a second one exits at once,
// leaving the history as it is (a statement in flight is then decided by the next run).
#pragma once

#include <atomic>
#include <csignal>
#include <functional>
#include <thread>

namespace schemactl::apply {

class InterruptGuard {
 public:
  // `cancel` is called from a watcher thread when the first signal arrives while a statement runs.
  explicit InterruptGuard(std::function<void()> cancel);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  static bool requested();  // a signal arrived
  static int signal();      // which one (SIGINT or SIGTERM), 0 if none
  // Brackets a statement that a signal may cancel.
  void statement_running(bool running) { running_.store(running); }

 private:
  std::function<void()> cancel_;
  std::atomic<bool> running_{false};
  std::atomic<bool> stop_{false};
  std::thread watcher_;
  sigset_t old_mask_{};
};

}  // namespace schemactl::apply
