#include "worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace atlas::api {
namespace {

TEST(WorkerPool, RunsEveryTaskAndDrainsOnStop) {
    std::atomic<int> done{0};
    WorkerPool pool(2, 1000);
    for (int i = 0; i < 500; ++i) ASSERT_TRUE(pool.submit([&] { ++done; }));
    pool.stop();
    EXPECT_EQ(done.load(), 500);
    EXPECT_FALSE(pool.submit([&] { ++done; }));  // stopped pools refuse work
}

TEST(WorkerPool, RefusesWhenTheQueueIsFull) {
    std::promise<void> release;
    std::shared_future<void> gate = release.get_future().share();
    std::promise<void> started;
    WorkerPool pool(1, 2);
    ASSERT_TRUE(pool.submit([&] {
        started.set_value();
        gate.wait();
    }));
    started.get_future().wait();  // the one thread is busy now
    EXPECT_TRUE(pool.submit([] {}));
    EXPECT_TRUE(pool.submit([] {}));
    EXPECT_FALSE(pool.submit([] {}));  // two queued: the third is refused (the server answers 503)
    release.set_value();
    pool.stop();
}

}  // namespace
}  // namespace atlas::api
