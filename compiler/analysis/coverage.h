// Which declarations cite which clauses and provisions, and which tests
// exercise them (a declaration is exercised when a test's evaluation entered
// it: a definition, rule branch, flag or constraint ran, or a parameter
// value was read).
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

namespace doudi {

struct Declaration {
  std::string kind;  // definition, rule, default, exception, flag, constraint, value
  std::string name;
  std::string where;  // file:line:column, the key
  std::vector<std::string> citations;
  std::vector<std::string> provisions;
  std::set<std::string> tests;  // "file「title」"
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
Coverage collect_coverage(const std::vector<std::string>& files, const std::vector<std::string>& import_roots = {});

// Reads a provisions registry (tab-separated: id, kind, document, clause,
// provision; `#` lines are comments). Returns false if it cannot be read.
bool read_provisions(const std::string& path, std::vector<ProvisionRow>& rows);

// Which citations and registry rows the declarations and tests cover.
struct CoverageReport {
  std::map<std::string, std::vector<const Declaration*>> by_citation;  // citation → declarations citing it
  size_t untested_citations = 0;
  struct RowStatus {
    std::vector<const Declaration*> decls;
    bool tested = false;
    std::string status;  // ok, untagged, untested, needs a flag, not encoded (N)
  };
  std::map<std::string, RowStatus> rows;  // by provision id
  size_t ok = 0, missing = 0, untested = 0;
  // Provision tags naming no row: "id (kind where)", `where` as given by `place`.
  std::vector<std::string> unknown_tags;
  bool complete(const Coverage& cov) const {
    return untested_citations == 0 && missing == 0 && untested == 0 && unknown_tags.empty() && cov.failed_files.empty();
  }
};

// The report points into `cov`, which must outlive it; `place` shows a
// declaration's location in unknown_tags.
CoverageReport coverage_report(const Coverage& cov, const std::vector<ProvisionRow>& rows,
                               std::string (*place)(const std::string& where));
CoverageReport coverage_report(Coverage&& cov, const std::vector<ProvisionRow>& rows,
                               std::string (*place)(const std::string& where)) = delete;  // would dangle

}  // namespace doudi
