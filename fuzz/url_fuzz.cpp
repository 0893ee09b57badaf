// Database URLs: parse_database_url, redacted(), redact(), connection_error() and the masking of
// command-line messages never show the password, and never crash or hang.
//
// Mode 1 builds a URL from parts (always with the '/' before the database); its password always
// holds the marker '~', which no other part and no fixed text of a message holds: a '~' in any
// message is (part of) the password leaking.
// Mode 2 takes the bytes as the URL; when it parses, its password (3 characters or more, and not
// part of the rest of the rendering) must not appear in any message.
#include <fuzzer/FuzzedDataProvider.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "db/url.hpp"
#include "util/diagnostic.hpp"

namespace {

using namespace schemactl;

std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

[[noreturn]] void leak(const std::string& url, const std::string& what, const std::string& message) {
  std::fprintf(stderr, "\n*** password leak (%s)\nURL: %s\nmessage: %s\n", what.c_str(), printable(url).c_str(),
               printable(message).c_str());
  std::abort();
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string pick(FuzzedDataProvider& in, const std::vector<std::string>& options) {
  return options[in.ConsumeIntegralInRange<std::size_t>(0, options.size() - 1)];
}

std::string from_alphabet(FuzzedDataProvider& in, const std::string& alphabet, std::size_t max) {
  std::string out;
  std::size_t n = in.ConsumeIntegralInRange<std::size_t>(0, max);
  for (std::size_t i = 0; i < n && in.remaining_bytes(); ++i)
    out += alphabet[in.ConsumeIntegral<unsigned char>() % alphabet.size()];
  return out;
}

// Every message the binary can print about `raw`.
std::vector<std::pair<std::string, std::string>> messages(const std::string& raw) {
  std::vector<std::pair<std::string, std::string>> out;
  try {
    db::DatabaseUrl url = db::parse_database_url(raw);
    out.emplace_back("redacted", url.redacted());
    // A server library that echoes the password (the worst case), decoded and as written.
    out.emplace_back("connection_error", db::connection_error(url, "FATAL: bad password '" + url.password + "' / '" +
                                                                       url.password_raw + "' for " + url.user));
    out.emplace_back("redact", db::redact(raw, url));
  } catch (const Error& e) {
    out.emplace_back("parse error", e.what());
  }
  // CLI11: "The following argument was not expected: RAW", as main() masks it.
  for (const std::string& arg : std::vector<std::string>{raw, "--url=" + raw})
    out.emplace_back(
        "command line",
        db::redact_urls("The following argument was not expected: " + raw + " (" + arg + ")", db::url_secrets(arg)));
  return out;
}

void mode_parts(FuzzedDataProvider& in) {
  const std::string word = "abcdefghijklmnopqrstuvwxyz0123456789_";
  const std::string host_chars = "abcdefghijklmnopqrstuvwxyz0123456789.-";
  std::string raw = pick(in, {"postgres", "postgresql", "mysql", "tidb", "postgresx", "http", "", "POSTGRES"});
  // (Not "": "postgres" + "" + ":" + "//x..." would make the password the host part of a URL.)
  raw += pick(in, {"://", ":", ":/", ":///", "//", "://"});
  // The password: any bytes but the marker, and the marker somewhere in it.
  std::string pw = in.ConsumeRandomLengthString(24);
  for (auto& c : pw)
    if (c == '~') c = '!';
  pw.insert(in.ConsumeIntegralInRange<std::size_t>(0, pw.size()), "~");
  // A password holding "?password=" is ambiguous by construction (a ?password= option, or not?):
  // break such a text up.
  for (std::size_t p; (p = lower(pw).find("password=")) != std::string::npos;) pw[p + 8] = '-';
  bool in_query = in.ConsumeBool();
  std::string user = from_alphabet(in, word, 8);
  if (!in_query)
    raw += user + ":" + pw + "@";
  else if (in.ConsumeBool())
    raw += user + "@";
  raw += pick(in, {"127.0.0.1", "h", "[::1]", "[fe80::1", "db.example", from_alphabet(in, host_chars, 10), ""});
  if (in.ConsumeBool()) raw += ":" + pick(in, {"5432", "1", "0", "99999", from_alphabet(in, "0123456789ab", 6), ""});
  // Always a '/' after the host: without one, where a password holding "@host/" ends is
  // ambiguous (the URL then reads as one with a strange database name).
  raw += "/" + from_alphabet(in, word, 8);
  std::string query;
  std::size_t options = in.ConsumeIntegralInRange<std::size_t>(0, 4);
  if (in_query) options = std::max<std::size_t>(options, 1);
  bool password_done = false;
  for (std::size_t i = 0; i < options; ++i) {
    query += query.empty() ? "?" : "&";
    if (in_query && !password_done && (i + 1 == options || in.ConsumeBool())) {
      // In a query, '&' and '#' end the value: a ?password= holding them must be percent-encoded.
      std::string q = pw;
      for (auto& c : q)
        if (c == '&' || c == '#') c = '+';
      query += "password=" + q;
      password_done = true;
      continue;
    }
    query += pick(in, {"sslmode", "connect_timeout", "sslrootcert", "options", "sslmod", "Password", "password", ""}) +
             pick(in, {"=", "", "=="}) +
             pick(in, {"require", "verify-full", "disable", "5", "abc", "/etc/ca.pem", from_alphabet(in, word, 6)});
  }
  raw += query;
  for (const auto& [what, message] : messages(raw))
    if (message.find('~') != std::string::npos) leak(raw, what, message);
}

void mode_raw(FuzzedDataProvider& in) {
  std::string raw = in.ConsumeRemainingBytesAsString();
  std::string pw;
  try {
    pw = db::parse_database_url(raw).password;
  } catch (const Error&) {
  }
  auto all = messages(raw);
  if (pw.size() < 3) return;
  // Shown legitimately when it is part of the fixed text or of another part of the URL.
  for (const auto& [what, message] : all) {
    std::string other = "invalid database URL cannot connect to FATAL: bad password for *** ";
    if (message.find(pw) != std::string::npos && other.find(pw) == std::string::npos) {
      // The mask may hold it ("***" and pw == "**x"?): it is then not a leak.
      std::string without = message;
      for (std::size_t p; (p = without.find("***")) != std::string::npos;) without.replace(p, 3, "\x01");
      if (without.find(pw) != std::string::npos) leak(raw, what, message);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  if (in.ConsumeBool())
    mode_parts(in);
  else
    mode_raw(in);
  return 0;
}
