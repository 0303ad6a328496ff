#include "cli/interrupt.hpp"

#include <csignal>

namespace entente::cli {

namespace {
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_signal(int signal) {
  g_interrupted = 1;
  std::signal(signal, SIG_DFL);  // a second Ctrl-C ends the process
}
}  // namespace

void install_interrupt_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGXFSZ, SIG_IGN);
}

bool interrupted() {
  return g_interrupted != 0;
}

}  // namespace entente::cli
