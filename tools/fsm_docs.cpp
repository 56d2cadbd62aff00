// Prints or writes the Graphviz diagrams of the RX queue state machines
// (include/netkit/model/queue_fsm.hpp), so docs/fsm/ is generated from the
// tables and never edited by hand.
//
//   fsm_docs physical          the physical queue diagram on stdout
//   fsm_docs virtual           the virtual queue diagram on stdout
//   fsm_docs DIR               writes DIR/physical_queue.dot and DIR/virtual_queue.dot
//   fsm_docs --check DIR       exit 1 if a file in DIR differs from the tables
//
// Exit status: 0 done (or fresh), 1 stale or unwritable, 2 usage.
#include <netkit/model/queue_fsm.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace {

struct diagram {
    const char* file_name;
    std::string text;
};

int usage() {
    std::fputs("usage: fsm_docs physical | virtual | DIR | --check DIR\n", stderr);
    return 2;
}

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    std::ostringstream text;
    text << in.rdbuf();
    out = text.str();
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        return usage();
    }
    const std::string_view first = argv[1];
    if (argc == 2 && first == "physical") {
        std::fputs(netkit::model::physical_queue_dot().c_str(), stdout);
        return 0;
    }
    if (argc == 2 && first == "virtual") {
        std::fputs(netkit::model::virtual_queue_dot().c_str(), stdout);
        return 0;
    }
    const bool check = first == "--check";
    if (check != (argc == 3) || (argc == 2 && !first.empty() && first.front() == '-')) {
        return usage();
    }
    const std::string directory = argv[argc - 1];
    const diagram diagrams[] = {
        {"physical_queue.dot", netkit::model::physical_queue_dot()},
        {"virtual_queue.dot", netkit::model::virtual_queue_dot()},
    };
    int status = 0;
    for (const auto& d : diagrams) {
        const std::string path = directory + "/" + d.file_name;
        if (check) {
            std::string on_disk;
            if (!read_file(path, on_disk) || on_disk != d.text) {
                std::fprintf(stderr, "fsm_docs: %s is stale or missing; regenerate with: fsm_docs %s\n", path.c_str(),
                             directory.c_str());
                status = 1;
            }
            continue;
        }
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << d.text;
        out.close();
        if (!out) {
            std::fprintf(stderr, "fsm_docs: cannot write %s\n", path.c_str());
            status = 1;
        }
    }
    if (check && status == 0) {
        std::printf("fsm_docs: %s is up to date\n", directory.c_str());
    }
    return status;
}
