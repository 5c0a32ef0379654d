# The namespace runner's pure parts (no root): the plan for the built-in topologies, the state file,
# host scripts with a program path and run directory, and running a command.
sixgate_add_unit_test(lab_runner_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/lab_plan_test.cpp ${CMAKE_CURRENT_LIST_DIR}/lab_state_test.cpp
  LIBS sixgate_lab_runner
  LABELS lab)
