// Tests of include/netkit/packet/path.hpp: the receive path from the wire
// through RSS (softnic.md SN-RSS-04/07/08), the rings and polls (SN-RX-01…
// 03), AF_XDP sockets and zero-copy areas through leases (lease.md
// QL-XSK-11/12, QL-MP-07/09) and up the stack into netkit (device.md
// NK-XMIT-02…14), with the accounting and its conservation check; and the
// differential properties: the batched and per-frame paths equal the scalar
// reference (the model's own API) in outcomes and in the whole world, on
// random worlds grown from check::lease_prefix() and random, mutated and
// truncated frames; conservation after every burst; and every frame that
// reaches the stack agrees with the single-frame netkit transmit.
#include <netkit/check/operations.hpp>
#include <netkit/model/rss.hpp>
#include <netkit/model/world.hpp>
#include <netkit/packet/path.hpp>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace {

using namespace netkit;
using model::world;
using packet::drop_reason;
using packet::endpoint;
using packet::outcome_kind;
using bytes = std::vector<std::uint8_t>;

// ------------------------------------------------------------- frames

NETKIT_ENUM(shape, std::uint8_t, ipv4_tcp, ipv4_udp, ipv4_icmp, ipv4_fragment, ipv4_options, ipv6_tcp, ipv6_udp,
            ipv6_hop_by_hop_tcp, ipv6_fragment, arp, tiny)

void put16(bytes& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v & 0xff));
}

struct frame_spec {
    shape kind = shape::ipv4_udp;
    std::uint8_t tags = 0;  // 0, 1 (802.1Q) or 2 (802.1ad + 802.1Q)
    std::uint8_t flow = 0;  // addresses and ports derive from it
    std::size_t payload = 18;
    model::mac_address destination = model::broadcast_mac;
};

// A well-formed frame of the given shape, lengths consistent.
bytes build(const frame_spec& s) {
    bytes b(s.destination.begin(), s.destination.end());
    b.insert(b.end(), {0x02, 0, 0, 0, 0, 0x09});
    if (s.kind == shape::tiny) {
        b.resize(s.payload % 14);
        return b;
    }
    if (s.tags >= 2) {
        put16(b, packet::tpid_8021ad);
        put16(b, 100);
    }
    if (s.tags >= 1) {
        put16(b, packet::tpid_8021q);
        put16(b, static_cast<std::uint16_t>(200 + s.flow));
    }
    const bool v6 = s.kind == shape::ipv6_tcp || s.kind == shape::ipv6_udp || s.kind == shape::ipv6_hop_by_hop_tcp ||
                    s.kind == shape::ipv6_fragment;
    if (s.kind == shape::arp) {
        put16(b, 0x0806);
        b.resize(b.size() + 28 + s.payload, 0);
        return b;
    }
    put16(b, v6 ? packet::ether_type_ipv6 : packet::ether_type_ipv4);
    const std::size_t ip = b.size();
    const bool tcp =
        s.kind == shape::ipv4_tcp || s.kind == shape::ipv6_tcp || s.kind == shape::ipv6_hop_by_hop_tcp;
    const bool udp = s.kind == shape::ipv4_udp || s.kind == shape::ipv6_udp || s.kind == shape::ipv4_fragment ||
                     s.kind == shape::ipv4_options || s.kind == shape::ipv6_fragment;
    const std::uint8_t transport = tcp ? packet::protocol_tcp : udp ? packet::protocol_udp : 1;
    if (v6) {
        const std::uint8_t first = s.kind == shape::ipv6_hop_by_hop_tcp ? packet::protocol_hop_by_hop
                                   : s.kind == shape::ipv6_fragment     ? packet::protocol_fragment
                                                                        : transport;
        b.insert(b.end(), {0x60, 0, 0, 0, 0, 0, first, 64});
        for (int i = 0; i < 32; ++i) {
            b.push_back(static_cast<std::uint8_t>(i < 16 ? 0x20 + (i == 15 ? s.flow : 0) : 0x30 + (i == 31 ? 1 : 0)));
        }
        if (s.kind == shape::ipv6_hop_by_hop_tcp) {
            b.insert(b.end(), {transport, 0, 1, 4, 0, 0, 0, 0});
        } else if (s.kind == shape::ipv6_fragment) {
            b.insert(b.end(), {transport, 0, 0, 8, 0, 0, 0, 1});
        }
    } else {
        const bool options = s.kind == shape::ipv4_options;
        b.insert(b.end(), {static_cast<std::uint8_t>(options ? 0x46 : 0x45), 0, 0, 0, 0, 0,
                           static_cast<std::uint8_t>(s.kind == shape::ipv4_fragment ? 0x20 : 0x40), 0, 64,
                           transport, 0, 0, 10, 0, 0, static_cast<std::uint8_t>(1 + s.flow % 7), 10, 0, 1,
                           static_cast<std::uint8_t>(s.flow)});
        if (options) {
            b.insert(b.end(), {1, 1, 1, 0});
        }
    }
    const std::size_t l4 = b.size();
    put16(b, static_cast<std::uint16_t>(0x3000 + s.flow));
    put16(b, 4096);
    if (tcp) {
        b.resize(l4 + 20, 0);
        b[l4 + 12] = 0x50;
    } else {
        b.resize(l4 + 8, 0);
    }
    b.resize(b.size() + s.payload, 0);
    const std::size_t ip_length = v6 ? b.size() - ip - 40 : b.size() - ip;
    b[ip + (v6 ? 4 : 2)] = static_cast<std::uint8_t>(ip_length >> 8);
    b[ip + (v6 ? 5 : 3)] = static_cast<std::uint8_t>(ip_length & 0xff);
    return b;
}

