// Fuzz target: the receive path (issue 6). Arbitrary bytes become frames and
// burst boundaries and go through the whole path — RSS, rings, XDP, an
// AF_XDP socket through the single device's lease, perhaps a zero-copy
// area through the pair's lease, the stack and a netkit device — on a world
// that starts as check::lease_prefix() leaves it. Oracles, after every
// burst: receive_burst and receive_per_frame equal the scalar reference
// (outcomes and the whole world), and conservation holds. A violation
// prints the burst and aborts.
//
// Input framing (every byte string is valid; missing bytes read as 0):
//   input   = config burst*
//   config  : bits 0-1 forwarding device: the pair's primary, the single
//             device, the pair's peer, none; bit 2 a zero-copy receiver on
//             the peer's leased queue (3 buffers); bit 3 the backlog takes 4
//             frames; bit 4 a REDIRECT program on the primary (egress to the
//             peer); bit 5 the port is a second NIC with a 2-frame ring.
//   burst   = control count frame{count + 1}
//   control : bits 0-2 the port's XDP program: keep, detach, PASS,
//             redirect to AF_XDP, DROP, ABORTED, TX, keep; bit 3 toggles the
//             port up/down; bit 4 leaves a copy of the burst's first frame
//             on its ring beforehand (a carried frame).
//   frame   = length bytes{length}; length 255 reads two more bytes as a
//             big-endian length (at most 4095).

#include <netkit/check/operations.hpp>
#include <netkit/model/world.hpp>
#include <netkit/packet/path.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace {

using namespace netkit;

struct reader {
    std::span<const std::uint8_t> data;
    std::size_t at = 0;

    bool done() const { return at >= data.size(); }
    std::uint8_t byte() { return at < data.size() ? data[at++] : 0; }
    std::vector<std::uint8_t> take(std::size_t n) {
        std::vector<std::uint8_t> out(n, 0);
        for (std::size_t i = 0; i < n && at < data.size(); ++i) {
            out[i] = data[at++];
        }
        return out;
    }
};

[[noreturn]] void violated(const std::string& what, std::size_t burst) {
    std::fprintf(stderr, "packet_path: burst %zu: %s\n", burst, what.c_str());
    std::fflush(stderr);
    std::abort();
}

std::string first_difference(const packet::receive_result& a, const packet::receive_result& b) {
    if (a.frames.size() != b.frames.size() || a.carried.size() != b.carried.size()) {
        return "outcome counts differ";
    }
    for (std::size_t i = 0; i < a.frames.size(); ++i) {
        if (!(a.frames[i] == b.frames[i])) {
            return "frame " + std::to_string(i) + ": reference " + packet::to_string(a.frames[i]) + " | other " +
                   packet::to_string(b.frames[i]);
        }
    }
    for (std::size_t i = 0; i < a.carried.size(); ++i) {
        if (!(a.carried[i] == b.carried[i])) {
            return "carried " + std::to_string(i) + " differs";
        }
    }
    return {};
}

