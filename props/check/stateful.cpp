// Tests of include/netkit/check/operations.hpp (the operation alphabet, its
// byte decoder, encoder and printer, and `apply`) and the stateful
// properties of include/netkit/check/invariants.hpp: random operation
// sequences — decoded from random bytes, as the world_ops fuzz target does,
// and drawn from a generator that favours the interesting paths — keep the
// whole invariant catalogue after every operation and the step invariants
// between operations. The catalogue's own tests (each invariant fails on a
// broken world) are in invariants.cpp.
#include "check/generators.hpp"

#include <netkit/check/invariants.hpp>
#include <netkit/check/operations.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <array>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using namespace netkit;
using namespace netkit::check;
using namespace check_test;

// ------------------------------------------------------ decoder, printer

TEST(operation_decoder, every_byte_string_decodes_to_operations_that_reencode_to_themselves) {
    EXPECT_TRUE(rc::check("decode(encode(decode(bytes))) == decode(bytes), never more operations than bytes", [] {
        const auto bytes = *byte_strings();
        const auto ops = decode_operations(bytes);
        RC_ASSERT(ops.size() <= bytes.size());
        const auto canonical = encode_operations(ops);
        RC_ASSERT(decode_operations(canonical) == ops);
        RC_ASSERT(encode_operations(decode_operations(canonical)) == canonical);
    }));
}

TEST(operation_decoder, generated_operations_survive_an_encode_decode_round_trip) {
    EXPECT_TRUE(rc::check("decode(encode(ops)) == ops for generated operations", [] {
        const auto ops = *sequences(uniform_weights());
        RC_ASSERT(decode_operations(encode_operations(ops)) == ops);
    }));
}

TEST(operation_decoder, the_first_byte_picks_the_operation_and_the_fields_follow_in_order) {
    // set_mtu: opcode, device {netns, index}, mtu (an enum byte, reduced modulo 7).
    const std::vector<std::uint8_t> bytes{static_cast<std::uint8_t>(index_of<set_mtu>()), 1, 2, 7 + 3};
    const auto ops = decode_operations(bytes);
    ASSERT_EQ(ops.size(), 1U);
    EXPECT_EQ(ops[0], operation(set_mtu{device_ref{1, 2}, mtu_choice::standard}));
    // The opcode is reduced modulo the alphabet.
    const std::vector<std::uint8_t> wrapped{static_cast<std::uint8_t>(operation_count + index_of<create_netns>())};
    EXPECT_EQ(decode_operations(wrapped), std::vector<operation>{create_netns{}});
}

TEST(operation_decoder, a_truncated_operation_reads_zeros_and_the_empty_input_decodes_to_nothing) {
    EXPECT_TRUE(decode_operations({}).empty());
    const std::vector<std::uint8_t> truncated{static_cast<std::uint8_t>(index_of<prog_attach>()), 0, 1};
    const auto ops = decode_operations(truncated);
    ASSERT_EQ(ops.size(), 1U);
    prog_attach expected;
    expected.target = device_ref{0, 1};
    EXPECT_EQ(ops[0], operation(expected));
    // Every prefix decodes (and, under ASan, reads nothing past its end).
    const auto full = encode_operations(std::vector<operation>{expected, create_netns{}, expected});
    for (std::size_t n = 0; n <= full.size(); ++n) {
        (void)decode_operations(std::span<const std::uint8_t>(full.data(), n));
    }
}

TEST(operation_printer, an_operation_prints_on_one_line_with_the_fields_it_has) {
    create_pair pair;
    pair.mode = mode_choice::l3;
    pair.policy = policy_choice::drop;
    pair.peer_netns = 1;
    EXPECT_EQ(to_string(operation(pair)), "create_pair netns=0 mode=l3 policy=drop peer_netns=1 up=false");
    prog_detach detach;
    detach.target = device_ref{2, 3};
    detach.type = attach_type_choice::tcx_ingress;
    EXPECT_EQ(to_string(operation(detach)),
              "prog_detach target={netns=2 index=3} type=tcx_ingress flags=none revision=any");
    EXPECT_EQ(to_string(operation(create_netns{})), "create_netns");
    for (std::size_t i = 0; i < operation_count; ++i) {
        const std::string line = to_string(operation_from_index(i));
        EXPECT_EQ(line.find('\n'), std::string::npos) << line;
        EXPECT_EQ(line.rfind(std::string(name_of(operation_from_index(i))), 0), 0U) << line;
    }
}

