// How many CPUs this process may run on: the default number of batch
// workers, proof jobs and service threads.
#pragma once

namespace doudi {

// The CPUs of the process's affinity mask (sched_getaffinity: a
// container's cpuset, `taskset`), at least 1. std::thread's
// hardware_concurrency() counts every CPU of the machine, so a batch
// confined to one CPU started two workers that took turns on it. A CPU
// quota (cgroup cpu.max) without a cpuset is not seen here.
unsigned usable_cores();

}  // namespace doudi
