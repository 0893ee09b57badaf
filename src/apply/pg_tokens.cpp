#include "apply/pg_tokens.hpp"

#include <pg_query.h>

#include <cstdint>

namespace schemactl::apply {

namespace {

// pg_query_scan answers with a protobuf ScanResult { repeated ScanToken tokens = 2; } where
// ScanToken is { int32 start = 1; int32 end = 2; Token token = 4; KeywordKind keyword_kind = 5; }
// (pg_query.proto). Those few fields are read here rather than pulling in protobuf-c.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}
  bool done() const { return p_ >= end_; }
  bool ok() const { return ok_; }

  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) break;
      std::uint8_t b = *p_++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    ok_ = false;
    p_ = end_;
    return 0;
  }

  // Skips a field of wire type `wire`; a type this reader does not know makes it fail.
  void skip(std::uint64_t wire) {
    if (wire == 0) {
      varint();
    } else if (wire == 2) {
      std::uint64_t n = varint();
      if (n > static_cast<std::uint64_t>(end_ - p_))
        fail();
      else
        p_ += n;
    } else if (wire == 5) {
      if (end_ - p_ < 4)
        fail();
      else
        p_ += 4;
    } else if (wire == 1) {
      if (end_ - p_ < 8)
        fail();
      else
        p_ += 8;
    } else {
      fail();
    }
  }

  Reader sub() {
    std::uint64_t n = varint();
    if (n > static_cast<std::uint64_t>(end_ - p_)) {
      fail();
      return Reader(p_, 0);
    }
    Reader r(p_, n);
    p_ += n;
    return r;
  }

 private:
  void fail() {
    ok_ = false;
    p_ = end_;
  }
  const std::uint8_t* p_;
  const std::uint8_t* end_;
  bool ok_ = true;
};

constexpr std::uint64_t kSemicolon = 59, kOpenParen = 40, kCloseParen = 41, kIdent = 258, kSqlComment = 275,
                        kCComment = 276;

PgToken::Kind kind_of(std::uint64_t token, std::uint64_t keyword_kind) {
  if (token == kSemicolon) return PgToken::Kind::semicolon;
  if (token == kOpenParen) return PgToken::Kind::open_paren;
  if (token == kCloseParen) return PgToken::Kind::close_paren;
  if (token == kSqlComment || token == kCComment) return PgToken::Kind::comment;
  if (token == kIdent) return PgToken::Kind::identifier;
  if (keyword_kind != 0) return PgToken::Kind::keyword;
  return PgToken::Kind::other;
}

}  // namespace

bool scan_postgres(const std::string& text, std::vector<PgToken>& tokens, PgScanError& error) {
  tokens.clear();
  PgQueryScanResult result = pg_query_scan(text.c_str());
  if (result.error) {
    error.message = result.error->message ? result.error->message : "the scanner failed";
    error.offset = result.error->cursorpos > 0 ? static_cast<std::size_t>(result.error->cursorpos - 1) : 0;
    pg_query_free_scan_result(result);
    return false;
  }
  Reader r(reinterpret_cast<const std::uint8_t*>(result.pbuf.data), result.pbuf.len);
  while (!r.done()) {
    std::uint64_t key = r.varint();
    if (key >> 3 == 2 && (key & 7) == 2) {
      Reader t = r.sub();
      std::uint64_t start = 0, end = 0, token = 0, keyword = 0;
      while (!t.done()) {
        std::uint64_t k = t.varint();
        std::uint64_t field = k >> 3;
        if ((k & 7) != 0) {
          t.skip(k & 7);
          continue;
        }
        std::uint64_t v = t.varint();
        if (field == 1)
          start = v;
        else if (field == 2)
          end = v;
        else if (field == 4)
          token = v;
        else if (field == 5)
          keyword = v;
      }
      if (!t.ok() || end < start || end > text.size()) break;
      tokens.push_back(
          PgToken{kind_of(token, keyword), static_cast<std::size_t>(start), static_cast<std::size_t>(end)});
    } else {
      r.skip(key & 7);
    }
  }
  bool ok = r.ok();
  pg_query_free_scan_result(result);
  if (!ok) {
    error.message = "could not read the scanner's answer";
    error.offset = 0;
  }
  return ok;
}

}  // namespace schemactl::apply
