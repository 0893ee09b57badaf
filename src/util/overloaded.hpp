// The usual helper for std::visit with one lambda per alternative.
#pragma once

namespace schemactl {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace schemactl
