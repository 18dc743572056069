// The decision log end to end: a large batch verifies; each kind of
// tampering is caught at the right entry; a batch killed part-way and
// resumed writes the same log as one that ran through; replay reproduces
// every decision and finds exactly those that changed rules would change.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <utility>

#include <fcntl.h>
#include "doudi/engine.h"
#include "runtime/batch/batch.h"
#include "runtime/digest/digest.h"
#include "runtime/log/decision_log.h"
#include "runtime/log/log_chain.h"
#include "runtime/record/record_json.h"
#include "runtime/source/usable_cores.h"
#include "tools/cli/cli.h"

namespace fs = std::filesystem;
using namespace doudi;

namespace {

const fs::path kRoot = DOUDI_SOURCE_DIR;
const fs::path kTmp = fs::temp_directory_path() / "doudi_log_test";
// The policy with a county's example values, and where it finds the policy.
const std::string kModule = (kRoot / "examples/huining/deployment.doudi").string();
const std::string kPolicies = (kRoot / "stdlib-policies").string();

std::string household(std::mt19937_64& rng, int i) {
  std::uniform_int_distribution<int> members(1, 5), age(1, 90), wage(0, 200000), grade(0, 6);
  std::string out = fmt::format(R"({{"户籍": "城市", "财产符合规定": true, "申请单人户": true, "成员": [)");
  const int n = members(rng);
  for (int k = 0; k < n; ++k) {
    const int g = grade(rng);
    out += fmt::format(R"({}{{"姓名": "成员{}-{}", "年龄": {}, "工资性收入": {}.{:02}{}}})", k ? ", " : "", i, k, age(rng),
                       wage(rng) / 100, wage(rng) % 100,
                       g >= 1 && g <= 4 ? fmt::format(R"(, "残疾类别": "肢体", "残疾等级": {})", g) : "");
  }
  return out + "]}";
}

fs::path write_records(const std::string& name, int n) {
  fs::create_directories(kTmp);
  const fs::path p = kTmp / name;
  std::ofstream out(p);
  std::mt19937_64 rng(7);
  for (int i = 0; i < n; ++i) out << household(rng, i) << "\n";
  // One record the loader must reject, in the middle.
  return p;
}

int cli(const std::vector<std::string>& args, std::string* output = nullptr) {
  std::ostringstream out, err;
  const int rc = run_cli(args, out, err);
  if (output) *output = out.str() + err.str();
  return rc;
}

int batch(const fs::path& records, const fs::path& log, const std::string& module = kModule, bool resume = false,
          const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args{"batch", module, records.string(), "-j", "会宁县", "-m", "2022-06", "--log", log.string(),
                                "--key-file", (kTmp / "key").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  if (fs::path(module).extension() == ".doudi") args.insert(args.end(), {"-I", kPolicies});
  if (resume) args.push_back("--resume");
  return cli(args);
}

std::vector<std::string> lines_of(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

void write_lines(const fs::path& p, const std::vector<std::string>& lines) {
  std::ofstream out(p, std::ios::trunc);
  for (const auto& l : lines) out << l << "\n";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const fs::path kSigner = kTmp / "signer.key";

// A format 3 decision's id as docs/cli.md defines it: the first 20 hex
// digits of SHA-256(context line's leaf || the line's leaf), a leaf being
// SHA-256(0x00 || the line without its hash field || "}").
std::string format3_id(const std::string& context_line, const std::string& line) {
  const auto leaf = [](const std::string& l) {
    return from_hex(sha256_hex(std::string(1, '\0') + l.substr(0, l.rfind(kHashKey)) + "}")).value();
  };
  return sha256_hex(leaf(context_line) + leaf(line)).substr(0, 20);
}

struct Setup {
  Setup() {
    fs::create_directories(kTmp);
    std::ofstream(kTmp / "key") << "doudi-log-test-key-0123456789abcdef\n";
    fs::permissions(kTmp / "key", fs::perms(0600));
    fs::remove(kSigner);
    fs::remove(kSigner.string() + ".pub");
    if (cli({"keygen", "-o", kSigner.string()}) != 0) throw std::runtime_error("doudi keygen failed");
  }
};
const Setup kSetup;

const std::vector<std::string> kSigning = {"--signing-key", kSigner.string(), "--checkpoint-every", "500"};

// What an attacker who can write the file does: change line `seq` with
// `edit`, then recompute every later hash with plain SHA-256 (the chain of
// runtime/log/log_format.h). Checkpoint lines are kept unless
// `drop_checkpoints_after` is set.
std::vector<std::string> rechain(const std::vector<std::string>& lines, uint64_t seq,
                                 const std::function<void(std::string&)>& edit,
                                 std::optional<uint64_t> drop_checkpoints_after = std::nullopt) {
  std::vector<std::string> out;
  merkle::Hash prev = genesis_hash();
  uint64_t n = 0;
  for (const auto& line : lines) {
    if (line.rfind("{\"checkpoint\":", 0) == 0) {
      if (!drop_checkpoints_after || n <= *drop_checkpoints_after) out.push_back(line);
      continue;
    }
    ++n;
    std::string body = line.substr(0, line.rfind(kHashKey));
    if (n == seq) edit(body);
    prev = chain_hash(prev, line_leaf(body));
    out.push_back(body + std::string(kHashKey) + to_hex(prev) + "\"}");
  }
  return out;
}

}  // namespace

TEST_CASE("a batch of 10,000 decisions verifies, and tampering is found at the right entry") {
  const auto records = write_records("big.jsonl", 10000);
  const fs::path log = kTmp / "big.log";
  fs::remove(log);
  REQUIRE(batch(records, log) == 0);
  const VerifyResult ok = verify_log(log.string());
  CHECK(ok.ok);
  CHECK(ok.entries == 10001);  // the batch's context line, then its decisions

  const auto lines = lines_of(log);
  REQUIRE(lines.size() == 10001);
  // Again without --resume: decided while the input's digest is computed,
  // then refused once it names a batch the log holds, with nothing written.
  const std::string before = read_file(log);
  std::string out;
  CHECK(cli({"--lang", "en", "batch", kModule, records.string(), "-I", kPolicies, "-j", "会宁县", "-m", "2022-06", "--log",
             log.string(), "--key-file", (kTmp / "key").string()},
            &out) == 1);
  CHECK(out.find("error[E4004]") != std::string::npos);
  CHECK(read_file(log) == before);
  // An input with no records: its context line all the same, then nothing.
  std::ofstream(kTmp / "none.jsonl") << "\n";
  const fs::path empty_log = kTmp / "none.log";
  fs::remove(empty_log);
  CHECK(batch(kTmp / "none.jsonl", empty_log) == 0);
  const VerifyResult none = verify_log(empty_log.string());
  CHECK(none.ok);
  CHECK(none.entries == 1);
  CHECK(none.batches == 1);

  SUBCASE("one byte of an output edited") {
    auto edited = lines;
    const size_t at = edited[4321].find("\"outputs\":[");  // the first output's value
    REQUIRE(at != std::string::npos);
    char& digit = edited[4321][at + std::string("\"outputs\":[").size()];
    digit = digit == '9' ? '8' : static_cast<char>(digit + 1);
    write_lines(kTmp / "edited.log", edited);
    const VerifyResult r = verify_log((kTmp / "edited.log").string());
    CHECK_FALSE(r.ok);
    CHECK(r.bad_entry == 4322);
    CHECK(r.reason.find("edited") != std::string::npos);
  }
  SUBCASE("an entry deleted") {
    auto cut = lines;
    cut.erase(cut.begin() + 100);
    write_lines(kTmp / "cut.log", cut);
    const VerifyResult r = verify_log((kTmp / "cut.log").string());
    CHECK_FALSE(r.ok);
    CHECK(r.bad_entry == 101);
  }
  SUBCASE("two entries swapped") {
    auto swapped = lines;
    std::swap(swapped[7000], swapped[7001]);
    write_lines(kTmp / "swapped.log", swapped);
    const VerifyResult r = verify_log((kTmp / "swapped.log").string());
    CHECK_FALSE(r.ok);
    CHECK(r.bad_entry == 7001);
  }
}

TEST_CASE("a batch killed part-way through a write and resumed writes the same log as an uninterrupted run") {
  const auto records = write_records("kill.jsonl", 4000);
  const fs::path whole = kTmp / "whole.log", killed = kTmp / "killed.log";
  fs::remove(whole);
  fs::remove(killed);
  REQUIRE(batch(records, whole, kModule, false, kSigning) == 0);
  const auto whole_size = fs::file_size(whole);

  // The kernel kills the batch where its log reaches this size, in the middle
  // of a write (SIGXFSZ, like SIGKILL a death the program cannot handle): the
  // same place on every machine however fast the batch is, where waiting and
  // then sending SIGKILL could come after the batch had finished. The size is
  // no line's end, so the log ends with a line cut short.
  const rlim_t cut_at = 200000 + 37;
  REQUIRE(whole_size > cut_at);
  REQUIRE(read_file(whole)[cut_at - 1] != '\n');
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    signal(SIGXFSZ, SIG_DFL);  // the kernel's kill, even if the runner ignores the signal
    const rlimit no_core{0, 0}, file_size{cut_at, cut_at};
    setrlimit(RLIMIT_CORE, &no_core);
    setrlimit(RLIMIT_FSIZE, &file_size);
    execl(DOUDI_BINARY, DOUDI_BINARY, "batch", kModule.c_str(), "-I", kPolicies.c_str(), records.c_str(), "-j", "会宁县",
          "-m", "2022-06", "--log", killed.c_str(), "--key-file", (kTmp / "key").c_str(), "--signing-key", kSigner.c_str(),
          "--checkpoint-every", "500", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGXFSZ);
  CHECK(fs::file_size(killed) == cut_at);
  CHECK(read_file(killed) == read_file(whole).substr(0, cut_at));
  const size_t before = lines_of(killed).size();
  INFO("entries before the kill: ", before);
  CHECK(before < 4000);

  REQUIRE(batch(records, killed, kModule, true, kSigning) == 0);
  CHECK(read_file(killed) == read_file(whole));
  CHECK(verify_log(killed.string()).ok);
  CHECK(cli({"verify-log", killed.string(), "--public-key", kSigner.string() + ".pub"}) == 0);
}

TEST_CASE("--resume continues only this batch: another input is refused (E4010); one cut after its context line resumes") {
  const auto first = write_records("resume_a.jsonl", 30);
  fs::path second = kTmp / "resume_b.jsonl";
  {
    std::ofstream out(second);
    std::mt19937_64 rng(11);
    for (int i = 0; i < 40; ++i) out << household(rng, i) << "\n";
  }
  const fs::path both = kTmp / "resume_both.log", cut = kTmp / "resume_cut.log";
  fs::remove(both);
  REQUIRE(batch(first, both) == 0);
  const std::string after_first = read_file(both.string());
  // Another input with --resume: refused, the log untouched.
  std::string out;
  CHECK(cli({"--lang", "en", "batch", kModule, "-I", kPolicies, second.string(), "-j", "会宁县", "-m", "2022-06", "--log",
             both.string(), "--key-file", (kTmp / "key").string(), "--resume"},
            &out) == 1);
  CHECK(out.find("E4010") != std::string::npos);
  CHECK(read_file(both.string()) == after_first);
  // Without --resume it is a new batch.
  REQUIRE(batch(second, both) == 0);
  // The second batch cut off right after its context line, with part of its
  // first entry: --resume finishes it, as if it had never stopped.
  const std::string whole = read_file(both.string());
  const size_t context_end = whole.find('\n', after_first.size());
  REQUIRE(context_end != std::string::npos);
  REQUIRE(whole.substr(after_first.size()).rfind("{\"seq\":32,\"context\":", 0) == 0);  // 1 + 30 entries before it
  std::ofstream(cut, std::ios::trunc) << whole.substr(0, context_end + 1 + 25);
  REQUIRE(batch(second, cut, kModule, true) == 0);
  CHECK(read_file(cut.string()) == whole);
}

TEST_CASE("signed checkpoints: rewrite-and-re-chain, checkpoints removed, tail dropped") {
  const auto records = write_records("signed.jsonl", 3000);
  const fs::path log = kTmp / "signed.log";
  const std::string pub = kSigner.string() + ".pub";
  fs::remove(log);
  REQUIRE(batch(records, log, kModule, false, kSigning) == 0);
  std::string out;
  REQUIRE(cli({"--lang", "en", "verify-log", log.string(), "--public-key", pub}, &out) == 0);
  CHECK(out.find("7 checkpoint(s), all signed by key") != std::string::npos);
  REQUIRE(cli({"log", "checkpoint", log.string()}, &out) == 0);
  std::ofstream(kTmp / "kept.checkpoint") << out;
  const auto lines = lines_of(log);
  REQUIRE(lines.size() == 3008);  // a context line, 3000 decisions, 7 checkpoints
  // A consistent forgery: entry 1234's first output raised, the chain recomputed.
  auto raise = [](std::string& body) {
    const std::string key = "\"outputs\":[";
    const size_t at = body.find(key);
    REQUIRE(at != std::string::npos);
    body.insert(at + key.size(), "9");
  };

  SUBCASE("the chain alone cannot tell; the checkpoint after entry 1500 can") {
    write_lines(kTmp / "forged.log", rechain(lines, 1234, raise));
    CHECK(cli({"--lang", "en", "verify-log", (kTmp / "forged.log").string()}, &out) == 1);  // roots need no key
    const auto key = PublicKey::from_pem(read_file(pub), out);
    REQUIRE(key);
    const VerifyResult r = verify_log((kTmp / "forged.log").string(), &*key);
    CHECK_FALSE(r.ok);
    CHECK(r.bad_entry == 1001);
    CHECK(r.reason.find("1001–1500") != std::string::npos);
    // The same edit with no checkpoints at all would pass the chain check:
    // that is what the checkpoints are for.
    std::vector<std::string> bare;
    for (const auto& l : rechain(lines, 1234, raise))
      if (l.rfind("{\"checkpoint\":", 0) != 0) bare.push_back(l);
    write_lines(kTmp / "bare.log", bare);
    CHECK(verify_log((kTmp / "bare.log").string()).ok);
    CHECK(cli({"verify-log", (kTmp / "bare.log").string(), "--public-key", pub}) == 1);
  }
  SUBCASE("forged, with the later checkpoints removed: not covered, and not what the auditor kept") {
    write_lines(kTmp / "forged_bare.log", rechain(lines, 1234, raise, 1000));
    CHECK(cli({"--lang", "en", "verify-log", (kTmp / "forged_bare.log").string(), "--public-key", pub}, &out) == 1);
    CHECK(out.find("entries 1001–3001 are not yet covered") != std::string::npos);
    CHECK(cli({"--lang", "en", "verify-log", (kTmp / "forged_bare.log").string(), "--public-key", pub, "--since",
               (kTmp / "kept.checkpoint").string()},
              &out) == 1);
  }
  SUBCASE("the tail dropped at a checkpoint: intact by itself, cut against the kept checkpoint") {
    std::vector<std::string> head(lines.begin(), lines.begin() + 2004);  // 2000 entries, 4 checkpoints
    write_lines(kTmp / "head.log", head);
    CHECK(cli({"verify-log", (kTmp / "head.log").string(), "--public-key", pub}) == 0);
    CHECK(cli({"--lang", "en", "verify-log", (kTmp / "head.log").string(), "--public-key", pub, "--since",
               (kTmp / "kept.checkpoint").string()},
              &out) == 1);
    CHECK(out.find("the log was cut") != std::string::npos);
  }
  SUBCASE("a decision's inclusion proof checks without the log; a later batch keeps the kept checkpoint provable") {
    REQUIRE(lines[0].find("\"context\":{") != std::string::npos);
    const std::string id = format3_id(lines[0], lines[1300]);
    REQUIRE(cli({"log", "prove", log.string(), "--id", id}, &out) == 0);
    std::ofstream(kTmp / "inclusion.proof") << out;
    CHECK(cli({"log", "check-proof", (kTmp / "inclusion.proof").string(), "--public-key", pub}) == 0);
    // A second "outputs" after the hash field: not hashed, and read by JSON
    // readers that keep a repeated key's last value. Refused.
    std::string forged = out;
    const std::string entry_end = "\\\"}\",\"context_line\"";
    REQUIRE(forged.find(entry_end) != std::string::npos);
    forged.replace(forged.find(entry_end), entry_end.size(), "\\\",\\\"outputs\\\":[4500]}\",\"context_line\"");
    std::ofstream(kTmp / "forged_inclusion.proof") << forged;
    std::string why;
    CHECK(cli({"--lang", "en", "log", "check-proof", (kTmp / "forged_inclusion.proof").string(), "--public-key", pub},
              &why) == 1);
    CHECK(why.find("does not end with its hash") != std::string::npos);
    // The id of another batch's line is not this one's, though the line is the same.
    std::string other_id = out;
    other_id.replace(other_id.find(id), id.size(), format3_id(lines[1300], lines[1300]));
    std::ofstream(kTmp / "other_id.proof") << other_id;
    CHECK(cli({"log", "check-proof", (kTmp / "other_id.proof").string(), "--public-key", pub}) == 1);
    const auto more = write_records("signed_more.jsonl", 700);
    REQUIRE(batch(more, log, kModule, false, kSigning) == 0);
    CHECK(cli({"--lang", "en", "verify-log", log.string(), "--public-key", pub, "--since", (kTmp / "kept.checkpoint").string()},
              &out) == 0);
    CHECK(out.find("consistency proved") != std::string::npos);
  }
}

TEST_CASE("replay: the same rules reproduce every decision; changed rules change exactly the affected ones") {
  const auto records = write_records("replay.jsonl", 300);
  const fs::path log = kTmp / "replay.log", log_new = kTmp / "replay_new.log";
  fs::remove(log);
  fs::remove(log_new);
  const fs::path bundle = kTmp / "old.bundle", bundle_new = kTmp / "new.bundle";
  REQUIRE(cli({"bundle", kModule, "-I", kPolicies, "-o", bundle.string()}) == 0);

  // The same rules with one parameter value changed: the county's standard.
  // In a folder of its own: the loader searches the file's folder for modules.
  fs::remove_all(kTmp / "deployment-new");
  fs::create_directories(kTmp / "deployment-new");
  const fs::path copy = kTmp / "deployment-new" / "deployment.doudi";
  {
    std::string s = read_file(kModule);
    const auto at = s.find("690 元/月");
    REQUIRE(at != std::string::npos);
    s.replace(at, std::string("690 元/月").size(), "700 元/月");
    std::ofstream(copy, std::ios::trunc) << s;
  }
  REQUIRE(cli({"bundle", copy.string(), "-I", kPolicies, "-o", bundle_new.string()}) == 0);

  REQUIRE(batch(records, log, bundle.string()) == 0);
  std::string out;
  CHECK(cli({"--lang", "en", "replay", log.string(), "--bundle", bundle.string()}, &out) == 0);
  CHECK(out.find("replayed 300: 300 identical, 0 different") != std::string::npos);

  // Expected: the records whose logged outputs differ under the new rules.
  REQUIRE(batch(records, log_new, bundle_new.string()) == 0);
  std::vector<LogEntry> a, b;
  std::string error;
  REQUIRE(read_log(log.string(), a, error));
  REQUIRE(read_log(log_new.string(), b, error));
  REQUIRE(a.size() == b.size());
  std::set<std::string> expected;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].outputs_json != b[i].outputs_json || a[i].flags_json != b[i].flags_json) expected.insert(a[i].id);
  CHECK(expected.size() > 0);
  CHECK(expected.size() < a.size());

  CHECK(cli({"--lang", "en", "replay", log.string(), "--against", bundle_new.string()}, &out) == 0);
  std::set<std::string> reported;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] == '#') reported.insert(line.substr(line.find(' ') + 1, 20));
  CHECK(reported == expected);
  // In Chinese a yes-or-no output changes as 假 → 真, as the summary writes it.
  CHECK(cli({"replay", log.string(), "--against", bundle_new.string()}, &out) == 0);
  CHECK(out.find("单人户纳入: 假 → 真") != std::string::npos);
  CHECK(out.find("false →") == std::string::npos);

  // The old log cannot be replayed as if made with the new rules.
  CHECK(cli({"--lang", "en", "replay", log.string(), "--bundle", bundle_new.string()}, &out) == 1);
  CHECK(out.find("300 from another bundle refused") != std::string::npos);
}

