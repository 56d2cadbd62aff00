// nk_netlink: netlink requests against the model, from the command line.
//
// Builds a world (a kernel profile, network namespaces, their ids, software
// NICs — or a world saved by an earlier run), sends netlink requests through
// a netlink::socket over it — raw bytes as a client passes them to sendmsg,
// the requests of an nlmon capture (LINKTYPE_NETLINK), or requests built
// with the library's encoders (--encode) — and writes the replies as bytes,
// as decoded text in the spirit of the kernel's ynl tool, or as JSON, and
// optionally as a capture. --save writes the world as a journal another run
// continues from (netlink/journal.hpp); --compare replays a capture of a real
// kernel and reports every reply that differs, attribute by attribute
// (netlink/decode.hpp). docs/netlink-tool.md has a worked session.
//
// Exit status: 0 done, 1 --compare found differences, 2 usage or input error.
#include <netkit/core/enum.hpp>
#include <netkit/core/kernel_profile.hpp>
#include <netkit/io/pcap.hpp>
#include <netkit/model/link_request.hpp>
#include <netkit/model/world.hpp>
#include <netkit/netlink/decode.hpp>
#include <netkit/netlink/genl.hpp>
#include <netkit/netlink/journal.hpp>
#include <netkit/netlink/rtnetlink.hpp>
#include <netkit/netlink/socket.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using namespace netkit;
namespace nl = netkit::netlink;
namespace dec = netkit::netlink::decode;
namespace jr = netkit::netlink::journal;

constexpr int exit_differences = 1;
constexpr int exit_error = 2;

// A fatal usage or input error: printed, exit status 2.
struct fatal {
    std::string what;
};

constexpr std::string_view usage_text = R"(usage: nk_netlink [WORLD] [INPUT] [SOCKET] [OUTPUT]

world (applied in command-line order, after --world):
  --profile NAME            kernel profile (default newest; see kernel_profiles)
  --world FILE              replay a world saved with --save first
  --netns NAME              create a network namespace (repeatable)
  --netns-id IN:OF:ID       netns IN names netns OF as ID (repeatable)
  --nic [NETNS:]QUEUES[:hwnic|nsim]
                            a one-port software NIC named eth%d (repeatable)
  --save FILE               write the world, with this run's requests, to FILE

input (at most one kind; none: only the world is built):
  --input FILE|-            raw netlink requests (the bytes given to sendmsg)
  --pcap FILE               the requests of a LINKTYPE_NETLINK capture (nlmon)
  --encode 'REQUEST'        a request built with the encoders (repeatable):
      netkit NAME [peer=NAME] [mode=l2|l3] [pairing=pair|single] [policy=pass|drop]
             [peer-policy=..] [scrub=none|default] [peer-scrub=..] [headroom=N]
             [tailroom=N] [rx-queues=N] [tx-queues=N] [peer-rx-queues=N]
             [peer-tx-queues=N] [mtu=N] [address=MAC]
      setlink NAME|index=N [up|down] [mtu=N] [netnsid=N] [rename=NAME]
      dellink NAME|index=N [netnsid=N]
      getlink NAME|index=N [netnsid=N]     getlink dump
      getfamily NAME | id=N | dump
      queue-create ifindex=N lessor=N queue=N [netns-id=N] [type=rx|tx]
      queue-get ifindex=N id=N [type=rx|tx]  queue-get dump [ifindex=N]
      bind-rx ifindex=N queues=N[,N...] fd=N
      common: seq=N (default: 1, 2, ...), ack, noack, flags=N (added)
  --encode-only             write the encoded requests instead of applying them

socket:
  --protocol route|generic  protocol of --input (default route)
  --as NETNS                the socket's netns (default init)
  --unprivileged            caller without CAP_NET_ADMIN
  --contained               caller with CAP_NET_ADMIN over its own netns only
  --ext-ack                 NETLINK_EXT_ACK
  --cap-ack                 NETLINK_CAP_ACK
  --port N                  the socket's port id (default 1)
  --netdev-family N         the model's netdev family id (default 19 = 0x13)

output:
  --format raw|text|json    replies as bytes, decoded text, or JSON (default text)
  --output FILE|-           (default -, stdout)
  --replies-only            text: leave the requests out
  --reply-pcap FILE         requests and replies as a LINKTYPE_NETLINK capture
  --list                    text/json: the world's namespaces and devices at the end

compare:
  --compare                 with --pcap: replay each request and report every
                            reply that differs from the capture's (exit 1)
  --ignore-unmodelled       leave out attributes the model never emits
)";

// ------------------------------------------------------------------ helpers

// Decimal or 0x-hex, the whole word, within [min, max] (the journal's parser).
std::optional<std::int64_t> number(std::string_view text, std::int64_t min, std::int64_t max) {
    return netkit::netlink::journal::detail::parse_number(text, min, max);
}

std::int64_t number_or_fail(std::string_view text, std::int64_t min, std::int64_t max, const std::string& what) {
    const auto v = number(text, min, max);
    if (!v) {
        throw fatal{what + ": '" + std::string(text) + "' is not a number in [" + std::to_string(min) + ", " +
                    std::to_string(max) + "]"};
    }
    return *v;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        const auto at = text.find(separator, start);
        out.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) {
            return out;
        }
        start = at + 1;
    }
}

constexpr std::size_t max_input_size = 64U << 20;  // a capture or request file larger than this is refused

std::vector<std::uint8_t> read_file(const std::string& path) {
    std::vector<std::uint8_t> out;
    if (path == "-") {
        out.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            throw fatal{"cannot read " + path};
        }
        out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (out.size() > max_input_size) {
        throw fatal{path + ": larger than " + std::to_string(max_input_size) + " bytes"};
    }
    return out;
}

void write_file(const std::string& path, std::string_view bytes) {
    if (path == "-") {
        std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        std::cout.flush();
        return;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        throw fatal{"cannot write " + path};
    }
}

std::string as_text(const std::vector<std::uint8_t>& bytes) { return std::string(bytes.begin(), bytes.end()); }

// ------------------------------------------------------------------ options

// An environment step as written on the command line, applied in order.
struct setup_step {
    std::string option;
    jr::step step;
};

struct options {
    std::optional<std::string> profile;
    std::optional<std::string> world_file;
    std::vector<setup_step> setup;
    std::optional<std::string> save;

    std::optional<std::string> input;
    std::optional<std::string> pcap;
    std::vector<std::string> encode;
    bool encode_only = false;

