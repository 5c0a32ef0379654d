# The RFC 8925 client's DHCPv4 reply parser and decisions (clat/dhcpv4_message.hpp,
# clat/rfc8925_client.hpp). Seeds: the scapy replies of tests/unit/clat/dhcpv4_scapy_vectors.py.
sixgate_add_fuzz_target(clat_dhcpv4_fuzz
  SOURCES clat_dhcpv4_fuzz.cpp
  LIBS sixgate_clat_dhcpv4
  SEEDS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/clat_dhcpv4
  SECONDS 30
  LABELS clat)
# Coverage feedback from the code under test, not only from the harness.
target_compile_options(sixgate_clat_dhcpv4 PRIVATE -fsanitize=fuzzer-no-link)
