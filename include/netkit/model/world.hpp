// The world: the model of a Linux 7.1 machine's netkit, BPF and netns state
// as a value — copyable, comparable, hashable — with the kernel's operations
// as member functions that answer as the kernel does (errno, extack,
// offending attribute) and change the world exactly as the kernel would.
//
// Every mutating operation runs on a scratch copy and is committed only on
// success, so a refused operation changes nothing — except where the kernel
// itself keeps part of a failed request (device.md NK-CHG-06, the generic
// link-change path); such errors say so (`error::partly_applied`) and their
// partial effect is committed. The copy shares every table of the state
// (core::cow_map): it costs a reference count per table, and the operation
// copies only the tables and elements it writes; the packet path (transmit)
// works in place.
#pragma once

#include <netkit/core/ids.hpp>
#include <netkit/core/kernel_profile.hpp>
#include <netkit/core/result.hpp>
#include <netkit/model/bpf.hpp>
#include <netkit/model/caller.hpp>
#include <netkit/model/link_request.hpp>
#include <netkit/model/lease.hpp>
#include <netkit/model/links.hpp>
#include <netkit/model/softnic.hpp>
#include <netkit/model/transmit.hpp>
#include <netkit/model/world_state.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netkit::packet::detail {
struct path_access;
}

namespace netkit::model {

// The key to world::data_path: only the packet path (packet/path.hpp) can
// make one, so no other code runs steps on the world's state in place.
class data_path_key {
    friend struct netkit::packet::detail::path_access;
    data_path_key() = default;
};

class world {
  public:
    explicit world(const core::profile_traits& profile = core::profiles::newest::traits)
        : state_(state::make_world(profile)) {}

    template <core::kernel_profile Profile>
    static world with_profile() {
        return world(Profile::traits);
    }

    const world_state& state() const noexcept { return state_; }
    const core::profile_traits& profile() const noexcept { return state_.profile; }

    // ------------------------------------------------------- environment
    static core::netns_handle initial_netns() noexcept { return state::initial_netns; }
    // A caller privileged everywhere, in `ns` (NK-ENV-01).
    static caller root(core::netns_handle ns = state::initial_netns) { return caller{ns, true, std::nullopt}; }

    core::netns_handle create_netns(std::string name) { return state::create_netns(state_, std::move(name)); }
    core::status delete_netns(core::netns_handle ns) {
        return transact([&](world_state& s) { return links::delete_netns(s, ns); });
    }
    // NK-ENV-05: the environment names `of` as `id` inside `in`.
    core::status assign_netns_id(core::netns_handle in, core::netns_handle of, std::int32_t id) {
        return transact([&](world_state& s) -> core::status {
            if (!s.namespaces.contains(in) || !s.namespaces.contains(of) || id < 0) {
                return core::fail(core::errno_code::invalid);
            }
            netns& n = state::namespace_of(s, in);
            if (n.id_of(of) || n.by_id(id)) {
                return core::fail(core::errno_code::exists);
            }
            n.ids.emplace(of, id);
            return core::ok();
        });
    }
    // A process `pid` living in `ns`, for IFLA_NET_NS_PID.
    void add_process(std::int32_t pid, core::netns_handle ns) { state_.processes[pid] = ns; }
    // A descriptor for `ns`, for IFLA_NET_NS_FD.
    std::int32_t open_netns(core::netns_handle ns) { return bpf::open_netns(state_, ns); }
    core::status close(std::int32_t fd) {
        return transact([&](world_state& s) { return bpf::close_descriptor(s, fd); });
    }
    // The local receive backlog accepts `frames` more frames (NK-XMIT-11).
    void limit_backlog(std::optional<std::uint64_t> frames) { state_.backlog_capacity = frames; }

    // ----------------------------------------------------------- lookups
    const device* find(core::netns_handle ns, std::int32_t ifindex) const {
        return state::find_by_index(state_, ns, ifindex);
    }
    const device* find(core::netns_handle ns, std::string_view name) const {
        return state::find_by_name(state_, ns, name);
    }
    const device& at(core::device_handle h) const { return state::device_of(state_, h); }
    const netns& namespace_at(core::netns_handle ns) const { return state::namespace_of(state_, ns); }
    std::vector<core::device_handle> devices_in(core::netns_handle ns) const {
        std::vector<core::device_handle> out;
        for (const auto& [index, handle] : namespace_at(ns).by_index) {
            out.push_back(handle);
        }
        return out;
    }
    const program* find_program(core::program_id id) const {
        const auto it = state_.programs.find(id);
        return it == state_.programs.end() ? nullptr : &it->second;
    }
    // The program a descriptor refers to.
    const program* program_at(std::int32_t fd) const {
        const auto it = state_.descriptors.find(fd);
        if (it == state_.descriptors.end() || it->second.kind != descriptor_kind::program) {
            return nullptr;
        }
        return find_program(core::program_id{it->second.object});
    }