TEST_CASE("replay: an error logged at a false place in the rules (a bundle's places altered) is a difference") {
  const auto records = write_records("places.jsonl", 20);
  const fs::path genuine = kTmp / "places.bundle", altered = kTmp / "places_altered.bundle", log = kTmp / "places.log";
  fs::remove(log);
  REQUIRE(cli({"bundle", kModule, "-I", kPolicies, "-o", genuine.string()}) == 0);
  // The places are outside the digest: every file renamed, the bundle still reads.
  std::string text = read_file(genuine.string());
  const size_t places = text.find("\"locations\":");
  REQUIRE(places != std::string::npos);
  size_t renamed = 0;
  for (size_t at = text.find(".doudi\",", places); at != std::string::npos; at = text.find(".doudi\",", at)) {
    text.replace(at, 6, ".other");
    ++renamed;
  }
  REQUIRE(renamed > 0);
  std::ofstream(altered, std::ios::trunc) << text;
  // Before 会宁县 has its standard: an error result (E1005) in each decision.
  std::string out;
  REQUIRE(cli({"--lang", "en", "batch", altered.string(), records.string(), "-j", "会宁县", "-m", "1990-01", "--log",
               log.string(), "--key-file", (kTmp / "key").string()},
              &out) == 3);  // every decision an error result
  REQUIRE(out.find("E1005 × 20") != std::string::npos);
  CHECK(read_file(log.string()).find(".other:") != std::string::npos);
  // With the bundle it was made with, the log replays as it was written…
  CHECK(cli({"--lang", "en", "replay", log.string(), "--bundle", altered.string()}, &out) == 0);
  CHECK(out.find("replayed 20: 20 identical, 0 different") != std::string::npos);
  // …and the genuine bundle, of the same digest, shows every place false.
  CHECK(cli({"--lang", "en", "replay", log.string(), "--bundle", genuine.string()}, &out) == 1);
  CHECK(out.find("replayed 20: 0 identical, 20 different") != std::string::npos);
  CHECK(out.find(".other:") != std::string::npos);
  CHECK(out.find("E1005 @ ") != std::string::npos);
}

