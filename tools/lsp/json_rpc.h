// The Language Server Protocol's base protocol: messages framed by a
// Content-Length header over a byte stream (stdin and stdout).
#pragma once
#include <istream>
#include <ostream>
#include <string>

namespace doudi::lsp {

// A body larger than this is refused (and skipped): no request of an editor
// comes near it, and a hostile length must not make us allocate it.
inline constexpr size_t kMaxMessageBytes = 64 << 20;

enum class ReadStatus {
  Message,  // `body` holds one message
  End,      // the stream ended (between messages)
  // `error` says why. The framing is lost (no length, a length over the
  // limit, a header line over 1 KiB): nothing after it can be trusted to
  // start a message, so the caller stops reading.
  Broken,
};

ReadStatus read_message(std::istream& in, std::string& body, std::string& error);
void write_message(std::ostream& out, const std::string& body);

}  // namespace doudi::lsp
