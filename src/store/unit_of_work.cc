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
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      store = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!store) {
    STEGVIS_ASSIGN_OR_RETURN(store, open_());
  }
  if (auto begun = store->Begin(mode); !begun) {
    Release(std::move(store));
    return util::Fail(begun.error());
  }
  return UnitOfWork(*this, std::move(store));
}

void StorePool::Release(std::unique_ptr<Store> store) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(store));
}

}  // namespace stegvis::store
