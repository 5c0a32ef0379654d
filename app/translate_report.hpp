#pragma once
// `sixgate translate` output: the summary as an aligned table or one JSON object, and the
// one-line packet descriptions of --verbose. Entry points: render_translate_table,
// render_translate_json, describe_packet.

#include <cstddef>
#include <span>
#include <string>

#include "app/translate_run.hpp"

namespace sixgate::app {

// "192.0.2.1 > 198.51.100.7 icmp echo-request, 84 bytes": addresses, protocol (ports, ICMP type;
// fragment offset for a fragment) and length, from the views; never fails ("malformed ...").
std::string describe_packet(std::span<const std::byte> packet);

// The summary, one aligned line per count: records read and written, translated per direction
// and the fragments made, ICMP errors sent back by reason, drops by reason (zero lines left out).
// When the run stopped early, a first line says the counts are partial.
std::string render_translate_table(const TranslateSummary& summary);

// The same as one JSON object with stable keys; every reason listed, zeros included.
std::string render_translate_json(const TranslateSummary& summary);

}  // namespace sixgate::app
