# `sixgate doctor` end to end (root, namespaces): each case breaks a host the way real ones break
# (RFC 4191 routes dropped, forwarding with accept_ra=1, accept_ra=0, no route to the NAT64 /96,
# an ISATAP router named `isatap`, a CLAT without PREF64), runs doctor, applies the "fix:" lines it
# printed in that namespace and proves the host works again and doctor says ok
# (tests/netns/doctor/doctor_e2e_test.py). One ctest per case; each removes its own namespaces,
# processes and /etc/netns files, also when it fails.
set(doctor_e2e_tests
  ManageOut.test_healthy_host_is_ok_and_answers
  ManageOut.test_route_information_dropped_is_found_and_mended
  ManageOut.test_forwarding_with_accept_ra_1_is_found_and_mended
  ManageOut.test_accept_ra_0_is_found_and_mended
  ManageOut.test_no_route_to_the_nat64_prefix_is_found_and_mended
  ManageOut.test_windows_form_prints_netsh_and_powershell
  ManageOut.test_another_namespaces_sixgate_is_not_taken_for_this_hosts
  Isatap.test_router_named_isatap_is_found_and_renamed
  Clat.test_clat_without_pref64_is_found_and_given_the_prefix
)
sixgate_add_python_tests(netns.doctor ${CMAKE_CURRENT_LIST_DIR}/doctor_e2e_test.py
  LABELS netns app doctor TIMEOUT 180 SERIAL
  CASES ${doctor_e2e_tests})
