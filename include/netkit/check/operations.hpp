// The operation alphabet of the stateful property test and the world_ops
// fuzz target: every request the model's world accepts that changes netkit,
// veth, netns or BPF state (rtnetlink RTM_NEWLINK/SETLINK/DELLINK,
// changelink NK-CHG-02…06, the typed open/close/MTU/MAC/netns changes,
// BPF_PROG_LOAD/ATTACH/DETACH/QUERY, BPF_LINK_CREATE/UPDATE/DETACH, close(2),
// the stack's rx headroom request NK-RT-05, and a netkit transmit
// NK-XMIT-01…17) as small structs in one std::variant,
// with `apply`, `to_string` and the byte decoder both the property test and
// the fuzzer use. Operations name devices, namespaces, descriptors and ids
// by position in the world as it is when the operation runs ("the k-th
// registered device in ifindex order of the n-th netns"), reduced modulo
// the count, so every decoded sequence is valid against every world and a
// shrinker may delete any operation; one that has nothing to refer to is
// skipped. Each struct lists its fields once, in `fields`, and the decoder,
// the encoder and the printer are derived from that list (the house style's
// "derived, not hand-written"), so decode(encode(ops)) == ops by
// construction.
#pragma once

#include <netkit/core/enum.hpp>
#include <netkit/core/errno.hpp>
#include <netkit/core/ids.hpp>
#include <netkit/model/world.hpp>
#include <netkit/uapi/bpf.hpp>
#include <netkit/uapi/netkit.hpp>
#include <netkit/uapi/netlink.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace netkit::check {

// ------------------------------------------------------------- choices
// Values an operation may carry, as reflected enumerations: the decoder
// reduces a byte modulo their count, the printer shows their names. Each
// includes the invalid values the kernel must refuse, so refusals are
// exercised as often as successes.

NETKIT_ENUM(mode_choice, std::uint8_t, l2, l3)
// 1 and 7 are not device policies: NK-DRV-04/05, NK-CHG-04…06.
NETKIT_ENUM(policy_choice, std::uint8_t, pass, drop, invalid_1, invalid_7)
NETKIT_ENUM(scrub_choice, std::uint8_t, none, standard)
// Names from a set of four so that creations collide (EEXIST, NK-ENV-04).
NETKIT_ENUM(name_choice, std::uint8_t, nka, nkb, nkc, template_nk)
// NK-DRV-09: what a single device refuses (all but headroom).
NETKIT_ENUM(single_extra, std::uint8_t, policy_drop, peer_policy, scrub, peer_info, headroom)
// NK-CHG-03 immutables, and PRIMARY (read-only, NK-CRT-03).
NETKIT_ENUM(forbidden_attribute, std::uint8_t, mode, scrub, peer_scrub, peer_info, headroom, tailroom, pairing,
            primary)
// NK-RT-01 bounds: 68 … 65535.
NETKIT_ENUM(mtu_choice, std::uint8_t, zero, below_minimum, minimum, standard, jumbo, maximum, above_maximum)
// NK-RT-02: valid unicast, all-zero, multicast, wrong length.
NETKIT_ENUM(mac_choice, std::uint8_t, unicast, zero, multicast, short_address)
// MP-63: NEXT, PASS, DROP, REDIRECT and one value that means "drop" (NK-XMIT-13).
NETKIT_ENUM(verdict_choice, std::uint8_t, next, pass, drop, redirect, unknown_1)
NETKIT_ENUM(attach_type_choice, std::uint8_t, netkit_primary, netkit_peer, tcx_ingress)
// MP-25…33 / MP-40…44: flag combinations that name positions, including the
// meaningless ones (ID or LINK alone → EINVAL).
NETKIT_ENUM(flag_choice, std::uint8_t, none, before, after, replace, before_id, after_id, before_link, after_link,
            before_link_id, after_link_id, replace_before, replace_after, id_only, link_only)
// MP-23 / MP-38 / MP-53: 0 (any), the internal counter, one past it, and 1
// (what a query on an emptied netkit point reports).
NETKIT_ENUM(revision_choice, std::uint8_t, any, current, stale, one)
// NK-XMIT-02 (c): below and at ETH_HLEN, then ordinary sizes.
NETKIT_ENUM(length_choice, std::uint8_t, empty, below_header, header_only, minimum, standard, jumbo)
// NK-XMIT-07: the packet type is computed against the peer's address.
NETKIT_ENUM(destination_choice, std::uint8_t, peer_address, broadcast, multicast, own_address, zero)

// ---------------------------------------------------------- references

// The `index`-th registered device (in ifindex order) of the `netns`-th
// namespace (in handle order); operations that need a netkit device count
// only netkit devices.
struct device_ref {
    std::uint8_t netns = 0;
    std::uint8_t index = 0;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("netns", self.netns);
        v("index", self.index);
    }
    friend bool operator==(const device_ref&, const device_ref&) = default;
};

// ---------------------------------------------------------- operations

// RTM_NEWLINK kind netkit, pair mode (NK-CRT, NK-DRV, NK-PAIR), by a root
// caller in the `netns`-th namespace; `peer_netns` puts the peer elsewhere
// through PEER_INFO/IFLA_NET_NS_FD (NK-CRT-09/10); `up` sets IFF_UP in the
// request (NK-PAIR-16).
struct create_pair {
    static constexpr std::string_view name = "create_pair";
    std::uint8_t netns = 0;
    mode_choice mode = mode_choice::l2;
    std::optional<policy_choice> policy;
    std::optional<policy_choice> peer_policy;
    std::optional<scrub_choice> scrub;
    std::optional<scrub_choice> peer_scrub;
    std::optional<std::uint8_t> headroom;
    std::optional<std::uint8_t> peer_netns;
    std::optional<name_choice> ifname;
    bool up = false;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("netns", self.netns);
        v("mode", self.mode);
        v("policy", self.policy);
        v("peer_policy", self.peer_policy);
        v("scrub", self.scrub);
        v("peer_scrub", self.peer_scrub);
        v("headroom", self.headroom);
        v("peer_netns", self.peer_netns);
        v("ifname", self.ifname);
        v("up", self.up);
    }
    friend bool operator==(const create_pair&, const create_pair&) = default;
};

// RTM_NEWLINK kind netkit with PAIRING single (NK-SGL); `extra` adds an
// attribute a single device may refuse (NK-DRV-09).
struct create_single {
    static constexpr std::string_view name = "create_single";
    std::uint8_t netns = 0;
    mode_choice mode = mode_choice::l2;
    std::optional<single_extra> extra;
    std::optional<name_choice> ifname;
    bool up = false;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("netns", self.netns);
        v("mode", self.mode);
        v("extra", self.extra);
        v("ifname", self.ifname);
        v("up", self.up);
    }
    friend bool operator==(const create_single&, const create_single&) = default;
};

// RTM_NEWLINK kind veth: the negative control of NK-ENV-07.
struct create_veth {
    static constexpr std::string_view name = "create_veth";
    std::uint8_t netns = 0;
    std::optional<std::uint8_t> peer_netns;
    bool up = false;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("netns", self.netns);
        v("peer_netns", self.peer_netns);
        v("up", self.up);
    }
    friend bool operator==(const create_veth&, const create_veth&) = default;
};

// RTM_DELLINK by ifindex (NK-DEL-01…06; lo → EOPNOTSUPP, NK-ENV-02).
struct delete_device {
    static constexpr std::string_view name = "delete_device";
    device_ref device;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
    }
    friend bool operator==(const delete_device&, const delete_device&) = default;
};

// RTM_NEWLINK without CREATE on an existing netkit device: changelink
// (NK-CHG-02…06), including the partly applied POLICY of NK-CHG-06.
struct change_link {
    static constexpr std::string_view name = "change_link";
    device_ref device;
    std::optional<policy_choice> policy;
    std::optional<policy_choice> peer_policy;
    std::optional<forbidden_attribute> forbidden;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("policy", self.policy);
        v("peer_policy", self.peer_policy);
        v("forbidden", self.forbidden);
    }
    friend bool operator==(const change_link&, const change_link&) = default;
};

// Open or close (NK-OPEN-01…04), typed or through RTM_SETLINK's IFF_UP
// (NL-RT-03).
struct set_up {
    static constexpr std::string_view name = "set_up";
    device_ref device;
    bool up = false;
    bool via_setlink = false;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("up", self.up);
        v("via_setlink", self.via_setlink);
    }
    friend bool operator==(const set_up&, const set_up&) = default;
};

