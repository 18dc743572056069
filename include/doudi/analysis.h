// The public API of the analyses: `check` (types, constraints, missing
// values, unused definitions, proofs of no conflicts and no gaps, with
// counterexample households), `diff` between versions or jurisdictions, and
// the language's own tests and provision coverage. Reports are data;
// rendering them is the caller's job (the CLI, an editor, a server).
//
// Links doudi_analysis, the only library with Z3 in it; no Z3 type appears
// in these headers.
#pragma once
#include "compiler/analysis/check_files.h"
#include "compiler/analysis/compare_versions.h"
#include "compiler/analysis/coverage.h"
#include "compiler/analysis/run_tests.h"
#include "compiler/analysis/test_failure_text.h"
#include "compiler/analysis/thresholds_confirmed.h"
#include "compiler/analysis/why_not.h"
#include "compiler/analysis/why_not_confirmed.h"
#include "doudi/compiler.h"
