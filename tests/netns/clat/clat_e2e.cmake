# 464XLAT end to end in namespaces (root): sixgate CLAT -> TAYGA PLAT -> IPv4 server, with real
# peers (tests/netns/clat/clat_e2e_test.py, topology in xlat464_topology.py). One ctest per case,
# so each runs alone and removes its own namespaces and processes, also when it fails.
set(clat_e2e_tests
  Traffic.test_ping_reaches_the_ipv4_server_through_the_clat
  Traffic.test_tcp_both_directions_with_iperf3
  Traffic.test_udp_payloads_come_back_unchanged
  AddressModes.test_proxy_nd_address_in_the_client_prefix_carries_traffic
  AddressModes.test_routed_address_outside_the_uplink_prefix_carries_traffic
  PlatPrefix.test_prefix_learned_from_pref64_in_router_advertisements
  PlatPrefix.test_literal_prefix_from_the_config
  Traceroute.test_every_translator_hop_answers_and_the_last_hop_is_the_server
  PathMtu.test_ptb_1280_beyond_the_clat_reaches_the_ipv4_sender_as_frag_needed_1260
  TranslateEquivalence.test_offline_translate_gives_the_packets_the_live_clat_sent_both_ways
)
sixgate_add_python_tests(netns.clat ${CMAKE_CURRENT_SOURCE_DIR}/clat_e2e_test.py
  LABELS netns clat TIMEOUT 180
  CASES ${clat_e2e_tests})

# The 464XLAT part of the README's main command (scripts/demo.sh) must keep passing.
add_test(NAME netns.clat.demo_464xlat
  COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/scripts/demo_464xlat.py $<TARGET_FILE:sixgate>
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(netns.clat.demo_464xlat PROPERTIES LABELS "netns;clat" TIMEOUT 180
  PASS_REGULAR_EXPRESSION "464xlat: ok: 3/3 checks passed")
