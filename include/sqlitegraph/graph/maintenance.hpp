// sqlitegraph/graph/maintenance.hpp — backup and snapshot export/import of a
// graph store (docs/backup.md).
//
//  - backup(store, path): a consistent copy of the store as of one read
//    snapshot, written while writers go on (pager/backup.hpp); the copy is a
//    database of the same policies.
//  - export_snapshot(store, path): the same snapshot as one self-describing
//    file: a 4 KiB header with a JSON manifest (format, page size, checksum,
//    codecs, page/node/edge counts, a checksum of the content), then the
//    pages.
//  - import_snapshot<Store>(snapshot, target, mode): verifies the header,
//    the manifest, that the format matches Store, the content checksum, every
//    page, and the integrity check of the restored graph — all on a
//    temporary file — and only then puts it in place of `target`. Any failure
//    leaves `target` as it was and says what was wrong.
#pragma once

#include "sqlitegraph/codec/properties.hpp"
#include "sqlitegraph/core/checksum.hpp"
#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/io/posix_file.hpp"
#include "sqlitegraph/pager/backup.hpp"
#include "sqlitegraph/pager/page_image.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "sqlitegraph/pager/superblock.hpp"

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sqlitegraph {

// ---- the snapshot file (docs/backup.md, "Snapshot file") --------------------------

inline constexpr char snapshot_magic[8] = {'S', 'Q', 'L', 'G', 'S', 'N', 'A', 'P'};
inline constexpr std::uint32_t snapshot_format_version = 1;
inline constexpr std::size_t snapshot_header_size = 4096; // pages start here
inline constexpr std::size_t snapshot_manifest_offset = 32;
inline constexpr std::size_t snapshot_max_manifest = snapshot_header_size - snapshot_manifest_offset;

// What a snapshot says about itself. Every field is in the JSON manifest.
struct snapshot_manifest {
    std::uint32_t version = snapshot_format_version;
    std::uint32_t page_size = 0;
    std::uint8_t checksum_id = 0;
    std::uint8_t codec_id = 0;
    std::uint8_t record_codec_id = 0;
    std::uint64_t graph_format = 0;
    std::uint32_t page_count = 0;
    std::uint64_t nodes = 0;
    std::uint64_t edges = 0;
    std::uint64_t change_counter = 0;
    std::uint64_t content_bytes = 0; // page_count x page_size
    std::uint64_t content_xxh3 = 0;  // XXH3-64 chained over the pages (snapshot_content_hash)

    bool operator==(const snapshot_manifest&) const = default;

    [[nodiscard]] std::string json() const;
    static snapshot_manifest parse(std::string_view json, const std::string& path);
};

namespace snapshot_detail {

inline std::string hex64(std::uint64_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, v >>= 4)
        out[static_cast<std::size_t>(i)] = digits[v & 0xF];
    return out;
}

inline std::optional<std::uint64_t> parse_hex64(std::string_view text) {
    if (text.size() != 16) return std::nullopt;
    std::uint64_t v = 0;
    for (const char c : text) {
        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= static_cast<std::uint64_t>(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            v |= static_cast<std::uint64_t>(c - 'a' + 10);
        } else {
            return std::nullopt;
        }
    }
    return v;
}

// The content checksum: XXH3-64 of each page seeded with the value so far
// (0 before the first page), the way the checksum policies chain.
inline std::uint64_t hash_page(std::uint64_t running, std::span<const std::byte> page) {
    return xxh3_64::compute(page, running);
}

} // namespace snapshot_detail

