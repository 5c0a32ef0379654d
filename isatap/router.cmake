# The ISATAP router mode (sixgate_isatap_router): the packet logic (RouterEngine), the table of
# IPv4 hosts seen (HostTable) and the component `sixgate run` starts (IsatapRouterComponent).
# Included by isatap/CMakeLists.txt; paths are relative to isatap/.
add_library(sixgate_isatap_router STATIC
  ${CMAKE_CURRENT_LIST_DIR}/router_engine.cpp
  ${CMAKE_CURRENT_LIST_DIR}/host_table.cpp
  ${CMAKE_CURRENT_LIST_DIR}/isatap_router_component.cpp
)
target_include_directories(sixgate_isatap_router PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(sixgate_isatap_router PUBLIC sixgate_isatap_core sixgate_isatap_link sixgate_netlink
  sixgate_config spdlog::spdlog Boost::headers nlohmann_json::nlohmann_json)
