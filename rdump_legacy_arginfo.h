/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 4419b448f3da477c7474dafd2ed5f45c1c90a0bb */

ZEND_BEGIN_ARG_INFO_EX(arginfo_rdump_dump, 0, 0, 1)
	ZEND_ARG_INFO(0, path)
	ZEND_ARG_INFO(0, full)
ZEND_END_ARG_INFO()


ZEND_FUNCTION(rdump_dump);


static const zend_function_entry ext_functions[] = {
	ZEND_FE(rdump_dump, arginfo_rdump_dump)
	ZEND_FE_END
};