inline std::string snapshot_manifest::json() const {
    std::string out = "{\"format\":\"sqlitegraph-snapshot\",\"version\":" + std::to_string(version);
    auto field = [&](const char* name, std::uint64_t value) {
        out += ",\"";
        out += name;
        out += "\":" + std::to_string(value);
    };
    auto text = [&](const char* name, std::string_view value) {
        out += ",\"";
        out += name;
        out += "\":\"";
        out += value;
        out += '"';
    };
    text("backend", "native");
    field("page_size", page_size);
    text("checksum", checksum_name(checksum_id));
    field("checksum_id", checksum_id);
    text("codec", codec_name(codec_id));
    field("codec_id", codec_id);
    field("record_codec_id", record_codec_id);
    field("graph_format", graph_format);
    field("page_count", page_count);
    field("nodes", nodes);
    field("edges", edges);
    field("change_counter", change_counter);
    field("content_bytes", content_bytes);
    text("content_xxh3", snapshot_detail::hex64(content_xxh3));
    out += '}';
    return out;
}

inline snapshot_manifest snapshot_manifest::parse(std::string_view json, const std::string& path) {
    property_map map;
    try {
        map = property_map::from_json(json);
    } catch (const error& e) {
        fail(errc::corruption, "snapshot '" + path + "': the manifest is not valid JSON (" + e.what() + ")");
    }
    auto number = [&](const char* name, std::uint64_t limit) -> std::uint64_t {
        std::optional<std::int64_t> v;
        try {
            v = map.get<std::int64_t>(name);
        } catch (const error&) {
        }
        if (!v || *v < 0 || static_cast<std::uint64_t>(*v) > limit) {
            fail(errc::corruption, "snapshot '" + path + "': the manifest lacks a valid \"" + name + "\"");
        }
        return static_cast<std::uint64_t>(*v);
    };
    std::optional<std::string> format;
    std::optional<std::string> hash;
    try {
        format = map.get<std::string>("format");
        hash = map.get<std::string>("content_xxh3");
    } catch (const error&) {
    }
    if (format != "sqlitegraph-snapshot") {
        fail(errc::corruption, "snapshot '" + path + "': the manifest does not name the sqlitegraph-snapshot format");
    }
    snapshot_manifest m;
    m.version = static_cast<std::uint32_t>(number("version", UINT32_MAX));
    if (m.version != snapshot_format_version) {
        fail(errc::format_mismatch, "snapshot '" + path + "' has snapshot format version " + std::to_string(m.version) +
                                        ", this build reads version " + std::to_string(snapshot_format_version));
    }
    m.page_size = static_cast<std::uint32_t>(number("page_size", 65536));
    m.checksum_id = static_cast<std::uint8_t>(number("checksum_id", 255));
    m.codec_id = static_cast<std::uint8_t>(number("codec_id", 255));
    m.record_codec_id = static_cast<std::uint8_t>(number("record_codec_id", 255));
    m.graph_format = number("graph_format", UINT32_MAX);
    m.page_count = static_cast<std::uint32_t>(number("page_count", UINT32_MAX));
    m.nodes = number("nodes", INT64_MAX);
    m.edges = number("edges", INT64_MAX);
    m.change_counter = number("change_counter", INT64_MAX);
    m.content_bytes = number("content_bytes", INT64_MAX);
    const auto parsed_hash = hash ? snapshot_detail::parse_hex64(*hash) : std::nullopt;
    if (!parsed_hash) fail(errc::corruption, "snapshot '" + path + "': the manifest lacks a valid \"content_xxh3\"");
    m.content_xxh3 = *parsed_hash;
    if (m.page_count == 0 || m.content_bytes != static_cast<std::uint64_t>(m.page_count) * m.page_size) {
        fail(errc::corruption, "snapshot '" + path + "': the manifest's page count " + std::to_string(m.page_count) +
                                   " and content bytes " + std::to_string(m.content_bytes) + " disagree");
    }
    return m;
}

// The manifest a store of these policies writes (format fields only).
template <class Store> snapshot_manifest expected_snapshot_format() {
    snapshot_manifest m;
    m.page_size = static_cast<std::uint32_t>(Store::page_bytes);
    m.checksum_id = Store::checksum::id;
    m.codec_id = Store::codec::id;
    m.record_codec_id = Store::record_codec::id;
    m.graph_format = graph_detail::format_version;
    return m;
}