model::frame frame_of(const frame_spec& s) {
    model::frame f;
    f.bytes = build(s);
    return f;
}

// A random frame: a shape, then perhaps mutated bytes, a cut, a jumbo
// payload (above an AF_XDP socket's 2048-byte frames, QL-XSK-12), and
// random socket-buffer metadata (NK-XMIT-02/05/06).
model::frame random_frame(const model::mac_address& peer_mac) {
    frame_spec s;
    s.kind = *rc::gen::element(shape::ipv4_tcp, shape::ipv4_udp, shape::ipv4_icmp, shape::ipv4_fragment,
                               shape::ipv4_options, shape::ipv6_tcp, shape::ipv6_udp, shape::ipv6_hop_by_hop_tcp,
                               shape::ipv6_fragment, shape::arp, shape::tiny);
    s.tags = static_cast<std::uint8_t>(*rc::gen::weightedElement<int>({{6, 0}, {2, 1}, {1, 2}}));
    s.flow = *rc::gen::weightedOneOf<std::uint8_t>(
        {{3, rc::gen::inRange<std::uint8_t>(0, 8)}, {1, rc::gen::arbitrary<std::uint8_t>()}});
    s.payload = *rc::gen::weightedOneOf<std::size_t>(
        {{8, rc::gen::inRange<std::size_t>(0, 64)}, {1, rc::gen::inRange<std::size_t>(1900, 2200)}});
    s.destination = *rc::gen::element(peer_mac, model::broadcast_mac, model::mac_address{0x01, 0, 0x5e, 0, 0, 1},
                                      model::mac_address{0x02, 0, 0, 0, 0, 0x42});
    model::frame f;
    f.bytes = build(s);
    if (*rc::gen::inRange(0, 4) == 0) {
        const int flips = *rc::gen::inRange(1, 5);
        for (int k = 0; k < flips && !f.bytes.empty(); ++k) {
            const auto at = *rc::gen::inRange<std::size_t>(0, std::min<std::size_t>(f.bytes.size(), 80));
            f.bytes[at] = *rc::gen::arbitrary<std::uint8_t>();
        }
    }
    if (*rc::gen::inRange(0, 5) == 0) {
        f.bytes.resize(*rc::gen::inRange<std::size_t>(0, f.bytes.size() + 1));
    }
    if (*rc::gen::inRange(0, 3) == 0) {
        f.mark = *rc::gen::inRange<std::uint32_t>(0, 4);
        f.priority = *rc::gen::inRange<std::uint32_t>(0, 4);
        f.timestamp = *rc::gen::inRange<std::uint64_t>(0, 3);
        f.timestamp_is_delivery_time = *rc::gen::arbitrary<bool>();
        f.ipvs_property = *rc::gen::arbitrary<bool>();
    }
    if (*rc::gen::inRange(0, 20) == 0) {
        f.linear_limit = *rc::gen::inRange<std::uint32_t>(0, 20);
    }
    if (*rc::gen::inRange(0, 30) == 0) {
        f.unorphanable_zero_copy_fragments = true;
    }
    return f;
}

// ------------------------------------------------------------- worlds

// The world check::lease_prefix() builds: eth0 (hwnic, 3 queues, up,
// tcp-data-split enabled); the pair nkl0 (initial netns) / nkg0 (netns 1),
// nkg0 leasing eth0 queue 1 as its queue 1; the single device nks0 leasing
// eth0 queue 2 as its queue 1.
struct prefix_world {
    world w;
    core::device_handle nic;
    core::device_handle primary;
    core::device_handle peer;
    core::device_handle single;
    core::device_handle loopback;
};

prefix_world lease_prefix_world() {
    prefix_world p;
    for (const auto& op : check::lease_prefix()) {
        const auto outcome = check::apply(p.w, op);
        core::expects(outcome.kind == check::outcome_kind::applied, "the lease prefix applies");
    }
    const auto init = world::initial_netns();
    p.nic = p.w.find(init, "eth0")->handle;
    p.primary = p.w.find(init, "nkl0")->handle;
    p.single = p.w.find(init, "nks0")->handle;
    p.loopback = p.w.find(init, "lo")->handle;
    p.peer = *p.w.at(p.primary).netkit->peer;
    return p;
}

model::caller root_of(const world& w, core::device_handle h) { return world::root(w.at(h).netns); }

std::int32_t load(world& w, std::int32_t verdict, std::optional<std::uint32_t> mark = std::nullopt,
                  std::optional<model::redirect_target> redirect = std::nullopt) {
    model::script s;
    s.verdict = verdict;
    s.set_mark = mark;
    s.redirect = redirect;
    return w.load_program(model::bpf::program_spec{"p", s, nullptr, uapi::bpf_program_type::traffic_classifier, false});
}

core::status attach(world& w, core::device_handle target, uapi::bpf_attach_type type, std::int32_t fd) {
    model::bpf::attach_args a;
    a.target_ifindex = w.at(target).ifindex;
    a.type = type;
    a.program_fd = fd;
    return w.prog_attach(root_of(w, target), a);
}

constexpr auto next_verdict = static_cast<std::int32_t>(uapi::action::next);
constexpr auto pass_verdict = static_cast<std::int32_t>(uapi::action::pass);
constexpr auto drop_verdict = static_cast<std::int32_t>(uapi::action::drop);
constexpr auto redirect_verdict = static_cast<std::int32_t>(uapi::action::redirect);

