#include "runtime/diag/system_reason.h"

#include <dlfcn.h>

#include <cerrno>
#include <cstring>

#include "runtime/diag/diagnostic.h"

namespace doudi {
namespace {

const char* chinese_reason(int err) {
  switch (err) {
    case ENOENT: return "文件或文件夹不存在";
    case EACCES: return "没有权限";
    case EPERM: return "不允许这样操作";
    case EISDIR: return "这是一个文件夹";
    case ENOTDIR: return "路径中有一段不是文件夹";
    case ENOSPC: return "磁盘已满";
    case EDQUOT: return "超出磁盘配额";
    case EROFS: return "文件系统只读";
    case EFBIG: return "文件过大";
    case EIO: return "输入输出错误（磁盘或设备故障）";
    case EMFILE: case ENFILE: return "打开的文件过多";
    case ENAMETOOLONG: return "文件名过长";
    case ELOOP: return "符号链接层数过多（循环？）";
    case EEXIST: return "文件已存在";
    case EBUSY: return "设备或资源忙";
    case ENOMEM: return "内存不足";
    case ETXTBSY: return "文件正被执行";
    case EXDEV: return "不能跨文件系统";
    case EINVAL: return "参数无效";
    case EPIPE: return "管道的另一端已关闭";
    default: return nullptr;
  }
}

}  // namespace

std::string system_failure(const std::string& zh_before, const std::string& en_before, int err) {
  const std::string en = std::strerror(err);
  const char* zh = chinese_reason(err);
  return bilingual(zh_before + (zh ? std::string(zh) : en), en_before + en);
}

std::string load_failure(const std::string& path) {
  const char* why = dlerror();
  return why ? bilingual(std::string("无法载入：") + why, why) : bilingual(path + "：无法载入", path + ": cannot be loaded");
}

}  // namespace doudi