    uapi::netlink_protocol protocol = uapi::netlink_protocol::route;
    std::string netns = "init";
    jr::caller_kind caller = jr::caller_kind::root;
    bool extended_ack = false;
    bool capped_ack = false;
    std::optional<std::uint32_t> port;
    std::optional<std::uint16_t> netdev_family;

    std::string format = "text";
    std::string output = "-";
    bool replies_only = false;
    std::optional<std::string> reply_pcap;
    bool list = false;

    bool compare = false;
    bool ignore_unmodelled = false;
};

std::string netns_name_or_fail(std::string_view name, const std::string& option) {
    if (!jr::valid_netns_name(name)) {
        throw fatal{option + ": '" + std::string(name) + "' is not a netns name (letters, digits, - _ .)"};
    }
    return std::string(name);
}

options parse_options(int argc, char** argv) {
    options o;
    bool caller_given = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::optional<std::string> inline_value;
        if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            inline_value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        }
        auto value = [&]() -> std::string {
            if (inline_value) {
                return *inline_value;
            }
            if (i + 1 >= argc) {
                throw fatal{arg + " needs a value"};
            }
            return argv[++i];
        };
        auto flag = [&]() {
            if (inline_value) {
                throw fatal{arg + " takes no value"};
            }
        };
        if (arg == "--help" || arg == "-h") {
            std::fputs(usage_text.data(), stdout);
            std::exit(0);
        } else if (arg == "--profile") {
            o.profile = value();
            if (!core::profile_from_name(*o.profile)) {
                std::string known;
                for (const auto& t : core::all_profiles) {
                    known += " " + std::string(t.name);
                }
                throw fatal{"unknown profile '" + *o.profile + "'; known:" + known};
            }
        } else if (arg == "--world") {
            o.world_file = value();
        } else if (arg == "--netns") {
            o.setup.push_back({arg, jr::netns_step{netns_name_or_fail(value(), arg)}});
        } else if (arg == "--netns-id") {
            const std::string v = value();
            const auto parts = split(v, ':');
            if (parts.size() != 3) {
                throw fatal{"--netns-id wants IN:OF:ID, got '" + v + "'"};
            }
            const auto id = static_cast<std::int32_t>(number_or_fail(parts[2], 0, 0x7fffffff, "--netns-id ID"));
            o.setup.push_back(
                {arg, jr::netns_id_step{netns_name_or_fail(parts[0], arg), netns_name_or_fail(parts[1], arg), id}});
        } else if (arg == "--nic") {
            const std::string v = value();
            auto parts = split(v, ':');
            jr::nic_step nic;
            if (!parts.empty() && (parts.back() == "hwnic" || parts.back() == "nsim")) {
                nic.hardware = parts.back() == "hwnic";
                parts.pop_back();
            }
            if (parts.size() == 2) {
                nic.netns = netns_name_or_fail(parts[0], arg);
                parts.erase(parts.begin());
            }
            if (parts.size() != 1) {
                throw fatal{"--nic wants [NETNS:]QUEUES[:hwnic|nsim], got '" + v + "'"};
            }
            nic.queues = static_cast<std::uint32_t>(number_or_fail(parts[0], 1, 1024, "--nic QUEUES"));
            o.setup.push_back({arg, nic});
        } else if (arg == "--save") {
            o.save = value();
        } else if (arg == "--input") {
            o.input = value();
        } else if (arg == "--pcap") {
            o.pcap = value();
        } else if (arg == "--encode") {
            o.encode.push_back(value());
        } else if (arg == "--encode-only") {
            flag();
            o.encode_only = true;
        } else if (arg == "--protocol") {
            const std::string v = value();
            if (v == "route" || v == "0") {
                o.protocol = uapi::netlink_protocol::route;
            } else if (v == "generic" || v == "16") {
                o.protocol = uapi::netlink_protocol::generic;
            } else {
                throw fatal{"--protocol must be route or generic"};
            }
        } else if (arg == "--as") {
            o.netns = netns_name_or_fail(value(), arg);
        } else if (arg == "--unprivileged" || arg == "--contained") {
            flag();
            if (caller_given) {
                throw fatal{"--unprivileged and --contained exclude each other"};
            }
            caller_given = true;
            o.caller = arg == "--contained" ? jr::caller_kind::contained : jr::caller_kind::unprivileged;
        } else if (arg == "--ext-ack") {
            flag();
            o.extended_ack = true;
        } else if (arg == "--cap-ack") {
            flag();
            o.capped_ack = true;
        } else if (arg == "--port") {
            o.port = static_cast<std::uint32_t>(number_or_fail(value(), 0, 0xffffffffLL, "--port"));
        } else if (arg == "--netdev-family") {
            o.netdev_family = static_cast<std::uint16_t>(number_or_fail(value(), 0x10, 0xffff, "--netdev-family"));
        } else if (arg == "--format") {
            o.format = value();
            if (o.format != "raw" && o.format != "text" && o.format != "json") {
                throw fatal{"--format must be raw, text or json"};
            }
        } else if (arg == "--output") {
            o.output = value();
        } else if (arg == "--replies-only") {
            flag();
            o.replies_only = true;
        } else if (arg == "--reply-pcap") {
            o.reply_pcap = value();
        } else if (arg == "--list") {
            flag();
            o.list = true;
        } else if (arg == "--compare") {
            flag();
            o.compare = true;
        } else if (arg == "--ignore-unmodelled") {
            flag();
            o.ignore_unmodelled = true;
        } else {
            throw fatal{"unknown argument '" + arg + "' (see --help)"};
        }
    }
    const int inputs = (o.input ? 1 : 0) + (o.pcap ? 1 : 0) + (o.encode.empty() ? 0 : 1);
    if (inputs > 1) {
        throw fatal{"--input, --pcap and --encode exclude each other"};
    }
    if (o.compare && !o.pcap) {
        throw fatal{"--compare needs --pcap with the kernel's requests and replies"};
    }
    if (o.encode_only && o.encode.empty()) {
        throw fatal{"--encode-only needs --encode"};
    }
    if (o.encode_only && (o.save || o.reply_pcap || o.list)) {
        throw fatal{"--encode-only applies nothing: --save, --reply-pcap and --list do not apply"};
    }
    if (o.list && o.format == "raw") {
        throw fatal{"--list needs --format text or json"};
    }
    if (o.world_file && o.profile) {
        throw fatal{"--profile and --world exclude each other: the world file names its profile"};
    }
    return o;
}

