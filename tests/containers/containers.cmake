# The container image built with podman and run as the directaccess lab (tests/containers), and
# the Compose files validated offline. Label `containers` plus `lab`; `ctest -L containers`.
add_test(NAME containers.lab_image
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/container_lab_test.py
          --sixgate $<TARGET_FILE:sixgate> --repo ${PROJECT_SOURCE_DIR})
# Serial: it attaches the lab's namespace names (sglab.directaccess.*) that `lab up` also uses.
set_tests_properties(containers.lab_image PROPERTIES
  LABELS "containers;lab" RUN_SERIAL TRUE TIMEOUT 1200 SKIP_RETURN_CODE 77)

add_test(NAME containers.compose_config
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/compose_config_test.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(containers.compose_config PROPERTIES
  LABELS "containers;lab" TIMEOUT 120 SKIP_RETURN_CODE 77)
