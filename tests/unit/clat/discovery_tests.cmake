# PLAT-prefix discovery (PREF64 from RTM_NEWNDUSEROPT, RFC 7050) and the ND proxy's codecs: no
# root, no network. nd_proxy_test runs nd_proxy_scapy_vectors.py with Debian's /usr/bin/python3.
sixgate_add_unit_test(clat_discovery_unit_tests
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/pref64_discovery_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/rfc7050_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/nd_proxy_test.cpp
  LIBS sixgate_clat_discovery
  LABELS clat)
target_compile_definitions(clat_discovery_unit_tests PRIVATE SIXGATE_CLAT_TEST_DIR="${CMAKE_CURRENT_LIST_DIR}")
