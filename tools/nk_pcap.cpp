// nk_pcap: replays a capture through a software NIC and netkit devices.
//
// Reads a classic pcap or pcapng file of Ethernet frames (io/pcap.hpp),
// builds a world from the command line — a software NIC with its RSS key,
// indirection table and hash fields (softnic.md SN-RSS), netkit pairs and
// single devices leasing NIC queues (lease.md §3), AF_XDP sockets and
// io_uring zero-copy areas on queues (lease.md QL-XSK, QL-MP-09), an XDP
// verdict, scripted netkit programs (mprog.md MP-63) and where up-the-stack
// frames are forwarded — and delivers every frame, one at a time, through
// the world's public operations: inject, poll, then transmit on a netkit
// device (device.md NK-XMIT). It prints the RSS distribution per queue and
// the outcome per endpoint, checks that every frame is accounted for exactly
// once (also against the NIC's own counters), and optionally writes one
// capture per endpoint with the original timestamps.
// docs/pcap-tool.md has a worked session.
//
// Exit status: 0 done and balanced, 1 the totals do not add up, 2 usage,
// input or set-up error.
#include <netkit/core/enum.hpp>
#include <netkit/core/kernel_profile.hpp>
#include <netkit/io/pcap.hpp>
#include <netkit/model/link_request.hpp>
#include <netkit/model/world.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using namespace netkit;

constexpr int exit_unbalanced = 1;
constexpr int exit_error = 2;

// A fatal usage, input or set-up error: printed, exit status 2.
struct fatal {
    std::string what;
};

constexpr std::string_view usage_text = R"(usage: nk_pcap [NIC] [NETKIT] [CONSUMERS] [OUTPUT] CAPTURE

CAPTURE is a classic pcap or pcapng file of Ethernet frames (link type 1).

NIC (a one-port software NIC named eth0, up):
  --profile NAME            kernel profile (default newest)
  --queues N                rx queues (default 4)
  --preset hwnic|nsim       hwnic: providers, DMA, AF_XDP zero-copy (default);
                            nsim: netdevsim, none of them
  --rss-key microsoft|HEX   40-byte Toeplitz key, hex with optional colons
                            (default microsoft, the verification key)
  --rss-hash toeplitz|xor|crc32
  --indirection default|equal:N|Q,Q,...
                            the table: i mod real-rx (default), i mod N over
                            the NIC's 128 entries, or exactly these entries
  --rss-fields FLOW=FIELDS[,FLOW=FIELDS...]
                            FLOW tcp4|udp4|other4|tcp6|udp6|other6 (other:
                            any other IP protocol and fragments);
                            FIELDS sdfn (4-tuple), sd (2-tuple), none
  --xdp pass|drop|aborted|tx|redirect-xsk[:multi-buffer]
                            the NIC's XDP program (default: none; --xsk
                            attaches redirect-xsk unless --xdp is given)

NETKIT (in the initial netns, up):
  --netkit 'NAME [peer=NAME] [pairing=pair|single] [mode=l2|l3]
            [policy=pass|drop] [peer-policy=pass|drop] [rx-queues=N]
            [peer-rx-queues=N] [lease=Q[,Q...]] [down] [peer-down]'
                            a pair (default peer NAME-peer) or a single
                            device; lease=Q leases eth0's queue Q onto the
                            peer (pair) or the device (single); queue counts
                            default to 1 + the number of leases (repeatable)
  --prog DEV:PROGRAM        attach a scripted program to the netkit device
                            DEV (a primary: BPF_NETKIT_PRIMARY; a peer:
                            BPF_NETKIT_PEER); programs run in the order given.
                            PROGRAM: pass | next | drop | mark=N (then next)
                            | priority=N (then next) | redirect=DEV |
                            redirect-peer=DEV (repeatable)
  --forward [Q[,Q...]=]DEV  frames eth0 passes up the stack (from queues Q,
                            or all) are transmitted on netkit device DEV
                            (repeatable; default: they stay in the stack)

CONSUMERS:
  --xsk DEV:Q[:copy|zero-copy|zero-copy-or-copy][:frame-size=N][:multi-buffer]
                            an AF_XDP socket bound to (DEV, Q); DEV is eth0
                            or a netkit device with a leased queue Q
  --zcrx DEV:Q[:buffers=N][:hold]
                            an io_uring zero-copy area (default 64 buffers);
                            the application returns each buffer at once
                            unless `hold` (turns on tcp-data-split)

OUTPUT:
  --format text|json        (default text)
  --frames                  also list every frame's queue and endpoint
  --count N                 replay only the first N frames
  --write-dir DIR           one pcap per endpoint, original timestamps
)";

// ------------------------------------------------------------------ helpers

// Decimal or 0x-hex, the whole word, within [min, max].
std::optional<std::int64_t> number(std::string_view text, std::int64_t min, std::int64_t max) {
    if (text.empty() || text.size() > 20) {
        return std::nullopt;
    }
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text.remove_prefix(2);
    }
    std::int64_t value = 0;
    for (const char c : text) {
        int digit = -1;
        if (c >= '0' && c <= '9') {
            digit = c - '0';
        } else if (base == 16 && c >= 'a' && c <= 'f') {
            digit = c - 'a' + 10;
        } else if (base == 16 && c >= 'A' && c <= 'F') {
            digit = c - 'A' + 10;
        }
        if (digit < 0 || digit >= base || value > (max - digit) / base) {
            return std::nullopt;
        }
        value = value * base + digit;
    }
    if (value < min) {
        return std::nullopt;
    }
    return value;
}

std::uint32_t u32_or_fail(std::string_view text, std::uint32_t min, std::uint32_t max, const std::string& what) {
    const auto v = number(text, min, max);
    if (!v) {
        throw fatal{what + ": '" + std::string(text) + "' is not a number in [" + std::to_string(min) + ", " +
                    std::to_string(max) + "]"};
    }
    return static_cast<std::uint32_t>(*v);
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

// Device names become file names in --write-dir: letters, digits, - _ .
bool valid_device_name(std::string_view name) {
    if (name.empty() || name == "." || name == "..") {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.';
    });
}

std::string device_name_or_fail(std::string_view name, const std::string& context) {
    if (!valid_device_name(name)) {
        throw fatal{context + ": '" + std::string(name) + "' is not a device name (letters, digits, - _ .)"};
    }
    return std::string(name);
}

