// Splitting a list's work between two threads (the machines this runs on have two cores or more).
#pragma once

#include <cstddef>
#include <future>

namespace schemactl {

// Calls work(first, stride) so that together the calls cover the indexes [0, count): two workers
// taking every other index, or this thread alone when there are too few to be worth a thread.
// A failure of either worker is rethrown here.
template <typename Work>
void split_in_two(std::size_t count, Work&& work, std::size_t threshold = 8) {
  if (count <= threshold) {
    work(std::size_t{0}, std::size_t{1});
    return;
  }
  auto second = std::async(std::launch::async, [&] { work(std::size_t{1}, std::size_t{2}); });
  work(std::size_t{0}, std::size_t{2});
  second.get();
}

}  // namespace schemactl
