# The address mapping of the stateless translator (RFC 6052, RFC 7757 EAM, RFC 6791 pool).
# Included by xlat/CMakeLists.txt; paths are relative to xlat/.
set(SIXGATE_XLAT_MAPPING_SOURCES rfc6052.cpp eam.cpp rfc6791_pool.cpp address_mapping.cpp)
