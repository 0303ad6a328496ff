// The constants of the noise's ln, cos and sin (engine/model/rng.cpp, and the same
// sequence of operations several lanes wide in engine/model/noise_wide.cpp).
#pragma once

namespace entente::detail::noise_math {

// FreeBSD msun (k_log.h, k_sin.c, k_cos.c; fdlibm's minimax coefficients).
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kLg1 = 6.666666666666735130e-01, kLg2 = 3.999999999940941908e-01,
                 kLg3 = 2.857142874366239149e-01, kLg4 = 2.222219843214978396e-01,
                 kLg5 = 1.818357216161805012e-01, kLg6 = 1.531383769920937332e-01,
                 kLg7 = 1.479819860511658591e-01;
constexpr double kS1 = -1.66666666666666324348e-01, kS2 = 8.33333333332248946124e-03,
                 kS3 = -1.98412698298579493134e-04, kS4 = 2.75573137070700676789e-06,
                 kS5 = -2.50507602534068634195e-08, kS6 = 1.58969099521155010221e-10;
constexpr double kC1 = 4.16666666666666019037e-02, kC2 = -1.38888888888741095749e-03,
                 kC3 = 2.48015872894767294178e-05, kC4 = -2.75573143513906633035e-07,
                 kC5 = 2.08757232129817482790e-09, kC6 = -1.13596475577881948265e-11;
constexpr double kHalfPi = 1.57079632679489655800e+00;
constexpr double kSqrt2 = 1.41421356237309514547e+00;  // 0x3ff6a09e667f3bcd

}  // namespace entente::detail::noise_math
