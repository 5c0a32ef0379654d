# The ISATAP node's I/O (sixgate_isatap_link): a protocol-41 raw socket and a TUN device served by
# one data-path thread. Included by isatap/CMakeLists.txt; paths are relative to isatap/.
find_package(Threads REQUIRED)
add_library(sixgate_isatap_link STATIC
  ${CMAKE_CURRENT_LIST_DIR}/tunnel_link.cpp
)
target_include_directories(sixgate_isatap_link PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(sixgate_isatap_link PUBLIC sixgate_tun sixgate_netlink sixgate_net sixgate_packet Threads::Threads)
