#include "db/url.hpp"

#include <algorithm>
#include <cctype>

#include "util/diagnostic.hpp"
#include "util/text.hpp"

namespace schemactl::db {
namespace {

std::string percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The URL with anything between "://user:" and "@" masked, for messages about a malformed URL.
std::string mask_raw(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url.find('@') == std::string::npos ? url : "<url hidden>";
  auto at = url.rfind('@');
  if (at == std::string::npos || at < scheme_end) return url;
  auto colon = url.find(':', scheme_end + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace

std::string DatabaseUrl::redacted() const {
  std::string out = scheme + "://";
  if (!user.empty()) out += user + (password.empty() ? "" : ":***") + "@";
  out += host;
  if (port) out += ":" + std::to_string(port);
  out += "/" + database;
  std::string q;
  for (const auto& [k, v] : params) {
    bool secret = to_lower(k).find("password") != std::string::npos;
    q += (q.empty() ? "?" : "&") + k + "=" + (secret ? "***" : v);
  }
  return out + q;
}

DatabaseUrl parse_database_url(const std::string& raw) {
  auto fail = [&](const std::string& why) -> DatabaseUrl {
    throw Error("invalid database URL '" + mask_raw(raw) + "': " + why, ExitCode::usage);
  };
  DatabaseUrl url;
  auto scheme_end = raw.find("://");
  if (scheme_end == std::string::npos) return fail("expected scheme://user:password@host:port/database");
  url.scheme = to_lower(raw.substr(0, scheme_end));
  if (url.scheme == "postgres" || url.scheme == "postgresql")
    url.dialect = DialectId::postgres;
  else if (url.scheme == "mysql" || url.scheme == "tidb")
    url.dialect = DialectId::tidb;
  else
    return fail("unknown scheme '" + url.scheme + "' (use postgres://, postgresql://, mysql:// or tidb://)");
  std::string rest = raw.substr(scheme_end + 3);
  std::string query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    std::string userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = userinfo.find(':');
    url.user = percent_decode(userinfo.substr(0, colon));
    if (colon != std::string::npos) url.password = percent_decode(userinfo.substr(colon + 1));
  }
  std::string hostport = rest;
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    hostport = rest.substr(0, slash);
    url.database = percent_decode(rest.substr(slash + 1));
  }
  if (url.database.empty()) return fail("no database name (…/database)");
  if (auto colon = hostport.rfind(':'); colon != std::string::npos && hostport.find(']') == std::string::npos) {
    std::string port = hostport.substr(colon + 1);
    hostport = hostport.substr(0, colon);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) || std::stoi(port) > 65535)
      return fail("port '" + port + "' is not a number from 1 to 65535");
    url.port = std::stoi(port);
  }
  if (!hostport.empty()) url.host = percent_decode(hostport);
  if (!url.port) url.port = url.dialect == DialectId::postgres ? 5432 : (url.scheme == "tidb" ? 4000 : 3306);
  std::size_t start = 0;
  while (start < query.size()) {
    auto amp = query.find('&', start);
    std::string kv = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    auto eq = kv.find('=');
    if (!kv.empty())
      url.params[percent_decode(kv.substr(0, eq))] = eq == std::string::npos ? "" : percent_decode(kv.substr(eq + 1));
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return url;
}

std::string redact(std::string text, const DatabaseUrl& url) {
  if (url.password.empty()) return text;
  for (auto pos = text.find(url.password); pos != std::string::npos; pos = text.find(url.password, pos))
    text.replace(pos, url.password.size(), "***");
  return text;
}

}  // namespace schemactl::db
