// What `doudi batch` reads and writes per record. A batch worker writes
// each log entry into storage it reuses (the entry's fields, the line, its
// id and leaf) with the schema's field names quoted once
// (runtime/batch/batch.cc). Whatever the record before it left there, an
// entry must be the one made afresh for its record: the log is the same
// whichever thread, and in whichever order, made its lines. The input is
// hashed whole (the batch's name) on a thread that can be told to stop.
#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "doudi/compiler.h"
#include "doudi/engine.h"
#include "runtime/batch/record_input.h"
#include "runtime/digest/digest.h"
#include "runtime/interp/interpreter.h"
#include "runtime/log/logged_values.h"
#include "runtime/log/log_entry.h"
#include "runtime/record/record_json.h"
#include "tests/differential/record_generator.h"
#include "tests/unit/shipped_rules.h"

using namespace doudi;

TEST_CASE("an entry written into reused storage is the entry made afresh") {
  const LoadedRules loaded = testing::load_shipped("examples/huining/deployment.doudi");
  const ir::Module& m = loaded.rules->module();
  std::vector<Diagnostic> errors;
  const auto context = loaded.rules->context("会宁县", "2022-06", errors);
  REQUIRE(context);
  std::string error;
  auto engine = make_engine(EngineKind::Interpreter, loaded.rules, error);
  REQUIRE(engine);
  engine->set_context(*context);
  const std::optional<LogKey> key = LogKey(std::string(32, 'k'));  // the schema has 敏感 texts
  const RecordWriterPlan names(m);
  testing::RecordGenerator generator(m, 20261205);

  simdjson::dom::parser shape_parser;
  LoggedValues values;
  simdjson::dom::element shape_json;
  REQUIRE(shape_parser.parse(input_shape_json(m)).get(shape_json) == simdjson::SUCCESS);
  const auto read_shape = InputShape::read(shape_json);
  REQUIRE(read_shape);
  const InputShape& shape = *read_shape;
  LogFields reused;
  PreparedLines lines;
  int decided = 0, error_results = 0, flagged = 0, named = 0;
  for (int i = 0; i < 600; ++i) {
    const std::string json = generator.next();
    const LoadedRecord record = load_household(*loaded.rules, json);
    if (!record.ok()) continue;
    // Now and then a step budget too small to finish: an error result
    // between decisions, so the storage goes from outputs to an error and back.
    engine->set_step_budget(i % 5 == 2 ? 40 : Interpreter::kStepBudget);
    const Decision d = engine->decide(record.data);
    LogFields fresh = decided_entry(m, record.data, d, key);
    decided_entry(reused, m, record.data, d, key, &names);
    fresh.index = reused.index = i;
    CHECK(reused.input_json == fresh.input_json);
    {
      // Positional in the log, read back as the keyed record a format 3
      // log held (what replay and the service load).
      std::string written;
      append_record_positional(written, m, record.data, &key->secret);
      CHECK(reused.input_json == written);
      std::string keyed, outputs;
      REQUIRE(values.read("{\"input\":" + reused.input_json + ",\"outputs\":null}", &shape, nullptr, keyed, outputs));
      CHECK(outputs == "null");
      CHECK(keyed == record_to_json(m, record.data, &key->secret, true));
      CHECK(keyed.size() > reused.input_json.size());
    }
    CHECK(reused.input_digest == fresh.input_digest);
    CHECK(reused.outputs_json == fresh.outputs_json);
    CHECK(reused.flags_json == fresh.flags_json);
    CHECK(reused.error_json == fresh.error_json);
    CHECK(reused.rejected_json == fresh.rejected_json);

    // Lines one after another in a batch's buffer, each as it would be alone.
    const uint64_t seq = static_cast<uint64_t>(decided) + 2;
    if (decided % 7 == 0) lines.clear(decided % 14 == 0 ? 0 : 1 << 20);  // storage let go of, or kept
    lines.add(seq, 1, reused);
    const PreparedEntry alone = prepare_decision(seq, 1, fresh);
    std::string closed;
    append_line(closed, alone.text, std::string(32, '\0'));  // the hash not filled in yet: zeros
    CHECK(lines.line(lines.size() - 1) == closed);
    CHECK(lines.leaf(lines.size() - 1) == alone.leaf);
    CHECK(alone.leaf == line_leaf(alone.text));
    CHECK(alone.text.find("\"id\"") == std::string::npos);  // from format 3 on, the id is not written

    ++decided;
    error_results += d.error.has_value();
    flagged += !d.error && !d.flags.empty();
    named += reused.input_json.find("\"hmac:") != std::string::npos;
  }
  // The kinds of entry the storage must pass between.
  CHECK(decided > 200);
  CHECK(error_results > 20);
  CHECK(flagged > 20);
  CHECK(named > 20);
}

TEST_CASE("the batch's input is hashed whole, and its reading stops when asked") {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("doudi-record-input-" + std::to_string(::getpid()) + ".jsonl")).string();
  std::string text;
  while (text.size() < (3u << 20)) text += "{\"id\":1,\"members\":[]}\n";  // three 1 MiB reads and a bit
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  std::string error;
  std::atomic<bool> stop{false};
  const auto whole = RecordInput::open(path, error, &stop);
  REQUIRE(whole);
  CHECK(whole->digest() == sha256_hex(text));
  CHECK(whole->size() == text.size());
  stop = true;
  CHECK_FALSE(RecordInput::open(path, error, &stop));
  CHECK(error.find("reading stopped") != std::string::npos);
  std::remove(path.c_str());
}
