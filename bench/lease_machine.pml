/* The queue/lease machine of netkit::check::lease_machine as a Promela model.
 * Generated from model::physical_queue_table by to_promela
 * (include/netkit/check/lease_machine.hpp; `bench_explorer --promela 7`): do not edit.
 * One NIC with QUEUES RX queues; q[i] is queue i's QL-PSM state, c the real rx count.
 * States: 0 inactive, 1 free, 2 mp_direct, 3 xsk_direct, 4 leased, 5 leased_mp, 6 leased_xsk, 7 gone.
 * Every option of the loop is one operation of the machine, a d_step executable exactly
 * when every row it steps accepts; a refused operation is no transition. */

#define QUEUES 7
#define PAIR 0  /* lessee_is_pair */
#define NOZC 0  /* no_zero_copy_support */

/* provider_on_device: some queue is mp_direct or leased_mp */
#define PROV (q[0] == 2 || q[0] == 5 || q[1] == 2 || q[1] == 5 || q[2] == 2 || q[2] == 5 || q[3] == 2 || q[3] == 5 || q[4] == 2 || q[4] == 5 || q[5] == 2 || q[5] == 5 || q[6] == 2 || q[6] == 5)

/* The table: for queue state x, provider_on_device P, last_active_after_set L. */
#define OK_channels_grow(x, P, L) (x == 0 -> 1 : (x == 1 -> 1 : (x == 2 -> (L -> 0 : 1) : (x == 3 -> 1 : (x == 4 -> 1 : (x == 5 -> (L -> 0 : 1) : (x == 6 -> 1 : 0)))))))
#define TO_channels_grow(x, P, L) (x == 0 -> 1 : (x == 1 -> 1 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 4 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_channels_shrink(x, P, L) (x == 0 -> 1 : (x == 1 -> 1 : 0))
#define TO_channels_shrink(x, P, L) (x == 0 -> 0 : (x == 1 -> 0 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 4 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_queue_create(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : 0))
#define TO_queue_create(x, P, L) (x == 0 -> 0 : (x == 1 -> 4 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 4 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_provider_open_on_physical(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : 0))
#define TO_provider_open_on_physical(x, P, L) (x == 0 -> 0 : (x == 1 -> 2 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 4 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_provider_close_on_physical(x, P, L) 1
#define TO_provider_close_on_physical(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : (x == 2 -> 1 : (x == 3 -> 3 : (x == 4 -> 4 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_provider_open_on_virtual(x, P, L) (x == 0 -> 0 : (x == 1 -> 0 : (x == 2 -> 0 : (x == 3 -> 0 : (x == 4 -> 1 : 0)))))
#define TO_provider_open_on_virtual(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 5 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_provider_close_on_virtual(x, P, L) 1
#define TO_provider_close_on_virtual(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 4 : (x == 5 -> 4 : (x == 6 -> 6 : 7)))))))
#define OK_af_xdp_copy_bind_on_physical(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : 0))
#define TO_af_xdp_copy_bind_on_physical(x, P, L) (x == 0 -> 0 : (x == 1 -> 3 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 4 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_af_xdp_zero_copy_bind_on_physical(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : 0))
#define TO_af_xdp_zero_copy_bind_on_physical(x, P, L) (x == 0 -> 0 : (x == 1 -> 3 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 4 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_af_xdp_forced_zero_copy_bind_on_physical(x, P, L) (x == 0 -> 0 : (x == 1 -> (NOZC -> 0 : (P -> 0 : 1)) : 0))
#define TO_af_xdp_forced_zero_copy_bind_on_physical(x, P, L) (x == 0 -> 0 : (x == 1 -> (NOZC -> 1 : (P -> 1 : 3)) : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 4 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_af_xdp_unbind_on_physical(x, P, L) 1
#define TO_af_xdp_unbind_on_physical(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : (x == 2 -> 2 : (x == 3 -> 1 : (x == 4 -> 4 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_af_xdp_copy_bind_on_virtual(x, P, L) (x == 0 -> 1 : (x == 1 -> 1 : (x == 2 -> 1 : (x == 3 -> 1 : (x == 4 -> 1 : 0)))))
#define TO_af_xdp_copy_bind_on_virtual(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 6 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_af_xdp_zero_copy_bind_on_virtual(x, P, L) (x == 0 -> 1 : (x == 1 -> 1 : (x == 2 -> 1 : (x == 3 -> 1 : (x == 4 -> 1 : 0)))))
#define TO_af_xdp_zero_copy_bind_on_virtual(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 6 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_af_xdp_forced_zero_copy_bind_on_virtual(x, P, L) (x == 0 -> 0 : (x == 1 -> 0 : (x == 2 -> 0 : (x == 3 -> 0 : (x == 4 -> (PAIR -> 0 : (NOZC -> 0 : (P -> 0 : 1))) : 0)))))
#define TO_af_xdp_forced_zero_copy_bind_on_virtual(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> (PAIR -> 4 : (NOZC -> 4 : (P -> 4 : 6))) : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_af_xdp_unbind_on_virtual(x, P, L) 1
#define TO_af_xdp_unbind_on_virtual(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 4 : (x == 5 -> 5 : (x == 6 -> 4 : 7)))))))
#define OK_xdp_attach(x, P, L) (x == 0 -> (P -> 0 : 1) : (x == 1 -> (P -> 0 : 1) : (x == 2 -> 0 : (x == 3 -> (P -> 0 : 1) : (x == 4 -> (P -> 0 : 1) : (x == 5 -> 0 : (x == 6 -> (P -> 0 : 1) : 0)))))))
#define TO_xdp_attach(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 4 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_lessee_unregistered(x, P, L) 1
#define TO_lessee_unregistered(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 1 : (x == 5 -> 1 : (x == 6 -> 1 : 7)))))))
#define OK_lessor_unregistered(x, P, L) (x == 0 -> 1 : (x == 1 -> 1 : (x == 2 -> 1 : (x == 3 -> 1 : (x == 4 -> 1 : (x == 5 -> 1 : (x == 6 -> 1 : 0)))))))
#define TO_lessor_unregistered(x, P, L) 7
#define OK_link_down(x, P, L) (x == 0 -> 1 : (x == 1 -> 1 : (x == 2 -> 1 : (x == 3 -> 1 : (x == 4 -> 1 : (x == 5 -> 1 : (x == 6 -> 1 : 0)))))))
#define TO_link_down(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 4 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_link_up(x, P, L) (x == 0 -> 1 : (x == 1 -> 1 : (x == 2 -> 1 : (x == 3 -> 1 : (x == 4 -> 1 : (x == 5 -> 1 : (x == 6 -> 1 : 0)))))))
#define TO_link_up(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 4 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))
#define OK_netns_move(x, P, L) (x == 0 -> 1 : (x == 1 -> 1 : (x == 2 -> 1 : (x == 3 -> 1 : (x == 4 -> 1 : (x == 5 -> 1 : (x == 6 -> 1 : 0)))))))
#define TO_netns_move(x, P, L) (x == 0 -> 0 : (x == 1 -> 1 : (x == 2 -> 2 : (x == 3 -> 3 : (x == 4 -> 4 : (x == 5 -> 5 : (x == 6 -> 6 : 7)))))))

