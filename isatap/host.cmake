# ISATAP host mode (RFC 5214 8.3): the jump host's side (sixgate_isatap_host).
# Included by isatap/CMakeLists.txt; paths are relative to isatap/.
find_package(Threads REQUIRED)
add_library(sixgate_isatap_host STATIC
  ${CMAKE_CURRENT_LIST_DIR}/host_engine.cpp
  ${CMAKE_CURRENT_LIST_DIR}/solicitation_schedule.cpp
  ${CMAKE_CURRENT_LIST_DIR}/host_ra_state.cpp
  ${CMAKE_CURRENT_LIST_DIR}/potential_router_list.cpp
  ${CMAKE_CURRENT_LIST_DIR}/isatap_host_component.cpp
)
target_include_directories(sixgate_isatap_host PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(sixgate_isatap_host PUBLIC sixgate_isatap_core sixgate_isatap_link sixgate_netlink
  sixgate_config spdlog::spdlog Boost::headers nlohmann_json::nlohmann_json Threads::Threads)
