# RFC 7915 ICMP type/code/pointer tables and MTU rules; included by xlat/CMakeLists.txt.
set(SIXGATE_XLAT_ICMP_SOURCES icmp_mapping.cpp mtu.cpp)
