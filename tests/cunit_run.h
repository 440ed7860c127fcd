/* One runner for every CUnit test program: registers the suites, runs them in
 * verbose basic mode (the summary is printed) and turns failures into exit status 1. */
#ifndef ZHS_TESTS_CUNIT_RUN_H
#define ZHS_TESTS_CUNIT_RUN_H

#include <CUnit/Basic.h>

int zhs_test_run(CU_SuiteInfo *suites);

/* Asserts two C strings are equal, printing both on failure. */
#define ZHS_ASSERT_STR(actual, expected) \
    zhs_test_assert_str((actual), (expected), __LINE__, __FILE__)
void zhs_test_assert_str(const char *actual, const char *expected, int line, const char *file);

/* Removes the directory tree at path (a test's scratch directory): 0, or -1. */
int zhs_test_remove_tree(const char *path);

#endif
