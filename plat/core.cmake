# The PLAT component (RFC 6146): TUN data path, kernel plan, lifecycle (sixgate_plat).
# Included by plat/CMakeLists.txt after state.cmake and translator.cmake; paths are relative to plat/.
find_package(Threads REQUIRED)
add_library(sixgate_plat STATIC
  ${CMAKE_CURRENT_LIST_DIR}/plat_component.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plat_data_path.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plat_kernel_plan.cpp
)
target_include_directories(sixgate_plat PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(sixgate_plat PUBLIC sixgate_plat_translator sixgate_plat_state sixgate_tun
  sixgate_netlink sixgate_config spdlog::spdlog Boost::headers nlohmann_json::nlohmann_json
  Threads::Threads)