// ---- backup ---------------------------------------------------------------------

struct graph_backup_result {
    backup_result pages;
    std::uint64_t nodes = 0;
    std::uint64_t edges = 0;
};

// A consistent copy of the store, as of the moment of the call, in the new
// file `target` (which, and whose `-wal`, must not exist). Writers continue
// meanwhile; the copy holds exactly the snapshot's graph.
template <class... Policies>
graph_backup_result backup(basic_graph_store<Policies...>& store, const std::string& target) {
    using store_type = basic_graph_store<Policies...>;
    auto snapshot = store.pager_handle().begin_read();
    graph_backup_result result;
    result.nodes = snapshot.root(graph_detail::root_node_count);
    result.edges = snapshot.root(graph_detail::root_edge_count);
    result.pages = backup_snapshot<typename store_type::policies>(snapshot, target);
    return result;
}

// ---- snapshot export ---------------------------------------------------------------

// Writes the store as of now to the new file `path` (header, manifest,
// pages), durably (fsync, rename, fsync of the directory). Returns the
// manifest written.
template <class... Policies>
snapshot_manifest export_snapshot(basic_graph_store<Policies...>& store, const std::string& path) {
    using store_type = basic_graph_store<Policies...>;
    using policies = typename store_type::policies;
    posix_fs fs;
    if (path.empty()) fail(errc::invalid_argument, "snapshot path is empty");
    if (fs.exists(path)) fail(errc::invalid_argument, "snapshot file '" + path + "' already exists");

    auto snapshot = store.pager_handle().begin_read();
    auto manifest = expected_snapshot_format<store_type>();
    manifest.page_count = snapshot.page_count();
    manifest.nodes = snapshot.root(graph_detail::root_node_count);
    manifest.edges = snapshot.root(graph_detail::root_edge_count);
    manifest.change_counter = snapshot.meta().change_counter;
    manifest.content_bytes = static_cast<std::uint64_t>(manifest.page_count) * manifest.page_size;

    const auto temporary = path + ".export-tmp";
    fs.remove(temporary);
    posix_file file(temporary, open_mode::read_write_create);
    try {
        file.truncate(0);
        std::uint64_t hash = 0;
        std::uint64_t at = snapshot_header_size;
        std::vector<std::byte> buffer;
        constexpr std::size_t batch = 1u << 20;
        buffer.reserve(batch);
        for_each_snapshot_page<policies>(snapshot, [&](page_id, std::span<const std::byte> page) {
            hash = snapshot_detail::hash_page(hash, page);
            buffer.insert(buffer.end(), page.begin(), page.end());
            if (buffer.size() >= batch) {
                file.write_at(at, buffer);
                at += buffer.size();
                buffer.clear();
            }
        });
        file.write_at(at, buffer);
        snapshot.end();
        manifest.content_xxh3 = hash;

        const auto text = manifest.json();
        if (text.size() > snapshot_max_manifest) fail(errc::too_large, "snapshot manifest exceeds its header area");
        std::vector<std::byte> header(snapshot_header_size, std::byte{0});
        std::memcpy(header.data(), snapshot_magic, sizeof snapshot_magic);
        store_le<std::uint32_t>(header.data() + 8, snapshot_format_version);
        store_le<std::uint32_t>(header.data() + 12, static_cast<std::uint32_t>(text.size()));
        const std::span<const std::byte> text_bytes(reinterpret_cast<const std::byte*>(text.data()), text.size());
        store_le<std::uint64_t>(header.data() + 16, xxh3_64::compute(text_bytes));
        std::memcpy(header.data() + snapshot_manifest_offset, text.data(), text.size());
        file.write_at(0, header);
        backup_detail::publish(file, temporary, path);
    } catch (...) {
        file = posix_file();
        fs.remove(temporary);
        throw;
    }
    return manifest;
}

