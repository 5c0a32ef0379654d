#pragma once
// What the lab calls the things it makes on the machine, shared by the runner (`lab up/down`),
// the checks (`lab test`) and the container test, which attaches its containers' namespaces under
// the same names (`ip netns attach`) so `lab test` runs unchanged against them.

#include <string>
#include <string_view>

namespace sixgate::lab {

// Every namespace of lab LAB starts with this; `lab down` also sweeps names with it that the
// state file missed.
inline std::string lab_namespace_prefix(std::string_view lab) { return "sglab." + std::string(lab) + "."; }

// A host's namespace: "sglab.directaccess.da-server".
inline std::string host_namespace(std::string_view lab, std::string_view host) {
    return lab_namespace_prefix(lab) + std::string(host);
}

// The namespace holding a shared segment's bridge: "sglab.directaccess.internet". Unique, as the
// loader keeps segment names apart from host names.
inline std::string segment_namespace(std::string_view lab, std::string_view segment) {
    return lab_namespace_prefix(lab) + std::string(segment);
}

// Where the runner keeps a lab's state file, host scripts, configs and logs.
inline std::string lab_run_directory(std::string_view lab) { return "/run/sixgate/lab/" + std::string(lab); }

}  // namespace sixgate::lab
