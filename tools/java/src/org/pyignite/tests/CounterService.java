package org.pyignite.tests;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.ignite.Ignite;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.apache.ignite.resources.ServiceContextResource;
import org.apache.ignite.services.Service;
import org.apache.ignite.services.ServiceCallContext;
import org.apache.ignite.services.ServiceContext;

/**
 * A service deployed by the test nodes' configuration as "pyignite_counter" (one instance in
 * the cluster): a counter with a few typed methods (tests/services).
 */
public class CounterService implements Service {
    private static final long serialVersionUID = 1L;

    @IgniteInstanceResource
    private transient Ignite ignite;

    @ServiceContextResource
    private transient ServiceContext ctx;

    private final AtomicLong count = new AtomicLong();

    public long add(long delta) {
        return count.addAndGet(delta);
    }

    public long get() {
        return count.get();
    }

    public int twice(int x) {
        return 2 * x;
    }

    public double half(double x) {
        return x / 2;
    }

    public String greet(String name) {
        return "hello, " + name;
    }

    public boolean negate(boolean b) {
        return !b;
    }

    public Point point(int x, int y) {
        return new Point(x, y, "service");
    }

    /** The attribute {@code name} of the caller's call context, or null. */
    public String callAttribute(String name) {
        ServiceCallContext call = ctx == null ? null : ctx.currentCallContext();
        return call == null ? null : call.attribute(name);
    }

    /** The id of the node this instance runs on. */
    public String nodeId() {
        return ignite.cluster().localNode().id().toString();
    }
}
