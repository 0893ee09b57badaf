#include "db/url.hpp"

#include <algorithm>
#include <cctype>

#include "util/diagnostic.hpp"
#include "util/text.hpp"

namespace schemactl::db {
namespace {

constexpr const char* kMask = "***";
constexpr std::size_t npos = std::string::npos;

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

bool is_scheme(const std::string& s) {
  if (s.empty() || s.size() > 32 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

// Where the user info starts: after "scheme:" and at most two slashes when `raw` starts with
// something scheme-like, else at 0.
std::size_t authority_start(const std::string& raw) {
  auto colon = raw.find(':');
  if (colon == npos || !is_scheme(raw.substr(0, colon))) return 0;
  std::size_t p = colon + 1;
  for (int i = 0; i < 2 && p < raw.size() && raw[p] == '/'; ++i) ++p;
  return p;
}

// Whether `before` (the text from the user info's start to an '@') has begun a ?password= value.
bool in_password_option(const std::string& before) {
  std::string lower = to_lower(before);
  return lower.find("?password=") != npos || lower.find("&password=") != npos;
}

bool is_secret_key(const std::string& key) {
  return to_lower(key).find("password") != npos;
}

// The '@' that ends the user info: the last one followed by a host and a '/' (so the password may
// hold '@', '/', '?' and '#'), else the last one at all; never one inside a ?password= value;
// npos when there is none. A last '@' followed by nothing but a host (a URL without its database)
// wins over an earlier one unless a query began in between (an '@' in an option value).
std::size_t userinfo_end(const std::string& raw, std::size_t start) {
  std::size_t chosen = npos, last = npos;
  for (auto p = raw.find('@', start); p != npos; p = raw.find('@', p + 1)) {
    if (in_password_option(raw.substr(start, p - start))) break;
    last = p;
    auto slash = raw.find('/', p + 1);
    if (slash != npos && raw.substr(p + 1, slash - p - 1).find_first_of("?#&=@") == npos) chosen = p;
  }
  if (chosen != npos && last != chosen && raw.find_first_of("/?#&=", last + 1) == npos &&
      raw.substr(chosen, last - chosen).find('?') == npos)
    return last;
  return chosen != npos ? chosen : last;
}

// `text` with each run of hidden characters replaced by one "***".
std::string with_masks(const std::string& text, const std::vector<bool>& hidden) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!hidden[i])
      out += text[i];
    else if (i == 0 || !hidden[i - 1])
      out += kMask;
  }
  return out;
}

// The URL as it may be shown in a message about it (it did not parse, so where its user info ends
// is a guess): everything from the user info's start to the last '@' is masked, and the values of
// password options (to the next '&').
std::string mask_raw(const std::string& raw) {
  std::vector<bool> hidden(raw.size(), false);
  auto start = authority_start(raw);
  if (auto at = raw.rfind('@'); at != npos && at >= start)
    std::fill(hidden.begin() + static_cast<std::ptrdiff_t>(start), hidden.begin() + static_cast<std::ptrdiff_t>(at),
              true);
  std::string lower = to_lower(raw);
  for (auto p = lower.find("password"); p != npos; p = lower.find("password", p + 1)) {
    auto eq = lower.find_first_of("=&?", p);
    if (eq == npos || lower[eq] != '=') continue;
    auto end = raw.find('&', eq);
    std::fill(hidden.begin() + static_cast<std::ptrdiff_t>(eq + 1),
              end == npos ? hidden.end() : hidden.begin() + static_cast<std::ptrdiff_t>(end), true);
  }
  return with_masks(raw, hidden);
}

// 'part' of a URL for a message, when it looks like a name or a number; a part that may be a piece
// of a misplaced password is not shown.
std::string shown(const std::string& part) {
  bool plain = !part.empty() && part.size() <= 40 && std::all_of(part.begin(), part.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
  return plain ? "'" + part + "'" : "(not shown)";
}

// Replaces every occurrence of any of `secrets` with "***": every character any occurrence covers
// is hidden (occurrences may overlap), each run of hidden characters becomes one mask. The text
// is read once, so a secret that is part of the mask cannot make it loop.
std::string mask_all(const std::string& text, const std::vector<std::string>& secrets) {
  std::vector<bool> hidden(text.size(), false);
  bool any = false;
  for (const auto& s : secrets) {
    if (s.empty()) continue;
    for (auto p = text.find(s); p != npos; p = text.find(s, p + 1)) {
      std::fill(hidden.begin() + static_cast<std::ptrdiff_t>(p),
                hidden.begin() + static_cast<std::ptrdiff_t>(p + s.size()), true);
      any = true;
    }
  }
  return any ? with_masks(text, hidden) : text;
}

const std::vector<std::string>& ssl_modes(DialectId dialect) {
  static const std::vector<std::string> pg{"disable", "allow", "prefer", "require", "verify-ca", "verify-full"};
  static const std::vector<std::string> my{"disable", "prefer", "require", "verify-ca", "verify-full"};
  return dialect == DialectId::postgres ? pg : my;
}

std::vector<std::string> known_options(DialectId dialect) {
  std::vector<std::string> known{"connect_timeout", "password", "sslmode", "sslrootcert"};
  if (dialect == DialectId::postgres) known.push_back("options");
  return known;
}

}  // namespace

std::string DatabaseUrl::redacted() const {
  // The password may also be part of the user name, the host, an option or of where two parts
  // meet: the whole text is masked, with the password's own mask kept aside as \x01 meanwhile.
  std::string out = scheme + "://";
  if (!user.empty() || !password.empty()) out += user + (password.empty() ? "" : ":\x01") + "@";
  out += host.find(':') != npos ? "[" + host + "]" : host;
  if (port) out += ":" + std::to_string(port);
  out += "/" + database;
  std::string q;
  for (const auto& [k, v] : params) q += (q.empty() ? "?" : "&") + k + "=" + (is_secret_key(k) ? "\x01" : v);
  out = redact(out + q, *this);
  for (std::size_t p; (p = out.find('\x01')) != npos;) out.replace(p, 1, kMask);
  return out;
}

std::string DatabaseUrl::sslmode() const {
  auto it = params.find("sslmode");
  return it == params.end() ? "prefer" : it->second;
}

DatabaseUrl parse_database_url(const std::string& raw) {
  DatabaseUrl url;
  auto start = authority_start(raw);
  auto at = userinfo_end(raw, start);
  if (at != npos) {
    std::string userinfo = raw.substr(start, at - start);
    auto colon = userinfo.find(':');
    url.user = percent_decode(userinfo.substr(0, colon));
    if (colon != npos) {
      url.password_raw = userinfo.substr(colon + 1);
      url.password = percent_decode(url.password_raw);
    }
  }
  std::string rest = at == npos ? raw.substr(start) : raw.substr(at + 1);
  std::string path, query;
  auto slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  if (slash != npos) path = rest.substr(slash + 1);
  if (auto q = path.find('?'); q != npos) {
    query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  // A ?password= first, so that every later message is redacted with it too.
  std::vector<std::pair<std::string, std::string>> options;  // decoded key, raw value
  for (std::size_t p = 0; p <= query.size() && !query.empty();) {
    auto amp = query.find('&', p);
    std::string kv = query.substr(p, amp == npos ? npos : amp - p);
    if (!kv.empty()) {
      auto eq = kv.find('=');
      options.emplace_back(percent_decode(kv.substr(0, eq)), eq == npos ? std::string() : kv.substr(eq + 1));
    }
    if (amp == npos) break;
    p = amp + 1;
  }
  bool password_option = false;
  std::vector<std::string> secrets;  // every password seen, for the messages
  auto fail = [&](const std::string& why) {
    secrets.push_back(url.password);
    secrets.push_back(url.password_raw);
    throw Error(mask_all("invalid database URL '" + mask_raw(raw) + "': " + why, secrets), ExitCode::usage);
  };
  for (const auto& [key, value] : options) {
    if (key != "password") continue;
    secrets.push_back(value);
    secrets.push_back(percent_decode(value));
    if (!url.password_raw.empty() || password_option)
      fail("the password is given twice (in the user info and as ?password=, or as ?password= twice)");
    password_option = true;
    url.password_raw = value;
    url.password = percent_decode(value);
  }
  if (raw.find('\0') != npos) fail("it holds a NUL byte");
  auto colon = raw.find(':');
  if (colon == npos || !is_scheme(raw.substr(0, colon)) || raw.compare(colon, 3, "://") != 0)
    fail("expected scheme://user:password@host:port/database (postgres://, postgresql://, mysql:// or tidb://)");
  url.scheme = to_lower(raw.substr(0, colon));
  if (url.scheme == "postgres" || url.scheme == "postgresql")
    url.dialect = DialectId::postgres;
  else if (url.scheme == "mysql" || url.scheme == "tidb")
    url.dialect = DialectId::tidb;
  else
    fail("unknown scheme '" + url.scheme + "'" + did_you_mean(url.scheme, {"postgres", "postgresql", "mysql", "tidb"}) +
         " (use postgres://, postgresql://, mysql:// or tidb://)");
  if (slash == npos) fail("no database name (…/database)");
  url.database = percent_decode(path);
  if (url.database.empty()) fail("no database name (…/database)");

  std::string host = hostport, port;
  bool has_port = false;
  if (!host.empty() && host[0] == '[') {
    auto close = host.find(']');
    if (close == npos) fail("the IPv6 address has no closing ']' (write [::1]:5432)");
    std::string after = host.substr(close + 1);
    if (!after.empty() && after[0] != ':') fail("expected ':port' after the IPv6 address");
    if (!after.empty()) {
      has_port = true;
      port = after.substr(1);
    }
    host = host.substr(1, close - 1);
    if (host.empty()) fail("empty IPv6 address []");
  } else if (auto c = host.rfind(':'); c != npos) {
    if (host.find(':') != c) fail("an IPv6 address needs brackets, as in postgres://user@[::1]:5432/db");
    has_port = true;
    port = host.substr(c + 1);
    host = host.substr(0, c);
  }
  if (has_port) {
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) || std::stoi(port) < 1 ||
        std::stoi(port) > 65535)
      fail("port " + shown(port) + " is not a number from 1 to 65535");
    url.port = std::stoi(port);
  }
  if (host.find_first_of("?#&=@ \t\r\n") != npos) fail("the host " + shown(host) + " is not a host name or address");
  if (!host.empty()) url.host = percent_decode(host);
  if (!url.port) url.port = url.dialect == DialectId::postgres ? 5432 : (url.scheme == "tidb" ? 4000 : 3306);

