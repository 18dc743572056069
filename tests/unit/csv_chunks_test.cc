// A CSV batch is cut into chunks by the calling thread and each chunk's
// rows are made into households on a deciding thread (CsvRecords). Wherever
// the cuts fall, the households must be those of the file read whole: the
// same records, line indexes, problems and cells. Random tables with what
// exports hold: quoted cells over several lines, doubled quotes, CR LF and
// lone CR line ends, blank lines, rows with too few cells or no key, cells
// of a household that disagree, no line break at the end.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "doudi/compiler.h"
#include "runtime/batch/csv_records.h"
#include "tests/unit/shipped_rules.h"

using namespace doudi;
namespace fs = std::filesystem;

namespace {

// A household as the file read whole gives it, to compare.
struct Made {
  int64_t index;
  std::string json;
  std::string problem;  // code and arguments, or empty
  std::vector<std::string> cells;  // each as "begin-end@line:column", begin and end from the record's start
  bool operator==(const Made&) const = default;
};

std::vector<Made> households(const ir::Module& m, const fs::path& file, const std::string& key, size_t chunk_bytes) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  std::vector<Made> out;
  {
    CsvRecords source(m, fd, fs::file_size(file), key, chunk_bytes);
    // Two threads' converters, taking chunks in turn: each chunk is made
    // from nothing but itself.
    auto a = source.converter(), b = source.converter();
    Chunk chunk;
    for (uint64_t n = 0; source.next(chunk); ++n) {
      CHECK(chunk.number == n);
      (n % 2 ? *b : *a).convert(chunk);
      for (const RecordLine& r : chunk.records) {
        Made made{r.index, std::string(chunk.line(r)), "", {}};
        if (r.problem) {
          const RecordProblem& p = chunk.problems[r.problem - 1];
          made.problem = fmt::format("{}", static_cast<int>(p.code));
          for (const auto& arg : p.args) made.problem += "|" + arg;
        }
        for (const ChunkCell& c : chunk.cells)
          if (c.begin >= r.offset && c.end <= r.offset + r.length)
            made.cells.push_back(fmt::format("{}-{}@{}:{}", c.begin - r.offset, c.end - r.offset, c.line, c.column));
        out.push_back(std::move(made));
      }
    }
    CHECK(source.bytes_read() == fs::file_size(file));
  }
  ::close(fd);
  return out;
}

// `text` as a CSV file, read whole and cut into chunks of each of
// `chunks` bytes: the same households every time. Those read whole.
std::vector<Made> same_wherever_cut(const ir::Module& m, const std::string& text, const std::string& key,
                                    std::initializer_list<size_t> chunks) {
  const fs::path file = fs::temp_directory_path() / fmt::format("doudi_csv_chunks_{}.csv", ::getpid());
  std::ofstream(file, std::ios::binary) << text;
  const std::vector<Made> whole = households(m, file, key, size_t{1} << 30);
  for (const size_t chunk : chunks) {
    INFO("chunks of " << chunk << " bytes");
    CHECK(households(m, file, key, chunk) == whole);
  }
  fs::remove(file);
  return whole;
}

// A cell of text, sometimes quoted, with what quoting allows.
std::string text_cell(std::mt19937_64& rng, const std::string& plain) {
  switch (rng() % 8) {
    case 0: return "\"" + plain + "\"";
    case 1: return "\"" + plain + ",\"\"x\"\"\"";
    case 2: return "\"" + plain + "\n第二行\"";
    case 3: return "\"" + plain + "\r\n\"";
    default: return plain;
  }
}

// `key_at`: the key column's place among five; `ends`: the line ends used.
std::string random_table(uint64_t seed, size_t key_at, const std::vector<std::string>& ends) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> header = {"户籍", "财产符合规定", "成员.年龄", "成员.工资性收入"};
  header.insert(header.begin() + static_cast<std::ptrdiff_t>(key_at), "户号");
  std::string text;
  auto end = [&] { return ends[rng() % ends.size()]; };
  auto row = [&](std::vector<std::string> cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + cells[i];
    return line;
  };
  text = row(header) + end();
  const int n = 40 + static_cast<int>(rng() % 120);
  for (int h = 0; h < n; ++h) {
    const std::string key = rng() % 17 == 0 ? "" : fmt::format("H{}", h);
    const std::string registry = rng() % 2 ? "城市" : "农村";
    const int members = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < members; ++i) {
      if (rng() % 11 == 0) text += end();  // a blank line within a household
      std::vector<std::string> cells = {text_cell(rng, i > 0 && rng() % 13 == 0 ? "外地" : registry), rng() % 3 ? "是" : "否",
                                        std::to_string(rng() % 90), rng() % 4 ? fmt::format("{}.{:02}", rng() % 3000, rng() % 100) : ""};
      cells.insert(cells.begin() + static_cast<std::ptrdiff_t>(key_at), key);
      if (rng() % 19 == 0) cells.pop_back();  // a cell short
      if (rng() % 23 == 0 && key_at > 0) cells.resize(key_at);  // too short to have a key: a household of its own
      text += row(cells) + end();
    }
  }
  if (rng() % 2) {  // the last line without its line break
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  }
  return text;
}

}  // namespace

