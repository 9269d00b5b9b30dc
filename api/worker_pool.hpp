#pragma once
// A fixed pool of threads for request work that would otherwise hold up Pistache's I/O
// threads (feature pages, downloads, uncached tiles). The queue is bounded: when it is full the
// caller answers 503 at once instead of letting requests pile up.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace atlas::api {

class WorkerPool {
  public:
    WorkerPool(unsigned threads, std::size_t max_queue);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // False when the queue is full or the pool is stopping; the task is then not run.
    bool submit(std::function<void()> task);

    // Runs what is queued, then joins the threads. Later submits are refused.
    void stop();

  private:
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    std::vector<std::thread> threads_;
    std::size_t max_queue_;
    bool stopping_ = false;
};

}  // namespace atlas::api