struct set_mtu {
    static constexpr std::string_view name = "set_mtu";
    device_ref device;
    mtu_choice mtu = mtu_choice::standard;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("mtu", self.mtu);
    }
    friend bool operator==(const set_mtu&, const set_mtu&) = default;
};

struct set_mac {
    static constexpr std::string_view name = "set_mac";
    device_ref device;
    mac_choice mac = mac_choice::unicast;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("mac", self.mac);
    }
    friend bool operator==(const set_mac&, const set_mac&) = default;
};

// NK-ENV-09 / NK-RT-03.
struct move_device {
    static constexpr std::string_view name = "move_device";
    device_ref device;
    std::uint8_t netns = 0;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("netns", self.netns);
    }
    friend bool operator==(const move_device&, const move_device&) = default;
};

// Skipped once `max_namespaces` exist, which keeps worlds small.
struct create_netns {
    static constexpr std::string_view name = "create_netns";

    template <class Self, class Visitor>
    static void fields(Self&, Visitor&&) {}
    friend bool operator==(const create_netns&, const create_netns&) = default;
};

// NK-ENV-08 (the initial netns → EPERM).
struct delete_netns {
    static constexpr std::string_view name = "delete_netns";
    std::uint8_t netns = 0;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("netns", self.netns);
    }
    friend bool operator==(const delete_netns&, const delete_netns&) = default;
};

// Where a program's REDIRECT sends the frame: ifindex 1 + `ifindex` % 8,
// resolved in the peer's netns when the program runs (NK-XMIT-12).
struct redirect_spec {
    std::uint8_t ifindex = 0;
    model::redirect_mode mode = model::redirect_mode::egress;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("ifindex", self.ifindex);
        v("mode", self.mode);
    }
    friend bool operator==(const redirect_spec&, const redirect_spec&) = default;
};

// A scripted SCHED_CLS program (MP-63).
struct load_program {
    static constexpr std::string_view name = "load_program";
    verdict_choice verdict = verdict_choice::next;
    std::optional<std::uint8_t> mark;
    std::optional<redirect_spec> redirect;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("verdict", self.verdict);
        v("mark", self.mark);
        v("redirect", self.redirect);
    }
    friend bool operator==(const load_program&, const load_program&) = default;
};

// close(2) on the `descriptor`-th open descriptor (files, programs, links).
struct close_descriptor {
    static constexpr std::string_view name = "close_descriptor";
    std::uint8_t descriptor = 0;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("descriptor", self.descriptor);
    }
    friend bool operator==(const close_descriptor&, const close_descriptor&) = default;
};

// BPF_PROG_ATTACH (MP-14, MP-19…35). `program` and `replace` pick program
// descriptors; `relative` picks what the flags say R names (a link with
// LINK, by id with ID, else a program), none means R = 0.
struct prog_attach {
    static constexpr std::string_view name = "prog_attach";
    device_ref target;
    attach_type_choice type = attach_type_choice::netkit_primary;
    std::uint8_t program = 0;
    flag_choice flags = flag_choice::none;
    std::optional<std::uint8_t> relative;
    std::uint8_t replace = 0;
    revision_choice revision = revision_choice::any;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("target", self.target);
        v("type", self.type);
        v("program", self.program);
        v("flags", self.flags);
        v("relative", self.relative);
        v("replace", self.replace);
        v("revision", self.revision);
    }
    friend bool operator==(const prog_attach&, const prog_attach&) = default;
};

// BPF_PROG_DETACH (MP-15, MP-36…46); no program detaches by position.
struct prog_detach {
    static constexpr std::string_view name = "prog_detach";
    device_ref target;
    attach_type_choice type = attach_type_choice::netkit_primary;
    std::optional<std::uint8_t> program;
    flag_choice flags = flag_choice::none;
    std::optional<std::uint8_t> relative;
    revision_choice revision = revision_choice::any;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("target", self.target);
        v("type", self.type);
        v("program", self.program);
        v("flags", self.flags);
        v("relative", self.relative);
        v("revision", self.revision);
    }
    friend bool operator==(const prog_detach&, const prog_detach&) = default;
};

// BPF_PROG_QUERY (MP-16, MP-47…51); `count` is the caller's array size % 4.
struct prog_query {
    static constexpr std::string_view name = "prog_query";
    device_ref target;
    attach_type_choice type = attach_type_choice::netkit_primary;
    std::uint8_t count = 0;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("target", self.target);
        v("type", self.type);
        v("count", self.count);
    }
    friend bool operator==(const prog_query&, const prog_query&) = default;
};

// BPF_LINK_CREATE (MP-17, MP-54…56).
struct link_create {
    static constexpr std::string_view name = "link_create";
    device_ref target;
    attach_type_choice type = attach_type_choice::netkit_primary;
    std::uint8_t program = 0;
    flag_choice flags = flag_choice::none;
    std::optional<std::uint8_t> relative;
    revision_choice revision = revision_choice::any;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("target", self.target);
        v("type", self.type);
        v("program", self.program);
        v("flags", self.flags);
        v("relative", self.relative);
        v("revision", self.revision);
    }
    friend bool operator==(const link_create&, const link_create&) = default;
};

// BPF_LINK_UPDATE (MP-57): the `link`-th link descriptor gets the
// `program`-th program descriptor, optionally expecting another as the old one.
struct link_update {
    static constexpr std::string_view name = "link_update";
    std::uint8_t link = 0;
    std::uint8_t program = 0;
    std::optional<std::uint8_t> expected_old;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("link", self.link);
        v("program", self.program);
        v("expected_old", self.expected_old);
    }
    friend bool operator==(const link_update&, const link_update&) = default;
};

// BPF_LINK_DETACH (MP-58).
struct link_detach {
    static constexpr std::string_view name = "link_detach";
    std::uint8_t link = 0;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("link", self.link);
    }
    friend bool operator==(const link_detach&, const link_detach&) = default;
};

// One IPv4 frame transmitted on a netkit device (NK-XMIT-01…17).
struct transmit_frame {
    static constexpr std::string_view name = "transmit";
    device_ref device;
    length_choice length = length_choice::minimum;
    destination_choice destination = destination_choice::peer_address;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("length", self.length);
        v("destination", self.destination);
    }
    friend bool operator==(const transmit_frame&, const transmit_frame&) = default;
};

// The stack's set_rx_headroom on a netkit device (NK-RT-05); no value is
// the "reset" request (a negative value, replaced by NET_SKB_PAD).
struct set_rx_headroom {
    static constexpr std::string_view name = "set_rx_headroom";
    device_ref device;
    std::optional<std::uint8_t> headroom;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("headroom", self.headroom);
    }
    friend bool operator==(const set_rx_headroom&, const set_rx_headroom&) = default;
};

// ------------------------------------------------ software NIC and leasing
// (issue 4: softnic.md, lease.md). Devices named by `device_ref` resolve
// among all devices unless the field says otherwise, so refusals (a virtual
// lessor, a physical lessee, a NIC operation on netkit) are drawn too.

NETKIT_ENUM(nic_preset, std::uint8_t, nsim, hwnic)
NETKIT_ENUM(fault_errno, std::uint8_t, out_of_memory, busy, network_down)

// SN-GEN-02: a NIC with 1…4 queues; skipped once `max_softnics` exist.
struct create_softnic {
    static constexpr std::string_view name = "create_softnic";
    std::uint8_t netns = 0;
    std::uint8_t queues = 0;  // 1 + queues % 4
    nic_preset preset = nic_preset::hwnic;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("netns", self.netns);
        v("queues", self.queues);
        v("preset", self.preset);
    }
    friend bool operator==(const create_softnic&, const create_softnic&) = default;
};

// SN-GEN-03: removing one NIC port (QL-LIFE-08/09).
struct remove_softnic {
    static constexpr std::string_view name = "remove_softnic";
    device_ref device;  // among NICs

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
    }
    friend bool operator==(const remove_softnic&, const remove_softnic&) = default;
};

// A netkit device that can lease: a pair whose peer (optionally in another
// netns) has 1 + rx_queues % 4 RX queues, or a single device with as many.
struct create_lessee {
    static constexpr std::string_view name = "create_lessee";
    std::uint8_t netns = 0;
    bool single = false;
    std::uint8_t rx_queues = 1;
    std::optional<std::uint8_t> peer_netns;
    bool up = false;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("netns", self.netns);
        v("single", self.single);
        v("rx_queues", self.rx_queues);
        v("peer_netns", self.peer_netns);
        v("up", self.up);
    }
    friend bool operator==(const create_lessee&, const create_lessee&) = default;
};

