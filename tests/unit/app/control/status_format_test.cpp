// `sixgate status` output forms: exact text and Prometheus output, and that both follow the JSON
// so components added later show up unchanged.

#include "app/status_format.hpp"

#include <gtest/gtest.h>

#include "tests/unit/app/control/control_test_support.hpp"

namespace sixgate::app {
namespace {

using testing_support::sample_snapshot;

// A component this formatter has never heard of, as the PLAT may report it.
nlohmann::json snapshot_with_plat() {
    return nlohmann::json::parse(R"({
      "version": "0.2.0",
      "pid": 7,
      "started_at": "2024-05-01T10:00:00Z",
      "components": {
        "plat": {
          "uptime_s": 90061,
          "current_sessions": 3,
          "sessions_created": 10,
          "drops": {"no_bib_entry": 2},
          "pool4": [{"prefix": "192.0.2.0/24", "current_free_ports": 100}]
        }
      }
    })");
}

TEST(StatusText, ShowsEachComponentAndInterfaceAligned) {
    EXPECT_EQ(render_status_text(sample_snapshot()),
              "sixgate 0.1.0, pid 4242, started 2024-05-01T10:00:00Z\n"
              "\n"
              "router (up 1h 02m 03s)\n"
              "  interface eth1\n"
              "    next_ra_in_ms          1500\n"
              "    ras_sent_multicast     12\n"
              "    ras_sent_unicast       2\n"
              "    rs_answered_multicast  3\n"
              "    rs_answered_unicast    2\n"
              "    rs_rate_limited        0\n"
              "    rs_received            5\n"
              "    send_errors            0\n"
              "    uptime_s               3722\n"
              "    drops                  3\n"
              "      bad_checksum   1\n"
              "      bad_hop_limit  2\n"
              "    options\n"
              "      cur_hop_limit    64\n"
              "      managed          no\n"
              "      router_lifetime  1800\n"
              "      dnssl\n"
              "        domains   -\n"
              "        lifetime  1800\n"
              "      prefix 2002:836b:2:3333::/64\n"
              "        autonomous      yes\n"
              "        valid_lifetime  86400\n"
              "      rdnss\n"
              "        lifetime  1200\n"
              "        servers   2002:836b:2:3333::1\n"
              "      route 2002:836b:2:1000::/64\n"
              "        lifetime    1800\n"
              "        preference  medium\n"
              "  interface eth2\n"
              "    next_ra_in_ms          250\n"
              "    ras_sent_multicast     3\n"
              "    ras_sent_unicast       0\n"
              "    rs_answered_multicast  0\n"
              "    rs_answered_unicast    0\n"
              "    rs_rate_limited        0\n"
              "    rs_received            0\n"
              "    send_errors            0\n"
              "    uptime_s               3722\n"
              "    drops                  0\n"
              "    options\n"
              "      cur_hop_limit  64\n"
              "      managed        yes\n"
              "  kernel\n"
              "    addresses  2002:836b:2:3333::1/64 dev eth1\n"
              "    routes\n"
              "      2002:836b:2:1000::/64 dev tun0 metric 1024\n"
              "      2002:836b:2:7777::/96 dev nat64\n");
}

TEST(StatusText, ShowsAComponentItHasNeverSeen) {
    EXPECT_EQ(render_status_text(snapshot_with_plat()),
              "sixgate 0.2.0, pid 7, started 2024-05-01T10:00:00Z\n"
              "\n"
              "plat (up 1d 01h 01m 01s)\n"
              "  current_sessions  3\n"
              "  sessions_created  10\n"
              "  drops             2\n"
              "    no_bib_entry  2\n"
              "  pool4 192.0.2.0/24\n"
              "    current_free_ports  100\n");
}

TEST(StatusText, SaysSoWhenNoComponentRuns) {
    const nlohmann::json snapshot = {
        {"version", "0.1.0"}, {"pid", 1}, {"components", nlohmann::json::object()}};
    EXPECT_EQ(render_status_text(snapshot), "sixgate 0.1.0, pid 1\n\nno components running\n");
}

TEST(StatusText, NumbersListItemsWithoutAName) {
    const nlohmann::json snapshot = nlohmann::json::parse(
        R"({"components": {"clat": {"queues": [{"packets": 5}, {"packets": 6}], "empty": [], "none": null}}})");
    EXPECT_EQ(render_status_text(snapshot),
              "sixgate\n"
              "\n"
              "clat\n"
              "  empty  -\n"
              "  none   -\n"
              "  queue #1\n"
              "    packets  5\n"
              "  queue #2\n"
              "    packets  6\n");
}

TEST(StatusPrometheus, ExposesCountersWithInterfaceAndReasonLabels) {
    EXPECT_EQ(
        render_status_prometheus(sample_snapshot()),
        "# HELP sixgate_info sixgate version (the value is always 1)\n"
        "# TYPE sixgate_info gauge\n"
        "sixgate_info{version=\"0.1.0\"} 1\n"
        "# HELP sixgate_router_uptime_seconds router uptime_s\n"
        "# TYPE sixgate_router_uptime_seconds gauge\n"
        "sixgate_router_uptime_seconds 3723\n"
        "sixgate_router_uptime_seconds{interface=\"eth1\"} 3722\n"
        "sixgate_router_uptime_seconds{interface=\"eth2\"} 3722\n"
        "# HELP sixgate_router_next_ra_in_seconds router next_ra_in_ms by interface\n"
        "# TYPE sixgate_router_next_ra_in_seconds gauge\n"
        "sixgate_router_next_ra_in_seconds{interface=\"eth1\"} 1.5\n"
        "sixgate_router_next_ra_in_seconds{interface=\"eth2\"} 0.25\n"
        "# HELP sixgate_router_ras_sent_multicast_total router ras_sent_multicast by interface\n"
        "# TYPE sixgate_router_ras_sent_multicast_total counter\n"
        "sixgate_router_ras_sent_multicast_total{interface=\"eth1\"} 12\n"
        "sixgate_router_ras_sent_multicast_total{interface=\"eth2\"} 3\n"
        "# HELP sixgate_router_ras_sent_unicast_total router ras_sent_unicast by interface\n"
        "# TYPE sixgate_router_ras_sent_unicast_total counter\n"
        "sixgate_router_ras_sent_unicast_total{interface=\"eth1\"} 2\n"
        "sixgate_router_ras_sent_unicast_total{interface=\"eth2\"} 0\n"
        "# HELP sixgate_router_rs_answered_multicast_total router rs_answered_multicast by "
        "interface\n"
        "# TYPE sixgate_router_rs_answered_multicast_total counter\n"
        "sixgate_router_rs_answered_multicast_total{interface=\"eth1\"} 3\n"
        "sixgate_router_rs_answered_multicast_total{interface=\"eth2\"} 0\n"
        "# HELP sixgate_router_rs_answered_unicast_total router rs_answered_unicast by interface\n"
        "# TYPE sixgate_router_rs_answered_unicast_total counter\n"
        "sixgate_router_rs_answered_unicast_total{interface=\"eth1\"} 2\n"
        "sixgate_router_rs_answered_unicast_total{interface=\"eth2\"} 0\n"
        "# HELP sixgate_router_rs_rate_limited_total router rs_rate_limited by interface\n"
        "# TYPE sixgate_router_rs_rate_limited_total counter\n"
        "sixgate_router_rs_rate_limited_total{interface=\"eth1\"} 0\n"
        "sixgate_router_rs_rate_limited_total{interface=\"eth2\"} 0\n"
        "# HELP sixgate_router_rs_received_total router rs_received by interface\n"
        "# TYPE sixgate_router_rs_received_total counter\n"
        "sixgate_router_rs_received_total{interface=\"eth1\"} 5\n"
        "sixgate_router_rs_received_total{interface=\"eth2\"} 0\n"
        "# HELP sixgate_router_send_errors_total router send_errors by interface\n"
        "# TYPE sixgate_router_send_errors_total counter\n"
        "sixgate_router_send_errors_total{interface=\"eth1\"} 0\n"
        "sixgate_router_send_errors_total{interface=\"eth2\"} 0\n"
        "# HELP sixgate_router_drops_total router drops by interface and reason\n"
        "# TYPE sixgate_router_drops_total counter\n"
        "sixgate_router_drops_total{interface=\"eth1\",reason=\"bad_checksum\"} 1\n"
        "sixgate_router_drops_total{interface=\"eth1\",reason=\"bad_hop_limit\"} 2\n"
        "sixgate_router_drops_total{interface=\"eth1\",reason=\"too_short\"} 0\n"
        "sixgate_router_drops_total{interface=\"eth2\",reason=\"bad_checksum\"} 0\n"
        "sixgate_router_drops_total{interface=\"eth2\",reason=\"bad_hop_limit\"} 0\n"
        "sixgate_router_drops_total{interface=\"eth2\",reason=\"too_short\"} 0\n");
}

TEST(StatusPrometheus, ExposesAComponentItHasNeverSeenWithGaugesByName) {
    EXPECT_EQ(render_status_prometheus(snapshot_with_plat()),
              "# HELP sixgate_info sixgate version (the value is always 1)\n"
              "# TYPE sixgate_info gauge\n"
              "sixgate_info{version=\"0.2.0\"} 1\n"
              "# HELP sixgate_plat_current_sessions plat current_sessions\n"
              "# TYPE sixgate_plat_current_sessions gauge\n"
              "sixgate_plat_current_sessions 3\n"
              "# HELP sixgate_plat_sessions_created_total plat sessions_created\n"
              "# TYPE sixgate_plat_sessions_created_total counter\n"
              "sixgate_plat_sessions_created_total 10\n"
              "# HELP sixgate_plat_uptime_seconds plat uptime_s\n"
              "# TYPE sixgate_plat_uptime_seconds gauge\n"
              "sixgate_plat_uptime_seconds 90061\n"
              "# HELP sixgate_plat_drops_total plat drops by reason\n"
              "# TYPE sixgate_plat_drops_total counter\n"
              "sixgate_plat_drops_total{reason=\"no_bib_entry\"} 2\n"
              "# HELP sixgate_plat_current_free_ports plat current_free_ports by pool4\n"
              "# TYPE sixgate_plat_current_free_ports gauge\n"
              "sixgate_plat_current_free_ports{pool4=\"192.0.2.0/24\"} 100\n");
}

TEST(StatusPrometheus, EscapesLabelValuesAndLabelsMapsNamedBy) {
    const nlohmann::json snapshot = nlohmann::json::parse(R"({"components": {"isatap": {
        "interfaces": [{"name": "we\"ird\\", "tx": {"packets": 9, "bytes": 900},
                        "decapsulated_by_protocol": {"icmpv6": 1, "tcp": 2}}]}}})");
    EXPECT_EQ(
        render_status_prometheus(snapshot),
        "# HELP sixgate_isatap_decapsulated_total isatap decapsulated by interface and protocol\n"
        "# TYPE sixgate_isatap_decapsulated_total counter\n"
        "sixgate_isatap_decapsulated_total{interface=\"we\\\"ird\\\\\",protocol=\"icmpv6\"} 1\n"
        "sixgate_isatap_decapsulated_total{interface=\"we\\\"ird\\\\\",protocol=\"tcp\"} 2\n"
        "# HELP sixgate_isatap_tx_bytes_total isatap tx.bytes by interface\n"
        "# TYPE sixgate_isatap_tx_bytes_total counter\n"
        "sixgate_isatap_tx_bytes_total{interface=\"we\\\"ird\\\\\"} 900\n"
        "# HELP sixgate_isatap_tx_packets_total isatap tx.packets by interface\n"
        "# TYPE sixgate_isatap_tx_packets_total counter\n"
        "sixgate_isatap_tx_packets_total{interface=\"we\\\"ird\\\\\"} 9\n");
}

