// The multi-program ("mprog") attachment engine that netkit and tcx share
// (mprog.md §5–§10). An attach point is one ordered array of at most 63 slots
// (MP-04), each holding a program and, when a BPF link put it there, that link;
// its revision counter starts at 1 and grows by one per change (MP-03, MP-52).
// `attach` mirrors `bpf_mprog_attach` (MP-22…35), `detach` mirrors
// `bpf_mprog_detach` (MP-37…46) and `query` mirrors `bpf_mprog_query`
// (MP-47…50 and the engine's half of MP-16); `replace_link_program`,
// `remove_link` and `release_all` are the engine steps of link update, link
// detach/release and device unregistration (MP-57, MP-58/59, MP-61). The
// engine is a pure value computation: descriptors and the program and link
// registries belong to the world, which hands them in through an
// `object_resolver`, and the world's own checks (dev fetch MP-07…13, syscall
// checks MP-14…18, link defunct/EPERM of MP-57) happen before these calls.
// A refused operation returns its errno and leaves the attach point
// untouched (MP-20); every change goes through one commit, which is where
// the revision moves.
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/ids.hpp>
#include <netkit/core/invariant.hpp>
#include <netkit/core/result.hpp>
#include <netkit/uapi/bpf.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace netkit::model::mprog {

using attach_flags = uapi::bpf_attach_flag;

// MP-04: BPF_MPROG_MAX minus the terminating slot.
inline constexpr std::uint32_t capacity = uapi::mprog_capacity;
// MP-03: a fresh bundle, and a tcx bundle recreated after it emptied (MP-53).
inline constexpr std::uint64_t initial_revision = 1;
// A slot whose link is this value was attached with BPF_PROG_ATTACH (an "opts" slot).
inline constexpr core::link_id no_link{0};

// What the world knows about a program when it hands one to the engine (MP-05).
struct program_ref {
    core::program_id id;
    std::uint32_t type = static_cast<std::uint32_t>(uapi::bpf_program_type::traffic_classifier);
    bool offloaded = false;

    friend bool operator==(const program_ref&, const program_ref&) = default;
};

// A link and the program it currently holds (MP-05).
struct link_ref {
    core::link_id id;
    program_ref program;

    friend bool operator==(const link_ref&, const link_ref&) = default;
};

struct slot {
    core::program_id program;
    core::link_id link;  // no_link: an opts slot

    constexpr bool link_owned() const noexcept { return link != no_link; }

    friend constexpr bool operator==(const slot&, const slot&) = default;
};

// ---------------------------------------------------------------------------
// Object resolution (MP-06, MP-25, MP-26). Each sub-concept names one lookup
// so that a resolver missing one is reported by the lookup's name.

template <class Resolver>
concept resolves_programs_by_descriptor = requires(const Resolver& resolver, int descriptor) {
    // not open → EBADF; open but not a program → EINVAL
    { resolver.program_by_fd(descriptor) } -> std::same_as<core::result<program_ref>>;
};

template <class Resolver>
concept resolves_programs_by_id = requires(const Resolver& resolver, std::uint32_t id) {
    // 0 or unknown → ENOENT
    { resolver.program_by_id(id) } -> std::same_as<core::result<program_ref>>;
};

template <class Resolver>
concept resolves_links_by_descriptor = requires(const Resolver& resolver, int descriptor) {
    // not open → EBADF; open but not a link → EINVAL
    { resolver.link_by_fd(descriptor) } -> std::same_as<core::result<link_ref>>;
};

template <class Resolver>
concept resolves_links_by_id = requires(const Resolver& resolver, std::uint32_t id) {
    // 0 or unknown → ENOENT
    { resolver.link_by_id(id) } -> std::same_as<core::result<link_ref>>;
};

template <class Resolver>
concept object_resolver = resolves_programs_by_descriptor<Resolver> && resolves_programs_by_id<Resolver> &&
                          resolves_links_by_descriptor<Resolver> && resolves_links_by_id<Resolver>;

