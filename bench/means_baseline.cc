// The benchmark rule of issue 12 (bench/rules/means_test.doudi) written by
// hand, the yardstick Doudi is measured against, and the deterministic data
// generator both read.
//
//   build/bench/means_baseline gen N FILE     N households as JSONL (1–7 members, amounts in 分)
//   build/bench/means_baseline decide FILE    one result line per household on stdout;
//                                            households/s and the sum of benefits on stderr
//
// Amounts are parsed from their decimal text into integer 分, as Doudi does:
// no floating point near money, so the two agree to the 分.
#include <fmt/format.h>
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>

namespace {

// "1234.5" → 123450; false for anything but digits with at most two decimals.
bool parse_fen(std::string_view text, int64_t& out) {
  int64_t whole = 0, frac = 0;
  size_t i = 0, decimals = 0;
  if (text.empty()) return false;
  for (; i < text.size() && text[i] != '.'; ++i) {
    if (text[i] < '0' || text[i] > '9' || whole > 1'000'000'000'000) return false;
    whole = whole * 10 + (text[i] - '0');
  }
  if (i < text.size())
    for (++i; i < text.size(); ++i, ++decimals) {
      if (text[i] < '0' || text[i] > '9' || decimals >= 2) return false;
      frac = frac * 10 + (text[i] - '0');
    }
  if (decimals == 1) frac *= 10;
  out = whole * 100 + frac;
  return true;
}

// a / b rounded half up (a ≥ 0, b > 0), as Doudi rounds money.
int64_t div_half_up(int64_t a, int64_t b) { return (2 * a + b) / (2 * b); }

// The same households as JSON Lines, or (csv) as CSV with one row per
// member: id,members.salary,members.pension,members.other_income.
int generate(uint64_t n, const char* path, bool csv) {
  std::FILE* out = std::fopen(path, "wb");
  if (!out) return 1;
  if (csv) std::fputs("id,members.salary,members.pension,members.other_income\n", out);
  std::mt19937_64 rng(20240301);
  // Mean 4 members: 1–7, uniform.
  std::uniform_int_distribution<int> members(1, 7), salary(0, 150000), pension(0, 80000), other(0, 30000);
  std::bernoulli_distribution has_pension(0.3), has_other(0.4);
  std::string line;
  for (uint64_t id = 1; id <= n; ++id) {
    line = csv ? "" : fmt::format("{{\"id\":{},\"members\":[", id);
    const int k = members(rng);
    for (int m = 0; m < k; ++m) {
      const int s = salary(rng), p = has_pension(rng) ? pension(rng) : 0, o = has_other(rng) ? other(rng) : 0;
      if (csv)
        line += fmt::format("{},{}.{:02},{}.{:02},{}.{:02}\n", id, s / 100, s % 100, p / 100, p % 100, o / 100, o % 100);
      else
        line += fmt::format("{}{{\"salary\":{}.{:02},\"pension\":{}.{:02},\"other_income\":{}.{:02}}}", m ? "," : "",
                            s / 100, s % 100, p / 100, p % 100, o / 100, o % 100);
    }
    if (!csv) line += "]}\n";
    std::fputs(line.c_str(), out);
  }
  return std::fclose(out) == 0 ? 0 : 1;
}

int decide(const char* path) {
  const auto start = std::chrono::steady_clock::now();
  simdjson::padded_string input;
  if (simdjson::padded_string::load(path).get(input)) return 1;
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document_stream stream;
  if (parser.iterate_many(input).get(stream)) return 1;
  // 2024-03: threshold 760 元/月, pension excluded at 100 %.
  constexpr int64_t kThreshold = 76000, kKeptPercent = 100 - 100;
  uint64_t households = 0;
  int64_t total = 0;
  std::string out;
  for (auto doc : stream) {
    int64_t id = 0, sum = 0, n = 0;
    if (doc["id"].get_int64().get(id)) return 2;
    simdjson::ondemand::array members;
    if (doc["members"].get_array().get(members)) return 2;
    for (auto m : members) {
      int64_t salary = 0, pension = 0, other = 0;
      std::string_view t;
      simdjson::ondemand::object o;
      if (m.get_object().get(o)) return 2;
      if (o["salary"].raw_json_token().get(t) || !parse_fen(t, salary)) return 2;
      if (o["pension"].raw_json_token().get(t) || !parse_fen(t, pension)) return 2;
      if (o["other_income"].raw_json_token().get(t) || !parse_fen(t, other)) return 2;
      sum += salary + other + div_half_up(pension * kKeptPercent, 100);
      ++n;
    }
    if (n == 0) return 2;
    const int64_t per_capita = div_half_up(sum, n);
    const bool eligible = per_capita < kThreshold;
    const int64_t benefit = eligible ? (kThreshold - per_capita) * n : 0;
    total += benefit;
    ++households;
    out += fmt::format("{{\"id\":{},\"eligible\":{},\"benefit\":{}.{:02}}}\n", id, eligible, benefit / 100, benefit % 100);
    if (out.size() > (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "households %llu, benefits %lld.%02lld, %.0f households/s\n",
               static_cast<unsigned long long>(households), static_cast<long long>(total / 100),
               static_cast<long long>(total % 100), households / secs);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "gen" && (argc == 4 || (argc == 5 && std::string(argv[4]) == "csv")))
    return generate(std::strtoull(argv[2], nullptr, 10), argv[3], argc == 5);
  if (mode == "decide" && argc == 3) return decide(argv[2]);
  std::fprintf(stderr, "usage: means_baseline gen N FILE [csv] | decide FILE\n");
  return 2;
}