// NK-ENV-05: the environment names netns `of` inside netns `in`.
struct assign_netns_id {
    static constexpr std::string_view name = "assign_netns_id";
    std::uint8_t in = 0;
    std::uint8_t of = 0;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("in", self.in);
        v("of", self.of);
    }
    friend bool operator==(const assign_netns_id&, const assign_netns_id&) = default;
};

// QL-CRT: queue-create from the lessee's netns; the lessor among NICs unless
// `any_lessor`; `netns_id` names the lessor's netns by the id the lessee's
// netns has for it (an unknown id when it has none).
struct queue_create {
    static constexpr std::string_view name = "queue_create";
    device_ref lessee;
    device_ref lessor;
    std::uint8_t queue = 0;  // % 5
    bool any_lessor = false;
    bool netns_id = false;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("lessee", self.lessee);
        v("lessor", self.lessor);
        v("queue", self.queue);
        v("any_lessor", self.any_lessor);
        v("netns_id", self.netns_id);
    }
    friend bool operator==(const queue_create&, const queue_create&) = default;
};

// QL-GET: queue-get do from the device's netns.
struct queue_get {
    static constexpr std::string_view name = "queue_get";
    device_ref device;
    std::uint8_t queue = 0;  // % 5
    bool tx = false;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("queue", self.queue);
        v("tx", self.tx);
    }
    friend bool operator==(const queue_get&, const queue_get&) = default;
};

// SN-CH / QL-ETH: combined = queues % 5.
struct set_channels {
    static constexpr std::string_view name = "set_channels";
    device_ref device;
    std::uint8_t combined = 0;
    bool ioctl = false;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("combined", self.combined);
        v("ioctl", self.ioctl);
    }
    friend bool operator==(const set_channels&, const set_channels&) = default;
};

// SN-HDS-03.
struct set_rings {
    static constexpr std::string_view name = "set_rings";
    device_ref device;
    std::optional<model::tcp_data_split> data_split;
    std::optional<std::uint8_t> hds_thresh;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("data_split", self.data_split);
        v("hds_thresh", self.hds_thresh);
    }
    friend bool operator==(const set_rings&, const set_rings&) = default;
};

// SN-XDP-01 / QL-XSK-07: no verdict detaches.
struct attach_xdp {
    static constexpr std::string_view name = "attach_xdp";
    device_ref device;
    std::optional<model::xdp_verdict> verdict;
    bool multi_buffer = false;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("verdict", self.verdict);
        v("multi_buffer", self.multi_buffer);
    }
    friend bool operator==(const attach_xdp&, const attach_xdp&) = default;
};

// QL-MP-09: an io_uring zero-copy receiver on (device, queue % 4); with
// `on_netkit` the device resolves among netkit devices only.
struct zcrx_open {
    static constexpr std::string_view name = "zcrx_open";
    device_ref device;
    std::uint8_t queue = 0;
    bool on_netkit = false;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("queue", self.queue);
        v("on_netkit", self.on_netkit);
    }
    friend bool operator==(const zcrx_open&, const zcrx_open&) = default;
};

// QL-DMA-02: devmem bind-rx on one or two queues.
struct bind_rx {
    static constexpr std::string_view name = "bind_rx";
    device_ref device;
    std::uint8_t queue = 0;
    std::optional<std::uint8_t> second_queue;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("queue", self.queue);
        v("second_queue", self.second_queue);
    }
    friend bool operator==(const bind_rx&, const bind_rx&) = default;
};

// A consumer (the `consumer`-th live area) exits (QL-MP-08).
struct consumer_close {
    static constexpr std::string_view name = "consumer_close";
    std::uint8_t consumer = 0;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("consumer", self.consumer);
    }
    friend bool operator==(const consumer_close&, const consumer_close&) = default;
};

// The user takes one filled buffer (take) or gives one back (refill).
struct consumer_buffers {
    static constexpr std::string_view name = "consumer_buffers";
    std::uint8_t consumer = 0;
    bool take = true;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("consumer", self.consumer);
        v("take", self.take);
    }
    friend bool operator==(const consumer_buffers&, const consumer_buffers&) = default;
};

// QL-XSK-06: an AF_XDP socket on (device, queue % 4).
struct xsk_bind {
    static constexpr std::string_view name = "xsk_bind";
    device_ref device;
    std::uint8_t queue = 0;
    model::xsk_mode mode = model::xsk_mode::copy;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("queue", self.queue);
        v("mode", self.mode);
    }
    friend bool operator==(const xsk_bind&, const xsk_bind&) = default;
};

// QL-XSK-13: the `socket`-th socket closes.
struct xsk_close {
    static constexpr std::string_view name = "xsk_close";
    std::uint8_t socket = 0;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("socket", self.socket);
    }
    friend bool operator==(const xsk_close&, const xsk_close&) = default;
};

// SN-RX-01…03: a UDP frame of flow `flow` arrives at a NIC (RSS picks the
// queue) and, with `poll`, that queue is polled.
struct receive {
    static constexpr std::string_view name = "receive";
    device_ref device;  // among NICs
    std::uint8_t flow = 0;
    bool poll = true;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("flow", self.flow);
        v("poll", self.poll);
    }
    friend bool operator==(const receive&, const receive&) = default;
};

// SN-RST-04: queue_reset(queue % 4, mode % 5).
struct queue_reset {
    static constexpr std::string_view name = "queue_reset";
    device_ref device;  // among NICs
    std::uint8_t queue = 0;
    std::uint8_t mode = 0;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("queue", self.queue);
        v("mode", self.mode);
    }
    friend bool operator==(const queue_reset&, const queue_reset&) = default;
};

// SN-RST-06: fault injection, once or twice.
struct arm_fault {
    static constexpr std::string_view name = "arm_fault";
    device_ref device;  // among NICs
    model::fault_point point = model::fault_point::mem_alloc;
    fault_errno error = fault_errno::out_of_memory;
    bool twice = false;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("point", self.point);
        v("error", self.error);
        v("twice", self.twice);
    }
    friend bool operator==(const arm_fault&, const arm_fault&) = default;
};

// QL-CAN-02: a NIC detached (not present) or attached again.
struct set_present {
    static constexpr std::string_view name = "set_present";
    device_ref device;  // among NICs
    bool present = true;

    template <class Self, class Visitor>
    static void fields(Self& self, Visitor&& v) {
        v("device", self.device);
        v("present", self.present);
    }
    friend bool operator==(const set_present&, const set_present&) = default;
};

// The alphabet. The decoder's opcode is an index into this list, so new
// operations go at the end (seed corpora stay meaningful).
using operation = std::variant<create_pair, create_single, create_veth, delete_device, change_link, set_up, set_mtu,
                               set_mac, move_device, create_netns, delete_netns, load_program, close_descriptor,
                               prog_attach, prog_detach, prog_query, link_create, link_update, link_detach,
                               transmit_frame, set_rx_headroom, create_softnic, remove_softnic, create_lessee,
                               assign_netns_id, queue_create, queue_get, set_channels, set_rings, attach_xdp,
                               zcrx_open, bind_rx, consumer_close, consumer_buffers, xsk_bind, xsk_close, receive,
                               queue_reset, arm_fault, set_present>;

inline constexpr std::size_t operation_count = std::variant_size_v<operation>;

// Non-initial namespaces at most; create_netns beyond it is skipped.
inline constexpr std::size_t max_namespaces = 4;
// Registered NICs at most; create_softnic beyond it is skipped.
inline constexpr std::size_t max_softnics = 2;

// ------------------------------------------------------------- outcome

NETKIT_ENUM(outcome_kind, std::uint8_t, applied, refused, skipped)

// What a transmit did, for the counter conservation check.
struct transmit_record {
    core::device_handle sender;
    std::uint32_t length = 0;
    model::transmit_result result;

    friend bool operator==(const transmit_record&, const transmit_record&) = default;
};

struct outcome {
    outcome_kind kind = outcome_kind::applied;
    std::optional<core::errno_code> code;  // when refused
    bool partly_applied = false;           // refused, but the kernel kept part (NK-CHG-06)
    std::optional<transmit_record> transmitted;