// A capture larger than this is refused: it is read whole, and every frame
// is copied once more into the model.
constexpr std::size_t max_capture_size = 256U << 20;

std::vector<std::uint8_t> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw fatal{"cannot read " + path};
    }
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    if (size < 0) {
        throw fatal{"cannot read " + path};
    }
    if (static_cast<std::uint64_t>(size) > max_capture_size) {
        throw fatal{path + ": larger than " + std::to_string(max_capture_size) + " bytes"};
    }
    in.seekg(0, std::ios::beg);
    std::vector<std::uint8_t> out(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(out.size()));
    if (!in) {
        throw fatal{"cannot read " + path};
    }
    return out;
}

void write_file(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        throw fatal{"cannot write " + path.string()};
    }
}

std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", u);
            out += buffer;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) /
                                                                         static_cast<double>(whole));
    return buffer;
}

// "ring_full" → "ring-full": endpoint names are file names and read better
// with dashes.
std::string dashed(std::string_view name) {
    std::string out(name);
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
}

// ------------------------------------------------------------------ options

struct netkit_option {
    std::string text;  // as written, for error messages
    std::string name;
    std::optional<std::string> peer;
    bool single = false;
    uapi::mode mode = uapi::mode::l2;
    std::optional<std::uint32_t> policy;
    std::optional<std::uint32_t> peer_policy;
    std::optional<std::uint32_t> rx_queues;
    std::optional<std::uint32_t> peer_rx_queues;
    std::vector<std::uint32_t> leases;
    bool down = false;
    bool peer_down = false;
};

struct program_option {
    std::string text;
    std::string device;
    std::string program;  // pass, next, drop, mark=N, priority=N, redirect=DEV, redirect-peer=DEV
};

struct xsk_option {
    std::string text;
    std::string device;
    std::uint32_t queue = 0;
    model::lease::xsk_options options;
};

struct zcrx_option {
    std::string text;
    std::string device;
    std::uint32_t queue = 0;
    std::uint32_t buffers = 64;
    bool hold = false;
};

struct forward_option {
    std::string text;
    std::optional<std::vector<std::uint32_t>> queues;  // nullopt: every queue
    std::string device;
};

struct options {
    std::optional<std::string> capture;
    std::string profile = "newest";
    std::uint32_t queues = 4;
    bool hardware = true;
    std::optional<std::string> rss_key;
    std::optional<model::softnic::hash_function> rss_hash;
    std::optional<std::string> indirection;
    std::vector<std::string> rss_fields;
    std::optional<model::xdp_program> xdp;
    std::vector<netkit_option> netkits;
    std::vector<program_option> programs;
    std::vector<forward_option> forwards;
    std::vector<xsk_option> xsks;
    std::vector<zcrx_option> zcrxs;
    std::string format = "text";
    bool frames = false;
    std::optional<std::uint64_t> count;
    std::optional<std::string> write_dir;
};

std::optional<std::uint32_t> policy_of(std::string_view v) {
    if (v == "pass") {
        return static_cast<std::uint32_t>(uapi::action::pass);
    }
    if (v == "drop") {
        return static_cast<std::uint32_t>(uapi::action::drop);
    }
    return std::nullopt;
}

netkit_option parse_netkit(const std::string& text) {
    netkit_option o;
    o.text = text;
    const std::string context = "--netkit '" + text + "'";
    std::istringstream in(text);
    std::string word;
    while (in >> word) {
        const auto eq = word.find('=');
        const std::string key = word.substr(0, eq);
        const std::string value = eq == std::string::npos ? std::string{} : word.substr(eq + 1);
        if (o.name.empty()) {
            if (eq != std::string::npos) {
                throw fatal{context + ": the first word is the device name"};
            }
            o.name = device_name_or_fail(word, context);
        } else if (key == "peer" && eq != std::string::npos) {
            o.peer = device_name_or_fail(value, context);
        } else if (key == "pairing" && (value == "pair" || value == "single")) {
            o.single = value == "single";
        } else if (key == "mode" && (value == "l2" || value == "l3")) {
            o.mode = value == "l2" ? uapi::mode::l2 : uapi::mode::l3;
        } else if ((key == "policy" || key == "peer-policy") && policy_of(value)) {
            (key == "policy" ? o.policy : o.peer_policy) = policy_of(value);
        } else if (key == "rx-queues" && eq != std::string::npos) {
            o.rx_queues = u32_or_fail(value, 1, uapi::max_rx_queues, context + " rx-queues");
        } else if (key == "peer-rx-queues" && eq != std::string::npos) {
            o.peer_rx_queues = u32_or_fail(value, 1, uapi::max_rx_queues, context + " peer-rx-queues");
        } else if (key == "lease" && eq != std::string::npos) {
            for (const auto q : split(value, ',')) {
                o.leases.push_back(u32_or_fail(q, 0, 1023, context + " lease"));
            }
        } else if (word == "down") {
            o.down = true;
        } else if (word == "peer-down") {
            o.peer_down = true;
        } else {
            throw fatal{context + ": unknown word '" + word +
                        "' (peer=, pairing=pair|single, mode=l2|l3, policy=pass|drop, peer-policy=, rx-queues=, "
                        "peer-rx-queues=, lease=, down, peer-down)"};
        }
    }
    if (o.name.empty()) {
        throw fatal{"--netkit: empty description"};
    }
    if (o.single && (o.peer || o.peer_policy || o.peer_rx_queues || o.peer_down)) {
        throw fatal{context + ": a single device has no peer (peer=, peer-policy=, peer-rx-queues=, peer-down)"};
    }
    if (!o.single && o.rx_queues) {
        throw fatal{context + ": a pair leases onto its peer: use peer-rx-queues="};
    }
    if (!o.single && !o.peer) {
        o.peer = o.name + "-peer";
    }
    return o;
}

// DEV:Q[:word...]
std::pair<std::string, std::uint32_t> device_queue(std::string_view text, std::vector<std::string_view>& rest,
                                                   const std::string& context) {
    auto parts = split(text, ':');
    if (parts.size() < 2) {
        throw fatal{context + ": wants DEV:QUEUE[:...], got '" + std::string(text) + "'"};
    }
    const std::string device = device_name_or_fail(parts[0], context);
    const std::uint32_t queue = u32_or_fail(parts[1], 0, 1023, context + " QUEUE");
    rest.assign(parts.begin() + 2, parts.end());
    return {device, queue};
}

