// Compile-only checks of include/netkit/model/queue_fsm.hpp (suite `static`):
// both lease machines verify (deterministic, reachable, total), and a few
// rows of lease.md §14 and §15 read back in constant expressions. A failure
// here is a compile error.
#include <netkit/model/queue_fsm.hpp>

#include <optional>

namespace netkit::model {
namespace {

using core::errno_code;
using P = physical_queue_state;
using PE = physical_queue_event;
using PG = physical_queue_guard;
using V = virtual_queue_state;
using VE = virtual_queue_event;
using VG = virtual_queue_guard;

static_assert(core::fsm::verified<physical_queue_table>);
static_assert(core::fsm::verified<virtual_queue_table>);
static_assert(physical_queue_table::has_guards && virtual_queue_table::has_guards);

// P0 … P6 plus gone; V0 … V3 plus not_created.
static_assert(physical_queue_table::state_count == 8);
static_assert(virtual_queue_table::state_count == 5);
static_assert(physical_queue_table::initial == P::free);  // SN-Q-01
static_assert(virtual_queue_table::initial == V::not_created);

// One unguarded row per pair, plus the guarded rows.
static_assert(physical_queue_table::row_count >
              physical_queue_table::state_count * physical_queue_table::event_count);
static_assert(virtual_queue_table::row_count > virtual_queue_table::state_count * virtual_queue_table::event_count);

// QL-PSM-07
static_assert(physical_queue_table::step(P::free, PE::queue_create).to == P::leased);
static_assert(physical_queue_table::step(P::free, PE::queue_create).rule() == "QL-PSM-07");

// QL-PSM-08
static_assert(physical_queue_table::step(P::mp_direct, PE::queue_create).error == errno_code::busy);
static_assert(physical_queue_table::step(P::mp_direct, PE::queue_create).message() ==
              "Device queue in use by memory provider");
static_assert(physical_queue_table::step(P::mp_direct, PE::queue_create).to == P::mp_direct);

// QL-PSM-11
static_assert(physical_queue_table::step(P::inactive, PE::queue_create).error == errno_code::out_of_range);

// QL-PSM-13
static_assert(physical_queue_table::step(P::leased_xsk, PE::provider_open_on_physical).message() ==
              "rx queue leased to a virtual netdev");

// QL-PSM-21: the guard selects the refusal; without it the bind goes through.
static_assert(physical_queue_table::step(P::leased, PE::af_xdp_forced_zero_copy_bind_on_virtual, [](PG g) {
                  return g == PG::provider_on_device;
              }).error == errno_code::busy);
static_assert(physical_queue_table::step(P::leased, PE::af_xdp_forced_zero_copy_bind_on_virtual).to ==
              P::leased_xsk);

// QL-PSM-28
static_assert(physical_queue_table::step(P::leased_mp, PE::lessor_unregistered).to == P::gone);

// QL-VSM-02, QL-VSM-04
static_assert(virtual_queue_table::step(V::unallocated, VE::queue_create).to == V::leased);
static_assert(virtual_queue_table::step(V::unallocated, VE::queue_create, [](VG g) {
                  return g == VG::pair_primary;
              }).message() == "netkit can only lease against the peer device");

// QL-VSM-10
static_assert(virtual_queue_table::step(V::leased, VE::channels_set).error == errno_code::not_supported);

// QL-VSM-12
static_assert(virtual_queue_table::step(V::leased, VE::unregistered).to == V::dead);

// A machine walk in a constant expression: create, lease, proxy a provider.
static_assert([] {
    virtual_queue_machine queue;
    (void)queue.fire(VE::device_created);
    (void)queue.fire(VE::queue_create);
    (void)queue.fire(VE::provider_open);
    return queue.state();
}() == V::leased);

// Proxied events have a physical counterpart; events that stay on V have none.
static_assert(physical_counterpart(VE::provider_open) == PE::provider_open_on_virtual);
static_assert(physical_counterpart(VE::unregistered) == PE::lessee_unregistered);
static_assert(physical_counterpart(VE::channels_set) == std::nullopt);

}  // namespace
}  // namespace netkit::model
