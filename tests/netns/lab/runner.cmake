# `sixgate lab up/down/run` of the built-in lab, for real (root): every namespace, listener, the
# server's control socket, SLAAC and RFC 4191 routes on mgmt-v6, ISATAP on jump-v4 (not other-v4);
# down leaves nothing; an interrupted or killed up; a topology error; `lab run` twice
# (tests/netns/lab/runner_test.py). Each case removes what it made, also when it fails.
set(lab_runner_tests Up Down InterruptedUp BadTopology RunTwice)
foreach(case IN LISTS lab_runner_tests)
  add_test(NAME netns.lab.runner.${case}
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/runner_test.py ${case}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(netns.lab.runner.${case} PROPERTIES
    LABELS "netns;lab"
    ENVIRONMENT "SIXGATE_BINARY=$<TARGET_FILE:sixgate>"
    RUN_SERIAL TRUE
    SKIP_RETURN_CODE 77
    TIMEOUT 300)
endforeach()
set_tests_properties(netns.lab.runner.RunTwice PROPERTIES TIMEOUT 900)
