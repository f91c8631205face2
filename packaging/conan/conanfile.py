# Conan 2 recipe for sqlitegraph, a header-only library.
# Conan is not installable on the project's development machines; this recipe
# follows the conventions of conan-center header-only recipes and is not
# exercised by CI.
import os

from conan import ConanFile
from conan.tools.cmake import CMake, CMakeToolchain, cmake_layout
from conan.tools.files import copy


class SqlitegraphConan(ConanFile):
    name = "sqlitegraph"
    version = "0.1.0"
    license = "MIT"
    description = "Header-only C++20 embedded graph database"
    topics = ("graph", "database", "embedded", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    exports_sources = "include/*", "CMakeLists.txt", "cmake/*", "LICENSE"
    no_copy_source = True
    options = {
        "with_simdjson": [True, False],
        "with_sqlite3": [True, False],
        "with_lz4": [True, False],
        "with_zstd": [True, False],
        "with_xxhash": [True, False],
    }
    default_options = {
        "with_simdjson": True,
        "with_sqlite3": True,
        "with_lz4": True,
        "with_zstd": True,
        "with_xxhash": True,
    }

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        if self.options.with_simdjson:
            self.requires("simdjson/3.0.1")
        if self.options.with_sqlite3:
            self.requires("sqlite3/3.45.0")
        if self.options.with_lz4:
            self.requires("lz4/1.9.4")
        if self.options.with_zstd:
            self.requires("zstd/1.5.5")
        if self.options.with_xxhash:
            self.requires("xxhash/0.8.2")

    def package_id(self):
        self.info.clear()

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        copy(self, "*.hpp", os.path.join(self.source_folder, "include"), os.path.join(self.package_folder, "include"))

    def package_info(self):
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        self.cpp_info.set_property("cmake_file_name", "sqlitegraph")
        self.cpp_info.set_property("cmake_target_name", "sqlitegraph::sqlitegraph")
        self.cpp_info.system_libs = ["pthread"]
        for option, define in (("with_simdjson", "SIMDJSON"), ("with_sqlite3", "SQLITE3"), ("with_lz4", "LZ4"),
                               ("with_zstd", "ZSTD"), ("with_xxhash", "XXHASH")):
            if self.options.get_safe(option):
                self.cpp_info.defines.append(f"SQLITEGRAPH_WITH_{define}=1")
