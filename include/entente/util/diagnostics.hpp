// Errors and warnings about user input, with the place they point at.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace entente {

// A place in an input: a file (or a pseudo-file such as `--set`), a 1-based
// line and column. A line of 0 means "the whole file".
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

// "FILE:LINE:COL" (or "FILE" when there is no line).
std::string to_string(const SourceLocation& where);

// One message about an input. Printed as `FILE:LINE:COL: error: MESSAGE` or
// `FILE:LINE:COL: warning: MESSAGE`, the compiler convention that editors
// and terminals turn into links.
struct Diagnostic {
  enum class Severity { warning, error };
  Severity severity = Severity::error;
  SourceLocation where;
  std::string message;
};

std::string to_string(const Diagnostic& d);

// Bad input: the message names the place and says what would be valid. The
// command line maps it to exit status 2. Thrown by every loader and parser.
class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, const std::string& message);
  const SourceLocation& where() const noexcept { return where_; }
  // The message without the location prefix.
  const std::string& message() const noexcept { return message_; }

 private:
  SourceLocation where_;
  std::string message_;
};

// Work stopped on request (Ctrl-C, SIGTERM) before it was complete. What
// was kept is said in the message. The command line maps it to exit status
// 130.
class Interrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A syntax error inside a one-line expression (a `when` condition, an
// observable, a `--set` argument), located by its 0-based byte offset in the
// expression. Loaders turn it into an InputError at the right column.
class SyntaxError : public std::runtime_error {
 public:
  SyntaxError(std::size_t offset, const std::string& message)
      : std::runtime_error(message), offset_(offset) {}
  std::size_t offset() const noexcept { return offset_; }

 private:
  std::size_t offset_;
};

}  // namespace entente
