# The PLAT (stateful NAT64, RFC 6146) end to end in namespaces (root), with real peers: the Linux
# kernel as the IPv6-only host (ping, curl, iperf3), TAYGA and sixgate as CLATs, a static BIB entry,
# router + PLAT in one process, 100,000-flow session churn, clean exit
# (tests/netns/plat/plat_e2e_test.py, topology in plat_topology.py). One ctest per case, each
# removing its own namespaces and processes, also when it fails. RUN_SERIAL: the cases measure
# timing (churn) and run iperf3; two at once on 2 cores would make each other flaky.
set(plat_e2e_tests
  NetworkSpecificPrefix.test_ping_reaches_the_ipv4_server_and_the_source_is_a_pool4_address
  NetworkSpecificPrefix.test_curl_fetches_a_file_over_http_byte_exact
  NetworkSpecificPrefix.test_iperf3_tcp_both_ways
  NetworkSpecificPrefix.test_iperf3_udp_arrives
  NetworkSpecificPrefix.test_udp_payloads_come_back_unchanged
  DirectAccessPrefix.test_ping_and_curl_through_the_plan_nat64_prefix
  WellKnownPrefix.test_documentation_server_address_is_refused_and_counted
  WellKnownPrefix.test_global_server_address_is_translated
  Xlat464.test_tayga_clat_to_sixgate_plat
  Xlat464.test_sixgate_clat_with_a_literal_prefix_to_sixgate_plat
  Xlat464.test_sixgate_clat_with_the_prefix_from_pref64_to_sixgate_plat
  StaticBib.test_ipv4_admin_host_reaches_an_ipv6_listener_through_pool4_port_3389
  RouterAndPlat.test_router_advertises_and_plat_translates_in_one_process
  SessionChurn.test_one_hundred_thousand_udp_flows_come_and_go_on_time
  CleanExit.test_sigterm_removes_routes_tun_and_restores_sysctls
)
sixgate_add_python_tests(netns.plat ${CMAKE_CURRENT_SOURCE_DIR}/plat_e2e_test.py
  LABELS netns plat TIMEOUT 240 SERIAL
  CASES ${plat_e2e_tests})