// ------------------------------------------------------------------ apply

// NK-PAIR-15, MP-54, NK-XMIT-10
TEST(operation_apply, a_pair_goes_through_creation_attachment_transmit_and_deletion_NK_PAIR_15_MP_54_NK_XMIT_10) {
    model::world w;
    create_pair pair;
    pair.mode = mode_choice::l2;
    pair.up = true;
    set_up peer_up{device_ref{0, 1}, true, true};  // lo=1, peer nk0=2, primary nk1=3
    load_program program;
    program.verdict = verdict_choice::pass;
    link_create link;
    link.target = device_ref{0, 1};  // the primary: the second netkit device of netns 0
    prog_attach opts;
    opts.target = device_ref{0, 1};
    opts.type = attach_type_choice::netkit_peer;
    transmit_frame frame{device_ref{0, 1}, length_choice::minimum, destination_choice::peer_address};
    const std::vector<operation> ops{pair, peer_up, program, link, opts, frame, delete_device{device_ref{0, 1}}};
    const run_report report = run_checked(w, ops);
    ASSERT_TRUE(report.ok()) << to_string(report);
    ASSERT_EQ(report.steps.size(), ops.size());
    for (const auto& step : report.steps) {
        EXPECT_EQ(step.result.kind, outcome_kind::applied) << to_string(step.op) << " -> " << to_string(step.result);
    }
    const auto& sent = report.steps[5].result.transmitted;
    ASSERT_TRUE(sent.has_value());
    EXPECT_EQ(sent->result.status, model::transmit_status::sent);
    EXPECT_EQ(sent->result.programs_run, 1U);
    // NK-DEL-01 / MP-61: both ends gone, the link defunct, the opts reference dropped.
    EXPECT_EQ(w.devices_in(model::world::initial_netns()).size(), 1U);
    ASSERT_EQ(w.state().links.size(), 1U);
    EXPECT_TRUE(w.state().links.begin()->second.defunct());
    EXPECT_EQ(w.state().programs.begin()->second.references, 2U);  // descriptor + link
}

// NK-XMIT-12
TEST(operation_apply, a_program_redirecting_to_its_own_device_transmits_again_up_to_the_recursion_limit_NK_XMIT_12) {
    model::world w;
    create_pair pair;
    pair.up = true;
    load_program loop;
    loop.verdict = verdict_choice::redirect;
    loop.redirect = redirect_spec{2, model::redirect_mode::egress};  // ifindex 3: the primary itself
    prog_attach opts;
    opts.target = device_ref{0, 1};
    const std::vector<operation> ops{pair, set_up{device_ref{0, 1}, true, false}, loop, opts,
                                     transmit_frame{device_ref{0, 1}, length_choice::minimum,
                                                    destination_choice::peer_address}};
    const run_report report = run_checked(w, ops);
    ASSERT_TRUE(report.ok()) << to_string(report);
    const auto& counters = w.find(model::world::initial_netns(), 3)->counters;
    // Depth 0 … 7 send and redirect again; depth 8 drops (XMIT_RECURSION_LIMIT).
    EXPECT_EQ(counters.tx_packets, model::transmit_detail::recursion_limit);
    EXPECT_EQ(counters.tx_dropped, 1U);
}

TEST(operation_apply, an_operation_with_nothing_to_refer_to_is_skipped_and_changes_nothing) {
    model::world w;
    const model::world before = w;
    for (const operation& op : std::vector<operation>{transmit_frame{}, change_link{}, prog_attach{}, link_create{},
                                                      link_update{}, link_detach{}}) {
        EXPECT_EQ(apply(w, op).kind, outcome_kind::skipped) << to_string(op);
    }
    EXPECT_EQ(w, before);
}