// ---- reading and verifying a snapshot ------------------------------------------------

// Reads and checks a snapshot's header and manifest (not the content):
// errc::not_found for a missing file, errc::corruption for a damaged header
// or manifest or a file of the wrong length.
inline snapshot_manifest read_snapshot_manifest(const std::string& path) {
    posix_file file(path, open_mode::read_only);
    std::vector<std::byte> header(snapshot_header_size);
    const auto got = file.read_at(0, header);
    if (got < snapshot_manifest_offset || std::memcmp(header.data(), snapshot_magic, sizeof snapshot_magic) != 0) {
        fail(errc::corruption, "'" + path + "' is not a sqlitegraph snapshot (no snapshot magic)");
    }
    const auto version = load_le<std::uint32_t>(header.data() + 8);
    if (version != snapshot_format_version) {
        fail(errc::format_mismatch, "snapshot '" + path + "' has snapshot format version " + std::to_string(version) +
                                        ", this build reads version " + std::to_string(snapshot_format_version));
    }
    if (got != snapshot_header_size) fail(errc::corruption, "snapshot '" + path + "': the header is truncated");
    const auto length = load_le<std::uint32_t>(header.data() + 12);
    if (length == 0 || length > snapshot_max_manifest) {
        fail(errc::corruption, "snapshot '" + path + "': manifest length " + std::to_string(length) + " is invalid");
    }
    const std::span<const std::byte> text(header.data() + snapshot_manifest_offset, length);
    const auto stored = load_le<std::uint64_t>(header.data() + 16);
    const auto actual = xxh3_64::compute(text);
    if (stored != actual) {
        fail(errc::corruption, "snapshot '" + path + "': manifest checksum mismatch (header says " +
                                   snapshot_detail::hex64(stored) + ", manifest hashes to " +
                                   snapshot_detail::hex64(actual) + ")");
    }
    auto manifest =
        snapshot_manifest::parse(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()), path);
    const auto expected_size = snapshot_header_size + manifest.content_bytes;
    if (file.size() != expected_size) {
        fail(errc::corruption, "snapshot '" + path + "' is " + std::to_string(file.size()) +
                                   " bytes, its manifest promises " + std::to_string(expected_size) +
                                   " (truncated or extended)");
    }
    return manifest;
}

