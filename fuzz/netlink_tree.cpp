// Fuzz target: structure-aware mutation of netlink requests (issue 5). The
// oracle and input format are netlink_socket's (netlink_input.hpp); what
// differs is how libFuzzer mutates: LLVMFuzzerCustomMutator reads each
// record's messages as attribute trees and changes them as a client could
// get them wrong — an attribute's type swapped for a known id, an integer
// set to a boundary value, an attribute duplicated, dropped or cut short,
// NLA_F_NESTED toggled, a nest emptied — then writes every length again, so
// the mutants reach the policies and handlers instead of dying in framing.
// Half of the mutations are libFuzzer's own byte-level ones.
#include "netlink_input.hpp"
#include "netlink_mutator.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#ifdef NETKIT_LIBFUZZER
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);
#else
// Replayed without libFuzzer (fuzz/replay_main.cpp): no byte-level mutator.
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t*, std::size_t size, std::size_t) { return size; }
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> input(data, size);
    netlink_fuzz::run(input);
#ifndef NETKIT_LIBFUZZER
    // Replayed: each corpus input also yields a few tree mutants, so the
    // mutator itself runs under every compiler and sanitizer.
    for (unsigned int seed = 1; seed <= 7; seed += 2) {
        netlink_fuzz::run(netlink_fuzz::mutate_trees(input, seed));
    }
#endif
    return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
    if (seed % 2 == 0) {
        return LLVMFuzzerMutate(data, size, max_size);
    }
    const auto mutated = netlink_fuzz::mutate_trees(std::span<const std::uint8_t>(data, size), seed);
    if (mutated.empty() || mutated.size() > max_size) {
        return LLVMFuzzerMutate(data, size, max_size);
    }
    std::memcpy(data, mutated.data(), mutated.size());
    return mutated.size();
}