TEST(operation_apply, indexes_are_reduced_modulo_what_exists_when_the_operation_runs) {
    model::world w;
    ASSERT_EQ(apply(w, create_veth{}).kind, outcome_kind::applied);
    // netns 7 of 1 → the initial one; index 4 of {lo, veth0, veth1} → veth0.
    ASSERT_EQ(apply(w, set_mtu{device_ref{7, 4}, mtu_choice::jumbo}).kind, outcome_kind::applied);
    EXPECT_EQ(w.find(model::world::initial_netns(), 2)->mtu, 9000U);
    // NK-ENV-02: index 3 → lo, which cannot be deleted.
    const auto refused = apply(w, delete_device{device_ref{0, 3}});
    EXPECT_EQ(refused.kind, outcome_kind::refused);
    EXPECT_EQ(refused.code, core::errno_code::not_supported);
}

// NK-CHG-06
TEST(operation_apply, a_peer_policy_refused_after_a_valid_policy_is_partly_applied_NK_CHG_06) {
    model::world w;
    ASSERT_EQ(apply(w, create_pair{}).kind, outcome_kind::applied);
    change_link change;
    change.device = device_ref{0, 1};  // the primary (second netkit device)
    change.policy = policy_choice::drop;
    change.peer_policy = policy_choice::invalid_1;
    const model::world before = w;
    const outcome result = apply(w, change);
    EXPECT_EQ(result.kind, outcome_kind::refused);
    EXPECT_EQ(result.code, core::errno_code::invalid);
    EXPECT_TRUE(result.partly_applied);
    EXPECT_EQ(w.find(model::world::initial_netns(), 3)->netkit->policy, uapi::action::drop);
    EXPECT_TRUE(check_step(before.state(), w.state(), change, result).empty());
}

// ------------------------------------------------------------ properties

// MP-20, MP-52, NK-PAIR-15, NK-OPEN-04
TEST(stateful, random_bytes_decoded_into_operations_keep_every_invariant_MP_20_MP_52_NK_PAIR_15_NK_OPEN_04) {
    EXPECT_TRUE(check_sequences(
        "after every operation decoded from random bytes the catalogue holds (MP-20, MP-52, NK-PAIR-15, "
        "NK-OPEN-04, NK-XMIT-17)",
        [] { return decode_operations(*byte_strings()); }));
}

// ------------------------------------------- what a step changed (changes.hpp)

// One hand-made corruption of a state: a field some invariant reads, set
// to a value no operation would leave. `pick` chooses the corruption, the
// device (or netns, program, link) and the value.
void corrupt(model::world_state& s, std::uint32_t pick) {
    const std::uint32_t what = pick % 26;
    pick /= 26;
    std::vector<core::device_handle> handles;
    for (const auto& entry : s.devices) {
        handles.push_back(entry.first);
    }
    if (handles.empty()) {
        return;
    }
    const core::device_handle h = handles[pick % handles.size()];
    const core::device_handle other = handles[(pick / 7) % handles.size()];
    const std::uint32_t index = (pick / 61) % 4;
    auto rx = [&](model::device& d) -> model::rx_queue* {
        return d.rxq.empty() ? nullptr : &d.rxq[index % d.rxq.size()];
    };
    // Another device's attach points, copied before `d` is taken for writing.
    const model::device& source = std::as_const(s).devices.at(other);
    const model::mprog::attach_point tcx = source.tcx_ingress;
    const std::optional<model::mprog::attach_point> bundle =
        source.netkit ? std::optional{source.netkit->bundle} : std::nullopt;
    model::device& d = s.devices.at(h);
    switch (what) {
    case 0: if (d.netkit) { d.netkit->peer = other; } break;
    case 1: if (d.netkit) { d.netkit->primary = !d.netkit->primary; } break;
    case 2: if (d.netkit) { d.netkit->mode = d.netkit->mode == uapi::mode::l3 ? uapi::mode::l2 : uapi::mode::l3; }
        break;
    case 3: if (d.netkit) { d.netkit->headroom += 1; } break;
    case 4: d.veth_peer = other; break;
    case 5: d.up = !d.up; break;
    case 6: d.carrier = !d.carrier; break;
    case 7: d.mac = model::mac_address{0x02, 0, 0, 0, 0, 1}; break;
    case 8: d.needed_tailroom += 1; break;
    case 9: if (auto* q = rx(d)) { q->lease = model::queue_ref{other, index}; } break;
    case 10: if (auto* q = rx(d)) { q->lease.reset(); } break;
    case 11: d.real_rx_queues = d.real_rx_queues == 0 ? 1 : d.real_rx_queues - 1; break;
    case 12: d.lease_refs += 1; break;
    case 13: if (auto* q = rx(d)) { q->xsk_pool = 1 + index; } break;
    case 14: if (auto* q = rx(d)) { q->provider.reset(); } break;
    case 15: d.state = d.visible() ? model::registration::unregistering : model::registration::registered; break;
    case 16: d.name += "x"; break;
    case 17: d.ifindex += 100; break;
    case 18: if (d.nic) { d.nic->linked_peer = other; } break;
    case 19: if (d.holders > 0) { d.holders -= 1; } break;
    case 20: if (auto n = s.namespaces.find(d.netns); n != s.namespaces.end() && !n->second.by_index.empty()) {
            n->second.by_index.erase(std::prev(n->second.by_index.end()));
        }
        break;
    case 21: if (auto n = s.namespaces.find(d.netns); n != s.namespaces.end()) {
            n->second.ids[core::netns_handle{99}] = static_cast<std::int32_t>(index);
        }
        break;
    case 22: if (!s.programs.empty()) { s.programs.erase(s.programs.begin()); } break;
    case 23: d.tcx_ingress = tcx; break;
    case 24: if (d.netkit && bundle) { d.netkit->bundle = *bundle; } break;
    default: if (!s.links.empty()) { s.links.begin()->second.descriptors += 1; } break;
    }
}

