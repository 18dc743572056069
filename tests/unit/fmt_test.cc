// fmt: idempotent, and a whole policy tree translated to English compiles to
// the same IR as the Chinese original.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "compiler/driver/pipeline.h"
#include "compiler/fmt/formatter.h"
#include "compiler/parse/parser.h"
#include "compiler/load/module_loader.h"

using namespace doudi;
namespace fs = std::filesystem;

namespace {

std::string format_text(const std::string& path, const std::string& text, Dialect to) {
  SourceManager sm;
  DiagSink diags;
  const FileId fid = sm.add(path, text);
  auto file = parse_file(sm, fid, diags);
  REQUIRE(file.has_value());
  return format_file(*file, sm, to);
}

}  // namespace

TEST_CASE("the stdlib translated to English gives the same IR as the Chinese original") {
  const fs::path src = DOUDI_SOURCE_DIR "/stdlib-policies";
  const fs::path dst = fs::temp_directory_path() / "doudi_fmt_test" / "stdlib-en";
  fs::remove_all(dst);
  size_t translated = 0;
  for (const auto& p : find_doudi_files(src.string())) {
    std::string text;
    REQUIRE(read_source_file(p, text));
    const std::string en = format_text(p, text, Dialect::En);
    CHECK(en.rfind("language en", 0) == 0);
    // Back to Chinese gives the canonical Chinese text again.
    CHECK(format_text(p, en, Dialect::Zh) == format_text(p, text, Dialect::Zh));
    const fs::path out = dst / fs::relative(p, src);
    fs::create_directories(out.parent_path());
    std::ofstream(out) << en;
    ++translated;
  }
  std::ofstream(dst / "doudi-root") << "# import root\n";
  REQUIRE(translated >= 4);

  const std::string module = "huining/urban_dibao.doudi";
  auto zh = compile({(src / module).string()}, Stage::Lower);
  auto en = compile({(dst / module).string()}, Stage::Lower);
  std::string errors;
  for (const auto& d : en->diags.all()) errors += render(d, en->sources, {Lang::En, false});
  INFO(errors);
  REQUIRE(zh->ok());
  REQUIRE(en->ok());
  CHECK(ir::print_module(*zh->module) == ir::print_module(*en->module));

  // The translated tests still pass the same way: same outputs for each test.
  auto zh_tests = compile({(src / "huining/tests/urban_dibao_tests.doudi").string()}, Stage::Lower);
  auto en_tests = compile({(dst / "huining/tests/urban_dibao_tests.doudi").string()}, Stage::Lower);
  REQUIRE(en_tests->ok());
  CHECK(zh_tests->program->tests.size() == en_tests->program->tests.size());
}

TEST_CASE("fmt is idempotent and keeps comments") {
  const std::string text =
      "语言 中文\n模块 甲.乙\n# 说明一\n\n# 说明二\n定义 甲 : 整数 = (1 + 2) × 3  # 行尾\n"
      "规则 乙 : 布尔\n  默认 = 真 且 (假 或 真) 【某文 一】\n";
  const std::string once = format_text("x.doudi", text, Dialect::Zh);
  CHECK(format_text("x.doudi", once, Dialect::Zh) == once);
  CHECK(once.find("# 说明一\n\n# 说明二\n") != std::string::npos);
  CHECK(once.find("定义 甲 : 整数 = (1 + 2) × 3  # 行尾") != std::string::npos);
  CHECK(once.find("默认 = 真 且 (假 或 真) 【某文 一】") != std::string::npos);
}

TEST_CASE("fmt writes dates and numbers as officers write them canonically, deciding the same") {
  // 2022年6月1日, 2022年6月, ７００, ０．５, ２０２３－０１－０１: the canonical text
  // fmt writes must compile to the very same IR.
  const fs::path src = DOUDI_SOURCE_DIR "/tests/spellings/dates_zh.doudi";
  std::string text;
  REQUIRE(read_source_file(src.string(), text));
  const std::string canonical = format_text(src.string(), text, Dialect::Zh);
  CHECK(format_text(src.string(), canonical, Dialect::Zh) == canonical);
  for (const char* line : {"标准 = 700 元/月 自 2022-06-01 【语言测试】",
                           "标准 = 750 元/月 自 2023-01-01 至 2023-12-31 【语言测试】",
                           "定义 起算月 : 年月 = 2022-06 【语言测试】", "参数 比例 : 比例 = 0.5 【语言测试】",
                           "参数 折扣 : 比例 = 20% 【语言测试】", "辖区 甲县 月份 2022-05 {"})
    CHECK_MESSAGE(canonical.find(line) != std::string::npos, line);

  const fs::path dst = fs::temp_directory_path() / "doudi_fmt_test" / "spellings";
  fs::remove_all(dst);
  fs::create_directories(dst);
  std::ofstream(dst / "dates_zh.doudi") << canonical;
  auto as_written = compile({src.string()}, Stage::Lower);
  auto rewritten = compile({(dst / "dates_zh.doudi").string()}, Stage::Lower);
  REQUIRE(as_written->ok());
  REQUIRE(rewritten->ok());
  CHECK(ir::print_module(*as_written->module) == ir::print_module(*rewritten->module));
}
