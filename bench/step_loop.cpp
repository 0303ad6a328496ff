// A plain loop of steps for profilers, without Google Benchmark's timing
// loop around it:
//
//   valgrind --tool=callgrind bench/step_loop 7 20000     # instructions per step
//   perf record bench/step_loop 256 20
//
// Valgrind does not emulate AVX-512 and hides it from the CPU check, so
// callgrind always counts the portable step; perf sees the path the CPU
// takes (N = 7: the AVX-512 step where the CPU has it; ENTENTE_ISA=baseline
// forces the portable one).
//
// Arguments: N, steps, and any third argument to turn the noise on. Steps
// the synthetic scenario of bench_step (K = 2, every mechanism on).
#include <cstdio>
#include <cstdlib>

#include "entente/model/step.hpp"
#include "synthetic.hpp"

int main(int argc, char** argv) {
  using namespace entente;
  if (argc < 3) {
    std::fprintf(stderr, "usage: step_loop N STEPS [noise]\n");
    return 2;
  }
  const int n = std::atoi(argv[1]), steps = std::atoi(argv[2]);
  if (n < 1 || steps < 0) {
    std::fprintf(stderr, "step_loop: N must be at least 1 and STEPS at least 0\n");
    return 2;
  }
  const Model m = compile(bench::synthetic(n, 2, argc > 3));
  State st = initial_state(m);
  Workspace ws = make_workspace(m);
  Rng rng(1);
  for (int t = 0; t < steps; ++t) step(m, st, ws, rng);
  std::printf("R[0][1] = %.17g after %d steps\n", n > 1 ? st.R(0, 1) : 1.0, steps);
  return 0;
}