core::result<std::uint32_t> bind_xsk(world& w, core::device_handle h, std::uint32_t queue, model::xsk_mode mode,
                                     std::uint32_t frame_size = 2048) {
    model::lease::xsk_options o;
    o.mode = mode;
    o.frame_size = frame_size;
    return w.xsk_bind(root_of(w, h), w.at(h).ifindex, queue, o);
}

core::result<std::uint32_t> open_zcrx(world& w, core::device_handle h, std::uint32_t queue, std::uint32_t buffers) {
    return w.zcrx_register(root_of(w, h), w.at(h).ifindex, queue, buffers);
}

// Steers every IP frame to `queue` (SN-RSS-06/07).
void steer_all(world& w, core::device_handle nic, std::uint32_t queue) {
    ASSERT_TRUE(w.set_rss_indirection(nic, std::vector<std::uint32_t>(128, queue)).ok());
}

// A random world: the lease prefix plus random configuration; refusals are
// part of the draw (a refused operation changes nothing).
struct scenario {
    prefix_world p;
    packet::path_config config;
    model::mac_address peer_mac{};
};

scenario random_scenario(bool allow_prefill = true) {
    scenario s{lease_prefix_world(), {}, {}};
    world& w = s.p.w;
    const auto& p = s.p;
    s.peer_mac = w.at(p.peer).mac;
    // A second NIC with tiny rings and budget, where ring_full and carried
    // frames are easy to reach (SN-RX-02/03).
    std::optional<core::device_handle> small;
    if (*rc::gen::inRange(0, 3) == 0) {
        model::softnic_config config = model::softnic_config::hwnic();
        config.ring_size = *rc::gen::inRange<std::uint32_t>(1, 5);
        config.napi_budget = *rc::gen::inRange<std::uint32_t>(1, 4);
        config.rss_table_size = *rc::gen::element<std::uint32_t>(5, 16, 128);
        auto ports = w.create_softnic(model::softnic::spec{1, *rc::gen::inRange<std::uint32_t>(1, 4), config});
        if (ports.ok()) {
            small = ports.value().front();
            (void)w.open(*small);
        }
    }
    const std::vector<core::device_handle> nics = small ? std::vector{p.nic, *small} : std::vector{p.nic};
    for (const auto nic : nics) {
        if (*rc::gen::inRange(0, 3) == 0) {
            (void)w.ethtool_set_channels(nic, [] {
                model::links::channel_counts c;
                c.combined = *rc::gen::inRange<std::uint32_t>(1, 4);
                return c;
            }());
        }
        if (*rc::gen::inRange(0, 3) == 0) {
            const auto random = *rc::gen::container<bytes>(40, rc::gen::arbitrary<std::uint8_t>());
            (void)w.set_rss_key(nic, random);
        }
        if (*rc::gen::inRange(0, 3) == 0) {
            const auto real = w.at(nic).real_rx_queues;
            auto table = *rc::gen::container<std::vector<std::uint32_t>>(*rc::gen::inRange<std::size_t>(1, 130),
                                                                         rc::gen::inRange<std::uint32_t>(0, 4));
            for (auto& e : table) {
                e %= real;
            }
            (void)w.set_rss_indirection(nic, table);
        }
        if (*rc::gen::inRange(0, 3) == 0) {
            model::rss_fields f;
            auto tuple = [] {
                return *rc::gen::element(model::rss_tuple::none, model::rss_tuple::two_tuple,
                                         model::rss_tuple::four_tuple);
            };
            f.tcp4 = tuple();
            f.udp4 = tuple();
            f.other4 = tuple();
            f.tcp6 = tuple();
            f.udp6 = tuple();
            f.other6 = tuple();
            (void)w.set_rss_fields(nic, f);
        }
    }
    // Consumers: AF_XDP sockets (through the leases, and directly), a
    // zero-copy receiver, perhaps closed again.
    const int sockets = *rc::gen::inRange(0, 4);
    for (int k = 0; k < sockets; ++k) {
        const int where = *rc::gen::inRange(0, 6);
        const auto size = *rc::gen::element<std::uint32_t>(2048, 2048, 128);
        switch (where) {
            case 0: (void)bind_xsk(w, p.single, 1, model::xsk_mode::zero_copy_forced, size); break;
            case 1: (void)bind_xsk(w, p.peer, 1, model::xsk_mode::copy, size); break;
            case 2: (void)bind_xsk(w, p.nic, 0, model::xsk_mode::copy, size); break;
            case 3: (void)bind_xsk(w, p.nic, 2, model::xsk_mode::copy, size); break;  // leased: EBUSY
            case 4: (void)bind_xsk(w, p.single, 0, model::xsk_mode::copy, size); break;
            default:
                if (small) {
                    (void)bind_xsk(w, *small, 0, model::xsk_mode::copy, size);
                }
        }
    }
    if (*rc::gen::inRange(0, 2) == 0) {
        const int where = *rc::gen::inRange(0, 3);
        const auto buffers = *rc::gen::inRange<std::uint32_t>(1, 6);
        auto area = where == 0 ? open_zcrx(w, p.peer, 1, buffers)
                    : where == 1 ? open_zcrx(w, p.nic, 0, buffers)
                                 : open_zcrx(w, p.single, 1, buffers);
        if (area.ok() && *rc::gen::inRange(0, 5) == 0) {
            (void)w.consumer_close(area.value());
        }
    }
    for (const auto nic : nics) {
        if (*rc::gen::inRange(0, 2) == 0) {
            const auto verdict = *rc::gen::element(model::xdp_verdict::pass, model::xdp_verdict::redirect_xsk,
                                                   model::xdp_verdict::redirect_xsk, model::xdp_verdict::drop,
                                                   model::xdp_verdict::aborted, model::xdp_verdict::tx);
            (void)w.attach_xdp(nic, model::xdp_program{verdict, true});
        }
    }
    // Programs on the pair (NK-XMIT-09/12) and on the receiver's ingress (MP-64).
    const int programs = *rc::gen::inRange(0, 4);
    for (int k = 0; k < programs; ++k) {
        const auto verdict = *rc::gen::element(next_verdict, pass_verdict, drop_verdict, redirect_verdict, 1);
        std::optional<model::redirect_target> redirect;
        if (verdict == redirect_verdict && *rc::gen::inRange(0, 4) != 0) {
            redirect = model::redirect_target{*rc::gen::inRange(1, 5),
                                              *rc::gen::element(model::redirect_mode::egress,
                                                                model::redirect_mode::peer)};
        }
        const auto mark = *rc::gen::arbitrary<bool>() ? std::optional<std::uint32_t>(7) : std::nullopt;
        const std::int32_t fd = load(w, verdict, mark, redirect);
        const int point = *rc::gen::inRange(0, 3);
        if (point == 2) {
            (void)attach(w, p.peer, uapi::bpf_attach_type::tcx_ingress, fd);
        } else {
            (void)attach(w, p.primary,
                         point == 0 ? uapi::bpf_attach_type::netkit_primary : uapi::bpf_attach_type::netkit_peer, fd);
        }
    }
    // Frames left on the rings by the harness (carried, SN-RX-03), filled
    // rings (SN-RX-02).
    if (allow_prefill && *rc::gen::inRange(0, 3) == 0) {
        const auto target = *rc::gen::elementOf(nics);
        const int frames = *rc::gen::inRange(1, 8);
        for (int k = 0; k < frames; ++k) {
            (void)w.inject(target, random_frame(s.peer_mac));
        }
    }
    // Devices down (SN-RX-01, NK-XMIT-02 (b)) and a bounded backlog (NK-XMIT-11).
    if (*rc::gen::inRange(0, 8) == 0) {
        w.close_device(*rc::gen::elementOf(nics));
    }
    if (*rc::gen::inRange(0, 8) == 0) {
        w.close_device(p.peer);
    }
    if (*rc::gen::inRange(0, 6) == 0) {
        w.limit_backlog(*rc::gen::inRange<std::uint64_t>(0, 6));
    }
    const int port = *rc::gen::weightedElement<int>({{8, 0}, {3, 1}, {1, 2}});
    s.config.port = port == 0 ? p.nic : port == 1 ? (small ? *small : p.nic) : p.loopback;
    const int forward = *rc::gen::weightedElement<int>({{3, 0}, {5, 1}, {2, 2}, {1, 3}, {1, 4}});
    if (forward == 1) {
        s.config.forward_to = p.primary;
    } else if (forward == 2) {
        s.config.forward_to = p.single;
    } else if (forward == 3) {
        s.config.forward_to = p.peer;
    } else if (forward == 4) {
        s.config.forward_to = p.loopback;  // not netkit: no route
    }
    return s;
}

