#include "servers.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace schemactl::test {

std::optional<db::DatabaseUrl> server_url(DialectId dialect) {
  const char* var = dialect == DialectId::postgres ? "SCHEMACTL_TEST_PG_URL" : "SCHEMACTL_TEST_MYSQL_URL";
  const char* value = std::getenv(var);
  if (value && *value) return db::parse_database_url(value);
  const char* require = std::getenv("SCHEMACTL_REQUIRE_SERVERS");
  if (require && std::string(require) == "1") {
    FAIL(var << " is not set, and SCHEMACTL_REQUIRE_SERVERS=1: the integration tests must run");
  } else {
    std::cerr << "\n*** SKIPPING " << doctest::getContextOptions()->currentTest->m_name << ": " << var
              << " is not set (run `bash tests/run-all.sh`, which starts the servers) ***\n\n";
  }
  return std::nullopt;
}

namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string unique_name(const std::string& label) {
  static std::atomic<int> counter{0};
  std::string clean;
  for (char c : label) clean += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  return "it_" + clean.substr(0, 30) + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

}  // namespace

int run_command(const std::string& command, std::string& output) {
  output.clear();
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) output.append(buf.data(), n);
  int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

FreshDatabase::FreshDatabase(const db::DatabaseUrl& server, const std::string& label) : server_(server), url_(server) {
  url_.database = unique_name(label);
  auto admin = db::connect(server_);
  if (server_.dialect == DialectId::postgres)
    admin->execute("CREATE DATABASE " + url_.database);
  else
    admin->execute("CREATE DATABASE " + url_.database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
}

FreshDatabase::~FreshDatabase() {
  try {
    auto admin = db::connect(server_);
    if (server_.dialect == DialectId::postgres)
      admin->execute("DROP DATABASE IF EXISTS " + url_.database + " WITH (FORCE)");
    else
      admin->execute("DROP DATABASE IF EXISTS " + url_.database);
  } catch (const std::exception& e) {
    std::cerr << "warning: could not drop test database " << url_.database << ": " << e.what() << "\n";
  }
}

int FreshDatabase::apply_file(const std::string& path, std::string& output) const {
  std::string command;
  if (url_.dialect == DialectId::postgres) {
    command = "PGPASSWORD=" + shell_quote(url_.password) + " psql -X -q -v ON_ERROR_STOP=1 -h " +
              shell_quote(url_.host) + " -p " + std::to_string(url_.port) + " -U " + shell_quote(url_.user) + " -d " +
              shell_quote(url_.database) + " -f " + shell_quote(path);
  } else {
    command = "MYSQL_PWD=" + shell_quote(url_.password) + " mariadb --protocol=TCP -h " + shell_quote(url_.host) +
              " -P " + std::to_string(url_.port) + " -u " + shell_quote(url_.user) + " " + shell_quote(url_.database) +
              " < " + shell_quote(path);
  }
  return run_command(command, output);
}

int FreshDatabase::apply_sql(const std::string& sql, std::string& output) const {
  char path[] = "/tmp/schemactl-it-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) return -1;
  ::close(fd);
  {
    std::ofstream out(path);
    out << sql;
  }
  int rc = apply_file(path, output);
  ::unlink(path);
  return rc;
}

}  // namespace schemactl::test
