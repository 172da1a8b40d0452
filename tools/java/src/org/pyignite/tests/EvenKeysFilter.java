package org.pyignite.tests;

import javax.cache.event.CacheEntryEvent;

import org.apache.ignite.cache.CacheEntryEventSerializableFilter;

/**
 * Passes the cache events of even integer keys only (a continuous query remote filter).
 * Keys of any other type are dropped.
 */
public class EvenKeysFilter implements CacheEntryEventSerializableFilter<Object, Object> {
    private static final long serialVersionUID = 1L;

    @Override public boolean evaluate(CacheEntryEvent<?, ?> event) {
        Object key = event.getKey();
        return (key instanceof Integer || key instanceof Long || key instanceof Short
            || key instanceof Byte) && ((Number)key).longValue() % 2 == 0;
    }
}
