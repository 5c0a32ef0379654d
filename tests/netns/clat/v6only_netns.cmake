# The CLAT's RFC 8925 client against dnsmasq in namespaces (root): option 108 offered, plain IPv4
# offered, no server, a server appearing after the CLAT started. One ctest per case; each removes its namespaces and processes.
set(clat_v6only_netns_tests
  Ipv6OnlyPreferred.test_offer_with_option_108_runs_the_clat_and_takes_no_lease
  NoOption108.test_offer_without_option_108_puts_the_lease_on_the_uplink_and_no_clat
  NoServer.test_without_a_dhcpv4_server_the_clat_runs_after_the_wait
  ServerAppears.test_a_server_without_option_108_appearing_later_stops_the_clat_and_installs_the_lease
)
foreach(case IN LISTS clat_v6only_netns_tests)
  add_test(NAME netns.clat.v6only.${case}
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/v6only_netns_test.py ${case}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(netns.clat.v6only.${case} PROPERTIES
    LABELS "netns;clat"
    ENVIRONMENT "SIXGATE_BINARY=$<TARGET_FILE:sixgate>"
    RUN_SERIAL TRUE
    SKIP_RETURN_CODE 77
    TIMEOUT 120)
endforeach()