namespace snapshot_detail {

// Refuses a snapshot that another instantiation wrote, naming both values.
// With upgrading, graph format 2 (before the weight column) is accepted: the
// import converts it as store_options::upgrade_format converts a database.
template <class Store>
void require_matching_format(const snapshot_manifest& m, const std::string& path, bool upgrading = false) {
    const auto want = expected_snapshot_format<Store>();
    auto mismatch = [&](const char* what, const std::string& got, const std::string& expected) {
        fail(errc::format_mismatch,
             "snapshot '" + path + "' has " + what + " " + got + ", the target database uses " + expected);
    };
    if (m.page_size != want.page_size)
        mismatch("page size", std::to_string(m.page_size), std::to_string(want.page_size));
    if (m.checksum_id != want.checksum_id)
        mismatch("checksum", std::string(checksum_name(m.checksum_id)), std::string(checksum_name(want.checksum_id)));
    if (m.codec_id != want.codec_id)
        mismatch("codec", std::string(codec_name(m.codec_id)), std::string(codec_name(want.codec_id)));
    if (m.record_codec_id != want.record_codec_id)
        mismatch("record codec id", std::to_string(m.record_codec_id), std::to_string(want.record_codec_id));
    if (m.graph_format != want.graph_format) {
        const bool convertible = m.graph_format == graph_detail::format_without_weight_column;
        if (convertible && upgrading) return;
        mismatch("graph format", std::to_string(m.graph_format),
                 std::to_string(want.graph_format) +
                     (convertible ? "; import it with snapshot_upgrade::graph_format (CLI: sqlitegraph snapshot import "
                                    "--upgrade) to convert it"
                                  : ""));
    }
}

// Copies and verifies the content of a snapshot into `out` (when given):
// every page's header and checksum, the superblock against the manifest,
// and the content checksum.
template <class Store>
void copy_verified_content(const std::string& path, const snapshot_manifest& m, posix_file* out) {
    using checksum = typename Store::checksum;
    const std::size_t page_size = m.page_size;
    posix_file in(path, open_mode::read_only);
    std::vector<std::byte> buffer;
    constexpr std::size_t batch_pages = 256;
    std::uint64_t hash = 0;
    for (std::uint32_t first = 0; first < m.page_count; first += batch_pages) {
        const auto count = std::min<std::uint32_t>(batch_pages, m.page_count - first);
        buffer.resize(static_cast<std::size_t>(count) * page_size);
        const auto offset = snapshot_header_size + static_cast<std::uint64_t>(first) * page_size;
        if (in.read_at(offset, buffer) != buffer.size()) {
            fail(errc::corruption, "snapshot '" + path + "' is truncated at page " + std::to_string(first));
        }
        for (std::uint32_t i = 0; i < count; ++i) {
            const std::span<const std::byte> page(buffer.data() + static_cast<std::size_t>(i) * page_size, page_size);
            hash = hash_page(hash, page);
            const page_id id = first + i;
            verify_page<checksum>(page.data(), page_size, id, "snapshot '" + path + "'");
            if (id == 0) {
                if (page[page_type_offset] != static_cast<std::byte>(page_type::superblock)) {
                    fail(errc::corruption, "snapshot '" + path + "': page 0 is not a superblock");
                }
                check_file_identity(page.data(), page_size, {m.page_size, m.checksum_id, m.codec_id}, path);
                const auto sb = decode_superblock(page.data(), page_size, path);
                auto root = [&](const char* name) {
                    auto it = sb.roots.find(name);
                    return it == sb.roots.end() ? std::uint64_t{0} : it->second;
                };
                if (sb.page_count != m.page_count || sb.change_counter != m.change_counter ||
                    root(graph_detail::root_node_count) != m.nodes || root(graph_detail::root_edge_count) != m.edges ||
                    root(graph_detail::root_format) != m.graph_format ||
                    root(graph_detail::root_codec) != m.record_codec_id) {
                    fail(errc::corruption, "snapshot '" + path + "': the superblock disagrees with the manifest");
                }
            }
        }
        if (out) out->write_at(static_cast<std::uint64_t>(first) * page_size, buffer);
    }
    if (hash != m.content_xxh3) {
        fail(errc::corruption, "snapshot '" + path + "': content checksum mismatch (manifest says " +
                                   hex64(m.content_xxh3) + ", the pages hash to " + hex64(hash) + ")");
    }
}

} // namespace snapshot_detail

// Verifies a whole snapshot for Store without writing anything: header,
// manifest, format, every page, the content checksum. Returns the manifest.
template <class Store> snapshot_manifest verify_snapshot(const std::string& path) {
    auto manifest = read_snapshot_manifest(path);
    snapshot_detail::require_matching_format<Store>(manifest, path);
    snapshot_detail::copy_verified_content<Store>(path, manifest, nullptr);
    return manifest;
}

// ---- snapshot import -----------------------------------------------------------------

enum class import_mode {
    create,  // the target must not exist
    replace, // the target may exist and is replaced (it must not be open)
};

// What import does with a snapshot of an older graph format.
enum class snapshot_upgrade {
    refuse,       // errc::format_mismatch, naming the option (the default)
    graph_format, // graph format 2: converted on the temporary file, before the integrity check
};

// The default integrity check of a restored file: the store's own check().
// A program that keeps pages of its own in the same file (the CLI's key
// trees, vector indexes) passes a check that accounts for them.
template <class Store> struct store_integrity_check {
    graph_check_report operator()(const std::string& path) const {
        Store restored(path, store_options{.pager = {.create_if_missing = false}});
        auto report = restored.check();
        restored.close();
        return report;
    }
};

