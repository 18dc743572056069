// Households for the real Huining policy (the README's module,
// examples/huining/deployment.doudi), generated deterministically for
// bench/batch_bench.sh: 1–7 members of mixed ages and incomes, urban and
// rural, some with disabilities, pensions or a single-person application.
// Only fields that differ from their schema default are written, as a
// case-management export would.
//
//   build/bench/huining_households N FILE
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: huining_households N FILE\n");
    return 2;
  }
  const unsigned long n = std::strtoul(argv[1], nullptr, 10);
  std::FILE* out = std::fopen(argv[2], "wb");
  if (!out) return 1;
  std::mt19937_64 rng(20220601);
  std::uniform_int_distribution<int> members(1, 7), age(0, 90), wage(0, 250000), pension(0, 60000), grade(0, 9);
  std::bernoulli_distribution urban(0.6), single(0.1), has_pension(0.25), ill(0.05);
  std::string line;
  for (unsigned long i = 0; i < n; ++i) {
    line = fmt::format(R"({{"户籍":"{}","财产符合规定":true{},"成员":[)", urban(rng) ? "城市" : "农村",
                       single(rng) ? R"(,"申请单人户":true)" : "");
    const int k = members(rng);
    for (int j = 0; j < k; ++j) {
      const int a = age(rng), g = grade(rng);
      line += fmt::format(R"({}{{"年龄":{})", j ? "," : "", a);
      if (a >= 18 && a < 60) line += fmt::format(R"(,"工资性收入":{}.{:02})", wage(rng) / 100, wage(rng) % 100);
      if (a >= 60 && has_pension(rng)) line += fmt::format(R"(,"基础养老金":{}.{:02})", pension(rng) / 100, pension(rng) % 100);
      if (g >= 1 && g <= 4) line += fmt::format(R"(,"残疾类别":"肢体","残疾等级":{})", g);
      if (ill(rng)) line += R"(,"患重特大疾病":true)";
      line += "}";
    }
    line += "]}\n";
    std::fwrite(line.data(), 1, line.size(), out);
  }
  return std::fclose(out) == 0 ? 0 : 1;
}