std::vector<model::frame> random_burst(const model::mac_address& peer_mac, int max = 256) {
    const int size = *rc::gen::weightedOneOf<int>({{4, rc::gen::inRange(1, std::min(max, 16) + 1)},
                                                   {2, rc::gen::inRange(1, std::min(max, 64) + 1)},
                                                   {1, rc::gen::inRange(1, max + 1)}});
    std::vector<model::frame> frames;
    for (int i = 0; i < size; ++i) {
        frames.push_back(random_frame(peer_mac));
    }
    return frames;
}

// The first difference between two results, for failure messages.
std::string difference(const packet::receive_result& expected, const packet::receive_result& actual) {
    auto compare = [](const char* what, const std::vector<packet::frame_outcome>& a,
                      const std::vector<packet::frame_outcome>& b) -> std::string {
        if (a.size() != b.size()) {
            return std::string(what) + ": " + std::to_string(a.size()) + " outcomes vs " + std::to_string(b.size());
        }
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!(a[i] == b[i])) {
                return std::string(what) + " " + std::to_string(i) + ": reference " + packet::to_string(a[i]) +
                       " | other " + packet::to_string(b[i]);
            }
        }
        return {};
    };
    auto first = compare("frame", expected.frames, actual.frames);
    return first.empty() ? compare("carried", expected.carried, actual.carried) : first;
}

std::string violations_of(const world& before, const world& after, const packet::path_config& c,
                          std::size_t frames_in, const packet::receive_result& r) {
    std::string out;
    for (const auto& v : packet::conservation_violations(before.state(), after.state(), c, frames_in,
                                                         packet::summarize(r))) {
        out += v + "; ";
    }
    return out;
}

// Runs one burst through the batched path.
packet::receive_result run_burst(world& w, const packet::path_config& c, std::span<const model::frame> frames) {
    auto b = std::make_unique<packet::rx_burst<256>>();
    b->load(frames);
    (void)packet::receive_burst(w, c, *b);
    return b->result();
}

// ------------------------------------------------------ the NIC's part

