# sixgate_isatap: start_isatap, the one entry point `sixgate run` calls (app/isatap.cmake links
# it); it starts the router mode (sixgate_isatap_router) or the host mode (sixgate_isatap_host).
# Included by isatap/CMakeLists.txt; paths are relative to isatap/.
add_library(sixgate_isatap STATIC
  ${CMAKE_CURRENT_LIST_DIR}/isatap_component.cpp
)
target_include_directories(sixgate_isatap PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(sixgate_isatap PUBLIC sixgate_isatap_router sixgate_isatap_host sixgate_config
  sixgate_netlink Boost::headers nlohmann_json::nlohmann_json)
