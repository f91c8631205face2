// Built twice by scripts/test: against the installed CMake package, and with
// nothing but `-I include` (the copy-the-headers path). It uses the umbrella
// header, so every public header must be usable without the build system.
#include <cstdio>
#include <string_view>

#include "sqlitegraph/sqlitegraph.hpp"

int main() {
    const std::string_view text = "123456789";
    const auto crc = sqlitegraph::crc32c::compute({reinterpret_cast<const std::byte*>(text.data()), text.size()});
    static_assert(sqlitegraph::graph_store::page_bytes == 4096);
    if (crc != 0xE3069283u) {
        std::fprintf(stderr, "consumer: wrong crc32c %llx\n", static_cast<unsigned long long>(crc));
        return 1;
    }
    std::printf("consumer: sqlitegraph %s links and runs\n", sqlitegraph::version_string);
    return 0;
}