// Descriptor and id tables, for tests and for users without a world.
// Descriptor 0 is an open ordinary file, as in the kernel selftests (MP-06);
// new descriptors are numbered from 3 and never reused.
class table_resolver {
  public:
    table_resolver() { descriptors_.emplace(0, descriptor{object_kind::ordinary_file, 0}); }

    void add_program(const program_ref& program) {
        core::expects(program.id.value() != 0, "table_resolver: program ids start at 1 (MP-05)");
        core::expects(!programs_.contains(program.id.value()), "table_resolver: program id reused (MP-05)");
        programs_.emplace(program.id.value(), program);
    }
    void add_link(core::link_id link, core::program_id program) {
        core::expects(link.value() != 0, "table_resolver: link ids start at 1 (MP-05)");
        core::expects(!links_.contains(link.value()), "table_resolver: link id reused (MP-05)");
        core::expects(programs_.contains(program.value()), "table_resolver: link to an unknown program");
        links_.emplace(link.value(), program.value());
    }
    // After a successful link update (MP-57).
    void set_link_program(core::link_id link, core::program_id program) {
        core::expects(links_.contains(link.value()), "table_resolver: unknown link");
        core::expects(programs_.contains(program.value()), "table_resolver: unknown program");
        links_[link.value()] = program.value();
    }

    int open_program(core::program_id program) { return open(object_kind::program, program.value()); }
    int open_link(core::link_id link) { return open(object_kind::link, link.value()); }
    int open_file() { return open(object_kind::ordinary_file, 0); }
    void close(int fd) { descriptors_.erase(fd); }

    core::result<program_ref> program_by_fd(int fd) const {
        const auto found = descriptors_.find(fd);
        if (found == descriptors_.end()) {
            return core::fail(core::errno_code::bad_descriptor);
        }
        if (found->second.kind != object_kind::program) {
            return core::fail(core::errno_code::invalid);
        }
        return programs_.at(found->second.id);
    }
    core::result<program_ref> program_by_id(std::uint32_t id) const {
        const auto found = programs_.find(id);
        if (found == programs_.end()) {
            return core::fail(core::errno_code::no_entry);
        }
        return found->second;
    }
    core::result<link_ref> link_by_fd(int fd) const {
        const auto found = descriptors_.find(fd);
        if (found == descriptors_.end()) {
            return core::fail(core::errno_code::bad_descriptor);
        }
        if (found->second.kind != object_kind::link) {
            return core::fail(core::errno_code::invalid);
        }
        return link_by_id(found->second.id);
    }
    core::result<link_ref> link_by_id(std::uint32_t id) const {
        const auto found = links_.find(id);
        if (found == links_.end()) {
            return core::fail(core::errno_code::no_entry);
        }
        return link_ref{core::link_id{id}, programs_.at(found->second)};
    }

    friend bool operator==(const table_resolver&, const table_resolver&) = default;

  private:
    enum class object_kind : std::uint8_t { ordinary_file, program, link };
    struct descriptor {
        object_kind kind;
        std::uint32_t id;
        friend bool operator==(const descriptor&, const descriptor&) = default;
    };

    int open(object_kind kind, std::uint32_t id) {
        const int fd = next_descriptor_++;
        descriptors_.emplace(fd, descriptor{kind, id});
        return fd;
    }

    std::map<std::uint32_t, program_ref> programs_;
    std::map<std::uint32_t, std::uint32_t> links_;  // link id → program id
    std::map<int, descriptor> descriptors_;
    int next_descriptor_ = 3;
};

static_assert(object_resolver<table_resolver>);

// ---------------------------------------------------------------------------
// The attach point.

// How long the bundle holding the revision lives (MP-03, MP-53, MP-64).
enum class bundle_lifetime : std::uint8_t {
    device,          // netkit: as long as the device; the revision never resets
    while_attached,  // tcx: released when the array empties; the revision restarts at 1
};

namespace detail {
struct attach_point_access;
}

class attach_point {
  public:
    explicit attach_point(bundle_lifetime lifetime = bundle_lifetime::device) noexcept : lifetime_{lifetime} {}

