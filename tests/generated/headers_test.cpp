// The shipped registry's generated headers, used as an application would use them.
#include <doctest/doctest.h>

#include <type_traits>

#include "companion/conversation.hpp"
#include "companion/module.hpp"
#include "companion/moment.hpp"
#include "companion/period.hpp"
#include "companion/persona.hpp"
#include "companion/session.hpp"

using namespace companion::models;

TEST_CASE("enums convert to and from their SQL values") {
  CHECK(to_string(ExecutionContext::POST_RESPONSE) == "POST_RESPONSE");
  CHECK(from_string<ExecutionContext>("ON_DEMAND") == ExecutionContext::ON_DEMAND);
  CHECK_FALSE(from_string<ExecutionContext>("on_demand").has_value());
}

TEST_CASE("members carry the registry's types") {
  static_assert(std::is_same_v<decltype(Moment::speakers), std::optional<nlohmann::json>>);
  static_assert(std::is_same_v<decltype(Moment::key_emotions), std::optional<std::vector<std::string>>>);
  static_assert(std::is_same_v<decltype(Module::execution_context), ExecutionContext>);
  static_assert(std::is_same_v<decltype(Session::moment_id), std::optional<std::string>>);
  static_assert(std::is_same_v<decltype(AnalysisPeriod::period_start), std::chrono::system_clock::time_point>);
  Moment m;
  m.key_emotions = std::vector<std::string>{"collaborative", "tense"};
  m.speakers = nlohmann::json::array({{{"text", "hi"}, {"speaker_identifier", "speaker_1"}}});
  CHECK(m.key_emotions->size() == 2);
  CHECK((*m.speakers)[0]["text"] == "hi");
}

TEST_CASE("table and column names and traits come from the registry") {
  CHECK(Moment::kTable == "moments");
  CHECK(Session::columns::moment_id::sql_name == "moment_id");
  CHECK(Session::columns::moment_id::is_nullable);
  CHECK(Session::columns::id::is_primary_key);
  CHECK_FALSE(Session::columns::id::is_nullable);
  CHECK(Persona::columns::is_active::has_default);
  CHECK(EventContent::columns::event_id::is_primary_key);
  CHECK(EventContent::columns::content_id::is_primary_key);
  std::size_t keys = 0;
  for (const auto& c : AnalysisPeriod::kColumns) keys += c.primary_key ? 1 : 0;
  CHECK(keys == 1);
  CHECK(AnalysisPeriod::kColumns.front().sql_name == "id");
}
