# sixgate_isatap_core: ISATAP addresses (RFC 5214 6.1), decapsulation (RFC 4213 3.6), the
# limited-scope policy and loop checks (RFC 5214 7.3, RFC 6324 3.2) and the ISATAP RA (RFC 5214
# 8.2.3). No I/O: the link, router and host libraries build on it.
add_library(sixgate_isatap_core STATIC
  ${CMAKE_CURRENT_LIST_DIR}/isatap_address.cpp
  ${CMAKE_CURRENT_LIST_DIR}/drop_reason.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tunnel_packet.cpp
  ${CMAKE_CURRENT_LIST_DIR}/isatap_policy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/isatap_advertisement.cpp
)
target_include_directories(sixgate_isatap_core PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(sixgate_isatap_core PUBLIC sixgate_nd sixgate_packet sixgate_net sixgate_config)
