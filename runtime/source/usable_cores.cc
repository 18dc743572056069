#include "runtime/source/usable_cores.h"

#include <sched.h>

#include <algorithm>
#include <thread>

namespace doudi {

unsigned usable_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
  // A mask over more CPUs than cpu_set_t holds (1,024), or no answer.
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace doudi
