# The RFC 8925 client (clat/dhcpv4.cmake): codec against scapy and tshark, the client's decisions
# on a fake clock, the lease on a FakeKernel, the
# clat.dhcpv4 config section. No root, no network.
sixgate_add_unit_test(clat_dhcpv4_unit_tests
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/dhcpv4_message_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/rfc8925_client_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/dhcpv4_lease_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/dhcpv4_config_test.cpp
  LIBS sixgate_clat_dhcpv4 sixgate_config
  LABELS clat)
target_compile_definitions(clat_dhcpv4_unit_tests PRIVATE SIXGATE_CLAT_TEST_DIR="${CMAKE_CURRENT_LIST_DIR}")
