// Progress of long work (`migrate up` statement by statement, `generate` entity by entity), drawn
// on one line of stderr, only when stderr is a terminal and not under `--quiet`: a pipe, a file or a
// CI log sees nothing of it.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace schemactl {

class Progress {
 public:
  // "<label>: <done>/<total> <unit>"; drawn at once, then at most every 100 ms, erased at the end.
  Progress(std::string label, std::size_t total, std::string unit);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `done` of `total` are finished (safe to call from several threads).
  void set(std::size_t done);
  // One more is finished.
  void step();
  // What the current one is doing, shown after the count ("" for nothing), e.g. "batch 5, 2000 rows".
  void detail(std::string text);

  // `--quiet`: nothing is drawn, terminal or not.
  static void set_quiet(bool quiet);
  // Whether progress is drawn: stderr is a terminal and not quiet.
  static bool shown();

 private:
  void draw(bool force);

  std::string label_, unit_, detail_;
  std::size_t total_, done_ = 0;
  bool shown_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace schemactl
