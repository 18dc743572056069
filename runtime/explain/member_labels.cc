#include "runtime/explain/member_labels.h"

#include <fmt/format.h>

#include "runtime/record/record_layout.h"

namespace doudi {

MemberLabels::MemberLabels(const ir::Module& m, const RecordData* record) : record_(record) {
  if (record == nullptr || m.input_type >= m.types.size() || m.types.kind(m.input_type) != TypeKind::Struct) return;
  const uint32_t root = m.types.get(m.input_type).ref;
  const auto& st = m.structs[root];
  record::each_field(m, *record, record->root, root, [&](size_t f, Value v) {
    if (v.is_absent()) return;
    const Type& ft = m.types.get(st.fields[f].type);
    if (ft.kind == TypeKind::List && m.types.kind(ft.elem) == TypeKind::Struct) {
      // An empty list takes no words: the next list may start where it does.
      if (v.b > 0) struct_lists_.insert(v.a);
      for (int64_t i = 0; i < v.b; ++i)
        labels_[record::list_item(m.types, *record, v, ft.elem, i).a] = fmt::format("{}#{}", st.fields[f].name, i + 1);
    } else if (ft.kind == TypeKind::Struct) {
      labels_[v.a] = st.fields[f].name;
    }
  });
}

std::string MemberLabels::of(int64_t at) const {
  auto it = labels_.find(at);
  return it != labels_.end() ? it->second : "…";
}

std::string MemberLabels::element(Value list, int64_t i, bool zh) const {
  // A structure takes one word as a list's element (record_layout.h).
  if (record_ != nullptr && !list.is_absent() && i >= 0 && i < list.b && struct_lists_.count(list.a)) {
    auto it = labels_.find(record_->read(static_cast<size_t>(list.a + i), false).a);
    if (it != labels_.end()) return it->second;
  }
  return zh ? fmt::format("第 {} 项", i + 1) : fmt::format("item {}", i + 1);
}

}  // namespace doudi
