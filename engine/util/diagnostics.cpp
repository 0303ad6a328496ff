#include "entente/util/diagnostics.hpp"

namespace entente {

std::string to_string(const SourceLocation& where) {
  std::string s = where.file.empty() ? std::string("<input>") : where.file;
  if (where.line > 0) {
    s += ':' + std::to_string(where.line) + ':' +
         std::to_string(where.column > 0 ? where.column : 1);
  }
  return s;
}

std::string to_string(const Diagnostic& d) {
  return to_string(d.where) +
         (d.severity == Diagnostic::Severity::error ? ": error: " : ": warning: ") + d.message;
}

InputError::InputError(SourceLocation where, const std::string& message)
    : std::runtime_error(to_string(Diagnostic{Diagnostic::Severity::error, where, message})),
      where_(std::move(where)),
      message_(message) {}

}  // namespace entente
