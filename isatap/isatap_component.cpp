#include "isatap/isatap_component.hpp"

#include "isatap/isatap_host_component.hpp"
#include "isatap/isatap_router_component.hpp"

namespace sixgate::isatap {

Result<std::unique_ptr<IsatapComponent>> start_isatap(boost::asio::io_context& io, const config::Config& config,
                                                      net::netlink::KernelApi& kernel) {
    if (!*config.isatap.enabled)
        return make_error(std::errc::invalid_argument, "isatap: not enabled in the config, nothing to start");
    switch (*config.isatap.mode) {
        case config::IsatapMode::router: {
            auto router = IsatapRouterComponent::start(io, config, kernel);
            if (!router) return router.error();
            return std::unique_ptr<IsatapComponent>(std::move(*router));
        }
        case config::IsatapMode::host: {
            auto host = IsatapHostComponent::start(io, config, kernel);
            if (!host) return host.error();
            return std::unique_ptr<IsatapComponent>(std::move(*host));
        }
    }
    return make_error(std::errc::invalid_argument, "isatap.mode: expected router or host");
}

}  // namespace sixgate::isatap