    static outcome applied() { return outcome{}; }
    static outcome skipped() { return outcome{outcome_kind::skipped, std::nullopt, false, std::nullopt}; }
    static outcome refused(const core::error& e) {
        return outcome{outcome_kind::refused, e.code, e.partly_applied, std::nullopt};
    }
    template <class T>
    static outcome of(const core::result<T>& r) {
        return r.ok() ? applied() : refused(r.failure());
    }

    friend bool operator==(const outcome&, const outcome&) = default;
};

inline std::string to_string(const outcome& o) {
    switch (o.kind) {
        case outcome_kind::applied: return "ok";
        case outcome_kind::skipped: return "skipped";
        case outcome_kind::refused: {
            std::string out = "refused ";
            out += o.code ? std::string(core::kernel_name(*o.code)) : std::string("?");
            if (o.partly_applied) {
                out += " (partly applied)";
            }
            return out;
        }
    }
    return "?";
}

// ---------------------------------------------------- fields → codecs

namespace detail {

template <class T>
concept has_fields = requires(T& t) { T::fields(t, [](std::string_view, auto&) {}); };

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// Bytes past the end read as 0: every prefix of a valid input is valid.
class byte_reader {
  public:
    explicit byte_reader(std::span<const std::uint8_t> bytes) noexcept : bytes_(bytes) {}
    std::uint8_t next() noexcept { return at_ < bytes_.size() ? bytes_[at_++] : std::uint8_t{0}; }
    bool exhausted() const noexcept { return at_ >= bytes_.size(); }

  private:
    std::span<const std::uint8_t> bytes_;
    std::size_t at_ = 0;
};

template <class T>
void read_field(byte_reader& in, T& value) {
    if constexpr (std::is_same_v<T, bool>) {
        value = (in.next() & 1U) != 0;
    } else if constexpr (std::is_same_v<T, std::uint8_t>) {
        value = in.next();
    } else if constexpr (core::reflected_enum<T>) {
        value = core::enum_from_index<T>(in.next() % core::enum_count<T>);
    } else if constexpr (is_optional<T>::value) {
        if ((in.next() & 1U) != 0) {
            typename T::value_type inner{};
            read_field(in, inner);
            value = inner;
        } else {
            value.reset();
        }
    } else {
        static_assert(has_fields<T>, "an operation field needs a codec");
        T::fields(value, [&in](std::string_view, auto& field) { read_field(in, field); });
    }
}

template <class T>
void write_field(std::vector<std::uint8_t>& out, const T& value) {
    if constexpr (std::is_same_v<T, bool>) {
        out.push_back(value ? 1 : 0);
    } else if constexpr (std::is_same_v<T, std::uint8_t>) {
        out.push_back(value);
    } else if constexpr (core::reflected_enum<T>) {
        out.push_back(static_cast<std::uint8_t>(core::enum_index(value)));
    } else if constexpr (is_optional<T>::value) {
        out.push_back(value ? 1 : 0);
        if (value) {
            write_field(out, *value);
        }
    } else {
        T::fields(value, [&out](std::string_view, const auto& field) { write_field(out, field); });
    }
}

template <class T>
void print_field(std::string& out, const T& value) {
    if constexpr (std::is_same_v<T, bool>) {
        out += value ? "true" : "false";
    } else if constexpr (std::is_same_v<T, std::uint8_t>) {
        out += std::to_string(value);
    } else if constexpr (core::reflected_enum<T>) {
        out += core::enum_name(value);
    } else if constexpr (is_optional<T>::value) {
        print_field(out, *value);  // absent fields are not printed at all
    } else {
        out += "{";
        bool first = true;
        T::fields(value, [&](std::string_view field_name, const auto& field) {
            out += first ? "" : " ";
            first = false;
            out += field_name;
            out += "=";
            print_field(out, field);
        });
        out += "}";
    }
}

}  // namespace detail

// The `index`-th alternative with default fields (the last one for an
// index past the end): what the decoder and the generators start from.
template <std::size_t I = 0>
operation operation_from_index(std::size_t index) {
    if constexpr (I + 1 < operation_count) {
        if (index != I) {
            return operation_from_index<I + 1>(index);
        }
    }
    return operation{std::in_place_index<I>};
}

// "create_pair", "transmit", …
inline std::string_view name_of(const operation& op) {
    return std::visit([](const auto& o) { return std::decay_t<decltype(o)>::name; }, op);
}

// "prog_attach target={netns=0 index=2} type=netkit_peer program=1 …";
// absent optional fields are left out.
inline std::string to_string(const operation& op) {
    return std::visit(
        [](const auto& o) {
            using T = std::decay_t<decltype(o)>;
            std::string out(T::name);
            T::fields(o, [&out](std::string_view field_name, const auto& field) {
                using F = std::decay_t<decltype(field)>;
                if constexpr (detail::is_optional<F>::value) {
                    if (!field) {
                        return;
                    }
                }
                out += " ";
                out += field_name;
                out += "=";
                detail::print_field(out, field);
            });
            return out;
        },
        op);
}

inline std::string to_string(std::span<const operation> ops) {
    std::string out;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        out += "  ";
        out += std::to_string(i);
        out += ": ";
        out += to_string(ops[i]);
        out += "\n";
    }
    return out;
}

// One byte chooses the operation (modulo the alphabet), then each field
// reads its bytes in `fields` order: a reflected enum one byte modulo its
// count, a bool its low bit, an optional a presence bit and then its value.
// Reading stops when the bytes run out at an operation boundary; a
// truncated operation reads zeros. Never reads outside `bytes`.
inline std::vector<operation> decode_operations(std::span<const std::uint8_t> bytes) {
    std::vector<operation> out;
    detail::byte_reader in(bytes);
    while (!in.exhausted()) {
        operation op = operation_from_index(in.next() % operation_count);
        std::visit([&in](auto& o) { detail::read_field(in, o); }, op);
        out.push_back(std::move(op));
    }
    return out;
}

// The canonical bytes of `ops`: decode_operations(encode_operations(ops)) == ops.
inline std::vector<std::uint8_t> encode_operations(std::span<const operation> ops) {
    std::vector<std::uint8_t> out;
    for (const auto& op : ops) {
        out.push_back(static_cast<std::uint8_t>(op.index()));
        std::visit([&out](const auto& o) { detail::write_field(out, o); }, op);
    }
    return out;
}

// ----------------------------------------------------------- resolution

NETKIT_ENUM(device_filter, std::uint8_t, any, netkit, softnic)

inline std::vector<core::netns_handle> namespaces_of(const model::world_state& s) {
    std::vector<core::netns_handle> out;
    for (const auto& [handle, ns] : s.namespaces) {
        out.push_back(handle);
    }
    return out;
}

// The initial netns always exists, so this never fails.
inline core::netns_handle resolve_netns(const model::world_state& s, std::uint8_t index) {
    const auto position = static_cast<std::ptrdiff_t>(index % s.namespaces.size());
    return std::next(s.namespaces.begin(), position)->first;
}

inline std::optional<core::device_handle> resolve_device(const model::world_state& s, const device_ref& ref,
                                                         device_filter filter) {
    const model::netns& ns = model::state::namespace_of(s, resolve_netns(s, ref.netns));
    auto matches = [&s, filter](core::device_handle handle) {
        if (filter == device_filter::any) {
            return true;
        }
        const model::device& d = model::state::device_of(s, handle);
        return (filter == device_filter::netkit && d.is_netkit()) ||
               (filter == device_filter::softnic && d.is_softnic());
    };
    // One walk that keeps the first matches on the stack (a netns rarely
    // lists more); a second walk to the chosen one only beyond them.
    std::array<core::device_handle, 32> first{};
    std::size_t count = 0;
    for (const auto& entry : ns.by_index) {
        if (matches(entry.second)) {
            if (count < first.size()) {
                first[count] = entry.second;
            }
            ++count;
        }
    }
    if (count == 0) {
        return std::nullopt;
    }
    std::size_t wanted = ref.index % count;
    if (wanted < first.size()) {
        return first[wanted];
    }
    for (const auto& entry : ns.by_index) {
        if (matches(entry.second) && wanted-- == 0) {
            return entry.second;
        }
    }
    return std::nullopt;  // unreachable: `count` matches exist
}

inline std::vector<std::int32_t> descriptors_of(const model::world_state& s,
                                                std::optional<model::descriptor_kind> kind) {
    std::vector<std::int32_t> out;
    for (const auto& [fd, d] : s.descriptors) {
        if (!kind || d.kind == *kind) {
            out.push_back(fd);
        }
    }
    return out;
}