xsk_option parse_xsk(const std::string& text) {
    xsk_option o;
    o.text = text;
    const std::string context = "--xsk " + text;
    std::vector<std::string_view> rest;
    std::tie(o.device, o.queue) = device_queue(text, rest, context);
    for (const auto word : rest) {
        if (word == "copy") {
            o.options.mode = model::xsk_mode::copy;
        } else if (word == "zero-copy") {
            o.options.mode = model::xsk_mode::zero_copy_forced;
        } else if (word == "zero-copy-or-copy") {
            o.options.mode = model::xsk_mode::zero_copy_or_copy;
        } else if (word == "multi-buffer") {
            o.options.multi_buffer = true;
        } else if (word.rfind("frame-size=", 0) == 0) {
            o.options.frame_size = u32_or_fail(word.substr(11), 1, 65536, context + " frame-size");
        } else {
            throw fatal{context + ": unknown word '" + std::string(word) +
                        "' (copy, zero-copy, zero-copy-or-copy, frame-size=N, multi-buffer)"};
        }
    }
    return o;
}

zcrx_option parse_zcrx(const std::string& text) {
    zcrx_option o;
    o.text = text;
    const std::string context = "--zcrx " + text;
    std::vector<std::string_view> rest;
    std::tie(o.device, o.queue) = device_queue(text, rest, context);
    for (const auto word : rest) {
        if (word == "hold") {
            o.hold = true;
        } else if (word.rfind("buffers=", 0) == 0) {
            o.buffers = u32_or_fail(word.substr(8), 1, 65536, context + " buffers");
        } else {
            throw fatal{context + ": unknown word '" + std::string(word) + "' (buffers=N, hold)"};
        }
    }
    return o;
}

program_option parse_program(const std::string& text) {
    const auto colon = text.find(':');
    if (colon == std::string::npos) {
        throw fatal{"--prog wants DEV:PROGRAM, got '" + text + "'"};
    }
    program_option o;
    o.text = text;
    o.device = device_name_or_fail(std::string_view(text).substr(0, colon), "--prog " + text);
    o.program = text.substr(colon + 1);
    return o;
}

forward_option parse_forward(const std::string& text) {
    forward_option o;
    o.text = text;
    const auto eq = text.find('=');
    if (eq == std::string::npos) {
        o.device = device_name_or_fail(text, "--forward " + text);
        return o;
    }
    o.queues.emplace();
    for (const auto q : split(std::string_view(text).substr(0, eq), ',')) {
        o.queues->push_back(u32_or_fail(q, 0, 1023, "--forward " + text + " QUEUE"));
    }
    o.device = device_name_or_fail(std::string_view(text).substr(eq + 1), "--forward " + text);
    return o;
}

options parse_options(int argc, char** argv) {
    options o;
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
            if (!core::profile_from_name(o.profile)) {
                std::string known;
                for (const auto& t : core::all_profiles) {
                    known += ' ';  // not " " + a temporary: GCC 12 -O3 -Wrestrict false positive
                    known += t.name;
                }
                throw fatal{"unknown profile '" + o.profile + "'; known:" + known};
            }
        } else if (arg == "--queues") {
            o.queues = u32_or_fail(value(), 1, 1024, "--queues");
        } else if (arg == "--preset") {
            const std::string v = value();
            if (v != "hwnic" && v != "nsim") {
                throw fatal{"--preset must be hwnic or nsim"};
            }
            o.hardware = v == "hwnic";
        } else if (arg == "--rss-key") {
            o.rss_key = value();
        } else if (arg == "--rss-hash") {
            const std::string v = value();
            if (v == "toeplitz") {
                o.rss_hash = model::softnic::hash_function::toeplitz;
            } else if (v == "xor") {
                o.rss_hash = model::softnic::hash_function::xor_fold;
            } else if (v == "crc32") {
                o.rss_hash = model::softnic::hash_function::crc32;
            } else {
                throw fatal{"--rss-hash must be toeplitz, xor or crc32"};
            }
        } else if (arg == "--indirection") {
            o.indirection = value();
        } else if (arg == "--rss-fields") {
            o.rss_fields.push_back(value());
        } else if (arg == "--xdp") {
            const std::string v = value();
            auto parts = split(v, ':');
            model::xdp_program p;
            if (parts.size() == 2 && parts[1] == "multi-buffer") {
                p.multi_buffer = true;
                parts.pop_back();
            }
            const std::map<std::string_view, model::xdp_verdict> verdicts{
                {"pass", model::xdp_verdict::pass},
                {"drop", model::xdp_verdict::drop},
                {"aborted", model::xdp_verdict::aborted},
                {"tx", model::xdp_verdict::tx},
                {"redirect-xsk", model::xdp_verdict::redirect_xsk}};
            const auto it = parts.size() == 1 ? verdicts.find(parts[0]) : verdicts.end();
            if (it == verdicts.end()) {
                throw fatal{"--xdp wants pass|drop|aborted|tx|redirect-xsk[:multi-buffer], got '" + v + "'"};
            }
            p.verdict = it->second;
            o.xdp = p;
        } else if (arg == "--netkit") {
            o.netkits.push_back(parse_netkit(value()));
        } else if (arg == "--prog") {
            o.programs.push_back(parse_program(value()));
        } else if (arg == "--forward") {
            o.forwards.push_back(parse_forward(value()));
        } else if (arg == "--xsk") {
            o.xsks.push_back(parse_xsk(value()));
        } else if (arg == "--zcrx") {
            o.zcrxs.push_back(parse_zcrx(value()));
        } else if (arg == "--format") {
            o.format = value();
            if (o.format != "text" && o.format != "json") {
                throw fatal{"--format must be text or json"};
            }
        } else if (arg == "--frames") {
            flag();
            o.frames = true;
        } else if (arg == "--count") {
            const std::string v = value();
            const auto n = number(v, 0, 0x7fffffffffffffffLL);
            if (!n) {
                throw fatal{"--count: '" + v + "' is not a number"};
            }
            o.count = static_cast<std::uint64_t>(*n);
        } else if (arg == "--write-dir") {
            o.write_dir = value();
        } else if (arg.size() > 1 && arg[0] == '-') {
            throw fatal{"unknown argument '" + arg + "' (see --help)"};
        } else if (o.capture) {
            throw fatal{"one capture only: '" + *o.capture + "' and '" + arg + "'"};
        } else {
            o.capture = arg;
        }
    }
    if (!o.capture) {
        throw fatal{"no capture given (see --help)"};
    }
    return o;
}

