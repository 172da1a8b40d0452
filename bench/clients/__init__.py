"""The workloads of each client the benchmark compares: ours, the reference and the floor."""