    static attach_point for_netkit() noexcept { return attach_point{bundle_lifetime::device}; }
    static attach_point for_tcx() noexcept { return attach_point{bundle_lifetime::while_attached}; }

    const std::vector<slot>& slots() const noexcept { return slots_; }
    std::uint32_t count() const noexcept { return static_cast<std::uint32_t>(slots_.size()); }
    // The internal counter that expected_revision is compared with (MP-23, MP-38).
    std::uint64_t revision() const noexcept { return revision_; }
    // MP-03: the active array is none exactly while the attach point is empty.
    bool active() const noexcept { return !slots_.empty(); }
    // MP-47: what BPF_PROG_QUERY reports.
    std::uint64_t reported_revision() const noexcept { return active() ? revision_ : initial_revision; }
    bundle_lifetime lifetime() const noexcept { return lifetime_; }
    bool releases_when_empty() const noexcept { return lifetime_ == bundle_lifetime::while_attached; }

    std::optional<std::size_t> index_of_program(core::program_id program) const noexcept {
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            if (slots_[i].program == program) {
                return i;
            }
        }
        return std::nullopt;
    }
    std::optional<std::size_t> index_of_link(core::link_id link) const noexcept {
        if (link == no_link) {
            return std::nullopt;
        }
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            if (slots_[i].link == link) {
                return i;
            }
        }
        return std::nullopt;
    }

    friend bool operator==(const attach_point&, const attach_point&) = default;

  private:
    friend struct detail::attach_point_access;

    // The only way an array changes: MP-52 (+1 per change) and MP-53 (a tcx
    // bundle released when empty starts again at 1).
    void commit(std::vector<slot> next) {
        expects_well_formed(next);
        slots_ = std::move(next);
        ++revision_;
        if (slots_.empty() && releases_when_empty()) {
            revision_ = initial_revision;
        }
    }

    // MP-61: the device unregisters. MP-52 does not count this as a change, so
    // a netkit counter stays where it was; a tcx bundle is released.
    std::vector<slot> release() {
        std::vector<slot> removed = std::move(slots_);
        slots_.clear();
        if (releases_when_empty()) {
            revision_ = initial_revision;
        }
        return removed;
    }

    // MP-04, MP-24: at most 63 slots, no program twice, no link twice.
    static void expects_well_formed(const std::vector<slot>& next) {
        core::expects(next.size() <= capacity, "mprog: more than 63 slots (MP-04)");
        for (std::size_t i = 0; i < next.size(); ++i) {
            core::expects(next[i].program.value() != 0, "mprog: slot without a program");
            for (std::size_t j = i + 1; j < next.size(); ++j) {
                core::expects(next[i].program != next[j].program, "mprog: program attached twice (MP-24)");
                core::expects(!next[i].link_owned() || next[i].link != next[j].link, "mprog: link owns two slots");
            }
        }
    }

    std::vector<slot> slots_;
    std::uint64_t revision_ = initial_revision;
    bundle_lifetime lifetime_ = bundle_lifetime::device;
};

inline std::size_t hash_value(const attach_point& point) noexcept {
    std::size_t seed = 0;
    const auto mix = [&seed](std::size_t value) {
        seed ^= value + std::size_t{0x9e3779b9} + (seed << 6) + (seed >> 2);
    };
    mix(std::hash<std::uint64_t>{}(point.revision()));
    mix(static_cast<std::size_t>(point.lifetime()));
    for (const slot& s : point.slots()) {
        mix(std::hash<core::program_id>{}(s.program));
        mix(std::hash<core::link_id>{}(s.link));
    }
    return seed;
}

namespace detail {
struct attach_point_access {
    static void commit(attach_point& point, std::vector<slot> next) { point.commit(std::move(next)); }
    static std::vector<slot> release(attach_point& point) { return point.release(); }
};
}  // namespace detail

// ---------------------------------------------------------------------------
// Requests and replies.