// ------------------------------------------------------------------ set-up

// What deliver() needs to know about the world it was given: the NIC, where
// stack frames go, and a printable endpoint name per consumer.
struct setup {
    core::device_handle nic;
    std::map<std::uint32_t, core::device_handle> forward;  // per NIC queue
    std::optional<core::device_handle> forward_rest;       // every other queue
    std::optional<model::xdp_verdict> xdp;
    std::map<std::uint32_t, std::string> sockets;  // socket id → endpoint
    struct area {
        std::string endpoint;
        bool hold = false;
    };
    std::map<std::uint32_t, area> areas;  // area id → endpoint
    bool redirects = false;               // some program redirects (nested transmits)
    std::vector<std::string> notes;       // what the set-up did, for the report
};

template <class T>
T value_or_fail(core::result<T> r, const std::string& context) {
    if (!r) {
        throw fatal{context + ": " + core::to_string(r.failure())};
    }
    return std::move(r).value();
}

void ok_or_fail(const core::status& s, const std::string& context) {
    if (!s) {
        throw fatal{context + ": " + core::to_string(s.failure())};
    }
}

const model::device& device_named(const model::world& w, const std::string& name, const std::string& context) {
    const model::device* d = w.find(model::world::initial_netns(), name);
    if (d == nullptr) {
        throw fatal{context + ": no device named '" + name + "' (ENODEV)"};
    }
    return *d;
}

std::vector<std::uint8_t> parse_key(const std::string& text) {
    if (text == "microsoft") {
        return {model::microsoft_rss_key.begin(), model::microsoft_rss_key.end()};
    }
    std::string digits;
    for (const char c : text) {
        if (c != ':') {
            digits += c;
        }
    }
    if (digits.size() % 2 != 0) {
        throw fatal{"--rss-key: an odd number of hex digits"};
    }
    std::vector<std::uint8_t> key;
    for (std::size_t i = 0; i < digits.size(); i += 2) {
        const auto byte = number("0x" + digits.substr(i, 2), 0, 255);
        if (!byte) {
            throw fatal{"--rss-key: '" + digits.substr(i, 2) + "' is not a hex byte"};
        }
        key.push_back(static_cast<std::uint8_t>(*byte));
    }
    return key;  // the model checks the length (SN-RSS-01)
}

model::rss_fields parse_fields(const std::vector<std::string>& texts) {
    model::rss_fields fields;
    for (const auto& text : texts) {
        for (const auto item : split(text, ',')) {
            const auto eq = item.find('=');
            const std::string_view flow = item.substr(0, eq);
            const std::string_view choice = eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
            std::optional<model::rss_tuple> tuple;
            if (choice == "sdfn") {
                tuple = model::rss_tuple::four_tuple;
            } else if (choice == "sd") {
                tuple = model::rss_tuple::two_tuple;
            } else if (choice == "none") {
                tuple = model::rss_tuple::none;
            }
            model::rss_tuple* slot = flow == "tcp4"     ? &fields.tcp4
                                     : flow == "udp4"   ? &fields.udp4
                                     : flow == "other4" ? &fields.other4
                                     : flow == "tcp6"   ? &fields.tcp6
                                     : flow == "udp6"   ? &fields.udp6
                                     : flow == "other6" ? &fields.other6
                                                        : nullptr;
            if (slot == nullptr || !tuple) {
                throw fatal{"--rss-fields: '" + std::string(item) +
                            "' is not FLOW=FIELDS (tcp4|udp4|other4|tcp6|udp6|other6 = sdfn|sd|none)"};
            }
            *slot = *tuple;
        }
    }
    return fields;
}

std::vector<std::uint32_t> parse_indirection(const std::string& text, std::uint32_t table_size) {
    if (text == "default") {
        return {};  // SN-RSS-06: an empty table restores the default
    }
    if (text.rfind("equal:", 0) == 0) {
        const std::uint32_t n = u32_or_fail(std::string_view(text).substr(6), 1, 1024, "--indirection equal");
        std::vector<std::uint32_t> table(table_size);
        for (std::uint32_t i = 0; i < table_size; ++i) {
            table[i] = i % n;
        }
        return table;
    }
    std::vector<std::uint32_t> table;
    for (const auto entry : split(text, ',')) {
        table.push_back(u32_or_fail(entry, 0, 1023, "--indirection"));
    }
    return table;
}

model::script parse_script(const model::world& w, const program_option& p) {
    using uapi::action;
    const std::string context = "--prog " + p.text;
    const auto eq = p.program.find('=');
    const std::string key = p.program.substr(0, eq);
    const std::string value = eq == std::string::npos ? std::string{} : p.program.substr(eq + 1);
    model::script s;
    if (p.program == "pass" || p.program == "next" || p.program == "drop") {
        s = model::returns(p.program == "pass" ? action::pass : p.program == "next" ? action::next : action::drop);
    } else if (key == "mark" && eq != std::string::npos) {
        s = model::returns(action::next);
        s.set_mark = u32_or_fail(value, 0, 0xffffffffU, context);
    } else if (key == "priority" && eq != std::string::npos) {
        s = model::returns(action::next);
        s.set_priority = u32_or_fail(value, 0, 0xffffffffU, context);
    } else if ((key == "redirect" || key == "redirect-peer") && eq != std::string::npos) {
        s = model::returns(action::redirect);
        const auto& target = device_named(w, device_name_or_fail(value, context), context);
        s.redirect = model::redirect_target{target.ifindex,
                                            key == "redirect" ? model::redirect_mode::egress
                                                              : model::redirect_mode::peer};
    } else {
        throw fatal{context + ": unknown program '" + p.program +
                    "' (pass, next, drop, mark=N, priority=N, redirect=DEV, redirect-peer=DEV)"};
    }
    return s;
}

