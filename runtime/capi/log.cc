// The decision log through the C API: the file `doudi batch --log` writes.
#include "runtime/capi/capi_objects.h"

using namespace doudi;

extern "C" {

doudi_log* doudi_log_open(const char* path, doudi_error** error) {
  if (!path) {
    capi::report_misuse(error, "日志路径为 NULL", "the log's path is NULL");
    return nullptr;
  }
  return capi::guarded<doudi_log*>(error, nullptr, [&]() -> doudi_log* {
    std::string why;
    auto log = DecisionLog::open(path, false, why);
    if (!log) {
      capi::report(error, DOUDI_REFUSED, {Diagnostic{DiagCode::E4003, Span{}, {path, why}, {}}});
      return nullptr;
    }
    const auto nonce = capi::batch_nonce(error);
    if (!nonce) return nullptr;
    return new doudi_log{{}, std::move(*log), *nonce};
  });
}

doudi_status doudi_log_sync(doudi_log* log, doudi_error** error) {
  if (!log) {
    capi::report_misuse(error, "日志为 NULL", "the log is NULL");
    return DOUDI_MISUSE;
  }
  return capi::guarded<doudi_status>(error, DOUDI_INTERNAL, [&] {
    try {
      std::lock_guard lock(log->mutex);
      log->log.sync();
      return DOUDI_OK;
    } catch (const std::runtime_error& e) {
      return capi::log_failed(error, log->log.path(), e);
    }
  });
}

doudi_status doudi_log_close(doudi_log* log, doudi_error** error) {
  if (!log) return DOUDI_OK;
  const doudi_status synced = doudi_log_sync(log, error);
  delete log;
  return synced;
}

}  // extern "C"
