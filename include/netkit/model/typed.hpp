// The compile-time typed façade: netkit device configurations as types,
// settings the kernel would refuse rejected at compile time with a sentence
// naming the rule, and typed handles that offer only the operations their
// kind supports.
//
//   using pod_pair = typed::pair<typed::l2, typed::policy<uapi::action::drop>>;
//   auto pod = typed::create<pod_pair>(w, caller, "host0");   // result<handle<pod_pair>>
//   pod.value().attach(program_fd, typed::side::peer);
//
//   typed::single<typed::l3, typed::with_mac>  → does not compile:
//     "netkit NK-DRV-08: an L3 netkit device carries no MAC address"
//
// There is one implementation: a configuration is a constexpr value
// (netkit_config) that the rule predicates below judge both in the
// static_asserts of the typed façade and, through `violation_of`, for
// run-time configurations; creating a typed device builds the same
// link_request a netlink client would send (`request_of`) and hands it to
// world::new_link. props/model/typed.cpp checks, over random configurations,
// that the predicates and the world agree — so the two paths cannot drift.
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/result.hpp>
#include <netkit/model/caller.hpp>
#include <netkit/model/link_request.hpp>
#include <netkit/model/world.hpp>
#include <netkit/uapi/bpf.hpp>
#include <netkit/uapi/netkit.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace netkit::model::typed {

// A netkit configuration as a value: what IFLA_INFO_DATA (and the MAC
// attributes) of the creating request say. Structural, so it can be a
// template argument.
struct netkit_config {
    uapi::pairing pairing = uapi::pairing::pair;
    uapi::mode mode = uapi::mode::l3;
    bool sets_policy = false;
    uapi::action policy = uapi::action::pass;
    bool sets_peer_policy = false;
    uapi::action peer_policy = uapi::action::pass;
    bool sets_scrub = false;
    uapi::scrub scrub = uapi::scrub::standard;
    bool sets_peer_scrub = false;
    uapi::scrub peer_scrub = uapi::scrub::standard;
    std::uint16_t headroom = 0;
    std::uint16_t tailroom = 0;
    bool with_mac = false;  // the request carries a top-level IFLA_ADDRESS

    friend constexpr bool operator==(const netkit_config&, const netkit_config&) = default;
};

// The rules a configuration can break, each a predicate shared by the
// static_asserts and the run-time judge (newest profile).
namespace rules {

constexpr bool valid_policy(uapi::action a) { return a == uapi::action::pass || a == uapi::action::drop; }

// NK-DRV-04 / NK-DRV-05.
constexpr bool policy_out_of_range(const netkit_config& c) {
    return (c.sets_policy && !valid_policy(c.policy)) || (c.sets_peer_policy && !valid_policy(c.peer_policy));
}
// NK-DRV-08.
constexpr bool l3_with_mac(const netkit_config& c) { return c.mode != uapi::mode::l2 && c.with_mac; }
// NK-DRV-09: peer settings on a single device.
constexpr bool single_with_peer_settings(const netkit_config& c) {
    return c.pairing == uapi::pairing::single && (c.sets_peer_policy || c.sets_peer_scrub);
}
// NK-DRV-09: a single device's policy is PASS.
constexpr bool single_with_drop_policy(const netkit_config& c) {
    return c.pairing == uapi::pairing::single && c.sets_policy && c.policy != uapi::action::pass;
}
// NK-DRV-09 (newest profile): SCRUB on a single device.
constexpr bool single_with_scrub(const netkit_config& c) {
    return c.pairing == uapi::pairing::single && c.sets_scrub;
}

}  // namespace rules

struct violation {
    const char* rule;
    core::errno_code code;

    friend constexpr bool operator==(const violation& a, const violation& b) {
        return std::string_view(a.rule) == std::string_view(b.rule) && a.code == b.code;
    }
};

// The error the kernel returns for this configuration (newest profile), in
// the driver's checking order (NK-DRV-04/05 read first, then NK-DRV-08, -09).
constexpr std::optional<violation> violation_of(const netkit_config& c) {
    if (rules::policy_out_of_range(c)) {
        return violation{"NK-DRV-04", core::errno_code::invalid};
    }
    if (rules::l3_with_mac(c)) {
        return violation{"NK-DRV-08", core::errno_code::not_supported};
    }
    if (rules::single_with_peer_settings(c) || rules::single_with_drop_policy(c) || rules::single_with_scrub(c)) {
        return violation{"NK-DRV-09", core::errno_code::not_supported};
    }
    return std::nullopt;
}

// Run-time values a typed creation still takes (they are not part of the type).
struct runtime_settings {
    std::optional<std::string> peer_name = {};
    std::optional<core::netns_handle> peer_netns = {};  // via a netns descriptor in PEER_INFO
    std::vector<std::uint8_t> mac = {};                 // used when the config says with_mac
    std::optional<std::uint32_t> mtu = {};
    std::optional<std::uint32_t> rx_queues = {};
};