// The world and what deliver() needs, in a fixed order: the NIC (rings, up,
// RSS), the netkit devices (up), their leases, the programs, the
// forwarding, the zero-copy areas, the XDP program, the AF_XDP sockets. A
// refusal stops the run with the model's errno and extack.
setup build(model::world& w, const options& o) {
    using model::world;
    const model::caller root = world::root();
    setup s;
    const model::softnic::spec spec{1, o.queues,
                                    o.hardware ? model::softnic_config::hwnic() : model::softnic_config::nsim()};
    s.nic = value_or_fail(w.create_softnic(spec), "--queues/--preset").front();
    const std::string nic_name = w.at(s.nic).name;
    if (!o.zcrxs.empty()) {
        // Memory providers need header-data split (QL-MP-06), as
        // `ethtool -G eth0 tcp-data-split on` would set it.
        ok_or_fail(w.ethtool_set_rings(s.nic, model::softnic::ring_request{model::tcp_data_split::enabled, {}, {}, {}}),
                   "--zcrx: tcp-data-split on " + nic_name);
        s.notes.push_back("tcp-data-split on " + nic_name + " (for --zcrx)");
    }
    ok_or_fail(w.open(s.nic), nic_name + " up");
    if (o.rss_key) {
        ok_or_fail(w.set_rss_key(s.nic, parse_key(*o.rss_key)), "--rss-key");
    }
    if (o.rss_hash) {
        ok_or_fail(w.set_rss_hash_function(s.nic, *o.rss_hash), "--rss-hash");
    }
    if (o.indirection) {
        const auto table = parse_indirection(*o.indirection, w.at(s.nic).nic->config.rss_table_size);
        ok_or_fail(w.set_rss_indirection(s.nic, table), "--indirection " + *o.indirection);
    }
    if (!o.rss_fields.empty()) {
        ok_or_fail(w.set_rss_fields(s.nic, parse_fields(o.rss_fields)), "--rss-fields");
    }

    {
        // What the NIC holds now, read back from the model.
        const model::softnic_state& nic = *w.at(s.nic).nic;
        auto tuple = [](model::rss_tuple t) {
            return t == model::rss_tuple::four_tuple ? "sdfn" : t == model::rss_tuple::two_tuple ? "sd" : "none";
        };
        const auto& f = nic.fields;
        s.notes.push_back(nic_name + " RSS: key " +
                          std::string(nic.key == model::microsoft_rss_key ? "microsoft" : "custom") +
                          ", indirection " + std::to_string(nic.indirection.size()) + " entries" +
                          (nic.indirection_user_configured ? "" : " (default)") + ", tcp4=" + tuple(f.tcp4) +
                          " udp4=" + tuple(f.udp4) + " other4=" + tuple(f.other4) + " tcp6=" + tuple(f.tcp6) +
                          " udp6=" + tuple(f.udp6) + " other6=" + tuple(f.other6));
    }

    for (const auto& n : o.netkits) {
        const std::string context = "--netkit '" + n.text + "'";
        const auto queues = static_cast<std::uint32_t>(1 + n.leases.size());
        model::link_request request;
        if (n.single) {
            request = model::requests::netkit_single(n.name, n.rx_queues.value_or(queues));
            request.linkinfo->data->insert(request.linkinfo->data->begin(),
                                           model::requests::attr(uapi::netkit_attr::mode,
                                                                 static_cast<std::uint32_t>(n.mode)));
        } else {
            request = model::requests::netkit_pair(n.name, *n.peer, n.peer_rx_queues.value_or(queues), std::nullopt,
                                                   n.mode);
        }
        if (n.policy) {
            request.linkinfo->data->push_back(model::requests::attr(uapi::netkit_attr::policy, *n.policy));
        }
        if (n.peer_policy) {
            request.linkinfo->data->push_back(model::requests::attr(uapi::netkit_attr::peer_policy, *n.peer_policy));
        }
        const auto created = value_or_fail(w.new_link(root, request), context);
        if (!n.down) {
            ok_or_fail(w.open(created.device), context + ": " + n.name + " up");
        }
        if (created.peer && !n.peer_down) {
            ok_or_fail(w.open(*created.peer), context + ": " + *n.peer + " up");
        }
        const core::device_handle lessee = created.peer.value_or(created.device);
        for (const auto q : n.leases) {
            const auto k = value_or_fail(
                w.queue_create(root, model::lease::queue_create_request::rx(w.at(lessee).ifindex,
                                                                            w.at(s.nic).ifindex, q)),
                context + ": lease " + nic_name + " queue " + std::to_string(q));
            s.notes.push_back(nic_name + " queue " + std::to_string(q) + " leased to " + w.at(lessee).name +
                              " queue " + std::to_string(k));
        }
    }

    for (const auto& p : o.programs) {
        const std::string context = "--prog " + p.text;
        const model::device& d = device_named(w, p.device, context);
        if (!d.is_netkit()) {
            throw fatal{context + ": " + p.device + " is not a netkit device (ENXIO)"};
        }
        model::script script = parse_script(w, p);
        s.redirects = s.redirects || script.redirect.has_value();
        // A peer's programs are attached through its primary (MP-13).
        std::int32_t target = d.ifindex;
        auto type = uapi::bpf_attach_type::netkit_primary;
        if (!d.netkit->primary && d.netkit->peer) {
            target = w.at(*d.netkit->peer).ifindex;
            type = uapi::bpf_attach_type::netkit_peer;
        }
        const std::int32_t fd = w.load_program(model::bpf::program_spec{p.program, std::move(script), nullptr,
                                                                         uapi::bpf_program_type::traffic_classifier,
                                                                         false});
        model::bpf::link_create_args args;
        args.program_fd = fd;
        args.target_ifindex = target;
        args.type = type;
        (void)value_or_fail(w.link_create(root, args), context);
        s.notes.push_back("program " + p.program + " on " + p.device + " (" + std::string(uapi::name(type)) + ")");
    }

    for (const auto& f : o.forwards) {
        const std::string context = "--forward " + f.text;
        const model::device& d = device_named(w, f.device, context);
        if (!d.is_netkit()) {
            throw fatal{context + ": " + f.device + " is not a netkit device (ENXIO)"};
        }
        if (!f.queues) {
            s.forward_rest = d.handle;
            continue;
        }
        std::string listed;
        for (const auto q : *f.queues) {
            if (q >= w.at(s.nic).real_rx_queues) {
                throw fatal{context + ": " + nic_name + " has no queue " + std::to_string(q) + " (EINVAL)"};
            }
            s.forward[q] = d.handle;
            if (!listed.empty()) {
                listed += ',';
            }
            listed += std::to_string(q);
        }
        s.notes.push_back("stack frames of queue " + listed + " transmitted on " + f.device);
    }
    if (s.forward_rest) {
        s.notes.push_back("stack frames of " + std::string(s.forward.empty() ? "every queue" : "the other queues") +
                          " transmitted on " + w.at(*s.forward_rest).name);
    }

    for (const auto& z : o.zcrxs) {
        const std::string context = "--zcrx " + z.text;
        const model::device& d = device_named(w, z.device, context);
        const auto id = value_or_fail(w.zcrx_register(root, d.ifindex, z.queue, z.buffers), context);
        s.areas[id] = setup::area{"zcrx-" + z.device + "-q" + std::to_string(z.queue), z.hold};
    }

    std::optional<model::xdp_program> xdp = o.xdp;
    if (!xdp && !o.xsks.empty()) {
        xdp = model::xdp_program{model::xdp_verdict::redirect_xsk, false};
        s.notes.push_back("XDP redirect-xsk attached to " + nic_name + " (for --xsk)");
    }
    if (xdp) {
        ok_or_fail(w.attach_xdp(s.nic, xdp), "--xdp on " + nic_name);
        s.xdp = xdp->verdict;
    }

    for (const auto& x : o.xsks) {
        const std::string context = "--xsk " + x.text;
        const model::device& d = device_named(w, x.device, context);
        const auto id = value_or_fail(w.xsk_bind(root, d.ifindex, x.queue, x.options), context);
        const model::xsk_socket* socket = w.socket(id);
        s.sockets[id] = "xsk-" + x.device + "-q" + std::to_string(x.queue);
        if (x.options.mode != model::xsk_mode::copy) {
            s.notes.push_back(s.sockets[id] + (socket->zero_copy ? " in zero-copy mode" : " fell back to copy mode"));
        }
    }
    return s;
}

