/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 335058ccd0f342d8993d5369826b0cc6aedac4e9 */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_rdump_dump, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, path, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, full, _IS_BOOL, 0, "false")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, background, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_rdump_set_oom_dump, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, path, IS_STRING, 1)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, full, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()


ZEND_FUNCTION(rdump_dump);
ZEND_FUNCTION(rdump_set_oom_dump);


static const zend_function_entry ext_functions[] = {
	ZEND_FE(rdump_dump, arginfo_rdump_dump)
	ZEND_FE(rdump_set_oom_dump, arginfo_rdump_set_oom_dump)
	ZEND_FE_END
};
