package org.pyignite.tests;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.cluster.ClusterTopologyException;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeTaskAdapter;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * One job that fails with a topology error on the node it was first mapped to, so it
 * succeeds only when failed over to another node; returns the id of the node where it
 * succeeded (tests/compute: no_failover).
 */
public class FailoverTask extends ComputeTaskAdapter<Object, Object> {
    private static final long serialVersionUID = 1L;

    @Override public Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, Object arg) {
        ClusterNode first = subgrid.get(0);
        return Collections.singletonMap(new MovingJob(first.id()), first);
    }

    @Override public Object reduce(List<ComputeJobResult> results) {
        return results.get(0).getData();
    }

    static class MovingJob extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;

        @IgniteInstanceResource
        private transient Ignite ignite;

        private final UUID first;

        MovingJob(UUID first) {
            this.first = first;
        }

        @Override public Object execute() {
            UUID here = ignite.cluster().localNode().id();
            if (here.equals(first))
                throw new ClusterTopologyException("pyignite test: fail over from " + first);
            return here.toString();
        }
    }
}
