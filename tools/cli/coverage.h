// Which declarations cite which clauses and provisions, and which tests
// exercise them (a declaration is exercised when a test's evaluation entered
// it: a definition, rule branch, flag or constraint ran, or a parameter
// value was read).
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

namespace doudi::cli {

struct Declaration {
  std::string kind;  // definition, rule, default, exception, flag, constraint, value
  std::string name;
  std::string where;  // file:line:column, the key
  std::vector<std::string> citations;
  std::vector<std::string> provisions;
  std::set<std::string> tests;  // "file: title"
};

struct ProvisionRow {
  std::string id, kind, document, clause, text;
};

struct Coverage {
  std::map<std::string, Declaration> declarations;  // by where
  std::vector<std::string> failed_files;            // did not compile
  size_t tests = 0;
};

// Compiles every file, collects its declarations and runs its tests.
Coverage collect_coverage(const std::vector<std::string>& files);

// Reads a provisions registry (tab-separated: id, kind, document, clause,
// provision; `#` lines are comments). Returns false if it cannot be read.
bool read_provisions(const std::string& path, std::vector<ProvisionRow>& rows);

}  // namespace doudi::cli
