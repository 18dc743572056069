// The front end on arbitrary rule text: parse, resolve, types, units,
// lowering and the IR verifier, diagnostics rendered in both languages; a
// file that parses is formatted in both dialects and must parse again.
// Imports resolve against stdlib-policies, so seeds may import policies.
// The lexer must make the same tokens through its ASCII twins as from the
// text itself (compiler/parse/lexing_stream.h).
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "compiler/fmt/formatter.h"
#include "compiler/parse/parser.h"
#include "compiler/parse/token_listing.h"
#include "doudi/compiler.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

void formats_and_parses_again(const std::string& text) {
  using namespace doudi;
  SourceManager sm;
  DiagSink diags;
  auto file = parse_file(sm, sm.add("fuzz.doudi", text), diags);
  if (!file || diags.has_errors()) return;
  for (Dialect to : {Dialect::Zh, Dialect::En}) {
    const std::string out = format_file(*file, sm, to);
    SourceManager sm2;
    DiagSink diags2;
    auto again = parse_file(sm2, sm2.add("formatted.doudi", out), diags2);
    if (!again || diags2.has_errors()) std::abort();  // the formatter wrote what the parser refuses
  }
}

void lexes_the_same_through_twins(const std::string& text) {
  std::string plain;
  try {
    plain = doudi::parse_detail::token_listing(text, false);
  } catch (const std::range_error&) {
    return;  // not UTF-8: refused before lexing
  }
  if (doudi::parse_detail::token_listing(text, true) != plain) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace doudi;
  const std::string text(reinterpret_cast<const char*>(data), size);
  CompileOptions options;
  options.import_roots = {DOUDI_SOURCE_DIR "/stdlib-policies"};
  std::shared_ptr<const Compilation> c = compile_text(DOUDI_SOURCE_DIR "/tests/fuzz/fuzz.doudi", text, options);
  for (Lang lang : {Lang::Zh, Lang::En}) (void)render_all(c->diags, c->sources, RenderOptions{lang});
  if (c->ok()) {
    std::vector<Diagnostic> errors;
    (void)rule_set(c, errors);
  }
  formats_and_parses_again(text);
  lexes_the_same_through_twins(text);
  return 0;
}
