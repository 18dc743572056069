#include "tools/lsp/json_rpc.h"

#include <charconv>
#include <cstring>

namespace doudi::lsp {
namespace {

bool header_is(const std::string& line, const char* name) {
  const size_t n = std::strlen(name);
  if (line.size() < n) return false;
  for (size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != std::tolower(static_cast<unsigned char>(name[i])))
      return false;
  return true;
}

}  // namespace

ReadStatus read_message(std::istream& in, std::string& body, std::string& error) {
  constexpr size_t kMaxHeaderLine = 1024;
  bool any = false, have_length = false;
  size_t length = 0;
  // Headers: "Name: value\r\n" lines, then an empty line; each line read at
  // most kMaxHeaderLine bytes at a time, so a line without an end costs no memory.
  for (;;) {
    std::string line;
    int c;
    while ((c = in.get()) != std::char_traits<char>::eof() && c != '\n') {
      if (line.size() == kMaxHeaderLine) {
        error = "a header line longer than 1024 bytes";
        return ReadStatus::Broken;
      }
      line += static_cast<char>(c);
    }
    if (c == std::char_traits<char>::eof() && line.empty()) return any ? ReadStatus::Broken : ReadStatus::End;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!any) continue;  // stray blank lines between messages
      break;
    }
    any = true;
    if (header_is(line, "Content-Length:")) {
      const char* first = line.data() + std::strlen("Content-Length:");
      const char* last = line.data() + line.size();
      while (first < last && *first == ' ') ++first;
      auto [end, ec] = std::from_chars(first, last, length);
      if (ec != std::errc() || end != last) {
        error = "Content-Length is not a number: " + line;
        return ReadStatus::Broken;
      }
      have_length = true;
    }
    if (c == std::char_traits<char>::eof()) {
      error = "the stream ended inside a message's headers";
      return ReadStatus::Broken;
    }
  }
  if (!have_length) {
    error = "a message without Content-Length";
    return ReadStatus::Broken;
  }
  if (length > kMaxMessageBytes) {
    error = "a message of " + std::to_string(length) + " bytes (at most " + std::to_string(kMaxMessageBytes) + ")";
    return ReadStatus::Broken;
  }
  body.resize(length);
  in.read(body.data(), static_cast<std::streamsize>(length));
  if (static_cast<size_t>(in.gcount()) != length) {
    error = "the stream ended inside a message";
    return ReadStatus::Broken;
  }
  return ReadStatus::Message;
}

void write_message(std::ostream& out, const std::string& body) {
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

}  // namespace doudi::lsp