// ------------------------------------------------------------------ --encode

struct encoded_request {
    uapi::netlink_protocol protocol = uapi::netlink_protocol::route;
    std::vector<std::uint8_t> bytes;
};

// The words of one --encode argument: a verb, bare words and key=value pairs
// in order (the order of netkit attributes matters, device.md NK-CRT-03).
struct request_words {
    std::string verb;
    std::vector<std::pair<std::string, std::optional<std::string>>> items;
};

request_words words_of(std::string_view text) {
    request_words out;
    std::istringstream in{std::string(text)};
    std::string word;
    while (in >> word) {
        if (out.verb.empty()) {
            out.verb = word;
            continue;
        }
        const auto eq = word.find('=');
        if (eq == std::string::npos) {
            out.items.emplace_back(word, std::nullopt);
        } else {
            out.items.emplace_back(word.substr(0, eq), word.substr(eq + 1));
        }
    }
    if (out.verb.empty()) {
        throw fatal{"--encode: empty request"};
    }
    return out;
}

std::vector<std::uint8_t> mac_or_fail(const std::string& text) {
    std::vector<std::uint8_t> out;
    for (const auto part : split(text, ':')) {
        const auto v = part.size() == 2 ? number("0x" + std::string(part), 0, 255) : std::nullopt;
        if (!v) {
            throw fatal{"--encode: '" + text + "' is not a MAC address (aa:bb:cc:dd:ee:ff)"};
        }
        out.push_back(static_cast<std::uint8_t>(*v));
    }
    return out;
}

class encoder {
  public:
    explicit encoder(std::uint16_t netdev_family) : netdev_family_(netdev_family) {}

    encoded_request encode(std::string_view text) {
        const request_words w = words_of(text);
        const std::string context = "--encode '" + std::string(text) + "'";
        common c = common_of(w, context);
        const std::uint32_t seq = c.seq.value_or(next_sequence_);
        next_sequence_ = seq + 1;
        const auto request = static_cast<std::uint16_t>(uapi::message_flag::request);
        const auto ack = static_cast<std::uint16_t>(uapi::message_flag::acknowledge);
        const auto dump = static_cast<std::uint16_t>(uapi::get_flag::dump);
        auto flags_for = [&](bool ack_by_default) {
            return static_cast<std::uint16_t>(request | (c.ack.value_or(ack_by_default) ? ack : 0) | c.extra_flags);
        };
        auto u32 = [&](const std::string& key, const std::string& v) {
            return static_cast<std::uint32_t>(number_or_fail(v, 0, 0xffffffffLL, context + " " + key));
        };
        auto s32 = [&](const std::string& key, const std::string& v) {
            return static_cast<std::int32_t>(number_or_fail(v, -0x80000000LL, 0x7fffffffLL, context + " " + key));
        };
        auto pick = [&](const std::vector<std::pair<std::string, std::optional<std::string>>>& items,
                        std::string_view key) -> std::optional<std::string> {
            std::optional<std::string> found;
            for (const auto& [k, v] : items) {
                if (k == key && v) {
                    found = v;
                }
            }
            return found;
        };
        // The device a link request names: a bare word, or index=N.
        auto device = [&](std::int32_t& index, std::optional<std::string>& name) {
            for (const auto& [k, v] : c.rest) {
                if (!v && k != "dump" && k != "up" && k != "down") {
                    name = k;
                } else if (k == "index" && v) {
                    index = s32(k, *v);
                }
            }
        };
        // Keys and bare words a verb accepts; "NAME" accepts any bare word (the device).
        auto refuse_unknown = [&](std::initializer_list<std::string_view> keys,
                                  std::initializer_list<std::string_view> bare) {
            const bool any_word = std::find(bare.begin(), bare.end(), std::string_view("NAME")) != bare.end();
            for (const auto& [k, v] : c.rest) {
                if (v && std::find(keys.begin(), keys.end(), k) == keys.end()) {
                    throw fatal{context + ": unknown key '" + k + "'"};
                }
                if (!v && !any_word && std::find(bare.begin(), bare.end(), k) == bare.end()) {
                    throw fatal{context + ": unknown word '" + k + "'"};
                }
            }
        };

        if (w.verb == "netkit") {
            refuse_unknown({"name", "peer", "mode", "pairing", "policy", "peer-policy", "scrub", "peer-scrub",
                            "headroom", "tailroom", "rx-queues", "tx-queues", "peer-rx-queues", "peer-tx-queues", "mtu",
                            "address"},
                           {"NAME"});
            return {uapi::netlink_protocol::route, netkit_request(c, seq, flags_for(true), context)};
        }
        if (w.verb == "setlink") {
            refuse_unknown({"index", "mtu", "netnsid", "rename", "address"}, {"NAME", "up", "down"});
            model::link_request r;
            device(r.header.index, r.attributes.ifname);
            for (const auto& [k, v] : c.rest) {
                if (!v && (k == "up" || k == "down")) {
                    r.header.flags = k == "up" ? static_cast<std::uint32_t>(uapi::interface_flag::up) : 0U;
                    r.header.change = static_cast<std::uint32_t>(uapi::interface_flag::up);
                } else if (k == "mtu") {
                    r.attributes.mtu = u32(k, *v);
                } else if (k == "netnsid") {
                    r.attributes.target_netnsid = s32(k, *v);
                } else if (k == "address") {
                    r.attributes.address = mac_or_fail(*v);
                } else if (k == "rename") {
                    if (r.header.index == 0) {
                        throw fatal{context + ": rename= needs index=N (a name names the device)"};
                    }
                    r.attributes.ifname = *v;
                }
            }
            return {uapi::netlink_protocol::route,
                    nl::rtnetlink::encode_link_request(static_cast<std::uint16_t>(uapi::rtm::set_link), flags_for(true),
                                                       seq, r)};
        }
        if (w.verb == "dellink") {
            refuse_unknown({"index", "netnsid"}, {"NAME"});
            model::delete_request r;
            device(r.index, r.ifname);
            if (const auto v = pick(c.rest, "netnsid")) {
                r.target_netnsid = s32("netnsid", *v);
            }
            return {uapi::netlink_protocol::route, nl::rtnetlink::encode_delete_request(flags_for(true), seq, r)};
        }
        if (w.verb == "getlink") {
            refuse_unknown({"index", "netnsid"}, {"NAME", "dump"});
            nl::rtnetlink::get_request r;
            device(r.index, r.ifname);
            if (const auto v = pick(c.rest, "netnsid")) {
                r.target_netnsid = s32("netnsid", *v);
            }
            const bool is_dump = has_word(c, "dump");
            const auto flags = static_cast<std::uint16_t>(flags_for(false) | (is_dump ? dump : 0));
            return {uapi::netlink_protocol::route, nl::rtnetlink::encode_get_request(flags, seq, r)};
        }
        if (w.verb == "getfamily") {
            refuse_unknown({"id"}, {"NAME", "dump"});
            if (has_word(c, "dump")) {
                return {uapi::netlink_protocol::generic, nl::genl::encode_dump_families(seq)};
            }
            if (const auto v = pick(c.rest, "id")) {
                const auto id = static_cast<std::uint16_t>(number_or_fail(*v, 0, 0xffff, context + " id"));
                return {uapi::netlink_protocol::generic, nl::genl::encode_get_family(id, seq, flags_for(false))};
            }
            std::int32_t unused = 0;
            std::optional<std::string> name;
            device(unused, name);
            if (!name) {
                throw fatal{context + ": getfamily needs a family name, id=N or dump"};
            }
            return {uapi::netlink_protocol::generic, nl::genl::encode_get_family(*name, seq, flags_for(false))};
        }
        if (w.verb == "queue-create") {
            refuse_unknown({"ifindex", "lessor", "queue", "netns-id", "type"}, {});
            const auto ifindex = pick(c.rest, "ifindex");
            const auto lessor = pick(c.rest, "lessor");
            const auto queue = pick(c.rest, "queue");
            if (!ifindex || !lessor || !queue) {
                throw fatal{context + ": queue-create needs ifindex=, lessor= and queue="};
            }
            std::optional<std::int32_t> netns_id;
            if (const auto v = pick(c.rest, "netns-id")) {
                netns_id = s32("netns-id", *v);
            }
            auto r = model::lease::queue_create_request::rx(s32("ifindex", *ifindex), s32("lessor", *lessor),
                                                            u32("queue", *queue), netns_id);
            if (const auto v = pick(c.rest, "type")) {
                r.type = queue_type(*v, context);
            }
            return {uapi::netlink_protocol::generic,
                    nl::genl::encode_queue_create(netdev_family_, r, seq, flags_for(true))};
        }
        if (w.verb == "queue-get") {
            refuse_unknown({"ifindex", "id", "type"}, {"dump"});
            if (has_word(c, "dump")) {
                std::optional<std::uint32_t> ifindex;
                if (const auto v = pick(c.rest, "ifindex")) {
                    ifindex = u32("ifindex", *v);
                }
                return {uapi::netlink_protocol::generic, nl::genl::encode_queue_dump(netdev_family_, ifindex, seq)};
            }
            nl::genl::queue_get_request r;
            if (const auto v = pick(c.rest, "ifindex")) {
                r.ifindex = u32("ifindex", *v);
            }
            if (const auto v = pick(c.rest, "id")) {
                r.id = u32("id", *v);
            }
            r.type = pick(c.rest, "type") ? queue_type(*pick(c.rest, "type"), context) : 0U;
            return {uapi::netlink_protocol::generic,
                    nl::genl::encode_queue_get(netdev_family_, r, seq, flags_for(false))};
        }
        if (w.verb == "bind-rx") {
            refuse_unknown({"ifindex", "queues", "fd"}, {});
            nl::genl::bind_rx_request r;
            if (const auto v = pick(c.rest, "ifindex")) {
                r.ifindex = u32("ifindex", *v);
            }
            if (const auto v = pick(c.rest, "fd")) {
                r.fd = u32("fd", *v);
            }
            if (const auto v = pick(c.rest, "queues")) {
                const auto rx = static_cast<std::uint32_t>(uapi::queue_type::rx);
                for (const auto q : split(*v, ',')) {
                    r.queues.push_back(model::lease::queue_id_request{u32("queues", std::string(q)), rx});
                }
            }
            return {uapi::netlink_protocol::generic, nl::genl::encode_bind_rx(netdev_family_, r, seq, flags_for(true))};
        }
        throw fatal{context + ": unknown request '" + w.verb +
                    "' (netkit, setlink, dellink, getlink, getfamily, queue-create, queue-get, bind-rx)"};
    }

