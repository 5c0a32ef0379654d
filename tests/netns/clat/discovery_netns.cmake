# PLAT-prefix discovery and the ND proxy against the real kernel and real peers (root), in
# namespaces the test creates and always removes (tests/netns/sgnetns.py). One ctest per case.
add_executable(clat_discovery_probe ${CMAKE_CURRENT_LIST_DIR}/discovery_probe.cpp)
target_link_libraries(clat_discovery_probe PRIVATE sixgate_clat_discovery)

set(clat_discovery_netns_tests
  Pref64.test_learns_the_prefix_then_a_lifetime_zero_pref64_withdraws_it
  Pref64.test_prefix_expires_when_its_lifetime_runs_out
  Pref64.test_malformed_pref64_and_other_options_are_counted_not_used
  Pref64.test_router_solicitation_at_start_brings_the_prefix_without_waiting
  NdProxy.test_peer_resolves_the_proxied_address_to_the_host_mac
  NdProxy.test_unicast_solicitation_is_answered_solicited_without_override
  NdProxy.test_invalid_solicitations_are_dropped_and_counted
  NdProxy.test_dad_fails_when_a_peer_already_has_the_address
  NdProxy.test_a_peer_probing_the_address_is_defended
  Rfc7050.test_discovers_the_prefix_through_dns64_and_retries_until_dns_answers
  Rfc7050.test_without_dns64_no_prefix_is_learned_and_lookups_go_on
)
sixgate_add_python_tests(netns.clat.discovery ${CMAKE_CURRENT_LIST_DIR}/discovery_netns_test.py
  LABELS netns clat TIMEOUT 120
  ENVIRONMENT "SIXGATE_DISCOVERY_PROBE=$<TARGET_FILE:clat_discovery_probe>"
  CASES ${clat_discovery_netns_tests})