// Restores a snapshot into `target`. Everything is verified on a temporary
// file beside the target first (see the header comment); only a snapshot that
// passes is put in place. With import_mode::replace an existing target is
// first opened (which fails with errc::busy if another handle has it open)
// and checkpointed, so that its log holds nothing, then swapped by a rename.
// `check(path)` runs the integrity check of the restored file (it must close
// the file before it returns). Returns the snapshot's manifest as written
// (its graph_format is the older one when the import converted it).
template <class Store, class Check = store_integrity_check<Store>>
snapshot_manifest import_snapshot(const std::string& snapshot_path, const std::string& target,
                                  import_mode mode = import_mode::create, Check check = {},
                                  snapshot_upgrade upgrade = snapshot_upgrade::refuse) {
    static_assert(std::is_same_v<typename Store::file_system, posix_fs>,
                  "sqlitegraph: import_snapshot writes real files; use a store with the posix_fs file policy");
    posix_fs fs;
    if (target.empty()) fail(errc::invalid_argument, "import target path is empty");
    const bool target_exists = fs.exists(target);
    if (target_exists && mode == import_mode::create) {
        fail(errc::invalid_argument, "import target '" + target + "' already exists (replace it explicitly)");
    }
    if (!target_exists && fs.exists(target + "-wal")) {
        fail(errc::invalid_argument, "a log '" + target + "-wal' exists without its database; remove it first");
    }

    auto manifest = read_snapshot_manifest(snapshot_path);
    snapshot_detail::require_matching_format<Store>(manifest, snapshot_path, upgrade == snapshot_upgrade::graph_format);

    const auto temporary = target + ".import-tmp";
    auto discard = [&] {
        fs.remove(temporary);
        fs.remove(temporary + "-wal");
    };
    discard();
    try {
        {
            posix_file file(temporary, open_mode::read_write_create);
            snapshot_detail::copy_verified_content<Store>(snapshot_path, manifest, &file);
            file.sync();
        }
        if (manifest.graph_format != graph_detail::format_version) {
            // Only format 2 gets here (require_matching_format): the open
            // converts it in one transaction, and close checkpoints it.
            Store converted(temporary, store_options{.pager = {.create_if_missing = false}, .upgrade_format = true});
            converted.close();
        }
        // The restored graph must pass the full integrity check and hold
        // the counts the manifest promises.
        const graph_check_report report = check(temporary);
        if (!report.ok()) {
            fail(errc::corruption, "snapshot '" + snapshot_path +
                                       "' fails the integrity check: " + report.problems.front() + " (" +
                                       std::to_string(report.problems.size()) + " problems)");
        }
        if (report.nodes != manifest.nodes || report.edges != manifest.edges) {
            fail(errc::corruption, "snapshot '" + snapshot_path + "' holds " + std::to_string(report.nodes) +
                                       " nodes and " + std::to_string(report.edges) + " edges, its manifest says " +
                                       std::to_string(manifest.nodes) + " and " + std::to_string(manifest.edges));
        }
        fs.remove(temporary + "-wal");
        if (target_exists) {
            // Opening takes the database's lock (errc::busy when someone has
            // it open); closing checkpoints, so the old log holds nothing
            // that could be replayed over the new file.
            using pager_type = typename Store::pager_type;
            pager_type old(target, pager_options{.create_if_missing = false});
            old.close();
        }
        fs.remove(target + "-wal");
        if (std::rename(temporary.c_str(), target.c_str()) != 0) {
            fail(errc::io, "cannot rename '" + temporary + "' to '" + target + "': " + std::strerror(errno));
        }
        fs.sync_directory(target);
    } catch (...) {
        discard();
        throw;
    }
    return manifest;
}

} // namespace sqlitegraph