  private:
    struct common {
        std::optional<std::uint32_t> seq;
        std::optional<bool> ack;
        std::uint16_t extra_flags = 0;
        std::vector<std::pair<std::string, std::optional<std::string>>> rest;
    };

    static common common_of(const request_words& w, const std::string& context) {
        common c;
        for (const auto& [k, v] : w.items) {
            if (k == "seq" && v) {
                c.seq = static_cast<std::uint32_t>(number_or_fail(*v, 0, 0xffffffffLL, context + " seq"));
            } else if (k == "flags" && v) {
                c.extra_flags = static_cast<std::uint16_t>(number_or_fail(*v, 0, 0xffff, context + " flags"));
            } else if (!v && (k == "ack" || k == "noack")) {
                c.ack = k == "ack";
            } else {
                c.rest.emplace_back(k, v);
            }
        }
        return c;
    }

    static bool has_word(const common& c, std::string_view word) {
        return std::any_of(c.rest.begin(), c.rest.end(),
                           [word](const auto& kv) { return !kv.second && kv.first == word; });
    }

    static std::uint32_t queue_type(const std::string& v, const std::string& context) {
        if (v == "rx") {
            return static_cast<std::uint32_t>(uapi::queue_type::rx);
        }
        if (v == "tx") {
            return static_cast<std::uint32_t>(uapi::queue_type::tx);
        }
        return static_cast<std::uint32_t>(number_or_fail(v, 0, 0xffffffffLL, context + " type"));
    }

    using names_list = std::initializer_list<std::pair<std::string_view, std::uint32_t>>;

    // A named value, or a number (so out-of-range requests can be made).
    static std::uint32_t named(const std::string& v, names_list names, const std::string& what) {
        for (const auto& [n, value] : names) {
            if (v == n) {
                return value;
            }
        }
        return static_cast<std::uint32_t>(number_or_fail(v, 0, 0xffffffffLL, what));
    }

