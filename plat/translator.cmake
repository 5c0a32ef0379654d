# The PLAT's packet path (RFC 6146 3.4-3.8) over the stateless translator (sixgate_plat_translator).
# Included by plat/CMakeLists.txt; paths are relative to plat/.
add_library(sixgate_plat_translator STATIC
  ${CMAKE_CURRENT_LIST_DIR}/outgoing_tuple.cpp
  ${CMAKE_CURRENT_LIST_DIR}/incoming_tuple.cpp
  ${CMAKE_CURRENT_LIST_DIR}/filtering_and_updating.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hairpinning.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fragment_flows.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plat_translator.cpp
)
target_include_directories(sixgate_plat_translator PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(sixgate_plat_translator PUBLIC
  sixgate_plat_state sixgate_xlat sixgate_xlat_config sixgate_packet)