inline std::optional<std::int32_t> resolve_descriptor(const model::world_state& s, std::uint8_t index,
                                                      std::optional<model::descriptor_kind> kind) {
    // Count, then walk to the chosen one: no list built per operation.
    auto matches = [kind](const model::descriptor& d) { return !kind || d.kind == *kind; };
    std::size_t count = 0;
    for (const auto& entry : s.descriptors) {
        count += matches(entry.second) ? 1 : 0;
    }
    if (count == 0) {
        return std::nullopt;
    }
    std::size_t wanted = index % count;
    for (const auto& entry : s.descriptors) {
        if (matches(entry.second) && wanted-- == 0) {
            return entry.first;
        }
    }
    return std::nullopt;  // unreachable: `count` matches exist
}

namespace detail {

using uapi::bpf_attach_flag;
using uapi::bpf_attach_type;

inline std::uint32_t policy_value(policy_choice p) {
    switch (p) {
        case policy_choice::pass: return static_cast<std::uint32_t>(uapi::action::pass);
        case policy_choice::drop: return static_cast<std::uint32_t>(uapi::action::drop);
        case policy_choice::invalid_1: return 1;
        case policy_choice::invalid_7: return 7;
    }
    return 1;
}

inline std::uint32_t mode_value(mode_choice m) {
    return static_cast<std::uint32_t>(m == mode_choice::l2 ? uapi::mode::l2 : uapi::mode::l3);
}

inline std::uint32_t scrub_value(scrub_choice s) {
    return static_cast<std::uint32_t>(s == scrub_choice::none ? uapi::scrub::none : uapi::scrub::standard);
}

inline std::optional<std::string> name_value(const std::optional<name_choice>& n) {
    if (!n) {
        return std::nullopt;
    }
    switch (*n) {
        case name_choice::nka: return std::string("nka");
        case name_choice::nkb: return std::string("nkb");
        case name_choice::nkc: return std::string("nkc");
        case name_choice::template_nk: return std::string(uapi::default_name_template);
    }
    return std::nullopt;
}

inline std::uint32_t mtu_value(mtu_choice m) {
    switch (m) {
        case mtu_choice::zero: return 0;
        case mtu_choice::below_minimum: return uapi::min_mtu - 1;
        case mtu_choice::minimum: return uapi::min_mtu;
        case mtu_choice::standard: return uapi::default_mtu;
        case mtu_choice::jumbo: return 9000;
        case mtu_choice::maximum: return uapi::max_mtu;
        case mtu_choice::above_maximum: return uapi::max_mtu + 1;
    }
    return 0;
}

inline std::vector<std::uint8_t> mac_value(mac_choice m) {
    switch (m) {
        case mac_choice::unicast: return {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
        case mac_choice::zero: return {0, 0, 0, 0, 0, 0};
        case mac_choice::multicast: return {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
        case mac_choice::short_address: return {0x02, 0x00, 0x5e, 0x10, 0x00};
    }
    return {};
}

inline std::int32_t verdict_value(verdict_choice v) {
    switch (v) {
        case verdict_choice::next: return static_cast<std::int32_t>(uapi::action::next);
        case verdict_choice::pass: return static_cast<std::int32_t>(uapi::action::pass);
        case verdict_choice::drop: return static_cast<std::int32_t>(uapi::action::drop);
        case verdict_choice::redirect: return static_cast<std::int32_t>(uapi::action::redirect);
        case verdict_choice::unknown_1: return 1;
    }
    return 1;
}

inline std::uint32_t length_value(length_choice l) {
    switch (l) {
        case length_choice::empty: return 0;
        case length_choice::below_header: return uapi::ethernet_header_size - 1;
        case length_choice::header_only: return uapi::ethernet_header_size;
        case length_choice::minimum: return 60;
        case length_choice::standard: return 1514;
        case length_choice::jumbo: return 9014;
    }
    return 60;
}

inline bpf_attach_type attach_type_value(attach_type_choice t) {
    switch (t) {
        case attach_type_choice::netkit_primary: return bpf_attach_type::netkit_primary;
        case attach_type_choice::netkit_peer: return bpf_attach_type::netkit_peer;
        case attach_type_choice::tcx_ingress: return bpf_attach_type::tcx_ingress;
    }
    return bpf_attach_type::netkit_primary;
}

inline bpf_attach_flag flags_value(flag_choice f) {
    using F = bpf_attach_flag;
    switch (f) {
        case flag_choice::none: return F{};
        case flag_choice::before: return F::before;
        case flag_choice::after: return F::after;
        case flag_choice::replace: return F::replace;
        case flag_choice::before_id: return F::before | F::relative_id;
        case flag_choice::after_id: return F::after | F::relative_id;
        case flag_choice::before_link: return F::before | F::relative_link;
        case flag_choice::after_link: return F::after | F::relative_link;
        case flag_choice::before_link_id: return F::before | F::relative_link | F::relative_id;
        case flag_choice::after_link_id: return F::after | F::relative_link | F::relative_id;
        case flag_choice::replace_before: return F::replace | F::before;
        case flag_choice::replace_after: return F::replace | F::after;
        case flag_choice::id_only: return F::relative_id;
        case flag_choice::link_only: return F::relative_link;
    }
    return F{};
}

// Netkit attach types need a netkit device to be interesting; tcx takes any.
inline device_filter filter_for(attach_type_choice t) {
    return t == attach_type_choice::tcx_ingress ? device_filter::any : device_filter::netkit;
}

// What R is: the `index`-th object of the kind the flags name (MP-25/26);
// 0 when none is chosen or none exists.
inline std::uint32_t relative_value(const model::world_state& s, bpf_attach_flag flags,
                                    const std::optional<std::uint8_t>& index) {
    if (!index) {
        return 0;
    }
    const bool by_id = uapi::contains(flags, bpf_attach_flag::relative_id);
    if (uapi::contains(flags, bpf_attach_flag::relative_link)) {
        if (by_id) {
            if (s.links.empty()) {
                return 0;
            }
            auto it = s.links.begin();
            std::advance(it, static_cast<std::ptrdiff_t>(*index % s.links.size()));
            return it->first.value();
        }
        const auto fd = resolve_descriptor(s, *index, model::descriptor_kind::link);
        return fd ? static_cast<std::uint32_t>(*fd) : 0;
    }
    if (by_id) {
        if (s.programs.empty()) {
            return 0;
        }
        auto it = s.programs.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(*index % s.programs.size()));
        return it->first.value();
    }
    const auto fd = resolve_descriptor(s, *index, model::descriptor_kind::program);
    return fd ? static_cast<std::uint32_t>(*fd) : 0;
}

// The attach point an operation on (device, type) would reach, if any: the
// source of "the current revision".
inline const model::mprog::attach_point* point_for(const model::world_state& s, core::device_handle h,
                                                   attach_type_choice type) {
    const model::device& d = model::state::device_of(s, h);
    switch (type) {
        case attach_type_choice::tcx_ingress: return &d.tcx_ingress;
        case attach_type_choice::netkit_primary: return d.netkit ? &d.netkit->bundle : nullptr;
        case attach_type_choice::netkit_peer:
            if (d.netkit && d.netkit->peer) {
                const model::device& peer = model::state::device_of(s, *d.netkit->peer);
                return peer.netkit ? &peer.netkit->bundle : nullptr;
            }
            return nullptr;
    }
    return nullptr;
}

inline std::uint64_t revision_value(const model::world_state& s, core::device_handle h, attach_type_choice type,
                                    revision_choice r) {
    const auto* point = point_for(s, h, type);
    const std::uint64_t current = point != nullptr ? point->revision() : model::mprog::initial_revision;
    switch (r) {
        case revision_choice::any: return 0;
        case revision_choice::current: return current;
        case revision_choice::stale: return current + 1;
        case revision_choice::one: return 1;
    }
    return 0;
}

template <class World>
model::caller root_in(const World& w, core::device_handle h) {
    return model::world::root(w.at(h).netns);
}

inline model::link_request with_up_flag(model::link_request r, bool up) {
    if (up) {
        r.header.flags = static_cast<std::uint32_t>(uapi::interface_flag::up);
        r.header.change = static_cast<std::uint32_t>(uapi::interface_flag::up);
    }
    return r;
}

using model::requests::attr;
using uapi::netkit_attr;

template <class World>
outcome apply_one(World& w, const create_pair& o) {
    const auto ns = resolve_netns(w.state(), o.netns);
    std::vector<model::netkit_attribute> data{attr(netkit_attr::mode, mode_value(o.mode))};
    if (o.policy) {
        data.push_back(attr(netkit_attr::policy, policy_value(*o.policy)));
    }
    if (o.peer_policy) {
        data.push_back(attr(netkit_attr::peer_policy, policy_value(*o.peer_policy)));
    }
    if (o.scrub) {
        data.push_back(attr(netkit_attr::scrub, scrub_value(*o.scrub)));
    }
    if (o.peer_scrub) {
        data.push_back(attr(netkit_attr::peer_scrub, scrub_value(*o.peer_scrub)));
    }
    if (o.headroom) {
        data.push_back(attr(netkit_attr::headroom, *o.headroom));
    }
    // The descriptor exists only for the request: opened before and closed
    // after, so the world is as it was apart from what the request did.
    std::optional<std::int32_t> fd;
    if (o.peer_netns) {
        fd = w.open_netns(resolve_netns(w.state(), *o.peer_netns));
        model::peer_info peer;
        peer.attributes.net_ns_fd = static_cast<std::uint32_t>(*fd);
        data.push_back(model::requests::peer(std::move(peer)));
    }
    const auto request = model::requests::create_netkit(name_value(o.ifname), std::move(data));
    const auto r = w.new_link(model::world::root(ns), with_up_flag(request, o.up));
    if (fd) {
        (void)w.close(*fd);
    }
    return outcome::of(r);
}

template <class World>
outcome apply_one(World& w, const create_single& o) {
    const auto ns = resolve_netns(w.state(), o.netns);
    std::vector<model::netkit_attribute> data{
        attr(netkit_attr::mode, mode_value(o.mode)),
        attr(netkit_attr::pairing, static_cast<std::uint32_t>(uapi::pairing::single)),
    };
    if (o.extra) {
        switch (*o.extra) {
            case single_extra::policy_drop:
                data.push_back(attr(netkit_attr::policy, static_cast<std::uint32_t>(uapi::action::drop)));
                break;
            case single_extra::peer_policy:
                data.push_back(attr(netkit_attr::peer_policy, static_cast<std::uint32_t>(uapi::action::pass)));
                break;
            case single_extra::scrub:
                data.push_back(attr(netkit_attr::scrub, static_cast<std::uint32_t>(uapi::scrub::none)));
                break;
            case single_extra::peer_info: data.push_back(model::requests::peer(model::peer_info{})); break;
            case single_extra::headroom: data.push_back(attr(netkit_attr::headroom, 32)); break;
        }
    }
    const auto request = model::requests::create_netkit(name_value(o.ifname), std::move(data));
    const auto r = w.new_link(model::world::root(ns), with_up_flag(request, o.up));
    return outcome::of(r);
}

template <class World>
outcome apply_one(World& w, const create_veth& o) {
    const auto ns = resolve_netns(w.state(), o.netns);
    model::link_request r;
    r.message_flags = static_cast<std::uint16_t>(uapi::new_flag::create) |
                      static_cast<std::uint16_t>(uapi::new_flag::exclusive);
    model::link_info info;
    info.kind = std::string(uapi::veth_link_kind);
    std::optional<std::int32_t> fd;
    if (o.peer_netns) {
        fd = w.open_netns(resolve_netns(w.state(), *o.peer_netns));
        model::peer_info peer;
        peer.attributes.net_ns_fd = static_cast<std::uint32_t>(*fd);
        info.data = std::vector<model::netkit_attribute>{model::requests::peer(std::move(peer))};
    }
    r.linkinfo = std::move(info);
    const auto result = w.new_link(model::world::root(ns), with_up_flag(std::move(r), o.up));
    if (fd) {
        (void)w.close(*fd);
    }
    return outcome::of(result);
}

template <class World>
outcome apply_one(World& w, const delete_device& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::any);
    if (!h) {
        return outcome::skipped();
    }
    model::delete_request r;
    r.index = w.at(*h).ifindex;
    return outcome::of(w.delete_link(root_in(w, *h), r));
}

template <class World>
outcome apply_one(World& w, const change_link& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::netkit);
    if (!h) {
        return outcome::skipped();
    }
    std::vector<model::netkit_attribute> data;
    if (o.policy) {
        data.push_back(attr(netkit_attr::policy, policy_value(*o.policy)));
    }
    if (o.peer_policy) {
        data.push_back(attr(netkit_attr::peer_policy, policy_value(*o.peer_policy)));
    }
    if (o.forbidden) {
        switch (*o.forbidden) {
            case forbidden_attribute::mode: data.push_back(attr(netkit_attr::mode, 0)); break;
            case forbidden_attribute::scrub: data.push_back(attr(netkit_attr::scrub, 0)); break;
            case forbidden_attribute::peer_scrub: data.push_back(attr(netkit_attr::peer_scrub, 0)); break;
            case forbidden_attribute::peer_info: data.push_back(model::requests::peer(model::peer_info{})); break;
            case forbidden_attribute::headroom: data.push_back(attr(netkit_attr::headroom, 16)); break;
            case forbidden_attribute::tailroom: data.push_back(attr(netkit_attr::tailroom, 16)); break;
            case forbidden_attribute::pairing: data.push_back(attr(netkit_attr::pairing, 0)); break;
            case forbidden_attribute::primary: data.push_back(attr(netkit_attr::primary, 1)); break;
        }
    }
    const auto r = w.new_link(root_in(w, *h), model::requests::change_netkit(w.at(*h).name, std::move(data)));
    return outcome::of(r);
}

