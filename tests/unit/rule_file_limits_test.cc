// Rule files too large for the parser to hold are refused before it reads
// them (E0018): a 50 MB `1 + 1 + …` line once took gigabytes.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "compiler/driver/pipeline.h"

namespace fs = std::filesystem;

TEST_CASE("a rule file over 4 MiB is refused with E0018, before it is parsed") {
  const fs::path file = fs::temp_directory_path() / "doudi_huge_rule_file.doudi";
  {
    std::ofstream out(file);
    out << "语言 中文\n模块 长.加法\n定义 很长 : 整数 = 1";
    for (int i = 0; i < 1200000; ++i) out << " + 1";
    out << " 【示例】\n";
  }
  REQUIRE(fs::file_size(file) > (4u << 20));
  const auto comp = doudi::compile({file.string()}, doudi::Stage::Lower);
  REQUIRE_FALSE(comp->ok());
  bool e0018 = false;
  for (const auto& d : comp->diags.all()) e0018 |= d.code == doudi::DiagCode::E0018;
  CHECK(e0018);
  fs::remove(file);
}
