// Where Doudi keeps what it can recompute (proofs, compiled rules).
#pragma once
#include <filesystem>
#include <optional>

namespace doudi {

// $DOUDI_CACHE_DIR, else $XDG_CACHE_HOME/doudi, else $HOME/.cache/doudi;
// nullopt when none is set.
std::optional<std::filesystem::path> cache_dir();

}  // namespace doudi
