# `sixgate doctor` (app/doctor/): reads this host, applies the rules, prints the fixes. Included by
# app/CMakeLists.txt after sixgate_app is defined; paths are relative to app/. Part of sixgate_app
# itself: the snapshot asks the local sixgate over the control socket (control_protocol.cpp).
target_sources(sixgate_app PRIVATE
  doctor/doctor_command.cpp
  doctor/doctor_fixes.cpp
  doctor/doctor_report.cpp
  doctor/doctor_rules.cpp
  doctor/host_probes.cpp
  doctor/host_snapshot.cpp
  doctor/sixgate_state.cpp
)
# PLAT-prefix discovery (RFC 7050) for the DNS64 check.
target_link_libraries(sixgate_app PUBLIC sixgate_clat_discovery)

