// A saved world as a journal: the model is deterministic (world.hpp: every
// operation answers and changes the world the same way every time), so a
// world is saved as the steps that built it — the kernel profile, the
// environment set-up (network namespaces, their ids, software NICs) and
// every netlink request applied, with the socket it went through — and
// loaded by replaying them. One invocation of nk_netlink saves, the next
// replays and continues, from another socket or another netns
// (docs/netlink-tool.md).
//
// The format is line-oriented text, one step a line, '#' starts a comment:
//
//   netkit-world 1
//   profile newest
//   netns blue
//   netns-id init blue 5                     (netns init names blue as 5)
//   nic init 4 hwnic                         (a one-port software NIC, 4 queues)
//   request protocol=route netns=init caller=root port=1 ext-ack=0 cap-ack=0
//           netdev-family=19 bytes=2c000000…   (one line; the bytes of one sendmsg, in hex)
//   check world-hash=0x…                     (optional, last: the world after the steps)
//
// `check` catches a model that changed since the journal was written: the
// replayed world then differs from the saved one.
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/kernel_profile.hpp>
#include <netkit/core/result.hpp>
#include <netkit/model/caller.hpp>
#include <netkit/model/hash.hpp>
#include <netkit/model/softnic.hpp>
#include <netkit/model/world.hpp>
#include <netkit/netlink/genl.hpp>
#include <netkit/netlink/socket.hpp>
#include <netkit/uapi/netlink.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace netkit::netlink::journal {

inline constexpr std::string_view magic = "netkit-world 1";

// The three callers a command line can ask for (model/caller.hpp).
enum class caller_kind : std::uint8_t {
    root,          // CAP_NET_ADMIN everywhere
    contained,     // admin over its own netns only
    unprivileged,  // no CAP_NET_ADMIN anywhere
};

constexpr std::string_view name(caller_kind c) noexcept {
    switch (c) {
        case caller_kind::root: return "root";
        case caller_kind::contained: return "contained";
        case caller_kind::unprivileged: return "unprivileged";
    }
    return "root";
}

// Everything about the socket a request went through.
struct socket_context {
    uapi::netlink_protocol protocol = uapi::netlink_protocol::route;
    std::string netns = "init";
    caller_kind caller = caller_kind::root;
    std::uint32_t port = 1;
    bool extended_ack = false;
    bool capped_ack = false;
    std::uint16_t netdev_family = uapi::genl_first_dynamic_id;

    friend bool operator==(const socket_context&, const socket_context&) = default;
};

struct netns_step {
    std::string name;
    friend bool operator==(const netns_step&, const netns_step&) = default;
};

// NK-ENV-05: netns `in` names netns `of` as `id`.
struct netns_id_step {
    std::string in;
    std::string of;
    std::int32_t id = 0;
    friend bool operator==(const netns_id_step&, const netns_id_step&) = default;
};

// softnic.md SN-GEN-02: one port named eth%d in `netns`.
struct nic_step {
    std::string netns = "init";
    std::uint32_t queues = 1;
    bool hardware = false;  // softnic_config::hwnic() instead of nsim()
    friend bool operator==(const nic_step&, const nic_step&) = default;
};

struct request_step {
    socket_context socket;
    std::vector<std::uint8_t> bytes;
    friend bool operator==(const request_step&, const request_step&) = default;
};

using step = std::variant<netns_step, netns_id_step, nic_step, request_step>;

struct journal {
    std::string profile = "newest";
    std::vector<step> steps;
    std::optional<std::uint64_t> world_hash;  // `check`: the world after every step

    friend bool operator==(const journal&, const journal&) = default;
};

// Netns names are single words so that a line splits on spaces.
inline bool valid_netns_name(std::string_view name) noexcept {
    if (name.empty() || name.size() > 64) {
        return false;
    }
    for (const char ch : name) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                        ch == '-' || ch == '_' || ch == '.';
        if (!ok) {
            return false;
        }
    }
    return true;
}

inline std::uint64_t world_hash(const model::world& w) { return static_cast<std::uint64_t>(model::hash_value(w)); }

// ------------------------------------------------------------------ text

namespace detail {

inline std::string hex_bytes(std::span<const std::uint8_t> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const std::uint8_t b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0xf]);
    }
    return out;
}

inline std::optional<std::vector<std::uint8_t>> parse_hex(std::string_view text) {
    if (text.size() % 2 != 0) {
        return std::nullopt;
    }
    auto digit = [](char ch) -> int {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        if (ch >= 'a' && ch <= 'f') {
            return ch - 'a' + 10;
        }
        if (ch >= 'A' && ch <= 'F') {
            return ch - 'A' + 10;
        }
        return -1;
    };
    std::vector<std::uint8_t> out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int hi = digit(text[i]);
        const int lo = digit(text[i + 1]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
    }
    return out;
}

