# `sixgate lab` (app/lab_command.cpp) over the lab's topology model (lab/).
# Included by app/CMakeLists.txt after sixgate_app is defined; paths are relative to app/.
target_sources(sixgate_app PRIVATE lab_command.cpp)
target_link_libraries(sixgate_app PUBLIC sixgate_lab_model)
