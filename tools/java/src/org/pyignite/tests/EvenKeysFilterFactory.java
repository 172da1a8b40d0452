package org.pyignite.tests;

import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryEventFilter;

/**
 * Makes an {@link EvenKeysFilter}. A thin client names this class as the remote filter of a
 * continuous query: the server deserializes the (field-less) binary object the client sends
 * as a filter factory and calls {@link #create()} on every node that runs the query.
 */
public class EvenKeysFilterFactory implements Factory<CacheEntryEventFilter<Object, Object>> {
    private static final long serialVersionUID = 1L;

    @Override public CacheEntryEventFilter<Object, Object> create() {
        return new EvenKeysFilter();
    }
}