template <class World>
outcome apply_one(World& w, const set_up& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::any);
    if (!h) {
        return outcome::skipped();
    }
    if (o.via_setlink) {
        model::link_request r;
        r.header.index = w.at(*h).ifindex;
        r.header.flags = o.up ? static_cast<std::uint32_t>(uapi::interface_flag::up) : 0U;
        r.header.change = static_cast<std::uint32_t>(uapi::interface_flag::up);
        return outcome::of(w.set_link(root_in(w, *h), r));
    }
    if (o.up) {
        return outcome::of(w.open(*h));
    }
    w.close_device(*h);
    return outcome::applied();
}

template <class World>
outcome apply_one(World& w, const set_mtu& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::any);
    if (!h) {
        return outcome::skipped();
    }
    return outcome::of(w.set_mtu(*h, mtu_value(o.mtu)));
}

template <class World>
outcome apply_one(World& w, const set_mac& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::any);
    if (!h) {
        return outcome::skipped();
    }
    return outcome::of(w.set_mac(*h, mac_value(o.mac)));
}

template <class World>
outcome apply_one(World& w, const move_device& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::any);
    if (!h) {
        return outcome::skipped();
    }
    return outcome::of(w.move(*h, resolve_netns(w.state(), o.netns)));
}

template <class World>
outcome apply_one(World& w, const create_netns&) {
    if (w.state().namespaces.size() > max_namespaces) {
        return outcome::skipped();
    }
    (void)w.create_netns("ns" + std::to_string(w.state().next_netns));
    return outcome::applied();
}

template <class World>
outcome apply_one(World& w, const delete_netns& o) {
    return outcome::of(w.delete_netns(resolve_netns(w.state(), o.netns)));
}

template <class World>
outcome apply_one(World& w, const load_program& o) {
    model::script behaviour;
    behaviour.verdict = verdict_value(o.verdict);
    if (o.mark) {
        behaviour.set_mark = *o.mark;
    }
    if (o.redirect) {
        behaviour.redirect = model::redirect_target{1 + o.redirect->ifindex % 8, o.redirect->mode};
    }
    (void)w.load_program(model::bpf::program_spec{"p", std::move(behaviour), nullptr,
                                                  uapi::bpf_program_type::traffic_classifier, false});
    return outcome::applied();
}

template <class World>
outcome apply_one(World& w, const close_descriptor& o) {
    const auto fd = resolve_descriptor(w.state(), o.descriptor, std::nullopt);
    if (!fd) {
        return outcome::skipped();
    }
    return outcome::of(w.close(*fd));
}

template <class World>
outcome apply_one(World& w, const prog_attach& o) {
    const auto h = resolve_device(w.state(), o.target, filter_for(o.type));
    const auto program = resolve_descriptor(w.state(), o.program, model::descriptor_kind::program);
    if (!h || !program) {
        return outcome::skipped();
    }
    model::bpf::attach_args a;
    a.target_ifindex = w.at(*h).ifindex;
    a.type = attach_type_value(o.type);
    a.program_fd = *program;
    a.flags = flags_value(o.flags);
    a.replace_fd = resolve_descriptor(w.state(), o.replace, model::descriptor_kind::program).value_or(0);
    a.relative = relative_value(w.state(), a.flags, o.relative);
    a.expected_revision = revision_value(w.state(), *h, o.type, o.revision);
    return outcome::of(w.prog_attach(root_in(w, *h), a));
}

