# The CLAT component (RFC 6877): TUN data path, kernel plan, addresses, lifecycle (sixgate_clat).
# Included by clat/CMakeLists.txt after discovery.cmake; paths are relative to clat/.
find_package(Threads REQUIRED)
add_library(sixgate_clat STATIC
  ${CMAKE_CURRENT_LIST_DIR}/clat_address.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clat_component.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clat_data_path.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clat_kernel_plan.cpp
)
target_include_directories(sixgate_clat PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(sixgate_clat PUBLIC sixgate_xlat sixgate_xlat_config sixgate_tun sixgate_netlink
  sixgate_config sixgate_clat_discovery sixgate_clat_dhcpv4 spdlog::spdlog Boost::headers nlohmann_json::nlohmann_json
  Threads::Threads)