// Decimal, or hex with 0x; the whole word, within [min, max].
inline std::optional<std::int64_t> parse_number(std::string_view text, std::int64_t min, std::int64_t max) {
    bool negative = false;
    if (!text.empty() && text.front() == '-') {
        negative = true;
        text.remove_prefix(1);
    }
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text.remove_prefix(2);
    }
    if (text.empty() || text.size() > 18) {
        return std::nullopt;
    }
    std::int64_t v = 0;
    for (const char ch : text) {
        int d = -1;
        if (ch >= '0' && ch <= '9') {
            d = ch - '0';
        } else if (base == 16 && ch >= 'a' && ch <= 'f') {
            d = ch - 'a' + 10;
        } else if (base == 16 && ch >= 'A' && ch <= 'F') {
            d = ch - 'A' + 10;
        }
        if (d < 0 || d >= base) {
            return std::nullopt;
        }
        v = v * base + d;
    }
    v = negative ? -v : v;
    if (v < min || v > max) {
        return std::nullopt;
    }
    return v;
}

inline std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t at = 0;
    while (at < line.size()) {
        while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) {
            ++at;
        }
        const std::size_t start = at;
        while (at < line.size() && line[at] != ' ' && line[at] != '\t') {
            ++at;
        }
        if (at > start) {
            out.push_back(line.substr(start, at - start));
        }
    }
    return out;
}

inline core::error at_line(std::size_t line, const std::string& what) {
    return core::fail(core::errno_code::invalid, "line " + std::to_string(line) + ": " + what);
}

inline core::result<request_step> parse_request(const std::vector<std::string_view>& w, std::size_t line) {
    request_step r;
    bool seen[8] = {};
    static constexpr std::string_view keys[8] = {"protocol", "netns",   "caller",        "port",
                                                 "ext-ack",  "cap-ack", "netdev-family", "bytes"};
    for (std::size_t i = 1; i < w.size(); ++i) {
        const auto eq = w[i].find('=');
        if (eq == std::string_view::npos) {
            return at_line(line, "expected key=value, found '" + std::string(w[i]) + "'");
        }
        const auto key = w[i].substr(0, eq);
        const auto value = w[i].substr(eq + 1);
        std::size_t k = 0;
        while (k < 8 && keys[k] != key) {
            ++k;
        }
        if (k == 8) {
            return at_line(line, "unknown request key '" + std::string(key) + "'");
        }
        if (seen[k]) {
            return at_line(line, "request key '" + std::string(key) + "' given twice");
        }
        seen[k] = true;
        auto flag = [&](bool& into) -> bool {
            if (value == "0" || value == "1") {
                into = value == "1";
                return true;
            }
            return false;
        };
        switch (k) {
            case 0:
                if (value == "route") {
                    r.socket.protocol = uapi::netlink_protocol::route;
                } else if (value == "generic") {
                    r.socket.protocol = uapi::netlink_protocol::generic;
                } else {
                    return at_line(line, "protocol must be route or generic");
                }
                break;
            case 1:
                if (!valid_netns_name(value)) {
                    return at_line(line, "bad netns name '" + std::string(value) + "'");
                }
                r.socket.netns = std::string(value);
                break;
            case 2:
                if (value == "root") {
                    r.socket.caller = caller_kind::root;
                } else if (value == "contained") {
                    r.socket.caller = caller_kind::contained;
                } else if (value == "unprivileged") {
                    r.socket.caller = caller_kind::unprivileged;
                } else {
                    return at_line(line, "caller must be root, contained or unprivileged");
                }
                break;
            case 3: {
                const auto n = parse_number(value, 0, 0xffffffffLL);
                if (!n) {
                    return at_line(line, "port must be a u32");
                }
                r.socket.port = static_cast<std::uint32_t>(*n);
                break;
            }
            case 4:
                if (!flag(r.socket.extended_ack)) {
                    return at_line(line, "ext-ack must be 0 or 1");
                }
                break;
            case 5:
                if (!flag(r.socket.capped_ack)) {
                    return at_line(line, "cap-ack must be 0 or 1");
                }
                break;
            case 6: {
                const auto n = parse_number(value, uapi::min_request_type, 0xffff);
                if (!n) {
                    return at_line(line, "netdev-family must be a message type (16…65535)");
                }
                r.socket.netdev_family = static_cast<std::uint16_t>(*n);
                break;
            }
            case 7: {
                auto bytes = parse_hex(value);
                if (!bytes) {
                    return at_line(line, "bytes must be an even number of hex digits");
                }
                r.bytes = std::move(*bytes);
                break;
            }
            default: break;
        }
    }
    for (std::size_t k = 0; k < 8; ++k) {
        if (!seen[k]) {
            return at_line(line, "request without " + std::string(keys[k]));
        }
    }
    return r;
}

}  // namespace detail

