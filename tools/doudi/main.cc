#include <iostream>

#include "tools/cli/cli.h"
#include "tools/doudi/startup_heap.h"

int main(int argc, char** argv) {
  doudi::put_heap_on_huge_pages();
  std::vector<std::string> args(argv + 1, argv + argc);
  return doudi::run_cli(args, std::cout, std::cerr);
}
