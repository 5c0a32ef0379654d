# The ISATAP router mode: HostTable, RouterEngine on a FakeTunnelIo (scapy's vectors), and, as
# root, the TunnelLink and IsatapRouterComponent for real in namespaces the tests create.
# Included by tests/unit/isatap/CMakeLists.txt.
sixgate_add_unit_test(isatap_router_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/host_table_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/router_engine_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tunnel_link_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/isatap_router_component_test.cpp
  LIBS sixgate_isatap_router
  LABELS isatap)