template <class World>
outcome apply_one(World& w, const prog_detach& o) {
    const auto h = resolve_device(w.state(), o.target, filter_for(o.type));
    if (!h) {
        return outcome::skipped();
    }
    model::bpf::detach_args a;
    a.target_ifindex = w.at(*h).ifindex;
    a.type = attach_type_value(o.type);
    if (o.program) {
        const auto program = resolve_descriptor(w.state(), *o.program, model::descriptor_kind::program);
        if (!program) {
            return outcome::skipped();
        }
        a.program_fd = *program;
    }
    a.flags = flags_value(o.flags);
    a.relative = relative_value(w.state(), a.flags, o.relative);
    a.expected_revision = revision_value(w.state(), *h, o.type, o.revision);
    return outcome::of(w.prog_detach(root_in(w, *h), a));
}

template <class World>
outcome apply_one(World& w, const prog_query& o) {
    const auto h = resolve_device(w.state(), o.target, filter_for(o.type));
    if (!h) {
        return outcome::skipped();
    }
    model::bpf::query_args a;
    a.target_ifindex = w.at(*h).ifindex;
    a.type = attach_type_value(o.type);
    a.request.count = o.count % 4U;
    return outcome::of(w.prog_query(root_in(w, *h), a).status);
}

template <class World>
outcome apply_one(World& w, const link_create& o) {
    const auto h = resolve_device(w.state(), o.target, filter_for(o.type));
    const auto program = resolve_descriptor(w.state(), o.program, model::descriptor_kind::program);
    if (!h || !program) {
        return outcome::skipped();
    }
    model::bpf::link_create_args a;
    a.program_fd = *program;
    a.target_ifindex = w.at(*h).ifindex;
    a.type = attach_type_value(o.type);
    a.flags = flags_value(o.flags);
    a.relative = relative_value(w.state(), a.flags, o.relative);
    a.expected_revision = revision_value(w.state(), *h, o.type, o.revision);
    return outcome::of(w.link_create(root_in(w, *h), a));
}

template <class World>
outcome apply_one(World& w, const link_update& o) {
    const auto link = resolve_descriptor(w.state(), o.link, model::descriptor_kind::link);
    const auto program = resolve_descriptor(w.state(), o.program, model::descriptor_kind::program);
    if (!link || !program) {
        return outcome::skipped();
    }
    std::optional<std::int32_t> expected;
    if (o.expected_old) {
        expected = resolve_descriptor(w.state(), *o.expected_old, model::descriptor_kind::program);
    }
    return outcome::of(w.link_update(*link, *program, expected));
}

template <class World>
outcome apply_one(World& w, const link_detach& o) {
    const auto link = resolve_descriptor(w.state(), o.link, model::descriptor_kind::link);
    if (!link) {
        return outcome::skipped();
    }
    return outcome::of(w.link_detach(*link));
}

template <class World>
outcome apply_one(World& w, const transmit_frame& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::netkit);
    if (!h) {
        return outcome::skipped();
    }
    const model::device& d = w.at(*h);
    model::mac_address destination = model::zero_mac;
    switch (o.destination) {
        case destination_choice::peer_address:
            destination = d.netkit->peer ? w.at(*d.netkit->peer).mac : model::zero_mac;
            break;
        case destination_choice::broadcast: destination = model::broadcast_mac; break;
        case destination_choice::multicast: destination = model::mac_address{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}; break;
        case destination_choice::own_address: destination = d.mac; break;
        case destination_choice::zero: destination = model::zero_mac; break;
    }
    const std::uint32_t length = length_value(o.length);
    const std::size_t payload = length > uapi::ethernet_header_size ? length - uapi::ethernet_header_size : 0;
    model::frame f = model::ethernet_frame(destination, d.mac, 0x0800, payload);
    f.bytes.resize(length);
    outcome out = outcome::applied();
    out.transmitted = transmit_record{*h, length, w.transmit(*h, std::move(f))};
    return out;
}

template <class World>
outcome apply_one(World& w, const set_rx_headroom& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::netkit);
    if (!h) {
        return outcome::skipped();
    }
    w.set_rx_headroom(*h, o.headroom ? std::int32_t{*o.headroom} : -1);
    return outcome::applied();
}


// ------------------------------------------------ software NIC and leasing

inline std::size_t softnic_count(const model::world_state& s) {
    return static_cast<std::size_t>(std::count_if(s.devices.begin(), s.devices.end(), [](const auto& entry) {
        return entry.second.is_softnic() && entry.second.state == model::registration::registered;
    }));
}

template <class World>
outcome apply_one(World& w, const create_softnic& o) {
    if (softnic_count(w.state()) >= max_softnics) {
        return outcome::skipped();
    }
    const auto config = o.preset == nic_preset::hwnic ? model::softnic_config::hwnic() : model::softnic_config::nsim();
    return outcome::of(
        w.create_softnic(model::softnic::spec{1, 1U + o.queues % 4U, config}, resolve_netns(w.state(), o.netns)));
}

template <class World>
outcome apply_one(World& w, const remove_softnic& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::softnic);
    if (!h) {
        return outcome::skipped();
    }
    return outcome::of(w.remove_softnic_port(*h));
}

template <class World>
outcome apply_one(World& w, const create_lessee& o) {
    const auto ns = resolve_netns(w.state(), o.netns);
    const std::uint32_t rx = 1U + o.rx_queues % 4U;
    model::link_request request;
    std::optional<std::int32_t> fd;
    if (o.single) {
        request = model::requests::netkit_single("nks%d", rx);
    } else {
        if (o.peer_netns) {
            fd = w.open_netns(resolve_netns(w.state(), *o.peer_netns));
        }
        request = model::requests::netkit_pair("nkl%d", "nkg%d", rx,
                                               fd ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(*fd))
                                                  : std::nullopt);
    }
    const auto r = w.new_link(model::world::root(ns), with_up_flag(std::move(request), o.up));
    if (fd) {
        (void)w.close(*fd);
    }
    return outcome::of(r);
}

template <class World>
outcome apply_one(World& w, const assign_netns_id& o) {
    const auto in = resolve_netns(w.state(), o.in);
    const auto of = resolve_netns(w.state(), o.of);
    const auto& table = w.namespace_at(in);
    if (table.id_of(of)) {
        return outcome::skipped();
    }
    std::int32_t id = 0;
    while (table.by_id(id)) {
        ++id;
    }
    return outcome::of(w.assign_netns_id(in, of, id));
}

template <class World>
outcome apply_one(World& w, const queue_create& o) {
    const auto v = resolve_device(w.state(), o.lessee, device_filter::any);
    const auto p = resolve_device(w.state(), o.lessor, o.any_lessor ? device_filter::any : device_filter::softnic);
    if (!v || !p) {
        return outcome::skipped();
    }
    const auto caller_ns = w.at(*v).netns;
    std::optional<std::int32_t> netns_id;
    if (o.netns_id) {
        netns_id = w.namespace_at(caller_ns).id_of(w.at(*p).netns).value_or(999);
    }
    return outcome::of(w.queue_create(
        model::world::root(caller_ns),
        model::lease::queue_create_request::rx(w.at(*v).ifindex, w.at(*p).ifindex, o.queue % 5U, netns_id)));
}

template <class World>
outcome apply_one(World& w, const queue_get& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::any);
    if (!h) {
        return outcome::skipped();
    }
    return outcome::of(w.queue_get(root_in(w, *h), w.at(*h).ifindex, o.queue % 5U,
                                   o.tx ? uapi::queue_type::tx : uapi::queue_type::rx));
}

template <class World>
outcome apply_one(World& w, const set_channels& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::any);
    if (!h) {
        return outcome::skipped();
    }
    model::links::channel_counts counts;
    counts.combined = o.combined % 5U;
    return outcome::of(w.ethtool_set_channels(
        *h, counts, o.ioctl ? model::softnic::channel_path::ioctl : model::softnic::channel_path::netlink));
}

