// Structure-aware mutation for the netlink_tree fuzz target: each message
// of each record is read as nlmsghdr, fixed header (ifinfomsg for the link
// messages, genlmsghdr for generic netlink) and an attribute tree; one node
// is changed; the message is written back with every nla_len and nlmsg_len
// recomputed. A payload is read as a nest when it is exactly a sequence of
// attributes, or when it is one after a 16-byte ifinfomsg (PEER_INFO).
#pragma once

#include "netlink_input.hpp"

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace netlink_fuzz {

struct tree_node {
    std::uint16_t type = 0;  // with NLA_F_NESTED / NLA_F_NET_BYTEORDER
    std::vector<std::uint8_t> prefix;  // a fixed header before nested attributes (PEER_INFO's ifinfomsg)
    std::vector<std::uint8_t> payload;  // a leaf's value
    std::vector<tree_node> children;
    bool nest = false;
};

inline std::uint16_t load16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }

// Attributes that exactly fill `bytes`, or nothing.
inline bool read_attributes(std::span<const std::uint8_t> bytes, std::vector<tree_node>& out, int depth);

inline tree_node read_node(std::uint16_t type, std::span<const std::uint8_t> payload, int depth) {
    tree_node n;
    n.type = type;
    if (depth < 6 && !payload.empty()) {
        std::vector<tree_node> children;
        if (read_attributes(payload, children, depth + 1)) {
            n.nest = true;
            n.children = std::move(children);
            return n;
        }
        if (payload.size() > 16 && read_attributes(payload.subspan(16), children, depth + 1)) {
            n.nest = true;
            n.prefix.assign(payload.begin(), payload.begin() + 16);
            n.children = std::move(children);
            return n;
        }
    }
    n.payload.assign(payload.begin(), payload.end());
    return n;
}

inline bool read_attributes(std::span<const std::uint8_t> bytes, std::vector<tree_node>& out, int depth) {
    std::size_t at = 0;
    while (at < bytes.size()) {
        if (bytes.size() - at < 4) {
            return false;
        }
        const std::uint16_t length = load16(bytes.data() + at);
        if (length < 4 || length > bytes.size() - at) {
            return false;
        }
        out.push_back(read_node(load16(bytes.data() + at + 2), bytes.subspan(at + 4, length - 4U), depth));
        at += std::min<std::size_t>((length + 3U) & ~3U, bytes.size() - at);
    }
    return !out.empty();
}

inline void write_node(const tree_node& n, std::vector<std::uint8_t>& out) {
    const std::size_t start = out.size();
    out.resize(start + 4);
    out.insert(out.end(), n.prefix.begin(), n.prefix.end());
    if (n.nest) {
        for (const auto& c : n.children) {
            write_node(c, out);
        }
    } else {
        out.insert(out.end(), n.payload.begin(), n.payload.end());
    }
    const std::size_t length = std::min<std::size_t>(out.size() - start, 0xffff);
    out[start] = static_cast<std::uint8_t>(length & 0xff);
    out[start + 1] = static_cast<std::uint8_t>(length >> 8);
    out[start + 2] = static_cast<std::uint8_t>(n.type & 0xff);
    out[start + 3] = static_cast<std::uint8_t>(n.type >> 8);
    out.resize(start + ((out.size() - start + 3U) & ~std::size_t{3}), 0);
}

struct parsed_message {
    std::vector<std::uint8_t> header;  // nlmsghdr + fixed header
    std::vector<tree_node> attributes;
    std::vector<std::uint8_t> rest;    // bytes that are not attributes, kept as they were
};

inline std::size_t fixed_header_size(std::uint16_t type, bool generic) {
    if (generic) {
        return 4;  // genlmsghdr
    }
    return type >= 16 && type <= 19 ? 16 : 0;  // ifinfomsg for RTM_{NEW,DEL,GET,SET}LINK
}

inline std::vector<parsed_message> parse_messages(std::span<const std::uint8_t> bytes, bool generic) {
    std::vector<parsed_message> out;
    for (const auto& m : nl::split_messages(bytes)) {
        parsed_message p;
        const std::size_t fixed = std::min(m.whole.size(), 16 + fixed_header_size(m.header.type, generic));
        p.header.assign(m.whole.begin(), m.whole.begin() + static_cast<std::ptrdiff_t>(fixed));
        const auto body = m.whole.subspan(fixed);
        if (!read_attributes(body, p.attributes, 0)) {
            p.attributes.clear();
            p.rest.assign(body.begin(), body.end());
        }
        out.push_back(std::move(p));
    }
    return out;
}

