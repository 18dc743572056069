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

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// One household's result line appended to `out`; its benefit in 分, or
// nothing if the household is not one.
std::optional<int64_t> decide_one(simdjson::ondemand::document_reference doc, std::string& out) {
  // 2024-03: threshold 760 元/月, pension excluded at 100 %.
  constexpr int64_t kThreshold = 76000, kKeptPercent = 100 - 100;
  int64_t id = 0, sum = 0, n = 0;
  if (doc["id"].get_int64().get(id)) return std::nullopt;
  simdjson::ondemand::array members;
  if (doc["members"].get_array().get(members)) return std::nullopt;
  for (auto m : members) {
    int64_t salary = 0, pension = 0, other = 0;
    std::string_view t;
    simdjson::ondemand::object o;
    if (m.get_object().get(o)) return std::nullopt;
    if (o["salary"].raw_json_token().get(t) || !parse_fen(t, salary)) return std::nullopt;
    if (o["pension"].raw_json_token().get(t) || !parse_fen(t, pension)) return std::nullopt;
    if (o["other_income"].raw_json_token().get(t) || !parse_fen(t, other)) return std::nullopt;
    sum += salary + other + div_half_up(pension * kKeptPercent, 100);
    ++n;
  }
  if (n == 0) return std::nullopt;
  const int64_t per_capita = div_half_up(sum, n);
  const bool eligible = per_capita < kThreshold;
  const int64_t benefit = eligible ? (kThreshold - per_capita) * n : 0;
  out += fmt::format("{{\"id\":{},\"eligible\":{},\"benefit\":{}.{:02}}}\n", id, eligible, benefit / 100, benefit % 100);
  return benefit;
}

// The input is read as `doudi batch` reads it: 1 MiB at a time into one
// buffer, kept whole lines at a time, so memory stays small and no page is
// touched fresh after the first chunks. (Reading the whole file into new
// memory costs one page fault per 4 KiB: on the development machine's
// virtual CPUs that was over half of this program's time, and made the
// yardstick slower than a careful hand-written program is.)
int decide(const char* path) {
  const auto start = std::chrono::steady_clock::now();
  std::FILE* in = std::fopen(path, "rb");
  if (!in) return 1;
  constexpr size_t kChunk = 1 << 20;
  std::vector<char> buffer(2 * kChunk + simdjson::SIMDJSON_PADDING);
  size_t held = 0;  // bytes in the buffer: whole lines, then part of one
  bool at_end = false;
  simdjson::ondemand::parser parser;
  uint64_t households = 0;
  int64_t total = 0;
  std::string out;
  while (!at_end || held > 0) {
    if (!at_end) {
      if (buffer.size() - held < kChunk + simdjson::SIMDJSON_PADDING) buffer.resize(held + kChunk + simdjson::SIMDJSON_PADDING);
      const size_t got = std::fread(buffer.data() + held, 1, kChunk, in);
      if (got == 0 && std::ferror(in)) return 1;
      at_end = got == 0;
      held += got;
    }
    size_t lines = held;  // the whole lines held (all at the end of the input)
    if (!at_end)
      while (lines > 0 && buffer[lines - 1] != '\n') --lines;
    if (lines == 0) continue;  // a line longer than a chunk so far: read more of it
    simdjson::ondemand::document_stream stream;
    if (parser.iterate_many(buffer.data(), lines, std::max(lines, kChunk)).get(stream)) return 2;
    for (auto item : stream) {
      simdjson::ondemand::document_reference doc;
      if (std::move(item).get(doc)) return 2;
      const std::optional<int64_t> benefit = decide_one(doc, out);
      if (!benefit) return 2;
      total += *benefit;
      ++households;
      if (out.size() > (1 << 20)) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        out.clear();
      }
    }
    if (stream.truncated_bytes() != 0) return 2;
    std::memmove(buffer.data(), buffer.data() + lines, held - lines);
    held -= lines;
  }
  std::fclose(in);
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
