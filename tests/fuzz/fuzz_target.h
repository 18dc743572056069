// The entry point every fuzz target defines. Built with libFuzzer under
// clang (-DDOUDI_FUZZ=ON), or with replay_main.cc, which runs it on every
// file of a corpus: CI replays the corpora under GCC and the sanitizers.
#pragma once
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
