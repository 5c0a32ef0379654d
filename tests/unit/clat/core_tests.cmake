# Unit tests of the CLAT component (no root: FakeTun, FakeKernel). Included by
# tests/unit/clat/CMakeLists.txt; paths are relative to it.
sixgate_add_unit_test(clat_core_unit_tests
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/clat_address_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/clat_component_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/clat_data_path_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/clat_kernel_plan_test.cpp
  LIBS sixgate_clat
  LABELS clat)