struct attach_request {
    program_ref program;                 // P
    core::link_id link = no_link;        // L: the link being created, or none for BPF_PROG_ATTACH
    std::optional<program_ref> replace;  // O: resolved from replace_bpf_fd by the world (MP-19)
    attach_flags flags{};                // F: unfiltered for link creation (MP-02)
    std::uint32_t relative = 0;          // R: descriptor or id, as the flags say
    std::uint64_t expected_revision = 0; // X: 0 accepts any revision
};

struct detach_request {
    std::optional<program_ref> program;  // P: none detaches by position
    core::link_id link = no_link;        // L
    attach_flags flags{};
    std::uint32_t relative = 0;
    std::uint64_t expected_revision = 0;
};

// BPF_PROG_QUERY's inputs as the engine sees them: the flags, the caller's
// count and which of the four user arrays are non-null.
struct query_request {
    std::uint32_t query_flags = 0;
    std::uint32_t attach_flags = 0;
    std::uint32_t count = 0;
    bool program_ids = false;
    bool program_attach_flags = false;
    bool link_ids = false;
    bool link_attach_flags = false;
};

// What the call wrote back: the header fields and, per given array, the
// entries copied (empty when the array was null or nothing was copied).
struct query_output {
    std::uint32_t attach_flags = 0;
    std::uint64_t revision = initial_revision;
    std::uint32_t count = 0;
    std::vector<std::uint32_t> program_ids;
    std::vector<std::uint32_t> program_attach_flags;
    std::vector<std::uint32_t> link_ids;
    std::vector<std::uint32_t> link_attach_flags;

    friend bool operator==(const query_output&, const query_output&) = default;
};

// ENOSPC (MP-49) still writes the header and the entries that fit, so a
// query reports both a status and what it wrote; EINVAL writes nothing.
struct query_reply {
    core::status status = core::ok();
    std::optional<query_output> written;

    friend bool operator==(const query_reply&, const query_reply&) = default;
};

// ---------------------------------------------------------------------------
// The rules one by one. The operations below run them in the spec's order;
// they are public so that a rule no operation can reach (MP-33) is tested too.

namespace step {

// A position as the rules compute it: -1 is in front of slot 0 and `count`
// behind the last slot, so BEFORE and AFTER without a relative object have
// one too (MP-29, MP-30, MP-43).
using position = std::int32_t;

// The relative object of MP-25/26: a program, or a link with its program.
struct relative_object {
    core::program_id program;
    core::link_id link = no_link;  // no_link: a relative program

