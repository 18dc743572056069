#include "compiler/load/source_files.h"

#include "runtime/source/read_file.h"

namespace doudi {
namespace fs = std::filesystem;
namespace {

std::string key_of(const std::string& path) {
  std::error_code ec;
  return fs::absolute(path, ec).lexically_normal().string();
}

}  // namespace

void SourceFiles::set_buffer(const std::string& path, std::string text) {
  buffers_[key_of(path)] = Buffer{path, std::move(text)};
}

bool SourceFiles::read(const std::string& path, std::string& out) const {
  if (auto it = buffers_.find(key_of(path)); it != buffers_.end()) {
    out = it->second.text;
    return true;
  }
  return read_source_file(path, out);
}

std::vector<std::string> SourceFiles::buffers_under(const fs::path& dir) const {
  const std::string prefix = key_of(dir.string()) + "/";
  std::vector<std::string> out;
  for (const auto& [key, buffer] : buffers_)
    if (key.compare(0, prefix.size(), prefix) == 0) out.push_back(buffer.path);
  return out;
}

}  // namespace doudi