// ------------------------------------------------------------------ delivery

// Where one frame ended.
struct outcome {
    std::uint32_t queue = 0;   // the NIC queue RSS chose
    std::string endpoint;      // "stack", "netkit-nk0-peer", "drop-ring-full", ...
    bool dropped = false;
    bool transmitted = false;  // went through a netkit transmit
    std::uint32_t mark = 0;    // as the receiving device got it
};

outcome dropped(std::uint32_t queue, std::string_view reason, bool transmitted = false) {
    return outcome{queue, "drop-" + dashed(reason), true, transmitted, 0};
}

// rx_end::dropped_ring_full → "ring_full".
std::string_view reason_of(model::softnic::rx_end end) {
    std::string_view name = core::enum_name(end);
    constexpr std::string_view prefix = "dropped_";
    core::expects(name.starts_with(prefix), "a receive drop is named dropped_…");
    return name.substr(prefix.size());
}

// One frame through the world: onto the wire of the NIC (RSS picks the
// queue, SN-RX-01), one NAPI poll of that queue (SN-RX-03: XDP, AF_XDP,
// memory provider or the stack), then, for the stack, a transmit on the
// netkit device the queue forwards to (NK-XMIT). The single entry point of
// the replay, so the batched path (packet/path.hpp) can take its place.
outcome deliver(model::world& w, const setup& s, const model::frame& f) {
    using model::softnic::rx_end;
    const auto injected = w.inject(s.nic, f);
    core::expects(injected.ok(), "inject on the tool's own NIC is refused");
    const std::uint32_t queue = injected.value().queue;
    if (injected.value().end != rx_end::queued) {
        return dropped(queue, reason_of(injected.value().end));
    }
    const auto polled = w.poll(s.nic, queue);
    core::expects(polled.ok() && polled.value().size() == 1, "a poll after one inject yields that one frame");
    const model::softnic::rx_outcome r = polled.value().front();
    switch (r.end) {
        case rx_end::af_xdp: return outcome{queue, s.sockets.at(r.consumer), false, false, 0};
        case rx_end::zero_copy: {
            const setup::area& a = s.areas.at(r.consumer);
            if (!a.hold) {
                // The application takes the buffer and gives it back at once.
                const auto taken = w.consumer_receive(r.consumer, 1);
                core::expects(taken.ok() && taken.value().size() == 1, "the filled buffer is in the ring");
                core::expects(w.consumer_refill(r.consumer, taken.value().front()).ok(), "the buffer goes back");
            }
            return outcome{queue, a.endpoint, false, false, 0};
        }
        case rx_end::xdp_consumed:
            // The model's XDP programs are fixed verdicts: TX bounces the
            // frame out of the NIC, DROP and ABORTED drop it.
            if (s.xdp == model::xdp_verdict::tx) {
                return outcome{queue, "xdp-tx", false, false, 0};
            }
            return dropped(queue, "xdp-" + std::string(core::enum_name(s.xdp.value_or(model::xdp_verdict::drop))));
        case rx_end::stack: break;
        case rx_end::queued: core::expects(false, "a polled frame is not left queued"); break;
        default: return dropped(queue, reason_of(r.end));
    }
    const auto it = s.forward.find(queue);
    const std::optional<core::device_handle> to = it != s.forward.end() ? std::optional(it->second) : s.forward_rest;
    if (!to) {
        return outcome{queue, "stack", false, false, 0};
    }
    const model::transmit_result t = w.transmit(*to, f);
    if (t.status == model::transmit_status::dropped) {
        return dropped(queue, core::enum_name(t.reason), true);
    }
    if (t.delivered) {
        if (t.delivered->ingress_verdict == static_cast<std::int32_t>(uapi::action::drop)) {
            return dropped(queue, core::enum_name(model::drop_reason::ingress_program), true);
        }
        return outcome{queue, "netkit-" + w.at(t.delivered->device).name, false, true, t.delivered->frame.mark};
    }
    if (t.redirected_to) {
        return outcome{queue, "redirect-" + w.at(*t.redirected_to).name, false, true, 0};
    }
    // NK-XMIT-12: a redirect whose target does not exist frees the frame.
    return dropped(queue, core::enum_name(model::drop_reason::redirect_target_missing), true);
}

