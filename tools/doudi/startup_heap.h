// The program's heap on transparent huge pages, so that a short command
// takes one page fault for its memory instead of hundreds.
#pragma once

namespace doudi {

// Call first in main(). Does nothing where it cannot (another allocator, no
// transparent huge pages, a heap that is not one brk region).
void put_heap_on_huge_pages();

}  // namespace doudi
