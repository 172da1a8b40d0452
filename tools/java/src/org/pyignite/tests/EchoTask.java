package org.pyignite.tests;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeTaskAdapter;

/**
 * One job on one node that returns the task's argument as it came (tests/compute: results of
 * every type).
 */
public class EchoTask extends ComputeTaskAdapter<Object, Object> {
    private static final long serialVersionUID = 1L;

    @Override public Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, Object arg) {
        final Object value = arg;
        return Collections.singletonMap(new ComputeJobAdapter() {
            private static final long serialVersionUID = 1L;

            @Override public Object execute() {
                return value;
            }
        }, subgrid.get(0));
    }

    @Override public Object reduce(List<ComputeJobResult> results) {
        // no results when the task runs without a result cache
        return results.isEmpty() ? null : results.get(0).getData();
    }
}
