#include "runtime/explain/member_labels.h"

#include <fmt/format.h>

namespace doudi {

MemberLabels::MemberLabels(const ir::Module& m, const RecordData* record) : record_(record) {
  if (record == nullptr || m.input_type >= m.types.size() || m.types.kind(m.input_type) != TypeKind::Struct) return;
  const auto& st = m.structs[m.types.get(m.input_type).ref];
  for (size_t f = 0; f < st.fields.size(); ++f) {
    const size_t at = static_cast<size_t>(record->root.a) + f;
    if (at >= record->slots.size()) return;
    const Value v = record->slots[at];
    const Type& ft = m.types.get(st.fields[f].type);
    if (ft.kind == TypeKind::List && m.types.kind(ft.elem) == TypeKind::Struct) {
      for (int64_t i = 0; i < v.b; ++i)
        labels_[record->slots[static_cast<size_t>(v.a + i)].a] = fmt::format("{}#{}", st.fields[f].name, i + 1);
    } else if (ft.kind == TypeKind::Struct) {
      labels_[v.a] = st.fields[f].name;
    }
  }
}

std::string MemberLabels::of(int64_t at) const {
  auto it = labels_.find(at);
  return it != labels_.end() ? it->second : "…";
}

std::string MemberLabels::element(Value list, int64_t i, bool zh) const {
  if (record_ != nullptr && !list.is_absent() && i >= 0 && i < list.b && list.a >= 0 &&
      static_cast<size_t>(list.a + i) < record_->slots.size()) {
    auto it = labels_.find(record_->slots[static_cast<size_t>(list.a + i)].a);
    if (it != labels_.end()) return it->second;
  }
  return zh ? fmt::format("第 {} 项", i + 1) : fmt::format("item {}", i + 1);
}

}  // namespace doudi
