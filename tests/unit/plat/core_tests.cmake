# Unit tests of the PLAT component (sixgate_plat): kernel plan on FakeKernel, data path on FakeTun
# with the real session table and translator, component start-up refusals on FakeKernel and, as
# root, a real start/stop in a namespace the test creates. Included by tests/unit/plat/CMakeLists.txt.
sixgate_add_unit_test(plat_core_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/plat_component_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/plat_data_path_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/plat_kernel_plan_test.cpp
  LIBS sixgate_plat
  LABELS plat)
