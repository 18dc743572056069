// The default number of workers counts the CPUs the process may run on
// (its affinity mask), not every CPU of the machine: a batch under
// `taskset -c 0` or a one-CPU cpuset starts one worker.
#include <doctest/doctest.h>
#include <sched.h>

#include <thread>

#include "runtime/source/usable_cores.h"

using namespace doudi;

TEST_CASE("usable_cores counts the CPUs of the affinity mask") {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  REQUIRE(sched_getaffinity(0, sizeof mask, &mask) == 0);
  CHECK(usable_cores() == static_cast<unsigned>(CPU_COUNT(&mask)));

  // A thread confined to one CPU (the mask is a thread's) sees one.
  int first = 0;
  while (!CPU_ISSET(first, &mask)) ++first;
  unsigned seen = 0;
  int confined_rc = -1;
  std::thread confined([&] {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    confined_rc = sched_setaffinity(0, sizeof one, &one);
    seen = usable_cores();
  });
  confined.join();
  REQUIRE(confined_rc == 0);
  CHECK(seen == 1);
}
