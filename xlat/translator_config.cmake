# sixgate_xlat_config: the translator's mapping and settings from the config's `translation:`
# section (make_translator), shared by the CLAT, the PLAT and `sixgate translate`.
# Included by xlat/CMakeLists.txt; paths are relative to xlat/.
add_library(sixgate_xlat_config STATIC translator_config.cpp)
target_include_directories(sixgate_xlat_config PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(sixgate_xlat_config PUBLIC sixgate_xlat sixgate_config)