    // RTM_NEWLINK kind netkit (NL-RT-06/07): IFLA_INFO_DATA attributes in
    // the order given, PEER_INFO where the first peer word stands.
    static std::vector<std::uint8_t> netkit_request(const common& c, std::uint32_t seq, std::uint16_t flags,
                                                    const std::string& context) {
        using uapi::netkit_attr;
        model::peer_info peer;
        bool has_peer = false;
        std::optional<std::size_t> peer_at;
        std::vector<model::netkit_attribute> data;
        std::optional<std::string> name;
        model::link_attributes top;
        auto u32 = [&](const std::string& k, const std::string& v) {
            return static_cast<std::uint32_t>(number_or_fail(v, 0, 0xffffffffLL, context + " " + k));
        };
        auto mark_peer = [&]() {
            has_peer = true;
            if (!peer_at) {
                peer_at = data.size();
            }
        };
        const std::string action_what = context + " policy";
        for (const auto& [k, v] : c.rest) {
            if (!v) {
                name = k;
                continue;
            }
            const std::string& x = *v;
            if (k == "name") {
                name = x;
            } else if (k == "peer") {
                mark_peer();
                peer.attributes.ifname = x;
            } else if (k == "peer-rx-queues") {
                mark_peer();
                peer.attributes.num_rx_queues = u32(k, x);
            } else if (k == "peer-tx-queues") {
                mark_peer();
                peer.attributes.num_tx_queues = u32(k, x);
            } else if (k == "mode") {
                data.push_back(
                    model::requests::attr(netkit_attr::mode, named(x, {{"l2", 0}, {"l3", 1}}, context + " mode")));
            } else if (k == "pairing") {
                data.push_back(model::requests::attr(netkit_attr::pairing,
                                                     named(x, {{"pair", 0}, {"single", 1}}, context + " pairing")));
            } else if (k == "policy" || k == "peer-policy") {
                data.push_back(model::requests::attr(k == "policy" ? netkit_attr::policy : netkit_attr::peer_policy,
                                                     named(x, {{"pass", 0}, {"drop", 2}}, action_what)));
            } else if (k == "scrub" || k == "peer-scrub") {
                data.push_back(model::requests::attr(k == "scrub" ? netkit_attr::scrub : netkit_attr::peer_scrub,
                                                     named(x, {{"none", 0}, {"default", 1}}, context + " scrub")));
            } else if (k == "headroom" || k == "tailroom") {
                data.push_back(
                    model::requests::attr(k == "headroom" ? netkit_attr::headroom : netkit_attr::tailroom, u32(k, x)));
            } else if (k == "rx-queues") {
                top.num_rx_queues = u32(k, x);
            } else if (k == "tx-queues") {
                top.num_tx_queues = u32(k, x);
            } else if (k == "mtu") {
                top.mtu = u32(k, x);
            } else if (k == "address") {
                top.address = mac_or_fail(x);
            }
        }
        if (has_peer) {
            data.insert(data.begin() + static_cast<std::ptrdiff_t>(*peer_at), model::requests::peer(peer));
        }
        model::link_request r = model::requests::create_netkit(name, std::move(data));
        r.attributes.num_rx_queues = top.num_rx_queues;
        r.attributes.num_tx_queues = top.num_tx_queues;
        r.attributes.mtu = top.mtu;
        r.attributes.address = top.address;
        return nl::rtnetlink::encode_link_request(static_cast<std::uint16_t>(uapi::rtm::new_link), flags, seq, r);
    }

    std::uint16_t netdev_family_;
    std::uint32_t next_sequence_ = 1;
};

// ------------------------------------------------------------------ input

// One sendmsg: its protocol, its bytes and, from a capture, the messages the
// kernel answered with.
struct exchange {
    uapi::netlink_protocol protocol = uapi::netlink_protocol::route;
    std::vector<std::uint8_t> request;
    std::vector<std::vector<std::uint8_t>> kernel_replies;
    std::vector<std::vector<std::uint8_t>> model_replies;
    std::size_t packet = 0;  // 1-based, in the capture
};

void check_framing_or_fail(std::span<const std::uint8_t> bytes, const std::string& where) {
    if (const auto e = dec::check_framing(bytes)) {
        throw fatal{where + ": malformed netlink message at byte " + std::to_string(e->offset) + ": " + e->what};
    }
}

std::vector<exchange> raw_exchanges(const std::vector<std::uint8_t>& bytes, uapi::netlink_protocol protocol,
                                    const std::string& where) {
    check_framing_or_fail(bytes, where);
    std::vector<exchange> out;
    for (const auto& m : nl::split_messages(bytes)) {
        exchange e;
        e.protocol = protocol;
        e.request.assign(m.whole.begin(), m.whole.end());
        out.push_back(std::move(e));
    }
    return out;
}

struct capture {
    std::vector<exchange> exchanges;
    std::size_t skipped_packets = 0;   // other netlink protocols
    std::size_t unmatched_replies = 0; // messages to user space answering no request
};

capture read_netlink_capture(const std::string& path) {
    const auto bytes = read_file(path);
    auto packets = io::read_capture(bytes);
    if (!packets) {
        throw fatal{path + ": " + packets.failure().message};
    }
    capture out;
    std::optional<std::size_t> current;
    for (std::size_t i = 0; i < packets.value().size(); ++i) {
        const io::packet& p = packets.value()[i];
        const std::string where = path + ": packet " + std::to_string(i + 1);
        if (p.link_type != io::linktype_netlink) {
            throw fatal{where + ": link type " + std::to_string(p.link_type) + ", not LINKTYPE_NETLINK (253)"};
        }
        const auto record = io::as_netlink(p);
        if (!record) {
            throw fatal{where + ": shorter than the 16-byte LINKTYPE_NETLINK pseudo-header"};
        }
        uapi::netlink_protocol protocol{};
        if (record->protocol == 0) {
            protocol = uapi::netlink_protocol::route;
        } else if (record->protocol == 16) {
            protocol = uapi::netlink_protocol::generic;
        } else {
            ++out.skipped_packets;
            continue;
        }
        check_framing_or_fail(record->messages, where);
        if (record->to_kernel) {
            exchange e;
            e.protocol = protocol;
            e.request.assign(record->messages.begin(), record->messages.end());
            e.packet = i + 1;
            out.exchanges.push_back(std::move(e));
            current = out.exchanges.size() - 1;
            continue;
        }
        for (const auto& m : nl::split_messages(record->messages)) {
            bool answers = false;
            if (current && out.exchanges[*current].protocol == protocol) {
                for (const auto& r : nl::split_messages(out.exchanges[*current].request)) {
                    answers = answers || r.header.sequence == m.header.sequence;
                }
            }
            if (answers) {
                out.exchanges[*current].kernel_replies.emplace_back(m.whole.begin(), m.whole.end());
            } else {
                ++out.unmatched_replies;
            }
        }
    }
    return out;
}

