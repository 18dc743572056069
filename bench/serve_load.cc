// A load client for `doudi serve` on loopback (bench/serve_bench.sh): THREADS
// connections send the same POST, each waiting for its answer before the
// next (closed loop), until REQUESTS have been answered or SECONDS have
// passed. Prints requests/s and latency percentiles; any answer but 200 is
// counted and reported.
//   serve_load PORT PATH BODY_FILE THREADS REQUESTS SECONDS
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: serve_load PORT PATH BODY_FILE THREADS REQUESTS SECONDS\n");
    return 2;
  }
  const int port = std::stoi(argv[1]);
  const std::string path = argv[2];
  std::ifstream in(argv[3], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::string body = text.str();
  const int threads = std::stoi(argv[4]);
  const long requests = std::stol(argv[5]);
  const auto budget = std::chrono::duration<double>(std::stod(argv[6]));

  using Clock = std::chrono::steady_clock;
  std::atomic<long> taken{0}, failed{0};
  std::vector<std::vector<double>> latencies(threads);
  const auto start = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(30, 0);
      while (taken.fetch_add(1) < requests && Clock::now() - start < budget) {
        const auto t0 = Clock::now();
        auto answer = client.Post(path, body, "application/json");
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (!answer || answer->status != 200) ++failed;
        else latencies[t].push_back(ms);
      }
    });
  for (auto& th : pool) th.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  if (all.empty()) {
    std::fprintf(stderr, "serve_load: no request was answered with 200 (%ld failed)\n", failed.load());
    return 1;
  }
  std::sort(all.begin(), all.end());
  auto at = [&](double q) { return all[std::min(all.size() - 1, static_cast<size_t>(q * static_cast<double>(all.size())))]; };
  std::printf("answered %zu in %.2f s: %.0f requests/s; p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms; %ld failed\n",
              all.size(), seconds, static_cast<double>(all.size()) / seconds, at(0.5), at(0.9), at(0.99), all.back(),
              failed.load());
  return failed.load() == 0 ? 0 : 1;
}
