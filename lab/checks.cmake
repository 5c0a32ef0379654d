# `sixgate lab test`: the checks (probes, DNS query codec, the runner, the report) and the
# topology's checks: list reader, which the topology loader in sixgate_lab_model uses.
target_sources(sixgate_lab_model PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/check_loader.cpp)

add_library(sixgate_lab_checks STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/dns_query.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/probes.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/lab_host_process.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/check_report.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/check_runner.cpp
)
find_package(Threads REQUIRED)
# sixgate_lab_runner: the namespace's processes (lab_process.hpp).
target_link_libraries(sixgate_lab_checks PUBLIC sixgate_lab_model sixgate_lab_runner nlohmann_json::nlohmann_json Threads::Threads)
