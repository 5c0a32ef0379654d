# The CLAT's RFC 8925 client against dnsmasq in namespaces (root): option 108 offered, plain IPv4
# offered, no server, a server appearing after the CLAT started. One ctest per case; each removes its namespaces and processes.
set(clat_v6only_netns_tests
  Ipv6OnlyPreferred.test_offer_with_option_108_runs_the_clat_and_takes_no_lease
  NoOption108.test_offer_without_option_108_puts_the_lease_on_the_uplink_and_no_clat
  NoServer.test_without_a_dhcpv4_server_the_clat_runs_after_the_wait
  ServerAppears.test_a_server_without_option_108_appearing_later_stops_the_clat_and_installs_the_lease
)
sixgate_add_python_tests(netns.clat.v6only ${CMAKE_CURRENT_LIST_DIR}/v6only_netns_test.py
  LABELS netns clat TIMEOUT 120 SERIAL
  CASES ${clat_v6only_netns_tests})
