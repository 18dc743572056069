// The GNU build id of a loaded object (the program or a shared library): a
// hash of what was linked, so a rebuilt object never passes for the
// previous one. Keys the compiled engine's object code and the proof cache,
// and tells `doudi` its compiler library is the one built with it.
#pragma once
#include <string>

namespace doudi {

// The build id (hex) of the loaded object that holds `address`; empty if
// it has none (linked without --build-id) or the address is in none.
std::string build_id(const void* address);

}  // namespace doudi
