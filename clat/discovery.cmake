# PLAT-prefix discovery and the CLAT address's reachability (control plane, Boost.Asio):
# RFC 8781 PREF64 from RAs the kernel hands over (pref64_listener), RFC 7050 DNS64 discovery
# (rfc7050), and a userspace ND proxy with DAD for the CLAT address (nd_proxy).
add_library(sixgate_clat_discovery STATIC
  ${CMAKE_CURRENT_LIST_DIR}/pref64_listener.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rfc7050.cpp
  ${CMAKE_CURRENT_LIST_DIR}/nd_proxy.cpp
)
target_include_directories(sixgate_clat_discovery PUBLIC ${PROJECT_SOURCE_DIR})
find_package(Threads REQUIRED)
target_link_libraries(sixgate_clat_discovery PUBLIC sixgate_xlat sixgate_netlink sixgate_nd sixgate_net
  Boost::headers spdlog::spdlog nlohmann_json::nlohmann_json Threads::Threads)