// SN-RX-01: a frame for a port that is down is dropped and counted.
TEST(packet_path, a_frame_for_a_down_port_is_dropped_and_counted_in_rx_dropped_SN_RX_01) {
    auto p = lease_prefix_world();
    p.w.close_device(p.nic);
    const packet::path_config c{p.nic, std::nullopt};
    const std::vector<model::frame> frames{frame_of({}), frame_of({shape::ipv6_tcp})};
    const auto before = p.w;
    const auto r = run_burst(p.w, c, frames);
    ASSERT_EQ(r.frames.size(), 2U);
    for (const auto& o : r.frames) {
        EXPECT_EQ(o.kind, outcome_kind::dropped);
        EXPECT_EQ(o.reason, drop_reason::device_down);
    }
    EXPECT_EQ(p.w.at(p.nic).counters.rx_dropped, before.at(p.nic).counters.rx_dropped + 2);
    EXPECT_TRUE(packet::conserved(before.state(), p.w.state(), c, 2, packet::summarize(r)));
}

// A port that is not a NIC takes no frame (SN-GEN-01: only the NIC receives
// from the wire); the world does not change.
TEST(packet_path, frames_for_a_port_that_is_not_a_nic_are_dropped_without_a_trace) {
    auto p = lease_prefix_world();
    const packet::path_config c{p.primary, p.primary};
    const std::vector<model::frame> frames{frame_of({})};
    const auto before = p.w;
    const auto r = run_burst(p.w, c, frames);
    EXPECT_EQ(r.frames.at(0).reason, drop_reason::no_port);
    EXPECT_TRUE(p.w == before);
    world scalar = before;
    EXPECT_EQ(packet::receive_scalar(scalar, c, frames), r);
}

// SN-RSS-08 through the path: with the Microsoft key, the default 128-entry
// table and 4 real queues, the verification flow's 4-tuple selects queue 0
// and its 2-tuple (a protocol without ports) queue 2; non-IP frames and
// frames cut inside their headers are not hashed and take queue 0
// (SN-RSS-04).
TEST(packet_path, rss_selects_the_queues_of_the_verification_vector_SN_RSS_08) {
    world w;
    auto ports = w.create_softnic(model::softnic::spec{1, 4, model::softnic_config::nsim()});
    ASSERT_TRUE(ports.ok());
    const auto nic = ports.value().front();
    ASSERT_TRUE(w.open(nic).ok());
    auto vector_frame = [](std::uint8_t protocol) {
        bytes b{0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00, 0x45, 0, 0, 28, 0, 0, 0x40, 0, 64, protocol,
                0, 0, 66, 9, 149, 187, 161, 142, 100, 80};
        put16(b, 2794);
        put16(b, 1766);
        put16(b, 8);
        put16(b, 0);
        model::frame f;
        f.bytes = b;
        return f;
    };
    model::frame arp = frame_of({shape::arp});
    model::frame cut = vector_frame(17);
    cut.bytes.resize(20);
    const std::vector<model::frame> frames{vector_frame(17), vector_frame(1), arp, cut};
    const auto r = run_burst(w, packet::path_config{nic, std::nullopt}, frames);
    ASSERT_EQ(r.frames.size(), 4U);
    EXPECT_EQ(r.frames[0].queue, 0U);  // 0x51ccc178: entry 120, 120 mod 4
    EXPECT_EQ(r.frames[1].queue, 2U);  // 0x323e8fc2: entry 66, 66 mod 4
    EXPECT_EQ(r.frames[2].queue, 0U);
    EXPECT_EQ(r.frames[3].queue, 0U);
    for (const auto& o : r.frames) {
        EXPECT_EQ(o.where, endpoint::stack);
    }
    for (std::size_t i = 0; i < frames.size(); ++i) {
        EXPECT_EQ(r.frames[i].queue, model::rss::select_queue(*w.at(nic).nic, frames[i].bytes));
    }
}

// SN-RX-02: a full ring drops the frame (rx_dropped); SN-RX-03: frames
// already on a ring are processed first, FIFO, then the burst's frame,
// whatever the NAPI budget.
TEST(packet_path, a_full_ring_drops_and_frames_already_queued_are_processed_first_SN_RX_02_03) {
    world w;
    model::softnic_config config = model::softnic_config::nsim();
    config.ring_size = 3;
    config.napi_budget = 1;
    const auto nic = w.create_softnic(model::softnic::spec{1, 1, config}).value().front();
    ASSERT_TRUE(w.open(nic).ok());
    for (int k = 0; k < 3; ++k) {
        ASSERT_EQ(w.inject(nic, frame_of({})).value().end, model::softnic::rx_end::queued);
    }
    const packet::path_config c{nic, std::nullopt};
    const std::vector<model::frame> full{frame_of({shape::ipv6_udp})};
    world before = w;
    auto r = run_burst(w, c, full);
    EXPECT_EQ(r.frames.at(0).reason, drop_reason::ring_full);
    EXPECT_TRUE(r.carried.empty());
    EXPECT_EQ(w.at(nic).counters.rx_dropped, 1U);
    EXPECT_TRUE(packet::conserved(before.state(), w.state(), c, 1, packet::summarize(r)));

    // Make room by one poll, then the next frame meets two carried frames.
    ASSERT_TRUE(w.poll(nic, 0).ok());
    before = w;
    r = run_burst(w, c, full);
    EXPECT_EQ(r.frames.at(0).where, endpoint::stack);
    EXPECT_EQ(r.carried.size(), 2U);
    EXPECT_TRUE(w.at(nic).rxq[0].ring.empty());
    EXPECT_EQ(w.at(nic).counters.rx_packets, 4U);
    EXPECT_TRUE(packet::conserved(before.state(), w.state(), c, 1, packet::summarize(r)));
    world scalar = before;
    EXPECT_EQ(packet::receive_scalar(scalar, c, full), r);
    EXPECT_TRUE(scalar == w);
}

