# ISATAP decapsulation and the router/host policies on what comes out (isatap/tunnel_packet.hpp,
# isatap/isatap_policy.hpp). Seeds: the unit vectors behind a zero control byte
# (make_isatap_vectors.py --seeds).
sixgate_add_fuzz_target(isatap_decapsulation_fuzz
  SOURCES isatap_decapsulation_fuzz.cpp
  LIBS sixgate_isatap_core
  SEEDS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/isatap
  SECONDS 30
  LABELS isatap)
# Coverage feedback from the code under test, not only from the harness.
target_compile_options(sixgate_isatap_core PRIVATE -fsanitize=fuzzer-no-link)
