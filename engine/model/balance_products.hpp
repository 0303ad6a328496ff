// The N×N products of the balance term (MODEL.md §2.2): R diag(w) R and
// |R| diag(w) |R|. The step needs them bit for bit as Eigen 3.4 computes
// `out.noalias() = a * b` (the seeded outputs are pinned), but without the
// heap allocation Eigen's GEMM makes for its packing panels at large N, and
// without its per-call set-up cost at small N.
#pragma once

#include "entente/model/step.hpp"

namespace entente::detail {

// How `balance_product` computes an N×N×N product, chosen as Eigen would:
//   lazy:       N×N with 3N < EIGEN_GEMM_TO_COEFFBASED_THRESHOLD: Eigen's own
//               coefficient-based product, as `out.noalias() = a * b` does;
//   sequential: Eigen would run its GEMM kernel, but the depth is below the
//               kernel's peeling factor (8) and the packets hold two doubles
//               without FMA, so every entry is 0 + a[i][0] b[0][j] + … summed
//               in order of k: a plain loop gives the same bits, much sooner;
//   gemm:       Eigen's GEMM kernel itself, into the workspace's panels.
enum class ProductPath { lazy, sequential, gemm };
ProductPath product_path(int n);

// Sizes the GEMM panels in `work` for N actors (empties them unless the
// path is gemm). Allocates; call it when building the workspace.
void size_product_panels(int n, Workspace& work);

// out = a b for N×N row-major matrices, the same bits as Eigen's
// `out.noalias() = a * b`. Allocates nothing once `size_product_panels` ran
// for this N. `out` must not alias `a` or `b`.
void product(const RowMatrix& a, const RowMatrix& b, RowMatrix& out, Workspace& work);

}  // namespace entente::detail