inline std::string format(const journal& j) {
    std::string out;
    out += "# netkit-model world (nk_netlink --save); load it with nk_netlink --world FILE\n";
    out += std::string(magic) + "\n";
    out += "profile " + j.profile + "\n";
    for (const step& s : j.steps) {
        if (const auto* n = std::get_if<netns_step>(&s)) {
            out += "netns " + n->name + "\n";
        } else if (const auto* i = std::get_if<netns_id_step>(&s)) {
            out += "netns-id " + i->in + " " + i->of + " " + std::to_string(i->id) + "\n";
        } else if (const auto* c = std::get_if<nic_step>(&s)) {
            out += "nic " + c->netns + " " + std::to_string(c->queues) + (c->hardware ? " hwnic" : " nsim") + "\n";
        } else if (const auto* r = std::get_if<request_step>(&s)) {
            const auto& k = r->socket;
            out += "request protocol=";
            out += k.protocol == uapi::netlink_protocol::route ? "route" : "generic";
            out += " netns=" + k.netns;
            out += " caller=" + std::string(name(k.caller));
            out += " port=" + std::to_string(k.port);
            out += std::string(" ext-ack=") + (k.extended_ack ? "1" : "0");
            out += std::string(" cap-ack=") + (k.capped_ack ? "1" : "0");
            out += " netdev-family=" + std::to_string(k.netdev_family);
            out += " bytes=" + detail::hex_bytes(r->bytes) + "\n";
        }
    }
    if (j.world_hash) {
        static constexpr char digits[] = "0123456789abcdef";
        std::string h;
        for (int shift = 60; shift >= 0; shift -= 4) {
            h += digits[(*j.world_hash >> shift) & 0xf];
        }
        out += "check world-hash=0x" + h + "\n";
    }
    return out;
}

// Reads a journal; a mistake is EINVAL with "line N: what".
inline core::result<journal> parse(std::string_view text) {
    journal j;
    std::size_t line_number = 0;
    bool magic_seen = false;
    bool profile_seen = false;
    bool check_seen = false;
    while (!text.empty()) {
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        ++line_number;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        const auto w = detail::words(line);
        if (w.empty() || w[0].front() == '#') {
            continue;
        }
        if (!magic_seen) {
            if (w.size() != 2 || w[0] != "netkit-world" || w[1] != "1") {
                return detail::at_line(line_number, "not a netkit-model world (expected '" + std::string(magic) + "')");
            }
            magic_seen = true;
            continue;
        }
        if (check_seen) {
            return detail::at_line(line_number, "nothing may follow 'check'");
        }
        if (!profile_seen) {
            if (w.size() != 2 || w[0] != "profile") {
                return detail::at_line(line_number, "expected 'profile NAME' after the first line");
            }
            if (!core::profile_from_name(w[1])) {
                return detail::at_line(line_number, "unknown profile '" + std::string(w[1]) + "'");
            }
            j.profile = std::string(w[1]);
            profile_seen = true;
            continue;
        }
        const auto keyword = w[0];
        if (keyword == "netns") {
            if (w.size() != 2 || !valid_netns_name(w[1])) {
                return detail::at_line(line_number, "expected 'netns NAME'");
            }
            j.steps.push_back(netns_step{std::string(w[1])});
        } else if (keyword == "netns-id") {
            const auto id = w.size() == 4 ? detail::parse_number(w[3], 0, 0x7fffffff) : std::nullopt;
            if (w.size() != 4 || !valid_netns_name(w[1]) || !valid_netns_name(w[2]) || !id) {
                return detail::at_line(line_number, "expected 'netns-id IN OF ID'");
            }
            j.steps.push_back(netns_id_step{std::string(w[1]), std::string(w[2]), static_cast<std::int32_t>(*id)});
        } else if (keyword == "nic") {
            const auto queues = w.size() == 4 ? detail::parse_number(w[2], 1, 1024) : std::nullopt;
            if (w.size() != 4 || !valid_netns_name(w[1]) || !queues || (w[3] != "nsim" && w[3] != "hwnic")) {
                return detail::at_line(line_number, "expected 'nic NETNS QUEUES nsim|hwnic' (1…1024 queues)");
            }
            j.steps.push_back(nic_step{std::string(w[1]), static_cast<std::uint32_t>(*queues), w[3] == "hwnic"});
        } else if (keyword == "request") {
            auto r = detail::parse_request(w, line_number);
            if (!r) {
                return r.failure();
            }
            j.steps.push_back(std::move(r).value());
        } else if (keyword == "check") {
            const auto prefix = std::string_view("world-hash=0x");
            if (w.size() != 2 || w[1].substr(0, prefix.size()) != prefix || w[1].size() != prefix.size() + 16) {
                return detail::at_line(line_number, "expected 'check world-hash=0x' and 16 hex digits");
            }
            const auto bytes = detail::parse_hex(w[1].substr(prefix.size()));
            if (!bytes) {
                return detail::at_line(line_number, "bad world hash");
            }
            std::uint64_t h = 0;
            for (const auto b : *bytes) {
                h = (h << 8) | b;
            }
            j.world_hash = h;
            check_seen = true;
        } else {
            return detail::at_line(line_number, "unknown step '" + std::string(keyword) + "'");
        }
    }
    if (!magic_seen || !profile_seen) {
        return core::fail(core::errno_code::invalid,
                          "not a netkit-model world: no 'netkit-world 1' and 'profile' lines");
    }
    return j;
}

