# The PLAT's packet path (plat/plat_translator.hpp) against the real session table, with vectors
# scapy builds (translator/make_plat_vectors.py, checked by plat_vectors_regeneration_test).
sixgate_add_unit_test(plat_translator_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/translator/plat_translator_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/translator/plat_vectors_regeneration_test.cpp
  LIBS sixgate_plat_translator
  LABELS plat)
target_compile_definitions(plat_translator_test PRIVATE
  SIXGATE_PLAT_VECTOR_DIR="${CMAKE_CURRENT_LIST_DIR}/translator")
