// Compile-only (suite "static"): the uapi/ constants equal the installed Linux
// uapi headers (netlink.md NL-GEN-03). check_system.hpp skips whatever an
// older header lacks, which would also hide a broken guard; so on Linux the
// guards it relies on must be present, and the checks below name the system
// constants directly, for values every supported header (≥ 6.1) defines.
#include <netkit/uapi/check_system.hpp>

#include <cstdint>
#include <type_traits>

#ifdef __linux__

#if !defined(LINUX_VERSION_CODE) || !defined(KERNEL_VERSION)
#error "<linux/version.h> is missing: every version-guarded uapi check would be skipped"
#endif
#if !defined(NLMSG_HDRLEN) || !defined(NLM_F_REQUEST) || !defined(NLA_HDRLEN) || !defined(NLA_F_NESTED)
#error "<linux/netlink.h> is missing: the netlink checks would be skipped"
#endif
#if !defined(RTM_NEWLINK) || !defined(IFLA_MAX) || !defined(IFF_UP) || !defined(ARPHRD_ETHER)
#error "rtnetlink headers are missing: the link message checks would be skipped"
#endif
#if !defined(GENL_ID_CTRL) || !defined(CTRL_CMD_MAX) || !defined(CTRL_ATTR_MAX)
#error "<linux/genetlink.h> is missing: the generic netlink checks would be skipped"
#endif
#if !defined(BPF_F_REPLACE) || !defined(BPF_F_QUERY_EFFECTIVE)
#error "<linux/bpf.h> is missing or older than 5.7: the bpf flag checks would be skipped"
#endif

namespace {

using namespace netkit::uapi;

template <class E>
constexpr auto raw(E value) noexcept {
    return static_cast<std::underlying_type_t<E>>(value);
}

// NL-HDR-01, NL-ATTR-01, NL-RT-02, NL-GENL-01, NL-ERR-02
static_assert(message_header_size == sizeof(struct nlmsghdr));
static_assert(attribute_header_size == sizeof(struct nlattr));
static_assert(interface_info_message_size == sizeof(struct ifinfomsg));
static_assert(genl_header_size == sizeof(struct genlmsghdr));
static_assert(error_message_size == sizeof(struct nlmsgerr));

// NL-FLAG-01, NL-ERR-01, NL-ERR-03
static_assert(raw(message_flag::request) == NLM_F_REQUEST);
static_assert(raw(message_flag::acknowledge) == NLM_F_ACK);
static_assert(raw(get_flag::dump) == NLM_F_DUMP);
static_assert(raw(new_flag::create) == NLM_F_CREATE);
static_assert(raw(new_flag::exclusive) == NLM_F_EXCL);
static_assert(raw(ack_flag::extended_ack_tlvs) == NLM_F_ACK_TLVS);
static_assert(raw(control_message::error) == NLMSG_ERROR);
static_assert(raw(control_message::done) == NLMSG_DONE);

// NL-EXT-02, NL-EXT-06
static_assert(raw(error_attr::missing_nest) == NLMSGERR_ATTR_MISS_NEST);
static_assert(raw(policy_type_attr::max_length) == NL_POLICY_TYPE_ATTR_MAX_LENGTH);
static_assert(raw(attribute_type::nested) == NL_ATTR_TYPE_NESTED);

// NL-RT-01, NL-RT-03, NL-RT-04
static_assert(raw(rtm::new_link) == RTM_NEWLINK);
static_assert(raw(rtm::get_link) == RTM_GETLINK);
static_assert(raw(interface_flag::up) == IFF_UP);
static_assert(raw(ifla::ifname) == IFLA_IFNAME);
static_assert(raw(ifla::linkinfo) == IFLA_LINKINFO);
static_assert(raw(ifla::target_netnsid) == IFLA_TARGET_NETNSID);
static_assert(raw(ifla_info::data) == IFLA_INFO_DATA);

// NL-GENL-03, NL-GENL-04
static_assert(raw(genl_control_command::get_family) == CTRL_CMD_GETFAMILY);
static_assert(raw(genl_control_attr::family_name) == CTRL_ATTR_FAMILY_NAME);
static_assert(raw(genl_operation_flag::admin_permission) == GENL_ADMIN_PERM);

// MP-01, MP-02
static_assert(raw(bpf_command::program_attach) == BPF_PROG_ATTACH);
static_assert(raw(bpf_command::link_detach) == BPF_LINK_DETACH);
static_assert(raw(bpf_program_type::traffic_classifier) == BPF_PROG_TYPE_SCHED_CLS);
static_assert(raw(bpf_attach_flag::replace) == BPF_F_REPLACE);
static_assert(raw(bpf_query_flag::effective) == BPF_F_QUERY_EFFECTIVE);

}  // namespace

#endif  // __linux__
