#include "store/unit_of_work.h"

namespace stegvis::store {

UnitOfWork::UnitOfWork(UnitOfWork&& other) noexcept
    : pool_(other.pool_),
      store_(std::move(other.store_)),
      open_(other.open_),
      after_commit_(std::move(other.after_commit_)) {
  other.open_ = false;
}

UnitOfWork::~UnitOfWork() {
  if (!store_) return;
  if (open_) store_->Rollback();
  pool_->Release(std::move(store_));
}

util::Status UnitOfWork::Commit() {
  if (!open_) {
    return util::Fail(util::Code::kInternal, "", "transaktionen är redan avslutad",
                      "the transaction has already ended");
  }
  open_ = false;
  util::Status committed = store_->Commit();
  if (!committed) {
    store_->Rollback();
    return committed;
  }
  for (auto& action : after_commit_) action();
  after_commit_.clear();
  return util::Ok();
}

util::Result<UnitOfWork> StorePool::Begin(TransactionMode mode) {
  std::unique_ptr<Store> store;
  {
    std::unique_lock lock(mutex_);
    const bool available = released_.wait_for(lock, wait_, [this] {
      return !idle_.empty() || max_connections_ == 0 || opened_ < max_connections_;
    });
    if (!available) {
      return util::Fail(util::Code::kUnavailable, "",
                        "alla databasanslutningar är upptagna; försök igen om en stund",
                        "every database connection is in use; try again in a moment");
    }
    if (!idle_.empty()) {
      store = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++opened_;  // Counted before it is opened, so that no other caller overshoots the limit.
    }
  }
  if (!store) {
    auto opened = open_();
    if (!opened) {
      Discard(nullptr);
      return util::Fail(opened.error());
    }
    store = std::move(*opened);
  }
  if (auto begun = store->Begin(mode); !begun) {
    Discard(std::move(store));
    return util::Fail(begun.error());
  }
  return UnitOfWork(*this, std::move(store));
}

void StorePool::Release(std::unique_ptr<Store> store) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(store));
  }
  released_.notify_one();
}

void StorePool::Discard(std::unique_ptr<Store> store) {
  store.reset();
  {
    std::lock_guard lock(mutex_);
    --opened_;
  }
  released_.notify_one();
}

std::size_t StorePool::open_connections() const {
  std::lock_guard lock(mutex_);
  return opened_;
}

}  // namespace stegvis::store
