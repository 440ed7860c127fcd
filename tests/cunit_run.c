/* The shared CUnit runner (see cunit_run.h). */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"

int zhs_test_run(CU_SuiteInfo *suites)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        fprintf(stderr, "cannot register suites: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 99;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    if (ran == 0) {
        fprintf(stderr, "no test ran\n");
        return 99;
    }
    return failed ? 1 : 0;
}

void zhs_test_assert_str(const char *actual, const char *expected, int line, const char *file)
{
    int same = actual && expected && strcmp(actual, expected) == 0;
    if (!same)
        fprintf(stderr, "\n%s:%d: got \"%s\", expected \"%s\"\n", file, line,
                actual ? actual : "(null)", expected ? expected : "(null)");
    CU_assertImplementation(same, (unsigned)line, "string equality", file, "", CU_FALSE);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

int zhs_test_remove_tree(const char *path)
{
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
