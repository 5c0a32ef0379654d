# The PLAT's packet path with a live session table (plat/plat_translator.hpp). Seeds: the unit
# vectors' inputs behind a zero control byte (make_plat_vectors.py --seeds).
sixgate_add_fuzz_target(plat_translator_fuzz
  SOURCES plat_translator_fuzz.cpp
  LIBS sixgate_plat_translator
  SEEDS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/plat
  SECONDS 45
  LABELS plat)
# Coverage feedback from the code under test, not only from the harness: the PLAT's own library
# gets libFuzzer's instrumentation in fuzz builds (this file is only read when SIXGATE_FUZZ is on).
target_compile_options(sixgate_plat_translator PRIVATE -fsanitize=fuzzer-no-link)