// ------------------------------------------------------------------ world

jr::socket_context socket_for(const options& o, uapi::netlink_protocol protocol,
                              const std::map<uapi::netlink_protocol, std::uint32_t>& ports) {
    jr::socket_context s;
    s.protocol = protocol;
    s.netns = o.netns;
    s.caller = o.caller;
    const auto port = ports.find(protocol);
    s.port = o.port.value_or(port == ports.end() ? 1U : port->second);
    s.extended_ack = o.extended_ack;
    s.capped_ack = o.capped_ack;
    s.netdev_family = o.netdev_family.value_or(uapi::genl_first_dynamic_id);
    return s;
}

std::string world_listing_text(const model::world& w) {
    std::string out = "# world (profile " + std::string(w.profile().name) + ")\n";
    for (const auto& [handle, n] : w.state().namespaces) {
        out += "netns " + n.name;
        if (!n.ids.empty()) {
            out += " ids:";
            for (const auto& [other, id] : n.ids) {
                out += " " + w.namespace_at(other).name + "=" + std::to_string(id);
            }
        }
        out += "\n";
        for (const auto h : w.devices_in(handle)) {
            const model::device& d = w.at(h);
            out += "  " + std::to_string(d.ifindex) + " " + d.name + " " + std::string(core::enum_name(d.kind)) +
                   (d.up ? " up" : " down") + " rx " + std::to_string(d.real_rx_queues) + "/" +
                   std::to_string(d.rx_queues);
            std::uint32_t leased = 0;
            for (std::uint32_t q = 0; q < d.real_rx_queues; ++q) {
                leased += d.leased(q) ? 1U : 0U;
            }
            if (leased != 0) {
                out += " leased " + std::to_string(leased);
            }
            out += "\n";
        }
    }
    return out;
}

std::string world_listing_json(const model::world& w) {
    std::string out = "{\"profile\":" + dec::json_string(w.profile().name) + ",\"netns\":[";
    bool first_ns = true;
    for (const auto& [handle, n] : w.state().namespaces) {
        out += first_ns ? "" : ",";
        first_ns = false;
        out += "{\"name\":" + dec::json_string(n.name) + ",\"ids\":{";
        bool first_id = true;
        for (const auto& [other, id] : n.ids) {
            out += first_id ? "" : ",";
            out += dec::json_string(w.namespace_at(other).name) + ":" + std::to_string(id);
            first_id = false;
        }
        out += "},\"devices\":[";
        bool first_device = true;
        for (const auto h : w.devices_in(handle)) {
            const model::device& d = w.at(h);
            std::uint32_t leased = 0;
            for (std::uint32_t q = 0; q < d.real_rx_queues; ++q) {
                leased += d.leased(q) ? 1U : 0U;
            }
            out += first_device ? "" : ",";
            first_device = false;
            out += "{\"ifindex\":" + std::to_string(d.ifindex) + ",\"name\":" + dec::json_string(d.name) +
                   ",\"kind\":" + dec::json_string(core::enum_name(d.kind)) + ",\"up\":" + (d.up ? "true" : "false") +
                   ",\"rx_queues\":" + std::to_string(d.rx_queues) + ",\"real_rx_queues\":" +
                   std::to_string(d.real_rx_queues) + ",\"leased_rx_queues\":" + std::to_string(leased) + "}";
        }
        out += "]}";
    }
    return out + "]}";
}

// ------------------------------------------------------------------ output

dec::context decode_context(uapi::netlink_protocol protocol, std::uint16_t netdev_family) {
    dec::context c;
    c.protocol = protocol;
    c.netdev_family_id = netdev_family;
    return c;
}

std::vector<dec::message> decode_all(std::span<const std::uint8_t> bytes, const dec::context& c) {
    return dec::decode_stream(bytes, c).messages;
}

// Replies decoded with the request they answer (matched by nlmsg_seq), so
// extended-ack offsets name the request's attributes.
std::vector<dec::message> decode_replies(const std::vector<std::vector<std::uint8_t>>& replies,
                                         const std::vector<dec::message>& requests, dec::context c) {
    std::vector<dec::message> out;
    for (const auto& reply : replies) {
        c.request = nullptr;
        if (reply.size() >= uapi::message_header_size) {
            const auto seq = nl::read_header(reply.data()).sequence;
            for (const auto& r : requests) {
                if (r.header.sequence == seq) {
                    c.request = &r;
                    break;
                }
            }
        }
        for (auto& m : decode_all(reply, c)) {
            out.push_back(std::move(m));
        }
    }
    return out;
}

std::string socket_text(const jr::socket_context& s) {
    return std::string(uapi::name(s.protocol)) + ", netns " + s.netns + ", caller " + std::string(jr::name(s.caller)) +
           ", port " + std::to_string(s.port) + (s.extended_ack ? ", ext-ack" : "") + (s.capped_ack ? ", cap-ack" : "");
}

std::string socket_json(const jr::socket_context& s) {
    return "{\"protocol\":" + dec::json_string(uapi::name(s.protocol)) + ",\"netns\":" + dec::json_string(s.netns) +
           ",\"caller\":" + dec::json_string(jr::name(s.caller)) + ",\"port\":" + std::to_string(s.port) +
           ",\"ext_ack\":" + (s.extended_ack ? "true" : "false") + ",\"cap_ack\":" + (s.capped_ack ? "true" : "false") +
           ",\"netdev_family\":" + std::to_string(s.netdev_family) + "}";
}

std::vector<std::uint8_t> reply_capture(const std::vector<exchange>& exchanges, bool kernel_side) {
    std::vector<io::packet> packets;
    std::uint64_t time = 0;
    auto add = [&](bool to_kernel, uapi::netlink_protocol protocol, const std::vector<std::uint8_t>& bytes) {
        io::packet p;
        p.link_type = io::linktype_netlink;
        p.timestamp_ns = time;
        time += 1000;  // 1 µs apart: deterministic, ordered
        p.data = io::netlink_pseudo_header(to_kernel, static_cast<std::uint16_t>(protocol));
        p.data.insert(p.data.end(), bytes.begin(), bytes.end());
        p.original_length = static_cast<std::uint32_t>(p.data.size());
        packets.push_back(std::move(p));
    };
    for (const auto& e : exchanges) {
        add(true, e.protocol, e.request);
        for (const auto& r : kernel_side ? e.kernel_replies : e.model_replies) {
            add(false, e.protocol, r);
        }
    }
    return io::write_pcap(packets, io::linktype_netlink);
}