    friend bool operator==(const relative_object&, const relative_object&) = default;
};

using optional_position = std::optional<position>;
using optional_relative = std::optional<relative_object>;

inline bool has(attach_flags flags, attach_flags bit) noexcept { return uapi::contains(flags, bit); }
inline bool any_bit(attach_flags flags) noexcept { return static_cast<std::uint32_t>(flags) != 0; }
inline core::error refuse(core::errno_code code) { return core::fail(code); }

// MP-22: an offloaded program cannot join a software array.
inline core::status reject_offloaded(const program_ref& program) {
    if (program.offloaded) {
        return refuse(core::errno_code::invalid);
    }
    return core::ok();
}

// MP-23, MP-38: 0 accepts any revision; anything else must equal the internal
// counter, not the reported one (MP-53).
inline core::status check_expected_revision(const attach_point& point, std::uint64_t expected) {
    if (expected != 0 && expected != point.revision()) {
        return refuse(core::errno_code::stale);
    }
    return core::ok();
}

// MP-24: one slot per program per attach point, whoever owns the slot.
inline core::status reject_duplicate(const attach_point& point, const program_ref& program) {
    if (point.index_of_program(program.id)) {
        return refuse(core::errno_code::exists);
    }
    return core::ok();
}

// The program type a relative object must have; `any` when detaching by
// position. (A plain struct rather than std::optional: GCC 12 at -O3 warns
// falsely about reading a disengaged optional passed by value.)
struct type_filter {
    bool any = true;
    std::uint32_t type = 0;
};

// MP-25, MP-26, MP-40: the relative object's program must have the type of
// the program being (de)attached.
inline core::status check_relative_type(std::uint32_t relative_type, type_filter type) {
    if (!type.any && relative_type != type.type) {
        return refuse(core::errno_code::invalid);
    }
    return core::ok();
}

// MP-25: with BPF_F_LINK, R names a link, by id with BPF_F_ID.
template <object_resolver Resolver>
core::result<optional_relative> resolve_relative_link(attach_flags flags, std::uint32_t relative,
                                                      type_filter type, const Resolver& resolver) {
    if (!has(flags, attach_flags::relative_id) && relative == 0) {
        return refuse(core::errno_code::invalid);
    }
    const core::result<link_ref> link = has(flags, attach_flags::relative_id)
                                            ? resolver.link_by_id(relative)
                                            : resolver.link_by_fd(static_cast<int>(relative));
    if (!link) {
        return link.failure();
    }
    if (auto typed = check_relative_type(link.value().program.type, type); !typed) {
        return typed.failure();
    }
    return optional_relative{relative_object{link.value().program.id, link.value().id}};
}

// MP-26: without BPF_F_LINK, BPF_F_ID or a non-zero R names a program.
template <object_resolver Resolver>
core::result<optional_relative> resolve_relative_program(attach_flags flags, std::uint32_t relative,
                                                         type_filter type,
                                                         const Resolver& resolver) {
    const core::result<program_ref> program = has(flags, attach_flags::relative_id)
                                                  ? resolver.program_by_id(relative)
                                                  : resolver.program_by_fd(static_cast<int>(relative));
    if (!program) {
        return program.failure();
    }
    if (auto typed = check_relative_type(program.value().type, type); !typed) {
        return typed.failure();
    }
    return optional_relative{relative_object{program.value().id, no_link}};
}

// MP-25, MP-26, MP-40: which relative object, if any, R names. The REPLACE
// bit plays no part.
template <object_resolver Resolver>
core::result<optional_relative> resolve_relative(attach_flags flags, std::uint32_t relative,
                                                 type_filter type, const Resolver& resolver) {
    if (has(flags, attach_flags::relative_link)) {
        return resolve_relative_link(flags, relative, type, resolver);
    }
    if (has(flags, attach_flags::relative_id) || relative != 0) {
        return resolve_relative_program(flags, relative, type, resolver);
    }
    return optional_relative{};
}

// MP-35: a relative program matches its slot whoever owns it; a relative
// link matches only the slot that link owns.
inline std::optional<position> index_of(const attach_point& point, const relative_object& relative) {
    const auto& slots = point.slots();
    for (std::size_t i = 0; i < slots.size(); ++i) {
        if (slots[i].program == relative.program &&
            (relative.link == no_link || slots[i].link == relative.link)) {
            return static_cast<position>(i);
        }
    }
    return std::nullopt;
}

// MP-27 (and MP-56: link creation has no O): REPLACE fixes the position to
// O's slot, which must belong to the requester's link (or to none).
inline core::result<optional_position> replace_target(const attach_point& point, const attach_request& request) {
    if (!has(request.flags, attach_flags::replace)) {
        return optional_position{};
    }
    if (!request.replace) {
        return refuse(core::errno_code::no_entry);
    }
    const auto index = point.index_of_program(request.replace->id);
    if (!index) {
        return refuse(core::errno_code::no_entry);
    }
    if (point.slots()[*index].link != request.link) {
        return refuse(core::errno_code::busy);
    }
    return optional_position{static_cast<position>(*index)};
}

// MP-28: only REPLACE may act on a full attach point.
inline core::status check_capacity(const attach_point& point, attach_flags flags) {
    if (!has(flags, attach_flags::replace) && point.count() >= capacity) {
        return refuse(core::errno_code::out_of_range);
    }
    return core::ok();
}

// Every rule that names a position must name the same one (MP-29, MP-30,
// MP-42): a missing relative is ENOENT before any disagreement is ERANGE.
inline core::result<optional_position> agree(optional_position fixed, std::optional<position> candidate,
                                             bool relative_missing) {
    if (relative_missing) {
        return refuse(core::errno_code::no_entry);
    }
    if (fixed && *fixed != *candidate) {
        return refuse(core::errno_code::out_of_range);
    }
    return candidate;
}

// MP-29 (attach), MP-42 and MP-43 (detach): BEFORE names index(relative) − 1,
// or −1 (in front) without a relative object.
inline core::result<optional_position> place_before(const attach_point& point, attach_flags flags,
                                                    const optional_relative& relative, optional_position fixed) {
    if (!has(flags, attach_flags::before)) {
        return fixed;
    }
    if (!relative) {
        return agree(fixed, position{-1}, false);
    }
    const auto index = index_of(point, *relative);
    return agree(fixed, index ? std::optional<position>{*index - 1} : std::nullopt, !index);
}

// MP-30 (attach), MP-42 and MP-43 (detach): AFTER names index(relative) + 1,
// or count (behind the last slot) without a relative object.
inline core::result<optional_position> place_after(const attach_point& point, attach_flags flags,
                                                   const optional_relative& relative, optional_position fixed) {
    if (!has(flags, attach_flags::after)) {
        return fixed;
    }
    if (!relative) {
        return agree(fixed, static_cast<position>(point.count()), false);
    }
    const auto index = index_of(point, *relative);
    return agree(fixed, index ? std::optional<position>{*index + 1} : std::nullopt, !index);
}

// MP-32 (attach), MP-44 (detach): without REPLACE/BEFORE/AFTER (or, for
// detach, a program) nothing fixed the position; then a relative object or
// any flag bit is meaningless, and the default is behind the last slot.
inline core::result<position> default_position(const attach_point& point, attach_flags flags,
                                               const optional_relative& relative, optional_position fixed) {
    if (fixed) {
        return *fixed;
    }
    if (relative || any_bit(flags)) {
        return refuse(core::errno_code::invalid);
    }
    return static_cast<position>(point.count());
}

// MP-33 (attach), MP-44 (detach): positions are bounded by the array size,
// measured before "behind the last slot" is mapped onto the last slot.
inline core::status check_position_limit(position at) {
    if (at >= static_cast<position>(capacity)) {
        return refuse(core::errno_code::out_of_range);
    }
    return core::ok();
}

// MP-34: REPLACE overwrites in place; BEFORE inserts at the relative's index
// (position + 1), everything else at the position itself.
inline std::vector<slot> attach_effect(const attach_point& point, const attach_request& request, position at) {
    std::vector<slot> next = point.slots();
    const slot installed{request.program.id, request.link};
    if (has(request.flags, attach_flags::replace)) {
        next[static_cast<std::size_t>(at)] = installed;
        return next;
    }
    const position insert_at = has(request.flags, attach_flags::before) ? at + 1 : at;
    next.insert(next.begin() + insert_at, installed);
    return next;
}

// MP-37: detach has no REPLACE.
inline core::status reject_replace_on_detach(attach_flags flags) {
    if (has(flags, attach_flags::replace)) {
        return refuse(core::errno_code::invalid);
    }
    return core::ok();
}

// MP-39: nothing to detach.
inline core::status reject_empty(const attach_point& point) {
    if (point.count() == 0) {
        return refuse(core::errno_code::no_entry);
    }
    return core::ok();
}

// MP-41: a named program fixes the position to its slot, which must belong
// to the requester's link (or to none, for BPF_PROG_DETACH).
inline core::result<optional_position> exact_slot(const attach_point& point, const detach_request& request) {
    if (!request.program) {
        return optional_position{};
    }
    const auto index = point.index_of_program(request.program->id);
    if (!index) {
        return refuse(core::errno_code::no_entry);
    }
    if (point.slots()[*index].link != request.link) {
        return refuse(core::errno_code::busy);
    }
    return optional_position{static_cast<position>(*index)};
}

// MP-43: −1 selects the first slot and count the last, which is how BEFORE R
// with R first and AFTER R with R last select R itself.
inline std::size_t selected_index(const attach_point& point, position at) {
    if (at < 0) {
        return 0;
    }
    if (static_cast<std::uint32_t>(at) >= point.count()) {
        return point.count() - 1;
    }
    return static_cast<std::size_t>(at);
}

// MP-45: a position detach cannot take a slot away from its link.
inline core::status reject_foreign_link_slot(const slot& selected, core::link_id requester) {
    if (selected.link_owned() && selected.link != requester) {
        return refuse(core::errno_code::busy);
    }
    return core::ok();
}

// MP-46: later slots move forward.
inline std::vector<slot> detach_effect(const attach_point& point, std::size_t index) {
    std::vector<slot> next = point.slots();
    next.erase(next.begin() + static_cast<std::ptrdiff_t>(index));
    return next;
}

}  // namespace step

