# The ISATAP core (sixgate_isatap_core): addresses, decapsulation, policy, the ISATAP RA, with
# vectors scapy builds (make_isatap_vectors.py, checked by isatap_vectors_regeneration_test).
sixgate_add_unit_test(isatap_core_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/isatap_address_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tunnel_packet_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/isatap_policy_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/isatap_advertisement_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/isatap_vectors_regeneration_test.cpp
  LIBS sixgate_isatap_core
  LABELS isatap)
target_compile_definitions(isatap_core_test PRIVATE
  SIXGATE_ISATAP_VECTOR_DIR="${CMAKE_CURRENT_LIST_DIR}")