TEST(StatusPrometheus, IsatapHostAgesAreGaugesHostCountsCountersAndDropsAreLabelledByReason) {
    const nlohmann::json snapshot = nlohmann::json::parse(R"({"components": {"isatap": {
        "mode": "router", "hosts_seen": 2, "hosts_refused": 1, "hosts_truncated": false,
        "hosts": [{"ipv4": "10.20.0.10", "allowed": true, "packets_in": 4, "last_seen_seconds_ago": 3}],
        "isatap_drops": {"source_not_allowed": 5, "inner_source_mismatch": 1}}}})");
    EXPECT_EQ(render_status_prometheus(snapshot),
              "# HELP sixgate_isatap_hosts_refused_total isatap hosts_refused\n"
              "# TYPE sixgate_isatap_hosts_refused_total counter\n"
              "sixgate_isatap_hosts_refused_total 1\n"
              "# HELP sixgate_isatap_hosts_seen_total isatap hosts_seen\n"
              "# TYPE sixgate_isatap_hosts_seen_total counter\n"
              "sixgate_isatap_hosts_seen_total 2\n"
              "# HELP sixgate_isatap_last_seen_seconds_ago isatap last_seen_seconds_ago by host\n"
              "# TYPE sixgate_isatap_last_seen_seconds_ago gauge\n"
              "sixgate_isatap_last_seen_seconds_ago{host=\"10.20.0.10\"} 3\n"
              "# HELP sixgate_isatap_packets_in_total isatap packets_in by host\n"
              "# TYPE sixgate_isatap_packets_in_total counter\n"
              "sixgate_isatap_packets_in_total{host=\"10.20.0.10\"} 4\n"
              "# HELP sixgate_isatap_isatap_drops_total isatap isatap_drops by reason\n"
              "# TYPE sixgate_isatap_isatap_drops_total counter\n"
              "sixgate_isatap_isatap_drops_total{reason=\"inner_source_mismatch\"} 1\n"
              "sixgate_isatap_isatap_drops_total{reason=\"source_not_allowed\"} 5\n");
}

