// Ctrl-C and SIGTERM: the first asks the running command to stop cleanly
// (it keeps what it says it keeps); a second one ends the process at once.
#pragma once

namespace entente::cli {

// Installs the handlers; also ignores SIGXFSZ, so that a file-size limit
// turns into a write error with a message instead of killing the process.
void install_interrupt_handlers();

// True once SIGINT or SIGTERM arrived.
bool interrupted();

}  // namespace entente::cli
