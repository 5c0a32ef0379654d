# ISATAP host mode (sixgate_isatap_host): schedule, PRL, RA state, data path with a fake
# TunnelIo, and the component (FakeKernel refusals; as root, a real start in namespaces).
sixgate_add_unit_test(isatap_host_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/solicitation_schedule_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/potential_router_list_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/host_ra_state_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/host_engine_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/isatap_host_component_test.cpp
  LIBS sixgate_isatap_host
  LABELS isatap)
