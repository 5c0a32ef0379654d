# `sixgate lab up/down/run` of the built-in lab, for real (root): every namespace, listener, the
# server's control socket, SLAAC and RFC 4191 routes on mgmt-v6, ISATAP on jump-v4 (not other-v4);
# down leaves nothing; an interrupted or killed up; a topology error; `lab run` twice
# (tests/netns/lab/runner_test.py). Each case removes what it made, also when it fails.
set(lab_runner_tests Up Down InterruptedUp BadTopology RunTwice)
sixgate_add_python_tests(netns.lab.runner ${CMAKE_CURRENT_SOURCE_DIR}/runner_test.py
  LABELS netns lab TIMEOUT 300 SERIAL
  CASES ${lab_runner_tests})
set_tests_properties(netns.lab.runner.RunTwice PROPERTIES TIMEOUT 900)
