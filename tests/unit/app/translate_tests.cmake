# `sixgate translate` and the translator settings it shares with the CLAT and PLAT.
# Included by tests/unit/app/CMakeLists.txt; paths are relative to tests/unit/app/.

# make_translator (xlat/translator_config.hpp).
sixgate_add_unit_test(xlat_translator_config_tests
  SOURCES ${PROJECT_SOURCE_DIR}/tests/unit/xlat/translator_config_test.cpp
  LIBS sixgate_xlat_config
  LABELS xlat)

# Options, packet descriptions, the table and the JSON.
sixgate_add_unit_test(translate_unit_tests
  SOURCES translate_options_test.cpp translate_report_test.cpp
  LIBS sixgate_app
  LABELS app xlat)

# The real binary on captures written by scapy, checked by scapy and tshark: one ctest per case.
# Files only (no root, no namespaces); Debian's /usr/bin/python3 has scapy.
set(translate_cli_tests
  test_echo_request_to_ipv6_and_its_reply_back_to_ipv4
  test_tcp_and_udp_both_ways
  test_ethernet_sll_raw_and_pcapng_inputs_give_the_same_output
  test_ttl_one_gives_an_icmp_error_in_the_output_and_the_summary
  test_ttl_one_is_translated_by_a_host_side_translator_that_does_not_decrement
  test_a_1500_byte_df_clear_ipv4_packet_becomes_ipv6_fragments
  test_a_non_ip_record_is_counted_and_skipped
  test_an_unmapped_destination_is_dropped_by_reason
  test_a_record_cut_by_the_snap_length_is_counted_as_its_own_reason
  test_options_come_from_the_config_file_and_the_command_line_overrides_them
  test_pool6_falls_back_to_the_plat_prefix_of_the_config_file
  test_bad_options_exit_2_with_one_line_naming_the_option
  test_a_file_that_cannot_be_read_or_written_exits_1_naming_it
  test_a_truncated_file_reports_what_was_processed_and_exits_1
  test_json_and_table_say_the_same
  test_verbose_prints_one_line_per_record
)
foreach(case IN LISTS translate_cli_tests)
  add_test(NAME app.translate_cli.${case}
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/translate_cli_test.py TranslateTest.${case}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(app.translate_cli.${case} PROPERTIES
    LABELS "unit;app;xlat"
    ENVIRONMENT "SIXGATE_BINARY=$<TARGET_FILE:sixgate>"
    TIMEOUT 120)
endforeach()
