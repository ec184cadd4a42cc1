#include "base/fixed_queue.h"

#include <gtest/gtest.h>

namespace hearth::engine {
namespace {

TEST(FixedQueue, PopsInOrderAndDropsOldestWhenFull) {
    FixedQueue<int, 3> q;
    EXPECT_FALSE(q.pop().has_value());
    EXPECT_FALSE(q.push(1));
    EXPECT_FALSE(q.push(2));
    EXPECT_FALSE(q.push(3));
    EXPECT_TRUE(q.push(4));
    EXPECT_EQ(q.size(), 3U);
    EXPECT_EQ(q.pop(), 2);
    EXPECT_EQ(q.pop(), 3);
    EXPECT_EQ(q.pop(), 4);
    EXPECT_TRUE(q.empty());
}

TEST(FixedQueue, ClearEmpties) {
    FixedQueue<int, 2> q;
    q.push(7);
    q.clear();
    EXPECT_FALSE(q.pop().has_value());
    q.push(8);
    EXPECT_EQ(q.pop(), 8);
}

} // namespace
} // namespace hearth::engine
