package org.pyignite.tests;

import java.util.Collection;
import java.util.Map;

import org.apache.ignite.IgniteCache;
import org.apache.ignite.stream.StreamReceiver;

/**
 * A data streamer receiver that stores each value as {@code prefix + value} (a String)
 * instead of the value itself. The thin client sends it as a binary object with the field
 * {@code prefix}; the server deserializes it and runs it on every batch
 * (tests/structures/test_stream_receiver.py).
 */
public class PrefixReceiver implements StreamReceiver<Object, Object> {
    private static final long serialVersionUID = 1L;

    private String prefix;

    @Override public void receive(IgniteCache<Object, Object> cache,
        Collection<Map.Entry<Object, Object>> entries) {
        for (Map.Entry<Object, Object> entry : entries)
            cache.put(entry.getKey(), prefix + entry.getValue());
    }
}
