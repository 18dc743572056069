// Where the compiler reads rule files: the disk, with in-memory buffers laid
// over it (an editor's unsaved text, rules typed into a console, a test's
// module). A buffer replaces the file at its path, or stands for a file that
// does not exist; module lookup finds buffers as it finds files on disk.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace doudi {

class SourceFiles {
 public:
  void set_buffer(const std::string& path, std::string text);
  // The buffer at `path`, else the file on disk; false if neither.
  bool read(const std::string& path, std::string& out) const;
  // Paths of the buffers that lie below `dir`.
  std::vector<std::string> buffers_under(const std::filesystem::path& dir) const;

 private:
  struct Buffer {
    std::string path;  // as given
    std::string text;
  };
  std::map<std::string, Buffer> buffers_;  // by absolute, normalised path
};

}  // namespace doudi
