// Prints how the kernel profiles differ (spec README §4), row by row, as a
// user choosing `--profile` for a model run would want to see it.
//
//   ./kernel_profiles                 # every profile
//   ./kernel_profiles linux-7.1.0     # one profile against newest
#include <netkit/core/kernel_profile.hpp>

#include <cstdio>
#include <string>

namespace {

using namespace netkit::core;

void show(const profile_traits& t) {
    std::printf("%-13s leasing=%-3s mode>1=%-13s single=%-14s unlease-cleanup=%s\n", std::string(t.name).c_str(),
                t.leasing ? "yes" : "no", std::string(enum_name(t.mode_check)).c_str(),
                std::string(enum_name(t.single)).c_str(), std::string(enum_name(t.unlease_cleanup)).c_str());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1) {
        const auto id = profile_from_name(argv[1]);
        if (!id) {
            std::fprintf(stderr, "unknown profile '%s'; known:", argv[1]);
            for (const auto& t : all_profiles) {
                std::fprintf(stderr, " %s", std::string(t.name).c_str());
            }
            std::fputc('\n', stderr);
            return 2;
        }
        show(traits_of(*id));
        show(profiles::newest::traits);
        return 0;
    }
    for (const auto& t : all_profiles) {
        show(t);
    }
    return 0;
}
