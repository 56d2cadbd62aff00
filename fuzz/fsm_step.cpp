// Fuzz target: the fsm engine's dispatch against a naive reading of the
// table (core/fsm.hpp). Input bytes choose a table, a start state and a
// sequence of (event, guard mask) steps; any disagreement aborts.
//
// Byte layout: [0] table (even: toy queue, odd: dense 50x50) [1] start state,
// then pairs (event, guard bits). Every value is reduced modulo its range, so
// every input is valid and the fuzzer spends its time on sequences.
#include "core/fsm_tables.hpp"

#include <netkit/core/fsm.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

using namespace netkit;

template <class Table>
void run(const std::uint8_t* data, std::size_t size) {
    using S = typename Table::state_type;
    using E = typename Table::event_type;
    const auto start = core::enum_from_index<S>(size > 0 ? data[0] % Table::state_count : 0);
    core::fsm::machine<Table> machine{start};
    S reference = start;
    for (std::size_t i = 1; i + 1 < size; i += 2) {
        const auto event = core::enum_from_index<E>(data[i] % Table::event_count);
        const std::uint8_t bits = data[i + 1];
        auto holds = [bits](auto guard) { return ((bits >> core::enum_index(guard)) & 1U) != 0; };
        const auto* expected = core::fsm::naive_step<Table>(reference, event, holds);
        if (expected == nullptr) {
            std::abort();  // a verified table is total
        }
        const auto& got = [&]() -> const auto& {
            if constexpr (Table::has_guards) {
                return machine.fire(event, holds);
            } else {
                return machine.fire(event);
            }
        }();
        if (&got != expected || machine.state() != expected->to) {
            std::abort();
        }
        if (got.refused() && expected->to != reference) {
            std::abort();  // a refusal never moves the machine
        }
        reference = expected->to;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    if (data[0] % 2 == 0) {
        run<test::toy_queue>(data + 1, size - 1);
    } else {
        run<test::dense>(data + 1, size - 1);
    }
    return 0;
}