// QL-XSK-11 / SN-XSK-03: with an XDP redirect, frames RSS puts on the leased
// queue reach the socket bound through the single device; frames on a queue
// without a socket are rejected (rx_dropped). QL-XSK-12: a frame larger than
// the socket's frame size is dropped on the socket.
TEST(packet_path, a_leased_queue_delivers_to_its_af_xdp_socket_and_others_reject_QL_XSK_11_12) {
    auto p = lease_prefix_world();
    const auto socket = bind_xsk(p.w, p.single, 1, model::xsk_mode::zero_copy_forced, 256);
    ASSERT_TRUE(socket.ok()) << core::to_string(socket.failure());
    ASSERT_TRUE(p.w.attach_xdp(p.nic, model::xdp_program{model::xdp_verdict::redirect_xsk, true}).ok());
    steer_all(p.w, p.nic, 2);
    const packet::path_config c{p.nic, p.primary};
    frame_spec big;
    big.payload = 400;
    const std::vector<model::frame> frames{frame_of({}), frame_of(big), frame_of({shape::arp})};
    const world before = p.w;
    const auto r = run_burst(p.w, c, frames);
    EXPECT_EQ(r.frames[0].where, endpoint::af_xdp_socket);
    EXPECT_EQ(r.frames[0].consumer, socket.value());
    EXPECT_EQ(r.frames[0].queue, 2U);
    EXPECT_EQ(r.frames[1].reason, drop_reason::xsk_too_large);
    EXPECT_EQ(r.frames[2].queue, 0U);  // not IP: queue 0, no socket there
    EXPECT_EQ(r.frames[2].reason, drop_reason::xsk_rejected);
    EXPECT_EQ(p.w.socket(socket.value())->rx_ring.size(), 1U);
    EXPECT_EQ(p.w.socket(socket.value())->rx_dropped, 1U);
    EXPECT_FALSE(r.frames[0].forwarded);  // XDP consumed it: nothing reaches the stack
    EXPECT_TRUE(packet::conserved(before.state(), p.w.state(), c, frames.size(), packet::summarize(r)));
}

// QL-MP-07/09: a zero-copy receiver on the guest's leased queue installs
// its provider on eth0 queue 1; frames RSS puts there land in its buffers,
// one each, until none is free (no_buffer, rx_dropped).
TEST(packet_path, a_provider_on_a_leased_queue_fills_zero_copy_buffers_until_none_is_free_QL_MP_07) {
    auto p = lease_prefix_world();
    const auto area = open_zcrx(p.w, p.peer, 1, 2);
    ASSERT_TRUE(area.ok()) << core::to_string(area.failure());
    steer_all(p.w, p.nic, 1);
    const packet::path_config c{p.nic, p.primary};
    const std::vector<model::frame> frames(3, frame_of({}));
    const world before = p.w;
    const auto r = run_burst(p.w, c, frames);
    EXPECT_EQ(r.frames[0].where, endpoint::zero_copy_buffer);
    EXPECT_EQ(r.frames[0].buffer, 0U);
    EXPECT_EQ(r.frames[1].where, endpoint::zero_copy_buffer);
    EXPECT_EQ(r.frames[1].buffer, 1U);
    EXPECT_EQ(r.frames[2].reason, drop_reason::no_buffer);
    EXPECT_EQ(r.frames[0].consumer, area.value());
    EXPECT_TRUE(packet::conserved(before.state(), p.w.state(), c, frames.size(), packet::summarize(r)));
}

// ------------------------------------------------------ up the stack

// NK-XMIT-10 / NK-XMIT-06: a frame the NIC hands to the stack is transmitted
// on the pair's primary and delivered to the peer in the other netns, with
// mark and priority scrubbed; the counters of both ends move.
TEST(packet_path, stack_frames_go_through_the_netkit_pair_to_its_peer_NK_XMIT_10) {
    auto p = lease_prefix_world();
    const packet::path_config c{p.nic, p.primary};
    model::frame f = frame_of({});
    f.mark = 9;
    const std::vector<model::frame> frames{f};
    const world before = p.w;
    const auto r = run_burst(p.w, c, frames);
    const auto& o = r.frames.at(0);
    EXPECT_EQ(o.kind, outcome_kind::delivered);
    EXPECT_EQ(o.where, endpoint::netkit_peer);
    EXPECT_EQ(o.device, p.peer);
    EXPECT_TRUE(o.forwarded);
    EXPECT_EQ(p.w.at(p.primary).counters.tx_packets, before.at(p.primary).counters.tx_packets + 1);
    EXPECT_EQ(p.w.at(p.peer).counters.rx_packets, before.at(p.peer).counters.rx_packets + 1);
    // The single-frame model gives the same answer on the world after the NIC.
    world reference = before;
    ASSERT_EQ(reference.inject(p.nic, f).value().end, model::softnic::rx_end::queued);
    ASSERT_TRUE(reference.poll(p.nic, o.queue).ok());
    const auto sent = reference.transmit(p.primary, f);
    ASSERT_TRUE(sent.delivered.has_value());
    EXPECT_EQ(sent.delivered->frame.mark, 0U);  // NK-XMIT-06: cross-netns, scrub default
    EXPECT_TRUE(reference == p.w);
}