TEST_CASE("one writer at a time, and only a regular file is a log") {
  fs::create_directories(kTmp);
  const std::string path = (kTmp / "locked.log").string();
  fs::remove(path);
  std::string error;
  auto first = DecisionLog::open(path, false, error);
  REQUIRE(first);
  auto second = DecisionLog::open(path, false, error);
  CHECK(!second);
  CHECK(error.find("locked") != std::string::npos);
  first.reset();  // the lock goes with the first writer
  CHECK(DecisionLog::open(path, false, error));

  const std::string fifo = (kTmp / "pipe.log").string();
  fs::remove(fifo);
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(!DecisionLog::open(fifo, false, error));  // refused at once, not a wait for a reader
  CHECK(error.find("not a regular file") != std::string::npos);
  CHECK(!verify_log(fifo).ok);
  CHECK(!DecisionLog::open("/dev/full", false, error));
  CHECK(!verify_log("/dev/zero").ok);  // not read without end
}

TEST_CASE("personal data: keyed digests, 敏感 values hidden in outputs, messages and rejections, found with the key") {
  const fs::path dir = kTmp / "personal";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string module = (kRoot / "tests/fixtures/logs/echo.doudi").string();
  {
    std::ofstream out(dir / "r.jsonl");
    out << R"({"申请人": "620422197001010011", "收入": 50})" << "\n"    // the output repeats the ID
        << R"({"申请人": "620422197001010011", "收入": 300})" << "\n"   // a conflict whose message repeats it
        << R"({"申请人": 620422197001010011, "收入": 300})" << "\n";    // rejected: the ID given as a number
  }
  const fs::path log = dir / "a.log";
  fs::remove(log);
  std::string out;
  auto run_batch = [&](const fs::path& key, const fs::path& to) {
    return cli({"batch", module, (dir / "r.jsonl").string(), "-j", "国家", "-m", "2022-06", "--log", to.string(),
                "--key-file", key.string()},
               &out);
  };
  CHECK(run_batch(kTmp / "key", log) == 1);  // one record rejected
  const std::string text = read_file(log);
  CHECK(text.find("620422197001010011") == std::string::npos);
  CHECK(text.find("hmac:") != std::string::npos);
  CHECK(out.find("620422197001010011") == std::string::npos);  // nor on the terminal
  // The rejected record's digest is keyed: without the key nobody can test
  // candidate ID numbers against it; with another key the tokens differ.
  std::vector<LogEntry> entries;
  std::string error;
  REQUIRE(read_log(log.string(), entries, error));
  REQUIRE(entries.size() == 3);
  CHECK(entries[2].rejected);
  CHECK(entries[2].input_digest.rfind("hmac:", 0) == 0);
  std::ofstream(dir / "key2") << "a-second-doudi-log-test-key-0123456789\n";
  fs::permissions(dir / "key2", fs::perms(0600));
  CHECK(run_batch(dir / "key2", dir / "b.log") == 1);
  std::vector<LogEntry> other;
  REQUIRE(read_log((dir / "b.log").string(), other, error));
  CHECK(other[0].input_json != entries[0].input_json);
  CHECK(other[2].input_digest != entries[2].input_digest);
  CHECK(other[0].key_id != entries[0].key_id);
  // Replay decides from the logged (keyed) record and compares like with like.
  CHECK(cli({"replay", log.string(), "--bundle", module}, &out) == 0);
  // The applicant is found with the key, and only with it.
  CHECK(cli({"log", "find", log.string(), "--field", "申请人", "620422197001010011", "--key-file", (kTmp / "key").string()},
            &out) == 0);
  CHECK(out.find("#2 ") != std::string::npos);  // seq 1 is the batch's context line
  CHECK(out.find("#3 ") != std::string::npos);
  CHECK(cli({"log", "find", log.string(), "--field", "申请人", "620422197001010012", "--key-file", (kTmp / "key").string()}) ==
        1);
  // A short key is refused; a resume with another key is refused.
  std::ofstream(dir / "short") << "0123456789\n";
  CHECK(run_batch(dir / "short", dir / "c.log") == 1);
  CHECK_FALSE(fs::exists(dir / "c.log"));
  CHECK(cli({"--lang", "en", "batch", module, (dir / "r.jsonl").string(), "-j", "国家", "-m", "2022-06", "--log",
             log.string(), "--key-file", (dir / "key2").string(), "--resume"},
            &out) == 1);
  CHECK(out.find("E4007") != std::string::npos);
}