    // --------------------------------------------------------- rtnetlink
    core::result<links::new_link_outcome> new_link(const caller& c, const link_request& r) {
        return transact([&](world_state& s) { return links::new_link(s, c, r); });
    }
    core::status set_link(const caller& c, const link_request& r) {
        return transact([&](world_state& s) { return links::set_link(s, c, r); });
    }
    core::status delete_link(const caller& c, const delete_request& r) {
        return transact([&](world_state& s) { return links::delete_link(s, c, r); });
    }
    // RTM_GETLINK do. May allocate netns ids in the caller's table (NK-DUMP-04).
    core::result<links::link_dump> get_link(const caller& c, std::int32_t index,
                                            std::optional<std::string> name = std::nullopt,
                                            std::optional<std::int32_t> target_netnsid = std::nullopt) {
        return transact([&](world_state& s) { return links::get_link(s, c, index, name, target_netnsid); });
    }
    // RTM_GETLINK dump of the caller's netns, in ifindex order.
    std::vector<links::link_dump> dump_links(const caller& c) {
        std::vector<links::link_dump> out;
        for (const auto h : devices_in(c.netns)) {
            out.push_back(links::dump_device(state_, h, c.netns));
        }
        return out;
    }

    // Typed shortcuts for the generic changes (no netlink request needed).
    core::status open(core::device_handle h) {
        return transact([&](world_state& s) { return links::open_device(s, h); });
    }
    void close_device(core::device_handle h) { links::close_device(state_, h); }
    core::status set_mtu(core::device_handle h, std::uint32_t mtu) {
        return transact([&](world_state& s) { return links::set_mtu(s, h, mtu); });
    }
    core::status set_mac(core::device_handle h, const std::vector<std::uint8_t>& mac) {
        return transact([&](world_state& s) { return links::set_mac(s, h, mac); });
    }
    core::status move(core::device_handle h, core::netns_handle to) {
        return transact([&](world_state& s) { return links::move_device(s, h, to); });
    }
    void set_rx_headroom(core::device_handle h, std::int32_t headroom) {
        links::set_rx_headroom(state_, h, headroom);
    }

    // ethtool and rx-mode (NK-FEAT-04/05, NK-RT-06); holders (NK-DEL-07).
    core::result<std::string> ethtool_driver_name(core::device_handle h) const {
        return links::ethtool_driver_name(state_, h);
    }
    // ethtool channels: netkit refuses (NK-RT-06), a softnic follows
    // softnic.md SN-CH and lease.md QL-ETH.
    core::status ethtool_set_channels(core::device_handle h, const links::channel_counts& counts,
                                      softnic::channel_path path = softnic::channel_path::netlink) {
        return transact([&](world_state& s) { return softnic::set_channels(s, h, counts, path); });
    }
    core::result<softnic::channel_info> ethtool_get_channels(core::device_handle h) const {
        return softnic::get_channels(state_, h);
    }
    core::status set_rx_mode(core::device_handle h, bool promiscuous) {
        return transact([&](world_state& s) { return links::set_rx_mode(s, h, promiscuous); });
    }
    void hold(core::device_handle h) { links::hold_device(state_, h); }
    void release_hold(core::device_handle h) { links::release_device_hold(state_, h); }

    // --------------------------------------------------------------- BPF
    std::int32_t load_program(bpf::program_spec spec) { return bpf::load_program(state_, std::move(spec)); }
    core::status prog_attach(const caller& c, const bpf::attach_args& a) {
        return transact([&](world_state& s) { return bpf::prog_attach(s, c, a); });
    }
    core::status prog_detach(const caller& c, const bpf::detach_args& a) {
        return transact([&](world_state& s) { return bpf::prog_detach(s, c, a); });
    }
    mprog::query_reply prog_query(const caller& c, const bpf::query_args& a) {
        return bpf::prog_query(state_, c, a);
    }
    core::result<std::int32_t> link_create(const caller& c, const bpf::link_create_args& a) {
        return transact([&](world_state& s) { return bpf::link_create(s, c, a); });
    }
    core::status link_update(std::int32_t link_fd, std::int32_t program_fd,
                             std::optional<std::int32_t> expected_old_program_fd = std::nullopt) {
        return transact(
            [&](world_state& s) { return bpf::link_update(s, link_fd, program_fd, expected_old_program_fd); });
    }
    core::status link_detach(std::int32_t link_fd) {
        return transact([&](world_state& s) { return bpf::link_detach(s, link_fd); });
    }
    core::result<bpf::link_info_result> link_info(std::int32_t link_fd) {
        return bpf::link_info(state_, link_fd);
    }

