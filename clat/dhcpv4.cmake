# The RFC 8925 client the CLAT runs first (sixgate_clat_dhcpv4): DHCPv4 messages, the client's
# decisions, the lease on the uplink and the socket and timer that drive them.
add_library(sixgate_clat_dhcpv4 STATIC
  ${CMAKE_CURRENT_LIST_DIR}/dhcpv4_message.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rfc8925_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dhcpv4_lease.cpp
  ${CMAKE_CURRENT_LIST_DIR}/v6only_client.cpp
)
target_include_directories(sixgate_clat_dhcpv4 PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(sixgate_clat_dhcpv4 PUBLIC sixgate_netlink sixgate_net Boost::headers
  spdlog::spdlog nlohmann_json::nlohmann_json)
