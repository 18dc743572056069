// The folder of the running program (/proc/self/exe), for what is installed
// beside it: the compiled engine's library, doudi-serve. Empty if unknown.
#pragma once
#include <filesystem>

namespace doudi {
std::filesystem::path program_dir();
}