TEST_CASE("a record nested 200,000 deep in a batch: rejected, the others decided, and a resume completes the same log") {
  const fs::path dir = kTmp / "deep";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::mt19937_64 rng(11);
  {
    std::ofstream out(dir / "r.jsonl");
    for (int i = 0; i < 5; ++i) out << household(rng, i) << "\n";
    out << "{\"成员\": " << std::string(200000, '[') << std::string(200000, ']') << "}\n";
    for (int i = 5; i < 10; ++i) out << household(rng, i) << "\n";
  }
  const fs::path whole = dir / "whole.log", cut = dir / "cut.log";
  CHECK(batch(dir / "r.jsonl", whole) == 1);  // one record rejected
  std::vector<LogEntry> entries;
  std::string error;
  REQUIRE(read_log(whole.string(), entries, error));
  REQUIRE(entries.size() == 11);
  CHECK(entries[5].rejected);
  size_t decided = 0;
  for (const auto& e : entries) decided += !e.rejected;
  CHECK(decided == 10);
  // Interrupted just after the deep record was logged: the resume goes on
  // from there and writes what the uninterrupted run wrote.
  auto lines = lines_of(whole);
  lines.resize(7);  // the context line and six records
  write_lines(cut, lines);
  std::string out;
  CHECK(cli({"--lang", "en", "batch", kModule, "-I", kPolicies, (dir / "r.jsonl").string(), "-j", "会宁县", "-m", "2022-06",
             "--log", cut.string(), "--key-file", (kTmp / "key").string(), "--resume"},
            &out) == 1);
  CHECK(out.find("records in: 11 = decided 10 (of which error results 0) + rejected 1; 6 were logged before resuming") !=
        std::string::npos);
  CHECK(read_file(cut) == read_file(whole));
}

struct Refusal {};
struct ChunkFailure {};

// Records from `inner`, chunk `fail_at` failing as it is made into records
// on a deciding thread (never, for UINT64_MAX).
class FailingSource : public RecordSource {
 public:
  FailingSource(RecordSource& inner, uint64_t fail_at) : inner_(inner), fail_at_(fail_at) {}
  bool next(Chunk& out) override { return inner_.next(out); }
  uint64_t bytes_read() const override { return inner_.bytes_read(); }
  std::unique_ptr<ChunkConverter> converter() const override {
    class Failing : public ChunkConverter {
     public:
      explicit Failing(uint64_t at) : at_(at) {}
      void convert(Chunk& chunk) override {
        if (chunk.number == at_) throw ChunkFailure{};
      }

     private:
      uint64_t at_;
    };
    return std::make_unique<Failing>(fail_at_);
  }

 private:
  RecordSource& inner_;
  uint64_t fail_at_;
};

