// examples/cli/options.hpp — argument parsing for the sqlitegraph commands.
//
// Every command describes itself with a command_spec (usage line, summary,
// options) and parses its arguments with parse_args: `--name value`,
// `--name=value`, flags, positional words, and `--help`. run_command wraps a
// command body with the exit-status convention shared by all commands:
// 0 ok, 1 error (the message names the file, line, key or id), 2 usage.
#pragma once

#include "sqlitegraph/core/error.hpp"

#include <charconv>
#include <cstdint>
#include <exception>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sqlitegraph::cli {

// A bad command line: reported with the usage text, exit status 2.
class usage_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct option_def {
    std::string name;          // without the leading "--"
    std::string value_name;    // empty: a flag that takes no value
    std::string help;
    std::string default_value; // shown in --help and returned by get() when absent
};

struct command_spec {
    std::string name;    // e.g. "import" or "generate rmat"
    std::string usage;   // the part after "sqlitegraph NAME "
    std::string summary; // one or two sentences
    std::vector<option_def> options;
    std::size_t max_positional = 0;
};

inline option_def db_option() { return {"db", "PATH", "the database file", ""}; }
inline option_def backend_option() {
    return {"backend", "native|sqlite", "backend of a new database (an existing one's is detected)", "native"};
}

class parsed_args {
  public:
    bool help = false;
    std::map<std::string, std::string, std::less<>> values;
    std::set<std::string, std::less<>> flags;
    std::vector<std::string> positional;
    const command_spec* spec = nullptr;

    [[nodiscard]] bool has(std::string_view name) const { return values.count(name) != 0 || flags.count(name) != 0; }
    [[nodiscard]] bool flag(std::string_view name) const { return flags.count(name) != 0; }

    // The option's value, its default, or a usage error naming it.
    [[nodiscard]] std::string get(std::string_view name) const {
        if (auto it = values.find(name); it != values.end()) return it->second;
        if (spec) {
            for (const auto& o : spec->options) {
                if (o.name == name && !o.default_value.empty()) return o.default_value;
            }
        }
        throw usage_error("missing --" + std::string(name));
    }
    [[nodiscard]] std::string get_or(std::string_view name, std::string fallback) const {
        if (auto it = values.find(name); it != values.end()) return it->second;
        return fallback;
    }

    [[nodiscard]] std::int64_t get_int(std::string_view name) const { return to_int(name, get(name)); }
    [[nodiscard]] std::uint64_t get_uint(std::string_view name) const {
        const auto v = get_int(name);
        if (v < 0) throw usage_error("--" + std::string(name) + " must not be negative, got " + std::to_string(v));
        return static_cast<std::uint64_t>(v);
    }
    [[nodiscard]] double get_double(std::string_view name) const {
        const std::string text = get(name);
        try {
            std::size_t used = 0;
            const double v = std::stod(text, &used);
            if (used == text.size()) return v;
        } catch (const std::exception&) {
        }
        throw usage_error("--" + std::string(name) + " expects a number, got '" + text + "'");
    }

  private:
    static std::int64_t to_int(std::string_view name, const std::string& text) {
        std::int64_t v = 0;
        const auto* end = text.data() + text.size();
        const auto [p, ec] = std::from_chars(text.data(), end, v);
        if (ec != std::errc() || p != end || text.empty())
            throw usage_error("--" + std::string(name) + " expects an integer, got '" + text + "'");
        return v;
    }
};

inline parsed_args parse_args(const command_spec& spec, const std::vector<std::string>& args) {
    parsed_args out;
    out.spec = &spec;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            out.help = true;
            continue;
        }
        if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
            std::string name = a.substr(2);
            std::optional<std::string> inline_value;
            if (auto eq = name.find('='); eq != std::string::npos) {
                inline_value = name.substr(eq + 1);
                name.resize(eq);
            }
            const option_def* def = nullptr;
            for (const auto& o : spec.options) {
                if (o.name == name) def = &o;
            }
            if (!def) throw usage_error("unknown option --" + name);
            if (def->value_name.empty()) {
                if (inline_value) throw usage_error("--" + name + " takes no value");
                out.flags.insert(name);
                continue;
            }
            if (!inline_value) {
                if (i + 1 >= args.size()) throw usage_error("--" + name + " needs a value (" + def->value_name + ")");
                inline_value = args[++i];
            }
            if (out.values.count(name)) throw usage_error("--" + name + " given twice");
            out.values.emplace(name, std::move(*inline_value));
            continue;
        }
        out.positional.push_back(a);
    }
    if (!out.help && out.positional.size() > spec.max_positional)
        throw usage_error("unexpected argument '" + out.positional[spec.max_positional] + "'");
    return out;
}

inline void print_help(std::ostream& os, const command_spec& spec) {
    os << "usage: sqlitegraph " << spec.name << (spec.usage.empty() ? "" : " ") << spec.usage << "\n\n"
       << spec.summary << "\n";
    if (!spec.options.empty()) os << "\noptions:\n";
    for (const auto& o : spec.options) {
        std::string left = "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
        if (left.size() < 30) left.resize(30, ' ');
        else left += "  ";
        os << left << o.help;
        if (!o.default_value.empty()) os << " (default " << o.default_value << ")";
        os << "\n";
    }
    os << "  --help                      this text\n";
}

// Parses args and runs body(parsed_args&) -> int, turning usage errors into
// status 2 and library or I/O errors into status 1, each with a message on
// stderr that starts with "sqlitegraph NAME: ".
template <class Body> int run_command(const command_spec& spec, const std::vector<std::string>& args, Body&& body) {
    try {
        parsed_args parsed = parse_args(spec, args);
        if (parsed.help) {
            print_help(std::cout, spec);
            return 0;
        }
        return body(parsed);
    } catch (const usage_error& e) {
        std::cerr << "sqlitegraph " << spec.name << ": " << e.what() << "\n"
                  << "usage: sqlitegraph " << spec.name << " " << spec.usage << "\n"
                  << "(sqlitegraph " << spec.name << " --help for details)\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "sqlitegraph " << spec.name << ": " << e.what() << "\n";
        return 1;
    }
}

} // namespace sqlitegraph::cli
