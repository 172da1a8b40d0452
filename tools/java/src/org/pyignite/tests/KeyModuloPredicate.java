package org.pyignite.tests;

import org.apache.ignite.lang.IgniteBiPredicate;

/**
 * A scan filter: passes the entries whose integer key is a multiple of {@code modulus}
 * (tests/scan filter).
 */
public class KeyModuloPredicate implements IgniteBiPredicate<Object, Object> {
    private static final long serialVersionUID = 1L;

    private int modulus;

    @Override public boolean apply(Object key, Object val) {
        return key instanceof Number && modulus != 0 && ((Number)key).longValue() % modulus == 0;
    }
}
