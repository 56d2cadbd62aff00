// Quick start: write a state machine as a checked table, step it, read the
// kernel-style refusal, and print its Graphviz diagram.
//
// The machine is a cut-down rx queue in the spirit of lease.md §14: a queue
// becomes active when channels grow, can be leased to a netkit device, and
// refuses a second lease with EBUSY and the kernel's extack text.
//
//   ./fsm_quickstart           # steps and prints the outcome of each event
//   ./fsm_quickstart --dot     # the diagram; pipe to `dot -Tsvg`
#include <netkit/core/fsm.hpp>
#include <netkit/core/fsm_dot.hpp>

#include <cstdio>
#include <cstring>
#include <string>

namespace example {

using netkit::core::errno_code;
using netkit::core::fsm::refuse;
using netkit::core::fsm::row;

NETKIT_ENUM(queue_state, unsigned char, inactive, free, leased)
NETKIT_ENUM(queue_event, unsigned char, channels_grow, channels_shrink, lease, unlease)

using rx_queue = netkit::core::fsm::table<queue_state::inactive,
    row<queue_state::inactive, queue_event::channels_grow, queue_state::free>::rule<"QL-PSM-02">,
    refuse<queue_state::inactive, queue_event::channels_shrink, errno_code::invalid>,
    refuse<queue_state::inactive, queue_event::lease, errno_code::out_of_range>::rule<"QL-PSM-11">,
    refuse<queue_state::inactive, queue_event::unlease, errno_code::invalid>,
    refuse<queue_state::free, queue_event::channels_grow, errno_code::exists>,
    row<queue_state::free, queue_event::channels_shrink, queue_state::inactive>::rule<"QL-PSM-03">,
    row<queue_state::free, queue_event::lease, queue_state::leased>::rule<"QL-PSM-07">,
    refuse<queue_state::free, queue_event::unlease, errno_code::invalid>,
    refuse<queue_state::leased, queue_event::channels_grow, errno_code::exists>,
    refuse<queue_state::leased, queue_event::channels_shrink, errno_code::invalid,
           "requested channel counts are too low for existing queue leases">,
    refuse<queue_state::leased, queue_event::lease, errno_code::busy,
           "Device queue in use due to queue leasing">::rule<"QL-PSM-10">,
    row<queue_state::leased, queue_event::unlease, queue_state::free>::rule<"QL-PSM-25">>;

// Deterministic, every state reachable, every (state, event) handled.
static_assert(netkit::core::fsm::verified<rx_queue>);

}  // namespace example

int main(int argc, char** argv) {
    using namespace example;
    if (argc > 1 && std::strcmp(argv[1], "--dot") == 0) {
        std::fputs(netkit::core::fsm::to_dot<rx_queue>("rx queue (quick start)").c_str(), stdout);
        return 0;
    }
    netkit::core::fsm::machine<rx_queue> queue;
    int refusals = 0;
    for (auto event : {queue_event::lease, queue_event::channels_grow, queue_event::lease, queue_event::lease,
                       queue_event::channels_shrink, queue_event::unlease, queue_event::channels_shrink}) {
        const auto before = queue.state();
        const auto& applied = queue.fire(event);
        std::string line = std::string(netkit::core::enum_name(before)) + " --" +
                           std::string(netkit::core::enum_name(event)) + "--> ";
        if (applied.refused()) {
            ++refusals;
            line += "refused: " + std::string(netkit::core::kernel_name(applied.error)) + " (" +
                    std::to_string(-netkit::core::value(applied.error)) + ")";
            if (!applied.message().empty()) {
                line += " \"" + std::string(applied.message()) + "\"";
            }
        } else {
            line += std::string(netkit::core::enum_name(applied.to));
        }
        if (!applied.rule().empty()) {
            line += "  [" + std::string(applied.rule()) + "]";
        }
        std::puts(line.c_str());
    }
    // The walk above is fixed, so its outcome is too: three refusals, ending inactive.
    return refusals == 3 && queue.state() == queue_state::inactive ? 0 : 1;
}
