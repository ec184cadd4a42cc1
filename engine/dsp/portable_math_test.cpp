#include "dsp/portable_math.h"

#include <cmath>

#include <gtest/gtest.h>

namespace hearth::engine::dsp {
namespace {

TEST(PortableMath, SinAndCosMatchTheLibraryClosely) {
    for (float x = -50.0F; x <= 50.0F; x += 0.00731F) {
        EXPECT_NEAR(portable_sin(x), std::sin(static_cast<double>(x)), 2e-6) << x;
        EXPECT_NEAR(portable_cos(x), std::cos(static_cast<double>(x)), 2e-6) << x;
    }
    EXPECT_EQ(portable_sin(0.0F), 0.0F);
    EXPECT_EQ(portable_cos(0.0F), 1.0F);
}

TEST(PortableMath, LogAndExpMatchTheLibraryClosely) {
    for (float x = 1e-30F; x < 1e30F; x *= 1.37F) {
        const double expected = std::log(static_cast<double>(x));
        EXPECT_NEAR(portable_log(x), expected, 2e-6 * std::max(1.0, std::abs(expected))) << x;
    }
    EXPECT_NEAR(portable_log(1e-40F), std::log(1e-40), 1e-4); // subnormal
    EXPECT_LT(portable_log(0.0F), -1e29F);
    for (float x = -80.0F; x <= 80.0F; x += 0.173F) {
        const double expected = std::exp(static_cast<double>(x));
        EXPECT_NEAR(portable_exp(x) / expected, 1.0, 3e-6) << x;
    }
    EXPECT_EQ(portable_exp(-100.0F), 0.0F);
}

} // namespace
} // namespace hearth::engine::dsp
