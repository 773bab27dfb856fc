/**
 * @gyre/workloads: Gyre's built-in workloads.
 */
export {};