TEST_CASE("the log is the same whatever the threads and chunk sizes; blank lines, CRLF, a bad record and no final newline") {
  const fs::path dir = kTmp / "threads";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::mt19937_64 rng(5);
  std::string text;
  for (int i = 0; i < 400; ++i) {
    text += household(rng, i);
    text += i % 7 == 3 ? "\r\n" : "\n";
    if (i % 50 == 10) text += "\n  \t\n";
    if (i == 200) text += "{\"成员\": [\n";  // a cut-off record: rejected, the others decided
  }
  text += household(rng, 400);  // the last line has no newline
  std::ofstream(dir / "r.jsonl", std::ios::binary) << text;
  const fs::path bundle = dir / "rules.bundle";
  REQUIRE(cli({"bundle", kModule, "-I", kPolicies, "-o", bundle.string()}) == 0);
  std::vector<Diagnostic> errors;
  const auto rules = RuleSet::from_bundle(read_file(bundle), bundle.string(), errors);
  REQUIRE(rules);
  const auto context = rules->context("会宁县", "2022-06", errors);
  REQUIRE(context);

  // Signed checkpoints and syncs fall inside a chunk's lines: they are
  // written between those lines, where an entry-by-entry writer puts them.
  std::optional<SigningKey> signer;
  bool group_commit = false;
  // With `held`, the context is given late (as the command line's waits for
  // the input's digest), once 20 chunks' bytes are read, and at most `held`
  // bytes of lines are held meanwhile; how much was read by then is kept.
  // With `refuse`, the context is refused then (as a batch the log holds
  // already is). With `fail_at`, that chunk cannot be made into records
  // (as a CSV chunk with a row libcsv cannot parse): the batch stops there.
  size_t held = 0;
  uint64_t read_at_context = 0;
  bool refuse = false;
  constexpr uint64_t kNever = UINT64_MAX;
  uint64_t fail_at = kNever;
  bool from_input = false;  // decide_batch's overload that reads a RecordInput itself
  auto run = [&](const std::string& name, unsigned threads, size_t chunk_bytes,
                 EngineKind engine = EngineKind::Interpreter) {
    const fs::path log_path = dir / name;
    std::string error;
    CheckpointSettings checkpoints;
    checkpoints.key = signer;
    checkpoints.every = 37;
    auto log = DecisionLog::open(log_path.string(), false, error, checkpoints);
    REQUIRE(log);
    if (group_commit) log->group_commit(GroupCommit{10, std::chrono::milliseconds(0)});
    auto input = RecordInput::open((dir / "r.jsonl").string(), error);
    REQUIRE(input);
    BatchSettings settings;
    settings.context = LogContext{};
    settings.context.batch = "b";
    settings.context.month = "2022-06";
    settings.context.jurisdiction = "会宁县";
    settings.context.bundle = rules->digest();
    describe_schema(settings.context, rules->module());
    settings.key.emplace("doudi-log-test-key-0123456789abcdef");
    settings.context.key_id = settings.key->id;
    settings.threads = threads;
    settings.chunk_bytes = chunk_bytes;
    settings.engine = engine;
    ChunkReader lines(input->fd(), input->size(), chunk_bytes);
    FailingSource reader(lines, fail_at);
    if (held) {
      settings.max_held_bytes = held;
      const LogContext given = std::exchange(settings.context, LogContext{});
      settings.context_known = [&] { return reader.bytes_read() >= 20 * chunk_bytes; };
      settings.context_to_come = [&, given] {
        read_at_context = reader.bytes_read();
        if (refuse) throw Refusal{};
        return given;
      };
    }
    std::vector<int64_t> rejected_lines;
    auto decide = [&] {
      if (from_input)
        return decide_batch(rules, *context, *input, *log, settings,
                            [&](int64_t line, std::string_view, const std::vector<RecordProblem>&) {
                              rejected_lines.push_back(line);
                            });
      return decide_batch(rules, *context, reader, *log, settings,
                          [&](int64_t line, std::string_view, const std::vector<RecordProblem>&) {
                            rejected_lines.push_back(line);
                          });
    };
    if (refuse) {
      CHECK_THROWS_AS(decide(), Refusal);
      return read_file(log_path);
    }
    if (fail_at != kNever) {
      CHECK_THROWS_AS(decide(), ChunkFailure);
      log->sync();
      return read_file(log_path);
    }
    const BatchReport r = decide();
    log->sync();
    CHECK(r.in == 402);
    CHECK(r.rejected == 1);
    CHECK(r.decided == 401);
    REQUIRE(rejected_lines.size() == 1);
    return read_file(log_path);
  };
  const std::string one = run("one.log", 1, 1 << 20);
  CHECK(verify_log((dir / "one.log").string()).ok);
  from_input = true;
  CHECK(run("four.log", 4, 1 << 20) == one);
  from_input = false;
  CHECK(run("small.log", 3, 700) == one);  // a chunk boundary inside most records
  CHECK(run("tiny.log", 2, 1) == one);
  // Decided before the context is known, the lines held: the same log. The
  // context was asked for only once 20 chunks' bytes had been read
  // (without holding, at the first chunk decided: 7 chunks read at most);
  // a small bound asks for it sooner, yet after more than that.
  if (usable_cores() > 1) {  // on one core nothing is held
    held = kHeldLineBytes;
    CHECK(run("held.log", 2, 700) == one);
    CHECK(read_at_context >= 20 * 700);
    held = 12000;
    CHECK(run("held_bounded.log", 3, 700) == one);
    CHECK(read_at_context > 8 * 700);
    CHECK(read_at_context < 20 * 700);
    // Refused once 20 chunks are held: nothing written.
    refuse = true;
    held = kHeldLineBytes;
    CHECK(run("refused.log", 2, 700).empty());
    CHECK(read_at_context >= 20 * 700);
    refuse = false;
    // A chunk that fails while chunks are held: the chunks before it are
    // logged, as they are when logged on the way.
    fail_at = 10;
    held = 0;
    const std::string cut = run("cut_one.log", 1, 700);
    CHECK(std::count(cut.begin(), cut.end(), '\n') > 10);
    CHECK(std::count(cut.begin(), cut.end(), '\n') < 100);
    held = kHeldLineBytes;
    CHECK(run("cut_held.log", 2, 700) == cut);
    fail_at = kNever;
    held = 0;
  }
  // The compiled engine writes the same log byte for byte.
  if (compiled_engine_built()) CHECK(run("jit.log", 2, 1 << 20, EngineKind::Compiled) == one);
  {
    std::string error;
    signer = SigningKey::from_pem(read_file(kSigner), error);
    REQUIRE(signer);
    const std::string signed_one = run("signed_one.log", 1, 1 << 20);
    CHECK(std::count(signed_one.begin(), signed_one.end(), '\n') == 403 + 10);  // a context line, 402 entries, a checkpoint after every 37 lines
    group_commit = true;
    CHECK(run("signed_small.log", 3, 700) == signed_one);
    held = kHeldLineBytes;
    CHECK(run("signed_held.log", 2, 700) == signed_one);
    held = 0;
    CHECK(run("signed_big.log", 2, 1 << 20) == signed_one);
    const auto pub = PublicKey::from_pem(read_file(kSigner.string() + ".pub"), error);
    REQUIRE(pub);
    CHECK(verify_log((dir / "signed_small.log").string(), &*pub).ok);
    signer.reset();
    group_commit = false;
  }
  // The same batch through the command line, from a file and from standard input.
  std::string out;
  CHECK(cli({"batch", bundle.string(), (dir / "r.jsonl").string(), "-j", "会宁县", "-m", "2022-06", "--log",
             (dir / "file.log").string(), "--key-file", (kTmp / "key").string(), "--threads", "2"},
            &out) == 1);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int fd = ::open((dir / "r.jsonl").c_str(), O_RDONLY);
    dup2(fd, STDIN_FILENO);
    execl(DOUDI_BINARY, DOUDI_BINARY, "batch", bundle.c_str(), "-", "-j", "会宁县", "-m", "2022-06", "--log",
          (dir / "stdin.log").c_str(), "--key-file", (kTmp / "key").c_str(), "--threads", "3", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WEXITSTATUS(status) == 1);  // one record rejected
  CHECK(read_file(dir / "stdin.log") == read_file(dir / "file.log"));

  // Rules that do not compile, standard input open and silent (a terminal
  // nobody types at): the batch stops at once, without waiting for input.
  std::ofstream(dir / "broken.doudi") << "这不是规则\n";
  int feed[2];
  REQUIRE(pipe(feed) == 0);
  const pid_t silent = fork();
  REQUIRE(silent >= 0);
  if (silent == 0) {
    dup2(feed[0], STDIN_FILENO);
    close(feed[1]);
    execl(DOUDI_BINARY, DOUDI_BINARY, "batch", (dir / "broken.doudi").c_str(), "-", "-j", "会宁县", "-m", "2022-06", "--log",
          (dir / "silent.log").c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(feed[0]);
  bool ended = false;
  for (int waited = 0; waited < 500 && !ended; ++waited) {  // up to 5 s
    ended = waitpid(silent, &status, WNOHANG) == silent;
    if (!ended) usleep(10000);
  }
  CHECK(ended);
  close(feed[1]);  // ends its input, had it waited for it
  if (!ended) waitpid(silent, &status, 0);
  CHECK(WEXITSTATUS(status) == 1);
}

TEST_CASE("CSV with members as rows decides exactly as the same households in JSON Lines") {
  const fs::path dir = kTmp / "csv";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::mt19937_64 rng(17);
  std::uniform_int_distribution<int> members(1, 6), age(0, 90), wage(0, 300000), grade(0, 8);
  std::bernoulli_distribution urban(0.5), single(0.2), quoted(0.1);
  std::ofstream jsonl(dir / "h.jsonl"), csv(dir / "h.csv", std::ios::binary);
  csv << "户号,户籍,财产符合规定,申请单人户,成员.年龄,成员.工资性收入,成员.残疾类别,成员.残疾等级\r\n";
  for (int i = 0; i < 300; ++i) {
    const bool u = urban(rng), s = single(rng);
    std::string json = fmt::format(R"({{"户籍":"{}","财产符合规定":true,"申请单人户":{},"成员":[)", u ? "城市" : "农村", s);
    const int n = members(rng);
    for (int k = 0; k < n; ++k) {
      const int a = age(rng), w = wage(rng), g = grade(rng);
      const bool has_wage = a >= 18 && a < 60, disabled = g >= 1 && g <= 4;
      json += fmt::format(R"({}{{"年龄":{}{}{}}})", k ? "," : "", a,
                          has_wage ? fmt::format(R"(,"工资性收入":{}.{:02})", w / 100, w % 100) : "",
                          disabled ? fmt::format(R"(,"残疾类别":"肢体","残疾等级":{})", g) : "");
      // Household cells repeat on each member's row; some cells quoted, as spreadsheets do.
      csv << fmt::format("H{},{},是,{},{},{},{},{}\r\n", i, quoted(rng) ? (u ? "\"城市\"" : "\"农村\"") : (u ? "城市" : "农村"),
                         s ? "是" : "否", a, has_wage ? fmt::format("{}.{:02}", w / 100, w % 100) : "",
                         disabled ? "肢体" : "", disabled ? std::to_string(g) : "");
    }
    jsonl << json << "]}\n";
  }
  jsonl.close();
  csv.close();
  REQUIRE(cli({"batch", kModule, "-I", kPolicies, (dir / "h.jsonl").string(), "-j", "会宁县", "-m", "2022-06", "--log",
               (dir / "jsonl.log").string(), "--key-file", (kTmp / "key").string()}) == 0);
  REQUIRE(cli({"batch", kModule, "-I", kPolicies, (dir / "h.csv").string(), "-j", "会宁县", "-m", "2022-06", "--log",
               (dir / "csv.log").string(), "--key-file", (kTmp / "key").string(), "--csv-key", "户号", "--threads", "2"}) == 0);
  std::vector<LogEntry> from_jsonl, from_csv;
  std::string error;
  REQUIRE(read_log((dir / "jsonl.log").string(), from_jsonl, error));
  REQUIRE(read_log((dir / "csv.log").string(), from_csv, error));
  REQUIRE(from_jsonl.size() == 300);
  REQUIRE(from_csv.size() == 300);
  for (size_t i = 0; i < 300; ++i) {
    INFO("household ", i);
    CHECK(from_csv[i].input_json == from_jsonl[i].input_json);
    CHECK(from_csv[i].outputs_json == from_jsonl[i].outputs_json);
    CHECK(from_csv[i].flags_json == from_jsonl[i].flags_json);
  }
  CHECK(from_csv[0].index == 1);  // the line of its first row; the header is line 0
}

TEST_CASE("A CSV household's problem names its cell, in every chunk; a refused header leaves no log") {
  const fs::path dir = kTmp / "csv_cells";
  fs::remove_all(dir);
  fs::create_directories(dir);
  // Past 1 MiB, so the last bad household is in a later chunk than the first.
  std::ofstream csv(dir / "h.csv", std::ios::binary);
  csv << "户号,户籍,财产符合规定,申请单人户,成员.年龄,成员.工资性收入,成员.残疾类别,成员.残疾等级\n";
  int line = 2;  // of the household's first row; the header is line 1
  for (int i = 0; i < 20000; ++i) {
    const bool bad_wage = i == 1, no_registry = i == 7, bad_age = i == 19000;
    // Line 5: the second member's wage; line 18: the 户籍 cell left empty
    // (a required field); line 38004: the first member's age. Household 3's
    // key is a quoted cell over two lines: each of its rows takes two.
    const bool two_lines = i == 3;
    const std::string key = two_lines ? "\"H3\nx\"" : fmt::format("H{}", i);
    csv << fmt::format("{},{},是,否,{},1200.50,,\n", key, no_registry ? "" : "城市", bad_age ? "x" : "40");
    csv << fmt::format("{},{},是,否,12,{},,\n", key, no_registry ? "" : "城市", bad_wage ? "1.2.3" : "");
    if (bad_wage) CHECK(line + 1 == 5);
    if (no_registry) CHECK(line == 18);
    if (bad_age) CHECK(line == 38004);
    line += two_lines ? 4 : 2;
  }
  csv.close();
  REQUIRE(fs::file_size(dir / "h.csv") > (1u << 20));
  std::string out;
  CHECK(cli({"--lang", "en", "batch", kModule, "-I", kPolicies, (dir / "h.csv").string(), "-j", "会宁县", "-m", "2022-06",
             "--log", (dir / "h.log").string(), "--key-file", (kTmp / "key").string(), "--csv-key", "户号", "--no-progress"},
            &out) == 1);
  INFO(out);
  CHECK(out.find("note[N0422]: in the CSV: line 5, column 6 (`成员.工资性收入`)") != std::string::npos);
  CHECK(out.find("note[N0422]: in the CSV: line 18, column 2 (`户籍`)") != std::string::npos);
  CHECK(out.find("note[N0422]: in the CSV: line 38004, column 5 (`成员.年龄`)") != std::string::npos);
  CHECK(out.find("rejected 3") != std::string::npos);

  std::ofstream(dir / "bad_header.csv") << "户号,户籍,收入\nH1,城市,1\n";
  CHECK(cli({"--lang", "en", "batch", kModule, "-I", kPolicies, (dir / "bad_header.csv").string(), "-j", "会宁县", "-m",
             "2022-06", "--log", (dir / "none.log").string(), "--key-file", (kTmp / "key").string(), "--csv-key", "户号"},
            &out) == 1);
  CHECK(out.find("E2011") != std::string::npos);
  CHECK(!fs::exists(dir / "none.log"));
}

TEST_CASE("formats 3 and 4: a decision's id is its line's leaf; a format 2 log is still read and goes on in format 4") {
  const fs::path fixtures = kRoot / "tests/fixtures/logs";
  const fs::path log = kTmp / "format2_then_3.log";
  fs::copy_file(fixtures / "format2.log", log, fs::copy_options::overwrite_existing);
  const auto before = lines_of(log);
  REQUIRE(before.size() == 3);  // a format 2 context line and its two decisions
  REQUIRE(before[1].find("\"id\":\"") != std::string::npos);
  {
    // A decision of format 3 goes under a context line of format 3, never
    // straight after the old batch's.
    std::string error;
    auto opened = DecisionLog::open(log.string(), false, error);
    REQUIRE(opened);
    LogFields f;
    f.input_json = "{}";
    f.outputs_json = "[0]";
    f.flags_json = "[]";
    f.error_json = f.rejected_json = "null";
    CHECK_THROWS_AS(opened->append_decision(f), std::logic_error);
  }
  CHECK(lines_of(log) == before);
  std::string out;
  REQUIRE(cli({"batch", (fixtures / "schema.doudi").string(), (fixtures / "records_more.jsonl").string(), "-j", "国家", "-m",
               "2022-06", "--log", log.string(), "--key-file", (fixtures / "key").string()},
              &out) == 0);
  const auto lines = lines_of(log);
  REQUIRE(lines.size() == 3 + 1 + 3);
  CHECK(std::equal(before.begin(), before.end(), lines.begin()));  // the old lines as they were
  CHECK(lines[3].find("{\"seq\":4,\"context\":{\"format\":4,") == 0);
  LogContents contents;
  const VerifyResult r = verify_log(log.string(), nullptr, &contents);
  REQUIRE(r.ok);
  CHECK(r.format == 4);
  CHECK(r.batches == 2);
  REQUIRE(contents.entries.size() == 5);
  // Format 2: the id written in the line, and checked against its batch and place.
  CHECK(contents.entries[0].id == before[1].substr(before[1].find("\"id\":\"") + 6, 20));
  CHECK(contents.entries[0].id == decision_id_v2(contents.entries[0].batch, 0, 2));
  // From format 3 on: not written; from the line and its context line.
  for (size_t i = 2; i < 5; ++i) {
    const std::string& line = lines[i + 2];
    CHECK(line.find("\"id\"") == std::string::npos);
    CHECK(contents.entries[i].id == format3_id(lines[3], line));
    const auto logged = read_logged_decision(lines[3], line);  // as the service finds it
    REQUIRE(logged);
    CHECK(logged->id == contents.entries[i].id);
  }
  const auto old = read_logged_decision(lines[0], lines[1]);  // a format 2 decision, as the service finds it
  REQUIRE(old);
  CHECK(old->id == contents.entries[0].id);
  // Appending where a database keeps the lines (the C API, PostgreSQL) goes
  // on from either format's head, and the lines verify.
  for (const size_t last : {size_t{2}, lines.size() - 1}) {
    std::string why;
    const size_t context_at = last == 2 ? 0 : 3;
    const auto head = read_chain_head(lines[last], lines[context_at], why);
    REQUIRE(head);
    LogChain chain(*head);
    std::vector<std::string> more;
    LogContext c = *head->context;
    c.format = kLogFormat;
    c.month = "2022-07";
    c.input_shape = R"({"root":"s0","structs":[{"name":"户","fields":[]}]})";
    LogFields f;
    f.index = 0;
    f.input_json = "[]";
    f.outputs_json = "[0]";
    f.flags_json = "[]";
    f.error_json = f.rejected_json = "null";
    const std::string id = chain.append(c, f, more);
    REQUIRE(more.size() == 2);  // a context line (another month), then the decision
    std::vector<std::string> all(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(last + 1));
    all.insert(all.end(), more.begin(), more.end());
    write_lines(kTmp / "chained_on.log", all);
    LogContents read;
    REQUIRE(verify_log((kTmp / "chained_on.log").string(), nullptr, &read).ok);
    CHECK(read.entries.back().id == id);
    CHECK(id == format3_id(more[0], more[1]));
  }
  // `log list` names each decision by its id, and explain finds one by it.
  REQUIRE(cli({"--lang", "en", "log", "list", log.string()}, &out) == 0);
  CHECK(out.find("#2 " + contents.entries[0].id + " 国家 2022-06 ") == 0);
  CHECK(out.find("#7 " + contents.entries[4].id + " 国家 2022-06 " + contents.entries[4].batch + " record 2\n") !=
        std::string::npos);
  CHECK(cli({"--lang", "en", "explain", log.string(), "--id", contents.entries[3].id, "--bundle",
             (fixtures / "schema.bundle").string()},
            &out) == 0);

  auto refused = [&](const std::vector<std::string>& edited, const std::string& why) {
    const fs::path bad = kTmp / "format_edited.log";
    write_lines(bad, edited);
    const VerifyResult v = verify_log(bad.string());
    CHECK_FALSE(v.ok);
    INFO(v.reason);
    CHECK(v.reason.find(why) != std::string::npos);
    std::string listed;
    CHECK(cli({"--lang", "en", "log", "list", bad.string()}, &listed) == 1);
    CHECK(listed.find("#2 ") == std::string::npos);  // nothing listed from a log that does not hold
    return v.bad_entry;
  };
  SUBCASE("an id written into a format 4 decision (and the chain recomputed)") {
    CHECK(refused(rechain(lines, 5, [](std::string& l) { l.insert(l.find(",\"context\":"), ",\"id\":\"0123456789abcdef0123\""); }),
                  "it has an id field, which a format 4 decision does not") == 5);
  }
  SUBCASE("a context line of a format this doudi does not know") {
    CHECK(refused(rechain(lines, 4, [](std::string& l) { l.replace(l.find("\"format\":4"), 10, "\"format\":5"); }),
                  "its context line's format 5 is not one this doudi reads") == 4);
  }
  SUBCASE("a format 4 context line without its input's shape") {
    CHECK(refused(rechain(lines, 4, [](std::string& l) { const size_t at = l.find(",\"input_shape\":"); l.erase(at, l.rfind('}') - at); }),
                  "a field is missing") == 4);
  }
  SUBCASE("a format 4 input that does not have its shape") {
    // One value too many for a member, a mask naming a field that is not
    // there, a member keyed as in format 3.
    for (const std::string& input : {std::string(R"([[[1,"hmac:x",100,7]]])"), std::string(R"([[[3,"hmac:x",100]]])"),
                                     std::string(R"([[[1,"hmac:x"]]])"), std::string(R"({"成员":[]})")}) {
      CHECK(refused(rechain(lines, 5, [&](std::string& l) {
                      const size_t at = l.find("\"input\":") + 8;
                      l.replace(at, l.find(",\"outputs\"") - at, input);
                    }),
                    "a field is missing") == 5);
    }
  }
  SUBCASE("a format 2 context line after a format 4 one") {
    auto edited = lines;
    edited.push_back(before[0]);  // the old context line again, numbered and chained on
    edited.back().replace(edited.back().find("\"seq\":1,"), 8, "\"seq\":8,");
    CHECK(refused(rechain(edited, 0, [](std::string&) {}), "a context line of format 2 after one of format 4") == 8);
  }
  SUBCASE("a format 4 context line made format 2: its decisions lack their ids") {
    CHECK(refused(rechain(lines, 4, [](std::string& l) { l.erase(l.find("\"format\":4,"), 11); }),
                  "a field is missing") == 5);
  }
}

namespace {

// The batch of tests/fixtures/logs/NAME.jsonl under NAME.doudi, into a new
// log at kTmp/NAME.log.
fs::path batch_fixture(const std::string& name) {
  const fs::path fixtures = kRoot / "tests/fixtures/logs";
  const fs::path log = kTmp / (name + ".log");
  fs::remove(log);
  std::string out;
  REQUIRE(cli({"batch", (fixtures / (name + ".doudi")).string(), (fixtures / (name + ".jsonl")).string(), "-j", "国家",
               "-m", "2022-06", "--log", log.string()},
              &out) == 0);
  return log;
}

// Replay of that log under NAME.doudi, bundled: all `decisions` the same.
void check_replays_identically(const std::string& name, const fs::path& log, int decisions) {
  const fs::path bundle = kTmp / (name + ".bundle");
  std::string out;
  REQUIRE(cli({"bundle", (kRoot / "tests/fixtures/logs" / (name + ".doudi")).string(), "-o", bundle.string()}, &out) == 0);
  CHECK(cli({"--lang", "en", "replay", log.string(), "--bundle", bundle.string()}, &out) == 0);
  CHECK(out.find(fmt::format("{} identical, 0 different", decisions)) != std::string::npos);
}

}  // namespace

TEST_CASE("format 4: lists of lists by position, a structure with more omissible fields than a mask holds keyed") {
  const fs::path log = batch_fixture("shapes");
  const auto lines = lines_of(log);
  REQUIRE(lines.size() == 3);
  // 人's mask: bit 0 收入 (it has a default), bit 1 年龄 (optional).
  CHECK(lines[1].find(R"("input":[[[1,"a",5]],[[[2,"b",3]],[]],{"项0":1,"项52":7,"人们":[{"姓名":"d"}]}])") != std::string::npos);
  CHECK(lines[2].find(R"("input":[[],[],{"项3":2,"人们":[{"姓名":"e","收入":1.5}]}])") != std::string::npos);
  LogContents contents;
  REQUIRE(verify_log(log.string(), nullptr, &contents).ok);
  REQUIRE(contents.entries.size() == 2);
  CHECK(contents.entries[0].input_json ==
        R"({"成员":[{"姓名":"a","收入":5}],"分组":[[{"姓名":"b","年龄":3}],[]],"宽表":{"项0":1,"项52":7,"人们":[{"姓名":"d"}]}})");
  CHECK(contents.entries[1].input_json == R"({"成员":[],"分组":[],"宽表":{"项3":2,"人们":[{"姓名":"e","收入":1.5}]}})");
  check_replays_identically("shapes", log, 2);
}

TEST_CASE("format 4: a structure of more than 64 fields, omissible ones before and after the 64th") {
  // long.doudi's 长: 前 (optional), 必1…必63 (required), 可0 (optional),
  // 可1 (default 0), 可2 (optional): mask bits 0–3 for 前, 可0, 可1, 可2.
  const fs::path log = batch_fixture("long");
  const auto lines = lines_of(log);
  REQUIRE(lines.size() == 3);
  std::string required, keyed_required;
  for (int i = 1; i < 64; ++i) {
    required += fmt::format(",{}", i);
    keyed_required += fmt::format(",\"必{}\":{}", i, i);
  }
  CHECK(lines[1].find("\"input\":[13,9" + required + ",2.5,7]") != std::string::npos);  // 前, 可1, 可2 given
  CHECK(lines[2].find("\"input\":[2" + required + ",4]") != std::string::npos);          // 可0 alone (可1 at its default)
  LogContents contents;
  REQUIRE(verify_log(log.string(), nullptr, &contents).ok);
  REQUIRE(contents.entries.size() == 2);
  CHECK(contents.entries[0].input_json == "{\"前\":9" + keyed_required + ",\"可1\":2.5,\"可2\":7}");
  CHECK(contents.entries[1].input_json == "{" + keyed_required.substr(1) + ",\"可0\":4}");
  check_replays_identically("long", log, 2);
}

TEST_CASE("format 4 writes a record by position, and reads it back as format 3 held it; a format 3 log goes on in format 4") {
  const fs::path fixtures = kRoot / "tests/fixtures/logs";
  // format3.log: the batch of records.jsonl under schema.doudi, written by
  // the doudi before format 4.
  const fs::path log = kTmp / "format3_then_4.log";
  fs::copy_file(fixtures / "format3.log", log, fs::copy_options::overwrite_existing);
  const auto before = lines_of(log);
  REQUIRE(before.size() == 3);
  REQUIRE(before[0].find("{\"seq\":1,\"context\":{\"format\":3,") == 0);
  REQUIRE(before[1].find("\"input\":{\"成员\":[{\"姓名\":\"hmac:") != std::string::npos);
  const fs::path fresh = kTmp / "format4_alone.log";
  fs::remove(fresh);
  for (const fs::path& to : {log, fresh}) {
    std::string out;
    REQUIRE(cli({"batch", (fixtures / "schema.doudi").string(), (fixtures / "records.jsonl").string(), "-j", "国家", "-m",
                 "2022-07", "--log", to.string(), "--key-file", (fixtures / "key").string()},
                &out) == 0);
  }
  const auto lines = lines_of(log);
  REQUIRE(lines.size() == 3 + 3);
  CHECK(std::equal(before.begin(), before.end(), lines.begin()));
  CHECK(lines[3].find("{\"seq\":4,\"context\":{\"format\":4,") == 0);
  CHECK(lines[3].find(R"("input_shape":{"root":"s1","structs":[{"name":"人","fields":[["姓名","",false],["收入","",true]]},{"name":"户","fields":[["成员","[s0",false]]}]})") != std::string::npos);
  // 收入 has a default (0), so a member starts with its mask: bit 0, 收入 given.
  CHECK(lines[4].find(R"("input":[[[1,"hmac:1c13ce17800e233afca7300b085fad41",100]]])") != std::string::npos);
  LogContents contents;
  const VerifyResult r = verify_log(log.string(), nullptr, &contents);
  REQUIRE(r.ok);
  CHECK(r.format == 4);
  REQUIRE(contents.entries.size() == 4);
  // The same records, as format 3 held them and as format 4 reads back.
  CHECK(contents.entries[0].input_json == R"({"成员":[{"姓名":"hmac:1c13ce17800e233afca7300b085fad41","收入":100}]})");
  CHECK(contents.entries[2].input_json == contents.entries[0].input_json);
  CHECK(contents.entries[3].input_json == contents.entries[1].input_json);
  CHECK(contents.entries[0].id == format3_id(lines[0], lines[1]));
  CHECK(contents.entries[2].id == format3_id(lines[3], lines[4]));
  for (size_t i : {size_t{1}, size_t{2}}) {
    const auto logged = read_logged_decision(lines[i < 2 ? 0 : 3], lines[i < 2 ? i : i + 2]);
    REQUIRE(logged);
    CHECK(logged->input_json == contents.entries[0].input_json);
  }
  // Both batches replay under the genuine rules; the shorter log holds the same.
  std::string out;
  CHECK(cli({"--lang", "en", "replay", log.string(), "--bundle", (fixtures / "schema.bundle").string()}, &out) == 0);
  INFO(out);
  CHECK(fs::file_size(fresh) < fs::file_size(fixtures / "format3.log") + 300);  // the shape is written once
  // A member at its default leaves its 收入 out: a mask of 0.
  std::ofstream(kTmp / "zero.jsonl") << R"({"成员": [{"姓名": "周九", "收入": 0}, {"姓名": "吴十", "收入": 5}]})" << "\n";
  fs::remove(kTmp / "zero.log");
  REQUIRE(cli({"batch", (fixtures / "schema.doudi").string(), (kTmp / "zero.jsonl").string(), "-j", "国家", "-m", "2022-06",
               "--log", (kTmp / "zero.log").string(), "--key-file", (fixtures / "key").string()},
              &out) == 0);
  const auto zero = lines_of(kTmp / "zero.log");
  REQUIRE(zero.size() == 2);
  CHECK(zero[1].find(R"("input":[[[0,"hmac:)") != std::string::npos);
  CHECK(zero[1].find(R"("],[1,"hmac:)") != std::string::npos);
  LogContents read;
  REQUIRE(verify_log((kTmp / "zero.log").string(), nullptr, &read).ok);
  REQUIRE(read.entries.size() == 1);
  CHECK(read.entries[0].input_json.find(R"(,"收入":5}]})") != std::string::npos);
  CHECK(read.entries[0].input_json.find(R"("},{"姓名":)") != std::string::npos);  // the first member without 收入

  // Amounts come back with every digit (through a double they would not),
  // in the record and in the outputs, and replay finds the same.
  std::ofstream(kTmp / "large.jsonl") << R"({"成员": [{"姓名": "郑一", "收入": 12345678901234567.89}]})" << "\n";
  fs::remove(kTmp / "large.log");
  REQUIRE(cli({"batch", (fixtures / "schema.doudi").string(), (kTmp / "large.jsonl").string(), "-j", "国家", "-m",
               "2022-06", "--log", (kTmp / "large.log").string(), "--key-file", (fixtures / "key").string()},
              &out) == 0);
  LogContents large;
  REQUIRE(verify_log((kTmp / "large.log").string(), nullptr, &large).ok);
  REQUIRE(large.entries.size() == 1);
  CHECK(large.entries[0].input_json.find(R"("收入":12345678901234567.89}]})") != std::string::npos);
  CHECK(large.entries[0].outputs_json == R"({"总收入":12345678901234567.89})");
  CHECK(cli({"--lang", "en", "replay", (kTmp / "large.log").string(), "--bundle", (fixtures / "schema.bundle").string()},
            &out) == 0);
  CHECK(out.find("1 identical, 0 different") != std::string::npos);
}
