#include "runtime/source/build_id.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>

#include <cstring>

#include "runtime/digest/digest.h"

namespace doudi {

std::string build_id(const void* address) {
  Dl_info info{};
  if (!dladdr(address, &info) || !info.dli_fbase) return "";
  struct Search {
    const void* base;
    std::string id;
  } search{info.dli_fbase, ""};
  dl_iterate_phdr(
      [](dl_phdr_info* object, size_t, void* data) {
        auto& s = *static_cast<Search*>(data);
        for (int i = 0; i < object->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = object->dlpi_phdr[i];
          if (ph.p_type != PT_LOAD || ph.p_offset != 0) continue;
          if (reinterpret_cast<const void*>(object->dlpi_addr + ph.p_vaddr) != s.base) return 0;
        }
        for (int i = 0; i < object->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = object->dlpi_phdr[i];
          if (ph.p_type != PT_NOTE) continue;
          const char* at = reinterpret_cast<const char*>(object->dlpi_addr + ph.p_vaddr);
          const char* end = at + ph.p_memsz;
          while (at + sizeof(ElfW(Nhdr)) <= end) {
            const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(at);
            const char* name = at + sizeof(ElfW(Nhdr));
            const char* desc = name + ((note->n_namesz + 3) & ~3u);
            if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0 &&
                desc + note->n_descsz <= end) {
              s.id = to_hex(std::string_view(desc, note->n_descsz));
              return 1;
            }
            at = desc + ((note->n_descsz + 3) & ~3u);
          }
        }
        return 0;
      },
      &search);
  return search.id;
}

}  // namespace doudi