// NK-XMIT-14: the single device drops every frame, runs no program, and
// counts tx_dropped.
TEST(packet_path, the_single_device_drops_what_the_stack_sends_it_NK_XMIT_14) {
    auto p = lease_prefix_world();
    const packet::path_config c{p.nic, p.single};
    const std::vector<model::frame> frames(4, frame_of({shape::ipv6_tcp}));
    const world before = p.w;
    const auto r = run_burst(p.w, c, frames);
    for (const auto& o : r.frames) {
        EXPECT_EQ(o.reason, drop_reason::netkit_no_peer);
        EXPECT_EQ(o.programs_run, 0U);
    }
    EXPECT_EQ(p.w.at(p.single).counters.tx_dropped, before.at(p.single).counters.tx_dropped + 4);
    EXPECT_TRUE(packet::conserved(before.state(), p.w.state(), c, frames.size(), packet::summarize(r)));
}

// NK-XMIT-02 (b), (c); NK-XMIT-13; NK-XMIT-11; NK-XMIT-12: the peer down,
// a frame shorter than an Ethernet header, a DROP program, a full backlog
// and a REDIRECT each end the frame with their own outcome.
TEST(packet_path, netkit_drop_conditions_and_verdicts_name_their_outcome_NK_XMIT_02_11_12_13) {
    {
        auto p = lease_prefix_world();
        p.w.close_device(p.peer);
        const auto r = run_burst(p.w, {p.nic, p.primary}, std::vector<model::frame>{frame_of({})});
        EXPECT_EQ(r.frames[0].reason, drop_reason::netkit_peer_down);
    }
    {
        auto p = lease_prefix_world();
        frame_spec tiny;
        tiny.kind = shape::tiny;
        tiny.payload = 9;
        const auto r = run_burst(p.w, {p.nic, p.primary}, std::vector<model::frame>{frame_of(tiny)});
        EXPECT_EQ(r.frames[0].queue, 0U);
        EXPECT_EQ(r.frames[0].reason, drop_reason::netkit_too_short);
    }
    {
        auto p = lease_prefix_world();
        ASSERT_TRUE(attach(p.w, p.primary, uapi::bpf_attach_type::netkit_primary, load(p.w, drop_verdict)).ok());
        const auto r = run_burst(p.w, {p.nic, p.primary}, std::vector<model::frame>{frame_of({})});
        EXPECT_EQ(r.frames[0].reason, drop_reason::netkit_verdict_drop);
        EXPECT_EQ(r.frames[0].programs_run, 1U);
    }
    {
        auto p = lease_prefix_world();
        p.w.limit_backlog(1);
        const auto r = run_burst(p.w, {p.nic, p.primary}, std::vector<model::frame>(2, frame_of({})));
        EXPECT_EQ(r.frames[0].where, endpoint::netkit_peer);
        EXPECT_EQ(r.frames[1].reason, drop_reason::netkit_backlog_full);
    }
    {
        auto p = lease_prefix_world();
        // Redirect to the peer's own ifindex in its netns: nkg0 egress,
        // a nested transmit back to nkl0 (NK-XMIT-12).
        const model::redirect_target target{p.w.at(p.peer).ifindex, model::redirect_mode::egress};
        ASSERT_TRUE(
            attach(p.w, p.primary, uapi::bpf_attach_type::netkit_primary, load(p.w, redirect_verdict, {}, target))
                .ok());
        const world before = p.w;
        const packet::path_config c{p.nic, p.primary};
        const auto r = run_burst(p.w, c, std::vector<model::frame>{frame_of({})});
        EXPECT_EQ(r.frames[0].kind, outcome_kind::redirected);
        EXPECT_EQ(r.frames[0].device, p.peer);
        EXPECT_TRUE(packet::conserved(before.state(), p.w.state(), c, 1, packet::summarize(r)));
    }
}

// The stack cannot route to a device that is not netkit.
TEST(packet_path, forwarding_to_a_device_that_is_not_netkit_drops_with_no_route) {
    auto p = lease_prefix_world();
    const std::vector<model::frame> frames{frame_of({})};
    world scalar = p.w;
    const packet::path_config c{p.nic, p.loopback};
    const auto r = run_burst(p.w, c, frames);
    EXPECT_EQ(r.frames[0].reason, drop_reason::no_route);
    EXPECT_EQ(packet::receive_scalar(scalar, c, frames), r);
    EXPECT_TRUE(scalar == p.w);
}

// ------------------------------------------------------ accounting

// Accounting: each outcome is counted once, by kind and by endpoint or
// reason; a summary that does not match the world is caught.
TEST(packet_path, the_conservation_check_catches_a_summary_that_does_not_match_the_world) {
    auto p = lease_prefix_world();
    const packet::path_config c{p.nic, p.primary};
    const std::vector<model::frame> frames(5, frame_of({}));
    const world before = p.w;
    const auto r = run_burst(p.w, c, frames);
    auto a = packet::summarize(r);
    EXPECT_EQ(a.outcomes, 5U);
    EXPECT_EQ(a.at(endpoint::netkit_peer), 5U);
    EXPECT_EQ(a.received_packets, 5U);
    EXPECT_TRUE(packet::conserved(before.state(), p.w.state(), c, 5, a));
    EXPECT_FALSE(packet::conserved(before.state(), p.w.state(), c, 6, a));  // a frame unaccounted for
    auto lost = r;
    lost.frames[2] = packet::frame_outcome{};  // "dropped" without a reason
    EXPECT_FALSE(packet::conserved(before.state(), p.w.state(), c, 5, packet::summarize(lost)));
    auto wrong = r;
    wrong.frames[1].where = endpoint::stack;
    wrong.frames[1].forwarded = false;
    EXPECT_FALSE(packet::conserved(before.state(), p.w.state(), c, 5, packet::summarize(wrong)));
}

