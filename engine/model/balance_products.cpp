#include "model/balance_products.hpp"

#include <Eigen/Core>

namespace entente::detail {

namespace {

using Eigen::Index;
namespace ei = Eigen::internal;

// Eigen's GEMM for row-major double operands and result, the instantiation
// `RowMatrix::noalias() = RowMatrix * RowMatrix` reaches.
using Gemm = ei::general_matrix_matrix_product<Index, double, Eigen::RowMajor, false, double,
                                               Eigen::RowMajor, false, Eigen::RowMajor, 1>;
// The blocking Eigen builds for that product (it allocates its panels lazily).
using EigenBlocking = ei::gemm_blocking_space<Eigen::RowMajor, double, double, Eigen::Dynamic,
                                              Eigen::Dynamic, Eigen::Dynamic>;

// A GEMM blocking whose panels are the workspace's: Eigen packs into them
// instead of into a heap (or stack) buffer of its own.
class PreallocatedBlocking : public ei::level3_blocking<double, double> {
 public:
  PreallocatedBlocking(Workspace& work) {
    this->m_blockA = work.gemm_lhs_panel.data();
    this->m_blockB = work.gemm_rhs_panel.data();
    this->m_mc = work.gemm_mc;
    this->m_nc = work.gemm_nc;
    this->m_kc = work.gemm_kc;
  }
};

// Whether Eigen's kernel, at depth below its peeling factor, sums every
// entry in plain order of k: true for two-double packets without FMA (SSE2,
// the default x86-64 build). With AVX or FMA the kernel splits or fuses the
// sums, and only the kernel itself gives its bits.
constexpr bool kKernelSumsInOrder = ei::packet_traits<double>::size == 2
#ifdef EIGEN_VECTORIZE_FMA
                                    && false
#endif
    ;
constexpr int kKernelPeeling = 8;  // `pk` in Eigen's gebp_kernel

// The product for depth N < kKernelPeeling, entry by entry 0 + Σ_k a b in
// order of k, as Eigen's kernel sums it there; N fixed so that the
// accumulators of a row stay in registers.
template <int N>
void sequential_product(const double* a, const double* b, double* out) {
  for (int i = 0; i < N; ++i) {
    double acc[N] = {};
    for (int k = 0; k < N; ++k) {
      const double aik = a[i * N + k];
      for (int j = 0; j < N; ++j) acc[j] = aik * b[k * N + j] + acc[j];
    }
    for (int j = 0; j < N; ++j) out[i * N + j] = acc[j];
  }
}

}  // namespace

ProductPath product_path(int n) {
  if (3 * n < EIGEN_GEMM_TO_COEFFBASED_THRESHOLD) return ProductPath::lazy;
  // Only N = 7 lies between the two thresholds (3·7 ≥ 20, 7 < 8).
  if (kKernelSumsInOrder && n == kKernelPeeling - 1) return ProductPath::sequential;
  return ProductPath::gemm;
}

void size_product_panels(int n, Workspace& work) {
  if (product_path(n) != ProductPath::gemm) {
    work.gemm_lhs_panel.resize(0);
    work.gemm_rhs_panel.resize(0);
    work.gemm_kc = work.gemm_mc = work.gemm_nc = 0;
    return;
  }
  const EigenBlocking blocking(n, n, n, 1, true);
  work.gemm_kc = blocking.kc();
  work.gemm_mc = blocking.mc();
  work.gemm_nc = blocking.nc();
  work.gemm_lhs_panel.resize(work.gemm_kc * work.gemm_mc);
  work.gemm_rhs_panel.resize(work.gemm_kc * work.gemm_nc);
}

void product(const RowMatrix& a, const RowMatrix& b, RowMatrix& out, Workspace& work) {
  const Index n = a.rows();
  switch (product_path(static_cast<int>(n))) {
    case ProductPath::lazy:
      out.noalias() = a * b;
      return;
    case ProductPath::sequential:
      sequential_product<kKernelPeeling - 1>(a.data(), b.data(), out.data());
      return;
    case ProductPath::gemm: {
      // What Eigen's generic_product_impl<…, GemmProduct>::evalTo does.
      out.setZero();
      PreallocatedBlocking blocking(work);
      Gemm::run(n, n, n, a.data(), n, b.data(), n, out.data(), 1, n, 1.0, blocking, nullptr);
      return;
    }
  }
}

}  // namespace entente::detail
