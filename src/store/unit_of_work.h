// One use case, one transaction: a StorePool hands out connections (Store objects) to the
// services that are built once and shared by every thread, and a UnitOfWork holds one of them
// inside a transaction until it is committed; destroyed without Commit, it rolls back. What
// must happen only once the transaction is durable (e.g. noting the audit head outside the
// database) is queued with AfterCommit.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "store/store.h"
#include "util/error.h"

namespace stegvis::store {

class StorePool;

class UnitOfWork {
 public:
  UnitOfWork(UnitOfWork&& other) noexcept;
  UnitOfWork& operator=(UnitOfWork&&) = delete;
  UnitOfWork(const UnitOfWork&) = delete;
  UnitOfWork& operator=(const UnitOfWork&) = delete;
  ~UnitOfWork();

  Store& store() { return *store_; }
  Store* operator->() { return store_.get(); }

  // Commits; then runs the AfterCommit actions in order. After a failed commit nothing is
  // stored and the actions do not run.
  util::Status Commit();
  void AfterCommit(std::function<void()> action) { after_commit_.push_back(std::move(action)); }

 private:
  friend class StorePool;
  UnitOfWork(StorePool& pool, std::unique_ptr<Store> store)
      : pool_(&pool), store_(std::move(store)) {}

  StorePool* pool_;
  std::unique_ptr<Store> store_;
  bool open_ = true;
  std::vector<std::function<void()>> after_commit_;
};

class StorePool {
 public:
  using Opener = std::function<util::Result<std::unique_ptr<Store>>()>;

  explicit StorePool(Opener open) : open_(std::move(open)) {}

  // A connection inside a new transaction. Fails with kUnavailable when no connection can
  // be opened or the database stays busy.
  util::Result<UnitOfWork> Begin(TransactionMode mode);

 private:
  friend class UnitOfWork;
  void Release(std::unique_ptr<Store> store);

  Opener open_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Store>> idle_;
};

}  // namespace stegvis::store
