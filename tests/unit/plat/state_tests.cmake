# Unit tests of the PLAT's state (sixgate_plat_state): pool4, BIB, sessions, the TCP state
# machine, timers, held SYNs. Included by tests/unit/plat/CMakeLists.txt.
sixgate_add_unit_test(plat_state_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/pool4_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tcp_state_machine_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/session_table_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/session_table_tcp_test.cpp
  LIBS sixgate_plat_state
  LABELS plat)
