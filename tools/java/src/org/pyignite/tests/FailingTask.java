package org.pyignite.tests;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.ignite.IgniteException;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeTaskAdapter;

/** A job that throws "pyignite test failure: " + the argument (tests/compute). */
public class FailingTask extends ComputeTaskAdapter<Object, Object> {
    private static final long serialVersionUID = 1L;

    @Override public Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, Object arg) {
        final String what = String.valueOf(arg);
        return Collections.singletonMap(new ComputeJobAdapter() {
            private static final long serialVersionUID = 1L;

            @Override public Object execute() {
                throw new IgniteException("pyignite test failure: " + what);
            }
        }, subgrid.get(0));
    }

    @Override public Object reduce(List<ComputeJobResult> results) {
        return null;
    }
}
