// The files an editor has open, by URI, with their unsaved text, and what
// the compiler made of each at its last change.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "compiler/index/name_index.h"
#include "doudi/compiler.h"

namespace doudi::lsp {

// file:///a/b%20c.doudi ↔ /a/b c.doudi; none for another scheme.
std::optional<std::string> path_of_uri(const std::string& uri);
std::string uri_of_path(const std::string& path);
// A path as one key whatever way it was written (absolute, normalised;
// never throws): how a file of one compilation is found in another.
std::string path_key(const std::string& path);

// One compilation of an open file (with every open file's text laid over
// the disk), to the checking stage, and the names in it.
struct Analysis {
  std::shared_ptr<Compilation> compilation;
  std::unique_ptr<NameIndex> names;  // null when the file did not reach the checker
  // The FileId of `path` in the compilation, or kNoFile.
  FileId file_of(const std::string& path) const;
};

struct Document {
  std::string uri, path, text;
  int64_t version = 0;
  bool stale = true;  // changed since `analysis` was made
  int64_t proved_version = -1;  // the version the background proofs last finished on
  std::shared_ptr<const Analysis> analysis;
  // The last analysis whose file reached the checker (names resolved): what
  // completion offers while the text being typed does not parse.
  std::shared_ptr<const Analysis> last_checked;
};

class Documents {
 public:
  Document& open(const std::string& uri, const std::string& path, std::string text, int64_t version);
  void close(const std::string& uri);
  Document* find(const std::string& uri);
  std::map<std::string, Document>& all() { return docs_; }
  // The open files' texts, to lay over the disk in a compilation.
  SourceFiles buffers() const;
  // Compiles `doc` with the open files' texts over the disk.
  std::shared_ptr<const Analysis> analyse(Document& doc, const std::vector<std::string>& import_roots);

 private:
  std::map<std::string, Document> docs_;
};

}  // namespace doudi::lsp
