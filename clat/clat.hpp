#pragma once
// The CLAT (RFCs 6877, 7335, 7915 via xlat/, 6052, 7757, 8781, 7050, 4861/4862 for the ND proxy).
// Entry points: ClatComponent::start (clat_component.hpp), ClatDataPath (clat_data_path.hpp),
// plan_clat_kernel_state (clat_kernel_plan.hpp), derive_clat_address (clat_address.hpp);
// discovery: Pref64Listener, Rfc7050Discovery, NdProxy.

#include "clat/clat_address.hpp"
#include "clat/clat_component.hpp"
#include "clat/clat_data_path.hpp"
#include "clat/clat_kernel_plan.hpp"
#include "clat/nd_proxy.hpp"
#include "clat/plat_prefix.hpp"
#include "clat/pref64_listener.hpp"
#include "clat/rfc7050.hpp"
