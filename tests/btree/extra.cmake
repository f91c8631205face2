# Nothing extra: test_btree needs only the header-only library and Catch2.