// ---------------------------------------------------------------------------
// Operations.

// MP-22…35 in order; on success the array changes and the revision grows by
// one (MP-34, MP-52); on failure nothing changes (MP-20).
template <object_resolver Resolver>
[[nodiscard]] core::status attach(attach_point& point, const attach_request& request, const Resolver& resolver) {
    if (auto s = step::reject_offloaded(request.program); !s) {
        return s;
    }
    if (auto s = step::check_expected_revision(point, request.expected_revision); !s) {
        return s;
    }
    if (auto s = step::reject_duplicate(point, request.program); !s) {
        return s;
    }
    const auto relative = step::resolve_relative(request.flags, request.relative, step::type_filter{false, request.program.type}, resolver);
    if (!relative) {
        return relative.failure();
    }
    auto fixed = step::replace_target(point, request);
    if (!fixed) {
        return fixed.failure();
    }
    if (auto s = step::check_capacity(point, request.flags); !s) {
        return s;
    }
    fixed = step::place_before(point, request.flags, relative.value(), fixed.value());
    if (!fixed) {
        return fixed.failure();
    }
    fixed = step::place_after(point, request.flags, relative.value(), fixed.value());
    if (!fixed) {
        return fixed.failure();
    }
    const auto at = step::default_position(point, request.flags, relative.value(), fixed.value());
    if (!at) {
        return at.failure();
    }
    if (auto s = step::check_position_limit(at.value()); !s) {
        return s;
    }
    detail::attach_point_access::commit(point, step::attach_effect(point, request, at.value()));
    return core::ok();
}

