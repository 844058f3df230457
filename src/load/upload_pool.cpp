#include "upload_pool.hpp"

#include <sfdc/bulk/error.hpp>

#include "../response_class.hpp"

namespace sfdc::bulk::detail::load {

UploadOutcome classifyUploadError(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const TransportError& e) {
    // The core already retried what was safe; requestSent means the body may be there.
    return e.requestSent() ? UploadOutcome::Ambiguous : UploadOutcome::NotCreated;
  } catch (const ApiError& e) {
    switch (classifyStatus(e.httpStatus())) {
      case StatusClass::NotActedOn:
        return UploadOutcome::NotCreated;
      case StatusClass::Transient:
      case StatusClass::ServerError:
        // A 5xx other than 503 says nothing about whether the batch was created.
        return UploadOutcome::Ambiguous;
      case StatusClass::Success:
      case StatusClass::Refused:
        break;
    }
    return UploadOutcome::Fatal;
  } catch (...) {
    return UploadOutcome::Fatal;
  }
}

bool isTransientReadError(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const TransportError& e) {
    return e.retryable();
  } catch (const ApiError& e) {
    const StatusClass meaning = classifyStatus(e.httpStatus());
    return meaning == StatusClass::NotActedOn || meaning == StatusClass::Transient;
  } catch (...) {
    return false;
  }
}

UploadPool::UploadPool(int workers, Upload upload) : upload_(std::move(upload)) {
  threads_.reserve(static_cast<std::size_t>(workers));
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { run(); });
}

UploadPool::~UploadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  work_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void UploadPool::submit(std::uint64_t index, std::string bodyPath) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.emplace_back(index, std::move(bodyPath));
    ++outstanding_;
  }
  work_.notify_one();
}

std::vector<std::uint64_t> UploadPool::cancelQueued() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::uint64_t> cancelled;
  for (const auto& task : queue_) cancelled.push_back(task.first);
  outstanding_ -= queue_.size();
  queue_.clear();
  return cancelled;
}

std::size_t UploadPool::outstanding() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return outstanding_;
}

void UploadPool::collect(std::vector<UploadDone>& out,
                         std::chrono::steady_clock::time_point until) {
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait_until(lock, until, [this] { return !finished_.empty(); });
  outstanding_ -= finished_.size();
  for (auto& done : finished_) out.push_back(std::move(done));
  finished_.clear();
}

void UploadPool::run() {
  for (;;) {
    std::pair<std::uint64_t, std::string> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    UploadDone done;
    done.index = task.first;
    try {
      done.info = upload_(task.first, task.second);
      done.outcome = UploadOutcome::Created;
    } catch (...) {
      done.error = std::current_exception();
      done.outcome = classifyUploadError(done.error);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      finished_.push_back(std::move(done));
    }
    done_.notify_all();
  }
}

}  // namespace sfdc::bulk::detail::load