TEST(StatusText, ListsIsatapHostsByTheirIpv4AndTheDropsByReason) {
    const nlohmann::json snapshot = nlohmann::json::parse(R"({"components": {"isatap": {
        "mode": "router", "hosts_refused": 1,
        "hosts": [{"ipv4": "10.20.0.11", "allowed": false, "packets_in": 2}],
        "isatap_drops": {"source_not_allowed": 2}}}})");
    const std::string text = render_status_text(snapshot);
    EXPECT_NE(text.find("  host 10.20.0.11\n    allowed     no\n    packets_in  2\n"), std::string::npos) << text;
    EXPECT_NE(text.find("  isatap_drops   2\n    source_not_allowed  2\n"), std::string::npos) << text;
}

TEST(StatusJson, PrettyPrintsWithTwoSpaces) {
    EXPECT_EQ(render_status_json(nlohmann::json{{"pid", 1}}), "{\n  \"pid\": 1\n}\n");
}

TEST(StatusUptime, UsesTheLargestUnitThatFits) {
    EXPECT_EQ(format_uptime(0), "0s");
    EXPECT_EQ(format_uptime(59), "59s");
    EXPECT_EQ(format_uptime(366), "6m 06s");
    EXPECT_EQ(format_uptime(3723), "1h 02m 03s");
    EXPECT_EQ(format_uptime(90061), "1d 01h 01m 01s");
}

}  // namespace
}  // namespace sixgate::app
