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
 * Returns a {@link Point} made on the server (x = the int argument, y = x * x, label "p" + x):
 * a complex object whose type the client has never seen (tests/compute).
 */
public class PointTask extends ComputeTaskAdapter<Object, Point> {
    private static final long serialVersionUID = 1L;

    @Override public Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, Object arg) {
        final int x = ((Number)arg).intValue();
        return Collections.singletonMap(new ComputeJobAdapter() {
            private static final long serialVersionUID = 1L;

            @Override public Object execute() {
                return new Point(x, x * x, "p" + x);
            }
        }, subgrid.get(0));
    }

    @Override public Point reduce(List<ComputeJobResult> results) {
        return results.get(0).getData();
    }
}