// --------------------------------------------------------- properties

// (a) The batched and the per-frame paths equal the scalar reference, in
// outcomes and in the whole world, burst after burst (SN-RSS-07, SN-RX-01…
// 03, QL-XSK-11/12, QL-MP-07, NK-XMIT-01…14), malformed frames included.
RC_GTEST_PROP(packet_path, the_burst_and_per_frame_paths_equal_the_scalar_reference, ()) {
    auto s = random_scenario();
    world scalar = s.p.w;
    world batched = s.p.w;
    world per_frame = s.p.w;
    auto b = std::make_unique<packet::rx_burst<256>>();
    const int bursts = *rc::gen::inRange(1, 4);
    for (int k = 0; k < bursts; ++k) {
        const auto frames = random_burst(s.peer_mac);
        const auto expected = packet::receive_scalar(scalar, s.config, frames);
        b->load(std::span<const model::frame>(frames));
        (void)packet::receive_burst(batched, s.config, *b);
        const auto burst_result = b->result();
        if (const auto diff = difference(expected, burst_result); !diff.empty()) {
            RC_FAIL("receive_burst differs: " + diff);
        }
        RC_ASSERT(batched == scalar);
        (void)packet::receive_per_frame(per_frame, s.config, *b);
        if (const auto diff = difference(expected, b->result()); !diff.empty()) {
            RC_FAIL("receive_per_frame differs: " + diff);
        }
        RC_ASSERT(per_frame == scalar);
    }
}

// (b) Conservation after every burst, for the batched path and the
// reference: frames in (+ carried) = outcomes, counters moved as the
// outcomes say.
RC_GTEST_PROP(packet_path, every_burst_conserves_frames_and_counters, ()) {
    auto s = random_scenario();
    world w = s.p.w;
    world scalar = s.p.w;
    auto b = std::make_unique<packet::rx_burst<256>>();
    const int bursts = *rc::gen::inRange(1, 6);
    for (int k = 0; k < bursts; ++k) {
        const auto frames = random_burst(s.peer_mac, 64);
        const world before = w;
        b->load(std::span<const model::frame>(frames));
        (void)packet::receive_burst(w, s.config, *b);
        const auto r = b->result();
        if (const auto v = violations_of(before, w, s.config, frames.size(), r); !v.empty()) {
            RC_FAIL("receive_burst: " + v);
        }
        const world scalar_before = scalar;
        const auto rs = packet::receive_scalar(scalar, s.config, frames);
        if (const auto v = violations_of(scalar_before, scalar, s.config, frames.size(), rs); !v.empty()) {
            RC_FAIL("receive_scalar: " + v);
        }
    }
}

// (c) Every frame that reaches the stack ends as the single-frame netkit
// transmit says (NK-XMIT-01…14): on the world just before that frame's
// transmit, model::transmit gives the verdict, the programs run, the drop
// reason, the receiving peer or the redirect target that both paths report.
RC_GTEST_PROP(packet_path, frames_reaching_the_stack_agree_with_the_single_frame_transmit, ()) {
    auto s = random_scenario(false);  // no carried frames: each poll returns the frame just injected
    RC_PRE(s.config.forward_to.has_value() && packet::detail::routable(s.p.w.state(), *s.config.forward_to));
    const auto frames = random_burst(s.peer_mac, 24);
    world batched = s.p.w;
    world scalar = s.p.w;
    const auto burst_result = run_burst(batched, s.config, frames);
    const auto scalar_result = packet::receive_scalar(scalar, s.config, frames);
    const auto forward_to = *s.config.forward_to;
    world reference = s.p.w;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const auto arrived = reference.inject(s.config.port, frames[i]);
        if (!arrived || arrived.value().end != model::softnic::rx_end::queued) {
            RC_ASSERT(!burst_result.frames[i].forwarded);
            continue;
        }
        const auto polled = reference.poll(s.config.port, arrived.value().queue);
        RC_ASSERT(polled.ok() && polled.value().size() == 1U);
        if (polled.value().front().end != model::softnic::rx_end::stack) {
            RC_ASSERT(!burst_result.frames[i].forwarded);
            continue;
        }
        const model::transmit_result t = reference.transmit(forward_to, frames[i]);
        for (const auto* o : {&burst_result.frames[i], &scalar_result.frames[i]}) {
            RC_ASSERT(o->forwarded);
            RC_ASSERT(o->verdict == t.verdict);
            RC_ASSERT(o->programs_run == t.programs_run);
            if (t.status == model::transmit_status::dropped) {
                RC_ASSERT(o->kind == outcome_kind::dropped);
                RC_ASSERT(core::enum_name(o->reason) == "netkit_" + std::string(core::enum_name(t.reason)));
            } else if (t.verdict == redirect_verdict) {
                RC_ASSERT(o->kind == outcome_kind::redirected);
                RC_ASSERT(o->device == t.redirected_to);
            } else {
                RC_ASSERT(o->kind == outcome_kind::delivered);
                RC_ASSERT(o->where == endpoint::netkit_peer);
                RC_ASSERT(t.delivered.has_value());
                RC_ASSERT(o->device == std::optional(t.delivered->device));
                RC_ASSERT(o->ingress_verdict == t.delivered->ingress_verdict);
            }
            if (reference.at(forward_to).netkit->single()) {  // NK-XMIT-14
                RC_ASSERT(o->reason == drop_reason::netkit_no_peer && o->programs_run == 0U);
            }
        }
    }
    RC_ASSERT(reference == batched);
    RC_ASSERT(reference == scalar);
}

}  // namespace
