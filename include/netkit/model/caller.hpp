// The caller of an operation: its network namespace and the capabilities the
// spec checks (device.md NK-ENV-01). `net_admin_init` is CAP_NET_ADMIN in the
// initial user namespace (BPF query and detach-by-position, MP-15/16);
// `net_admin_in(ns)` is CAP_NET_ADMIN over the user namespace owning ns
// (rtnetlink requests, NK-CRT-19/10/21/22). The default caller is privileged
// everywhere, as the scenarios assume.
#pragma once

#include <netkit/core/ids.hpp>

#include <algorithm>
#include <optional>
#include <vector>

namespace netkit::model {

struct caller {
    core::netns_handle netns{0};
    bool net_admin_init = true;
    // nullopt: CAP_NET_ADMIN over every netns; otherwise exactly these.
    std::optional<std::vector<core::netns_handle>> admin_netns;

    bool net_admin_in(core::netns_handle ns) const {
        return !admin_netns || std::find(admin_netns->begin(), admin_netns->end(), ns) != admin_netns->end();
    }

    // A process inside `ns` that owns it (a container's root): admin there only.
    static caller contained_in(core::netns_handle ns) {
        return caller{ns, false, std::vector<core::netns_handle>{ns}};
    }
    // A process in `ns` without CAP_NET_ADMIN anywhere.
    static caller unprivileged_in(core::netns_handle ns) {
        return caller{ns, false, std::vector<core::netns_handle>{}};
    }

    friend bool operator==(const caller&, const caller&) = default;
};

}  // namespace netkit::model