template <class World>
outcome apply_one(World& w, const set_rings& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::any);
    if (!h) {
        return outcome::skipped();
    }
    model::softnic::ring_request r;
    r.data_split = o.data_split;
    if (o.hds_thresh) {
        r.hds_thresh = std::uint32_t{*o.hds_thresh} * 8U;  // up to 2040: above the maximum too
    }
    return outcome::of(w.ethtool_set_rings(*h, r));
}

template <class World>
outcome apply_one(World& w, const attach_xdp& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::any);
    if (!h) {
        return outcome::skipped();
    }
    std::optional<model::xdp_program> program;
    if (o.verdict) {
        program = model::xdp_program{*o.verdict, o.multi_buffer};
    }
    return outcome::of(w.attach_xdp(*h, program));
}

template <class World>
outcome apply_one(World& w, const zcrx_open& o) {
    const auto h = resolve_device(w.state(), o.device, o.on_netkit ? device_filter::netkit : device_filter::any);
    if (!h) {
        return outcome::skipped();
    }
    return outcome::of(w.zcrx_register(root_in(w, *h), w.at(*h).ifindex, o.queue % 4U, 4));
}

template <class World>
outcome apply_one(World& w, const bind_rx& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::any);
    if (!h) {
        return outcome::skipped();
    }
    std::vector<std::uint32_t> queues{o.queue % 4U};
    if (o.second_queue) {
        queues.push_back(*o.second_queue % 4U);
    }
    return outcome::of(w.bind_rx(root_in(w, *h), w.at(*h).ifindex, queues, 3, 4));
}

// The `index`-th area that is still mapped.
inline std::optional<std::uint32_t> resolve_area(const model::world_state& s, std::uint8_t index) {
    std::vector<std::uint32_t> live;
    for (const auto& [id, area] : s.areas) {
        if (area.mapped) {
            live.push_back(id);
        }
    }
    if (live.empty()) {
        return std::nullopt;
    }
    return live[index % live.size()];
}

template <class World>
outcome apply_one(World& w, const consumer_close& o) {
    const auto id = resolve_area(w.state(), o.consumer);
    if (!id) {
        return outcome::skipped();
    }
    return outcome::of(w.consumer_close(*id));
}

template <class World>
outcome apply_one(World& w, const consumer_buffers& o) {
    const auto id = resolve_area(w.state(), o.consumer);
    if (!id) {
        return outcome::skipped();
    }
    if (o.take) {
        return outcome::of(w.consumer_receive(*id, 1));
    }
    const auto& buffers = w.area(*id)->buffers;
    for (std::uint32_t b = 0; b < buffers.size(); ++b) {
        if (buffers[b].owner == model::buffer_owner::user) {
            return outcome::of(w.consumer_refill(*id, b));
        }
    }
    return outcome::skipped();
}

template <class World>
outcome apply_one(World& w, const xsk_bind& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::any);
    if (!h) {
        return outcome::skipped();
    }
    model::lease::xsk_options options;
    options.mode = o.mode;
    return outcome::of(w.xsk_bind(root_in(w, *h), w.at(*h).ifindex, o.queue % 4U, options));
}

template <class World>
outcome apply_one(World& w, const xsk_close& o) {
    const auto& sockets = w.state().sockets;
    if (sockets.empty()) {
        return outcome::skipped();
    }
    auto it = sockets.begin();
    std::advance(it, static_cast<std::ptrdiff_t>(o.socket % sockets.size()));
    return outcome::of(w.xsk_close(it->first));
}

// A UDP/IPv4 frame whose ports depend on `flow`, so RSS spreads flows.
inline model::frame flow_frame(std::uint8_t flow) {
    model::frame f = model::ethernet_frame(model::broadcast_mac, model::mac_address{0x02, 0, 0, 0, 0, 1}, 0x0800, 46);
    f.bytes[14 + 9] = 17;  // UDP
    const std::uint8_t addresses[8] = {10, 0, 0, 1, 10, 0, 0, 2};
    std::copy(std::begin(addresses), std::end(addresses), f.bytes.begin() + 14 + 12);
    f.bytes[34] = 0x30;
    f.bytes[35] = flow;  // source port 0x30xx
    f.bytes[36] = 0x10;
    f.bytes[37] = 0x00;  // destination port 4096
    return f;
}

template <class World>
outcome apply_one(World& w, const receive& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::softnic);
    if (!h) {
        return outcome::skipped();
    }
    const auto arrived = w.inject(*h, flow_frame(o.flow));
    if (!arrived || !o.poll || arrived.value().end != model::softnic::rx_end::queued) {
        return outcome::of(arrived);
    }
    return outcome::of(w.poll(*h, arrived.value().queue));
}

template <class World>
outcome apply_one(World& w, const queue_reset& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::softnic);
    if (!h) {
        return outcome::skipped();
    }
    return outcome::of(w.queue_reset(*h, o.queue % 4U, o.mode % 5U));
}

template <class World>
outcome apply_one(World& w, const arm_fault& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::softnic);
    if (!h) {
        return outcome::skipped();
    }
    const core::errno_code error = o.error == fault_errno::out_of_memory ? core::errno_code::out_of_memory
                                   : o.error == fault_errno::busy        ? core::errno_code::busy
                                                                         : core::errno_code::network_down;
    return outcome::of(w.arm_fault(*h, o.point, error, o.twice ? 2U : 1U));
}

template <class World>
outcome apply_one(World& w, const set_present& o) {
    const auto h = resolve_device(w.state(), o.device, device_filter::softnic);
    if (!h) {
        return outcome::skipped();
    }
    return outcome::of(w.set_present(*h, o.present));
}

}  // namespace detail

// ------------------------------------------------------------- prefixes

// A started hardware NIC with 4 queues and tcp-data-split enabled in the
// initial netns, a pair whose peer (3 RX queues) lives in netns 1, which
// names the initial netns as id 0, and a single device with 3 RX queues;
// each netkit device leases one NIC queue.
// In ifindex order, netns 0 then holds lo, eth0, the primary, the single
// device; netns 1 holds lo and the peer.
// A hardware NIC with 4 queues in the initial netns (eth0, the second device
// after lo), tcp-data-split enabled and up: what providers and leases need.
inline std::vector<operation> started_hwnic() {
    create_softnic nic;
    nic.queues = 3;
    nic.preset = nic_preset::hwnic;
    set_rings rings;
    rings.device = device_ref{0, 1};
    rings.data_split = model::tcp_data_split::enabled;
    return {nic, rings, set_up{device_ref{0, 1}, true, false}};
}

inline std::vector<operation> lease_prefix() {
    create_lessee pair;
    pair.rx_queues = 2;
    pair.peer_netns = 1;
    pair.up = true;
    create_lessee single;
    single.single = true;
    single.rx_queues = 2;
    single.up = true;
    // The peer leases eth0 queue 1 through netns id 0, the single device
    // queue 2 (both get virtual queue 1).
    queue_create lease_peer{device_ref{1, 1}, device_ref{0, 0}, 1, false, true};
    queue_create lease_single{device_ref{0, 3}, device_ref{0, 0}, 2, false, false};
    std::vector<operation> out{create_netns{}};
    const auto nic = started_hwnic();
    out.insert(out.end(), nic.begin(), nic.end());
    const operation rest[] = {pair,   set_up{device_ref{1, 1}, true, false}, assign_netns_id{1, 0}, single,
                              lease_peer, lease_single};
    out.insert(out.end(), std::begin(rest), std::end(rest));
    return out;
}

// The world lease_prefix() leaves (under the newest profile), built once:
// fuzz targets start each input from a copy instead of replaying the prefix
// (its steps are checked by the tests that run lease_prefix itself).
inline const model::world& lease_prefix_world();

// Runs `op` against `w` as a root caller in the netns of the device or
// namespace the operation names. A function object, not a function: an
// `operation` is a std::variant, so a call `apply(w, op)` would otherwise
// find std::apply by argument-dependent lookup and prefer it for a
// non-const or temporary `op`.
struct apply_function {
    // `World` is model::world, or anything with its operations
    // (netlink::wire_world drives the same alphabet through netlink bytes).
    template <class World>
    outcome operator()(World& w, const operation& op) const {
        return std::visit([&w](const auto& o) { return detail::apply_one(w, o); }, op);
    }
};
inline constexpr apply_function apply{};

inline const model::world& lease_prefix_world() {
    static const model::world built = [] {
        model::world w;
        for (const auto& op : lease_prefix()) {
            (void)apply(w, op);
        }
        return w;
    }();
    return built;
}

}  // namespace netkit::check