    // ------------------------------------------------------ software NIC
    // softnic.md SN-GEN-02: the NIC's port devices, in `ns`.
    core::result<std::vector<core::device_handle>> create_softnic(const softnic::spec& spec,
                                                                  core::netns_handle ns = state::initial_netns) {
        return transact([&](world_state& s) { return softnic::create(s, ns, spec); });
    }
    // SN-GEN-03: remove one port, or every port of a NIC.
    core::status remove_softnic_port(core::device_handle h) {
        return transact([&](world_state& s) { return softnic::remove_port(s, h); });
    }
    core::status remove_softnic(std::uint32_t bus_id) {
        return transact([&](world_state& s) { return softnic::remove(s, bus_id); });
    }
    core::status set_present(core::device_handle h, bool present) {
        return transact([&](world_state& s) { return softnic::set_present(s, h, present); });
    }
    core::result<softnic::ring_info> ethtool_get_rings(core::device_handle h) const {
        return softnic::get_rings(state_, h);
    }
    core::status ethtool_set_rings(core::device_handle h, const softnic::ring_request& r) {
        return transact([&](world_state& s) { return softnic::set_rings(s, h, r); });
    }
    core::status attach_xdp(core::device_handle h, std::optional<xdp_program> program) {
        return transact([&](world_state& s) { return softnic::attach_xdp(s, h, program); });
    }
    core::status queue_reset(core::device_handle h, std::uint32_t queue, std::uint32_t mode) {
        return transact([&](world_state& s) { return softnic::queue_reset(s, h, queue, mode); });
    }
    // Fault injection is part of the world (SN-RST-06).
    core::status arm_fault(core::device_handle h, fault_point point, core::errno_code error, std::uint32_t times = 1) {
        return transact([&](world_state& s) { return softnic::arm_fault(s, h, point, error, times); });
    }
    core::status set_rss_key(core::device_handle h, const std::vector<std::uint8_t>& key) {
        return transact([&](world_state& s) { return softnic::set_rss_key(s, h, key); });
    }
    core::status set_rss_hash_function(core::device_handle h, softnic::hash_function f) {
        return transact([&](world_state& s) { return softnic::set_hash_function(s, h, f); });
    }
    core::status set_rss_indirection(core::device_handle h, const std::vector<std::uint32_t>& table) {
        return transact([&](world_state& s) { return softnic::set_indirection(s, h, table); });
    }
    core::status set_rss_fields(core::device_handle h, const rss_fields& fields) {
        return transact([&](world_state& s) { return softnic::set_rss_fields(s, h, fields); });
    }
    core::status link_softnics(core::device_handle a, core::device_handle b) {
        return transact([&](world_state& s) { return softnic::link_peers(s, a, b); });
    }
    // The wire delivers a frame to the NIC (SN-RX-01); a poll processes a queue.
    core::result<softnic::rx_outcome> inject(core::device_handle h, frame f) {
        return transact([&](world_state& s) { return softnic::inject(s, h, std::move(f)); });
    }
    core::result<std::vector<softnic::rx_outcome>> poll(core::device_handle h, std::uint32_t queue) {
        return transact([&](world_state& s) { return softnic::poll(s, h, queue); });
    }
    core::result<softnic::rx_outcome> softnic_transmit(core::device_handle h, frame f, std::uint32_t tx_queue = 0) {
        return transact([&](world_state& s) { return softnic::transmit(s, h, std::move(f), tx_queue); });
    }

