#include "tools/lsp/documents.h"

#include <filesystem>

namespace doudi::lsp {

std::optional<std::string> path_of_uri(const std::string& uri) {
  constexpr std::string_view kScheme = "file://";
  if (uri.compare(0, kScheme.size(), kScheme) != 0) return std::nullopt;
  std::string path;
  for (size_t i = kScheme.size(); i < uri.size(); ++i) {
    auto hex = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; };
    if (uri[i] == '%' && i + 2 < uri.size() && hex(uri[i + 1]) >= 0 && hex(uri[i + 2]) >= 0) {
      path += static_cast<char>(hex(uri[i + 1]) * 16 + hex(uri[i + 2]));
      i += 2;
    } else {
      path += uri[i];
    }
  }
  // file://host/path is not a local file; file:///path is.
  if (path.empty() || path[0] != '/') return std::nullopt;
  return path;
}

std::string uri_of_path(const std::string& path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string uri = "file://";
  for (unsigned char c : path_key(path)) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri;
}

std::string path_key(const std::string& path) {
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(path, ec);
  return (ec ? std::filesystem::path(path) : absolute).lexically_normal().string();
}

FileId Analysis::file_of(const std::string& path) const {
  if (!compilation) return kNoFile;
  const std::string want = path_key(path);
  for (FileId f = 0; f < compilation->sources.size(); ++f)
    if (path_key(compilation->sources.file(f).path()) == want) return f;
  return kNoFile;
}

Document& Documents::open(const std::string& uri, const std::string& path, std::string text, int64_t version) {
  Document& d = docs_[uri];
  d.uri = uri;
  d.path = path;
  d.text = std::move(text);
  d.version = version;
  d.stale = true;
  return d;
}

void Documents::close(const std::string& uri) { docs_.erase(uri); }

Document* Documents::find(const std::string& uri) {
  auto it = docs_.find(uri);
  return it == docs_.end() ? nullptr : &it->second;
}

SourceFiles Documents::buffers() const {
  SourceFiles files;
  for (const auto& [uri, doc] : docs_) files.set_buffer(doc.path, doc.text);
  return files;
}

std::shared_ptr<const Analysis> Documents::analyse(Document& doc, const std::vector<std::string>& import_roots) {
  CompileOptions options;
  options.until = Stage::Check;
  options.import_roots = import_roots;
  options.files = buffers();
  auto a = std::make_shared<Analysis>();
  a->compilation = compile_text(doc.path, doc.text, options);
  if (a->compilation->program) a->names = std::make_unique<NameIndex>(*a->compilation->program);
  doc.analysis = a;
  if (a->names && !a->compilation->program->globals.empty()) doc.last_checked = a;
  doc.stale = false;
  return a;
}

}  // namespace doudi::lsp
