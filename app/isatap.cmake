# Limited-scope ISATAP (RFC 5214) in `sixgate run`: app/daemon.cpp starts, reloads and stops it.
# Included by app/CMakeLists.txt after sixgate_app is defined.
target_link_libraries(sixgate_app PUBLIC sixgate_isatap)
