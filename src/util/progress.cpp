#include "util/progress.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>

namespace schemactl {

namespace {
std::atomic<bool> quiet{false};
}

void Progress::set_quiet(bool q) {
  quiet = q;
}

bool Progress::shown() {
  return !quiet && ::isatty(STDERR_FILENO) == 1;
}

Progress::Progress(std::string label, std::size_t total, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total), shown_(shown()) {
  if (!shown_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  draw(true);
}

Progress::~Progress() {
  if (!shown_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  draw(true);
  std::fputs("\r\033[K", stderr);  // erase the line: what follows starts clean
  std::fflush(stderr);
}

void Progress::set(std::size_t done) {
  if (!shown_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  done_ = done;
  draw(false);
}

void Progress::step() {
  if (!shown_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  ++done_;
  draw(false);
}

void Progress::detail(std::string text) {
  if (!shown_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  detail_ = std::move(text);
  draw(false);
}

void Progress::draw(bool force) {
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  std::fprintf(stderr, "\r\033[K%s: %zu/%zu %s%s%s", label_.c_str(), done_, total_, unit_.c_str(),
               detail_.empty() ? "" : ", ", detail_.c_str());
  std::fflush(stderr);
}

}  // namespace schemactl
