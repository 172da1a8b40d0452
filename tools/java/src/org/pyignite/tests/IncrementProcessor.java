package org.pyignite.tests;

import javax.cache.processor.MutableEntry;

import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.CacheEntryProcessor;

/**
 * An entry processor: adds the first argument (a number, 1 without arguments) to the entry's
 * value (a number, missing = 0) and returns the old value; a complex-object value gets its
 * field named by the processor's {@code field} incremented instead (tests/invoke).
 */
public class IncrementProcessor implements CacheEntryProcessor<Object, Object, Object> {
    private static final long serialVersionUID = 1L;

    /** The field to increment in a complex-object value. */
    private String field;

    @Override public Object process(MutableEntry<Object, Object> entry, Object... args) {
        long delta = args.length > 0 ? ((Number)args[0]).longValue() : 1L;
        Object old = entry.getValue();
        if (old instanceof BinaryObject) {
            BinaryObject obj = (BinaryObject)old;
            Number cur = obj.field(field);
            long was = cur == null ? 0L : cur.longValue();
            entry.setValue(obj.toBuilder().setField(field, was + delta).build());
            return was;
        }
        long was = old == null ? 0L : ((Number)old).longValue();
        entry.setValue(was + delta);
        return old;
    }
}
