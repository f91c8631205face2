// A tour of the storage engine as it stands: a database file with a
// write-ahead log, transactions, a snapshot reader that keeps its view while
// a writer commits, a reopen that recovers from the log, and check().
#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/pager/pager.hpp"

#include <cstdio>
#include <filesystem>
#include <string>

using namespace sqlitegraph;
using db_type = pager<store_policies<>>; // 4 KiB pages, S3-FIFO cache, CRC-32C, real files

namespace {
void put(db_type::write_txn& tx, page_id id, std::uint64_t value) {
    store_le<std::uint64_t>(tx.write(id).data() + page_header_size, value);
}
std::uint64_t get(db_type::read_txn& r, page_id id) {
    return load_le<std::uint64_t>(r.read(id).data() + page_header_size);
}
} // namespace

int main() {
    const auto dir = std::filesystem::temp_directory_path() / "sqlitegraph-storage-tour";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto path = (dir / "tour.db").string();

    page_id account;
    {
        db_type db(path);
        auto tx = db.begin_write();
        account = tx.allocate(page_type::meta).id();
        put(tx, account, 100);
        tx.set_root("account", account);
        tx.commit();
        std::printf("created %s, page %u holds 100\n", path.c_str(), account);

        auto reader = db.begin_read(); // snapshot: sees 100 for its whole life
        for (std::uint64_t balance = 110; balance <= 150; balance += 10) {
            auto w = db.begin_write();
            put(w, account, balance);
            w.commit();
        }
        {
            auto w = db.begin_write();
            put(w, account, 999);
        } // not committed: rolled back by its destructor
        auto now = db.begin_read();
        std::printf("snapshot taken before five commits still reads %llu; a new one reads %llu\n",
                    static_cast<unsigned long long>(get(reader, account)),
                    static_cast<unsigned long long>(get(now, account)));
        const auto stats = db.stats();
        std::printf("log holds %u frames; %llu commits so far\n", stats.log_frames,
                    static_cast<unsigned long long>(stats.commits));
    } // close: checkpoint into the main file, log truncated

    db_type db(path);
    auto r = db.begin_read();
    const auto id = static_cast<page_id>(r.root("account"));
    std::printf("reopened: root 'account' -> page %u holding %llu\n", id, static_cast<unsigned long long>(get(r, id)));
    r.end();
    const page_id used[] = {id};
    const auto report = db.check(used, true);
    std::printf("check: %s (%u pages, %u free)\n", report.ok() ? "clean" : "PROBLEMS", report.page_count,
                report.free_pages);
    db.close();
    std::filesystem::remove_all(dir);
    return report.ok() ? 0 : 1;
}
