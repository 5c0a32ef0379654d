# `sixgate lab test` end to end against namespaces the test makes under the lab's names
# (tests/netns/lab/checks_test.py, topologies checks_topology.yaml and checks_wrong_expectation.yaml).
set(lab_checks_tests
  LabTest.test_lab_that_is_not_up_exits_3_and_says_how_to_bring_it_up
  LabTest.test_every_check_meets_its_expectation_and_the_exit_status_is_0
  LabTest.test_json_has_every_row_with_rtts_and_the_verdict
  LabTest.test_a_wrong_expectation_is_reported_and_the_exit_status_is_1
)
sixgate_add_python_tests(netns.lab.checks ${CMAKE_CURRENT_SOURCE_DIR}/checks_test.py
  LABELS netns lab TIMEOUT 180 SERIAL
  CASES ${lab_checks_tests})