// ------------------------------------------------------------------ main

int run(int argc, char** argv) {
    const options o = parse_options(argc, argv);
    const std::uint16_t netdev_default = o.netdev_family.value_or(uapi::genl_first_dynamic_id);

    // --encode-only: the encoders' bytes, nothing applied.
    if (o.encode_only) {
        encoder enc(netdev_default);
        std::vector<encoded_request> requests;
        for (const auto& text : o.encode) {
            requests.push_back(enc.encode(text));
        }
        if (o.format == "raw") {
            std::string out;
            for (const auto& r : requests) {
                if (r.protocol != requests.front().protocol) {
                    throw fatal{"--encode-only --format raw: the requests mix NETLINK_ROUTE and NETLINK_GENERIC; "
                                "encode each protocol separately"};
                }
                out += as_text(r.bytes);
            }
            write_file(o.output, out);
            return 0;
        }
        std::string out = o.format == "json" ? "[" : "";
        for (std::size_t i = 0; i < requests.size(); ++i) {
            const auto m = dec::decode_message(requests[i].bytes, decode_context(requests[i].protocol, netdev_default));
            out += o.format == "json" ? (i == 0 ? "" : ",") + dec::to_json(m) : dec::to_text(m);
        }
        write_file(o.output, o.format == "json" ? out + "]\n" : out);
        return 0;
    }

    // The world: a saved journal, then the command line's set-up in order.
    jr::journal journal;
    std::optional<model::world> world;
    if (o.world_file) {
        const auto text = as_text(read_file(*o.world_file));
        auto parsed = jr::parse(text);
        if (!parsed) {
            throw fatal{*o.world_file + ": " + parsed.failure().message};
        }
        journal = std::move(parsed).value();
        auto replayed = jr::replay(journal);
        if (!replayed) {
            throw fatal{*o.world_file + ": " + replayed.failure().message};
        }
        world.emplace(std::move(replayed).value());
        if (journal.world_hash && *journal.world_hash != jr::world_hash(*world)) {
            std::fprintf(stderr,
                         "nk_netlink: warning: %s: the replayed world differs from the one saved (the model changed "
                         "since); continuing with the replayed one\n",
                         o.world_file->c_str());
        }
        journal.world_hash.reset();
    } else {
        journal.profile = o.profile.value_or("newest");
        world.emplace(core::traits_of(*core::profile_from_name(journal.profile)));
    }
    model::world& w = *world;
    for (const auto& s : o.setup) {
        auto done = jr::apply(w, s.step);
        if (!done) {
            throw fatal{s.option + ": " + done.failure().message};
        }
        journal.steps.push_back(s.step);
    }
    if (!jr::find_netns(w, o.netns)) {
        throw fatal{"--as: no netns named '" + o.netns + "' (create it with --netns)"};
    }

    // The requests.
    std::vector<exchange> exchanges;
    capture captured;
    if (o.input) {
        exchanges = raw_exchanges(read_file(*o.input), o.protocol, *o.input == "-" ? "stdin" : *o.input);
    } else if (o.pcap) {
        captured = read_netlink_capture(*o.pcap);
        exchanges = std::move(captured.exchanges);
        if (captured.skipped_packets != 0) {
            std::fprintf(stderr, "nk_netlink: %zu packets of other netlink protocols left out\n",
                         captured.skipped_packets);
        }
        if (captured.unmatched_replies != 0 && o.compare) {
            std::fprintf(stderr,
                         "nk_netlink: %zu messages to user space answer no request (notifications?); left out\n",
                         captured.unmatched_replies);
        }
    } else if (!o.encode.empty()) {
        encoder enc(netdev_default);
        for (const auto& text : o.encode) {
            auto r = enc.encode(text);
            exchanges.push_back(exchange{r.protocol, std::move(r.bytes), {}, {}, 0});
        }
    }

    // --compare takes what the capture shows about the kernel's socket: the
    // netdev family id (NL-GENL-05), extended and capped acks, port ids.
    options effective = o;
    std::map<uapi::netlink_protocol, std::uint32_t> ports;
    if (o.compare) {
        for (const auto& e : exchanges) {
            for (const auto& r : e.kernel_replies) {
                const auto m = dec::decode_message(r, decode_context(e.protocol, netdev_default));
                if (!o.netdev_family) {
                    if (const auto id = dec::announced_family_id(m, uapi::netdev_family_name)) {
                        effective.netdev_family = *id;
                    }
                }
                const bool is_error = m.header.type == static_cast<std::uint16_t>(uapi::control_message::error);
                if (is_error && (m.header.flags & static_cast<std::uint16_t>(uapi::ack_flag::extended_ack_tlvs)) != 0) {
                    effective.extended_ack = true;
                }
                if (is_error && !m.body.empty() && m.body.front().signed_value.value_or(0) != 0 &&
                    (m.header.flags & static_cast<std::uint16_t>(uapi::ack_flag::capped)) != 0) {
                    effective.capped_ack = true;
                }
                if (!ports.contains(e.protocol) && m.header.port != 0) {
                    ports[e.protocol] = m.header.port;
                }
            }
        }
        if (effective.extended_ack && !o.extended_ack) {
            std::fputs("nk_netlink: the capture's acknowledgements carry TLVs: comparing with --ext-ack\n", stderr);
        }
        if (effective.capped_ack && !o.capped_ack) {
            std::fputs("nk_netlink: the capture's errors copy only the header: comparing with --cap-ack\n", stderr);
        }
        if (effective.netdev_family && *effective.netdev_family != netdev_default) {
            std::fprintf(stderr, "nk_netlink: the capture's kernel announces netdev as family %u: the model uses it\n",
                         static_cast<unsigned>(*effective.netdev_family));
        }
    }
    const std::uint16_t netdev_family = effective.netdev_family.value_or(uapi::genl_first_dynamic_id);

    // Apply, journalling each request with its socket.
    std::vector<jr::socket_context> sockets;
    for (auto& e : exchanges) {
        jr::request_step step{socket_for(effective, e.protocol, ports), e.request};
        auto replies = jr::apply(w, step);
        if (!replies) {
            throw fatal{replies.failure().message};
        }
        e.model_replies = std::move(replies).value();
        sockets.push_back(step.socket);
        journal.steps.push_back(std::move(step));
    }

    if (o.save) {
        journal.world_hash = jr::world_hash(w);
        write_file(*o.save, jr::format(journal));
    }
    if (o.reply_pcap) {
        const auto bytes = reply_capture(exchanges, false);
        write_file(*o.reply_pcap, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    }

    // --compare: the kernel's replies against the model's, message by
    // message, attribute by attribute; the port is the capture's socket's.
    if (o.compare) {
        dec::diff_options d;
        d.ignore_port = true;
        d.ignore_unmodelled = o.ignore_unmodelled;
        std::string text;
        std::string json = "{\"exchanges\":" + std::to_string(exchanges.size()) + ",\"differing\":[";
        std::size_t differing = 0;
        std::size_t replies = 0;
        for (std::size_t i = 0; i < exchanges.size(); ++i) {
            const auto& e = exchanges[i];
            const auto c = decode_context(e.protocol, netdev_family);
            const auto requests = decode_all(e.request, c);
            const auto kernel = decode_replies(e.kernel_replies, requests, c);
            const auto model = decode_replies(e.model_replies, requests, c);
            replies += kernel.size();
            const auto differences = dec::diff(kernel, model, d);
            if (differences.empty()) {
                continue;
            }
            ++differing;
            std::string what;
            for (const auto& r : requests) {
                what += (what.empty() ? "" : ", ") + r.type_name + " seq " + std::to_string(r.header.sequence);
            }
            text += "exchange " + std::to_string(i + 1) + " (packet " + std::to_string(e.packet) + ", " +
                    std::string(uapi::name(e.protocol)) + ": " + what + "): " + std::to_string(differences.size()) +
                    (differences.size() == 1 ? " difference\n" : " differences\n");
            json += (differing == 1 ? "" : ",") + std::string("{\"exchange\":") + std::to_string(i + 1) +
                    ",\"packet\":" + std::to_string(e.packet) + ",\"differences\":[";
            std::vector<std::size_t> messages;
            for (std::size_t k = 0; k < differences.size(); ++k) {
                const auto& x = differences[k];
                text += "  reply " + std::to_string(x.message + 1) + ": " + dec::to_string(x) + "\n";
                json += (k == 0 ? "" : ",") + std::string("{\"reply\":") + std::to_string(x.message + 1) +
                        ",\"path\":" + dec::json_string(x.path) + ",\"kernel\":" + dec::json_string(x.left) +
                        ",\"model\":" + dec::json_string(x.right) + "}";
                if (std::find(messages.begin(), messages.end(), x.message) == messages.end()) {
                    messages.push_back(x.message);
                }
            }
            json += "],\"request_hex\":" + dec::json_string(dec::hex(e.request)) + ",\"replies\":[";
            text += "  request hex: " + dec::hex(e.request) + "\n";
            for (std::size_t k = 0; k < messages.size(); ++k) {
                const std::size_t at = messages[k];
                const std::string kernel_hex = at < kernel.size() ? dec::hex(kernel[at].bytes) : "";
                const std::string model_hex = at < model.size() ? dec::hex(model[at].bytes) : "";
                const std::string reply = "  reply " + std::to_string(at + 1);
                text += reply + " kernel hex: " + (kernel_hex.empty() ? "-" : kernel_hex) + "\n";
                text += reply + " model hex:  " + (model_hex.empty() ? "-" : model_hex) + "\n";
                json += (k == 0 ? "" : ",") + std::string("{\"reply\":") + std::to_string(at + 1) +
                        ",\"kernel_hex\":" + dec::json_string(kernel_hex) + ",\"model_hex\":" +
                        dec::json_string(model_hex) + "}";
            }
            json += "]}";
        }
        const std::string verdict = differing == 0   ? std::string("no differences")
                                    : differing == 1 ? std::string("1 exchange differs")
                                                     : std::to_string(differing) + " exchanges differ";
        text += std::to_string(exchanges.size()) + " exchanges, " + std::to_string(replies) +
                " kernel replies: " + verdict + "\n";
        json += "],\"kernel_replies\":" + std::to_string(replies) + "}\n";
        write_file(o.output, o.format == "json" ? json : text);
        return differing == 0 ? 0 : exit_differences;
    }

    // The replies.
    if (o.format == "raw") {
        std::string out;
        for (const auto& e : exchanges) {
            for (const auto& r : e.model_replies) {
                out += as_text(r);
            }
        }
        write_file(o.output, out);
        return 0;
    }
    if (o.format == "json") {
        std::string out = "{\"exchanges\":[";
        for (std::size_t i = 0; i < exchanges.size(); ++i) {
            const auto& e = exchanges[i];
            const auto c = decode_context(e.protocol, netdev_family);
            const auto requests = decode_all(e.request, c);
            out += (i == 0 ? "" : ",") + std::string("{\"index\":") + std::to_string(i + 1) +
                   ",\"socket\":" + socket_json(sockets[i]) + ",\"requests\":" + dec::to_json(requests) +
                   ",\"replies\":" + dec::to_json(decode_replies(e.model_replies, requests, c)) + "}";
        }
        out += "]";
        if (o.list) {
            out += ",\"world\":" + world_listing_json(w);
        }
        write_file(o.output, out + "}\n");
        return 0;
    }
    std::string out;
    for (std::size_t i = 0; i < exchanges.size(); ++i) {
        const auto& e = exchanges[i];
        const auto c = decode_context(e.protocol, netdev_family);
        const auto requests = decode_all(e.request, c);
        out += "=== exchange " + std::to_string(i + 1) + " (" + socket_text(sockets[i]) + ")\n";
        if (!o.replies_only) {
            for (const auto& r : requests) {
                out += "--> " + dec::to_text(r);
            }
        }
        for (const auto& r : decode_replies(e.model_replies, requests, c)) {
            out += "<-- " + dec::to_text(r);
        }
    }
    if (o.list) {
        out += world_listing_text(w);
    }
    write_file(o.output, out);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const fatal& f) {
        std::fprintf(stderr, "nk_netlink: %s\n", f.what.c_str());
        return exit_error;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nk_netlink: %s\n", e.what());
        return exit_error;
    }
}
