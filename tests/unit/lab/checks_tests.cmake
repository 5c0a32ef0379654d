# `sixgate lab test`: the DNS codec, the report, the checks: loader and the runner's pure parts.
sixgate_add_unit_test(lab_checks_test
  SOURCES dns_query_test.cpp check_report_test.cpp check_loader_test.cpp check_runner_test.cpp
  LIBS sixgate_lab_checks
  LABELS lab)