// ------------------------------------------------------------------ replay

inline std::optional<core::netns_handle> find_netns(const model::world& w, std::string_view name) {
    for (const auto& [handle, n] : w.state().namespaces) {
        if (n.name == name) {
            return handle;
        }
    }
    return std::nullopt;
}

inline model::caller make_caller(caller_kind kind, core::netns_handle ns) {
    switch (kind) {
        case caller_kind::contained: return model::caller::contained_in(ns);
        case caller_kind::unprivileged: return model::caller::unprivileged_in(ns);
        case caller_kind::root: break;
    }
    return model::world::root(ns);
}

// One step against `w`; a request's replies are returned (in order, one
// message each), an environment step returns none. Fails when a name does
// not resolve or the model refuses a set-up step; a refused request is not
// a failure (its NLMSG_ERROR is among the replies).
inline core::result<std::vector<std::vector<std::uint8_t>>> apply(model::world& w, const step& s) {
    using replies = std::vector<std::vector<std::uint8_t>>;
    auto unknown = [](const std::string& name) {
        return core::fail(core::errno_code::no_entry, "no netns named '" + name + "'");
    };
    if (const auto* n = std::get_if<netns_step>(&s)) {
        if (!valid_netns_name(n->name)) {
            return core::fail(core::errno_code::invalid, "bad netns name '" + n->name + "'");
        }
        if (find_netns(w, n->name)) {
            return core::fail(core::errno_code::exists, "netns '" + n->name + "' exists");
        }
        (void)w.create_netns(n->name);
        return replies{};
    }
    if (const auto* i = std::get_if<netns_id_step>(&s)) {
        const auto in = find_netns(w, i->in);
        const auto of = find_netns(w, i->of);
        if (!in || !of) {
            return unknown(!in ? i->in : i->of);
        }
        auto done = w.assign_netns_id(*in, *of, i->id);
        if (!done) {
            return core::fail(done.failure().code, "netns-id " + i->in + " " + i->of + " " + std::to_string(i->id) +
                                                       ": " + core::to_string(done.failure()));
        }
        return replies{};
    }
    if (const auto* c = std::get_if<nic_step>(&s)) {
        const auto ns = find_netns(w, c->netns);
        if (!ns) {
            return unknown(c->netns);
        }
        const model::softnic::spec spec{1, c->queues,
                                        c->hardware ? model::softnic_config::hwnic() : model::softnic_config::nsim()};
        auto created = w.create_softnic(spec, *ns);
        if (!created) {
            return core::fail(created.failure().code, "nic: " + core::to_string(created.failure()));
        }
        return replies{};
    }
    const auto& r = std::get<request_step>(s);
    const auto ns = find_netns(w, r.socket.netns);
    if (!ns) {
        return unknown(r.socket.netns);
    }
    socket_options options;
    options.extended_ack = r.socket.extended_ack;
    options.capped_ack = r.socket.capped_ack;
    genl::families families;
    families.netdev_id = r.socket.netdev_family;
    netlink::socket sock(w, r.socket.protocol, make_caller(r.socket.caller, *ns), r.socket.port, options, families);
    return sock.exchange(r.bytes);
}

// The world a journal describes: its profile, then every step in order.
inline core::result<model::world> replay(const journal& j) {
    const auto id = core::profile_from_name(j.profile);
    if (!id) {
        return core::fail(core::errno_code::invalid, "unknown profile '" + j.profile + "'");
    }
    model::world w(core::traits_of(*id));
    for (std::size_t i = 0; i < j.steps.size(); ++i) {
        auto done = apply(w, j.steps[i]);
        if (!done) {
            return core::fail(done.failure().code,
                              "step " + std::to_string(i + 1) + ": " + done.failure().message);
        }
    }
    return w;
}

}  // namespace netkit::netlink::journal
