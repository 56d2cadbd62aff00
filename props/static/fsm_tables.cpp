// Compile-only checks of the fsm engine (suite `static`): verification of the
// shared test tables and stepping in constant expressions. A failure here is a
// compile error.
#include "../core/fsm_tables.hpp"

#include <netkit/core/fsm.hpp>

namespace netkit::test {

static_assert(core::fsm::verified<toy_queue>);
static_assert(core::fsm::verified<dense>);
static_assert(toy_queue::row_count == 32);
static_assert(toy_queue::has_guards);
static_assert(!dense::has_guards);

// A refusal keeps the state; a transition moves it.
static_assert(toy_queue::step(toy_state::provider, toy_event::lease).to == toy_state::provider);
static_assert(toy_queue::step(toy_state::provider, toy_event::lease).error == core::errno_code::busy);
static_assert(toy_queue::step(toy_state::free, toy_event::lease).to == toy_state::leased);

// The guarded row wins only when its guard holds.
static_assert(toy_queue::step(toy_state::leased_provider, toy_event::unlease, [](toy_guard g) {
                  return g == toy_guard::has_key;
              }).to == toy_state::leased_provider);
static_assert(toy_queue::step(toy_state::leased_provider, toy_event::unlease).to == toy_state::free);

// The dispatch array is dense: one slot per (state, event).
static_assert(sizeof(dense::compiled.fallback) / sizeof(dense::compiled.fallback[0]) == 2500);

}  // namespace netkit::test