model::frame frame_of(const io::packet& p) {
    model::frame f;
    f.bytes = p.data;
    if (f.bytes.size() >= 14) {
        f.protocol = static_cast<std::uint16_t>((f.bytes[12] << 8) | f.bytes[13]);  // eth_type_trans
    }
    f.timestamp = p.timestamp_ns;
    return f;
}

// ------------------------------------------------------------------ capture

// io::read_capture keeps every length inside the buffer; a classic header's
// snapshot length is not a length it reads by, so an absurd one is refused
// here. No link type allows more than 128 MiB (libpcap's largest per-type
// maximum, D-Bus); Ethernet's is 262144.
constexpr std::uint32_t max_snapshot_length = 128U << 20;

std::vector<io::packet> read_capture(const std::string& path) {
    const auto bytes = read_file(path);
    if (bytes.size() >= 24) {
        const std::uint32_t magic = std::uint32_t{bytes[0]} | (std::uint32_t{bytes[1]} << 8) |
                                    (std::uint32_t{bytes[2]} << 16) | (std::uint32_t{bytes[3]} << 24);
        const bool little = magic == 0xa1b2c3d4U || magic == 0xa1b23c4dU;
        const bool big = magic == 0xd4c3b2a1U || magic == 0x4d3cb2a1U;
        if (little || big) {
            const std::uint8_t* p = bytes.data() + 16;
            const std::uint32_t snap = little ? std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) |
                                                    (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24)
                                              : (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                                                    (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
            if (snap > max_snapshot_length) {
                throw fatal{path + ": snapshot length " + std::to_string(snap) + " is absurd (more than " +
                            std::to_string(max_snapshot_length) + ") at byte 16"};
            }
        }
    }
    auto packets = io::read_capture(bytes);
    if (!packets) {
        throw fatal{path + ": " + packets.failure().message};
    }
    for (std::size_t i = 0; i < packets.value().size(); ++i) {
        const std::uint32_t link = packets.value()[i].link_type;
        if (link != io::linktype_ethernet) {
            throw fatal{path + ": packet " + std::to_string(i + 1) + " has link type " + std::to_string(link) +
                        (link == io::linktype_netlink ? " (LINKTYPE_NETLINK; see nk_netlink --pcap)" : "") +
                        ", not Ethernet (1)"};
        }
    }
    return std::move(packets).value();
}

// ------------------------------------------------------------------ report

struct endpoint_count {
    std::uint64_t frames = 0;
    bool dropped = false;
    std::map<std::uint32_t, std::uint64_t> marks;  // non-zero marks seen
    std::vector<io::packet> packets;               // for --write-dir
};

struct check {
    std::string what;
    std::uint64_t expected = 0;
    std::uint64_t got = 0;
    bool ok() const { return expected == got; }
};

std::uint64_t nic_received(const model::world& w, const setup& s) {
    const auto& c = w.at(s.nic).counters;
    std::uint64_t n = c.rx_packets + c.rx_dropped;
    for (const auto& [id, name] : s.sockets) {
        n += w.socket(id)->rx_dropped;  // QL-XSK-12 counts on the socket
    }
    return n;
}

int run(int argc, char** argv) {
    const options o = parse_options(argc, argv);
    auto packets = read_capture(*o.capture);
    if (o.count && *o.count < packets.size()) {
        packets.resize(static_cast<std::size_t>(*o.count));
    }

    model::world w(core::traits_of(*core::profile_from_name(o.profile)));
    const setup s = build(w, o);
    const std::string nic_name = w.at(s.nic).name;
    const std::uint32_t queues = w.at(s.nic).real_rx_queues;

    std::map<core::device_handle, std::uint64_t> transmitted_before;
    std::set<core::device_handle> forward_devices;
    for (const auto& [q, h] : s.forward) {
        forward_devices.insert(h);
    }
    if (s.forward_rest) {
        forward_devices.insert(*s.forward_rest);
    }
    for (const auto h : forward_devices) {
        transmitted_before[h] = w.at(h).counters.tx_packets + w.at(h).counters.tx_dropped;
    }
    const std::uint64_t nic_before = nic_received(w, s);

    std::vector<std::uint64_t> per_queue(queues, 0);
    std::map<std::string, endpoint_count> endpoints;
    std::uint64_t transmits = 0;  // frames deliver() handed to a netkit transmit
    std::string trace_text;
    std::string trace_json;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const outcome r = deliver(w, s, frame_of(packets[i]));
        core::expects(r.queue < queues, "RSS chose a queue the NIC does not have");
        ++per_queue[r.queue];
        endpoint_count& e = endpoints[r.endpoint];
        ++e.frames;
        e.dropped = r.dropped;
        if (r.mark != 0) {
            ++e.marks[r.mark];
        }
        if (o.write_dir) {
            e.packets.push_back(packets[i]);
        }
        transmits += r.transmitted ? 1U : 0U;
        if (o.frames) {
            trace_text += "  " + std::to_string(i + 1) + " queue " + std::to_string(r.queue) + " " + r.endpoint + "\n";
            trace_json += std::string(i == 0 ? "" : ",") + "{\"frame\":" + std::to_string(i + 1) +
                          ",\"queue\":" + std::to_string(r.queue) + ",\"endpoint\":" + json_string(r.endpoint) + "}";
        }
    }
    // Conservation: every frame on exactly one queue and in exactly one
    // endpoint, and the NIC's counters (rx_packets + rx_dropped, plus the
    // sockets' rx_dropped, SN-RX and QL-XSK-12) moved by the frame count.
    const std::uint64_t total = packets.size();
    std::uint64_t queued = 0;
    for (const auto n : per_queue) {
        queued += n;
    }
    std::uint64_t delivered = 0;
    std::uint64_t drops = 0;
    for (const auto& [name, e] : endpoints) {
        (e.dropped ? drops : delivered) += e.frames;
    }
    std::vector<check> checks{
        {"frames on a queue", total, queued},
        {"frames delivered or dropped", total, delivered + drops},
        {nic_name + " rx_packets + rx_dropped (+ sockets' rx_dropped)", total, nic_received(w, s) - nic_before},
    };
    if (!s.redirects) {
        // Without redirects every transmit on a forwarding device is one of
        // ours: its tx_packets + tx_dropped moved by the frames the stack
        // handed it (NK-XMIT-10/13).
        std::uint64_t got = 0;
        for (const auto h : forward_devices) {
            got += w.at(h).counters.tx_packets + w.at(h).counters.tx_dropped - transmitted_before[h];
        }
        if (!forward_devices.empty()) {
            checks.push_back({"netkit tx_packets + tx_dropped", transmits, got});
        }
    }
    const bool balanced = std::all_of(checks.begin(), checks.end(), [](const check& c) { return c.ok(); });

    std::vector<std::string> written;
    if (o.write_dir) {
        std::error_code ec;
        std::filesystem::create_directories(*o.write_dir, ec);
        if (ec) {
            throw fatal{"--write-dir " + *o.write_dir + ": " + ec.message()};
        }
        for (const auto& [name, e] : endpoints) {
            const auto path = std::filesystem::path(*o.write_dir) / (name + ".pcap");
            write_file(path, io::write_pcap(e.packets, io::linktype_ethernet));
            written.push_back(path.string());
        }
    }

    std::string out;
    if (o.format == "json") {
        out = "{\"capture\":" + json_string(*o.capture) + ",\"frames\":" + std::to_string(total) +
              ",\"nic\":{\"name\":" + json_string(nic_name) + ",\"queues\":" + std::to_string(queues) +
              ",\"preset\":" + json_string(o.hardware ? "hwnic" : "nsim") + "},\"setup\":[";
        for (std::size_t i = 0; i < s.notes.size(); ++i) {
            out += (i == 0 ? "" : ",") + json_string(s.notes[i]);
        }
        out += "],\"queues\":[";
        for (std::uint32_t q = 0; q < queues; ++q) {
            out += std::string(q == 0 ? "" : ",") + "{\"queue\":" + std::to_string(q) +
                   ",\"frames\":" + std::to_string(per_queue[q]) + ",\"percent\":" + percent(per_queue[q], total) +
                   "}";
        }
        out += "],\"endpoints\":[";
        bool first = true;
        for (const auto& [name, e] : endpoints) {
            out += std::string(first ? "" : ",") + "{\"name\":" + json_string(name) +
                   ",\"outcome\":" + json_string(e.dropped ? "dropped" : "delivered") +
                   ",\"frames\":" + std::to_string(e.frames) + ",\"percent\":" + percent(e.frames, total);
            if (!e.marks.empty()) {
                out += ",\"marks\":{";
                bool first_mark = true;
                for (const auto& [mark, n] : e.marks) {
                    out += std::string(first_mark ? "" : ",") + "\"" + std::to_string(mark) + "\":" + std::to_string(n);
                    first_mark = false;
                }
                out += "}";
            }
            out += "}";
            first = false;
        }
        out += "],\"totals\":{\"frames\":" + std::to_string(total) + ",\"delivered\":" + std::to_string(delivered) +
               ",\"dropped\":" + std::to_string(drops) + ",\"balanced\":" + (balanced ? "true" : "false") +
               ",\"checks\":[";
        for (std::size_t i = 0; i < checks.size(); ++i) {
            out += std::string(i == 0 ? "" : ",") + "{\"what\":" + json_string(checks[i].what) +
                   ",\"expected\":" + std::to_string(checks[i].expected) +
                   ",\"got\":" + std::to_string(checks[i].got) + "}";
        }
        out += "]},\"written\":[";
        for (std::size_t i = 0; i < written.size(); ++i) {
            out += (i == 0 ? "" : ",") + json_string(written[i]);
        }
        out += "]";
        if (o.frames) {
            out += ",\"trace\":[" + trace_json + "]";
        }
        out += "}\n";
    } else {
        out = *o.capture + ": " + std::to_string(total) + " frames through " + nic_name + " (" +
              std::to_string(queues) + " queues, " + (o.hardware ? "hwnic" : "nsim") + ")\n";
        for (const auto& note : s.notes) {
            out += "  " + note + "\n";
        }
        out += "\nqueue   frames       %\n";
        char line[160];
        for (std::uint32_t q = 0; q < queues; ++q) {
            std::snprintf(line, sizeof line, "%5u %8llu %7s\n", q, static_cast<unsigned long long>(per_queue[q]),
                          percent(per_queue[q], total).c_str());
            out += line;
        }
        for (const bool want_dropped : {false, true}) {
            out += want_dropped ? "\ndropped                     frames       %\n"
                                : "\ndelivered                   frames       %\n";
            for (const auto& [name, e] : endpoints) {
                if (e.dropped != want_dropped) {
                    continue;
                }
                std::snprintf(line, sizeof line, "  %-24s %8llu %7s", name.c_str(),
                              static_cast<unsigned long long>(e.frames), percent(e.frames, total).c_str());
                out += line;
                for (const auto& [mark, n] : e.marks) {
                    out += "  mark " + std::to_string(mark) + ": " + std::to_string(n);
                }
                out += "\n";
            }
            const bool none = std::none_of(endpoints.begin(), endpoints.end(),
                                           [&](const auto& e) { return e.second.dropped == want_dropped; });
            out += none ? "  (none)\n" : "";
        }
        out += "\ntotal " + std::to_string(total) + " = " + std::to_string(delivered) + " delivered + " +
               std::to_string(drops) + " dropped: " + (balanced ? "balanced" : "NOT BALANCED") + "\n";
        for (const auto& c : checks) {
            out += "  " + std::string(c.ok() ? "ok  " : "FAIL") + " " + c.what + ": " + std::to_string(c.got) +
                   (c.ok() ? "" : " (expected " + std::to_string(c.expected) + ")") + "\n";
        }
        if (!written.empty()) {
            out += "\nwritten:\n";
            for (const auto& path : written) {
                out += "  " + path + "\n";
            }
        }
        if (o.frames) {
            out += "\nframes:\n" + trace_text;
        }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    if (!balanced) {
        std::fprintf(stderr, "nk_pcap: the totals do not add up (see the checks)\n");
        return exit_unbalanced;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const fatal& f) {
        std::fprintf(stderr, "nk_pcap: %s\n", f.what.c_str());
        return exit_error;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nk_pcap: %s\n", e.what());
        return exit_error;
    }
}
