#include "app/doctor/doctor_report.hpp"

#include <algorithm>
#include <sstream>

namespace sixgate::app::doctor {

std::size_t count_problems(const std::vector<Finding>& findings) {
    return std::size_t(std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return !f.ok; }));
}

std::string render_doctor_text(const HostSnapshot& snapshot, const std::vector<Finding>& findings, FixForm form) {
    std::ostringstream out;
    // Short when there is simply no sixgate here; the reason when one could not be asked.
    if (snapshot.sixgate.socket_missing)
        out << "note: no sixgate on " << snapshot.sixgate.socket << ": its checks skipped\n";
    else if (!snapshot.sixgate.running)
        out << "note: " << snapshot.sixgate.error << ": its checks skipped\n";
    for (const Finding& f : findings) {
        if (f.ok) {
            out << "ok: " << f.summary << "\n";
            continue;
        }
        out << "problem: " << f.summary << "\n  why: " << f.why << "\n";
        if (form == FixForm::kWindows && !f.windows_note.empty()) out << "  windows: " << f.windows_note << "\n";
        for (const std::string& line : form == FixForm::kLinux ? f.linux_fix : f.windows_fix)
            out << "  fix: " << line << "\n";
    }
    const std::size_t problems = count_problems(findings);
    out << "doctor: ";
    if (problems == 0) out << "nothing wrong (" << findings.size() << " checks ok)\n";
    else out << problems << (problems == 1 ? " problem, " : " problems, ") << findings.size() - problems << " checks ok\n";
    return out.str();
}

nlohmann::json doctor_json(const HostSnapshot& snapshot, const std::optional<std::string>& target,
                           const std::vector<Finding>& findings) {
    nlohmann::json rows = nlohmann::json::array();
    for (const Finding& f : findings) {
        nlohmann::json row{{"check", f.check}, {"ok", f.ok}, {"summary", f.summary}};
        if (!f.ok) {
            row["why"] = f.why;
            row["fix"] = {{"linux", f.linux_fix}, {"windows", f.windows_fix}};
            if (!f.windows_note.empty()) row["fix"]["windows_note"] = f.windows_note;
        }
        rows.push_back(std::move(row));
    }
    nlohmann::json sixgate{{"running", snapshot.sixgate.running}, {"socket", snapshot.sixgate.socket}};
    if (!snapshot.sixgate.error.empty()) sixgate["error"] = snapshot.sixgate.error;
    return {{"host", snapshot.hostname},
            {"target", target ? nlohmann::json(*target) : nlohmann::json(nullptr)},
            {"sixgate", sixgate},
            {"problems", count_problems(findings)},
            {"findings", rows}};
}

}  // namespace sixgate::app::doctor
