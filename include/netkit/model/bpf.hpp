// The BPF syscall surface of the model for netkit and the tcx ingress hook
// (mprog.md): loading programs and closing descriptors (MP-05/06),
// BPF_PROG_ATTACH / BPF_PROG_DETACH / BPF_PROG_QUERY (MP-14…16, MP-19…21,
// MP-36, MP-47…51), BPF_LINK_CREATE / UPDATE / DETACH, link release and
// link info (MP-17, MP-54…60), and what a device's unregistration does to
// its attachments (MP-61/62). Target resolution ("dev fetch", MP-07…13)
// and the reference counts of programs and links live here; the ordering
// algorithm itself is the mprog engine of model/mprog.hpp.
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/result.hpp>
#include <netkit/model/caller.hpp>
#include <netkit/model/mprog.hpp>
#include <netkit/model/program.hpp>
#include <netkit/model/unconfirmed.hpp>
#include <netkit/model/world_state.hpp>
#include <netkit/uapi/bpf.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace netkit::model::bpf {

using core::errno_code;
using core::fail;
using uapi::bpf_attach_flag;
using uapi::bpf_attach_type;

// ------------------------------------------------------------ descriptors

struct program_spec {
    std::string name;
    script behaviour;
    std::shared_ptr<const program_function> function;  // overrides `behaviour` when set
    uapi::bpf_program_type type = uapi::bpf_program_type::traffic_classifier;
    bool offloaded = false;
};

// Loads a program; the caller gets a descriptor holding one reference.
inline std::int32_t load_program(world_state& w, program_spec spec) {
    program p;
    p.id = core::program_id{w.next_program++};
    p.type = spec.type;
    p.offloaded = spec.offloaded;
    p.name = std::move(spec.name);
    p.behaviour = std::move(spec.behaviour);
    p.function = std::move(spec.function);
    p.references = 1;
    const std::int32_t fd = state::lowest_free_descriptor(w);
    w.descriptors.emplace(fd, descriptor{descriptor_kind::program, p.id.value()});
    w.programs.emplace(p.id, std::move(p));
    return fd;
}

// Opens a descriptor on a netns (what IFLA_NET_NS_FD names).
inline std::int32_t open_netns(world_state& w, core::netns_handle ns) {
    const std::int32_t fd = state::lowest_free_descriptor(w);
    w.descriptors.emplace(fd, descriptor{descriptor_kind::netns, ns.value()});
    return fd;
}

namespace detail {

inline void drop_program_reference(world_state& w, core::program_id id) {
    auto it = w.programs.find(id);
    core::expects(it != w.programs.end() && it->second.references > 0, "program reference count underflow");
    if (--it->second.references == 0) {
        w.programs.erase(it);  // freed: its id no longer resolves (MP-46)
    }
}

inline void take_program_reference(world_state& w, core::program_id id) {
    auto it = w.programs.find(id);
    core::expects(it != w.programs.end(), "reference to a freed program");
    ++it->second.references;
}

}  // namespace detail

// ------------------------------------------------------------- resolution

// The engine's view of descriptors and ids (MP-06, MP-25/26).
struct world_resolver {
    const world_state& w;

    core::result<mprog::program_ref> program_by_fd(std::int32_t fd) const {
        const auto it = w.descriptors.find(fd);
        if (it == w.descriptors.end()) {
            return fail(errno_code::bad_descriptor);
        }
        if (it->second.kind != descriptor_kind::program) {
            return fail(errno_code::invalid);
        }
        return ref(core::program_id{it->second.object});
    }
    core::result<mprog::program_ref> program_by_id(std::uint32_t id) const {
        if (id == 0 || !w.programs.contains(core::program_id{id})) {
            return fail(errno_code::no_entry);
        }
        return ref(core::program_id{id});
    }
    core::result<mprog::link_ref> link_by_fd(std::int32_t fd) const {
        const auto it = w.descriptors.find(fd);
        if (it == w.descriptors.end()) {
            return fail(errno_code::bad_descriptor);
        }
        if (it->second.kind != descriptor_kind::link) {
            return fail(errno_code::invalid);
        }
        return link(core::link_id{it->second.object});
    }
    core::result<mprog::link_ref> link_by_id(std::uint32_t id) const {
        if (id == 0 || !w.links.contains(core::link_id{id})) {
            return fail(errno_code::no_entry);
        }
        return link(core::link_id{id});
    }

  private:
    mprog::program_ref ref(core::program_id id) const {
        const program& p = w.programs.at(id);
        return mprog::program_ref{id, static_cast<std::uint32_t>(p.type), p.offloaded};
    }
    mprog::link_ref link(core::link_id id) const {
        const bpf_link& l = w.links.at(id);
        return mprog::link_ref{id, ref(l.program)};
    }
};