byte q[QUEUES] = 1;
byte c = QUEUES;

active proctype machine() {
  do
  :: d_step { OK_queue_create(q[0], PROV, 0) -> q[0] = TO_queue_create(q[0], PROV, 0) }
  :: d_step { OK_provider_open_on_physical(q[0], PROV, 0) -> q[0] = TO_provider_open_on_physical(q[0], PROV, 0) }
  :: d_step { OK_provider_close_on_physical(q[0], PROV, 0) -> q[0] = TO_provider_close_on_physical(q[0], PROV, 0) }
  :: d_step { OK_provider_open_on_virtual(q[0], PROV, 0) -> q[0] = TO_provider_open_on_virtual(q[0], PROV, 0) }
  :: d_step { OK_provider_close_on_virtual(q[0], PROV, 0) -> q[0] = TO_provider_close_on_virtual(q[0], PROV, 0) }
  :: d_step { OK_af_xdp_copy_bind_on_physical(q[0], PROV, 0) -> q[0] = TO_af_xdp_copy_bind_on_physical(q[0], PROV, 0) }
  :: d_step { OK_af_xdp_zero_copy_bind_on_physical(q[0], PROV, 0) -> q[0] = TO_af_xdp_zero_copy_bind_on_physical(q[0], PROV, 0) }
  :: d_step { OK_af_xdp_forced_zero_copy_bind_on_physical(q[0], PROV, 0) -> q[0] = TO_af_xdp_forced_zero_copy_bind_on_physical(q[0], PROV, 0) }
  :: d_step { OK_af_xdp_unbind_on_physical(q[0], PROV, 0) -> q[0] = TO_af_xdp_unbind_on_physical(q[0], PROV, 0) }
  :: d_step { OK_af_xdp_copy_bind_on_virtual(q[0], PROV, 0) -> q[0] = TO_af_xdp_copy_bind_on_virtual(q[0], PROV, 0) }
  :: d_step { OK_af_xdp_zero_copy_bind_on_virtual(q[0], PROV, 0) -> q[0] = TO_af_xdp_zero_copy_bind_on_virtual(q[0], PROV, 0) }
  :: d_step { OK_af_xdp_forced_zero_copy_bind_on_virtual(q[0], PROV, 0) -> q[0] = TO_af_xdp_forced_zero_copy_bind_on_virtual(q[0], PROV, 0) }
  :: d_step { OK_af_xdp_unbind_on_virtual(q[0], PROV, 0) -> q[0] = TO_af_xdp_unbind_on_virtual(q[0], PROV, 0) }
  :: d_step { OK_queue_create(q[1], PROV, 0) -> q[1] = TO_queue_create(q[1], PROV, 0) }
  :: d_step { OK_provider_open_on_physical(q[1], PROV, 0) -> q[1] = TO_provider_open_on_physical(q[1], PROV, 0) }
  :: d_step { OK_provider_close_on_physical(q[1], PROV, 0) -> q[1] = TO_provider_close_on_physical(q[1], PROV, 0) }
  :: d_step { OK_provider_open_on_virtual(q[1], PROV, 0) -> q[1] = TO_provider_open_on_virtual(q[1], PROV, 0) }
  :: d_step { OK_provider_close_on_virtual(q[1], PROV, 0) -> q[1] = TO_provider_close_on_virtual(q[1], PROV, 0) }
  :: d_step { OK_af_xdp_copy_bind_on_physical(q[1], PROV, 0) -> q[1] = TO_af_xdp_copy_bind_on_physical(q[1], PROV, 0) }
  :: d_step { OK_af_xdp_zero_copy_bind_on_physical(q[1], PROV, 0) -> q[1] = TO_af_xdp_zero_copy_bind_on_physical(q[1], PROV, 0) }
  :: d_step { OK_af_xdp_forced_zero_copy_bind_on_physical(q[1], PROV, 0) -> q[1] = TO_af_xdp_forced_zero_copy_bind_on_physical(q[1], PROV, 0) }
  :: d_step { OK_af_xdp_unbind_on_physical(q[1], PROV, 0) -> q[1] = TO_af_xdp_unbind_on_physical(q[1], PROV, 0) }
  :: d_step { OK_af_xdp_copy_bind_on_virtual(q[1], PROV, 0) -> q[1] = TO_af_xdp_copy_bind_on_virtual(q[1], PROV, 0) }
  :: d_step { OK_af_xdp_zero_copy_bind_on_virtual(q[1], PROV, 0) -> q[1] = TO_af_xdp_zero_copy_bind_on_virtual(q[1], PROV, 0) }
  :: d_step { OK_af_xdp_forced_zero_copy_bind_on_virtual(q[1], PROV, 0) -> q[1] = TO_af_xdp_forced_zero_copy_bind_on_virtual(q[1], PROV, 0) }
  :: d_step { OK_af_xdp_unbind_on_virtual(q[1], PROV, 0) -> q[1] = TO_af_xdp_unbind_on_virtual(q[1], PROV, 0) }
  :: d_step { OK_queue_create(q[2], PROV, 0) -> q[2] = TO_queue_create(q[2], PROV, 0) }
  :: d_step { OK_provider_open_on_physical(q[2], PROV, 0) -> q[2] = TO_provider_open_on_physical(q[2], PROV, 0) }
  :: d_step { OK_provider_close_on_physical(q[2], PROV, 0) -> q[2] = TO_provider_close_on_physical(q[2], PROV, 0) }
  :: d_step { OK_provider_open_on_virtual(q[2], PROV, 0) -> q[2] = TO_provider_open_on_virtual(q[2], PROV, 0) }
  :: d_step { OK_provider_close_on_virtual(q[2], PROV, 0) -> q[2] = TO_provider_close_on_virtual(q[2], PROV, 0) }
  :: d_step { OK_af_xdp_copy_bind_on_physical(q[2], PROV, 0) -> q[2] = TO_af_xdp_copy_bind_on_physical(q[2], PROV, 0) }
  :: d_step { OK_af_xdp_zero_copy_bind_on_physical(q[2], PROV, 0) -> q[2] = TO_af_xdp_zero_copy_bind_on_physical(q[2], PROV, 0) }
  :: d_step { OK_af_xdp_forced_zero_copy_bind_on_physical(q[2], PROV, 0) -> q[2] = TO_af_xdp_forced_zero_copy_bind_on_physical(q[2], PROV, 0) }
  :: d_step { OK_af_xdp_unbind_on_physical(q[2], PROV, 0) -> q[2] = TO_af_xdp_unbind_on_physical(q[2], PROV, 0) }
  :: d_step { OK_af_xdp_copy_bind_on_virtual(q[2], PROV, 0) -> q[2] = TO_af_xdp_copy_bind_on_virtual(q[2], PROV, 0) }
  :: d_step { OK_af_xdp_zero_copy_bind_on_virtual(q[2], PROV, 0) -> q[2] = TO_af_xdp_zero_copy_bind_on_virtual(q[2], PROV, 0) }
  :: d_step { OK_af_xdp_forced_zero_copy_bind_on_virtual(q[2], PROV, 0) -> q[2] = TO_af_xdp_forced_zero_copy_bind_on_virtual(q[2], PROV, 0) }
  :: d_step { OK_af_xdp_unbind_on_virtual(q[2], PROV, 0) -> q[2] = TO_af_xdp_unbind_on_virtual(q[2], PROV, 0) }
  :: d_step { OK_queue_create(q[3], PROV, 0) -> q[3] = TO_queue_create(q[3], PROV, 0) }
  :: d_step { OK_provider_open_on_physical(q[3], PROV, 0) -> q[3] = TO_provider_open_on_physical(q[3], PROV, 0) }
  :: d_step { OK_provider_close_on_physical(q[3], PROV, 0) -> q[3] = TO_provider_close_on_physical(q[3], PROV, 0) }
  :: d_step { OK_provider_open_on_virtual(q[3], PROV, 0) -> q[3] = TO_provider_open_on_virtual(q[3], PROV, 0) }
  :: d_step { OK_provider_close_on_virtual(q[3], PROV, 0) -> q[3] = TO_provider_close_on_virtual(q[3], PROV, 0) }
  :: d_step { OK_af_xdp_copy_bind_on_physical(q[3], PROV, 0) -> q[3] = TO_af_xdp_copy_bind_on_physical(q[3], PROV, 0) }
  :: d_step { OK_af_xdp_zero_copy_bind_on_physical(q[3], PROV, 0) -> q[3] = TO_af_xdp_zero_copy_bind_on_physical(q[3], PROV, 0) }
  :: d_step { OK_af_xdp_forced_zero_copy_bind_on_physical(q[3], PROV, 0) -> q[3] = TO_af_xdp_forced_zero_copy_bind_on_physical(q[3], PROV, 0) }
  :: d_step { OK_af_xdp_unbind_on_physical(q[3], PROV, 0) -> q[3] = TO_af_xdp_unbind_on_physical(q[3], PROV, 0) }
  :: d_step { OK_af_xdp_copy_bind_on_virtual(q[3], PROV, 0) -> q[3] = TO_af_xdp_copy_bind_on_virtual(q[3], PROV, 0) }
  :: d_step { OK_af_xdp_zero_copy_bind_on_virtual(q[3], PROV, 0) -> q[3] = TO_af_xdp_zero_copy_bind_on_virtual(q[3], PROV, 0) }
  :: d_step { OK_af_xdp_forced_zero_copy_bind_on_virtual(q[3], PROV, 0) -> q[3] = TO_af_xdp_forced_zero_copy_bind_on_virtual(q[3], PROV, 0) }
  :: d_step { OK_af_xdp_unbind_on_virtual(q[3], PROV, 0) -> q[3] = TO_af_xdp_unbind_on_virtual(q[3], PROV, 0) }
  :: d_step { OK_queue_create(q[4], PROV, 0) -> q[4] = TO_queue_create(q[4], PROV, 0) }
  :: d_step { OK_provider_open_on_physical(q[4], PROV, 0) -> q[4] = TO_provider_open_on_physical(q[4], PROV, 0) }
  :: d_step { OK_provider_close_on_physical(q[4], PROV, 0) -> q[4] = TO_provider_close_on_physical(q[4], PROV, 0) }
  :: d_step { OK_provider_open_on_virtual(q[4], PROV, 0) -> q[4] = TO_provider_open_on_virtual(q[4], PROV, 0) }
  :: d_step { OK_provider_close_on_virtual(q[4], PROV, 0) -> q[4] = TO_provider_close_on_virtual(q[4], PROV, 0) }
  :: d_step { OK_af_xdp_copy_bind_on_physical(q[4], PROV, 0) -> q[4] = TO_af_xdp_copy_bind_on_physical(q[4], PROV, 0) }
  :: d_step { OK_af_xdp_zero_copy_bind_on_physical(q[4], PROV, 0) -> q[4] = TO_af_xdp_zero_copy_bind_on_physical(q[4], PROV, 0) }
  :: d_step { OK_af_xdp_forced_zero_copy_bind_on_physical(q[4], PROV, 0) -> q[4] = TO_af_xdp_forced_zero_copy_bind_on_physical(q[4], PROV, 0) }
  :: d_step { OK_af_xdp_unbind_on_physical(q[4], PROV, 0) -> q[4] = TO_af_xdp_unbind_on_physical(q[4], PROV, 0) }
  :: d_step { OK_af_xdp_copy_bind_on_virtual(q[4], PROV, 0) -> q[4] = TO_af_xdp_copy_bind_on_virtual(q[4], PROV, 0) }
  :: d_step { OK_af_xdp_zero_copy_bind_on_virtual(q[4], PROV, 0) -> q[4] = TO_af_xdp_zero_copy_bind_on_virtual(q[4], PROV, 0) }
  :: d_step { OK_af_xdp_forced_zero_copy_bind_on_virtual(q[4], PROV, 0) -> q[4] = TO_af_xdp_forced_zero_copy_bind_on_virtual(q[4], PROV, 0) }
  :: d_step { OK_af_xdp_unbind_on_virtual(q[4], PROV, 0) -> q[4] = TO_af_xdp_unbind_on_virtual(q[4], PROV, 0) }
  :: d_step { OK_queue_create(q[5], PROV, 0) -> q[5] = TO_queue_create(q[5], PROV, 0) }
  :: d_step { OK_provider_open_on_physical(q[5], PROV, 0) -> q[5] = TO_provider_open_on_physical(q[5], PROV, 0) }
  :: d_step { OK_provider_close_on_physical(q[5], PROV, 0) -> q[5] = TO_provider_close_on_physical(q[5], PROV, 0) }
  :: d_step { OK_provider_open_on_virtual(q[5], PROV, 0) -> q[5] = TO_provider_open_on_virtual(q[5], PROV, 0) }
  :: d_step { OK_provider_close_on_virtual(q[5], PROV, 0) -> q[5] = TO_provider_close_on_virtual(q[5], PROV, 0) }
  :: d_step { OK_af_xdp_copy_bind_on_physical(q[5], PROV, 0) -> q[5] = TO_af_xdp_copy_bind_on_physical(q[5], PROV, 0) }
  :: d_step { OK_af_xdp_zero_copy_bind_on_physical(q[5], PROV, 0) -> q[5] = TO_af_xdp_zero_copy_bind_on_physical(q[5], PROV, 0) }
  :: d_step { OK_af_xdp_forced_zero_copy_bind_on_physical(q[5], PROV, 0) -> q[5] = TO_af_xdp_forced_zero_copy_bind_on_physical(q[5], PROV, 0) }
  :: d_step { OK_af_xdp_unbind_on_physical(q[5], PROV, 0) -> q[5] = TO_af_xdp_unbind_on_physical(q[5], PROV, 0) }
  :: d_step { OK_af_xdp_copy_bind_on_virtual(q[5], PROV, 0) -> q[5] = TO_af_xdp_copy_bind_on_virtual(q[5], PROV, 0) }
  :: d_step { OK_af_xdp_zero_copy_bind_on_virtual(q[5], PROV, 0) -> q[5] = TO_af_xdp_zero_copy_bind_on_virtual(q[5], PROV, 0) }
  :: d_step { OK_af_xdp_forced_zero_copy_bind_on_virtual(q[5], PROV, 0) -> q[5] = TO_af_xdp_forced_zero_copy_bind_on_virtual(q[5], PROV, 0) }
  :: d_step { OK_af_xdp_unbind_on_virtual(q[5], PROV, 0) -> q[5] = TO_af_xdp_unbind_on_virtual(q[5], PROV, 0) }
  :: d_step { OK_queue_create(q[6], PROV, 0) -> q[6] = TO_queue_create(q[6], PROV, 0) }
  :: d_step { OK_provider_open_on_physical(q[6], PROV, 0) -> q[6] = TO_provider_open_on_physical(q[6], PROV, 0) }
  :: d_step { OK_provider_close_on_physical(q[6], PROV, 0) -> q[6] = TO_provider_close_on_physical(q[6], PROV, 0) }
  :: d_step { OK_provider_open_on_virtual(q[6], PROV, 0) -> q[6] = TO_provider_open_on_virtual(q[6], PROV, 0) }
  :: d_step { OK_provider_close_on_virtual(q[6], PROV, 0) -> q[6] = TO_provider_close_on_virtual(q[6], PROV, 0) }
  :: d_step { OK_af_xdp_copy_bind_on_physical(q[6], PROV, 0) -> q[6] = TO_af_xdp_copy_bind_on_physical(q[6], PROV, 0) }
  :: d_step { OK_af_xdp_zero_copy_bind_on_physical(q[6], PROV, 0) -> q[6] = TO_af_xdp_zero_copy_bind_on_physical(q[6], PROV, 0) }
  :: d_step { OK_af_xdp_forced_zero_copy_bind_on_physical(q[6], PROV, 0) -> q[6] = TO_af_xdp_forced_zero_copy_bind_on_physical(q[6], PROV, 0) }
  :: d_step { OK_af_xdp_unbind_on_physical(q[6], PROV, 0) -> q[6] = TO_af_xdp_unbind_on_physical(q[6], PROV, 0) }
  :: d_step { OK_af_xdp_copy_bind_on_virtual(q[6], PROV, 0) -> q[6] = TO_af_xdp_copy_bind_on_virtual(q[6], PROV, 0) }
  :: d_step { OK_af_xdp_zero_copy_bind_on_virtual(q[6], PROV, 0) -> q[6] = TO_af_xdp_zero_copy_bind_on_virtual(q[6], PROV, 0) }
  :: d_step { OK_af_xdp_forced_zero_copy_bind_on_virtual(q[6], PROV, 0) -> q[6] = TO_af_xdp_forced_zero_copy_bind_on_virtual(q[6], PROV, 0) }
  :: d_step { OK_af_xdp_unbind_on_virtual(q[6], PROV, 0) -> q[6] = TO_af_xdp_unbind_on_virtual(q[6], PROV, 0) }
  :: d_step { c < 1 && OK_channels_grow(q[0], PROV, 1) && OK_channels_shrink(q[1], PROV, 0) && OK_channels_shrink(q[2], PROV, 0) && OK_channels_shrink(q[3], PROV, 0) && OK_channels_shrink(q[4], PROV, 0) && OK_channels_shrink(q[5], PROV, 0) && OK_channels_shrink(q[6], PROV, 0) ->
       q[0] = TO_channels_grow(q[0], 0, 1); q[1] = TO_channels_shrink(q[1], 0, 0); q[2] = TO_channels_shrink(q[2], 0, 0); q[3] = TO_channels_shrink(q[3], 0, 0); q[4] = TO_channels_shrink(q[4], 0, 0); q[5] = TO_channels_shrink(q[5], 0, 0); q[6] = TO_channels_shrink(q[6], 0, 0); c = 1 }
  :: d_step { c > 1 && OK_channels_grow(q[0], PROV, 1) && OK_channels_shrink(q[1], PROV, 0) && OK_channels_shrink(q[2], PROV, 0) && OK_channels_shrink(q[3], PROV, 0) && OK_channels_shrink(q[4], PROV, 0) && OK_channels_shrink(q[5], PROV, 0) && OK_channels_shrink(q[6], PROV, 0) ->
       q[0] = TO_channels_grow(q[0], 0, 1); q[1] = TO_channels_shrink(q[1], 0, 0); q[2] = TO_channels_shrink(q[2], 0, 0); q[3] = TO_channels_shrink(q[3], 0, 0); q[4] = TO_channels_shrink(q[4], 0, 0); q[5] = TO_channels_shrink(q[5], 0, 0); q[6] = TO_channels_shrink(q[6], 0, 0); c = 1 }
  :: d_step { c < 2 && OK_channels_grow(q[0], PROV, 0) && OK_channels_grow(q[1], PROV, 1) && OK_channels_shrink(q[2], PROV, 0) && OK_channels_shrink(q[3], PROV, 0) && OK_channels_shrink(q[4], PROV, 0) && OK_channels_shrink(q[5], PROV, 0) && OK_channels_shrink(q[6], PROV, 0) ->
       q[0] = TO_channels_grow(q[0], 0, 0); q[1] = TO_channels_grow(q[1], 0, 1); q[2] = TO_channels_shrink(q[2], 0, 0); q[3] = TO_channels_shrink(q[3], 0, 0); q[4] = TO_channels_shrink(q[4], 0, 0); q[5] = TO_channels_shrink(q[5], 0, 0); q[6] = TO_channels_shrink(q[6], 0, 0); c = 2 }
  :: d_step { c > 2 && OK_channels_grow(q[0], PROV, 0) && OK_channels_grow(q[1], PROV, 1) && OK_channels_shrink(q[2], PROV, 0) && OK_channels_shrink(q[3], PROV, 0) && OK_channels_shrink(q[4], PROV, 0) && OK_channels_shrink(q[5], PROV, 0) && OK_channels_shrink(q[6], PROV, 0) ->
       q[0] = TO_channels_grow(q[0], 0, 0); q[1] = TO_channels_grow(q[1], 0, 1); q[2] = TO_channels_shrink(q[2], 0, 0); q[3] = TO_channels_shrink(q[3], 0, 0); q[4] = TO_channels_shrink(q[4], 0, 0); q[5] = TO_channels_shrink(q[5], 0, 0); q[6] = TO_channels_shrink(q[6], 0, 0); c = 2 }
  :: d_step { c < 3 && OK_channels_grow(q[0], PROV, 0) && OK_channels_grow(q[1], PROV, 0) && OK_channels_grow(q[2], PROV, 1) && OK_channels_shrink(q[3], PROV, 0) && OK_channels_shrink(q[4], PROV, 0) && OK_channels_shrink(q[5], PROV, 0) && OK_channels_shrink(q[6], PROV, 0) ->
       q[0] = TO_channels_grow(q[0], 0, 0); q[1] = TO_channels_grow(q[1], 0, 0); q[2] = TO_channels_grow(q[2], 0, 1); q[3] = TO_channels_shrink(q[3], 0, 0); q[4] = TO_channels_shrink(q[4], 0, 0); q[5] = TO_channels_shrink(q[5], 0, 0); q[6] = TO_channels_shrink(q[6], 0, 0); c = 3 }
  :: d_step { c > 3 && OK_channels_grow(q[0], PROV, 0) && OK_channels_grow(q[1], PROV, 0) && OK_channels_grow(q[2], PROV, 1) && OK_channels_shrink(q[3], PROV, 0) && OK_channels_shrink(q[4], PROV, 0) && OK_channels_shrink(q[5], PROV, 0) && OK_channels_shrink(q[6], PROV, 0) ->
       q[0] = TO_channels_grow(q[0], 0, 0); q[1] = TO_channels_grow(q[1], 0, 0); q[2] = TO_channels_grow(q[2], 0, 1); q[3] = TO_channels_shrink(q[3], 0, 0); q[4] = TO_channels_shrink(q[4], 0, 0); q[5] = TO_channels_shrink(q[5], 0, 0); q[6] = TO_channels_shrink(q[6], 0, 0); c = 3 }
  :: d_step { c < 4 && OK_channels_grow(q[0], PROV, 0) && OK_channels_grow(q[1], PROV, 0) && OK_channels_grow(q[2], PROV, 0) && OK_channels_grow(q[3], PROV, 1) && OK_channels_shrink(q[4], PROV, 0) && OK_channels_shrink(q[5], PROV, 0) && OK_channels_shrink(q[6], PROV, 0) ->
       q[0] = TO_channels_grow(q[0], 0, 0); q[1] = TO_channels_grow(q[1], 0, 0); q[2] = TO_channels_grow(q[2], 0, 0); q[3] = TO_channels_grow(q[3], 0, 1); q[4] = TO_channels_shrink(q[4], 0, 0); q[5] = TO_channels_shrink(q[5], 0, 0); q[6] = TO_channels_shrink(q[6], 0, 0); c = 4 }
  :: d_step { c > 4 && OK_channels_grow(q[0], PROV, 0) && OK_channels_grow(q[1], PROV, 0) && OK_channels_grow(q[2], PROV, 0) && OK_channels_grow(q[3], PROV, 1) && OK_channels_shrink(q[4], PROV, 0) && OK_channels_shrink(q[5], PROV, 0) && OK_channels_shrink(q[6], PROV, 0) ->
       q[0] = TO_channels_grow(q[0], 0, 0); q[1] = TO_channels_grow(q[1], 0, 0); q[2] = TO_channels_grow(q[2], 0, 0); q[3] = TO_channels_grow(q[3], 0, 1); q[4] = TO_channels_shrink(q[4], 0, 0); q[5] = TO_channels_shrink(q[5], 0, 0); q[6] = TO_channels_shrink(q[6], 0, 0); c = 4 }
  :: d_step { c < 5 && OK_channels_grow(q[0], PROV, 0) && OK_channels_grow(q[1], PROV, 0) && OK_channels_grow(q[2], PROV, 0) && OK_channels_grow(q[3], PROV, 0) && OK_channels_grow(q[4], PROV, 1) && OK_channels_shrink(q[5], PROV, 0) && OK_channels_shrink(q[6], PROV, 0) ->
       q[0] = TO_channels_grow(q[0], 0, 0); q[1] = TO_channels_grow(q[1], 0, 0); q[2] = TO_channels_grow(q[2], 0, 0); q[3] = TO_channels_grow(q[3], 0, 0); q[4] = TO_channels_grow(q[4], 0, 1); q[5] = TO_channels_shrink(q[5], 0, 0); q[6] = TO_channels_shrink(q[6], 0, 0); c = 5 }
  :: d_step { c > 5 && OK_channels_grow(q[0], PROV, 0) && OK_channels_grow(q[1], PROV, 0) && OK_channels_grow(q[2], PROV, 0) && OK_channels_grow(q[3], PROV, 0) && OK_channels_grow(q[4], PROV, 1) && OK_channels_shrink(q[5], PROV, 0) && OK_channels_shrink(q[6], PROV, 0) ->
       q[0] = TO_channels_grow(q[0], 0, 0); q[1] = TO_channels_grow(q[1], 0, 0); q[2] = TO_channels_grow(q[2], 0, 0); q[3] = TO_channels_grow(q[3], 0, 0); q[4] = TO_channels_grow(q[4], 0, 1); q[5] = TO_channels_shrink(q[5], 0, 0); q[6] = TO_channels_shrink(q[6], 0, 0); c = 5 }
  :: d_step { c < 6 && OK_channels_grow(q[0], PROV, 0) && OK_channels_grow(q[1], PROV, 0) && OK_channels_grow(q[2], PROV, 0) && OK_channels_grow(q[3], PROV, 0) && OK_channels_grow(q[4], PROV, 0) && OK_channels_grow(q[5], PROV, 1) && OK_channels_shrink(q[6], PROV, 0) ->
       q[0] = TO_channels_grow(q[0], 0, 0); q[1] = TO_channels_grow(q[1], 0, 0); q[2] = TO_channels_grow(q[2], 0, 0); q[3] = TO_channels_grow(q[3], 0, 0); q[4] = TO_channels_grow(q[4], 0, 0); q[5] = TO_channels_grow(q[5], 0, 1); q[6] = TO_channels_shrink(q[6], 0, 0); c = 6 }
  :: d_step { c > 6 && OK_channels_grow(q[0], PROV, 0) && OK_channels_grow(q[1], PROV, 0) && OK_channels_grow(q[2], PROV, 0) && OK_channels_grow(q[3], PROV, 0) && OK_channels_grow(q[4], PROV, 0) && OK_channels_grow(q[5], PROV, 1) && OK_channels_shrink(q[6], PROV, 0) ->
       q[0] = TO_channels_grow(q[0], 0, 0); q[1] = TO_channels_grow(q[1], 0, 0); q[2] = TO_channels_grow(q[2], 0, 0); q[3] = TO_channels_grow(q[3], 0, 0); q[4] = TO_channels_grow(q[4], 0, 0); q[5] = TO_channels_grow(q[5], 0, 1); q[6] = TO_channels_shrink(q[6], 0, 0); c = 6 }
  :: d_step { c < 7 && OK_channels_grow(q[0], PROV, 0) && OK_channels_grow(q[1], PROV, 0) && OK_channels_grow(q[2], PROV, 0) && OK_channels_grow(q[3], PROV, 0) && OK_channels_grow(q[4], PROV, 0) && OK_channels_grow(q[5], PROV, 0) && OK_channels_grow(q[6], PROV, 1) ->
       q[0] = TO_channels_grow(q[0], 0, 0); q[1] = TO_channels_grow(q[1], 0, 0); q[2] = TO_channels_grow(q[2], 0, 0); q[3] = TO_channels_grow(q[3], 0, 0); q[4] = TO_channels_grow(q[4], 0, 0); q[5] = TO_channels_grow(q[5], 0, 0); q[6] = TO_channels_grow(q[6], 0, 1); c = 7 }
  :: d_step { OK_xdp_attach(q[0], PROV, 0) && OK_xdp_attach(q[1], PROV, 0) && OK_xdp_attach(q[2], PROV, 0) && OK_xdp_attach(q[3], PROV, 0) && OK_xdp_attach(q[4], PROV, 0) && OK_xdp_attach(q[5], PROV, 0) && OK_xdp_attach(q[6], PROV, 0) ->
       q[0] = TO_xdp_attach(q[0], 0, 0); q[1] = TO_xdp_attach(q[1], 0, 0); q[2] = TO_xdp_attach(q[2], 0, 0); q[3] = TO_xdp_attach(q[3], 0, 0); q[4] = TO_xdp_attach(q[4], 0, 0); q[5] = TO_xdp_attach(q[5], 0, 0); q[6] = TO_xdp_attach(q[6], 0, 0); }
  :: d_step { OK_lessee_unregistered(q[0], PROV, 0) && OK_lessee_unregistered(q[1], PROV, 0) && OK_lessee_unregistered(q[2], PROV, 0) && OK_lessee_unregistered(q[3], PROV, 0) && OK_lessee_unregistered(q[4], PROV, 0) && OK_lessee_unregistered(q[5], PROV, 0) && OK_lessee_unregistered(q[6], PROV, 0) ->
       q[0] = TO_lessee_unregistered(q[0], 0, 0); q[1] = TO_lessee_unregistered(q[1], 0, 0); q[2] = TO_lessee_unregistered(q[2], 0, 0); q[3] = TO_lessee_unregistered(q[3], 0, 0); q[4] = TO_lessee_unregistered(q[4], 0, 0); q[5] = TO_lessee_unregistered(q[5], 0, 0); q[6] = TO_lessee_unregistered(q[6], 0, 0); }
  :: d_step { OK_lessor_unregistered(q[0], PROV, 0) && OK_lessor_unregistered(q[1], PROV, 0) && OK_lessor_unregistered(q[2], PROV, 0) && OK_lessor_unregistered(q[3], PROV, 0) && OK_lessor_unregistered(q[4], PROV, 0) && OK_lessor_unregistered(q[5], PROV, 0) && OK_lessor_unregistered(q[6], PROV, 0) ->
       q[0] = TO_lessor_unregistered(q[0], 0, 0); q[1] = TO_lessor_unregistered(q[1], 0, 0); q[2] = TO_lessor_unregistered(q[2], 0, 0); q[3] = TO_lessor_unregistered(q[3], 0, 0); q[4] = TO_lessor_unregistered(q[4], 0, 0); q[5] = TO_lessor_unregistered(q[5], 0, 0); q[6] = TO_lessor_unregistered(q[6], 0, 0); c = 0; }
  :: d_step { OK_link_down(q[0], PROV, 0) && OK_link_down(q[1], PROV, 0) && OK_link_down(q[2], PROV, 0) && OK_link_down(q[3], PROV, 0) && OK_link_down(q[4], PROV, 0) && OK_link_down(q[5], PROV, 0) && OK_link_down(q[6], PROV, 0) ->
       q[0] = TO_link_down(q[0], 0, 0); q[1] = TO_link_down(q[1], 0, 0); q[2] = TO_link_down(q[2], 0, 0); q[3] = TO_link_down(q[3], 0, 0); q[4] = TO_link_down(q[4], 0, 0); q[5] = TO_link_down(q[5], 0, 0); q[6] = TO_link_down(q[6], 0, 0); }
  :: d_step { OK_link_up(q[0], PROV, 0) && OK_link_up(q[1], PROV, 0) && OK_link_up(q[2], PROV, 0) && OK_link_up(q[3], PROV, 0) && OK_link_up(q[4], PROV, 0) && OK_link_up(q[5], PROV, 0) && OK_link_up(q[6], PROV, 0) ->
       q[0] = TO_link_up(q[0], 0, 0); q[1] = TO_link_up(q[1], 0, 0); q[2] = TO_link_up(q[2], 0, 0); q[3] = TO_link_up(q[3], 0, 0); q[4] = TO_link_up(q[4], 0, 0); q[5] = TO_link_up(q[5], 0, 0); q[6] = TO_link_up(q[6], 0, 0); }
  :: d_step { OK_netns_move(q[0], PROV, 0) && OK_netns_move(q[1], PROV, 0) && OK_netns_move(q[2], PROV, 0) && OK_netns_move(q[3], PROV, 0) && OK_netns_move(q[4], PROV, 0) && OK_netns_move(q[5], PROV, 0) && OK_netns_move(q[6], PROV, 0) ->
       q[0] = TO_netns_move(q[0], 0, 0); q[1] = TO_netns_move(q[1], 0, 0); q[2] = TO_netns_move(q[2], 0, 0); q[3] = TO_netns_move(q[3], 0, 0); q[4] = TO_netns_move(q[4], 0, 0); q[5] = TO_netns_move(q[5], 0, 0); q[6] = TO_netns_move(q[6], 0, 0); }
  od
}
