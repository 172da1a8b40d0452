package org.pyignite.tests;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeTaskAdapter;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * A job that sleeps; the argument is "milliseconds:tag". Returns "slept"; if it is
 * cancelled or interrupted (the task was cancelled or timed out) it puts tag -> "interrupted" into the
 * cache "pyignite_interrupted" first (tests/compute: timeout and cancel).
 */
public class SleepTask extends ComputeTaskAdapter<Object, Object> {
    private static final long serialVersionUID = 1L;

    @Override public Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, Object arg) {
        String[] parts = String.valueOf(arg).split(":", 2);
        return Collections.singletonMap(
            new SleepJob(Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : ""), subgrid.get(0));
    }

    @Override public Object reduce(List<ComputeJobResult> results) {
        return results.get(0).getData();
    }

    static class SleepJob extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;

        @IgniteInstanceResource
        private transient Ignite ignite;

        private final long millis;

        private final String tag;

        SleepJob(long millis, String tag) {
            this.millis = millis;
            this.tag = tag;
        }

        @Override public Object execute() {
            // in short naps, so that a cancelled job ends at once even when its thread is
            // not interrupted (and a stopping node does not wait for it)
            long end = System.currentTimeMillis() + millis;
            try {
                while (System.currentTimeMillis() < end) {
                    if (isCancelled())
                        throw new InterruptedException();
                    Thread.sleep(Math.min(50L, Math.max(1L, end - System.currentTimeMillis())));
                }
            }
            catch (InterruptedException e) {
                ignite.getOrCreateCache("pyignite_interrupted").put(tag, "interrupted");
                return null;
            }
            return "slept";
        }
    }
}