// The RTM_NEWLINK a netlink client would send for this configuration: the
// bridge from the typed façade to the one implementation.
inline link_request request_of(const netkit_config& c, std::optional<std::string> name,
                               const runtime_settings& runtime = {},
                               std::optional<std::int32_t> peer_netns_fd = std::nullopt) {
    using uapi::netkit_attr;
    std::vector<netkit_attribute> data;
    data.push_back(requests::attr(netkit_attr::mode, static_cast<std::uint32_t>(c.mode)));
    if (runtime.peer_name || peer_netns_fd) {
        peer_info info;
        info.attributes.ifname = runtime.peer_name;
        if (peer_netns_fd) {
            info.attributes.net_ns_fd = static_cast<std::uint32_t>(*peer_netns_fd);
        }
        info.attributes.num_rx_queues = runtime.rx_queues;
        data.push_back(requests::peer(info));
    }
    if (c.sets_scrub) {
        data.push_back(requests::attr(netkit_attr::scrub, static_cast<std::uint32_t>(c.scrub)));
    }
    if (c.sets_peer_scrub) {
        data.push_back(requests::attr(netkit_attr::peer_scrub, static_cast<std::uint32_t>(c.peer_scrub)));
    }
    if (c.sets_policy) {
        data.push_back(requests::attr(netkit_attr::policy, static_cast<std::uint32_t>(c.policy)));
    }
    if (c.sets_peer_policy) {
        data.push_back(requests::attr(netkit_attr::peer_policy, static_cast<std::uint32_t>(c.peer_policy)));
    }
    if (c.headroom != 0) {
        data.push_back(requests::attr(netkit_attr::headroom, c.headroom));
    }
    if (c.tailroom != 0) {
        data.push_back(requests::attr(netkit_attr::tailroom, c.tailroom));
    }
    if (c.pairing == uapi::pairing::single) {
        data.push_back(requests::attr(netkit_attr::pairing, static_cast<std::uint32_t>(c.pairing)));
    }
    link_request r = requests::create_netkit(std::move(name), std::move(data));
    if (c.with_mac) {
        r.attributes.address = runtime.mac;
    }
    r.attributes.mtu = runtime.mtu;
    r.attributes.num_rx_queues = runtime.rx_queues;
    return r;
}

// ------------------------------------------------------------- settings

// Each setting edits the configuration it is applied to.
struct l2 {
    static constexpr void apply(netkit_config& c) { c.mode = uapi::mode::l2; }
};
struct l3 {
    static constexpr void apply(netkit_config& c) { c.mode = uapi::mode::l3; }
};
template <uapi::action Action>
struct policy {
    static constexpr void apply(netkit_config& c) {
        c.sets_policy = true;
        c.policy = Action;
    }
};
template <uapi::action Action>
struct peer_policy {
    static constexpr void apply(netkit_config& c) {
        c.sets_peer_policy = true;
        c.peer_policy = Action;
    }
};
template <uapi::scrub Scrub>
struct scrub {
    static constexpr void apply(netkit_config& c) {
        c.sets_scrub = true;
        c.scrub = Scrub;
    }
};
template <uapi::scrub Scrub>
struct peer_scrub {
    static constexpr void apply(netkit_config& c) {
        c.sets_peer_scrub = true;
        c.peer_scrub = Scrub;
    }
};
template <std::uint16_t Bytes>
struct headroom {
    static constexpr void apply(netkit_config& c) { c.headroom = Bytes; }
};
template <std::uint16_t Bytes>
struct tailroom {
    static constexpr void apply(netkit_config& c) { c.tailroom = Bytes; }
};
// The creating request carries a MAC address (given at run time).
struct with_mac {
    static constexpr void apply(netkit_config& c) { c.with_mac = true; }
};

template <class Setting>
concept setting = requires(netkit_config& c) { Setting::apply(c); };

template <uapi::pairing Pairing, setting... Settings>
constexpr netkit_config make_config() {
    netkit_config c;
    c.pairing = Pairing;
    (Settings::apply(c), ...);
    return c;
}

// A configuration checked at compile time: the static_asserts use the same
// predicates as violation_of().
template <netkit_config Config>
struct checked {
    static_assert(!rules::policy_out_of_range(Config),
                  "netkit NK-DRV-04/05: a device policy is PASS or DROP, nothing else");
    static_assert(!rules::l3_with_mac(Config), "netkit NK-DRV-08: an L3 netkit device carries no MAC address");
    static_assert(!rules::single_with_peer_settings(Config),
                  "netkit NK-DRV-09: a single netkit device has no peer, so peer_policy and peer_scrub cannot be set");
    static_assert(!rules::single_with_drop_policy(Config),
                  "netkit NK-DRV-09: a single netkit device always has policy PASS");
    static_assert(!rules::single_with_scrub(Config),
                  "netkit NK-DRV-09: scrub cannot be set on a single netkit device");
    static constexpr netkit_config value = Config;
};