// MP-06 for a descriptor that must be a SCHED_CLS program.
inline core::result<mprog::program_ref> traffic_classifier_by_fd(const world_state& w, std::int32_t fd) {
    auto p = world_resolver{w}.program_by_fd(fd);
    if (!p) {
        return p;
    }
    if (p.value().type != static_cast<std::uint32_t>(uapi::bpf_program_type::traffic_classifier)) {
        return fail(errno_code::invalid);
    }
    return p;
}

// ------------------------------------------------------------ dev fetch

struct target {
    core::device_handle device;  // whose attach point
    bool tcx = false;            // the tcx ingress hook (MP-64) instead of netkit's bundle

    friend bool operator==(const target&, const target&) = default;
};

// MP-07…13 (and MP-64 for tcx ingress).
inline core::result<target> dev_fetch(const world_state& w, const caller& c, std::int32_t ifindex,
                                      bpf_attach_type type) {
    if (type == bpf_attach_type::tcx_ingress) {
        const device* d = state::find_by_index(w, c.netns, ifindex);
        if (d == nullptr) {
            return fail(errno_code::no_device);
        }
        return target{d->handle, true};
    }
    if (type != bpf_attach_type::netkit_primary && type != bpf_attach_type::netkit_peer) {
        return fail(errno_code::invalid);  // MP-07 (tcx egress is not modelled)
    }
    const device* d = state::find_by_index(w, c.netns, ifindex);
    if (d == nullptr) {
        return fail(errno_code::no_device);  // MP-08
    }
    if (!d->is_netkit()) {
        return fail(errno_code::no_such_device_or_address);  // MP-09
    }
    if (!d->netkit->primary) {
        return fail(errno_code::access_denied);  // MP-10
    }
    if (d->netkit->single()) {
        return fail(errno_code::not_supported);  // MP-11
    }
    if (type == bpf_attach_type::netkit_peer) {
        if (!d->netkit->peer) {
            return fail(errno_code::no_device);  // MP-12
        }
        return target{*d->netkit->peer, false};  // MP-13
    }
    return target{d->handle, false};
}

inline mprog::attach_point& point_of(world_state& w, const target& t) {
    device& d = state::device_of(w, t.device);
    return t.tcx ? d.tcx_ingress : d.netkit->bundle;
}

// MP-14 (1): the attach types that map to SCHED_CLS.
inline bool sched_cls_attach_type(bpf_attach_type type) {
    return type == bpf_attach_type::tcx_ingress || type == bpf_attach_type::tcx_egress ||
           type == bpf_attach_type::netkit_primary || type == bpf_attach_type::netkit_peer;
}

inline bool flags_allowed(bpf_attach_flag flags) {
    return (flags & ~uapi::mprog_allowed_attach_flags) == bpf_attach_flag{};
}

// ------------------------------------------------------- BPF_PROG_ATTACH

struct attach_args {
    std::int32_t target_ifindex = 0;
    bpf_attach_type type = bpf_attach_type::netkit_primary;
    std::int32_t program_fd = 0;
    bpf_attach_flag flags{};
    std::int32_t replace_fd = 0;
    std::uint32_t relative = 0;  // relative_fd or relative_id
    std::uint64_t expected_revision = 0;
};

inline core::status prog_attach(world_state& w, const caller& c, const attach_args& a) {
    if (unconfirmed::bpf_attach_needs_capability && !c.net_admin_init) {
        return fail(errno_code::not_permitted);  // MP-18's alternative
    }
    // MP-14.
    if (!sched_cls_attach_type(a.type)) {
        return fail(errno_code::invalid);
    }
    if (!flags_allowed(a.flags)) {
        return fail(errno_code::invalid);
    }
    auto program = traffic_classifier_by_fd(w, a.program_fd);
    if (!program) {
        return program.failure();
    }
    // MP-19.
    auto t = dev_fetch(w, c, a.target_ifindex, a.type);
    if (!t) {
        return t.failure();
    }
    std::optional<mprog::program_ref> replace;
    if (uapi::contains(a.flags, bpf_attach_flag::replace)) {
        auto old = traffic_classifier_by_fd(w, a.replace_fd);
        if (!old) {
            return old.failure();
        }
        replace = old.value();
    }
    mprog::attach_point& point = point_of(w, t.value());
    // MP-34: a replaced opts program loses the reference its slot held.
    bool replaces_opts_slot = false;
    if (replace) {
        const auto index = point.index_of_program(replace->id);
        replaces_opts_slot = index && !point.slots()[*index].link_owned();
    }
    mprog::attach_request request{program.value(), core::link_id{0}, replace, a.flags, a.relative,
                                  a.expected_revision};
    if (auto s = mprog::attach(point, request, world_resolver{w}); !s) {
        return s;  // MP-20: nothing changed
    }
    detail::take_program_reference(w, program.value().id);
    if (replaces_opts_slot) {
        detail::drop_program_reference(w, replace->id);
    }
    return core::ok();
}

