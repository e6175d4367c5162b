/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 335058ccd0f342d8993d5369826b0cc6aedac4e9 */

ZEND_BEGIN_ARG_INFO_EX(arginfo_rdump_dump, 0, 0, 1)
	ZEND_ARG_INFO(0, path)
	ZEND_ARG_INFO(0, full)
	ZEND_ARG_INFO(0, background)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_INFO_EX(arginfo_rdump_set_oom_dump, 0, 0, 1)
	ZEND_ARG_INFO(0, path)
	ZEND_ARG_INFO(0, full)
ZEND_END_ARG_INFO()


ZEND_FUNCTION(rdump_dump);
ZEND_FUNCTION(rdump_set_oom_dump);


static const zend_function_entry ext_functions[] = {
	ZEND_FE(rdump_dump, arginfo_rdump_dump)
	ZEND_FE(rdump_set_oom_dump, arginfo_rdump_set_oom_dump)
	ZEND_FE_END
};
