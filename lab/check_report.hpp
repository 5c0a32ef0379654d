#pragma once
// The result of `sixgate lab test`: one row per check or reload step, a one-line verdict, shown as
// a table (with `sixgate doctor`'s explanation under it for each unmet check) or as JSON.
// Entry points: CheckReport, format_check_table(), check_report_json().

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sixgate::lab {

struct CheckRow {
    std::string from;
    std::string to;        // the target host ("-" for a reload step)
    std::string target;    // the address probed (the resolver's for dns), or what a step changed
    std::string protocol;  // "ping", "tcp/3389", "dns", "reload", "restore"
    std::string expected;  // "success", "failure, isatap.isatap_drops.source_not_allowed rises", "applied"
    std::string result;    // "success", "failure", "applied", "error"
    std::string detail;    // what was seen: "echo reply", "connection refused", "AAAA 2002:...", counter values
    bool met = false;
    std::optional<double> rtt_ms;  // of the exchange that succeeded
    double elapsed_ms = 0;         // from the first attempt to the verdict on this row
    std::string doctor;            // `sixgate doctor` output for an unmet check, or empty
};

struct CheckReport {
    std::string lab;
    std::vector<CheckRow> rows;

    std::size_t unmet() const;
    bool all_met() const { return unmet() == 0; }
    // "lab directaccess: all 19 checks met their expectation" or
    // "lab directaccess: 2 of 19 checks did not meet their expectation"
    std::string verdict() const;
};

// The table (FROM TO PROTOCOL EXPECTED RESULT RTT), the doctor's explanations, the verdict.
std::string format_check_table(const CheckReport& report);

// {"lab", "checks": [{from, to, target, protocol, expected, result, detail, met, rtt_ms, elapsed_ms,
// doctor}], "met", "total", "all_met", "verdict"}
nlohmann::json check_report_json(const CheckReport& report);

}  // namespace sixgate::lab
