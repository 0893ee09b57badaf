// A connection that counts the queries it passes on (inspection reports how many catalog queries
// it needed: a number that must not grow with the number of tables).
#pragma once

#include "db/connection.hpp"

namespace schemactl::inspect {

class CountingConnection : public db::Connection {
 public:
  explicit CountingConnection(db::Connection& inner) : db::Connection(inner.url()), inner_(inner) {}
  int queries() const { return queries_; }

  DialectId dialect() const override { return inner_.dialect(); }
  void execute(const std::string& sql) override {
    ++queries_;
    inner_.execute(sql);
  }
  long long execute_count(const std::string& sql) override {
    ++queries_;
    return inner_.execute_count(sql);
  }
  std::vector<db::Row> query(const std::string& sql, const std::vector<std::string>& params = {}) override {
    ++queries_;
    return inner_.query(sql, params);
  }
  bool try_lock(int timeout_seconds) override { return inner_.try_lock(timeout_seconds); }
  void unlock() override { inner_.unlock(); }
  std::optional<std::string> lock_holder() override { return inner_.lock_holder(); }
  void cancel() override { inner_.cancel(); }
  void set_lock_wait_timeout(int seconds) override { inner_.set_lock_wait_timeout(seconds); }
  void reset_session() override { inner_.reset_session(); }
  bool transactional_ddl() const override { return inner_.transactional_ddl(); }

 private:
  db::Connection& inner_;
  int queries_ = 0;
};

}  // namespace schemactl::inspect