// After a step from a state that breaks no invariant, the catalogue re-run
// on what the step changed finds exactly what the whole catalogue finds —
// on the state the step left, and on that state broken by hand in a field
// an invariant reads (so each invariant's declared reads and its
// per-device neighbours are exercised, not only the clean runs). And the
// change set is empty exactly when the step changed nothing.
TEST(change_set, the_catalogue_on_a_steps_changes_finds_what_the_whole_catalogue_finds) {
    EXPECT_TRUE(rc::check("check_world(after, changes_between(before, after)) == check_world(after)", [] {
        auto ops = *rc::gen::arbitrary<bool>() ? lease_prefix() : std::vector<operation>{};
        const auto more = *sequences(uniform_weights());
        ops.insert(ops.end(), more.begin(), more.end());
        const auto breaks =
            *rc::gen::container<std::vector<std::uint32_t>>(ops.size(), rc::gen::arbitrary<std::uint32_t>());
        model::world w;
        for (std::size_t i = 0; i < ops.size(); ++i) {
            const model::world_state before = w.state();
            (void)apply(w, ops[i]);
            const change_set changes = changes_between(before, w.state());
            RC_ASSERT(changes.empty() == (before == w.state()));
            if (!check_world(before).empty()) {
                return;  // a model bug: the stateful properties report it
            }
            RC_ASSERT(check_world(w.state(), changes) == check_world(w.state()));
            // The same step, its result broken by hand (one in four steps).
            if (breaks[i] % 4 != 0) {
                continue;
            }
            model::world_state broken = w.state();
            corrupt(broken, breaks[i] / 4);
            violations expected;
            try {
                expected = check_world(broken);
            } catch (const std::out_of_range&) {
                // A lease broken to name a queue its device lacks: INV-QL-07
                // runs the model's queue-get dump, which cannot describe it.
                continue;
            }
            RC_ASSERT(check_world(broken, changes_between(before, broken)) == expected);
            if (check_world(w.state()).empty()) {
                RC_ASSERT(check_world_since(w.state(), broken) == expected);
            }
        }
    }));
}

// MP-04, MP-46, MP-55, MP-59, NK-STATE-03
TEST(stateful, generated_sequences_keep_every_invariant_MP_04_MP_46_MP_55_MP_59_NK_STATE_03) {
    EXPECT_TRUE(check_sequences("generated operations keep the catalogue (MP-04, MP-24, MP-46, MP-55, MP-59, "
                                "NK-STATE-03, NK-STATE-04)",
                                [] { return *sequences(favour<create_pair, load_program>(4)); }));
}