  std::vector<std::string> known = known_options(url.dialect);
  for (const auto& [key, raw_value] : options) {
    if (key == "password") continue;
    std::string value = percent_decode(raw_value);
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string hint = did_you_mean(key, known);
      if (hint.empty() && key == "options") hint = " (options is a Postgres option)";
      fail("unknown option " + shown(key) + hint + "; known: " + join(known, ", "));
    }
    if (url.params.count(key)) fail("option '" + key + "' is given twice");
    if (key == "connect_timeout") {
      if (value.empty() || value.size() > 6 || !std::all_of(value.begin(), value.end(), ::isdigit) ||
          std::stoi(value) < 1)
        fail("connect_timeout " + shown(value) + " is not a positive whole number of seconds");
    } else if (key == "sslmode") {
      const auto& modes = ssl_modes(url.dialect);
      if (std::find(modes.begin(), modes.end(), value) == modes.end())
        fail("unknown sslmode " + shown(value) + did_you_mean(value, modes) + " (use " + join(modes, ", ") + ")");
    } else if (key == "sslrootcert" && value.empty()) {
      fail("sslrootcert needs a file name");
    }
    url.params[key] = value;
  }
  return url;
}

std::string redact(std::string text, const DatabaseUrl& url) {
  return mask_all(text, {url.password, url.password_raw});
}

