# `sixgate translate`: the stateless translator over a capture (RFC 7915), offline.
# Included by app/CMakeLists.txt after sixgate_app is defined; paths are relative to app/.
target_sources(sixgate_app PRIVATE
  translate_command.cpp
  translate_options.cpp
  translate_report.cpp
  translate_run.cpp
)
target_link_libraries(sixgate_app PUBLIC sixgate_xlat_config sixgate_capture)
