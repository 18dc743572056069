# ANTLR 4.9's C++ target builds the lexer's and the parser's tables (the
# ATN, the DFA caches) in static initialisers, at program start, whether or
# not anything is parsed: 40 % of `doudi --help`. This rewrites the generated
# sources so the tables are built the first time a lexer or a parser is
# constructed (a function-local static: thread-safe, once), and commands
# that read no rule text never build them.
#   cmake -DGEN_DIR=<folder of the generated sources> -P lazy_tables.cmake
foreach(recognizer DoudiLexer DoudiParser)
  set(file ${GEN_DIR}/${recognizer}.cpp)
  file(READ ${file} text)
  set(eager "${recognizer}::Initializer ${recognizer}::_init;")
  string(FIND "${text}" "${eager}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "lazy_tables.cmake: ${file} has no '${eager}' (another ANTLR version?)")
  endif()
  string(REPLACE "${eager}" "// Built on first use: see grammar/lazy_tables.cmake." text "${text}")
  string(REGEX MATCH "  _interpreter = new atn::[A-Za-z]+ATNSimulator\\(this, _atn" simulator "${text}")
  if(simulator STREQUAL "")
    message(FATAL_ERROR "lazy_tables.cmake: ${file} does not construct its simulator as expected")
  endif()
  string(REPLACE "${simulator}" "  static const Initializer tables;  // the ATN and DFA caches, once\n${simulator}" text "${text}")
  file(WRITE ${file} "${text}")
endforeach()
