// Splitting a list's work between threads (the machines this runs on have two cores or more).
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <future>
#include <utility>
#include <vector>

namespace schemactl {

// Calls work(first, stride) so that together the calls cover the indexes [0, count): `workers`
// threads (this one among them) taking every workers-th index, or this thread alone when there are
// too few to be worth a thread. More workers than cores is for work that mostly waits rather than
// computes, e.g. flushing files to the disk: the file system commits concurrent flushes together
// (1,001 fsynced files: 0.6-1.0 s with two threads, 0.1-0.2 s with 16; docs/benchmarks.md). The
// first failure (this thread's before the others') is rethrown once every worker has finished.
template <typename Work>
void split_among(std::size_t workers, std::size_t count, Work&& work, std::size_t threshold = 8) {
  if (count <= threshold || workers <= 1) {
    work(std::size_t{0}, std::size_t{1});
    return;
  }
  workers = std::min(workers, count);
  std::vector<std::future<void>> others;  // destroyed (so waited for) before `work` goes
  for (std::size_t i = 1; i < workers; ++i)
    others.push_back(std::async(std::launch::async, [&work, i, workers] { work(i, workers); }));
  std::exception_ptr failure;
  try {
    work(std::size_t{0}, workers);
  } catch (...) {
    failure = std::current_exception();
  }
  for (auto& f : others) {
    try {
      f.get();
    } catch (...) {
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
}

// Two workers: the machines this runs on have two cores or more.
template <typename Work>
void split_in_two(std::size_t count, Work&& work, std::size_t threshold = 8) {
  split_among(2, count, std::forward<Work>(work), threshold);
}

}  // namespace schemactl