// MP-37…46 in order; returns the removed slot. When the array empties the
// active array is gone (MP-36) and a tcx bundle starts again at revision 1
// (MP-53).
template <object_resolver Resolver>
[[nodiscard]] core::result<slot> detach(attach_point& point, const detach_request& request,
                                        const Resolver& resolver) {
    if (auto s = step::reject_replace_on_detach(request.flags); !s) {
        return s.failure();
    }
    if (auto s = step::check_expected_revision(point, request.expected_revision); !s) {
        return s.failure();
    }
    if (auto s = step::reject_empty(point); !s) {
        return s.failure();
    }
    const step::type_filter type =
        request.program ? step::type_filter{false, request.program->type} : step::type_filter{};
    const auto relative = step::resolve_relative(request.flags, request.relative, type, resolver);
    if (!relative) {
        return relative.failure();
    }
    auto fixed = step::exact_slot(point, request);
    if (!fixed) {
        return fixed.failure();
    }
    fixed = step::place_before(point, request.flags, relative.value(), fixed.value());
    if (!fixed) {
        return fixed.failure();
    }
    fixed = step::place_after(point, request.flags, relative.value(), fixed.value());
    if (!fixed) {
        return fixed.failure();
    }
    const auto at = step::default_position(point, request.flags, relative.value(), fixed.value());
    if (!at) {
        return at.failure();
    }
    if (auto s = step::check_position_limit(at.value()); !s) {
        return s.failure();
    }
    const std::size_t index = step::selected_index(point, at.value());
    const slot removed = point.slots()[index];
    if (auto s = step::reject_foreign_link_slot(removed, request.link); !s) {
        return s.failure();
    }
    detail::attach_point_access::commit(point, step::detach_effect(point, index));
    return removed;
}