model::caller root_of(const model::world& w, core::device_handle h) { return model::world::root(w.at(h).netns); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    reader in{std::span<const std::uint8_t>(data, size)};
    model::world w = check::lease_prefix_world();
    const auto init = model::world::initial_netns();
    const auto nic = w.find(init, "eth0")->handle;
    const auto primary = w.find(init, "nkl0")->handle;
    const auto single = w.find(init, "nks0")->handle;
    const auto peer = *w.at(primary).netkit->peer;
    // The AF_XDP socket: bound through the single device's lease (eth0
    // queue 2, QL-XSK-08), and one directly on eth0 queue 0.
    model::lease::xsk_options zero_copy;
    zero_copy.mode = model::xsk_mode::zero_copy_forced;
    (void)w.xsk_bind(root_of(w, single), w.at(single).ifindex, 1, zero_copy);
    (void)w.xsk_bind(root_of(w, nic), w.at(nic).ifindex, 0, {});

    const std::uint8_t config = in.byte();
    packet::path_config c{nic, std::nullopt};
    switch (config & 3) {
        case 0: c.forward_to = primary; break;
        case 1: c.forward_to = single; break;
        case 2: c.forward_to = peer; break;
        default: break;
    }
    if (config & 4) {
        (void)w.zcrx_register(root_of(w, peer), w.at(peer).ifindex, 1, 3);
    }
    if (config & 8) {
        w.limit_backlog(4);
    }
    if (config & 16) {
        model::script redirect;
        redirect.verdict = static_cast<std::int32_t>(uapi::action::redirect);
        redirect.redirect = model::redirect_target{w.at(peer).ifindex, model::redirect_mode::egress};
        const auto fd = w.load_program(
            model::bpf::program_spec{"redirect", redirect, nullptr, uapi::bpf_program_type::traffic_classifier, false});
        model::bpf::attach_args a;
        a.target_ifindex = w.at(primary).ifindex;
        a.type = uapi::bpf_attach_type::netkit_primary;
        a.program_fd = fd;
        (void)w.prog_attach(root_of(w, primary), a);
    }
    if (config & 32) {
        model::softnic_config small = model::softnic_config::hwnic();
        small.ring_size = 2;
        small.napi_budget = 1;
        auto ports = w.create_softnic(model::softnic::spec{1, 2, small});
        if (ports.ok()) {
            c.port = ports.value().front();
            (void)w.open(c.port);
        }
    }

    model::world scalar = w;
    model::world per_frame = w;
    auto b = std::make_unique<packet::rx_burst<256>>();
    for (std::size_t burst = 0; !in.done(); ++burst) {
        const std::uint8_t control = in.byte();
        const std::size_t count = std::size_t{in.byte()} + 1;
        std::vector<model::frame> frames;
        for (std::size_t i = 0; i < count && !in.done(); ++i) {
            std::size_t length = in.byte();
            if (length == 255) {
                length = ((std::size_t{in.byte()} << 8) | in.byte()) & 0x0fffU;
            }
            model::frame f;
            f.bytes = in.take(length);
            frames.push_back(std::move(f));
        }
        // Control operations, the same on the three worlds.
        auto control_ops = [&](model::world& x) {
            constexpr model::xdp_verdict verdicts[] = {model::xdp_verdict::pass, model::xdp_verdict::redirect_xsk,
                                                       model::xdp_verdict::drop, model::xdp_verdict::aborted,
                                                       model::xdp_verdict::tx};
            const int xdp = control & 7;
            if (xdp == 1) {
                (void)x.attach_xdp(c.port, std::nullopt);
            } else if (xdp >= 2 && xdp <= 6) {
                (void)x.attach_xdp(c.port, model::xdp_program{verdicts[xdp - 2], true});
            }
            if (control & 8) {
                if (x.at(c.port).up) {
                    x.close_device(c.port);
                } else {
                    (void)x.open(c.port);
                }
            }
            if ((control & 16) && !frames.empty()) {
                (void)x.inject(c.port, frames.front());
            }
        };
        control_ops(w);
        control_ops(scalar);
        control_ops(per_frame);
        if (!(w == scalar) || !(w == per_frame)) {
            violated("control operations diverged", burst);
        }

        const model::world before = w;
        const auto expected = packet::receive_scalar(scalar, c, frames);
        b->load(std::span<const model::frame>(frames));
        (void)packet::receive_burst(w, c, *b);
        const auto batched = b->result();
        if (const auto diff = first_difference(expected, batched); !diff.empty()) {
            violated("receive_burst differs from receive_scalar: " + diff, burst);
        }
        if (!(w == scalar)) {
            violated("receive_burst left a different world than receive_scalar", burst);
        }
        (void)packet::receive_per_frame(per_frame, c, *b);
        if (const auto diff = first_difference(expected, b->result()); !diff.empty()) {
            violated("receive_per_frame differs from receive_scalar: " + diff, burst);
        }
        if (!(per_frame == scalar)) {
            violated("receive_per_frame left a different world than receive_scalar", burst);
        }
        const auto violations =
            packet::conservation_violations(before.state(), w.state(), c, frames.size(), packet::summarize(batched));
        if (!violations.empty()) {
            violated("conservation: " + violations.front(), burst);
        }
    }
    return 0;
}
