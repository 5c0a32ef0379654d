# `sixgate lab` (app/lab_command.cpp, lab_runner_command.cpp, lab_test_command.cpp) over the lab's
# topology model, runner and checks (lab/). Included by app/CMakeLists.txt after sixgate_app is
# defined; paths are relative to app/.
target_sources(sixgate_app PRIVATE lab_command.cpp lab_runner_command.cpp lab_test_command.cpp)
target_link_libraries(sixgate_app PUBLIC sixgate_lab_model)
foreach(library IN ITEMS sixgate_lab_runner sixgate_lab_checks)
  if(TARGET ${library})
    target_link_libraries(sixgate_app PUBLIC ${library})
  endif()
endforeach()
