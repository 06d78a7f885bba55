/**
 * Metric names used in earlier drafts of the contract, and what replaced
 * them: an `expect:` naming an old one gets the new name as its hint. The
 * metrics themselves are declared by each workload kind's metric table.
 */
export const RENAMED_METRICS: Readonly<Record<string, string>> = {
  mountLockWaitUs: 'mount_lock.meanWaitUs',
  namespaceSemWaitUs: 'namespace_sem.meanWaitUs',
};
