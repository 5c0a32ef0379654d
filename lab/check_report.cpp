#include "lab/check_report.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace sixgate::lab {
namespace {

std::string format_rtt(const std::optional<double>& rtt_ms) {
    if (!rtt_ms) return "-";
    char text[32];
    std::snprintf(text, sizeof text, *rtt_ms < 10 ? "%.2f ms" : "%.0f ms", *rtt_ms);
    return text;
}

std::string result_cell(const CheckRow& row) {
    std::string text = row.result;
    if (!row.detail.empty()) text += " (" + row.detail + ")";
    return text;
}

std::string to_cell(const CheckRow& row) {
    if (row.target.empty() || row.target == row.to) return row.to;
    return row.to + " " + row.target;
}

}  // namespace

std::size_t CheckReport::unmet() const {
    return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](const CheckRow& row) { return !row.met; }));
}

std::string CheckReport::verdict() const {
    const std::size_t total = rows.size();
    const std::string checks = total == 1 ? " check" : " checks";
    if (all_met())
        return "lab " + lab + ": " + (total == 1 ? "the" : "all " + std::to_string(total)) + checks + " met " +
               (total == 1 ? "its" : "their") + " expectation";
    return "lab " + lab + ": " + std::to_string(unmet()) + " of " + std::to_string(total) + checks + " did not meet " +
           (unmet() == 1 ? "its" : "their") + " expectation";
}

std::string format_check_table(const CheckReport& report) {
    const std::vector<std::string> headers = {"FROM", "TO", "PROTOCOL", "EXPECTED", "RESULT", "RTT"};
    std::vector<std::vector<std::string>> cells;
    for (const CheckRow& row : report.rows)
        cells.push_back({row.from, to_cell(row), row.protocol, row.expected, result_cell(row), format_rtt(row.rtt_ms)});
    std::vector<std::size_t> widths;
    for (const std::string& header : headers) widths.push_back(header.size());
    for (const auto& line : cells)
        for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
    std::ostringstream out;
    const auto print = [&](const std::vector<std::string>& line, const char* mark) {
        std::string text = mark;
        for (std::size_t i = 0; i < line.size(); ++i)
            text += line[i] + (i + 1 < line.size() ? std::string(widths[i] - line[i].size() + 2, ' ') : "");
        out << text << "\n";
    };
    print(headers, "  ");
    for (std::size_t i = 0; i < cells.size(); ++i) print(cells[i], report.rows[i].met ? "  " : "! ");
    for (const CheckRow& row : report.rows) {
        if (row.met || row.doctor.empty()) continue;
        out << "\n" << row.from << " -> " << to_cell(row) << " " << row.protocol << ": sixgate doctor says\n";
        std::istringstream lines(row.doctor);
        for (std::string line; std::getline(lines, line);) out << "    " << line << "\n";
    }
    out << "\n" << report.verdict() << "\n";
    return out.str();
}

nlohmann::json check_report_json(const CheckReport& report) {
    nlohmann::json checks = nlohmann::json::array();
    for (const CheckRow& row : report.rows) {
        checks.push_back({{"from", row.from},
                          {"to", row.to},
                          {"target", row.target},
                          {"protocol", row.protocol},
                          {"expected", row.expected},
                          {"result", row.result},
                          {"detail", row.detail},
                          {"met", row.met},
                          {"rtt_ms", row.rtt_ms ? nlohmann::json(*row.rtt_ms) : nlohmann::json()},
                          {"elapsed_ms", row.elapsed_ms},
                          {"doctor", row.doctor.empty() ? nlohmann::json() : nlohmann::json(row.doctor)}});
    }
    return {{"lab", report.lab},
            {"checks", std::move(checks)},
            {"met", report.rows.size() - report.unmet()},
            {"total", report.rows.size()},
            {"all_met", report.all_met()},
            {"verdict", report.verdict()}};
}

}  // namespace sixgate::lab
