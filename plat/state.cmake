# The NAT64's state (RFC 6146 3.1-3.5): pool4, BIB, sessions, the TCP state machine, timers and
# held V4 SYNs (sixgate_plat_state). Included by plat/CMakeLists.txt; paths are relative to plat/.
find_package(Threads REQUIRED)
add_library(sixgate_plat_state STATIC
  ${CMAKE_CURRENT_LIST_DIR}/plat_types.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tcp_state_machine.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pool4.cpp
  ${CMAKE_CURRENT_LIST_DIR}/held_syns.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bib.cpp
  ${CMAKE_CURRENT_LIST_DIR}/session.cpp
  ${CMAKE_CURRENT_LIST_DIR}/table_shard.cpp
  ${CMAKE_CURRENT_LIST_DIR}/session_table.cpp
)
target_include_directories(sixgate_plat_state PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(sixgate_plat_state PUBLIC sixgate_net sixgate_config
  nlohmann_json::nlohmann_json Threads::Threads)
