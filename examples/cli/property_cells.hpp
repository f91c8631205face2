// examples/cli/property_cells.hpp — how CSV cells map to typed properties
// (docs/cli.md "Property columns"), used by import (cell -> JSON) and export
// (JSON -> cell) so that a CSV export re-imports to the same values.
//
// A header name may carry a type: `age:int`, `score:float`, `ok:bool`,
// `label:string`; without one the type is inferred per cell: an empty
// unquoted cell is absent, a quoted cell is a string, `true`/`false` are
// booleans, text in JSON number syntax is a number (an integer when it has
// no fraction or exponent and fits 64 bits), anything else a string.
#pragma once

#include "csv.hpp"
#include "json.hpp"

#include "sqlitegraph/core/error.hpp"

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace sqlitegraph::cli {

enum class cell_type { infer, integer, real, boolean, string };

struct property_column {
    std::string name;
    cell_type type = cell_type::infer;
};

// Parses a header cell "name" or "name:type"; `where` prefixes errors.
inline property_column parse_property_header(std::string_view cell, const std::string& where) {
    property_column col;
    const auto colon = cell.rfind(':');
    std::string_view name = cell, type;
    if (colon != std::string_view::npos) {
        name = cell.substr(0, colon);
        type = cell.substr(colon + 1);
    }
    if (name.empty()) fail(errc::invalid_argument, where + "empty property column name");
    col.name = std::string(name);
    if (colon == std::string_view::npos) return col;
    if (type == "int" || type == "integer") col.type = cell_type::integer;
    else if (type == "float" || type == "double" || type == "number") col.type = cell_type::real;
    else if (type == "bool" || type == "boolean") col.type = cell_type::boolean;
    else if (type == "string") col.type = cell_type::string;
    else
        fail(errc::invalid_argument, where + "unknown type '" + std::string(type) + "' in column '" +
                                         std::string(cell) + "' (int, float, bool or string)");
    return col;
}

// True when text is a number in JSON syntax.
inline bool is_json_number(std::string_view t) {
    std::size_t i = 0;
    if (i < t.size() && t[i] == '-') ++i;
    if (i >= t.size()) return false;
    if (t[i] == '0') {
        ++i;
    } else if (t[i] >= '1' && t[i] <= '9') {
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    } else {
        return false;
    }
    if (i < t.size() && t[i] == '.') {
        ++i;
        const std::size_t start = i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
        if (i == start) return false;
    }
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
        const std::size_t start = i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
        if (i == start) return false;
    }
    return i == t.size();
}

inline bool is_json_integer(std::string_view t) {
    if (!is_json_number(t) || t.find_first_of(".eE") != std::string_view::npos) return false;
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return ec == std::errc() && p == t.data() + t.size();
}

// Appends `"name":value` for a cell to a JSON object under construction
// (`out` holds "{" or "{...,"); returns false (appends nothing) when the
// cell is absent. `where` names FILE:LINE for errors.
inline bool append_property(std::string& out, const property_column& col, const csv_field& cell,
                            const std::string& where) {
    if (cell.text.empty() && !cell.quoted) return false;
    if (out.size() > 1) out.push_back(',');
    json_append_string(out, col.name);
    out.push_back(':');
    const std::string& t = cell.text;
    auto bad = [&](const char* what) {
        fail(errc::invalid_argument, where + "column '" + col.name + "': '" + t + "' is not " + what);
    };
    switch (col.type) {
    case cell_type::infer:
        if (cell.quoted) json_append_string(out, t);
        else if (t == "true" || t == "false" || is_json_number(t)) out += t;
        else json_append_string(out, t);
        break;
    case cell_type::integer:
        if (!is_json_integer(t)) bad("a 64-bit integer");
        out += t;
        break;
    case cell_type::real:
        if (!is_json_number(t)) bad("a number");
        out += t;
        if (t.find_first_of(".eE") == std::string::npos) out += ".0";
        break;
    case cell_type::boolean:
        if (t != "true" && t != "false") bad("true or false");
        out += t;
        break;
    case cell_type::string:
        json_append_string(out, t);
        break;
    }
    return true;
}

// Appends the CSV cell for one property value given as raw JSON (from the
// store): numbers and booleans unquoted, strings always quoted so that they
// read back as strings. Null, arrays and objects have no CSV form.
inline void append_cell(std::string& line, std::string_view raw_json, const std::string& what) {
    if (raw_json.empty()) return;
    if (raw_json.front() == '"') {
        csv_append(line, json_object_splitter::unescape(raw_json, what), true);
    } else if (raw_json == "true" || raw_json == "false" || is_json_number(raw_json)) {
        line += raw_json;
    } else {
        fail(errc::unsupported, what + "holds " + std::string(raw_json.substr(0, 40)) +
                                    ", which has no CSV form (only numbers, booleans and strings do); "
                                    "export it as jsonl instead");
    }
}

} // namespace sqlitegraph::cli