// ------------------------------------------------------- BPF_PROG_DETACH

struct detach_args {
    std::int32_t target_ifindex = 0;
    bpf_attach_type type = bpf_attach_type::netkit_primary;
    std::int32_t program_fd = 0;  // 0: detach by position
    bpf_attach_flag flags{};
    std::uint32_t relative = 0;
    std::uint64_t expected_revision = 0;
};

inline core::status prog_detach(world_state& w, const caller& c, const detach_args& a) {
    // MP-15.
    if (!flags_allowed(a.flags)) {
        return fail(errno_code::invalid);
    }
    std::optional<mprog::program_ref> program;
    if (a.program_fd != 0) {
        auto p = traffic_classifier_by_fd(w, a.program_fd);
        if (!p) {
            return p.failure();
        }
        program = p.value();
    } else if (!c.net_admin_init) {
        return fail(errno_code::not_permitted);
    }
    // MP-36.
    auto t = dev_fetch(w, c, a.target_ifindex, a.type);
    if (!t) {
        return t.failure();
    }
    mprog::attach_point& point = point_of(w, t.value());
    if (!point.active()) {
        return fail(errno_code::no_entry);
    }
    mprog::detach_request request{program, core::link_id{0}, a.flags, a.relative, a.expected_revision};
    auto removed = mprog::detach(point, request, world_resolver{w});
    if (!removed) {
        return removed.failure();
    }
    if (removed.value().link.value() == 0) {
        detail::drop_program_reference(w, removed.value().program);
    }
    return core::ok();
}

// -------------------------------------------------------- BPF_PROG_QUERY

struct query_args {
    std::int32_t target_ifindex = 0;
    bpf_attach_type type = bpf_attach_type::netkit_primary;
    // The flags, the caller's count and which user arrays are non-null.
    mprog::query_request request{0, 0, 8, true, false, true, false};
};

inline mprog::query_reply prog_query(world_state& w, const caller& c, const query_args& a) {
    // MP-16.
    if (!c.net_admin_init) {
        return mprog::query_reply{fail(errno_code::not_permitted), std::nullopt};
    }
    if (a.request.query_flags != 0 &&
        a.request.query_flags != static_cast<std::uint32_t>(uapi::bpf_query_flag::effective)) {
        return mprog::query_reply{fail(errno_code::invalid), std::nullopt};
    }
    auto t = dev_fetch(w, c, a.target_ifindex, a.type);
    if (!t) {
        return mprog::query_reply{t.failure(), std::nullopt};
    }
    return mprog::query(point_of(w, t.value()), a.request);
}

// ------------------------------------------------------------------ links

struct link_create_args {
    std::int32_t program_fd = 0;
    std::int32_t target_ifindex = 0;
    bpf_attach_type type = bpf_attach_type::netkit_primary;
    bpf_attach_flag flags{};
    std::uint32_t relative = 0;
    std::uint64_t expected_revision = 0;
};

// MP-17 / MP-54…56: returns the link's descriptor.
inline core::result<std::int32_t> link_create(world_state& w, const caller& c, const link_create_args& a) {
    if (unconfirmed::bpf_attach_needs_capability && !c.net_admin_init) {
        return fail(errno_code::not_permitted);  // MP-18's alternative
    }
    auto program = traffic_classifier_by_fd(w, a.program_fd);
    if (!program) {
        return program.failure();
    }
    if (!sched_cls_attach_type(a.type)) {
        return fail(errno_code::invalid);
    }
    auto t = dev_fetch(w, c, a.target_ifindex, a.type);
    if (!t) {
        return t.failure();
    }
    const core::link_id id{w.next_link++};
    mprog::attach_point& point = point_of(w, t.value());
    mprog::attach_request request{program.value(), id, std::nullopt, a.flags, a.relative, a.expected_revision};
    if (auto s = mprog::attach(point, request, world_resolver{w}); !s) {
        return s.failure();
    }
    bpf_link l;
    l.id = id;
    l.type = t.value().tcx ? uapi::bpf_link_type::tcx : uapi::bpf_link_type::netkit;
    l.attach_type = a.type;
    l.device = t.value().device;  // MP-55
    l.program = program.value().id;
    l.descriptors = 1;
    w.links.emplace(id, l);
    detail::take_program_reference(w, program.value().id);
    const std::int32_t fd = state::lowest_free_descriptor(w);
    w.descriptors.emplace(fd, descriptor{descriptor_kind::link, id.value()});
    return fd;
}