// MP-47…50 and the engine's half of MP-16. Queries never change anything (MP-52).
[[nodiscard]] inline query_reply query(const attach_point& point, const query_request& request) {
    if (request.query_flags != 0 || request.attach_flags != 0) {
        return query_reply{core::fail(core::errno_code::invalid), std::nullopt};
    }
    query_output out;
    out.attach_flags = 0;
    out.revision = point.reported_revision();
    out.count = point.count();
    if (request.count == 0 || !request.program_ids || out.count == 0) {
        return query_reply{core::ok(), std::move(out)};  // MP-48
    }
    const std::uint32_t copied = request.count < out.count ? request.count : out.count;
    for (std::uint32_t i = 0; i < copied; ++i) {
        const slot& s = point.slots()[i];
        out.program_ids.push_back(s.program.value());
        if (request.program_attach_flags) {
            out.program_attach_flags.push_back(0);
        }
        if (request.link_ids) {
            out.link_ids.push_back(s.link.value());
        }
        if (request.link_attach_flags) {
            out.link_attach_flags.push_back(0);
        }
    }
    if (copied < out.count) {
        return query_reply{core::fail(core::errno_code::no_space), std::move(out)};  // MP-49
    }
    return query_reply{core::ok(), std::move(out)};
}

namespace detail {

// Knows one program by id and nothing else: the relative object of a link
// update (below).
struct single_program_resolver {
    program_ref program;

    core::result<program_ref> program_by_fd(int) const { return core::fail(core::errno_code::bad_descriptor); }
    core::result<program_ref> program_by_id(std::uint32_t id) const {
        if (id == 0 || id != program.id.value()) {
            return core::fail(core::errno_code::no_entry);
        }
        return program;
    }
    core::result<link_ref> link_by_fd(int) const { return core::fail(core::errno_code::bad_descriptor); }
    core::result<link_ref> link_by_id(std::uint32_t) const { return core::fail(core::errno_code::no_entry); }
};
static_assert(object_resolver<single_program_resolver>);

}  // namespace detail

// MP-57 after the world's checks (defunct link → ENOLINK, wrong expected old
// program → EPERM): the same program is a successful no-op; no active array
// is ENOENT; otherwise an engine attach with REPLACE | ID naming the link's
// current program, so the new program must not be attached here already
// (EEXIST, MP-24) and must have the old one's type (EINVAL, MP-26); the slot
// keeps its index and link, and the revision grows by one.
[[nodiscard]] inline core::status replace_link_program(attach_point& point, const link_ref& link,
                                                       const program_ref& new_program) {
    if (new_program.id == link.program.id) {
        return core::ok();
    }
    if (!point.active()) {
        return core::fail(core::errno_code::no_entry);
    }
    const attach_request request{
        new_program, link.id, link.program, attach_flags::replace | attach_flags::relative_id,
        link.program.id.value(), 0,
    };
    return attach(point, request, detail::single_program_resolver{link.program});
}

// MP-58, MP-59: the engine detach of a link's own slot (P = the link's
// program, L = the link, no flags). ENOENT when the link owns no slot here;
// the world turns that into the 0 that link detach always returns.
[[nodiscard]] inline core::result<slot> remove_link(attach_point& point, core::link_id link) {
    const auto index = point.index_of_link(link);
    if (!index) {
        return core::fail(core::errno_code::no_entry);
    }
    const detach_request request{program_ref{point.slots()[*index].program}, link, attach_flags{}, 0, 0};
    return detach(point, request, detail::single_program_resolver{});
}

// MP-61: the device unregisters; every slot goes, the active array is none.
// The world makes each returned link defunct and releases the opts programs.
[[nodiscard]] inline std::vector<slot> release_all(attach_point& point) {
    return detail::attach_point_access::release(point);
}

}  // namespace netkit::model::mprog

template <>
struct std::hash<netkit::model::mprog::attach_point> {
    std::size_t operator()(const netkit::model::mprog::attach_point& point) const noexcept {
        return netkit::model::mprog::hash_value(point);
    }
};
