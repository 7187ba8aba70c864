// A thin RAII layer over the SQLite C API: a connection, prepared statements,
// and errors as exceptions carrying SQLite's own message. Nothing more: the
// SQL is written out where it is used.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace hookbroker::history {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  /// Parameters are numbered from 1, as in SQL (?1, ?2, ...).
  Statement& bind(int index, std::string_view text);  ///< copied by SQLite
  Statement& bind(int index, std::int64_t value);
  Statement& bind_null(int index);
  /// Text, or NULL when empty.
  Statement& bind_or_null(int index, std::string_view text) {
    return text.empty() ? bind_null(index) : bind(index, text);
  }

  /// True when a row is ready; false when done. Throws on error.
  bool step();
  /// Ready for the next use; bindings are cleared.
  void reset();

  std::int64_t column_int64(int column) const;
  std::string_view column_text(int column) const;
  bool column_is_null(int column) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  /// Opens (creating when `create`) the file at `path`, in multi-thread
  /// mode: one thread at a time per connection.
  Database(const std::string& path, bool create);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const std::string& sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  /// The single integer a query such as "PRAGMA page_count" answers.
  std::int64_t query_int64(std::string_view sql);
  /// Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t changes() const { return sqlite3_changes64(db_); }
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace hookbroker::history
