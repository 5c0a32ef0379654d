#pragma once
// RFC 4861 6.2.7: a router checks the RAs of other routers on its link against its own and logs
// where they disagree (they would otherwise give hosts conflicting parameters).

#include <string>
#include <vector>

#include "net/nd/router_messages.hpp"

namespace sixgate::router {

// One "field=... ours=... theirs=..." line per disagreement; empty when consistent.
std::vector<std::string> find_inconsistencies(const net::nd::RouterAdvertisement& ours,
                                              const net::nd::RouterAdvertisement& theirs);

}  // namespace sixgate::router
