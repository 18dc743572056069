// Why a call to the operating system failed, in both languages. strerror's
// text is English only; a Chinese message with an English reason in it is
// half read by most of the people who see it.
#pragma once
#include <string>

namespace doudi {

// bilingual(zh_before + reason, en_before + reason) for errno `err`: the
// reasons files, folders, pipes and disks give in Chinese, any other in
// strerror's English in both.
std::string system_failure(const std::string& zh_before, const std::string& en_before, int err);

// Why dlopen could not load `path`, from dlerror (which names the file and
// the reason, in English only), behind a Chinese lead-in.
std::string load_failure(const std::string& path);

}  // namespace doudi