inline core::result<bpf_link*> link_by_descriptor(world_state& w, std::int32_t fd) {
    auto link = world_resolver{w}.link_by_fd(fd);  // MP-06: EBADF / EINVAL
    if (!link) {
        return link.failure();
    }
    return &w.links.at(link.value().id);
}

inline mprog::attach_point& point_of_link(world_state& w, const bpf_link& l) {
    device& d = state::device_of(w, *l.device);
    return l.type == uapi::bpf_link_type::tcx ? d.tcx_ingress : d.netkit->bundle;
}

// MP-57.
inline core::status link_update(world_state& w, std::int32_t link_fd, std::int32_t new_program_fd,
                                std::optional<std::int32_t> expected_old_program_fd = std::nullopt) {
    auto l = link_by_descriptor(w, link_fd);
    if (!l) {
        return l.failure();
    }
    auto program = world_resolver{w}.program_by_fd(new_program_fd);
    if (!program) {
        return program.failure();
    }
    bpf_link& link = *l.value();
    if (link.defunct()) {
        return fail(errno_code::link_severed);
    }
    if (expected_old_program_fd) {
        auto old = world_resolver{w}.program_by_fd(*expected_old_program_fd);
        if (!old) {
            return old.failure();
        }
        if (old.value().id != link.program) {
            return fail(errno_code::not_permitted);
        }
    }
    if (program.value().id == link.program) {
        return core::ok();
    }
    mprog::attach_point& point = point_of_link(w, link);
    if (!point.active()) {
        return fail(errno_code::no_entry);
    }
    const mprog::link_ref current{link.id, world_resolver{w}.program_by_id(link.program.value()).value()};
    if (auto s = mprog::replace_link_program(point, current, program.value()); !s) {
        return s;
    }
    detail::take_program_reference(w, program.value().id);
    detail::drop_program_reference(w, link.program);
    link.program = program.value().id;
    return core::ok();
}

// MP-58: always 0, also for a defunct link.
inline core::status link_detach(world_state& w, std::int32_t link_fd) {
    auto l = link_by_descriptor(w, link_fd);
    if (!l) {
        return l.failure();
    }
    bpf_link& link = *l.value();
    if (!link.defunct()) {
        (void)mprog::remove_link(point_of_link(w, link), link.id);
        link.device.reset();
    }
    return core::ok();
}

struct link_info_result {
    core::link_id id;
    uapi::bpf_link_type type = uapi::bpf_link_type::netkit;
    core::program_id program;
    std::int32_t ifindex = 0;
    uapi::bpf_attach_type attach_type = uapi::bpf_attach_type::netkit_primary;

    friend bool operator==(const link_info_result&, const link_info_result&) = default;
};

// MP-60.
inline core::result<link_info_result> link_info(world_state& w, std::int32_t link_fd) {
    auto l = link_by_descriptor(w, link_fd);
    if (!l) {
        return l.failure();
    }
    const bpf_link& link = *l.value();
    const std::int32_t ifindex = link.defunct() ? 0 : state::device_of(w, *link.device).ifindex;
    return link_info_result{link.id, link.type, link.program, ifindex, link.attach_type};
}

// Closing a descriptor: a program reference goes away; the last descriptor
// of a link releases it (MP-59).
inline core::status close_descriptor(world_state& w, std::int32_t fd) {
    const auto it = w.descriptors.find(fd);
    if (it == w.descriptors.end()) {
        return fail(errno_code::bad_descriptor);
    }
    const descriptor d = it->second;
    w.descriptors.erase(it);
    if (d.kind == descriptor_kind::program) {
        detail::drop_program_reference(w, core::program_id{d.object});
    } else if (d.kind == descriptor_kind::link) {
        bpf_link& link = w.links.at(core::link_id{d.object});
        if (--link.descriptors == 0) {
            if (!link.defunct()) {
                (void)mprog::remove_link(point_of_link(w, link), link.id);
            }
            const core::program_id program = link.program;
            w.links.erase(link.id);
            detail::drop_program_reference(w, program);
        }
    }
    return core::ok();
}

// MP-61: the device's attach points empty out; links become defunct; opts
// programs lose their reference. Nothing here can fail (MP-62).
inline void release_device(world_state& w, core::device_handle h) {
    device& d = state::device_of(w, h);
    std::vector<mprog::slot> removed;
    if (d.netkit) {
        for (const auto& s : mprog::release_all(d.netkit->bundle)) {
            removed.push_back(s);
        }
    }
    for (const auto& s : mprog::release_all(d.tcx_ingress)) {
        removed.push_back(s);
    }
    for (const auto& s : removed) {
        if (s.link.value() != 0) {
            w.links.at(s.link).device.reset();
        } else {
            detail::drop_program_reference(w, s.program);
        }
    }
}

}  // namespace netkit::model::bpf
