# The namespace runner behind `sixgate lab up/down/run`: the plan (topology -> namespaces, links,
# host scripts), the state file, starting hosts, readiness, teardown. Included by lab/CMakeLists.txt.
add_library(sixgate_lab_runner STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/lab_plan.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/lab_state.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/lab_process.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/lab_readiness.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/lab_runner.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/lab_teardown.cpp
)
target_link_libraries(sixgate_lab_runner PUBLIC sixgate_lab_model sixgate_config nlohmann_json::nlohmann_json)
