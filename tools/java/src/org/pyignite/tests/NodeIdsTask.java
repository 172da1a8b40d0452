package org.pyignite.tests;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
 * One job on every node the task may use; the result is the sorted array of the ids (as
 * strings) of the nodes the jobs ran on. Used by tests/compute to see where a task ran.
 */
public class NodeIdsTask extends ComputeTaskAdapter<Object, String[]> {
    private static final long serialVersionUID = 1L;

    @Override public Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, Object arg) {
        Map<ComputeJob, ClusterNode> jobs = new HashMap<>();
        for (ClusterNode node : subgrid)
            jobs.put(new LocalIdJob(), node);
        return jobs;
    }

    @Override public String[] reduce(List<ComputeJobResult> results) {
        List<String> ids = new ArrayList<>();
        for (ComputeJobResult res : results)
            ids.add((String)res.getData());
        Collections.sort(ids);
        return ids.toArray(new String[0]);
    }

    /** Returns the id of the node it runs on. */
    static class LocalIdJob extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;

        @IgniteInstanceResource
        private transient Ignite ignite;

        @Override public Object execute() {
            return ignite.cluster().localNode().id().toString();
        }
    }
}