inline std::vector<std::uint8_t> write_messages(const std::vector<parsed_message>& messages) {
    std::vector<std::uint8_t> out;
    for (const auto& m : messages) {
        const std::size_t start = out.size();
        out.insert(out.end(), m.header.begin(), m.header.end());
        for (const auto& a : m.attributes) {
            write_node(a, out);
        }
        out.insert(out.end(), m.rest.begin(), m.rest.end());
        const std::size_t length = out.size() - start;
        if (length >= 4) {
            for (int i = 0; i < 4; ++i) {
                out[start + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(length >> (8 * i));
            }
        }
        out.resize(start + ((length + 3U) & ~std::size_t{3}), 0);
    }
    return out;
}

// Every node of the trees, depth first, with the list that holds it.
struct node_slot {
    std::vector<tree_node>* siblings;
    std::size_t index;
};

inline void collect(std::vector<tree_node>& nodes, std::vector<node_slot>& out) {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        out.push_back(node_slot{&nodes, i});
        if (nodes[i].nest) {
            collect(nodes[i].children, out);
        }
    }
}

inline void set_integer(std::vector<std::uint8_t>& payload, std::uint64_t value) {
    for (std::size_t i = 0; i < payload.size() && i < 8; ++i) {
        payload[i] = static_cast<std::uint8_t>(value >> (8 * i));
    }
}

// One mutation of one node of one message of one record; the input as it
// was when nothing could be mutated.
inline std::vector<std::uint8_t> mutate_trees(std::span<const std::uint8_t> data, unsigned int seed) {
    std::mt19937 random(seed);
    auto pick = [&random](std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
    auto records = split_records(data);
    if (records.empty()) {
        return {data.begin(), data.end()};
    }
    record& r = records[pick(records.size())];
    const bool generic = (r.selector & generic_bit) != 0;
    auto messages = parse_messages(r.bytes, generic);
    if (messages.empty()) {
        return {data.begin(), data.end()};
    }
    parsed_message& m = messages[pick(messages.size())];
    std::vector<node_slot> slots;
    collect(m.attributes, slots);
    static constexpr std::uint64_t boundaries[] = {0, 1, 2, 3, 0x7f, 0x80, 0xff, 0xffff, 0x10000, 0x7fffffff,
                                                   0x80000000, 0xffffffff, 1025, 5000, 63, 64};
    const std::size_t choice = pick(9);
    if (slots.empty() || choice == 8) {
        // The header: flags (NLM_F_ACK, NLM_F_DUMP, NLM_F_CREATE, NLM_F_EXCL,
        // NLM_F_REPLACE) or the message type among the link messages.
        if (m.header.size() >= 16) {
            if (pick(2) == 0) {
                static constexpr std::uint16_t flags[] = {0x4, 0x300, 0x400, 0x200, 0x100, 0x1, 0x8};
                m.header[6] = static_cast<std::uint8_t>(m.header[6] ^ (flags[pick(std::size(flags))] & 0xff));
                m.header[7] = static_cast<std::uint8_t>(m.header[7] ^ (flags[pick(std::size(flags))] >> 8));
            } else if (generic && m.header.size() >= 17) {
                m.header[16] = static_cast<std::uint8_t>(pick(20));  // the genl command
            } else {
                m.header[4] = static_cast<std::uint8_t>(16 + pick(4));
            }
        }
    } else {
        const node_slot s = slots[pick(slots.size())];
        std::vector<tree_node>& siblings = *s.siblings;
        tree_node& n = siblings[s.index];
        switch (choice) {
            case 0: n.type = static_cast<std::uint16_t>((n.type & 0xc000) | pick(64)); break;
            case 1:
                if (!n.nest && !n.payload.empty()) {
                    set_integer(n.payload, boundaries[pick(std::size(boundaries))]);
                }
                break;
            case 2: siblings.insert(siblings.begin() + static_cast<std::ptrdiff_t>(s.index), n); break;
            case 3: siblings.erase(siblings.begin() + static_cast<std::ptrdiff_t>(s.index)); break;
            case 4:
                if (!n.nest && !n.payload.empty()) {
                    n.payload.resize(pick(n.payload.size()));
                }
                break;
            case 5: n.type ^= 0x8000; break;  // NLA_F_NESTED
            case 6:
                if (n.nest) {
                    n.children.clear();
                }
                break;
            default:
                if (siblings.size() > 1) {
                    std::swap(siblings[s.index], siblings[pick(siblings.size())]);
                }
                break;
        }
    }
    r.bytes = write_messages(messages);
    return join_records(records);
}

}  // namespace netlink_fuzz
