// One use case, one transaction: a StorePool hands out connections (Store objects) to the
// services that are built once and shared by every thread, and a UnitOfWork holds one of them
// inside a transaction until it is committed; destroyed without Commit, it rolls back. What
// must happen only once the transaction is durable (e.g. noting the audit head outside the
// database) is queued with AfterCommit.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
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

  // At most `max_connections` connections open at once (0: as many as are asked for); a
  // caller beyond that waits up to `wait` for one to be handed back.
  explicit StorePool(Opener open, std::size_t max_connections = 0,
                     std::chrono::milliseconds wait = std::chrono::seconds(30))
      : open_(std::move(open)), max_connections_(max_connections), wait_(wait) {}

  // A connection inside a new transaction. Fails with kUnavailable when no connection can
  // be opened, every connection stays in use past the wait, or the database stays busy. A
  // connection that cannot begin a transaction (e.g. the server went away) is closed, not
  // handed out again.
  util::Result<UnitOfWork> Begin(TransactionMode mode);

  std::size_t open_connections() const;

 private:
  friend class UnitOfWork;
  void Release(std::unique_ptr<Store> store);
  void Discard(std::unique_ptr<Store> store);

  Opener open_;
  const std::size_t max_connections_;
  const std::chrono::milliseconds wait_;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::size_t opened_ = 0;  // Connections in use or idle.
  std::vector<std::unique_ptr<Store>> idle_;
};

}  // namespace stegvis::store