// MP-46, MP-57, MP-58, MP-59
TEST(stateful, bpf_attachment_on_a_started_pair_keeps_references_and_links_consistent_MP_46_MP_57_MP_58_MP_59) {
    EXPECT_TRUE(check_sequences(
        "attach, detach, link create/update/detach and close keep references and links consistent (MP-24, "
        "MP-46, MP-54, MP-57, MP-58, MP-59)",
        [] {
            return after_a_started_pair<load_program, prog_attach, prog_detach, link_create, link_update,
                                        link_detach, close_descriptor, prog_query>(6);
        }));
}

// MP-52, MP-53
TEST(stateful, netkit_revisions_only_grow_and_tcx_revisions_restart_at_1_when_emptied_MP_52_MP_53) {
    EXPECT_TRUE(check_sequences(
        "revisions move by one per change, a netkit one never back, a tcx one back to 1 only when its point "
        "empties (MP-03, MP-52, MP-53)",
        [] {
            return after_a_started_pair<load_program, prog_attach, prog_detach, link_create, link_detach,
                                        close_descriptor>(6, favour<create_pair>(0));
        }));
}

// NK-XMIT-09, NK-XMIT-12, NK-XMIT-13, NK-XMIT-17
TEST(stateful, every_transmit_moves_one_frame_through_the_sender_NK_XMIT_09_NK_XMIT_12_NK_XMIT_13_NK_XMIT_17) {
    EXPECT_TRUE(check_sequences(
        "whatever the programs answer, a transmit counts exactly one frame at the sender, plus one per redirect "
        "out of a netkit device (NK-XMIT-09, NK-XMIT-12, NK-XMIT-13, NK-XMIT-14, NK-XMIT-17)",
        [] { return after_a_started_pair<transmit_frame, load_program, prog_attach, link_create>(6); }));
}

// MP-61, NK-DEL-01, NK-DEL-03
TEST(stateful, deleting_devices_and_namespaces_leaves_no_live_attachment_behind_MP_61_NK_DEL_01_NK_DEL_03) {
    EXPECT_TRUE(check_sequences(
        "deletion makes links defunct, frees opts references and removes both ends (MP-61, MP-62, NK-DEL-01, "
        "NK-DEL-03, NK-ENV-08)",
        [] {
            return after_a_started_pair<delete_device, delete_netns, move_device, create_netns, prog_attach,
                                        link_create, load_program, create_pair>(5);
        }));
}

// MP-20, NK-PAIR-01, NK-CHG-06
TEST(stateful, refused_requests_change_nothing_unless_partly_applied_MP_20_NK_PAIR_01_NK_CHG_06) {
    EXPECT_TRUE(check_sequences(
        "a refused creation, change or BPF request leaves the world as it was, except the POLICY kept by "
        "NK-CHG-06 (MP-20, NK-PAIR-01, NK-CHG-02, NK-CHG-06, NK-DRV-09)",
        [] {
            return after_a_started_pair<create_pair, create_single, change_link, set_mac, set_mtu, move_device,
                                        set_up>(5);
        }));
}

// ---------------------------------------- regressions of fixed model bugs
// Both were found by these properties and the world_ops fuzzer.

// Minimal sequence: create a netns, delete it. The kernel closes every
// device before unregistering it; the model used to unlist lo and leave it up.
// NK-ENV-08, NK-OPEN-03
TEST(model_regressions, deleting_a_netns_closes_its_loopback_NK_ENV_08_NK_OPEN_03) {
    model::world w;
    const std::vector<operation> ops{create_netns{}, delete_netns{1}};
    const run_report report = run_checked(w, ops);
    EXPECT_TRUE(report.ok()) << to_string(report);
}

// Minimal sequence: create a netns, load a program, link it to the tcx
// ingress hook of that netns' lo, delete the netns. The link should be
// defunct (MP-61 for the tcx hook every device has, MP-64); the model keeps
// it live on the freed lo, and an opts program stays attached there.
TEST(model_regressions, deleting_a_netns_releases_the_tcx_attachments_of_its_loopback_MP_61_MP_64) {
    model::world w;
    link_create link;
    link.target = device_ref{1, 0};
    link.type = attach_type_choice::tcx_ingress;
    const std::vector<operation> ops{create_netns{}, load_program{}, link, delete_netns{1}};
    const run_report report = run_checked(w, ops, [](const violation& v) { return v.id == "INV-NK-04"; });
    EXPECT_TRUE(report.ok()) << to_string(report);
}

}  // namespace
