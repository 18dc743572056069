// The folder of the running program (/proc/self/exe), for what is installed
// beside it: the compiled engine's library, doudi-serve. Empty if unknown.
#pragma once
#include <filesystem>

namespace doudi {
std::filesystem::path program_dir();

// Where `cmake --install` puts a library the programs load with dlopen:
// PREFIX/lib/doudi/FILE for a program in PREFIX/bin. Empty if the program's
// folder is unknown; the file need not exist.
std::filesystem::path installed_library(const char* file);
}