std::string connection_error(const DatabaseUrl& url, const std::string& server_message) {
  return "cannot connect to " + url.redacted() + ": " + redact(server_message, url);
}

std::vector<std::string> url_secrets(const std::string& raw) {
  std::vector<std::string> out;
  auto add = [&](const std::string& s) {
    if (s.empty()) return;
    out.push_back(s);
    if (auto d = percent_decode(s); d != s) out.push_back(d);
  };
  try {
    DatabaseUrl url = parse_database_url(raw);
    add(url.password);
    add(url.password_raw);
  } catch (const Error&) {
  }
  std::vector<std::string> texts{raw};
  if (auto eq = raw.find('='); !raw.empty() && raw[0] == '-' && eq != npos) texts.push_back(raw.substr(eq + 1));
  for (const auto& text : texts) {
    for (std::size_t start : {authority_start(text), std::size_t{0}}) {
      for (std::size_t at : {userinfo_end(text, start), text.rfind('@')}) {
        if (at == npos || at < start) continue;
        std::string userinfo = text.substr(start, at - start);
        auto colon = userinfo.find(':');
        if (colon == npos) continue;
        std::string candidate = userinfo.substr(colon + 1);
        // Read from 0 although it has a scheme, "postgres://u:pw" would give "//u:pw", which
        // holds the user name (the reading with the scheme finds "pw").
        if (start == 0 && authority_start(text) > 0 && !candidate.empty() && candidate[0] == '/') continue;
        add(candidate);
      }
    }
    // password=VALUE anywhere
    std::string lower = to_lower(text);
    for (auto p = lower.find("password"); p != npos; p = lower.find("password", p + 1)) {
      auto eq = lower.find_first_of("=&", p);
      if (eq == npos || lower[eq] != '=') continue;
      auto end = text.find('&', eq + 1);
      add(text.substr(eq + 1, end == npos ? npos : end - eq - 1));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string redact_urls(std::string text, const std::vector<std::string>& secrets) {
  text = mask_all(text, secrets);
  const std::string stops = " \t\r\n'\"`<>()[]{},;";
  // scheme:[//]userinfo@ -> scheme:[//]***@
  for (auto at = text.find('@'); at != npos; at = text.find('@', at + 1)) {
    auto ts = text.find_last_of(stops, at);
    ts = ts == npos ? 0 : ts + 1;
    auto te = text.find_first_of(stops, at);
    std::string token = text.substr(ts, te == npos ? npos : te - ts);
    auto start = authority_start(token);
    if (start == 0) continue;
    auto end = userinfo_end(token, start);
    if (end == npos || end <= start || token.compare(start, end - start, kMask) == 0) continue;
    std::string userinfo = token.substr(start, end - start);
    if (userinfo.find(':') == npos) continue;  // a user name, no password
    if (userinfo.size() >= 4 && userinfo.compare(userinfo.size() - 4, 4, ":***") == 0) continue;  // masked already
    token = token.substr(0, start) + kMask + token.substr(end);
    text = text.substr(0, ts) + token + (te == npos ? "" : text.substr(te));
    at = ts + start + 3;
  }
  // password=VALUE -> password=***
  std::string lower = to_lower(text);
  std::string out;
  std::size_t copied = 0;
  for (auto p = lower.find("password"); p != npos; p = lower.find("password", p + 1)) {
    auto eq = p + 8;
    while (eq < lower.size() && (std::isalnum(static_cast<unsigned char>(lower[eq])) || lower[eq] == '_')) ++eq;
    if (p < copied || eq >= lower.size() || lower[eq] != '=') continue;
    auto end = text.find_first_of("&" + stops, eq + 1);
    if (end == npos) end = text.size();
    if (text.compare(eq + 1, end - eq - 1, kMask) == 0 || end == eq + 1) continue;
    out += text.substr(copied, eq + 1 - copied) + kMask;
    copied = end;
  }
  return out + text.substr(copied);
}

}  // namespace schemactl::db