TEST_CASE("CSV households are the same wherever the file is cut into chunks") {
  const LoadedRules loaded = testing::load_shipped("examples/huining/deployment.doudi");
  const ir::Module& m = loaded.rules->module();
  const std::vector<std::vector<std::string>> endings = {{"\n"}, {"\r\n"}, {"\n", "\r\n"}, {"\r"}};
  size_t tables = 0, made = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    const size_t key_at = seed % 3 == 0 ? 2 : 0;
    const auto& ends = endings[seed % endings.size()];
    INFO("seed " << seed);
    const std::vector<Made> whole = same_wherever_cut(m, random_table(seed, key_at, ends), "户号", {1, 2, 17, 64, 301, 4096});
    CHECK(!whole.empty());
    ++tables;
    made += whole.size();
  }
  CHECK(tables == 60);
  CHECK(made > 3000);
}

TEST_CASE("CSV households one per row are the same wherever the file is cut") {
  const LoadedRules loaded = testing::load_shipped("tests/fixtures/serve/text_rules/who.doudi");
  // No member columns: each row is a household.
  std::string text = "\xEF\xBB\xBFname,income\r\n";
  for (int i = 0; i < 500; ++i)
    text += i % 37 == 0 ? "\r\n" : i % 41 == 0 ? fmt::format("\"{}\"\"\n号\",{}\r\n", i, i) : fmt::format("户{},{}.5\r\n", i, i);
  const std::vector<Made> whole = same_wherever_cut(loaded.rules->module(), text, "", {1, 3, 100});
  CHECK(whole.size() == 486);  // all but the blank lines
  CHECK(whole.front().index == 2);
  CHECK(whole.back().index == 512);  // a quoted cell's line break counts
}

TEST_CASE("A CSV cell longer than a block read is found whole wherever the file is cut") {
  const LoadedRules loaded = testing::load_shipped("examples/huining/deployment.doudi");
  std::string text = "户号,户籍,财产符合规定,成员.年龄\n";
  for (int h = 0; h < 40; ++h) {
    std::string registry = "城市";
    if (h % 9 == 4) {  // 600 KB in one quoted cell, over many lines, quotes doubled
      registry = "\"";
      for (int i = 0; i < 20000; ++i) registry += i % 7 ? "城,\"\"市\"\"\n" : "城市\r\n";
      registry += "\"";
    }
    for (int i = 0; i < 1 + h % 3; ++i) text += fmt::format("H{},{},是,{}\n", h, registry, 30 + i);
  }
  const std::vector<Made> whole = same_wherever_cut(loaded.rules->module(), text, "户号", {1, 1000, 300000, 1u << 20});
  CHECK(whole.size() == 40);
}

TEST_CASE("A household whose rows meet where a block of the file ends is one household wherever the file is cut") {
  const LoadedRules loaded = testing::load_shipped("examples/huining/deployment.doudi");
  const ir::Module& m = loaded.rules->module();
  constexpr size_t kBlock = CsvRecords::kReadBlock;
  for (const std::string eol : {"\n", "\r\n"}) {
    INFO("line ends " << (eol == "\n" ? "LF" : "CR LF"));
    std::string text = "户号,户籍,财产符合规定,成员.年龄" + eol;
    size_t made = 0;
    auto household = [&](const std::string& key) {
      text += key + ",城市,是,40" + eol + key + ",城市,是,12" + eol;
      ++made;
    };
    while (text.size() < kBlock - 200) household(fmt::format("H{}", made));
    // The first row of this household ends where the first block does (a
    // CR LF: its CR the block's last byte); its second row is in the next.
    const std::string rest = ",城市,是,40" + eol;
    const size_t key_size = kBlock + (eol.size() - 1) - text.size() - rest.size();
    household("P" + std::string(key_size - 1, 'x'));
    REQUIRE(text.find("P", kBlock - 200) != std::string::npos);
    CHECK(text.substr(kBlock - 1, eol.size()) == eol);
    while (text.size() < kBlock + 20000) household(fmt::format("H{}", made));
    CHECK(same_wherever_cut(m, text, "户号", {2, 3, 17, 4096, 1u << 20}).size() == made);
  }
}
