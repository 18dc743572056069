// Runs independent proof tasks 0..n-1 on up to `jobs` threads (the caller's
// thread is one of them). Each task writes only its own result slot, so
// results come back in task order however the threads interleave. The first
// exception a task throws stops the remaining tasks and is rethrown here.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/source/usable_cores.h"

namespace doudi {

// `jobs` as asked, or one per usable core when 0.
inline unsigned jobs_or_cores(unsigned jobs) { return jobs ? jobs : usable_cores(); }

template <typename Task>
void parallel_for(size_t n, unsigned jobs, const Task& task) {
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failing;
  auto work = [&] {
    try {
      for (size_t i = next++; i < n; i = next++) task(i);
    } catch (...) {
      std::lock_guard lock(failing);
      if (!failure) failure = std::current_exception();
      next = n;
    }
  };
  const size_t threads = std::clamp<size_t>(jobs, 1, std::max<size_t>(n, 1));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

// `f` for tasks that share what it uses (an interpreter, say): calls hold
// `lock`, so no two run at once. An empty `f` stays empty.
template <typename R, typename... Args>
std::function<R(Args...)> one_at_a_time(const std::function<R(Args...)>& f, std::mutex& lock) {
  if (!f) return nullptr;
  return [&f, &lock](Args... args) {
    std::lock_guard hold(lock);
    return f(args...);
  };
}

}  // namespace doudi