    // ------------------------------------------------------------ leasing
    // netdev QUEUE_CREATE (lease.md §3). Returns the new queue's index.
    core::result<std::uint32_t> queue_create(const caller& c, const lease::queue_create_request& r) {
        return transact([&](world_state& s) { return lease::queue_create(s, c, r); });
    }
    // netdev QUEUE_GET do and dump (§6); may allocate netns ids.
    core::result<lease::queue_info> queue_get(const caller& c, std::int32_t ifindex, std::uint32_t id,
                                              uapi::queue_type type = uapi::queue_type::rx) {
        return transact([&](world_state& s) { return lease::queue_get(s, c, ifindex, id, type); });
    }
    std::vector<lease::queue_info> queue_dump(const caller& c) { return lease::queue_dump(state_, c); }
    std::optional<std::uint32_t> dma_device(core::device_handle h, std::uint32_t queue,
                                            uapi::queue_type type = uapi::queue_type::rx) const {
        return lease::dma_device(state_, queue_ref{h, queue}, type);
    }
    // io_uring zero-copy receive (QL-MP-09); returns the area id.
    core::result<std::uint32_t> zcrx_register(const caller& c, std::int32_t ifindex, std::uint32_t queue,
                                              std::uint32_t buffers = 64, const lease::provider_options& o = {}) {
        return transact([&](world_state& s) { return lease::zcrx_register(s, c, ifindex, queue, buffers, o); });
    }
    // devmem (QL-DMA-02, QL-TX-01); returns the binding id.
    core::result<std::uint32_t> bind_rx(const caller& c, std::int32_t ifindex, const std::vector<std::uint32_t>& queues,
                                        std::int32_t dmabuf_fd, std::uint32_t buffers = 64) {
        return transact([&](world_state& s) { return lease::bind_rx(s, c, ifindex, queues, dmabuf_fd, buffers); });
    }
    core::result<std::uint32_t> bind_tx(const caller& c, std::int32_t ifindex, std::int32_t dmabuf_fd) {
        return transact([&](world_state& s) { return lease::bind_tx(s, c, ifindex, dmabuf_fd); });
    }
    // A consumer (area or binding) exits / hands buffers around.
    core::status consumer_close(std::uint32_t id) {
        return transact([&](world_state& s) { return lease::consumer_close(s, id); });
    }
    core::result<std::vector<std::uint32_t>> consumer_receive(std::uint32_t id, std::uint32_t count) {
        return transact([&](world_state& s) { return lease::consumer_receive(s, id, count); });
    }
    core::status consumer_refill(std::uint32_t id, std::uint32_t buffer_index) {
        return transact([&](world_state& s) { return lease::consumer_refill(s, id, buffer_index); });
    }
    const zero_copy_area* area(std::uint32_t id) const {
        const auto it = state_.areas.find(id);
        return it == state_.areas.end() ? nullptr : &it->second;
    }
    // AF_XDP (QL-XSK); returns the socket id.
    core::result<std::uint32_t> xsk_bind(const caller& c, std::int32_t ifindex, std::uint32_t queue,
                                         const lease::xsk_options& o = {}) {
        return transact([&](world_state& s) { return lease::xsk_bind(s, c, ifindex, queue, o); });
    }
    core::status xsk_close(std::uint32_t id) {
        return transact([&](world_state& s) { return lease::xsk_close(s, id); });
    }
    core::status xsk_wakeup(core::device_handle h, std::uint32_t queue) const {
        return lease::xsk_wakeup(state_, h, queue);
    }
    const xsk_socket* socket(std::uint32_t id) const {
        const auto it = state_.sockets.find(id);
        return it == state_.sockets.end() ? nullptr : &it->second;
    }
    // QL-XSK-11: would a frame received on (device, queue) reach the socket?
    core::status xsk_receive_check(std::uint32_t socket_id, core::device_handle device, std::uint32_t queue) const {
        const auto* s = socket(socket_id);
        if (s == nullptr) {
            return core::fail(core::errno_code::bad_descriptor);
        }
        return softnic::xsk_receive_check(state_, *s, queue_ref{device, queue});
    }

    // --------------------------------------------------------- data path
    transmit_result transmit(core::device_handle h, frame f) { return model::transmit(state_, h, std::move(f)); }
    // The batched receive path (packet/path.hpp) works in place too: it runs
    // only data-path steps that are refused before they change anything
    // (softnic::drop_before_ring, softnic::process_frame, model::transmit),
    // so it needs no scratch copy; control operations keep theirs.
    template <class Steps>
    auto data_path(data_path_key, Steps&& steps) -> decltype(steps(std::declval<world_state&>())) {
        return steps(state_);
    }

    friend bool operator==(const world&, const world&) = default;

  private:
    template <class Operation>
    auto transact(Operation&& operation) -> decltype(operation(std::declval<world_state&>())) {
        world_state scratch = state_;
        auto outcome = operation(scratch);
        if (outcome.ok() || outcome.failure().partly_applied) {
            state_ = std::move(scratch);
        }
        return outcome;
    }

    world_state state_;
};

}  // namespace netkit::model
