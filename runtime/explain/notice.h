// A printable A4 decision notice (HTML; tools/cli prints it to PDF with
// headless Chromium): the issuing office, the household's data, the
// determination with its arithmetic, the reasons with their clauses,
// pending review flags, the decision id, rule-bundle digest and log
// position (to check the notice against the log), and the appeal route.
// Legal texts (issuing office, appeal route) are the jurisdiction's own: the
// text parameters 通知书发文机关 and 通知书救济途径 in force there; the tool
// never writes them, and says so when a jurisdiction has not set them.
#pragma once
#include <string>

#include "runtime/diag/diagnostic.h"
#include "runtime/interp/interpreter.h"
#include "runtime/interp/trace.h"
#include "runtime/ir/ir.h"

namespace doudi {

// The text parameters a notice reads (declared in 通用.国家框架).
inline constexpr const char* kNoticeOfficeParam = "通知书发文机关";
inline constexpr const char* kNoticeAppealParam = "通知书救济途径";

struct NoticeInput {
  const Decision* decision = nullptr;
  const TraceNode* trace = nullptr;
  const RecordData* record = nullptr;
  uint32_t jurisdiction = UINT32_MAX;
  int64_t month = 0;
  std::string decision_id;  // empty: not logged (the notice says so)
  uint64_t log_seq = 0;
  std::string bundle_digest;
  bool show_sensitive = false;  // 敏感 fields are masked unless asked
};

std::string notice_html(const ir::Module& m, const NoticeInput& in, Lang lang);

}  // namespace doudi
