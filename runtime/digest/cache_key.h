// The key that authenticates what Doudi caches (proofs, compiled rules): an
// entry is trusted only with an HMAC under this key, kept outside the cache
// and private to the user, so a cache restored from elsewhere or edited by
// someone else is a miss (for compiled rules: never machine code run).
#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace doudi {

// $DOUDI_CACHE_KEY (a file) if set, else $XDG_CONFIG_HOME/doudi/proof-cache.key,
// else $HOME/.config/doudi/proof-cache.key (the name predates other caches).
std::optional<std::filesystem::path> cache_key_path();

// The key, made on first use (32 random bytes as hex, mode 600). Two
// processes making it at once each write a whole file by rename; both then
// use what is on disk. Empty with `error` (English) when there is none.
std::string load_or_make_cache_key(std::string& error);

}  // namespace doudi
