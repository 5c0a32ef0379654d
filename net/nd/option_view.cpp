#include "net/nd/option_view.hpp"

namespace sixgate::net::nd {

NdParseResult<NdOptionList> NdOptionList::parse(std::span<const std::uint8_t> options) noexcept {
    std::size_t offset = 0;
    while (offset < options.size()) {
        if (options.size() - offset < 2) return NdDropReason::option_overflows;
        const std::size_t length = std::size_t{options[offset + 1]} * 8;
        if (length == 0) return NdDropReason::zero_length_option;
        if (length > options.size() - offset) return NdDropReason::option_overflows;
        offset += length;
    }
    return NdOptionList(options);
}

}  // namespace sixgate::net::nd
