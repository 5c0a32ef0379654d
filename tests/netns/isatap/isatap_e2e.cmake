# Limited-scope ISATAP (RFC 5214) end to end in namespaces (root), with real peers: a scapy ISATAP
# host against the sixgate router (the RA, a refused host, a spoofed source, an RFC 6324 loop, a
# SIGHUP reload), sixgate in host mode on an allowed jump host and on a refused one, a remote IPv6
# client with TCP listeners on 3389/5985, plain IPv4 alongside, clean exit
# (tests/netns/isatap/isatap_e2e_test.py, topology in isatap_topology.py). One ctest per case,
# each removing its own namespaces and processes, also when it fails. RUN_SERIAL: each case runs
# up to three sixgate processes; two cases at once on 2 cores would make the timeouts flaky.
set(isatap_e2e_tests
  ScapyHost.test_allowed_host_gets_a_unicast_ra_with_the_isatap_prefix_and_the_routes
  ScapyHost.test_refused_host_gets_nothing_and_is_counted
  ScapyHost.test_spoofed_inner_source_is_dropped_and_counted
  OtherIsatapRouter.test_packet_toward_another_isatap_routers_address_is_dropped_as_a_loop
  Reload.test_sighup_with_a_longer_allow_list_serves_the_added_host
  JumpHost.test_jump_host_gets_its_isatap_address_and_the_route_to_the_clients
  JumpHost.test_jump_host_pings_the_client_and_talks_tcp_on_3389_and_5985
  OtherHost.test_host_not_on_the_allow_list_gets_no_address_and_cannot_reach_the_client
  Ipv4Unaffected.test_ipv4_ping_and_tcp_between_jump_other_and_server
  CleanExit.test_sigterm_removes_tuns_addresses_and_routes
)
sixgate_add_python_tests(netns.isatap ${CMAKE_CURRENT_SOURCE_DIR}/isatap_e2e_test.py
  LABELS netns isatap TIMEOUT 180 SERIAL
  CASES ${isatap_e2e_tests})
