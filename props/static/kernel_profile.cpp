// Compile-only checks of the kernel profiles (suite `static`): profiles are
// usable as policy types and their traits are constant expressions.
#include <netkit/core/kernel_profile.hpp>

namespace netkit::core {

static_assert(kernel_profile<profiles::newest>);
static_assert(kernel_profile<profiles::linux_7_1_0>);
static_assert(kernel_profile<profiles::v7_jan2026>);
static_assert(kernel_profile<profiles::orig_2023>);
static_assert(kernel_profile<profiles::intermediate>);
static_assert(!kernel_profile<int>);

static_assert(all_profiles.size() == enum_count<profile_id>);
static_assert(traits_of(profile_id::newest).name == "newest");
static_assert(profile_from_name("linux-7.1.0") == profile_id::linux_7_1_0);

// Each profile's position in all_profiles equals its id, which traits_of relies on.
static_assert([] {
    for (std::size_t i = 0; i < all_profiles.size(); ++i) {
        if (enum_index(all_profiles[i].id) != i) {
            return false;
        }
    }
    return true;
}());

}  // namespace netkit::core