template <setting... Settings>
using pair = checked<make_config<uapi::pairing::pair, Settings...>()>;

template <setting... Settings>
using single = checked<make_config<uapi::pairing::single, Settings...>()>;

template <class T>
concept device_type = requires { T::value; } && std::is_same_v<std::remove_cv_t<decltype(T::value)>, netkit_config>;

// Which attach point of a pair (mprog.md MP-13).
enum class side : std::uint8_t { primary, peer };

constexpr uapi::bpf_attach_type attach_type_of(side which) {
    return which == side::primary ? uapi::bpf_attach_type::netkit_primary : uapi::bpf_attach_type::netkit_peer;
}

namespace detail {
template <class...>
inline constexpr bool always_false = false;
}  // namespace detail

// A created device of type Type, bound to the world it lives in. Operations
// the kind does not support do not compile.
template <device_type Type>
class handle {
  public:
    static constexpr netkit_config config = Type::value;
    static constexpr bool is_single = config.pairing == uapi::pairing::single;
    static constexpr bool is_l2 = config.mode == uapi::mode::l2;

    handle(world& w, core::device_handle primary, std::optional<core::device_handle> peer)
        : world_(&w), primary_(primary), peer_(peer) {}

    core::device_handle primary() const noexcept { return primary_; }

    core::device_handle peer() const {
        static_assert(!is_single, "netkit NK-SGL-01: a single netkit device has no peer");
        return *peer_;
    }

    std::int32_t ifindex() const { return world_->at(primary_).ifindex; }

    core::status up() {
        if (auto s = world_->open(primary_); !s) {
            return s;
        }
        if constexpr (!is_single) {
            return world_->open(*peer_);
        } else {
            return core::ok();
        }
    }

    core::status set_mac(const std::vector<std::uint8_t>& mac) {
        static_assert(is_l2, "netkit NK-RT-02: an L3 netkit device has no MAC address to set");
        return world_->set_mac(primary_, mac);
    }

    // NK-CHG-04: through the primary, pair devices only.
    core::status change_policy(uapi::action action, const caller& c = world::root()) {
        static_assert(!is_single, "netkit NK-CHG-04: the policy of a single netkit device cannot change");
        auto r = world_->new_link(c, requests::change_netkit(world_->at(primary_).name,
                                                              {requests::attr(uapi::netkit_attr::policy,
                                                                              static_cast<std::uint32_t>(action))}));
        if (!r) {
            return r.failure();
        }
        return core::ok();
    }

    // BPF_PROG_ATTACH on the primary's ifindex (MP-19).
    core::status attach(std::int32_t program_fd, side which = side::primary,
                        uapi::bpf_attach_flag flags = {}, std::uint32_t relative = 0,
                        const caller& c = world::root()) {
        static_assert(!is_single, "netkit MP-11: BPF programs cannot be attached to a single netkit device");
        bpf::attach_args a;
        a.target_ifindex = ifindex();
        a.type = attach_type_of(which);
        a.program_fd = program_fd;
        a.flags = flags;
        a.relative = relative;
        return world_->prog_attach(c, a);
    }

    // BPF_LINK_CREATE on the primary's ifindex (MP-54).
    core::result<std::int32_t> link(std::int32_t program_fd, side which = side::primary,
                                    const caller& c = world::root()) {
        static_assert(!is_single, "netkit MP-11: BPF links cannot be created on a single netkit device");
        return world_->link_create(c, bpf::link_create_args{program_fd, ifindex(), attach_type_of(which), {}, 0, 0});
    }

    transmit_result transmit(frame f, side from = side::primary) {
        if constexpr (is_single) {
            return world_->transmit(primary_, std::move(f));  // NK-XMIT-14: dropped
        } else {
            return world_->transmit(from == side::primary ? primary_ : *peer_, std::move(f));
        }
    }

    core::status destroy(const caller& c = world::root()) {
        return world_->delete_link(c, delete_request{ifindex(), std::nullopt, std::nullopt});
    }

  private:
    world* world_;
    core::device_handle primary_;
    std::optional<core::device_handle> peer_;
};

// Creates a device of type Type: the same request a netlink client would
// send, through the same world::new_link.
template <device_type Type>
core::result<handle<Type>> create(world& w, const caller& c, std::optional<std::string> name,
                                  const runtime_settings& runtime = {}) {
    std::optional<std::int32_t> fd;
    if (runtime.peer_netns) {
        fd = w.open_netns(*runtime.peer_netns);
    }
    auto out = w.new_link(c, request_of(Type::value, std::move(name), runtime, fd));
    if (fd) {
        (void)w.close(*fd);
    }
    if (!out) {
        return out.failure();
    }
    return handle<Type>(w, out.value().device, out.value().peer);
}

}  // namespace netkit::model::typed
